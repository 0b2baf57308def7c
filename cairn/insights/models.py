"""A synthesis of contributions into themes, and the edits a coordinator made to it.

A `SynthesisRun` is one synthesis of one scope (an event, a consultation or a
list of contributions). Re-running it replaces its themes and assignments and
then replays its `ThemeEdit` log, so a coordinator's renames, merges, splits
and moves survive a fresh result.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cairn.contributions.models import Contribution
from cairn.events.models import BreakoutTheme, Event
from cairn.insights.engine import method_in_plain_words


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class RunMode(models.TextChoices):
    GUIDED = "guided", _("Guided by the event's breakout themes")
    DISCOVER = "discover", _("Discover themes")


class SynthesisRunQuerySet(models.QuerySet["SynthesisRun"]):
    def with_result(self) -> "SynthesisRunQuerySet":
        """Runs whose themes can be read: a result was stored at least once.

        Not "status is done": a re-run that is waiting, running or failed keeps the
        themes of its last finished run (a result is replaced whole, in one
        transaction), so reports and briefings go on drawing on them.
        """
        return self.filter(run_count__gt=0)


class SynthesisRun(models.Model):
    event = models.ForeignKey(
        Event,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="synthesis_runs",
        verbose_name=_("event"),
    )
    # What else than an event this synthesises, as the key of the app that offered it
    # ("c12": a consultation; see insights.scopes). A re-run reads that scope afresh.
    scope = models.CharField(_("scope"), max_length=40, blank=True, db_index=True)
    # Not a many-to-many on purpose: the scope as it was asked, compared whole with a
    # scope's current answers to decide on a re-run; each statement's contribution is a
    # real foreign key on Assignment.
    contribution_ids = models.JSONField(
        _("contributions"), default=list, blank=True, help_text=_("Explicit scope, if any")
    )
    title = models.CharField(_("title"), max_length=200)
    mode = models.CharField(
        _("mode"), max_length=20, choices=RunMode.choices, default=RunMode.GUIDED
    )
    options = models.JSONField(_("options"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    warnings = models.JSONField(default=list, blank=True)
    timings = models.JSONField(default=dict, blank=True)
    stats = models.JSONField(default=dict, blank=True)
    run_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Written every few seconds while a worker runs it; a stale one means the worker died.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = SynthesisRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("synthesis")
        verbose_name_plural = _("syntheses")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("insights:detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    @property
    def method(self) -> str:
        """How its themes were found, in plain words (empty before its first result)."""
        used = (self.options or {}).get("used") or {}
        return method_in_plain_words(str(used.get("embedder_used") or ""))


class ThemeOrigin(models.TextChoices):
    DISCOVERED = "discovered", _("Discovered")
    GUIDED = "guided", _("Breakout theme")
    EDITED = "edited", _("Edited by hand")


class Theme(models.Model):
    run = models.ForeignKey(SynthesisRun, on_delete=models.CASCADE, related_name="themes")
    key = models.CharField(max_length=50, help_text=_("The library's id for this theme"))
    label = models.CharField(_("label"), max_length=200)
    keyphrases = models.JSONField(default=list, blank=True)
    headline = models.TextField(_("headline"), blank=True)
    summary = models.JSONField(default=list, blank=True, help_text=_("Summary sentences"))
    quotes = models.JSONField(default=list, blank=True, help_text=_("Statement ids"))
    counts = models.JSONField(default=dict, blank=True)
    stances = models.JSONField(default=dict, blank=True)
    size = models.PositiveIntegerField(default=0)
    position = models.PositiveIntegerField(default=0)
    origin = models.CharField(max_length=20, choices=ThemeOrigin.choices)
    breakout_theme = models.ForeignKey(
        BreakoutTheme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["run", "position", "id"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("insights:theme", args=[self.run_id, self.pk])


class Assignment(models.Model):
    """One statement (a contribution or a part of a long one) and the theme it belongs to."""

    run = models.ForeignKey(SynthesisRun, on_delete=models.CASCADE, related_name="assignments")
    statement_id = models.CharField(max_length=60)
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments"
    )
    confidence = models.FloatField(default=0.0)
    stance = models.CharField(max_length=20, default="other")
    moved_by_hand = models.BooleanField(default=False)
    # Why the synthesis set the statement aside ("nothing", "thanks"...), or "": counted
    # from the rows, so a statement a coordinator moves into a theme leaves its count.
    set_aside = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        ordering = ["run", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "statement_id"], name="one_assignment_per_statement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} → {self.theme_id}"


class EditKind(models.TextChoices):
    RENAME = "rename", _("Renamed a theme")
    MERGE = "merge", _("Merged two themes")
    SPLIT = "split", _("Split statements into a new theme")
    MOVE = "move", _("Moved statements")


class ThemeEdit(models.Model):
    """A coordinator's edit, kept so that a re-run can replay it on the new themes.

    Themes are found again by the statements they held when the edit was made,
    because statement ids are stable across runs and theme ids are not.
    """

    run = models.ForeignKey(SynthesisRun, on_delete=models.CASCADE, related_name="edits")
    kind = models.CharField(max_length=20, choices=EditKind.choices)
    payload = models.JSONField(default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    summary = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["run", "created_at", "id"]

    def __str__(self) -> str:
        return self.summary or self.kind
