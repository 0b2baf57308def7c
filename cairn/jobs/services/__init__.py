"""The worker's bookkeeping and the long work that pages start.

- `beat` / `recover_lost_tasks`: every `cairn worker` process writes a heartbeat; a
  task still marked running by a worker whose heartbeat stopped (killed, machine lost)
  is put back on the queue, or marked failed after `CAIRN_TASK_MAX_ATTEMPTS` tries.
  django-tasks-db leaves such a task "running" forever on its own.
- `run_due_schedules`: reminders, digests, email retries and clean-ups, each claimed
  by one conditional UPDATE on its `ScheduleSlot`, so several workers fire it once.
- `start_job` / `run_job`: work started from a page, with progress the page polls.
"""

import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Model, Q, QuerySet
from django.tasks import Task
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from cairn.core import audit
from cairn.jobs.models import Job, JobStatus, ScheduleSlot, WorkerHeartbeat
from cairn.jobs.tasks import run_job_task

log = logging.getLogger(__name__)


class JobError(ValueError):
    pass


class WorkerLost(Exception):
    """Stored as the error of a task whose worker stopped too many times."""


def stale_after() -> timedelta:
    return timedelta(seconds=settings.CAIRN_WORKER_STALE_SECONDS)


# --- heartbeats and lost tasks ------------------------------------------------------------


def new_worker_id() -> str:
    from django.utils.crypto import get_random_string

    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"


def beat(worker_id: str, *, started_at: datetime | None = None) -> None:
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": started_at or now,
                "seen_at": now,
            },
        )


def last_heartbeat() -> datetime | None:
    return WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()


def uses_queue() -> bool:
    """Whether tasks go to a queue a worker must run (not in-process)."""
    backend = settings.TASKS["default"]["BACKEND"].lower()
    return "immediate" not in backend and "dummy" not in backend


def no_worker_running() -> bool:
    """Whether work queued now would wait for ever: no worker has beaten lately. Tasks that
    run inside the request (the immediate backend) wait for none."""
    if not uses_queue():
        return False
    seen = last_heartbeat()
    return seen is None or timezone.now() - seen > stale_after()


def recover_lost_tasks(now: datetime | None = None) -> dict[str, int]:
    """Re-queue (or fail, after the last attempt) running tasks whose worker stopped.

    A task only counts as lost when the worker that claimed it is a `cairn worker` whose
    heartbeat is older than `CAIRN_WORKER_STALE_SECONDS`; a worker that never wrote one
    (plain `db_worker`) gets `CAIRN_TASK_UNKNOWN_WORKER_SECONDS` before its task is taken.
    Tasks are written to be run twice safely (ids passed, idempotency keys kept).
    """
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    known = dict(WorkerHeartbeat.objects.values_list("worker_id", "seen_at"))
    unknown_cutoff = now - timedelta(seconds=settings.CAIRN_TASK_UNKNOWN_WORKER_SECONDS)
    counts = {"requeued": 0, "failed": 0}
    with transaction.atomic():
        running = DBTaskResult.objects.running().filter(started_at__lt=now - stale_after())
        for row in running.select_for_update(skip_locked=True):
            holder = row.worker_ids[-1] if row.worker_ids else ""
            seen = known.get(holder)
            lost = (seen is not None and seen < now - stale_after()) or (
                seen is None and row.started_at < unknown_cutoff
            )
            if not lost:
                continue
            if len(row.worker_ids) < settings.CAIRN_TASK_MAX_ATTEMPTS:
                row.status = TaskResultStatus.READY
                row.save(update_fields=["status"])
                counts["requeued"] += 1
                log.warning(
                    "task %s (%s) lost its worker %s: queued again", row.pk, row.task_path, holder
                )
            else:
                row.set_failed(WorkerLost(f"The worker stopped {len(row.worker_ids)} times."))
                counts["failed"] += 1
                log.warning("task %s (%s) lost its worker for the last time", row.pk, row.task_path)
    return counts


