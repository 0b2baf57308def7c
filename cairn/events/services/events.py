"""Creating, editing and cancelling events."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction

from cairn.core import audit
from cairn.events import tasks
from cairn.events.models import AgendaItem, Event, EventStatus
from cairn.events.services.registration import _lock_event, promote_waiting
from cairn.members.models import Person


@dataclass(frozen=True)
class AgendaLine:
    title: str
    starts_at: datetime | None = None
    speaker: Person | None = None
    description: str = ""


EVENT_FIELDS = (
    "title",
    "summary",
    "description",
    "starts_at",
    "ends_at",
    "timezone",
    "format",
    "video_link",
    "dial_in",
    "venue",
    "capacity",
    "status",
    "organiser",
)


# What an .ics shows; a change to any of these is a new SEQUENCE.
CALENDAR_FIELDS = (
    "title",
    "summary",
    "description",
    "starts_at",
    "ends_at",
    "timezone",
    "venue",
    "video_link",
    "dial_in",
    "status",
)


def _calendar_view(event: Event) -> tuple:
    return tuple(getattr(event, name) for name in CALENDAR_FIELDS)


# What people need to turn up: a change to any of these is worth telling them.
WHEN_AND_WHERE = ("starts_at", "ends_at", "video_link", "dial_in", "venue")


def _when_and_where(event: Event) -> tuple:
    # To the minute, as the form writes times: an event stored with seconds (made by a
    # script or the demo) is not "moved" by being saved from the form unchanged.
    return tuple(
        value.replace(second=0, microsecond=0) if isinstance(value, datetime) else value
        for value in (getattr(event, name) for name in WHEN_AND_WHERE)
    )


def save_event(
    fields: dict[str, Any],
    agenda: Sequence[AgendaLine] | None,
    *,
    actor: Any,
    event_id: int | None = None,
    tell_registered: bool = False,
) -> Event:
    """Create an event, or update one; the agenda given replaces the old one.

    Raising the capacity (or lifting it) promotes people from the waiting list. A new
    time, link, dial-in or venue is told to everyone registered or waiting when
    `tell_registered` (each by their channel); a new start time makes the reminder due
    again. Cancelling goes through `cancel_event`, which tells everyone.
    """
    with transaction.atomic():
        if event_id is None:
            event = Event(**{k: v for k, v in fields.items() if k in EVENT_FIELDS})
            if event.status == EventStatus.CANCELLED:
                event.status = EventStatus.DRAFT
            event.save()
            action = "event.created"
        else:
            event = _lock_event(event_id)
            shown_before = _calendar_view(event)
            where_before = _when_and_where(event)
            for key, value in fields.items():
                if key in EVENT_FIELDS and key != "status":
                    setattr(event, key, value)
            new_status = fields.get("status", event.status)
            if new_status != EventStatus.CANCELLED and event.status != EventStatus.CANCELLED:
                event.status = new_status
            if _calendar_view(event) != shown_before:
                event.calendar_sequence += 1  # calendars replace the entry they hold
            event.save()
            action = "event.updated"
            if _when_and_where(event)[0] != where_before[0]:
                # The reminder sent for the old day says nothing true about the new one.
                event.registrations.update(reminder_sent_at=None)
            moved = _when_and_where(event) != where_before
            if (
                moved
                and tell_registered
                and event.status != EventStatus.CANCELLED
                and not event.has_ended
            ):
                transaction.on_commit(lambda: tasks.send_change_notices.enqueue(event.pk))
        if agenda is not None:
            event.agenda_items.all().delete()
            AgendaItem.objects.bulk_create(
                AgendaItem(
                    event=event,
                    position=position,
                    title=line.title,
                    starts_at=line.starts_at,
                    speaker=line.speaker,
                    description=line.description,
                )
                for position, line in enumerate(agenda)
            )
        audit.record(actor, action, event, event.title)
        if event_id is not None and event.status == EventStatus.OPEN:
            promote_waiting(event)
    return event


def cancel_event(event_id: int, *, actor: Any, reason: str = "") -> Event:
    """Cancel an event and tell everyone registered or waiting, each by their channel."""
    with transaction.atomic():
        event = _lock_event(event_id)
        if event.status == EventStatus.CANCELLED:
            return event
        event.status = EventStatus.CANCELLED
        event.calendar_sequence += 1
        event.save(update_fields=["status", "calendar_sequence"])
        audit.record(actor, "event.cancelled", event, event.title, reason=reason[:500])
        transaction.on_commit(lambda: tasks.send_cancellation_notices.enqueue(event.pk, reason))
    return event
