"""The letter queue: queued letters gathered into a batch to print, then posted."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.core import audit
from cairn.members.models import (
    Channel,
)
from cairn.outreach.models import (
    Delivery,
    DeliveryStatus,
    LetterBatch,
)
from cairn.outreach.services.errors import OutreachError


def queued_letters():
    return Delivery.objects.filter(
        channel=Channel.POST, status=DeliveryStatus.QUEUED, batch__isnull=True
    )


@transaction.atomic
def create_letter_batch(user: Any, deliveries: Iterable[Delivery] | None = None) -> LetterBatch:
    """Gather queued letters into a batch to print; raise when there is nothing to print."""
    qs = queued_letters().select_for_update()
    if deliveries is not None:
        qs = qs.filter(pk__in=[d.pk for d in deliveries])
    ids = list(qs.values_list("pk", flat=True))
    if not ids:
        raise OutreachError(_("There are no letters waiting to be printed."))
    batch = LetterBatch.objects.create(created_by=user if user and user.is_authenticated else None)
    Delivery.objects.filter(pk__in=ids).update(batch=batch)
    audit.record(user, "outreach.letters_batched", batch, f"{len(ids)} letters batched")
    return batch


@transaction.atomic
def mark_batch_posted(batch: LetterBatch, user: Any) -> int:
    now = timezone.now()
    n = batch.letters.filter(status=DeliveryStatus.QUEUED).update(
        status=DeliveryStatus.SENT, sent_at=now, attempts=1
    )
    batch.posted_at = now
    batch.save(update_fields=["posted_at"])
    audit.record(user, "outreach.letters_posted", batch, f"{n} letters posted")
    return n
