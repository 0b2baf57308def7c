"""A synthesis started from its page runs on the worker; a stale one can be run again."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.insights import services
from cairn.insights.models import RunStatus, SynthesisRun
from tests.insights.fakes import fake_synthesis
from tests.jobs.conftest import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def engine(monkeypatch):
    monkeypatch.setattr("cairn.insights.services.runs.run_synthesis", fake_synthesis)


def test_the_start_page_answers_at_once_and_the_worker_does_the_synthesis(
    client, demo, engine, db_queue, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="coordinator"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("insights:start"), {"scope": f"e{demo.pk}"})
    run = SynthesisRun.objects.filter(event=demo).order_by("-pk").first()
    assert response.status_code == 302 and response.url == run.get_absolute_url()
    # Answered before any work was done: the task waits on the queue.
    assert run.status == RunStatus.QUEUED and not run.themes.exists()
    page = client.get(run.get_absolute_url()).content.decode()
    assert 'data-progress="' in page and "cairn/progress" in page
    assert client.get(reverse("insights:status", args=[run.pk])).json()["active"] is True

    run_worker()

    state = client.get(reverse("insights:status", args=[run.pk])).json()
    assert state["status"] == RunStatus.DONE and state["active"] is False
    assert run.themes.exists()
    assert "data-progress=" not in client.get(run.get_absolute_url()).content.decode()


def _running_since(run: SynthesisRun, seconds: int) -> None:
    then = timezone.now() - timedelta(seconds=seconds)
    SynthesisRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=then, heartbeat_at=then
    )


def test_a_run_whose_worker_stopped_beating_is_marked_failed_and_runs_again_once(
    client, demo, alice, engine, db_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_synthesis(alice, event=demo)
    run_worker()
    run.refresh_from_db()
    themes, assignments = run.themes.count(), run.assignments.count()
    assert themes and assignments

    _running_since(run, seconds=30)
    assert services.fail_stale_runs() == 0  # still beating recently enough
    _running_since(run, seconds=600)
    assert services.fail_stale_runs() == 1
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "stopped" in run.error

    client.force_login(alice)
    page = client.get(run.get_absolute_url()).content.decode()
    assert "The synthesis failed" in page and reverse("insights:rerun", args=[run.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("insights:rerun", args=[run.pk]))
    run_worker()
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    # Stored once: the re-run replaced the result, it did not add to it.
    assert (run.themes.count(), run.assignments.count()) == (themes, assignments)


def test_a_synthesis_task_delivered_twice_stores_its_result_once(demo, alice, engine):
    run = services.start_synthesis(alice, event=demo, inline=True)
    first = (run.themes.count(), run.assignments.count())
    services.execute_run(run.pk)  # what a worker does when a killed worker's task is retried
    assert (run.themes.count(), run.assignments.count()) == first
