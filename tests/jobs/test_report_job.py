"""Sending a report is a job: the page answers at once; a send cut short by a killed
worker, run again, reaches everyone once."""

import pytest
from django.utils import timezone

from cairn.jobs.models import Job, JobStatus
from cairn.outreach.models import Delivery
from cairn.reports import services
from cairn.reports.sending import recipients, send_report, send_report_job
from tests.jobs.conftest import run_worker
from tests.reports.conftest import report, seed_run  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    pass


@pytest.fixture
def published(report, alice):  # noqa: F811
    services.approve(report, alice)
    return services.publish(report, alice)


def _deliveries(sent_report):
    return Delivery.objects.filter(subject=sent_report.title)


def test_a_report_send_cut_short_reaches_everyone_once_when_run_again(published, alice):
    since = timezone.now()
    calls = []

    def killed_after_three(done, total, stage=""):
        calls.append(done)
        if done == 3:
            raise WorkerKilled

    with pytest.raises(WorkerKilled):
        send_report(
            published, alice, audience="attendees", progress=killed_after_three, since=since
        )
    assert _deliveries(published).count() == 3
    people = recipients(published, "attendees")
    outcome = send_report_job(
        lambda *a: None, published.pk, "attendees", alice.pk, since.isoformat()
    )
    assert outcome["sent"] + outcome["not_reached"] == len(people)
    per_person = _deliveries(published).values_list("person_id", flat=True)
    assert sorted(per_person) == sorted(p.pk for p in people)


def test_the_send_button_answers_at_once_and_the_worker_sends(client, published, alice, db_queue):
    client.force_login(alice)
    response = client.post(
        f"/reports/{published.pk}/send/", {"audience": "attendees", "confirm": "yes"}
    )
    job = Job.objects.get()
    assert response.url == job.get_absolute_url()
    assert not _deliveries(published).exists()
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert _deliveries(published).count() == len(recipients(published, "attendees"))
    assert "Sent to" in client.get(job.get_absolute_url()).content.decode()


def test_a_report_send_while_the_mail_server_is_down_says_the_emails_wait_for_a_retry(
    published, alice, settings
):
    from cairn.members.models import Channel
    from cairn.outreach.models import DeliveryStatus
    from tests.outreach.conftest import free_port, smtp_settings

    settings.MAILERS = smtp_settings(free_port())  # nothing listens there
    people = recipients(published, "attendees")
    by_email = [p for p in people if p.preferred_channel == Channel.EMAIL and p.email]
    assert by_email, "the report's attendees include people reached by email"
    outcome = send_report_job(
        lambda *a: None, published.pk, "attendees", alice.pk, timezone.now().isoformat()
    )
    failed = _deliveries(published).filter(status=DeliveryStatus.FAILED).count()
    # It said "Sent to N people" though not one email had left.
    assert failed and outcome["failed"] == failed
    assert outcome["sent"] + outcome["failed"] + outcome["not_reached"] == len(people)
    assert f"Sent to {outcome['sent']} " in outcome["message"]
    assert "could not be sent yet (the mail server did not take" in outcome["message"]
