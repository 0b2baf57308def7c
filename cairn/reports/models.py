"""Event reports and lessons briefings: generated drafts that people edit, approve and publish.

A report is a list of sections. Each section's text is kept as paragraphs of
sentences with the contributions each came from (`Section.paragraphs`, see
`cairn.reports.paragraphs`), shown to coordinators and never in public. Publishing stores a snapshot of the public document, so later
drafting never changes what funders are reading.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cairn.consultations.models import Consultation
from cairn.contributions.models import Contribution
from cairn.events.models import Event
from cairn.insights.models import SynthesisRun, Theme
from cairn.reports.paragraphs import sources_of, text_of


class ReportKind(models.TextChoices):
    EVENT = "event", _("Event report")
    BRIEFING = "briefing", _("Lessons briefing")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


def _new_slug() -> str:
    return secrets.token_urlsafe(9)


class Report(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    title = models.CharField(_("title"), max_length=200)
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    events = models.ManyToManyField(Event, blank=True, related_name="briefings")
    consultations = models.ManyToManyField(Consultation, blank=True, related_name="briefings")
    synthesis = models.ForeignKey(
        SynthesisRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    next_steps = models.TextField(
        _("next steps"), blank=True, help_text=_("One step per line; shown under Going forward")
    )
    slug = models.SlugField(max_length=20, unique=True, default=_new_slug)
    published_doc = models.JSONField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("reports:public", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.published_doc is not None


class Section(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=60, help_text=_("What generated it, e.g. theme:12"))
    heading = models.CharField(_("heading"), max_length=200)
    # [{"list": bool, "sentences": [{"text": str, "sources": [contribution id, ...]}]}]
    paragraphs = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)
    hidden = models.BooleanField(_("hidden"), default=False)
    edited = models.BooleanField(default=False)
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    charts = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["report", "position", "id"]

    def __str__(self) -> str:
        return self.heading

    @property
    def body(self) -> str:
        """The text as a person edits it: paragraphs split by a blank line, "- " for lists."""
        return text_of(self.paragraphs)

    @property
    def provenance(self) -> dict[str, list[int]]:
        """Each sentence drawn from contributions, with their ids."""
        return sources_of(self.paragraphs)


class Quote(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="quotes")
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    position = models.PositiveIntegerField(default=0)
    hidden = models.BooleanField(_("hidden"), default=False)

    class Meta:
        ordering = ["section", "position", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Revision(models.Model):
    """One change to a report: who, when, what, and the text before and after."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="revisions")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="revisions"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=40)
    summary = models.CharField(max_length=300)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)

    class Meta:
        ordering = ["report", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.summary


class RenderStatus(models.TextChoices):
    QUEUED = "queued", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Could not be prepared")


class RenderedFile(models.Model):
    """A report's PDF or DOCX, rendered once by a worker and kept in the file storage.

    `key` is a hash of the document, the format and the print size: a report that
    changes gets a new key (so a new file), and an unchanged one is never rendered twice.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="rendered_files")
    key = models.CharField(max_length=64, unique=True)
    fmt = models.CharField(max_length=10)
    large_print = models.BooleanField(default=False)
    public = models.BooleanField(default=True)
    # The document as it was when the file was asked for; emptied once rendered.
    doc = models.JSONField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=RenderStatus.choices, default=RenderStatus.QUEUED
    )
    file = models.FileField(upload_to="reports/", max_length=300, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When its render was last queued: one queued for too long lost its task (a worker
    # killed on its last try, a queue emptied) and is marked failed, for a Try again.
    queued_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["report", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.report_id}.{self.fmt}"