def queue_depth() -> int:
    """Tasks waiting to run now (those deferred to later are not counted)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().count()


@contextmanager
def beating(touch: Callable[[], Any], every: float | None = None) -> Iterator[None]:
    """Call `touch` every few seconds from a thread while the block runs.

    Long work (a synthesis stage, a big send) may not report progress for minutes; the
    beat says the process is alive, and stops with it if the process is killed.
    """
    every = every or settings.CAIRN_HEARTBEAT_SECONDS
    stop = threading.Event()

    def loop() -> None:
        try:
            while not stop.wait(every):
                try:
                    touch()
                except Exception:  # noqa: BLE001 - a missed beat must not end the work
                    log.warning("heartbeat failed", exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=loop, name="cairn-beat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=every + 5)


def beating_row(model: type[Model], pk: int) -> AbstractContextManager[None]:
    """`beating` for a row with a `heartbeat_at` column (a Job, a SynthesisRun)."""

    def touch() -> None:
        model._default_manager.filter(pk=pk).update(heartbeat_at=timezone.now())

    return beating(touch)


def fail_stale(
    rows: QuerySet,
    *,
    running: str,
    failed: str,
    error: str,
    now: datetime | None = None,
    **also: Any,
) -> int:
    """Mark failed the `running` rows whose heartbeat stopped for twice the worker timeout.

    By then a live worker would have picked the re-queued task up and beaten again, so a
    stale row means no worker is left to finish it: its page offers to run it again.
    Shared by jobs and synthesis runs, which keep `status`, `heartbeat_at`, `started_at`,
    `error` and `finished_at` alike.
    """
    now = now or timezone.now()
    cutoff = now - 2 * stale_after()
    return (
        rows.filter(status=running)
        .filter(Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff))
        .update(status=failed, error=error, finished_at=now, **also)
    )


# --- schedules ----------------------------------------------------------------------------


def claim_slot(name: str, every: int, worker_id: str = "", now: datetime | None = None) -> bool:
    """True for exactly one caller per period, however many workers ask at once."""
    now = now or timezone.now()
    with suppress(IntegrityError):  # another worker created it a moment ago
        ScheduleSlot.objects.get_or_create(name=name)
    return bool(
        ScheduleSlot.objects.filter(name=name)
        .filter(Q(last_run_at__isnull=True) | Q(last_run_at__lte=now - timedelta(seconds=every)))
        .update(last_run_at=now, last_worker=worker_id[:64])
    )


def run_due_schedules(worker_id: str = "", now: datetime | None = None) -> list[str]:
    """Fire every schedule whose period has passed; a task is queued, a function is called."""
    fired = []
    for entry in settings.CAIRN_SCHEDULES:
        if not claim_slot(entry["name"], entry["every"], worker_id, now):
            continue
        target = import_string(entry["call"])
        try:
            if isinstance(target, Task):
                target.enqueue()
            else:
                target()
        except Exception:  # noqa: BLE001 - one failing schedule must not stop the others
            log.exception("schedule %s failed", entry["name"])
            continue
        fired.append(entry["name"])
    return fired


def prune_finished_tasks(days: int = 14) -> int:
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(days=days)
    deleted, _rows = DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    WorkerHeartbeat.objects.filter(seen_at__lte=cutoff).delete()
    return deleted


def clear_expired_sessions() -> None:
    from django.contrib.sessions.models import Session

    Session.objects.filter(expire_date__lt=timezone.now()).delete()


# --- jobs started from a page ---------------------------------------------------------------


class Progress:
    """Handed to a job's runner: `progress(done, total, stage)`, written at most once a second."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self._last = 0.0

    def __call__(self, done: int, total: int | None = None, stage: str = "") -> None:
        now = timezone.now()
        if now.timestamp() - self._last < 1.0 and (total is None or done < total):
            return
        self._last = now.timestamp()
        fields: dict[str, Any] = {"done": done, "heartbeat_at": now}
        if total is not None:
            fields["total"] = total
        if stage:
            fields["stage"] = stage[:200]
        Job.objects.filter(pk=self.job_id).update(**fields)


def start_job(
    actor: Any,
    title: str,
    runner: str,
    params: dict[str, Any] | None = None,
    *,
    next_url: str = "",
    total: int | None = None,
) -> Job:
    """Record the job and queue it; the task runs after the transaction commits."""
    with transaction.atomic():
        job = Job.objects.create(
            title=title[:200],
            runner=runner,
            params=params or {},
            next_url=next_url,
            total=total,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(actor, "job.started", job, f"Started: {job.title}")
    _enqueue(job.pk)
    job.refresh_from_db()
    return job


def rerun_job(job: Job, actor: Any) -> Job:
    """Run a failed job again; its runner skips what the first attempt finished."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.status != JobStatus.FAILED:
            raise JobError(_("Only a job that failed can be run again."))
        locked.status = JobStatus.QUEUED
        locked.error = ""
        locked.stage = ""
        locked.finished_at = None
        locked.save(update_fields=["status", "error", "stage", "finished_at"])
        audit.record(actor, "job.rerun", locked, f"Run again: {locked.title}")
    _enqueue(locked.pk)
    locked.refresh_from_db()
    return locked


def _enqueue(job_id: int) -> None:
    # Called after the job's own transaction: the database queue then commits the task
    # with any transaction around it, and the in-process backend runs it here and now.
    run_job_task.enqueue(job_id)


def run_job(job_id: int) -> None:
    """Run one job to its end; failures are stored on the job for the page, never raised."""
    claimed = Job.objects.filter(
        pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
    ).update(status=JobStatus.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now())
    if not claimed:
        return  # finished, or failed and waiting for someone to run it again
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job_id).update(attempts=job.attempts + 1)
    runner = import_string(job.runner)
    try:
        with beating_row(Job, job_id):
            outcome = runner(Progress(job_id), **job.params) or {}
    except Exception as exc:  # noqa: BLE001 - the page shows it and offers to run it again
        log.exception("job %s (%s) failed", job_id, job.runner)
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED,
            error=str(exc) or exc.__class__.__name__,
            finished_at=timezone.now(),
        )
        return
    if not isinstance(outcome, dict):
        outcome = {"message": str(outcome)}
    message = str(outcome.pop("message", ""))
    next_url = outcome.pop("next_url", None)
    fields: dict[str, Any] = {
        "status": JobStatus.DONE,
        "result": outcome,
        "message": message,
        "stage": "",
        "finished_at": timezone.now(),
    }
    if next_url:
        fields["next_url"] = next_url
    Job.objects.filter(pk=job_id).update(**fields)


def fail_stale_jobs(now: datetime | None = None) -> int:
    """Jobs whose worker stopped are marked failed, with a button to run them again."""
    return fail_stale(
        Job.objects.all(),
        running=JobStatus.RUNNING,
        failed=JobStatus.FAILED,
        error=_("The worker doing this stopped before it finished. Run it again to finish."),
        now=now,
    )
