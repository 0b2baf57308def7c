"""What needs the coordinator now: one line per kind of waiting work, with a count and a link.

Lives with the home page (the roof) because it reads every app (outreach, conversations,
consultations, reports, syntheses, sign-ups) and nothing may import it."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext_lazy

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


def _paper_forms_url(waiting: QuerySet) -> str:
    """Forms waiting for one consultation go straight to typing them in; for several, to the
    list of consultations."""
    # order_by() of its own: the model's ordering (consultation, id) would put the id in the
    # DISTINCT and count one consultation's forms as several consultations.
    consultations = list(
        waiting.order_by("consultation").values_list("consultation", flat=True).distinct()[:2]
    )
    if len(consultations) == 1:
        return reverse("consultations:enter", args=consultations)
    return reverse("consultations:list")


def needs_now() -> list[Need]:
    """Every kind of waiting work, in the order a coordinator would deal with it."""
    since = timezone.now() - RECENT
    paper_forms = PaperForm.objects.filter(sent_at__isnull=False, response__isnull=True)
    # The wording is resolved with the count when the line is made ("n" names it), so each
    # singular and plural pair stays where makemessages finds it.
    table = [
        (
            "calls",
            outreach.call_list(),
            ngettext_lazy("call to make", "calls to make", "n"),
            reverse("outreach:calls"),
        ),
        (
            "letters",
            Delivery.objects.filter(channel=Channel.POST, status=DeliveryStatus.QUEUED),
            ngettext_lazy("letter to print", "letters to print", "n"),
            reverse("outreach:letters"),
        ),
        (
            "undelivered",
            Delivery.objects.filter(
                channel=Channel.EMAIL,
                status__in=[DeliveryStatus.FAILED, DeliveryStatus.NOT_REACHED],
            ),
            ngettext_lazy("email not delivered", "emails not delivered", "n"),
            reverse("outreach:not_reached") + "?channel=email",
        ),
        (
            "posts",
            Post.objects.filter(created_at__gte=since),
            ngettext_lazy(
                "reply or post this week to read", "replies and posts this week to read", "n"
            ),
            reverse("conversations:list"),
        ),
        (
            "paper_forms",
            paper_forms,
            ngettext_lazy(
                "paper form sent out, waiting to be typed in",
                "paper forms sent out, waiting to be typed in",
                "n",
            ),
            _paper_forms_url(paper_forms),
        ),
        (
            "signups",
            JoinRequest.objects.filter(status=JoinStatus.PENDING),
            ngettext_lazy("sign-up to approve", "sign-ups to approve", "n"),
            reverse("accounts:join_requests"),
        ),
        (
            "reports",
            Report.objects.filter(status=ReportStatus.DRAFT),
            ngettext_lazy("report to approve", "reports to approve", "n"),
            reverse("reports:list"),
        ),
        (
            "syntheses",
            SynthesisRun.objects.filter(status=RunStatus.DONE, finished_at__gte=since),
            ngettext_lazy("synthesis finished this week", "syntheses finished this week", "n"),
            reverse("insights:list"),
        ),
    ]
    needs = []
    for key, waiting, wording, url in table:
        count = waiting.count()
        needs.append(Need(key, count, wording % {"n": count}, url))
    return needs
