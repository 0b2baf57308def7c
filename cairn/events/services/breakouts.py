"""Breakout groups in the database: allocation, moves by hand, quality, exports."""

import csv
import io
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cairn.core import audit
from cairn.events import allocation
from cairn.events.models import (
    BreakoutGroup,
    BreakoutPreference,
    BreakoutRole,
    BreakoutTheme,
    Event,
    Registration,
    RegistrationStatus,
)
from cairn.events.services.registration import _lock_event
from cairn.jobs.models import Job, JobStatus
from cairn.jobs.services import start_job
from cairn.members.models import Person

ZOOM_CSV_HEADER = ["Pre-assign Room Name", "Email Address"]


class BreakoutError(ValueError):
    pass


def _registrations(event: Event):
    return (
        Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED)
        .select_related("person__organisation")
        .prefetch_related(
            Prefetch("preferences", BreakoutPreference.objects.order_by("rank", "pk"))
        )
        .order_by("person_id")
    )


def participants_for(event: Event) -> list[allocation.Participant]:
    return [
        allocation.Participant(
            id=r.person_id,
            sector=r.person.effective_sector,
            preferences=tuple(p.theme_id for p in r.preferences.all()),
            facilitator=r.breakout_role == BreakoutRole.FACILITATOR,
            note_taker=r.breakout_role == BreakoutRole.NOTE_TAKER,
        )
        for r in _registrations(event)
    ]


def themes_for(event: Event) -> list[allocation.Theme]:
    return [
        allocation.Theme(id=t.pk, name=t.name, max_size=t.room_capacity)
        for t in event.breakout_themes.all()
    ]


def group_name(theme: BreakoutTheme, number: int) -> str:
    return f"{theme.name} {number}"[:100]


def _no_themes() -> str:
    return _("Add breakout themes before allocating groups.")


def _nobody() -> str:
    return _("Nobody is registered yet, so there is nobody to allocate.")


def hand_placed(event: Event) -> dict[int, list[int]]:
    """Group id -> the people moved into it by hand who are still in it and registered:
    those an allocation run again keeps where they are."""
    registered = Registration.objects.filter(
        event=event, status=RegistrationStatus.REGISTERED
    ).values("person_id")
    placed: dict[int, list[int]] = {}
    for group in (
        BreakoutGroup.objects.filter(event=event)
        .prefetch_related(
            Prefetch(
                "placed_by_hand",
                Person.objects.filter(pk__in=registered).only("pk").order_by("pk"),
            ),
            Prefetch("members", Person.objects.only("pk")),
        )
        .order_by("pk")
    ):
        members = {m.pk for m in group.members.all()}
        kept = [p.pk for p in group.placed_by_hand.all() if p.pk in members]
        if kept:
            placed[group.pk] = kept
    return placed


def moved_by_hand_count(event: Event) -> int:
    return sum(len(people) for people in hand_placed(event).values())


def _group_number(group: BreakoutGroup, theme: BreakoutTheme) -> int:
    """The number in the room's name ("Technology 2" -> 2), which a re-run keeps; a room
    named otherwise gets a number no allocated room of its theme will have."""
    prefix = f"{theme.name} "
    suffix = group.name[len(prefix) :] if group.name.startswith(prefix) else ""
    if suffix.isdigit() and group_name(theme, int(suffix)) == group.name:
        return int(suffix)
    return 1_000_000 + group.pk


def _fixed_groups(
    placed: dict[int, list[int]], theme_rows: dict[int, BreakoutTheme]
) -> tuple[list[allocation.Group], dict[tuple[int, int], int]]:
    """The rooms that keep people placed by hand, for the allocation, and (theme id,
    number) -> group id to write them back to the same rows."""
    fixed, rows = [], {}
    for group in BreakoutGroup.objects.filter(pk__in=placed).order_by("pk"):
        number = _group_number(group, theme_rows[group.theme_id])
        fixed.append(
            allocation.Group(
                theme_id=group.theme_id,
                number=number,
                member_ids=list(placed[group.pk]),
                facilitator_id=group.facilitator_id,
                note_taker_id=group.note_taker_id,
            )
        )
        rows[(group.theme_id, number)] = group.pk
    return fixed, rows


