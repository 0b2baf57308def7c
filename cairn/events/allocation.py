"""Breakout allocation: people into themed groups that each have a facilitator,
stay within their size bounds, give people a theme they ranked high and mix sectors.

No Django here: plain data in, plain data out, so the allocation can be tested
and benchmarked without a database (`bench/breakouts.py`).

The priorities, in order, and where each is enforced:

1. every group has a facilitator - a hard constraint of stage one;
2. group sizes stay within bounds - a hard constraint of stage one;
3. people get a theme they ranked high - the objective of stage one;
4. each group mixes sectors - stage two, inside each theme.

Stage one decides how many groups each theme gets and how many people of each
preference profile go to each theme. People with the same ranking (and the same
facilitator flag) are interchangeable there, so the problem shrinks from people
to profiles and stays small at 5,000 people. It is a transportation problem with
a few integer group counts, solved exactly with HiGHS (through SciPy's `milp`).
When the hard constraints cannot all hold (too few facilitators for the rooms),
the size bounds are relaxed first, then the facilitator rule, and the result
says which groups break which rule.

Stage two splits each theme's people into its groups: one facilitator per
group, a note-taker where one is available, then everyone else dealt one by one
to the group holding the fewest people of their sector. Every ordering is by
id, so the same input always gives the same groups.

A re-run can be given `fixed` groups: people a coordinator put somewhere by hand.
They stay where they are, their rooms are kept (with the facilitator or
note-taker they were made) and count against the room's capacity; only everyone
else is allocated, into those rooms and new ones beside them.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import groupby

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

# Cost of a person's k-th choice (k from 1): 0, 1, 3, 6, ... A theme they did not
# rank costs more than any ranked one, so nobody is sent there to save a group.
UNRANKED_COST = 50.0
# A small price per group: among equally good answers, prefer fuller rooms.
GROUP_COST = 0.01


def rank_cost(rank: int | None) -> float:
    if rank is None:
        return UNRANKED_COST
    return rank * (rank - 1) / 2


@dataclass(frozen=True)
class Participant:
    id: int
    sector: str
    preferences: tuple[int, ...] = ()  # theme ids, best first
    facilitator: bool = False
    note_taker: bool = False


@dataclass(frozen=True)
class Theme:
    id: int
    name: str
    max_size: int
    min_size: int | None = None

    @property
    def lower(self) -> int:
        if self.min_size is not None:
            return max(1, min(self.min_size, self.max_size))
        return max(2, math.ceil(self.max_size / 2)) if self.max_size > 2 else 1


@dataclass
class Group:
    theme_id: int
    number: int  # 1, 2, ... within its theme
    member_ids: list[int] = field(default_factory=list)  # facilitator and note-taker included
    facilitator_id: int | None = None
    note_taker_id: int | None = None


@dataclass(frozen=True)
class Quality:
    participants: int
    groups: int
    first_choice_share: float
    top_two_share: float
    mean_distinct_sectors: float
    min_distinct_sectors: int
    max_sector_share: float
    groups_without_facilitator: int
    groups_outside_bounds: int
    unassigned: int

    def as_dict(self) -> dict[str, float | int]:
        return dict(self.__dict__)


@dataclass
class Allocation:
    groups: list[Group]
    quality: Quality
    relaxed: list[str] = field(default_factory=list)  # rules that had to give way
    kept_by_hand: int = 0  # people who stayed in the room they were moved to by hand


class AllocationError(ValueError):
    pass


def allocate(
    participants: Sequence[Participant],
    themes: Sequence[Theme],
    fixed: Sequence[Group] = (),
) -> Allocation:
    """Allocate everyone; deterministic for the same participants, themes and fixed groups.

    `fixed` are rooms whose members (placed by hand) must stay in them; every fixed
    group is in the result with its number, its members and the roles it gave them.
    """
    if not themes:
        raise AllocationError("Add at least one breakout theme before allocating.")
    people = sorted(participants, key=lambda p: p.id)
    if len({p.id for p in people}) != len(people):
        raise AllocationError("A participant appears twice.")
    themes = sorted(themes, key=lambda t: t.id)
    fixed = _check_fixed(people, themes, fixed)
    if not people:
        return Allocation([], evaluate(people, themes, []))
    pinned = {pid for g in fixed for pid in g.member_ids}
    free = [p for p in people if p.id not in pinned]
    relaxed: list[str] = []
    plan = None
    any_facilitator = any(p.facilitator for p in free) or (
        bool(fixed) and all(g.facilitator_id is not None for g in fixed)
    )
    attempts = [(True, True), (False, True), (False, False)]
    if not any_facilitator:
        attempts = [(True, False), (False, False)]
        relaxed.append("facilitator")
    if not free:
        groups = _copy_groups(fixed)
        return Allocation(groups, evaluate(people, themes, groups), relaxed, len(pinned))
    for sizes, facilitators in attempts:
        plan = _plan_themes(free, themes, fixed, sizes=sizes, facilitators=facilitators)
        if plan is not None:
            break
        relaxed.append("sizes" if sizes else "facilitator")
    if plan is None:  # pragma: no cover - the last attempt has no hard constraint left
        raise AllocationError("No allocation found.")
    assignment, group_counts = plan
    groups = _split_themes(people, themes, assignment, group_counts, fixed)
    return Allocation(groups, evaluate(people, themes, groups), relaxed, len(pinned))


def _check_fixed(
    people: Sequence[Participant], themes: Sequence[Theme], fixed: Sequence[Group]
) -> list[Group]:
    known = {p.id for p in people}
    theme_ids = {t.id for t in themes}
    seen: set[int] = set()
    rooms: set[tuple[int, int]] = set()
    for g in fixed:
        if g.theme_id not in theme_ids:
            raise AllocationError("A group kept by hand has a theme that is not allocated.")
        if (g.theme_id, g.number) in rooms:
            raise AllocationError("Two groups kept by hand have the same number.")
        rooms.add((g.theme_id, g.number))
        for pid in g.member_ids:
            if pid not in known or pid in seen:
                raise AllocationError(
                    "Someone kept by hand is not a participant, or is kept twice."
                )
            seen.add(pid)
    return sorted((g for g in fixed if g.member_ids), key=lambda g: (g.theme_id, g.number))


def _copy_groups(fixed: Sequence[Group]) -> list[Group]:
    """The fixed groups as the result starts them: their members, and the roles they gave
    to those members (a role held by someone no longer kept there lapses)."""
    copies = []
    for g in fixed:
        members = sorted(g.member_ids)
        copies.append(
            Group(
                theme_id=g.theme_id,
                number=g.number,
                member_ids=members,
                facilitator_id=g.facilitator_id if g.facilitator_id in members else None,
                note_taker_id=g.note_taker_id if g.note_taker_id in members else None,
            )
        )
    return copies


def _profiles(people: Sequence[Participant]) -> dict[tuple, list[Participant]]:
    profiles: dict[tuple, list[Participant]] = defaultdict(list)
    for p in people:
        profiles[(p.preferences, p.facilitator)].append(p)
    return dict(sorted(profiles.items(), key=lambda kv: kv[1][0].id))


def _plan_themes(
    people: Sequence[Participant],
    themes: Sequence[Theme],
    fixed: Sequence[Group] = (),
    *,
    sizes: bool,
    facilitators: bool,
) -> tuple[dict[int, int], dict[int, int]] | None:
    """Stage one: person id -> theme id, and theme id -> number of groups (fixed ones included).

    `people` are those still to place. A theme's fixed groups are among its groups;
    each takes only what its kept members leave of the room's capacity, needs no
    minimum (a room someone was put in by hand is not filled up for its own sake),
    and needs no facilitator from the rest when it kept its own.
    """
    profiles = _profiles(people)
    keys = list(profiles)
    n_p, n_t = len(keys), len(themes)
    n_x = n_p * n_t
    n = len(people) + sum(len(g.member_ids) for g in fixed)
    theme_index = {t.id: j for j, t in enumerate(themes)}
    fixed_by_theme: dict[int, list[Group]] = defaultdict(list)
    for g in fixed:
        fixed_by_theme[g.theme_id].append(g)

    cost = np.empty(n_x + n_t)
    for i, (prefs, _fac) in enumerate(keys):
        ranks = {theme_id: r for r, theme_id in enumerate(prefs, start=1)}
        for j, t in enumerate(themes):
            cost[i * n_t + j] = rank_cost(ranks.get(t.id))
    cost[n_x:] = GROUP_COST

    rows, cols, vals = [], [], []
    lo, hi = [], []
    row = 0
    for i, key in enumerate(keys):  # everyone is placed exactly once
        for j in range(n_t):
            rows.append(row)
            cols.append(i * n_t + j)
            vals.append(1.0)
        lo.append(len(profiles[key]))
        hi.append(len(profiles[key]))
        row += 1
    for j, t in enumerate(themes):
        upper = t.max_size if sizes else n
        lower = t.lower if sizes else 1
        kept = fixed_by_theme.get(t.id, [])
        # What the kept members already take of the fixed rooms' places (a room overfilled
        # by hand takes its whole capacity, not more), and the fixed rooms' minimums waived.
        taken = sum(min(len(g.member_ids), upper) for g in kept)
        waived = lower * len(kept)
        # load - upper * groups <= -taken and load - lower * groups >= -waived
        for bound, sign, offset in ((upper, "le", taken), (lower, "ge", waived)):
            for i in range(n_p):
                rows.append(row)
                cols.append(i * n_t + j)
                vals.append(1.0)
            rows.append(row)
            cols.append(n_x + j)
            vals.append(-float(bound))
            lo.append(-np.inf if sign == "le" else -float(offset))
            hi.append(-float(offset) if sign == "le" else np.inf)
            row += 1
        if facilitators:  # facilitators in theme >= groups in theme without one kept
            covered = sum(1 for g in kept if g.facilitator_id is not None)
            for i, (_prefs, fac) in enumerate(keys):
                if fac:
                    rows.append(row)
                    cols.append(i * n_t + j)
                    vals.append(1.0)
            rows.append(row)
            cols.append(n_x + j)
            vals.append(-1.0)
            lo.append(-float(covered))
            hi.append(np.inf)
            row += 1
    matrix = coo_matrix((vals, (rows, cols)), shape=(row, n_x + n_t)).tocsr()
    upper_x = np.repeat([float(len(profiles[k])) for k in keys], n_t)
    # Every fixed group stays a group of its theme.
    least_groups = [float(len(fixed_by_theme.get(t.id, []))) for t in themes]
    result = milp(
        cost,
        constraints=LinearConstraint(matrix, lo, hi),
        integrality=np.concatenate([np.zeros(n_x), np.ones(n_t)]),
        bounds=Bounds(
            np.concatenate([np.zeros(n_x), least_groups]),
            np.concatenate([upper_x, np.full(n_t, float(n))]),
        ),
        options={"time_limit": 30.0, "mip_rel_gap": 1e-6},
    )
    if result.x is None:
        return None
    x = np.rint(result.x).astype(int)
    assignment: dict[int, int] = {}
    for i, key in enumerate(keys):
        members = profiles[key]
        # Within a profile everyone is alike for stage one; hand out places by id.
        cursor = 0
        for j, t in enumerate(themes):
            count = int(x[i * n_t + j])
            for p in members[cursor : cursor + count]:
                assignment[p.id] = t.id
            cursor += count
        for p in members[cursor:]:  # rounding safety: never lose anyone
            assignment[p.id] = themes[0].id
    group_counts = {t.id: int(x[n_x + theme_index[t.id]]) for t in themes}
    loads = Counter(assignment.values())
    for t in themes:
        group_counts[t.id] = max(group_counts[t.id], len(fixed_by_theme.get(t.id, [])))
        if loads[t.id] and not group_counts[t.id]:
            group_counts[t.id] = math.ceil(loads[t.id] / t.max_size)
    return assignment, group_counts


def _split_themes(
    people: Sequence[Participant],
    themes: Sequence[Theme],
    assignment: dict[int, int],
    group_counts: dict[int, int],
    fixed: Sequence[Group] = (),
) -> list[Group]:
    by_theme: dict[int, list[Participant]] = defaultdict(list)
    for p in people:
        if p.id in assignment:
            by_theme[assignment[p.id]].append(p)
    kept: dict[int, list[Group]] = defaultdict(list)
    for g in _copy_groups(fixed):
        kept[g.theme_id].append(g)
    sectors = {p.id: p.sector for p in people}
    groups: list[Group] = []
    for theme in themes:
        members = by_theme.get(theme.id, [])
        if not members:
            groups.extend(kept.get(theme.id, []))
            continue
        count = max(1, group_counts[theme.id])
        groups.extend(
            _split_one(members, count, theme.id, kept.get(theme.id, []), sectors, theme.max_size)
        )
    return groups


def _targets(start: list[int], extra: int, capacity: int) -> list[int]:
    """How many people each group should end with: `extra` more dealt one by one to the
    group with the fewest (the first of those, and one under capacity while any is)."""
    heap = [(size >= capacity, size, k) for k, size in enumerate(start)]
    heapq.heapify(heap)
    target = list(start)
    for _ in range(extra):
        _full, size, k = heapq.heappop(heap)
        target[k] = size + 1
        heapq.heappush(heap, (size + 1 >= capacity, size + 1, k))
    return target


def _split_one(
    members: list[Participant],
    count: int,
    theme_id: int,
    kept: Sequence[Group] = (),
    sectors: dict[int, str] | None = None,
    capacity: int | None = None,
) -> list[Group]:
    groups = list(kept)
    used = {g.number for g in kept}
    number = 1
    while len(groups) < count:
        while number in used:
            number += 1
        groups.append(Group(theme_id=theme_id, number=number))
        number += 1
    count = len(groups)
    sector_of = sectors or {}
    sector_counts: list[Counter] = [
        Counter(sector_of.get(pid, "") for pid in g.member_ids) for g in groups
    ]
    target = _targets(
        [len(g.member_ids) for g in groups], len(members), capacity or len(members) + 1
    )
    placed: set[int] = set()

    def put(k: int, p: Participant) -> None:
        groups[k].member_ids.append(p.id)
        sector_counts[k][p.sector] += 1
        placed.add(p.id)

    # Rooms that kept a facilitator (or note-taker) by hand need no other.
    no_lead = [k for k in range(count) if groups[k].facilitator_id is None]
    facilitators = [p for p in members if p.facilitator]
    for k, p in zip(no_lead, facilitators, strict=False):
        groups[k].facilitator_id = p.id
        put(k, p)
    no_taker = [k for k in range(count) if groups[k].note_taker_id is None]
    takers = [p for p in members if p.note_taker and p.id not in placed]
    for k, p in zip(no_taker, takers, strict=False):
        groups[k].note_taker_id = p.id
        put(k, p)
    rest = [p for p in members if p.id not in placed]
    frequency = Counter(p.sector for p in rest)
    # The biggest sector first, so it is spread before smaller ones fill the rooms.
    rest.sort(key=lambda p: (-frequency[p.sector], p.sector, p.id))
    # Each person goes to the open group with the fewest of their sector, then the
    # smallest, then the first. People come sector by sector, so within one sector
    # only the chosen group's key changes: a heap per sector gives the same choice
    # as scanning every group, in log time.
    for _sector, run in groupby(rest, key=lambda p: p.sector):
        heap = [
            (sector_counts[k][_sector], len(groups[k].member_ids), k)
            for k in range(count)
            if len(groups[k].member_ids) < target[k]
        ]
        heapq.heapify(heap)
        for p in run:
            if heap:
                _, _, best = heapq.heappop(heap)
            else:  # facilitators alone overfilled the targets; stay even
                best = min(
                    range(count),
                    key=lambda k: (sector_counts[k][p.sector], len(groups[k].member_ids), k),
                )
            put(best, p)
            if len(groups[best].member_ids) < target[best]:
                heapq.heappush(
                    heap, (sector_counts[best][_sector], len(groups[best].member_ids), best)
                )
    return groups


def evaluate(
    participants: Iterable[Participant], themes: Iterable[Theme], groups: Sequence[Group]
) -> Quality:
    """The quality figures for any set of groups: allocated, random or moved by hand."""
    people = {p.id: p for p in participants}
    bounds = {t.id: t for t in themes}
    assigned: dict[int, int] = {}
    for g in groups:
        for pid in g.member_ids:
            assigned[pid] = g.theme_id
    with_prefs = [p for p in people.values() if p.preferences]
    first = sum(1 for p in with_prefs if assigned.get(p.id) == p.preferences[0])
    top_two = sum(1 for p in with_prefs if assigned.get(p.id) in p.preferences[:2])
    distinct, shares = [], []
    without_facilitator = outside = 0
    for g in groups:
        sectors = Counter(people[pid].sector for pid in g.member_ids if pid in people)
        # A member with no registration (moved in by hand, then cancelled) has no sector here.
        if g.member_ids and sectors:
            distinct.append(len(sectors))
            shares.append(max(sectors.values()) / len(g.member_ids))
        if g.facilitator_id is None or g.facilitator_id not in g.member_ids:
            without_facilitator += 1
        theme = bounds.get(g.theme_id)
        if theme and not theme.lower <= len(g.member_ids) <= theme.max_size:
            outside += 1
    denominator = len(with_prefs) or 1
    return Quality(
        participants=len(people),
        groups=len(groups),
        first_choice_share=round(first / denominator, 4),
        top_two_share=round(top_two / denominator, 4),
        mean_distinct_sectors=round(sum(distinct) / len(distinct), 3) if distinct else 0.0,
        min_distinct_sectors=min(distinct) if distinct else 0,
        max_sector_share=round(max(shares), 4) if shares else 0.0,
        groups_without_facilitator=without_facilitator,
        groups_outside_bounds=outside,
        unassigned=sum(1 for pid in people if pid not in assigned),
    )


def random_allocation(
    participants: Sequence[Participant], themes: Sequence[Theme], seed: int = 0
) -> list[Group]:
    """What a video tool's "assign automatically" does: shuffle, deal into rooms.

    Rooms get themes in turn; facilitators are whoever of the room's people is
    flagged, if anyone. Used by the benchmark as the baseline.
    """
    people = sorted(participants, key=lambda p: p.id)
    random.Random(seed).shuffle(people)
    themes = sorted(themes, key=lambda t: t.id)
    capacity = max(t.max_size for t in themes)
    count = max(1, math.ceil(len(people) / capacity))
    groups = [
        Group(theme_id=themes[k % len(themes)].id, number=k // len(themes) + 1)
        for k in range(count)
    ]
    for index, p in enumerate(people):
        groups[index % count].member_ids.append(p.id)
    flagged = {p.id for p in people if p.facilitator}
    for g in groups:
        g.facilitator_id = next((pid for pid in g.member_ids if pid in flagged), None)
    return groups


def move(groups: list[Group], person_id: int, to: tuple[int, int]) -> list[Group]:
    """Move one person to the group (theme id, number); their roles in the old group lapse."""
    target = next((g for g in groups if (g.theme_id, g.number) == to), None)
    if target is None:
        raise AllocationError("No such group.")
    for g in groups:
        if person_id in g.member_ids:
            g.member_ids.remove(person_id)
            if g.facilitator_id == person_id:
                g.facilitator_id = None
            if g.note_taker_id == person_id:
                g.note_taker_id = None
    target.member_ids.append(person_id)
    return groups
