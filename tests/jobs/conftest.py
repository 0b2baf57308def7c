"""The real database queue for tests that need a worker, instead of immediate tasks."""

from unittest import mock

import pytest
from django.tasks import task_backends
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def db_queue(settings):
    settings.TASKS = DB_QUEUE
    assert type(task_backends["default"]).__name__ == "DatabaseBackend"
    yield
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def run_worker(worker_id: str = "test-worker") -> None:
    """Run every queued task in this process, as `cairn worker --batch` would.

    The worker closes stale connections between tasks; inside a test's transaction
    that would close the test's own connection (PostgreSQL), so it is skipped here.
    """
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        _worker(worker_id).run()


def _worker(worker_id: str) -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
