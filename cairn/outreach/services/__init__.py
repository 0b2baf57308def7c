"""Sending one message to people by the channel each of them chose.

`notify` and `notify_many` are the interface other apps call (event
confirmations, reminders, consultation forms, digests). Email is sent at once;
a failed send keeps the delivery as `failed` with a next attempt time and
`retry_failed_emails` picks it up, so nothing is lost silently. Letters wait in
the letter queue for the mail merge; calls wait on the call list.
"""

import logging
import smtplib
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from email.utils import make_msgid, parseaddr
from typing import Any

from django.conf import settings
from django.core import mail, signing
from django.db import models, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html, linebreaks
from django.utils.translation import gettext as _

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.contributions.services import record_contribution
from cairn.core import audit
from cairn.members.models import (
    AccessNeed,
    Channel,
    ChannelConsent,
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Person,
)
from cairn.outreach.merge import fill, merge_values
from cairn.outreach.models import (
    CallOutcome,
    CallOutcomeKind,
    Delivery,
    DeliveryAttachment,
    DeliveryStatus,
    LetterBatch,
    Message,
)
from cairn.outreach.tasks import retry_failed_emails_task

log = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 8
RETRY_BASE = timedelta(minutes=5)
UNSUBSCRIBE_SALT = "cairn.outreach.unsubscribe"


class OutreachError(ValueError):
    pass


def consented(person: Person, purpose: str) -> bool:
    return Consent.objects.filter(person=person, purpose=purpose, granted=True).exists()


def channel_problem(person: Person, channel: str) -> str:
    """Why this person cannot be reached by this channel, or "" when they can."""
    if person.anonymised_at is not None:
        return _("This person's details were erased.")
    if channel == Channel.EMAIL and not person.email:
        return _("Prefers email but no email address is on file.")
    if channel == Channel.POST and not person.address.strip():
        return _("Prefers post but no postal address is on file.")
    if channel == Channel.PHONE and not person.phone.strip():
        return _("Prefers phone but no phone number is on file.")
    if channel == Channel.WEB and person.user_id is None:
        return _("Web only, but has no Cairn login to read it.")
    if ChannelConsent.objects.filter(person=person, channel=channel, granted=False).exists():
        return _("Asked not to be contacted by %(channel)s.") % {
            "channel": Channel(channel).label.lower()
        }
    return ""


