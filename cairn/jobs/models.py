"""Background work the web pages can follow, the workers that do it, and their schedules.

The queue itself is django-tasks-db's `DBTaskResult` table. These rows add what it
lacks: a heartbeat per worker process (so a task held by a killed worker is found and
run again), one row per schedule (so two workers never fire the same schedule twice)
and a `Job` per piece of long work started from a page, which the page polls for its
progress and result.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


class ScheduleSlot(models.Model):
    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_worker = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")

    def __str__(self) -> str:
        return self.name


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """One piece of long work started from a page: a report sent, an import, a batch."""

    title = models.CharField(_("title"), max_length=200)
    # Dotted path of the function that does the work; only code sets it, never a form.
    runner = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    stage = models.CharField(max_length=200, blank=True)
    result = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True, help_text=_("What the work did, for people"))
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Where to go when it is done (the report, the message, the import).
    next_url = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def percent(self) -> int | None:
        """Percentage done where the total is known; None while it is not."""
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return None
        return min(100, int(100 * self.done / self.total))
