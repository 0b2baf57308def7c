"""What visitors may read: public events with their head count, and how to reach the network.

Shared by the visitor pages here and the home page (`cairn.site`), which shows visitors
the same upcoming events and contact details."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cairn.consultations.models import Consultation, ConsultationStatus
from cairn.core.network import network
from cairn.events.models import Event, EventStatus, RegistrationStatus

PUBLIC_STATUSES = [EventStatus.OPEN, EventStatus.CLOSED, EventStatus.CANCELLED]


def contact() -> dict:
    net = network()
    return {
        "phone": net.phone,
        "email": net.email,
        "postal_address": net.postal_address,
        "about": net.about,
    }


def public_events() -> QuerySet[Event]:
    return Event.objects.filter(status__in=PUBLIC_STATUSES).annotate(
        registered_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
        )
    )


def public_consultations() -> QuerySet[Consultation]:
    """Consultations anyone may answer without logging in, as the consultations list shows
    them to visitors."""
    return (
        Consultation.objects.filter(status=ConsultationStatus.OPEN, allow_anonymous=True)
        .exclude(closes_on__lt=timezone.localdate())  # the closing date has gone by
        .select_related("asked_by")
    )
