"""Registering, cancelling and the waiting list.

Concurrency: every change of a registration's status for an event runs inside one
transaction that first locks the event row (`select_for_update`). On PostgreSQL
that queues concurrent registrations for the same event one behind the other, so
the count of places taken is always read after the previous writer committed.
SQLite ignores FOR UPDATE, but the settings open every transaction with
BEGIN IMMEDIATE (`transaction_mode`), which takes the database's write lock at
the start: the same one-at-a-time order, for the whole file. The unique
constraint on (event, person) is the last line against doubles.
"""

import functools
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.core import audit
from cairn.events import tasks
from cairn.events.models import (
    BreakoutGroup,
    BreakoutPreference,
    BreakoutRole,
    Event,
    EventStatus,
    Registration,
    RegistrationChannel,
    RegistrationStatus,
)
from cairn.lib.sql import col, first_row, table
from cairn.members import services as member_services
from cairn.members.models import Channel, ConsentMethod, ConsentPurpose, Person


class RegistrationError(ValueError):
    pass


def _lock_event(event_id: int) -> Event:
    return Event.objects.select_for_update().get(pk=event_id)


def places_taken(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def _after_commit(task: Any, *args: Any) -> None:
    transaction.on_commit(lambda: task.enqueue(*args))


def register(
    event_id: int,
    person: Person,
    *,
    channel: str = RegistrationChannel.WEB,
    entered_by: Any = None,
    access_needs: str = "",
    preferences: Sequence[int] = (),
    checked_unchanged: bool = False,
) -> Registration:
    """Register a person, or put them on the waiting list when the event is full.

    Registering twice is harmless: the person keeps their registration (or their
    place in the queue) and only their access needs and preferences are updated.
    A cancelled registration comes back at the end of the queue.

    `checked_unchanged`: the caller has just asked repeated_registration, for this person's
    login and these same access needs and preferences, and registering would change
    something; the lock-free check is not run twice (the locked path is right either way).
    """
    if channel not in RegistrationChannel.values:
        raise RegistrationError(_("Unknown registration channel."))
    if channel != RegistrationChannel.WEB and not getattr(entered_by, "is_authenticated", False):
        raise RegistrationError(_("Registrations by phone, letter or email are entered by staff."))
    if not checked_unchanged:
        unchanged = _unchanged_registration(event_id, person, access_needs, preferences)
        if unchanged is not None:
            return unchanged
    try:
        with transaction.atomic():
            event = _lock_event(event_id)
            if event.status != EventStatus.OPEN:
                raise RegistrationError(
                    _("Registration for this event is not open (%(status)s).")
                    % {"status": event.get_status_display()}
                )
            ranked = _clean_preferences(preferences, event)
            now = timezone.now()
            found, taken = _held_and_taken(event.pk, person.pk)
            registration = None if found is None else Registration.objects.get(pk=found)
            is_new = registration is None or registration.status == RegistrationStatus.CANCELLED
            if registration is None:
                registration = Registration(event=event, person=person)
            if is_new:
                full = event.capacity is not None and taken >= event.capacity
                registration.status = (
                    RegistrationStatus.WAITLISTED if full else RegistrationStatus.REGISTERED
                )
                registration.queued_at = now
                registration.cancelled_at = None
                registration.promoted_at = None
                registration.channel = channel
                registration.entered_by = (
                    entered_by if getattr(entered_by, "is_authenticated", False) else None
                )
            registration.access_needs = access_needs.strip()[:2000]
            registration.save()
            if ranked or not is_new:
                registration.preferences.all().delete()
            BreakoutPreference.objects.bulk_create(
                BreakoutPreference(registration=registration, theme_id=theme_id, rank=rank)
                for rank, theme_id in enumerate(ranked, start=1)
            )
            audit.record(
                entered_by or person.user,
                "registration.created" if is_new else "registration.updated",
                registration,
                f"{person.full_name}: {registration.get_status_display()} for {event.title}"
                + (
                    f" ({registration.get_channel_display()}, entered by staff)"
                    if registration.entered_by_id
                    else ""
                ),
                status=registration.status,
                channel=registration.channel,
            )
            if is_new:
                _after_commit(tasks.send_registration_notice, registration.pk)
    except IntegrityError:
        # Two requests for the same person raced past the lookup; the first one won.
        registration = Registration.objects.get(event_id=event_id, person=person)
    return registration


# How staff heard from someone is also how that person gave their consent.
CONSENT_METHOD_BY_CHANNEL = {
    RegistrationChannel.PHONE: ConsentMethod.PHONE,
    RegistrationChannel.POST: ConsentMethod.POST,
    RegistrationChannel.EMAIL: ConsentMethod.EMAIL,
    RegistrationChannel.WEB: ConsentMethod.WEB,
}


def register_new_person(
    event_id: int,
    details: dict[str, Any],
    *,
    channel: str,
    entered_by: Any,
    consents: Sequence[str] = (),
    access_needs: str = "",
    preferences: Sequence[int] = (),
) -> Registration:
    """Add someone not yet on file (who phoned or wrote) and register them, all or nothing."""
    with transaction.atomic():
        _lock_event(event_id)
        person = member_services.create_person(
            details,
            entered_by,
            consents=consents,
            consent_method=CONSENT_METHOD_BY_CHANNEL.get(channel, ConsentMethod.WEB),
            source=_("registered by staff"),
        )
        return register(
            event_id,
            person,
            channel=channel,
            entered_by=entered_by,
            access_needs=access_needs,
            preferences=preferences,
        )


def register_visitor(
    event_id: int,
    details: dict[str, Any],
    *,
    consents: Sequence[str] = (),
    access_needs: str = "",
    preferences: Sequence[int] = (),
) -> tuple[Registration, bool]:
    """A visitor without an account registers on the public page.

    Someone already on file with the same email is matched, not duplicated; their
    details on file are not changed from an anonymous form, only the consents given
    now are added. Returns the registration and whether the person was new. The event
    row is locked first, so two identical submissions cannot both create a person."""
    with transaction.atomic():
        _lock_event(event_id)
        email = (details.get("email") or "").strip()
        person = None
        if email:
            person = (
                Person.objects.filter(email__iexact=email, anonymised_at__isnull=True)
                .order_by("archived_at", "pk")
                .first()
            )
        created = person is None
        if created:
            details = dict(details)
            details.setdefault("preferred_channel", Channel.EMAIL if email else Channel.PHONE)
            person = member_services.create_person(
                details,
                None,
                consents=consents,
                consent_method=ConsentMethod.WEB,
                source=_("public registration"),
            )
        else:
            given = set(person.consents.filter(granted=True).values_list("purpose", flat=True))
            for purpose in consents:
                if purpose not in given and purpose in ConsentPurpose.values:
                    member_services.set_consent(
                        person, purpose, granted=True, method=ConsentMethod.WEB, user=None
                    )
        registration = register(
            event_id,
            person,
            channel=RegistrationChannel.WEB,
            access_needs=access_needs,
            preferences=preferences,
        )
        return registration, created


def _held_and_taken(event_id: int, person_id: int) -> tuple[int | None, int]:
    """The person's registration for the event (its pk, whatever its status) and the
    places taken (places_taken), in one query: read with the event locked, each query there
    makes every other registration for the event wait a little longer."""
    found, taken = first_row(
        _held_and_taken_sql(), [event_id, person_id, event_id, RegistrationStatus.REGISTERED]
    )
    return found, taken


@functools.cache
def _held_and_taken_sql() -> str:
    # Written out: it runs inside the lock for every new registration (the ORM compiled
    # two queries there). Names come from the model, so they follow it.
    r = Registration
    return f"""
        SELECT
            (SELECT r.{col(r, "id")} FROM {table(r)} r
             WHERE r.{col(r, "event")} = %s AND r.{col(r, "person")} = %s),
            (SELECT COUNT(*) FROM {table(r)} r
             WHERE r.{col(r, "event")} = %s AND r.{col(r, "status")} = %s)
    """  # noqa: S608 - names from the models' metadata, quoted; every value a parameter


def _unchanged_registration(
    event_id: int, person: Person, access_needs: str, preferences: Sequence[int]
) -> Registration | None:
    """The person's registration when registering again would change nothing, else None.

    A double click, a second tab or a retried POST repeats a registration that is already
    there. Read without the event's lock, such a repeat answers at once: it neither queues
    behind other people's registrations for the same event (the lock serialises those) nor
    writes an audit entry for a change that did not happen. Anything new (a first
    registration, a cancelled one coming back, other access needs or preferences) takes
    the locked path below.
    """
    found = _unchanged(event_id, "person", person.pk, access_needs, preferences)
    return None if found is None else Registration.objects.get(pk=found[0])


def repeated_registration(
    event_id: int, user: Any, access_needs: str, preferences: Sequence[int]
) -> str | None:
    """The status of the signed-in user's own registration when registering again would
    change nothing; None: take the full path (`register`).

    What `register` answers first, found by the login alone: a member's repeated POST (most
    of the registration POSTs when places are scarce) needs neither their person, nor the
    event and its themes, nor the form built from them.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    found = _unchanged(event_id, "user", user.pk, access_needs, preferences)
    return None if found is None else found[1]


def _unchanged(
    event_id: int, by: str, who: int, access_needs: str, preferences: Sequence[int]
) -> tuple[int, str] | None:
    """The pk and status of the registration for the event, found by its person or its
    person's login ("person", "user"), when registering again would change nothing."""
    found = first_row(
        _repeat_sql(by), [event_id, who, RegistrationStatus.CANCELLED, EventStatus.OPEN]
    )
    if found is None:
        return None
    pk, kept_status, kept_needs, has_preferences = found
    if kept_needs != access_needs.strip()[:2000]:
        return None
    wanted = _ranked(preferences)
    if wanted:
        had = BreakoutPreference.objects.filter(registration_id=pk).order_by("rank")
        if wanted != list(had.values_list("theme_id", flat=True)):
            return None
    elif has_preferences:
        return None
    return pk, kept_status


@functools.cache
def _repeat_sql(by: str) -> str:
    # Written out, not built with the ORM: it answers most of the registration POSTs when
    # places are scarce (50 a second at a busy opening), and compiling it through the ORM
    # cost several times the query. Names come from the models, so they follow them.
    r, p, e, b = Registration, Person, Event, BreakoutPreference
    whose = {"person": f"r.{col(r, 'person')}", "user": f"p.{col(p, 'user')}"}[by]
    return f"""
        SELECT r.{col(r, "id")}, r.{col(r, "status")}, r.{col(r, "access_needs")},
            EXISTS (
                SELECT 1 FROM {table(b)} b WHERE b.{col(b, "registration")} = r.{col(r, "id")}
            )
        FROM {table(r)} r
        JOIN {table(p)} p ON p.{col(p, "id")} = r.{col(r, "person")}
        JOIN {table(e)} e ON e.{col(e, "id")} = r.{col(r, "event")}
        WHERE r.{col(r, "event")} = %s AND {whose} = %s
        AND r.{col(r, "status")} <> %s AND e.{col(e, "status")} = %s
    """  # noqa: S608 - names from the models' metadata, quoted; every value a parameter


def _ranked(preferences: Sequence[int]) -> list[int]:
    """Theme ids in the order given, blanks (unranked choices on the form) left out."""
    return [int(theme_id) for theme_id in preferences if theme_id not in (None, "")]


def _clean_preferences(preferences: Sequence[int], event: Event) -> list[int]:
    wanted = _ranked(preferences)
    if not wanted:
        return []  # nothing to check against the event's themes, so they are not read
    themes = set(event.breakout_themes.values_list("pk", flat=True))
    ranked: list[int] = []
    for theme_id in wanted:
        if theme_id not in themes:
            raise RegistrationError(_("That breakout theme is not part of this event."))
        if theme_id in ranked:
            raise RegistrationError(_("Each theme can be ranked only once."))
        ranked.append(theme_id)
    return ranked


def cancel(registration_id: int, *, actor: Any) -> Registration:
    """Cancel a registration; a freed place goes to the first person waiting."""
    with transaction.atomic():
        registration = Registration.objects.select_related("event", "person").get(
            pk=registration_id
        )
        event = _lock_event(registration.event_id)
        registration.refresh_from_db()
        if registration.status == RegistrationStatus.CANCELLED:
            return registration
        freed = registration.status == RegistrationStatus.REGISTERED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        audit.record(
            actor,
            "registration.cancelled",
            registration,
            f"{registration.person.full_name} cancelled for {event.title}",
        )
        _leave_groups(event, registration.person_id)
        if freed:
            promote_waiting(event)
    return registration


def _leave_groups(event: Event, person_id: int) -> None:
    for group in BreakoutGroup.objects.filter(event=event, members__pk=person_id):
        group.members.remove(person_id)
        group.placed_by_hand.remove(person_id)
        if group.facilitator_id == person_id:
            group.facilitator = None
        if group.note_taker_id == person_id:
            group.note_taker = None
        group.save(update_fields=["facilitator", "note_taker"])


def waiting_list(event: Event):
    """People waiting, first come first served (rows made outside `register` count from creation)."""
    return (
        event.registrations.filter(status=RegistrationStatus.WAITLISTED)
        .annotate(joined=Coalesce("queued_at", "created_at"))
        .order_by("joined", "pk")
    )


def promote_waiting(event: Event) -> list[Registration]:
    """Fill free places from the waiting list, in order. Call with the event locked.

    Nobody is promoted once the event is over: a place freed by tidying the list after
    the day is no place at all, and the notice would offer one."""
    if event.status in (EventStatus.CANCELLED,) or event.has_ended:
        return []
    free = None if event.capacity is None else event.capacity - places_taken(event)
    waiting = waiting_list(event)
    if free is not None:
        waiting = waiting[: max(free, 0)]
    promoted = []
    now = timezone.now()
    for registration in waiting.select_related("person"):
        registration.status = RegistrationStatus.REGISTERED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        audit.record(
            None,
            "registration.promoted",
            registration,
            f"{registration.person.full_name} promoted from the waiting list for {event.title}",
        )
        _after_commit(tasks.send_promotion_notice, registration.pk)
        promoted.append(registration)
    return promoted


def set_breakout_role(registration_id: int, role: str, *, actor: Any) -> Registration:
    if role not in BreakoutRole.values:
        raise RegistrationError(_("Unknown breakout role."))
    with transaction.atomic():
        registration = Registration.objects.select_related("person", "event").get(
            pk=registration_id
        )
        registration.breakout_role = role
        registration.save(update_fields=["breakout_role"])
        audit.record(
            actor,
            "registration.breakout_role",
            registration,
            f"{registration.person.full_name}: {registration.get_breakout_role_display()}",
        )
    return registration
