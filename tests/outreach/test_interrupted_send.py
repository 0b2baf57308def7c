"""An email is never sent twice when its worker dies between the mail server accepting it
and the delivery being recorded: "being sent" is committed before the server sees it, a
re-run skips it, and a stale one becomes "unknown, check" for a coordinator."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cairn.members.models import ConsentPurpose
from cairn.outreach import services
from cairn.outreach.models import Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """Stands for SIGKILL: not an Exception, so no handler records anything."""


@pytest.fixture
def dies_after_accepting(monkeypatch):
    """The mail server takes the email, then the worker dies before recording it."""
    seen = {}
    backend = type(mail.mailers.default)
    real_send = backend.send_messages

    def accept_then_die(self, messages):
        real_send(self, messages)
        [msg] = messages
        seen["status"] = Delivery.objects.get(pk=msg.extra_headers["X-Cairn-Delivery"]).status
        seen["message_id"] = msg.extra_headers.get("Message-ID")
        raise WorkerKilled

    monkeypatch.setattr(backend, "send_messages", accept_then_die)
    return lambda: monkeypatch.setattr(backend, "send_messages", real_send), seen


def _queued(person_factory, n=3):
    people = [person_factory(f"P{i}") for i in range(n)]
    return services.notify_many(
        people,
        subject="Tomorrow",
        body="See you",
        purpose=ConsentPurpose.EVENT_INVITATIONS,
        send_emails=False,
    )


def test_a_send_killed_after_the_server_accepted_is_not_sent_again(
    person_factory, dies_after_accepting
):
    revive, seen = dies_after_accepting
    deliveries = _queued(person_factory)
    pending = Delivery.objects.filter(pk__in=[d.pk for d in deliveries])
    with pytest.raises(WorkerKilled):
        services.send_pending_emails(pending)
    assert len(mail.outbox) == 1
    # Recorded before the server saw it, with the Message-ID the email carries.
    assert seen["status"] == DeliveryStatus.SENDING
    first = Delivery.objects.get(status=DeliveryStatus.SENDING)
    assert first.attempts == 1 and seen["message_id"] == first.email_message_id

    revive()
    services.send_pending_emails(pending)  # the job run again
    services.retry_failed_emails(force=True)  # and the retry schedule
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert len(recipients) == 3 == len(set(recipients))
    first.refresh_from_db()
    assert first.status == DeliveryStatus.SENDING


def test_a_stale_send_becomes_unknown_for_a_coordinator_and_is_never_retried_by_itself(
    client, alice, person_factory, dies_after_accepting
):
    revive, _seen = dies_after_accepting
    [delivery] = _queued(person_factory, 1)
    with pytest.raises(WorkerKilled):
        services.send_email_delivery(delivery)
    revive()
    assert services.mark_interrupted_sends() == 0  # a send in progress is left alone
    later = timezone.now() + timedelta(minutes=11)
    services.retry_failed_emails(now=later)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.UNKNOWN
    assert delivery.email_message_id in delivery.reason
    assert len(mail.outbox) == 1

    client.force_login(alice)
    page = client.get("/outreach/not-reached/").content.decode()
    assert "may or may not" in page and delivery.email_message_id.strip("<>") in page
    client.post(f"/outreach/deliveries/{delivery.pk}/act/", {"action": "retry"})
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RESOLVED
    assert len(mail.outbox) == 2  # sent again because a person decided so


def test_two_workers_holding_the_same_delivery_send_it_once(person_factory):
    [delivery] = _queued(person_factory, 1)
    twin = Delivery.objects.get(pk=delivery.pk)
    assert services.send_email_delivery(delivery)
    assert services.send_email_delivery(twin)  # already sent: reported, not repeated
    assert len(mail.outbox) == 1
    assert Delivery.objects.get(pk=delivery.pk).attempts == 1


def test_a_retry_carries_the_same_message_id(settings, person_factory):
    from tests.outreach.conftest import free_port, smtp_settings

    settings.MAILERS = smtp_settings(free_port())
    [delivery] = _queued(person_factory, 1)
    services.send_email_delivery(delivery)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    first_id = delivery.email_message_id
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    services.retry_failed_emails(force=True)
    [msg] = mail.outbox
    assert msg.extra_headers["Message-ID"] == first_id