# A move made while the groups are worked out means working them out again, at most this often.
ALLOCATION_ATTEMPTS = 3


def allocate_event(
    event_id: int,
    *,
    actor: Any,
    dry_run: bool = False,
    start_over: bool = False,
    progress: Callable[..., None] | None = None,
) -> allocation.Allocation:
    """Allocate everyone registered; unless dry_run, replace the event's groups with the result.

    People moved into a room by hand stay in it (with the role they were given there)
    and count against its capacity; only the rest are allocated. `start_over` allocates
    everyone afresh and forgets the moves made by hand.

    Groups keep their rows (and so their notes) when a room of the same name comes
    back; rooms that are no longer needed are removed unless notes were taken in them.
    The groups are worked out before the event's lock is taken (it can take seconds);
    if a move or a registration changed what they rest on in the meantime, they are
    worked out again rather than written over it.
    """
    event = Event.objects.get(pk=event_id)
    theme_rows = {t.pk: t for t in event.breakout_themes.all()}
    themes = themes_for(event)
    if not themes:
        raise BreakoutError(_no_themes())
    for _attempt in range(ALLOCATION_ATTEMPTS):
        people = participants_for(event)
        if not people:
            raise BreakoutError(_nobody())
        placed = {} if start_over else hand_placed(event)
        fixed, fixed_rows = _fixed_groups(placed, theme_rows)
        result = allocation.allocate(people, themes, fixed)
        if dry_run:
            return result
        with transaction.atomic():
            _lock_event(event_id)
            now = {} if start_over else hand_placed(event)
            if now != placed or [p.id for p in participants_for(event)] != [p.id for p in people]:
                continue
            _save_groups(event, result, fixed_rows, placed, theme_rows, progress)
            kept = sum(len(v) for v in placed.values())
            audit.record(
                actor,
                "breakouts.allocated",
                event,
                f"{len(people)} people into {len(result.groups)} groups"
                + (f", {kept} kept where they were moved by hand" if kept else "")
                + (", starting over" if start_over else ""),
                kept_by_hand=kept,
                start_over=start_over,
                **result.quality.as_dict(),
            )
            return result
    raise BreakoutError(
        _("The groups kept changing while they were being allocated; try again in a moment.")
    )


def _save_groups(
    event: Event,
    result: allocation.Allocation,
    fixed_rows: dict[tuple[int, int], int],
    placed: dict[int, list[int]],
    theme_rows: dict[int, BreakoutTheme],
    progress: Callable[..., None] | None,
) -> None:
    existing = {g.pk: g for g in BreakoutGroup.objects.filter(event=event)}
    by_name = {g.name: g for g in existing.values() if g.pk not in placed}
    kept = set()
    for number, planned in enumerate(result.groups):
        if progress is not None:
            progress(number, len(result.groups), _("Saving the groups"))
        theme = theme_rows[planned.theme_id]
        row = fixed_rows.get((planned.theme_id, planned.number))
        if row is not None:
            group = existing[row]
        else:
            name = group_name(theme, planned.number)
            group = by_name.get(name) or BreakoutGroup(event=event, name=name)
        group.theme = theme
        group.facilitator_id = planned.facilitator_id
        group.note_taker_id = planned.note_taker_id
        group.save()
        group.members.set(planned.member_ids)
        group.placed_by_hand.set(placed.get(group.pk, []))
        kept.add(group.pk)
    for group in existing.values():
        if group.pk in kept:
            continue
        if group.contributions.exists():
            # Kept for its notes, but nobody is in it any more.
            group.members.clear()
            group.placed_by_hand.clear()
            group.facilitator = group.note_taker = None
            group.save(update_fields=["facilitator", "note_taker"])
        else:
            group.delete()


# --- allocation as background work ---------------------------------------------------------

ALLOCATION_RUNNER = "cairn.events.services.breakouts.run_allocation_job"


def allocation_jobs(event: Event) -> QuerySet[Job]:
    """The event's allocations started from its page, newest first."""
    return Job.objects.filter(runner=ALLOCATION_RUNNER, params__event_id=event.pk)


