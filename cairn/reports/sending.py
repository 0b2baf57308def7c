"""Send a published report to people by their own channel, through the outreach app.

Email gets the link and the PDF; people who asked for post get a printed copy
in the letter batch (large print where they need it). `cairn.outreach.services.notify`
chooses and records the channel; this module only decides who and what.
"""

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from cairn.core import audit
from cairn.core.models import AuditEntry
from cairn.core.network import network
from cairn.events.models import RegistrationStatus
from cairn.members.models import AccessNeed, Channel, Consent, ConsentPurpose, Person
from cairn.outreach import services as outreach
from cairn.outreach.models import Delivery, DeliveryStatus
from cairn.reports import files
from cairn.reports.models import Report, ReportKind

AUDIENCES = ("attendees", "members")


class SendError(ValueError):
    pass


def recipients(report: Report, audience: str) -> list[Person]:
    """Who gets the report. "attendees" are the people who came, where attendance was
    recorded, else the people registered; never the waiting list or cancellations."""
    people = Person.objects.filter(anonymised_at__isnull=True, archived_at__isnull=True)
    if audience == "attendees":
        events = [report.event] if report.kind == ReportKind.EVENT else list(report.events.all())
        came: set[int] = set()
        for event in events:
            if event is None:
                continue
            regs = event.registrations.filter(status=RegistrationStatus.REGISTERED)
            if regs.filter(attended=True).exists():
                regs = regs.filter(attended=True)
            came.update(regs.values_list("person_id", flat=True))
        people = people.filter(pk__in=came)
    return list(people.distinct().order_by("pk"))


def audience_counts(report: Report) -> dict[str, int]:
    return {a: len(recipients(report, a)) for a in AUDIENCES}


def _purpose(audience: str) -> str:
    # Attendees hear back about the event they came to; everyone else gets it as news.
    return (
        ConsentPurpose.EVENT_INVITATIONS if audience == "attendees" else ConsentPurpose.NEWSLETTERS
    )


def preview(report: Report, audience: str) -> dict[str, Any]:
    """What "Send" would do, before it does it: how many people by each channel, who
    cannot be reached and why, and the message the first person would get."""
    people = recipients(report, audience)
    purpose = _purpose(audience)
    consenting = set(
        Consent.objects.filter(person__in=people, purpose=purpose, granted=True).values_list(
            "person_id", flat=True
        )
    )
    labels = dict(Channel.choices)
    by_channel: Counter[str] = Counter()
    unreachable: Counter[str] = Counter()
    for person in people:
        if person.pk not in consenting:
            unreachable[_("no consent for this kind of message")] += 1
        elif problem := outreach.channel_problem(person, person.preferred_channel):
            unreachable[problem] += 1
        else:
            by_channel[str(labels.get(person.preferred_channel, person.preferred_channel))] += 1
    return {
        "total": len(people),
        "by_channel": sorted(by_channel.items()),
        "unreachable": sorted(unreachable.items()),
        "subject": report.title,
        "body": _body(report, people[0].first_name if people else _("(first name)")),
        # Sending again sends everyone the report again: the page says when it went before.
        "sent_before": list(
            AuditEntry.objects.filter(
                action="report.sent", object_type=Report._meta.label_lower, object_id=str(report.pk)
            ).values_list("created_at", "summary")[:5]
        ),
    }


def _body(report: Report, name: str) -> str:
    return _(
        "Dear %(name)s,\n\nOur report is ready: %(title)s.\nRead it online: %(link)s\n"
        "A copy is attached (or enclosed, if we write to you by post).\n\nWith thanks,\n%(network)s"
    ) % {
        "name": name,
        "title": report.title,
        "link": settings.SITE_URL + report.get_public_url(),
        "network": network().name,
    }


def _already_sent(report: Report, since: datetime) -> set[int]:
    """People who got this report from an earlier, interrupted run of the same send."""
    from django.contrib.contenttypes.models import ContentType

    about = (
        {"about_type": ContentType.objects.get_for_model(report.event), "about_id": report.event.pk}
        if report.event
        else {"about_id__isnull": True}
    )
    return set(
        Delivery.objects.filter(subject=report.title, created_at__gte=since, **about).values_list(
            "person_id", flat=True
        )
    )


def _pdf(report: Report, filename: str, *, large_print: bool) -> outreach.Attachments:
    pdf = files.file_bytes(report, report.published_doc, "pdf", large_print)
    return outreach.Attachments([(filename, pdf, "application/pdf")])


def send_report(
    report: Report,
    actor: Any,
    *,
    audience: str = "attendees",
    progress: Callable[..., None] | None = None,
    since: datetime | None = None,
) -> dict[str, int]:
    """Send to everyone in the audience; with `since` (when this send was first started),
    people who already got it from an interrupted run are skipped, so nobody gets two."""
    if not report.is_published:
        raise SendError(_("Publish the report before sending it."))
    if audience not in AUDIENCES:
        raise SendError(_("Choose attendees or all members."))
    people = recipients(report, audience)
    # The stored public PDFs (publishing prepared them): rendered only if missing or stale.
    # Stored once for the whole send: every recipient's delivery names the same file.
    regular = _pdf(report, "report.pdf", large_print=False)
    large = None
    subject = report.title
    statuses: list[str] = []
    done_before = _already_sent(report, since) if since else set()
    for position, person in enumerate(people):
        if progress is not None:
            progress(position, len(people), _("Sending the report"))
        if person.pk in done_before:
            statuses.append(DeliveryStatus.SENT)
            continue
        needs_large = person.has_access_need(AccessNeed.LARGE_PRINT)
        if needs_large and large is None:
            large = _pdf(report, "report-large-print.pdf", large_print=True)
        attachments = large if needs_large else regular
        body = _body(report, person.first_name)
        delivery = outreach.notify(
            person,
            subject=subject,
            body=body,
            purpose=_purpose(audience),
            about=report.event,
            attachments=attachments,
            sender=actor,
        )
        statuses.append(getattr(delivery, "status", DeliveryStatus.SENT))
    # Emails the mail server did not take are said apart: a send while it is down is no success.
    outcome = outreach.sending_outcome(statuses, unsure_where=_("on the person's page"))
    audit.record(
        actor,
        "report.sent",
        report,
        f"Report sent to {outcome['sent']} {audience}; {outcome['failed']} emails waiting "
        f"for a retry; {outcome['not_reached']} not reached",
    )
    return outcome


def send_report_job(
    progress: Callable[..., None], report_id: int, audience: str, user_id: int | None, since: str
) -> dict[str, Any]:
    """The background job behind "Send" on a report's page."""
    from django.contrib.auth import get_user_model

    report = Report.objects.get(pk=report_id)
    actor = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return send_report(
        report, actor, audience=audience, progress=progress, since=datetime.fromisoformat(since)
    )
