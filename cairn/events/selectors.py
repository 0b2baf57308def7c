"""Reads for events: which events a user may see."""

from typing import Any

from django.db.models import Count, Q, QuerySet

from cairn.core.roles import Role, role_of
from cairn.events.models import Event, EventStatus, RegistrationStatus


def visible_events(user: Any) -> QuerySet[Event]:
    qs = Event.objects.annotate(
        registered_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
        )
    ).order_by("-starts_at", "pk")
    if role_of(user) == Role.COORDINATOR:
        return qs
    return qs.exclude(status=EventStatus.DRAFT)
