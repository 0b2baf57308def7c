"""Which contributions a user may read. Every view goes through here."""

from typing import Any

from django.db.models import Q, QuerySet

from cairn.contributions.models import Contribution
from cairn.core.roles import Role, role_of
from cairn.events.models import Event


def facilitated_events(user: Any) -> QuerySet[Event]:
    person = getattr(user, "person", None)
    if person is None:
        return Event.objects.none()
    return Event.objects.filter(
        Q(breakout_groups__facilitator=person) | Q(breakout_groups__note_taker=person)
    ).distinct()


def visible_contributions(user: Any) -> QuerySet[Contribution]:
    role = role_of(user)
    qs = Contribution.objects.select_related("author", "theme", "event", "entered_by")
    if role == Role.COORDINATOR:
        return qs
    if role == Role.FACILITATOR:
        person = getattr(user, "person", None)
        own = Q(author=person) if person else Q(pk__in=[])
        return qs.filter(Q(event__in=facilitated_events(user)) | own)
    if role == Role.MEMBER:
        person = getattr(user, "person", None)
        return qs.filter(author=person) if person else qs.none()
    return qs.none()