def unsubscribe_token(person: Person, purpose: str) -> str:
    return signing.dumps({"p": person.pk, "u": purpose}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(person: Person, purpose: str) -> str:
    path = reverse("outreach:unsubscribe", args=[unsubscribe_token(person, purpose)])
    return f"{settings.SITE_URL}{path}"


def _address_for(person: Person, channel: str) -> str:
    return {
        Channel.EMAIL: person.email,
        Channel.PHONE: person.phone,
        Channel.POST: person.postcode or person.address.splitlines()[0] if person.address else "",
        Channel.WEB: person.user.get_username() if person.user_id else "",
    }.get(channel, "")[:300]


def _html_from_text(text: str) -> str:
    return linebreaks(escape(text))


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


def _email_for(delivery: Delivery) -> mail.EmailMultiAlternatives:
    person = delivery.person
    link = unsubscribe_url(person, delivery.purpose)
    footer = _("To stop receiving %(purpose)s by email, open: %(link)s") % {
        "purpose": ConsentPurpose(delivery.purpose).label.lower(),
        "link": link,
    }
    text = f"{delivery.body}\n\n-- \n{footer}\n"
    html = delivery.html_body or _html_from_text(delivery.body)
    html_footer = format_html(
        '<hr><p style="font-size:small">{} <a href="{}">{}</a></p>',
        _("Don't want these emails?"),
        link,
        _("Unsubscribe"),
    )
    headers = {"Message-ID": delivery.email_message_id} if delivery.email_message_id else {}
    msg = mail.EmailMultiAlternatives(
        subject=delivery.subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
        headers={
            **headers,
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-Cairn-Delivery": str(delivery.pk),
        },
    )
    msg.attach_alternative(
        f"<!doctype html><html><body>{html}{html_footer}</body></html>", "text/html"
    )
    for attachment in delivery.attachments.all():
        msg.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    return msg


def _record_email_failure(delivery: Delivery, error: Exception, now: Any) -> None:
    if isinstance(error, smtplib.SMTPRecipientsRefused | ValueError):
        # The address is unusable (refused, or malformed): a person must fix it, retrying won't.
        delivery.status = DeliveryStatus.NOT_REACHED
        delivery.reason = _("The email address was refused or is not valid: %(error)s") % {
            "error": str(error)[:200]
        }
        delivery.next_attempt_at = None
    elif delivery.attempts >= MAX_EMAIL_ATTEMPTS:
        delivery.status = DeliveryStatus.NOT_REACHED
        delivery.reason = _("Email could not be sent after %(n)d attempts: %(error)s") % {
            "n": delivery.attempts,
            "error": str(error)[:200],
        }
        delivery.next_attempt_at = None
    else:
        delivery.status = DeliveryStatus.FAILED
        delivery.reason = _("Mail server unavailable (%(error)s); will retry.") % {
            "error": str(error)[:200]
        }
        delivery.next_attempt_at = now + RETRY_BASE * (2 ** (delivery.attempts - 1))


def _email_message_id(delivery: Delivery) -> str:
    domain = parseaddr(str(settings.DEFAULT_FROM_EMAIL))[1].rpartition("@")[2] or "cairn.invalid"
    return make_msgid(idstring=f"cairn.{delivery.pk}", domain=domain)


def _claim_for_sending(delivery: Delivery, now: Any) -> bool:
    """Record "being sent", with the Message-ID, before the mail server sees the email.

    Outside a transaction the UPDATE commits at once, so a worker killed after the server
    accepted the email leaves "being sent", never "queued": nothing sends it again, and
    `mark_interrupted_sends` hands it to a coordinator. Only one caller wins the claim, so
    two workers never send the same delivery.
    """
    message_id = delivery.email_message_id or _email_message_id(delivery)
    claimed = Delivery.objects.filter(
        pk=delivery.pk, status__in=[DeliveryStatus.QUEUED, DeliveryStatus.FAILED]
    ).update(
        status=DeliveryStatus.SENDING,
        sending_since=now,
        attempts=models.F("attempts") + 1,
        email_message_id=message_id,
    )
    if not claimed:
        delivery.refresh_from_db(fields=["status", "attempts", "sent_at", "reason"])
        return False
    delivery.status = DeliveryStatus.SENDING
    delivery.attempts += 1
    delivery.email_message_id = message_id
    return True


def send_email_delivery(
    delivery: Delivery, connection: Any = None, *, connect_error: Exception | None = None
) -> bool:
    """Try once to hand the email to the mail server; record what happened."""
    now = timezone.now()
    if not _claim_for_sending(delivery, now):
        return delivery.status == DeliveryStatus.SENT
    try:
        if connect_error is not None:
            raise connect_error
        msg = _email_for(delivery)
        if connection is None:
            connection = mail.mailers.default
        connection.send_messages([msg])
    except (OSError, smtplib.SMTPException, ValueError) as error:
        log.warning("email delivery %s failed: %s", delivery.pk, error)
        _record_email_failure(delivery, error, now)
    else:
        delivery.status = DeliveryStatus.SENT
        delivery.reason = ""
        delivery.sent_at = now
        delivery.next_attempt_at = None
    delivery.sending_since = None
    # A send that outlived the stale limit was marked unknown meanwhile: its outcome,
    # now known, replaces that.
    Delivery.objects.filter(
        pk=delivery.pk,
        status__in=[DeliveryStatus.SENDING, DeliveryStatus.UNKNOWN],
        email_message_id=delivery.email_message_id,
    ).update(
        status=delivery.status,
        reason=delivery.reason,
        sent_at=delivery.sent_at,
        next_attempt_at=delivery.next_attempt_at,
        sending_since=None,
    )
    return delivery.status == DeliveryStatus.SENT


def mark_interrupted_sends(now: Any = None) -> int:
    """Emails left "being sent" by a stopped worker become "unknown, check".

    The mail server may or may not have taken such an email; sending it again could
    reach the person twice, so a coordinator checks the server's log for its Message-ID
    and then sends it again or marks it dealt with (the not-reached page lists it).
    """
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.CAIRN_EMAIL_SENDING_STALE_MINUTES)
    stale = list(Delivery.objects.filter(status=DeliveryStatus.SENDING, sending_since__lt=cutoff))
    for delivery in stale:
        reason = _(
            "The worker stopped while handing this email to the mail server, so it may or may "
            "not have gone out. Check the server's log for %(id)s, then send it again or mark "
            "it dealt with."
        ) % {"id": delivery.email_message_id}
        updated = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.UNKNOWN, reason=reason[:300], next_attempt_at=None
        )
        if updated:
            log.warning("email delivery %s was interrupted while sending", delivery.pk)
            audit.record(None, "outreach.send_interrupted", delivery, reason[:300])
    return len(stale)


