"""Messages for people who read them on their Cairn page."""

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from cairn.core import audit
from cairn.members.models import (
    Channel,
    Person,
)
from cairn.outreach.models import (
    Delivery,
    DeliveryStatus,
)


def mark_seen(person: Person, delivery_ids: Iterable[int], actor: Any) -> int:
    """The person read these web messages (their own, delivered); returns how many were new.

    A POST from the inbox's button, never the page's GET: opening a page changes nothing.
    """
    seen = Delivery.objects.filter(
        pk__in=list(delivery_ids),
        person=person,
        channel=Channel.WEB,
        status=DeliveryStatus.DELIVERED,
        seen_at__isnull=True,
    ).update(seen_at=timezone.now())
    if seen:
        audit.record(actor, "outreach.messages_seen", person, f"{seen} web messages read")
    return seen
