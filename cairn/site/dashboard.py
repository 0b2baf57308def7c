"""What needs the coordinator now: one line per kind of waiting work, with a count and a link.

Lives with the home page (the roof) because it reads every app (outreach, conversations,
consultations, reports, syntheses, sign-ups) and nothing may import it."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from cairn.accounts.models import JoinRequest, JoinStatus
from cairn.consultations.models import PaperForm
from cairn.conversations.models import Post
from cairn.insights.models import RunStatus, SynthesisRun
from cairn.members.models import Channel
from cairn.outreach import services as outreach
from cairn.outreach.models import Delivery, DeliveryStatus
from cairn.reports.models import Report, ReportStatus

RECENT = timedelta(days=7)


@dataclass
class Need:
    key: str
    count: int
    text: str  # worded for the count, without it: "calls to make"
    url: str


def needs_now() -> list[Need]:
    """Every kind of waiting work, in the order a coordinator would deal with it."""
    since = timezone.now() - RECENT
    calls = outreach.call_list().count()
    letters = Delivery.objects.filter(channel=Channel.POST, status=DeliveryStatus.QUEUED).count()
    undelivered = Delivery.objects.filter(
        channel=Channel.EMAIL, status__in=[DeliveryStatus.FAILED, DeliveryStatus.NOT_REACHED]
    ).count()
    posts = Post.objects.filter(created_at__gte=since)
    forms_by_consultation = (
        PaperForm.objects.filter(sent_at__isnull=False, response__isnull=True)
        .values("consultation")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    forms = sum(row["n"] for row in forms_by_consultation)
    forms_url = (
        reverse("consultations:enter", args=[forms_by_consultation[0]["consultation"]])
        if len(forms_by_consultation) == 1
        else reverse("consultations:list")
    )
    signups = JoinRequest.objects.filter(status=JoinStatus.PENDING).count()
    drafts = Report.objects.filter(status=ReportStatus.DRAFT).count()
    finished = SynthesisRun.objects.filter(status=RunStatus.DONE, finished_at__gte=since).count()
    return [
        Need(
            "calls",
            calls,
            ngettext("call to make", "calls to make", calls),
            reverse("outreach:calls"),
        ),
        Need(
            "letters",
            letters,
            ngettext("letter to print", "letters to print", letters),
            reverse("outreach:letters"),
        ),
        Need(
            "undelivered",
            undelivered,
            ngettext("email not delivered", "emails not delivered", undelivered),
            reverse("outreach:not_reached") + "?channel=email",
        ),
        Need(
            "posts",
            posts.count(),
            ngettext(
                "reply or post this week to read",
                "replies and posts this week to read",
                posts.count(),
            ),
            reverse("conversations:list"),
        ),
        Need(
            "paper_forms",
            forms,
            ngettext(
                "paper form sent out, waiting to be typed in",
                "paper forms sent out, waiting to be typed in",
                forms,
            ),
            forms_url,
        ),
        Need(
            "signups",
            signups,
            ngettext("sign-up to approve", "sign-ups to approve", signups),
            reverse("accounts:join_requests"),
        ),
        Need(
            "reports",
            drafts,
            ngettext("report to approve", "reports to approve", drafts),
            reverse("reports:list"),
        ),
        Need(
            "syntheses",
            finished,
            ngettext("synthesis finished this week", "syntheses finished this week", finished),
            reverse("insights:list"),
        ),
    ]
