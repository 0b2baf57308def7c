"""One message to people by the channel each chose: a delivery per person, recorded as
not reached (with the reason) when consent or an address is missing.
"""

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, overload

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


class Attachments(Sequence[tuple[str, bytes, str]]):
    """The attachments of one send, as (filename, bytes, mimetype): hashed and stored for
    the first delivery that carries them, and named by every later one, so a report sent to
    300 people is hashed, looked up and stored once, not 300 times. Pass the same one to
    `notify` for each person of a send to keep to that."""

    def __init__(self, items: Iterable[tuple[str, bytes, str]] = ()) -> None:
        self._items = tuple(items)
        self._stored: list[dict[str, str]] | None = None

    @classmethod
    def of(cls, attachments: Sequence[tuple[str, bytes, str]]) -> "Attachments":
        return attachments if isinstance(attachments, cls) else cls(attachments)

    @overload
    def __getitem__(self, index: int) -> tuple[str, bytes, str]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[str, bytes, str]]: ...

    def __getitem__(self, index: int | slice) -> Any:
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def rows_for(self, delivery: Delivery) -> list[DeliveryAttachment]:
        """Unsaved rows for `delivery`, naming this send's stored files."""
        if self._stored is None:
            self._stored = [stored_attachment(content) for _, content, _ in self._items]
        return [
            DeliveryAttachment(delivery=delivery, filename=name, mimetype=mimetype, **stored)
            for (name, _, mimetype), stored in zip(self._items, self._stored, strict=True)
        ]

    def contents(self) -> dict[str, bytes]:
        """The bytes by stored name, so this send's emails attach them unread."""
        return {
            stored["file"]: content
            for (_, content, _), stored in zip(self._items, self._stored or [], strict=False)
        }


def stored_attachment(content: bytes) -> dict[str, str]:
    """The stored file for these bytes: the one already kept for the same content, else a
    new one (named by the hash; the filename a person sees is kept on each row)."""
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
    """`notify` for an audience, sharing one mail server connection and one stored copy
    of each attachment.

    With `send_emails=False` the emails are only recorded (queued, never tried), for a
    caller that sends them in chunks with progress (`send_pending_emails`).
    """
    send = Attachments.of(attachments)
    deliveries: list[Delivery] = []
    rows: list[DeliveryAttachment] = []
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
            if send and delivery.status != DeliveryStatus.NOT_REACHED:
                rows += send.rows_for(delivery)
            deliveries.append(delivery)
        DeliveryAttachment.objects.bulk_create(rows)
    emails = [
        d for d in deliveries if d.channel == Channel.EMAIL and d.status == DeliveryStatus.QUEUED
    ]
    if emails and send_emails:
        _send_emails(emails, known=send.contents())
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


def sending_outcome(statuses: Iterable[str], unsure_where: str | None = None) -> dict[str, Any]:
    """What a send did, counted from the status of each delivery it made, and said in words.

    Emails the mail server did not take (``failed``) or may not have taken (``unsure``)
    are counted apart from those sent, so a send while the server is down does not read
    as a success.
    """
    from collections import Counter

    counts = Counter(statuses)
    failed = counts[DeliveryStatus.FAILED]
    unsure = counts[DeliveryStatus.SENDING] + counts[DeliveryStatus.UNKNOWN]
    not_reached = counts[DeliveryStatus.NOT_REACHED]
    sent = sum(counts.values()) - failed - unsure - not_reached
    text = ngettext(
        "Sent to %(n)d person by their own channel.",
        "Sent to %(n)d people by their own channel.",
        sent,
    ) % {"n": sent}
    if failed:
        text += " " + ngettext(
            "%(n)d email could not be sent yet (the mail server did not take it): "
            "it will be tried again, or retry it from the outreach page.",
            "%(n)d emails could not be sent yet (the mail server did not take them): "
            "they will be tried again, or retry them from the outreach page.",
            failed,
        ) % {"n": failed}
    if unsure:
        text += " " + ngettext(
            "%(n)d email may or may not have left: check it %(where)s.",
            "%(n)d emails may or may not have left: check them %(where)s.",
            unsure,
        ) % {"n": unsure, "where": unsure_where or _("on the message's page")}
    if not_reached:
        text += " " + ngettext(
            "%(n)d could not be reached: see the not-reached list.",
            "%(n)d could not be reached: see the not-reached list.",
            not_reached,
        ) % {"n": not_reached}
    return {
        "message": text,
        "sent": sent,
        "failed": failed,
        "unsure": unsure,
        "not_reached": not_reached,
    }