def start_allocation(event_id: int, *, actor: Any, start_over: bool = False) -> tuple[Job, bool]:
    """Queue the event's allocation; returns the job and whether this call started it.

    Allocating again keeps the people moved by hand where they are; `start_over` (which
    the page asks to have confirmed) allocates everyone afresh.

    Under the event's row lock, so of two coordinators pressing "Allocate" at once the
    second gets the first one's job instead of a second allocation. What would stop
    the allocation (no themes, nobody registered) is said here, before anything is
    queued; the job checks both again when it runs.
    """
    with transaction.atomic():
        event = _lock_event(event_id)
        running = allocation_jobs(event).filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
        if job := running.first():
            return job, False
        if not event.breakout_themes.exists():
            raise BreakoutError(_no_themes())
        if not event.registrations.filter(status=RegistrationStatus.REGISTERED).exists():
            raise BreakoutError(_nobody())
        user = actor if getattr(actor, "is_authenticated", False) else None
        # Started inside the lock: the queued task commits with it (the in-process
        # backend used by tests runs it here, still holding the lock).
        title = (
            _("Allocate everyone to breakout groups afresh for %(event)s")
            if start_over
            else _("Allocate breakout groups for %(event)s")
        )
        params: dict[str, Any] = {"event_id": event.pk, "user_id": user.pk if user else None}
        if start_over:
            params["start_over"] = True
        job = start_job(
            actor,
            title % {"event": event.title},
            ALLOCATION_RUNNER,
            params,
            next_url=reverse("events:breakouts", args=[event.pk]),
        )
    return job, True


def run_allocation_job(
    progress: Callable[..., None],
    event_id: int,
    user_id: int | None = None,
    start_over: bool = False,
) -> dict[str, Any]:
    """The job's runner. Run again (a retry, "Run it again"), it allocates again from the
    registrations and moves by hand as they are then: the groups are replaced, never
    added to."""
    actor = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    progress(0, None, _("Allocating"))
    result = allocate_event(event_id, actor=actor, start_over=start_over, progress=progress)
    return {
        "message": allocated_message(
            result.quality.participants,
            result.quality.groups,
            result.kept_by_hand,
            without_facilitator=result.quality.groups_without_facilitator,
        ),
        "next_url": reverse("events:breakouts", args=[event_id]),
        "people": result.quality.participants,
        "groups": result.quality.groups,
    }


def allocated_message(
    people: int, groups: int, kept_by_hand: int = 0, *, without_facilitator: int = 0
) -> str:
    message = _("Allocated %(people)s people into %(groups)s groups.") % {
        "people": people,
        "groups": groups,
    }
    if kept_by_hand:
        message += " " + moved_by_hand_message(kept_by_hand, done=True)
    if without_facilitator:
        # The page promises a facilitator in every group; say at once where it could not.
        message += " " + ngettext(
            "%(n)s group has no facilitator: choose more facilitators on the registrations "
            "page, then allocate again.",
            "%(n)s groups have no facilitator: choose more facilitators on the registrations "
            "page, then allocate again.",
            without_facilitator,
        ) % {"n": without_facilitator}
    return message


def moved_by_hand_message(count: int, *, done: bool = False) -> str:
    """What an allocation run again does with the people moved by hand, before or after."""
    if done:
        return ngettext(
            "%(n)s person moved by hand stayed where they were.",
            "%(n)s people moved by hand stayed where they were.",
            count,
        ) % {"n": count}
    return ngettext(
        "%(n)s person moved by hand stays where they are.",
        "%(n)s people moved by hand stay where they are.",
        count,
    ) % {"n": count}


def groups_of(event: Event) -> list[BreakoutGroup]:
    return list(
        BreakoutGroup.objects.filter(event=event)
        .select_related("theme", "facilitator", "note_taker")
        .prefetch_related(Prefetch("members", Person.objects.select_related("organisation")))
    )