def _save_attachments(delivery: Delivery, attachments: Sequence[tuple[str, bytes, str]]) -> None:
    DeliveryAttachment.objects.bulk_create(
        DeliveryAttachment(delivery=delivery, filename=name, content=content, mimetype=mimetype)
        for name, content, mimetype in attachments
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


EMAIL_CHUNK = 50


def send_pending_emails(
    pending: QuerySet[Delivery], progress: Callable[..., None] | None = None
) -> int:
    """Send queued, never-tried emails in chunks, reporting progress after each chunk."""
    ids = list(pending.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), EMAIL_CHUNK):
        chunk = list(
            Delivery.objects.select_related("person")
            .filter(pk__in=ids[start : start + EMAIL_CHUNK], attempts=0)
            .order_by("pk")
        )
        if chunk:
            _send_emails(chunk)
        if progress is not None:
            progress(min(start + EMAIL_CHUNK, len(ids)), len(ids), _("Sending emails"))
    return len(ids)


def _send_emails(deliveries: list[Delivery]) -> None:
    connection = mail.mailers.default
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as error:
        # One unreachable server fails the whole run at once instead of timing out per person.
        for delivery in deliveries:
            send_email_delivery(delivery, connect_error=error)
    else:
        try:
            for delivery in deliveries:
                send_email_delivery(delivery, connection)
        finally:
            try:
                connection.close()
            except (OSError, smtplib.SMTPException):
                log.warning("closing the mail connection failed", exc_info=True)
    retry_at = min(
        (d.next_attempt_at for d in deliveries if d.status == DeliveryStatus.FAILED), default=None
    )
    if retry_at is not None:
        schedule_retry(retry_at)


def schedule_retry(when: Any) -> bool:
    """Ask the task worker to retry at `when`, where the backend can defer tasks.

    Without such a backend (the in-process one), `cairn retry-emails` from cron or
    the button on the outreach page does it; the failed deliveries wait either way.
    """
    if not retry_failed_emails_task.get_backend().supports_defer:
        return False
    transaction.on_commit(lambda: retry_failed_emails_task.using(run_after=when).enqueue())
    return True


def retry_failed_emails(*, now: Any = None, force: bool = False) -> dict[str, int]:
    """Try again every failed email whose next attempt is due (all of them with force)."""
    now = now or timezone.now()
    mark_interrupted_sends(now)
    due = Delivery.objects.filter(status=DeliveryStatus.FAILED, channel=Channel.EMAIL)
    if not force:
        due = due.filter(next_attempt_at__lte=now)
    deliveries = list(due.select_related("person").order_by("next_attempt_at", "pk")[:500])
    _send_emails(deliveries)
    sent = sum(d.status == DeliveryStatus.SENT for d in deliveries)
    return {"tried": len(deliveries), "sent": sent, "still_failing": len(deliveries) - sent}


