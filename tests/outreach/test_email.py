from datetime import timedelta

import pytest
from django.utils import timezone

from cairn.members.models import Consent, ConsentPurpose
from cairn.outreach.models import Delivery, DeliveryStatus
from cairn.outreach.services import notify, notify_many, retry_failed_emails, unsubscribe_token

pytestmark = pytest.mark.django_db


def test_an_email_goes_through_a_real_smtp_server_with_plain_html_and_merge_fields(
    smtp_server, person_factory
):
    jean = person_factory("Jean")
    delivery = notify(
        jean,
        subject="Hello {first_name}",
        body="Dear {full_name},\nsee you at the event.",
        purpose=ConsentPurpose.EVENT_INVITATIONS,
        attachments=[("event.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")],
    )
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 1
    [(recipients, msg)] = smtp_server.messages
    assert recipients == ["jean@example.org"]
    assert msg["Subject"] == "Hello Jean"
    assert "/outreach/unsubscribe/" in msg["List-Unsubscribe"]
    plain = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "Dear Jean Millar," in plain
    assert "Dear Jean Millar," in html and "Unsubscribe" in html
    names = [part.get_filename() for part in msg.iter_attachments()]
    assert "event.ics" in names


def test_merge_fields_in_html_are_escaped(smtp_server, person_factory):
    person = person_factory("<b>Bold</b>", email="bold@example.org")
    notify(
        person,
        subject="Hi",
        body="Hi",
        html_body="<p>Hi {first_name}</p>",
        purpose=ConsentPurpose.EVENT_INVITATIONS,
    )
    [(_, msg)] = smtp_server.messages
    assert "&lt;b&gt;Bold&lt;/b&gt;" in msg.get_body(("html",)).get_content()


def test_an_unreachable_smtp_server_keeps_the_email_and_a_later_retry_sends_it(
    settings, person_factory
):
    from tests.outreach.conftest import free_port, smtp_settings

    port = free_port()
    settings.MAILERS = smtp_settings(port)
    jean = person_factory("Jean")
    delivery = notify(
        jean, subject="Reminder", body="Tomorrow", purpose=ConsentPurpose.EVENT_INVITATIONS
    )
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 1
    assert delivery.next_attempt_at > timezone.now()
    assert "will retry" in delivery.reason

    # Not due yet: nothing is tried.
    assert retry_failed_emails()["tried"] == 0

    from aiosmtpd.controller import Controller

    from tests.outreach.conftest import Inbox

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        result = retry_failed_emails(now=timezone.now() + timedelta(hours=1))
    finally:
        controller.stop()
    assert result == {"tried": 1, "sent": 1, "still_failing": 0, "not_sent": 0}
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 2
    assert [m["Subject"] for _, m in inbox.messages] == ["Reminder"]


def test_an_email_that_keeps_failing_ends_on_the_not_reached_list_not_lost(
    no_smtp_server, person_factory
):
    jean = person_factory("Jean")
    delivery = notify(jean, subject="S", body="B", purpose=ConsentPurpose.EVENT_INVITATIONS)
    for _ in range(10):
        retry_failed_emails(force=True)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.NOT_REACHED
    assert "could not be sent after 8 attempts" in delivery.reason


def test_one_unreachable_server_fails_a_whole_audience_for_retry(no_smtp_server, person_factory):
    people = [person_factory(f"P{i}") for i in range(3)]
    deliveries = notify_many(
        people, subject="S", body="B", purpose=ConsentPurpose.EVENT_INVITATIONS
    )
    assert {d.status for d in deliveries} == {DeliveryStatus.FAILED}
    assert Delivery.objects.filter(status=DeliveryStatus.FAILED).count() == 3


def test_the_unsubscribe_link_withdraws_consent_and_stops_later_emails(
    client, smtp_server, person_factory
):
    jean = person_factory("Jean", consent=[ConsentPurpose.NEWSLETTERS])
    notify(jean, subject="News", body="News", purpose=ConsentPurpose.NEWSLETTERS)
    link = smtp_server.messages[0][1]["List-Unsubscribe"].strip("<>")
    path = link.split("testserver", 1)[-1].replace("http://127.0.0.1:8000", "")
    response = client.get(path)
    assert response.status_code == 200
    assert Consent.objects.get(person=jean, purpose=ConsentPurpose.NEWSLETTERS).granted
    response = client.post(path)
    assert response.status_code == 200
    assert not Consent.objects.get(person=jean, purpose=ConsentPurpose.NEWSLETTERS).granted
    later = notify(jean, subject="News 2", body="News", purpose=ConsentPurpose.NEWSLETTERS)
    assert later.status == DeliveryStatus.NOT_REACHED
    assert len(smtp_server.messages) == 1


