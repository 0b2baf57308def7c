"""Sending a message is a job: the page answers at once, shows progress, and a send cut
short by a killed worker, run again, sends every email exactly once."""

import pytest
from django.urls import reverse

from cairn.jobs.models import Job, JobStatus
from cairn.members.models import ConsentPurpose
from cairn.outreach.audience import Audience, create_message, send_message
from cairn.outreach.models import DeliveryStatus
from cairn.outreach.services import sending
from tests.jobs.conftest import run_worker
from tests.outreach.conftest import make_person

pytestmark = pytest.mark.django_db
INVITE = ConsentPurpose.EVENT_INVITATIONS


@pytest.fixture
def five(db):
    return [make_person(name) for name in ("Ann", "Ben", "Cat", "Dan", "Eve")]


def _message(alice):
    return create_message(
        subject="Hello {first_name}",
        body="Dear {first_name}",
        purpose=INVITE,
        audience=Audience(),
        user=alice,
    )


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: nothing after it runs, no handler catches it."""


def test_a_send_cut_short_sends_the_rest_once_when_run_again(alice, five, mailoutbox, monkeypatch):
    # Patched where send_pending_emails reads it, not on the package that re-exports it.
    monkeypatch.setattr(sending, "EMAIL_CHUNK", 2)
    message = _message(alice)

    def killed_after_first_chunk(done, total, stage=""):
        raise WorkerKilled

    with pytest.raises(WorkerKilled):
        send_message(message.pk, alice.pk, progress=killed_after_first_chunk)
    assert len(mailoutbox) == 2
    send_message(message.pk, alice.pk)  # the queue runs the task again
    send_message(message.pk, alice.pk)  # and once more, for good measure
    subjects = sorted(m.subject for m in mailoutbox)
    assert subjects == [f"Hello {p.first_name}" for p in five]
    # Alice (no consent) is recorded as not reached; the five are sent, once each.
    assert message.deliveries.count() == 6
    assert message.deliveries.filter(status=DeliveryStatus.SENT).count() == 5


def test_sending_from_the_compose_page_answers_at_once_and_the_worker_sends(
    client, alice, five, mailoutbox, db_queue
):
    client.force_login(alice)
    form = {"subject": "Hi {first_name}", "body": "News", "purpose": INVITE}
    response = client.post("/outreach/compose/", form | {"action": "send", "confirm": "1"})
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert job.status == JobStatus.QUEUED and mailoutbox == []
    assert "Waiting to start" in client.get(job.get_absolute_url()).content.decode()

    run_worker()

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result["sent"] == 5
    assert len(mailoutbox) == 5
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Sent to 5 people by their own channel." in page


def test_retrying_failed_emails_from_the_page_answers_at_once_and_the_worker_sends(
    client, alice, settings, mailoutbox, db_queue
):
    from cairn.outreach.models import Delivery
    from cairn.outreach.services import notify
    from tests.outreach.conftest import free_port, smtp_settings

    locmem = settings.MAILERS
    settings.MAILERS = smtp_settings(free_port())  # the mail server is down
    delivery = notify(make_person("Jean"), subject="Reminder", body="Tomorrow", purpose=INVITE)
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.FAILED
    settings.MAILERS = locmem  # and back

    client.force_login(alice)
    response = client.post(reverse("outreach:retry_failed"))
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert job.status == JobStatus.QUEUED and mailoutbox == []
    assert 'data-progress="' in client.get(job.get_absolute_url()).content.decode()

    run_worker()

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result["sent"] == 1
    assert [m.subject for m in mailoutbox] == ["Reminder"]
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Tried 1 emails: 1 sent, 0 still failing." in page


def test_a_send_while_the_mail_server_is_down_says_the_emails_wait_for_a_retry(
    alice, five, settings
):
    from cairn.members.models import Channel
    from cairn.outreach.audience import send_message_job
    from tests.outreach.conftest import free_port, smtp_settings

    make_person("Pat", preferred_channel=Channel.POST, address="1 Road", postcode="NS1 1AB")
    settings.MAILERS = smtp_settings(free_port())  # nothing listens there
    message = _message(alice)
    result = send_message_job(lambda *a, **k: None, message.pk, alice.pk)
    # It had said "Sent to 6 people" though not one email had left.
    assert result["message"] == (
        "Sent to 1 person by their own channel. "
        "5 emails could not be sent yet (the mail server did not take them): "
        "they will be tried again, or retry them from the outreach page. "
        "1 could not be reached: see the not-reached list."
    )
    assert result["sent"] == 1 and result["failed"] == 5 and result["not_reached"] == 1
