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


def save_event(
    fields: dict[str, Any],
    agenda: Sequence[AgendaLine] | None,
    *,
    actor: Any,
    event_id: int | None = None,
) -> Event:
    """Create an event, or update one; the agenda given replaces the old one.

    Raising the capacity (or lifting it) promotes people from the waiting list.
    Cancelling goes through `cancel_event`, which tells everyone.
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