def test_a_tampered_unsubscribe_link_is_refused(client, person_factory):
    jean = person_factory("Jean")
    token = unsubscribe_token(jean, ConsentPurpose.NEWSLETTERS)
    response = client.post(f"/outreach/unsubscribe/{token[:-2]}xx/")
    assert response.status_code == 400
    assert b"not valid" in response.content


def test_a_malformed_address_is_not_reached_rather_than_retried(smtp_server, person_factory):
    person = person_factory("Odd", email="odd..name@@example")
    delivery = notify(person, subject="S", body="B", purpose=ConsentPurpose.EVENT_INVITATIONS)
    assert delivery.status == DeliveryStatus.NOT_REACHED
    assert "refused" in delivery.reason
    assert smtp_server.messages == []


def test_the_retry_command_sends_failed_emails_once_the_server_is_back(
    settings, person_factory, capsys
):
    from django.core.management import call_command

    from tests.outreach.conftest import free_port, smtp_settings

    settings.MAILERS = smtp_settings(free_port())
    delivery = notify(
        person_factory(), subject="S", body="B", purpose=ConsentPurpose.EVENT_INVITATIONS
    )
    assert delivery.status == DeliveryStatus.FAILED
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    call_command("retry-emails", "--all")
    assert "tried 1, sent 1, still failing 0" in capsys.readouterr().out
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_a_failed_email_schedules_its_retry_on_a_backend_that_can_defer(
    settings, no_smtp_server, person_factory, django_capture_on_commit_callbacks
):
    from django.tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        delivery = notify(
            person_factory(), subject="S", body="B", purpose=ConsentPurpose.EVENT_INVITATIONS
        )
    [result] = default_task_backend.results
    assert result.task.name == "retry_failed_emails_task"
    assert result.task.run_after == delivery.next_attempt_at


def test_an_email_waiting_for_its_retry_is_not_sent_to_someone_who_unsubscribed_meanwhile(
    settings, person_factory
):
    from cairn.members.models import Channel, ChannelConsent, ConsentMethod
    from cairn.outreach.services import unsubscribe
    from tests.outreach.conftest import free_port, smtp_settings

    settings.MAILERS = smtp_settings(free_port())  # the mail server is down
    jean = person_factory("Jean", consent=[ConsentPurpose.NEWSLETTERS])
    ewan = person_factory("Ewan", consent=[ConsentPurpose.NEWSLETTERS])
    rosa = person_factory("Rosa", consent=[ConsentPurpose.NEWSLETTERS])
    failed = notify_many(
        [jean, ewan, rosa], subject="News", body="News", purpose=ConsentPurpose.NEWSLETTERS
    )
    assert {d.status for d in failed} == {DeliveryStatus.FAILED}
    # Before the retry (up to hours later): Jean unsubscribes from an earlier email, and
    # Ewan tells the coordinator not to email him at all.
    unsubscribe(unsubscribe_token(jean, ConsentPurpose.NEWSLETTERS))
    ChannelConsent.objects.create(
        person=ewan,
        channel=Channel.EMAIL,
        granted=False,
        method=ConsentMethod.PHONE,
        recorded_at=timezone.now(),
    )
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    from django.core import mail

    result = retry_failed_emails(force=True)
    assert [m.to for m in mail.outbox] == [["rosa@example.org"]]
    assert result == {"tried": 3, "sent": 1, "still_failing": 0, "not_sent": 2}
    by_name = {d.person.first_name: d for d in Delivery.objects.select_related("person")}
    assert by_name["Jean"].status == DeliveryStatus.NOT_REACHED
    assert "No consent for" in by_name["Jean"].reason
    assert by_name["Ewan"].status == DeliveryStatus.NOT_REACHED
    assert "Asked not to be contacted by email" in by_name["Ewan"].reason


def test_the_unsubscribe_page_names_what_it_stops_and_refuses_a_bad_link_at_once(
    client, person_factory
):
    jean = person_factory("Jean", consent=[ConsentPurpose.NEWSLETTERS])
    token = unsubscribe_token(jean, ConsentPurpose.NEWSLETTERS)
    page = client.get(f"/outreach/unsubscribe/{token}/")
    assert "stop receiving “Newsletters and network news” by email" in page.content.decode()
    assert Consent.objects.get(person=jean, purpose=ConsentPurpose.NEWSLETTERS).granted
    # A link cut short by a mail client: said before the button, not after pressing it.
    broken = client.get(f"/outreach/unsubscribe/{token[:-2]}xx/")
    assert broken.status_code == 400 and b"not valid" in broken.content
    assert b'type="submit"' not in broken.content.split(b"<main", 1)[-1]