def unsubscribe(token: str) -> Consent:
    """Withdraw one purpose's consent from a link in an email; no login needed."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        person = Person.objects.get(pk=data["p"], anonymised_at__isnull=True)
        purpose = ConsentPurpose(data["u"])
    except (signing.BadSignature, Person.DoesNotExist, KeyError, ValueError) as error:
        raise OutreachError(_("This unsubscribe link is not valid.")) from error
    with transaction.atomic():
        consent, _created = Consent.objects.update_or_create(
            person=person,
            purpose=purpose,
            defaults={
                "granted": False,
                "method": ConsentMethod.EMAIL,
                "recorded_at": timezone.now(),
                "note": "Unsubscribe link",
            },
        )
        audit.record(None, "consent.withdrawn", person, f"Unsubscribed from {purpose.label}")
    return consent


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


# --- letters -----------------------------------------------------------------------------


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


# --- calls -------------------------------------------------------------------------------


def call_list():
    return Delivery.objects.filter(channel=Channel.PHONE, status=DeliveryStatus.QUEUED)


def _event_of(about: models.Model | None) -> Any:
    """The event a message was about, if it was about one: words passed on in the call
    are filed under it. The ledger's own field says which model an event is."""
    event_model = Contribution._meta.get_field("event").related_model
    return about if isinstance(about, event_model) else None


@transaction.atomic
def log_call(
    delivery: Delivery,
    *,
    outcome: str,
    user: Any,
    call_back_on: date | None = None,
    notes: str = "",
    passed_on: str = "",
    consent_to_quote: bool = False,
) -> CallOutcome:
    """Record one call; words the person asked to pass on become a phone contribution."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.channel != Channel.PHONE:
        raise OutreachError(_("Only phone deliveries have calls."))
    if outcome not in CallOutcomeKind.values:
        raise OutreachError(_("Choose what happened on the call."))
    if outcome == CallOutcomeKind.CALL_BACK and call_back_on is None:
        raise OutreachError(_("Give the date to call back on."))
    passed_on = passed_on.strip()
    if passed_on and outcome != CallOutcomeKind.REACHED:
        raise OutreachError(_("Words can only be passed on when the person was reached."))
    contribution = None
    if passed_on:
        contribution = record_contribution(
            text=passed_on,
            channel=ContributionChannel.PHONE,
            event=_event_of(delivery.about),
            author=delivery.person,
            entered_by=user,
            consent_to_quote=consent_to_quote,
            source=_("Phone call: %(subject)s") % {"subject": delivery.subject},
            source_ref=f"delivery {delivery.pk}",
        )
    call = CallOutcome.objects.create(
        delivery=delivery,
        outcome=outcome,
        call_back_on=call_back_on if outcome == CallOutcomeKind.CALL_BACK else None,
        notes=notes.strip(),
        contribution=contribution,
        logged_by=user if getattr(user, "is_authenticated", False) else None,
    )
    delivery.attempts += 1
    now = timezone.now()
    if outcome == CallOutcomeKind.REACHED:
        delivery.status, delivery.sent_at, delivery.reason = DeliveryStatus.DELIVERED, now, ""
    elif outcome == CallOutcomeKind.VOICEMAIL:
        delivery.status, delivery.sent_at, delivery.reason = DeliveryStatus.SENT, now, ""
    elif outcome == CallOutcomeKind.WRONG_NUMBER:
        delivery.status = DeliveryStatus.NOT_REACHED
        delivery.reason = _("Wrong number: %(phone)s") % {"phone": delivery.address}
    elif outcome == CallOutcomeKind.CALL_BACK:
        delivery.reason = _("Call back on %(date)s") % {"date": call_back_on.strftime("%d %b %Y")}
    else:
        delivery.reason = _("No answer (%(n)d tries)") % {"n": delivery.attempts}
    delivery.save(update_fields=["attempts", "status", "sent_at", "reason"])
    audit.record(user, "outreach.call_logged", delivery, f"{call.get_outcome_display()}")
    return call


# --- not reached -------------------------------------------------------------------------


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
    attachments = [(a.filename, bytes(a.content), a.mimetype) for a in delivery.attachments.all()]
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
            _save_attachments(fresh, attachments)
        delivery.status = DeliveryStatus.RESOLVED
        delivery.reason = _("Sent again as delivery %(pk)d") % {"pk": fresh.pk}
        delivery.save(update_fields=["status", "reason"])
        audit.record(user, "outreach.retried", delivery, delivery.reason)
    if fresh.channel == Channel.EMAIL and fresh.status == DeliveryStatus.QUEUED:
        send_email_delivery(fresh)
    return fresh


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
