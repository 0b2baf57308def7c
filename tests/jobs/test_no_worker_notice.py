"""Work waiting for a worker when none is running says so where people wait for it,
instead of "Waiting to start" for ever (the demo and `cairn serve` start one; a deployment
runs `cairn worker` itself, and may have forgotten to)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cairn.jobs import services
from cairn.jobs.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db
RUNNER = "tests.jobs.tasks_for_tests.count_to"
NOTICE = "No worker is running"


def _queued_job(alice, capture):
    with capture(execute=True):
        return services.start_job(alice, "Count", RUNNER, {"n": 5}, next_url="/events/")


def test_a_waiting_job_says_when_no_worker_is_running(
    client, alice, db_queue, django_capture_on_commit_callbacks
):
    job = _queued_job(alice, django_capture_on_commit_callbacks)
    client.force_login(alice)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Waiting to start" in page and NOTICE in page and "cairn worker" in page


def test_a_worker_that_stopped_beating_counts_as_none(
    client, alice, db_queue, django_capture_on_commit_callbacks
):
    job = _queued_job(alice, django_capture_on_commit_callbacks)
    old = timezone.now() - timedelta(minutes=10)
    WorkerHeartbeat.objects.create(worker_id="w1", started_at=old, seen_at=old)
    client.force_login(alice)
    assert NOTICE in client.get(job.get_absolute_url()).content.decode()


def test_no_notice_while_a_worker_is_beating(
    client, alice, db_queue, django_capture_on_commit_callbacks
):
    job = _queued_job(alice, django_capture_on_commit_callbacks)
    services.beat("w1")
    client.force_login(alice)
    assert NOTICE not in client.get(job.get_absolute_url()).content.decode()


def test_a_waiting_synthesis_says_when_no_worker_is_running(client, alice, demo, db_queue):
    from cairn.insights.services import start_synthesis

    run = start_synthesis(alice, event=demo)
    client.force_login(alice)
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Waiting to start" in page and NOTICE in page
