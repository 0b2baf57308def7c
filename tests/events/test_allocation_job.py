"""The breakouts page allocates in a worker: it answers at once, follows the job, then
shows the groups; a second "Allocate" while one is under way joins it instead of
allocating twice, and what stops an allocation is said before anything is queued."""

import pytest
from django.db import connection

from cairn.core.models import AuditEntry
from cairn.events.models import BreakoutGroup, Event, RegistrationStatus
from cairn.events.services import breakouts
from cairn.jobs.models import Job, JobStatus
from tests.concurrency import at_once
from tests.events.test_breakouts import crowd  # noqa: F401 - a fixture
from tests.jobs.conftest import db_queue, run_worker  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def url(event: Event) -> str:
    return f"/events/{event.pk}/breakouts/"


@pytest.mark.usefixtures("crowd", "db_queue")
def test_allocate_runs_on_the_worker_and_the_page_shows_progress_then_the_result(
    client, event, alice
):
    client.force_login(alice)
    response = client.post(url(event), {"action": "allocate"})
    job = Job.objects.get()
    assert response["Location"] == f"{url(event)}?job={job.pk}"
    assert not BreakoutGroup.objects.exists()  # nothing allocated in the request

    waiting = client.get(response["Location"]).content.decode()
    assert "Allocating the groups" in waiting
    assert f'data-progress="/jobs/{job.pk}/status/"' in waiting
    assert "progress.js" in waiting

    run_worker()

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.result == {"people": 16, "groups": BreakoutGroup.objects.count()}
    assert AuditEntry.objects.filter(action="breakouts.allocated").count() == 1
    done = client.get(response["Location"]).content.decode()
    assert "Allocated 16 people" in done
    assert "progress.js" not in done
    assert "Quality of the current groups" in done


@pytest.mark.usefixtures("crowd", "db_queue")
def test_a_second_allocate_while_one_is_under_way_joins_it(client, event, alice):
    client.force_login(alice)
    first = client.post(url(event), {"action": "allocate"})
    second = client.post(url(event), {"action": "allocate", "replace": "yes"}, follow=True)
    assert Job.objects.count() == 1
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "already under way" in second.content.decode()
    # Another coordinator opening the page sees it running too.
    assert "Allocating the groups" in client.get(url(event)).content.decode()
    run_worker()
    assert AuditEntry.objects.filter(action="breakouts.allocated").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL run of the suite")
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("crowd", "db_queue")
def test_coordinators_pressing_allocate_at_the_same_moment_start_one_allocation(event, alice):
    answers, errors = at_once(4, lambda _: breakouts.start_allocation(event.pk, actor=alice))
    answers = [(job.pk, started) for job, started in answers]
    assert errors == []
    assert Job.objects.count() == 1
    assert {pk for pk, _started in answers} == {Job.objects.get().pk}
    assert sorted(started for _pk, started in answers) == [False, False, False, True]


@pytest.mark.usefixtures("db_queue")
def test_what_stops_an_allocation_is_said_before_anything_is_queued(client, event, alice):
    client.force_login(alice)
    page = client.post(url(event), {"action": "allocate"}, follow=True).content.decode()
    assert "Nobody is registered yet" in page
    event.breakout_themes.all().delete()
    page = client.post(url(event), {"action": "allocate"}, follow=True).content.decode()
    assert "Add breakout themes before allocating" in page
    assert not Job.objects.exists()


@pytest.mark.usefixtures("crowd", "db_queue")
def test_an_allocation_that_fails_in_the_worker_shows_why_and_can_run_again(client, event, alice):
    client.force_login(alice)
    location = client.post(url(event), {"action": "allocate"})["Location"]
    # Everyone cancels between the press and the worker.
    event.registrations.update(status=RegistrationStatus.CANCELLED)
    run_worker()
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    page = client.get(location).content.decode()
    assert "The allocation did not finish" in page
    assert "Nobody is registered yet" in page
    assert f'action="/jobs/{job.pk}/rerun/"' in page
    event.registrations.update(status=RegistrationStatus.REGISTERED)
    client.post(f"/jobs/{job.pk}/rerun/")
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert BreakoutGroup.objects.exists()


@pytest.mark.usefixtures("crowd")
def test_with_tasks_run_in_the_request_the_page_goes_straight_to_the_groups(client, event, alice):
    client.force_login(alice)
    response = client.post(url(event), {"action": "allocate"}, follow=True)
    assert response.redirect_chain[-1][0] == url(event)
    assert "Allocated 16 people" in response.content.decode()


@pytest.mark.usefixtures("crowd", "db_queue")
def test_another_events_job_is_not_shown(client, event, alice):
    client.force_login(alice)
    client.post(url(event), {"action": "allocate"})
    other = Event.objects.create(
        title="Other", starts_at=event.starts_at, ends_at=event.ends_at, status=event.status
    )
    job = Job.objects.get()
    page = client.get(f"/events/{other.pk}/breakouts/?job={job.pk}").content.decode()
    assert "Allocating the groups" not in page
    assert client.get(f"{url(event)}?job=abc").status_code == 200
