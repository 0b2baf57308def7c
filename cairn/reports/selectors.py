"""Reads of reports that other apps' pages show (an event's page, the public event page)."""

from django.db.models import Q, QuerySet

from cairn.events.models import Event
from cairn.reports.models import Report


def reports_for_event(event: Event) -> QuerySet[Report]:
    """The event's own reports and the briefings that draw on it: event reports first."""
    return (
        Report.objects.filter(Q(event=event) | Q(events=event))
        .distinct()
        .order_by("kind", "-created_at", "-id")
    )


def published_reports_for_event(event: Event) -> QuerySet[Report]:
    """Those anyone may read, with or without a login."""
    return reports_for_event(event).filter(published_doc__isnull=False)
