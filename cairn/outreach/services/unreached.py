"""Deliveries a coordinator must look at: dealt with, or sent again."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cairn.core import audit
from cairn.members.models import (
    Channel,
)
from cairn.outreach.models import (
    Delivery,
    DeliveryAttachment,
    DeliveryStatus,
)
from cairn.outreach.services.deliveries import _build_delivery
from cairn.outreach.services.errors import OutreachError
from cairn.outreach.services.sending import send_email_delivery


def not_reached():
    """Deliveries a coordinator must look at: not reached, or interrupted while sending."""
    return Delivery.objects.filter(status__in=[DeliveryStatus.NOT_REACHED, DeliveryStatus.UNKNOWN])


@transaction.atomic
def resolve_delivery(delivery: Delivery, user: Any, note: str = "") -> Delivery:
    delivery.status = DeliveryStatus.RESOLVED
    delivery.reason = (note or _("Dealt with by the coordinator"))[:300]
    delivery.save(update_fields=["status", "reason"])
    audit.record(user, "outreach.not_reached_resolved", delivery, delivery.reason)
    return delivery


def retry_delivery(delivery: Delivery, user: Any) -> Delivery:
    """Send again to a not-reached person by their (perhaps corrected) preferred channel."""
    person = delivery.person
    if person is None:
        raise OutreachError(_("This person's details were erased."))
    person.refresh_from_db()
    attachments = list(delivery.attachments.all())
    with transaction.atomic():
        fresh = _build_delivery(
            person,
            subject=delivery.subject,
            body=delivery.body,
            purpose=delivery.purpose,
            about=delivery.about,
            merge=None,  # the subject and text were filled when first sent
            html_body=delivery.html_body or None,
            sender=user,
            message=delivery.message,
        )
        fresh.save()
        if attachments and fresh.status != DeliveryStatus.NOT_REACHED:
            # The same stored files: nothing to read, hash or store again.
            DeliveryAttachment.objects.bulk_create(
                DeliveryAttachment(
                    delivery=fresh,
                    filename=a.filename,
                    mimetype=a.mimetype,
                    file=a.file.name,
                    sha256=a.sha256,
                )
                for a in attachments
            )
        delivery.status = DeliveryStatus.RESOLVED
        delivery.reason = _("Sent again as delivery %(pk)d") % {"pk": fresh.pk}
        delivery.save(update_fields=["status", "reason"])
        audit.record(user, "outreach.retried", delivery, delivery.reason)
    if fresh.channel == Channel.EMAIL and fresh.status == DeliveryStatus.QUEUED:
        send_email_delivery(fresh)
    return fresh
