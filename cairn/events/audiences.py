"""Outreach can write to everyone registered for an event; events tells it how."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cairn.events.models import Event, RegistrationStatus
from cairn.events.notices import merge_context
from cairn.members.models import Person
from cairn.outreach.audience import AudienceSource, register_source


def _registered(event: Event) -> QuerySet[Person]:
    return Person.objects.filter(
        registrations__event=event,
        registrations__status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED],
    )


register_source(
    AudienceSource(
        key="event",
        label=_("Registered for event"),
        empty_label=_("Anyone"),
        choices=Event.objects.all,
        people=_registered,
        describe=lambda event: f"registered for {event.title}",
        merge_context=merge_context,
    )
)
