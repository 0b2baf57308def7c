"""Health checks for a load balancer or monitor, through django-health-check.

`/health/` checks everything a machine needs: the database, the task queue's depth,
that a worker has beaten recently, and room on the disk that holds media.
`/health/web/` checks only what a web process needs (database, media), so a load
balancer does not take web machines out when the workers stop.
"""

import dataclasses
import datetime
import shutil
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import Error as DatabaseError
from django.db import connection
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


def _close_thread_connection() -> None:
    # Checks run in the view's executor threads; a connection left open there would
    # outlive the request (one per thread), so each check closes its own.
    connection.close()


@dataclasses.dataclass
class QueueDepth(HealthCheck):
    """Fails when more tasks wait than the workers could ever catch up with."""

    max_waiting: int = 10000

    def run(self) -> None:
        from cairn.jobs.services import queue_depth

        try:
            waiting = queue_depth()
        except DatabaseError as exc:
            raise ServiceUnavailable("queue unreadable") from exc
        finally:
            _close_thread_connection()
        if waiting > self.max_waiting:
            raise ServiceUnavailable(f"{waiting} tasks waiting")


@dataclasses.dataclass
class WorkerAlive(HealthCheck):
    """Fails when no `cairn worker` has written a heartbeat lately."""

    within_seconds: int = 120

    def run(self) -> None:
        from cairn.jobs.services import last_heartbeat, uses_queue

        if not uses_queue():
            return  # tasks run inside requests; there is no worker to wait for

        try:
            seen = last_heartbeat()
        except DatabaseError as exc:
            raise ServiceUnavailable("heartbeats unreadable") from exc
        finally:
            _close_thread_connection()
        if seen is None:
            raise ServiceUnavailable("no worker has started")
        age = timezone.now() - seen
        if age > datetime.timedelta(seconds=self.within_seconds):
            raise ServiceUnavailable(f"last worker heartbeat {int(age.total_seconds())} s ago")


@dataclasses.dataclass
class MediaDisk(HealthCheck):
    """Fails when the disk holding uploaded files and PDFs is nearly full (local storage)."""

    min_free_mb: int = 500

    def run(self) -> None:
        storage = storages["default"]
        if not isinstance(storage, FileSystemStorage):
            return  # S3 and other remote storage have no disk of ours to fill
        root = Path(storage.location)
        while not root.exists() and root != root.parent:
            root = root.parent
        free_mb = shutil.disk_usage(root).free // (1024 * 1024)
        if free_mb < self.min_free_mb:
            raise ServiceUnavailable(f"{free_mb} MB free for media")


def _limits() -> dict[str, int]:
    return {
        "queue": settings.CAIRN_HEALTH_MAX_QUEUE,
        "worker": settings.CAIRN_HEALTH_WORKER_SECONDS,
        "disk": settings.CAIRN_HEALTH_MIN_FREE_MB,
    }


class FullHealth(HealthCheckView):
    def get_checks(self):
        limits = _limits()
        self.checks = [
            "health_check.checks.Database",
            (QueueDepth, {"max_waiting": limits["queue"]}),
            (WorkerAlive, {"within_seconds": limits["worker"]}),
            (MediaDisk, {"min_free_mb": limits["disk"]}),
            "health_check.checks.Storage",
        ]
        return super().get_checks()


class WebHealth(HealthCheckView):
    def get_checks(self):
        self.checks = [
            "health_check.checks.Database",
            (MediaDisk, {"min_free_mb": _limits()["disk"]}),
        ]
        return super().get_checks()
