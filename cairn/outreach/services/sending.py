"""Sending email: at once, in chunks with progress, and again after a failure; a send
interrupted half-way is handed to a coordinator, never sent twice.
"""

import logging
import smtplib
from collections.abc import Callable, Mapping
from datetime import timedelta
from email.utils import make_msgid, parseaddr
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import models, transaction
from django.db.models import QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.html import escape, format_html, linebreaks
from django.utils.translation import gettext as _

from cairn.core import audit
from cairn.lib import storage
from cairn.members.models import (
    Channel,
    ConsentPurpose,
)
from cairn.outreach.models import (
    Delivery,
    DeliveryStatus,
)
from cairn.outreach.services.consent import delivery_problem, unsubscribe_url
from cairn.outreach.tasks import retry_failed_emails_task

log = logging.getLogger(__name__)


MAX_EMAIL_ATTEMPTS = 8


RETRY_BASE = timedelta(minutes=5)


def _html_from_text(text: str) -> str:
    return linebreaks(escape(text))


def _email_for(delivery: Delivery, read: Callable[[str], bytes]) -> mail.EmailMultiAlternatives:
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
        msg.attach(attachment.filename, read(attachment.file.name), attachment.mimetype)
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
    delivery: Delivery,
    connection: Any = None,
    *,
    connect_error: Exception | None = None,
    read: Callable[[str], bytes] | None = None,
) -> bool:
    """Try once to hand the email to the mail server; record what happened. `read` gives
    the bytes of a stored attachment (`storage.reader` shares them across a batch)."""
    now = timezone.now()
    if not _claim_for_sending(delivery, now):
        return delivery.status == DeliveryStatus.SENT
    try:
        if connect_error is not None:
            raise connect_error
        msg = _email_for(delivery, read or storage.read)
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


def _send_emails(deliveries: list[Delivery], known: Mapping[str, bytes] | None = None) -> None:
    """Send a batch on one connection. A stored attachment that many of its emails carry
    is read once for the batch (`known` gives bytes a caller has in hand already), and the
    batch's attachment rows are fetched in one query."""
    read = storage.reader(known)
    connection = mail.mailers.default
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as error:
        # One unreachable server fails the whole run at once instead of timing out per person.
        for delivery in deliveries:
            send_email_delivery(delivery, connect_error=error, read=read)
    else:
        prefetch_related_objects(deliveries, "attachments")
        try:
            for delivery in deliveries:
                send_email_delivery(delivery, connection, read=read)
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
    # Hours may pass before a retry: whoever unsubscribed or refused email meanwhile is
    # not sent it (checked again, as the first send did).
    wanted = [d for d in deliveries if not _no_longer_wanted(d)]
    _send_emails(wanted)
    sent = sum(d.status == DeliveryStatus.SENT for d in wanted)
    return {
        "tried": len(deliveries),
        "sent": sent,
        "still_failing": len(wanted) - sent,
        "not_sent": len(deliveries) - len(wanted),
    }


def _no_longer_wanted(delivery: Delivery) -> bool:
    """Record a failed email as not reached if its person can no longer be emailed for its
    purpose; True when so."""
    problem = delivery_problem(delivery.person, delivery.purpose, Channel.EMAIL)
    if not problem:
        return False
    reason = _("Not sent again: %(problem)s") % {"problem": problem}
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.NOT_REACHED, reason=reason[:300], next_attempt_at=None
    )
    delivery.status, delivery.reason = DeliveryStatus.NOT_REACHED, reason[:300]
    return True
