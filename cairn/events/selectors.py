"""Reads for events: which events a user may see."""

from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from cairn.core.roles import Role, role_of
from cairn.events.models import Event, EventStatus, Registration, RegistrationStatus


def visible_events(user: Any, *, counted: bool = True) -> QuerySet[Event]:
    """Events the user may see. `counted` annotates `registered_count` (a count over the
    registrations), which lists and pages show; a registration POST leaves it out."""
    qs = Event.objects.order_by("-starts_at", "pk")
    if counted:
        qs = qs.annotate(
            registered_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
            )
        )
    return qs if _sees_drafts(user) else qs.exclude(status=EventStatus.DRAFT)


def with_my_place(qs: QuerySet[Event], user: Any) -> QuerySet[Event]:
    """Annotates `my_status`: the user's own registration status on each event (registered
    or waitlisted), None where they hold none. A member's home and event list say "You have
    a place" on the card; a full event's "waiting list open" alone read as if they had none."""
    mine = Registration.objects.filter(event=OuterRef("pk"), person__user_id=user.pk).exclude(
        status=RegistrationStatus.CANCELLED
    )
    return qs.annotate(my_status=Subquery(mine.values("status")[:1]))


def visible_event(user: Any, pk: int) -> Event | None:
    """The event `visible_events(user, counted=False)` would find by its pk. Only a draft
    needs the user's role (a query) to tell: every other event is everyone's to see."""
    event = Event.objects.filter(pk=pk).first()
    if event is None:
        return None
    if event.status == EventStatus.DRAFT and not _sees_drafts(user):
        return None
    return event


def _sees_drafts(user: Any) -> bool:
    """Drafts are the coordinators' until they open; every other event is everyone's."""
    return role_of(user) == Role.COORDINATOR
