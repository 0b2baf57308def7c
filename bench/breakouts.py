"""Breakout allocation benchmark: Cairn's allocation against what a coordinator
would otherwise use, on the same generated registrations.

Methods compared at each size:
- random: the video tool's automatic assignment (shuffle and deal into rooms);
- cairn: `cairn.events.allocation.allocate`;
- cp-sat: an exact optimiser (OR-Tools CP-SAT) with the same priorities, on small
  instances only (it does not scale); skipped when ortools is not installed
  (`pip install -e '.[bench]'`).

Usage: python bench/breakouts.py [--json] [--sizes 40,200,5000] [--exact-limit 60]
The table (or one JSON object per line with --json) shows time and quality.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cairn.events.allocation import (  # noqa: E402
    Group,
    Participant,
    Theme,
    allocate,
    evaluate,
    random_allocation,
    rank_cost,
)

SECTORS = [
    "community",
    "third_sector",
    "public_service",
    "local_authority",
    "health_social_care",
    "private",
    "academic",
    "funder",
]
SECTOR_WEIGHTS = [30, 25, 12, 10, 10, 6, 4, 3]


def generate(participants: int, seed: int = 7) -> tuple[list[Participant], list[Theme]]:
    """Registrations as they come: popular themes, a skewed sector mix, ~1 in 8 facilitating."""
    rng = random.Random(seed)
    room = 8 if participants > 100 else 6  # rooms of up to room + 1
    groups_wanted = max(2, round(participants / (room + 0.3)))
    n_themes = max(2, min(12, groups_wanted // 3 or 2))
    themes = [Theme(id=t + 1, name=f"Theme {t + 1}", max_size=room + 1) for t in range(n_themes)]
    popularity = [1.0 / (t + 1) ** 0.6 for t in range(n_themes)]
    facilitator_share = max(groups_wanted * 1.3 / participants, 0.12)
    people = []
    for pid in range(1, participants + 1):
        ranked: list[int] = []
        while len(ranked) < min(3, n_themes):
            choice = rng.choices(themes, weights=popularity)[0].id
            if choice not in ranked:
                ranked.append(choice)
        people.append(
            Participant(
                id=pid,
                sector=rng.choices(SECTORS, weights=SECTOR_WEIGHTS)[0],
                preferences=tuple(ranked),
                facilitator=rng.random() < facilitator_share,
            )
        )
    return people, themes


def exact(people: list[Participant], themes: list[Theme], seconds: float) -> list[Group] | None:
    """CP-SAT with the same priorities: facilitators and sizes hard, then preferences
    (weighted far above), then the largest same-sector count in any group."""
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        return None
    model = cp_model.CpModel()
    slots = []  # (theme, number) for each possible group
    for t in themes:
        for k in range(max(1, math.ceil(len(people) / t.lower))):
            slots.append((t, k + 1))
    x = {(p.id, s): model.new_bool_var(f"x{p.id}_{s}") for p in people for s in range(len(slots))}
    f = {
        (p.id, s): model.new_bool_var(f"f{p.id}_{s}")
        for p in people
        if p.facilitator
        for s in range(len(slots))
    }
    used = [model.new_bool_var(f"u{s}") for s in range(len(slots))]
    for p in people:
        model.add_exactly_one(x[p.id, s] for s in range(len(slots)))
    sectors = sorted({p.sector for p in people})
    worst = model.new_int_var(0, len(people), "worst")
    for s, (t, _) in enumerate(slots):
        size = sum(x[p.id, s] for p in people)
        model.add(size <= t.max_size * used[s])
        model.add(size >= t.lower * used[s])
        model.add(sum(f[p.id, s] for p in people if p.facilitator) == used[s])
        for p in people:
            if p.facilitator:
                model.add_implication(f[p.id, s], x[p.id, s])
        for sector in sectors:
            model.add(sum(x[p.id, s] for p in people if p.sector == sector) <= worst)
        if s and slots[s - 1][0] is t:  # symmetry: use a theme's rooms in order
            model.add(used[s] <= used[s - 1])
    preference = sum(
        int(rank_cost(p.preferences.index(t.id) + 1 if t.id in p.preferences else None))
        * x[p.id, s]
        for p in people
        for s, (t, _) in enumerate(slots)
    )
    model.minimize(preference * 1000 + worst * 10 + sum(used))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    groups = []
    for s, (t, number) in enumerate(slots):
        if not solver.value(used[s]):
            continue
        members = [p.id for p in people if solver.value(x[p.id, s])]
        facilitator = next(
            (p.id for p in people if p.facilitator and solver.value(f[p.id, s])), None
        )
        groups.append(Group(t.id, number, members, facilitator))
    return groups


def run(sizes: list[int], exact_limit: int, exact_seconds: float) -> list[dict]:
    rows = []
    for n in sizes:
        people, themes = generate(n)
        methods = [
            ("random", lambda p=people, t=themes: random_allocation(p, t, seed=1)),
            ("cairn", lambda p=people, t=themes: allocate(p, t).groups),
        ]
        if n <= exact_limit:
            methods.append(("cp-sat", lambda p=people, t=themes: exact(p, t, exact_seconds)))
        for name, fn in methods:
            start = time.perf_counter()
            groups = fn()
            seconds = time.perf_counter() - start
            if groups is None:
                print(f"# {name} skipped at {n}: ortools missing or no answer", file=sys.stderr)
                continue
            quality = evaluate(people, themes, groups)
            sizes_seen = Counter(len(g.member_ids) for g in groups)
            rows.append(
                {
                    "method": name,
                    "participants": n,
                    "groups": len(groups),
                    "seconds": round(seconds, 3),
                    **{
                        k: v
                        for k, v in quality.as_dict().items()
                        if k not in ("participants", "groups")
                    },
                    "group_sizes": f"{min(sizes_seen)}-{max(sizes_seen)}",
                }
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--sizes", default="24,48,300,1000,5000")
    parser.add_argument("--exact-limit", type=int, default=48, help="largest size for CP-SAT")
    parser.add_argument("--exact-seconds", type=float, default=20.0)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    rows = run(sizes, args.exact_limit, args.exact_seconds)
    if args.json:
        for row in rows:
            print(json.dumps(row))
        return 0
    columns = [
        ("method", "method"),
        ("participants", "people"),
        ("groups", "groups"),
        ("seconds", "seconds"),
        ("first_choice_share", "1st"),
        ("top_two_share", "top2"),
        ("mean_distinct_sectors", "sectors/grp"),
        ("max_sector_share", "max sector"),
        ("groups_without_facilitator", "no facil."),
        ("groups_outside_bounds", "bad size"),
        ("group_sizes", "sizes"),
    ]
    widths = [max(len(label), *(len(str(r[k])) for r in rows)) for k, label in columns]
    print("  ".join(label.ljust(w) for (_, label), w in zip(columns, widths, strict=True)))
    for r in rows:
        print("  ".join(str(r[k]).ljust(w) for (k, _), w in zip(columns, widths, strict=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
