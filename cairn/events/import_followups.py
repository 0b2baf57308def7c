"""The member import offers to register an Eventbrite report's attendees for an event;
events tells it how (the same as `cairn register-attendees`)."""

from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cairn.events.models import Event, EventStatus
from cairn.events.services.attendee_import import register_people
from cairn.events.services.registration import places_taken
from cairn.members.followups import FollowupResult, ImportFollowup, register_followup


def _open_events() -> list[tuple[str, str]]:
    choices = []
    for event in Event.objects.filter(status=EventStatus.OPEN).order_by("starts_at", "pk"):
        left = None if event.capacity is None else max(event.capacity - places_taken(event), 0)
        when = formats.date_format(event.starts_at, "j M Y")
        room = _("no limit") if left is None else _("%(n)s places left") % {"n": left}
        choices.append((str(event.pk), f"{event.title} ({when}; {room})"))
    return choices


def _register(target: str, person_ids: list[int], actor: Any, filename: str) -> FollowupResult:
    event = Event.objects.get(pk=int(target))
    done = register_people(event, person_ids, actor=actor, filename=filename)
    return FollowupResult(
        summary=_(
            "registered for %(event)s: %(registered)s, on the waiting list: %(waitlisted)s, "
            "already registered: %(already)s"
        )
        % {
            "event": event.title,
            "registered": done.registered,
            "waitlisted": done.waitlisted,
            "already": done.already,
        },
        errors=done.errors,
    )


register_followup(
    ImportFollowup(
        key="register",
        label=gettext_lazy("Also register these attendees for an event"),
        presets=frozenset({"Eventbrite attendee report"}),
        choices=_open_events,
        apply=_register,
    )
)