def quality_of(event: Event) -> allocation.Quality:
    """The same figures as the allocation reports, for the groups as they are now.

    Empty rooms (kept only for the notes taken in them) are not groups any more.
    """
    groups = [
        allocation.Group(
            theme_id=g.theme_id,
            number=g.pk,
            member_ids=[m.pk for m in g.members.all()],
            facilitator_id=g.facilitator_id,
            note_taker_id=g.note_taker_id,
        )
        for g in groups_of(event)
        if g.members.all()
    ]
    return allocation.evaluate(participants_for(event), themes_for(event), groups)


def move_person(event: Event, person_id: int, group_id: int, *, actor: Any) -> BreakoutGroup:
    """Move someone into a group by hand; a facilitator moved out leaves their room without one."""
    with transaction.atomic():
        _lock_event(event.pk)
        target = BreakoutGroup.objects.filter(event=event, pk=group_id).first()
        if target is None:
            raise BreakoutError(_("That group is not part of this event."))
        registered = Registration.objects.filter(
            event=event, person_id=person_id, status=RegistrationStatus.REGISTERED
        ).exists()
        if not registered:
            raise BreakoutError(_("Only people registered for the event can join a group."))
        for group in BreakoutGroup.objects.filter(event=event, members__pk=person_id).exclude(
            pk=target.pk
        ):
            group.members.remove(person_id)
            group.placed_by_hand.remove(person_id)
            changed = []
            if group.facilitator_id == person_id:
                group.facilitator = None
                changed.append("facilitator")
            if group.note_taker_id == person_id:
                group.note_taker = None
                changed.append("note_taker")
            if changed:
                group.save(update_fields=changed)
        target.members.add(person_id)
        # Allocating again keeps them here.
        target.placed_by_hand.add(person_id)
        person = Person.objects.get(pk=person_id)
        audit.record(actor, "breakouts.moved", target, f"{person.full_name} moved to {target.name}")
    return target


def release_person(event: Event, person_id: int, *, actor: Any) -> bool:
    """Let the next allocation place someone moved by hand: they stay in their room until
    it runs. Returns whether they were held there."""
    with transaction.atomic():
        _lock_event(event.pk)
        groups = list(BreakoutGroup.objects.filter(event=event, placed_by_hand__pk=person_id))
        for group in groups:
            group.placed_by_hand.remove(person_id)
            audit.record(
                actor,
                "breakouts.released",
                group,
                f"person {person_id} no longer kept in {group.name}",
            )
    return bool(groups)


def set_group_lead(
    group: BreakoutGroup, person_id: int | None, *, role: str, actor: Any
) -> BreakoutGroup:
    """Make a group member its facilitator or note-taker (or clear the role with None)."""
    if role not in ("facilitator", "note_taker"):
        raise BreakoutError(_("Unknown group role."))
    with transaction.atomic():
        if person_id is not None and not group.members.filter(pk=person_id).exists():
            raise BreakoutError(_("Choose someone who is in this group."))
        setattr(group, f"{role}_id", person_id)
        group.save(update_fields=[role])
        audit.record(actor, f"breakouts.{role}", group, f"{role} of {group.name}: {person_id}")
    return group


def export_zoom_csv(event: Event) -> tuple[str, list[str]]:
    """The pre-assignment CSV (room name, email) and the names left out for having no email."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ZOOM_CSV_HEADER)
    without_email = []
    for group in groups_of(event):
        for person in sorted(group.members.all(), key=lambda p: p.pk):
            if person.email:
                writer.writerow([_csv_safe(group.name), _csv_safe(person.email)])
            else:
                without_email.append(person.full_name)
    return out.getvalue(), without_email


def _csv_safe(value: str) -> str:
    # Spreadsheets run cells that start with these as formulas.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def add_theme(
    event: Event, *, name: str, description: str, room_capacity: int, actor: Any
) -> BreakoutTheme:
    """A breakout theme at the end of the event's list; a name used twice is refused."""
    try:
        with transaction.atomic():
            theme = BreakoutTheme.objects.create(
                event=event,
                name=name.strip(),
                description=description,
                room_capacity=room_capacity,
                position=event.breakout_themes.count(),
            )
            audit.record(actor, "breakouts.theme_added", theme, theme.name)
    except IntegrityError as exc:
        raise BreakoutError(_("This event already has a theme with that name.")) from exc
    return theme
