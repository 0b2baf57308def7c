"""Tasks go on the database queue and a worker runs them; lost tasks are run again."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cairn.core.models import AuditEntry
from cairn.jobs import services
from cairn.jobs.models import WorkerHeartbeat
from tests.jobs.conftest import run_worker
from tests.jobs.tasks_for_tests import slow_once

pytestmark = pytest.mark.django_db


def test_a_task_waits_on_the_queue_until_a_worker_runs_it(db_queue):
    result = slow_once.enqueue("first")
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.READY
    assert services.queue_depth() == 1
    run_worker()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == 1
    assert services.queue_depth() == 0


def _held_by(worker_id: str, *, seen_ago: int | None, started_ago: int = 120, tries: int = 1):
    now = timezone.now()
    if seen_ago is not None:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id, started_at=now, seen_at=now - timedelta(seconds=seen_ago)
        )
    result = slow_once.enqueue("lost")
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=now - timedelta(seconds=started_ago),
        worker_ids=[f"{worker_id}-{n}" for n in range(tries - 1)] + [worker_id],
    )
    return DBTaskResult.objects.get(pk=result.id)


def test_a_task_held_by_a_worker_that_stopped_beating_is_run_again_once(db_queue):
    row = _held_by("killed", seen_ago=300)
    assert services.recover_lost_tasks() == {"requeued": 1, "failed": 0}
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
    run_worker()
    run_worker()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert AuditEntry.objects.filter(action="test.slow_once", object_id="lost").count() == 1


def test_a_task_whose_worker_keeps_dying_is_marked_failed_not_left_running(db_queue, settings):
    settings.CAIRN_TASK_MAX_ATTEMPTS = 3
    row = _held_by("killed", seen_ago=300, tries=3)
    assert services.recover_lost_tasks() == {"requeued": 0, "failed": 1}
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "cairn.jobs.services.WorkerLost"


def test_a_task_of_a_live_worker_is_left_alone(db_queue):
    row = _held_by("alive", seen_ago=2)
    assert services.recover_lost_tasks() == {"requeued": 0, "failed": 0}
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING


def test_a_worker_without_heartbeats_gets_hours_before_its_task_is_taken(db_queue):
    row = _held_by("plain-db-worker", seen_ago=None, started_ago=600)
    assert services.recover_lost_tasks()["requeued"] == 0
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING
    later = timezone.now() + timedelta(hours=7)
    assert services.recover_lost_tasks(now=later)["requeued"] == 1
