"""One message to people by the channel each chose: a delivery per person, recorded as
not reached (with the reason) when consent or an address is missing.
"""

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.lib import storage
from cairn.members.models import (
    AccessNeed,
    Channel,
    ConsentPurpose,
    Person,
)
from cairn.outreach.merge import fill, merge_values
from cairn.outreach.models import (
    Delivery,
    DeliveryAttachment,
    DeliveryStatus,
    Message,
)
from cairn.outreach.services.consent import channel_problem, consented
from cairn.outreach.services.errors import OutreachError
from cairn.outreach.services.sending import _send_emails


def _address_for(person: Person, channel: str) -> str:
    return {
        Channel.EMAIL: person.email,
        Channel.PHONE: person.phone,
        Channel.POST: person.postcode or person.address.splitlines()[0] if person.address else "",
        Channel.WEB: person.user.get_username() if person.user_id else "",
    }.get(channel, "")[:300]


def _build_delivery(
    person: Person,
    *,
    subject: str,
    body: str,
    purpose: str,
    about: models.Model | None,
    merge: Mapping[str, str] | None,
    html_body: str | None,
    sender: Any,
    message: Message | None,
) -> Delivery:
    if purpose not in ConsentPurpose.values:
        raise OutreachError(f"Unknown purpose {purpose!r}.")
    values = merge_values(person, merge)
    channel = person.preferred_channel
    delivery = Delivery(
        person=person,
        message=message,
        channel=channel,
        purpose=purpose,
        subject=fill(subject, values)[:200],
        body=fill(body, values),
        html_body=fill(html_body, values, html=True) if html_body else "",
        about=about,
        sender=sender if getattr(sender, "is_authenticated", False) else None,
        large_print=person.has_access_need(AccessNeed.LARGE_PRINT),
        address=_address_for(person, channel),
    )
    if not consented(person, purpose):
        delivery.status = DeliveryStatus.NOT_REACHED
        delivery.reason = _("No consent for: %(purpose)s.") % {
            "purpose": ConsentPurpose(purpose).label
        }
    elif problem := channel_problem(person, channel):
        delivery.status = DeliveryStatus.NOT_REACHED
        delivery.reason = problem
    elif channel == Channel.WEB:
        # Web-only people read it on their own Cairn page.
        delivery.status = DeliveryStatus.DELIVERED
        delivery.sent_at = timezone.now()
    else:
        # Email goes out right after saving; post and phone wait for the batch and the call list.
        delivery.status = DeliveryStatus.QUEUED
    return delivery


def _save_attachments(delivery: Delivery, attachments: Sequence[tuple[str, bytes, str]]) -> None:
    DeliveryAttachment.objects.bulk_create(
        DeliveryAttachment(
            delivery=delivery, filename=name, mimetype=mimetype, **stored_attachment(name, content)
        )
        for name, content, mimetype in attachments
    )


def stored_attachment(filename: str, content: bytes) -> dict[str, str]:
    """The stored file for these bytes: the one already kept for the same content, else a
    new one. Sending one report to hundreds of people keeps its PDF once."""
    digest = hashlib.sha256(content).hexdigest()
    name = (
        DeliveryAttachment.objects.filter(sha256=digest)
        .exclude(file="")
        .values_list("file", flat=True)
        .first()
    )
    if not name:
        name = default_storage.save(f"attachments/{digest}", ContentFile(content))
    return {"file": name, "sha256": digest}


def remove_unshared_file(sender: type, instance: DeliveryAttachment, **kwargs: Any) -> None:
    """Connected to `post_delete`: the stored file goes once no attachment points at it
    (checked after the commit, when the rows deleted with this one are gone too)."""
    name = instance.file.name if instance.file else ""
    storage.delete_after_commit(
        name, unless=lambda: DeliveryAttachment.objects.filter(file=name).exists()
    )


def notify(
    person: Person,
    *,
    subject: str,
    body: str,
    purpose: str,
    about: models.Model | None = None,
    merge: Mapping[str, str] | None = None,
    html_body: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    sender: Any = None,
) -> Delivery:
    """Deliver one message to one person by their preferred channel.

    Email is sent now (a failure keeps it for retry); a letter joins the letter
    queue; a call joins the call list; web-only people see it on their page.
    Without consent for `purpose` or a usable address the delivery is recorded
    as not reached, with the reason, so the coordinator can act on it.

    `about` is the record the message is about (an event, a consultation), kept with
    the delivery; `merge` fills the merge fields about it (`{event}`, `{event_date}`).
    """
    return notify_many(
        [person],
        subject=subject,
        body=body,
        purpose=purpose,
        about=about,
        merge=merge,
        html_body=html_body,
        attachments=attachments,
        sender=sender,
    )[0]


def notify_many(
    people: Iterable[Person],
    *,
    subject: str,
    body: str,
    purpose: str,
    about: models.Model | None = None,
    merge: Mapping[str, str] | None = None,
    html_body: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    sender: Any = None,
    message: Message | None = None,
    send_emails: bool = True,
) -> list[Delivery]:
    """`notify` for an audience, sharing one mail server connection.

    With `send_emails=False` the emails are only recorded (queued, never tried), for a
    caller that sends them in chunks with progress (`send_pending_emails`).
    """
    deliveries: list[Delivery] = []
    with transaction.atomic():
        for person in people:
            delivery = _build_delivery(
                person,
                subject=subject,
                body=body,
                purpose=purpose,
                about=about,
                merge=merge,
                html_body=html_body,
                sender=sender,
                message=message,
            )
            delivery.save()
            if attachments and delivery.status != DeliveryStatus.NOT_REACHED:
                _save_attachments(delivery, attachments)
            deliveries.append(delivery)
    emails = [
        d for d in deliveries if d.channel == Channel.EMAIL and d.status == DeliveryStatus.QUEUED
    ]
    if emails and send_emails:
        _send_emails(emails)
    return deliveries


def queue_service_message(
    person: Person, *, channel: str, subject: str, body: str, sender: Any = None
) -> Delivery:
    """Queue a letter or a call that the person asked for (a login invitation, say).

    It is not marketing, so it needs no consent purpose; it joins the letter queue or
    the call list like any other delivery, so it is printed or phoned with the rest.
    """
    if channel not in (Channel.POST, Channel.PHONE):
        raise OutreachError(_("Only letters and calls are queued."))
    if problem := channel_problem(person, channel):
        raise OutreachError(problem)
    return Delivery.objects.create(
        person=person,
        channel=channel,
        purpose="",
        subject=subject[:200],
        body=body,
        status=DeliveryStatus.QUEUED,
        sender=sender if getattr(sender, "is_authenticated", False) else None,
        large_print=person.has_access_need(AccessNeed.LARGE_PRINT),
        address=_address_for(person, channel),
    )
