"""Long work started from a page: the page answers at once and shows the job's progress."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.jobs import services
from cairn.jobs.models import Job, JobStatus
from tests.jobs.conftest import run_worker

pytestmark = pytest.mark.django_db
RUNNER = "tests.jobs.tasks_for_tests.count_to"


def test_a_job_waits_for_the_worker_then_shows_its_result(
    client, alice, db_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_job(alice, "Count", RUNNER, {"n": 5}, next_url="/events/")
    client.force_login(alice)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Waiting to start" in page and 'data-progress="' in page
    assert client.get(reverse("jobs:status", args=[job.pk])).json()["active"] is True

    run_worker()

    state = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert state["status"] == "done" and state["percent"] == 100 and state["done"] == 5
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Counted to 5." in page and 'href="/events/"' in page
    assert "data-progress=" not in page


def test_a_failed_job_shows_why_and_runs_again_from_its_button(
    client, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_job(alice, "Count", RUNNER, {"n": 2, "fail": True})
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "refused" in job.error
    client.force_login(alice)
    assert "Run it again" in client.get(job.get_absolute_url()).content.decode()
    Job.objects.filter(pk=job.pk).update(params={"n": 2})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jobs:rerun", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2


def test_a_job_that_is_not_failed_cannot_be_run_again(alice):
    job = Job.objects.create(title="Count", runner=RUNNER, status=JobStatus.DONE)
    with pytest.raises(services.JobError):
        services.rerun_job(job, alice)


def test_a_job_whose_worker_stopped_is_failed_and_a_late_retry_does_nothing(alice):
    then = timezone.now() - timedelta(minutes=10)
    job = Job.objects.create(
        title="Count",
        runner=RUNNER,
        params={"n": 1},
        status=JobStatus.RUNNING,
        started_at=then,
        heartbeat_at=then,
    )
    assert services.fail_stale_jobs() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "stopped" in job.error
    services.run_job(job.pk)  # the lost task, re-queued, reaches a worker after all
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.attempts == 0


def test_only_coordinators_may_run_a_job_again(client, charlie, bob):
    job = Job.objects.create(title="Count", runner=RUNNER, status=JobStatus.FAILED)
    for user in (charlie, bob):
        client.force_login(user)
        assert client.post(reverse("jobs:rerun", args=[job.pk])).status_code == 403
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
