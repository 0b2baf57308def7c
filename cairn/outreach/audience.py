"""Audiences: who a message goes to, chosen by sector, region, event and channel."""

from dataclasses import asdict, dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from cairn.core import audit
from cairn.events.models import Event, RegistrationStatus
from cairn.members.models import Channel, Person, Sector
from cairn.outreach.models import Message


@dataclass
class Audience:
    sector: str = ""
    region: str = ""
    event: int | None = None
    channel: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Audience":
        event = data.get("event")
        return cls(
            sector=data.get("sector", "") if data.get("sector") in Sector.values else "",
            region=(data.get("region") or "").strip(),
            event=int(event) if event not in (None, "") else None,
            channel=data.get("channel", "") if data.get("channel") in Channel.values else "",
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def people(self) -> QuerySet[Person]:
        qs = Person.objects.filter(
            anonymised_at__isnull=True, archived_at__isnull=True
        ).select_related("organisation", "user")
        if self.sector:
            qs = qs.filter(Q(sector=self.sector) | Q(sector="", organisation__sector=self.sector))
        if self.region:
            qs = qs.filter(
                Q(region__iexact=self.region) | Q(organisation__region__iexact=self.region)
            )
        if self.event:
            qs = qs.filter(
                registrations__event_id=self.event,
                registrations__status__in=[
                    RegistrationStatus.REGISTERED,
                    RegistrationStatus.WAITLISTED,
                ],
            )
        if self.channel:
            qs = qs.filter(preferred_channel=self.channel)
        return qs.distinct().order_by("last_name", "first_name", "pk")

    def label(self) -> str:
        parts = []
        if self.sector:
            parts.append(str(Sector(self.sector).label))
        if self.region:
            parts.append(self.region)
        if self.event:
            event = Event.objects.filter(pk=self.event).first()
            if event:
                parts.append(f"registered for {event.title}")
        if self.channel:
            parts.append(f"prefers {Channel(self.channel).label}")
        return ", ".join(parts) or "Everyone"


@transaction.atomic
def create_message(
    *, subject: str, body: str, purpose: str, audience: Audience, user: Any
) -> Message:
    event = Event.objects.filter(pk=audience.event).first() if audience.event else None
    message = Message.objects.create(
        subject=subject.strip(),
        body=body.strip(),
        purpose=purpose,
        event=event,
        audience=audience.as_dict(),
        audience_label=audience.label()[:300],
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    audit.record(user, "outreach.message_created", message, message.subject)
    return message


def send_message(message_id: int, user_id: int | None = None) -> int:
    """Deliver a composed message to its audience; sending twice sends nothing new."""
    from cairn.outreach.services import notify_many

    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message_id)
        if message.sent_at is not None:
            return 0
        message.sent_at = timezone.now()
        message.save(update_fields=["sent_at"])
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    people = Audience.from_dict(message.audience).people()
    deliveries = notify_many(
        people,
        subject=message.subject,
        body=message.body,
        purpose=message.purpose,
        event=message.event,
        sender=user,
        message=message,
    )
    audit.record(user, "outreach.message_sent", message, f"{len(deliveries)} deliveries")
    return len(deliveries)
