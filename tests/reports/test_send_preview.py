"""Sending a report: a preview with the people per channel first, then a confirmation;
the waiting list is not among those who took part."""

import pytest

from cairn.events.models import Registration, RegistrationStatus
from cairn.outreach.models import Delivery
from cairn.reports import services
from cairn.reports.sending import preview, recipients
from tests.jobs.conftest import db_queue  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(report, alice):
    services.approve(report, alice)
    return services.publish(report, alice)


def test_the_waiting_list_and_cancellations_are_not_sent_the_report(published, person_maker):
    event = published.event
    waiting = person_maker("Wendy")
    Registration.objects.create(event=event, person=waiting, status=RegistrationStatus.WAITLISTED)
    gone = person_maker("Gus")
    Registration.objects.create(event=event, person=gone, status=RegistrationStatus.CANCELLED)
    people = recipients(published, "attendees")
    assert waiting not in people and gone not in people


def test_where_attendance_was_recorded_only_those_who_came_get_it(published):
    event = published.event
    regs = list(event.registrations.filter(status=RegistrationStatus.REGISTERED)[:3])
    Registration.objects.filter(event=event).update(attended=None)
    for r in regs[:2]:
        r.attended = True
        r.save()
    assert {p.pk for p in recipients(published, "attendees")} == {r.person_id for r in regs[:2]}


def test_send_shows_a_preview_with_channels_and_sends_only_once_confirmed(client, alice, published):
    client.force_login(alice)
    page = client.get(f"/reports/{published.pk}/send/?audience=attendees").content.decode()
    counts = preview(published, "attendees")
    assert "Send this report?" in page and published.title in page
    for label, n in counts["by_channel"]:
        assert f'<td>{label}</td><td class="num">{n}</td>' in page
    assert sum(n for _l, n in counts["by_channel"]) + sum(
        n for _r, n in counts["unreachable"]
    ) == len(recipients(published, "attendees"))
    unconfirmed = client.post(f"/reports/{published.pk}/send/", {"audience": "attendees"})
    assert "Tick the box" in unconfirmed.content.decode()
    assert not Delivery.objects.filter(subject=published.title).exists()


@pytest.mark.usefixtures("db_queue")
def test_a_double_click_on_send_sends_the_report_once(
    client, alice, published, django_capture_on_commit_callbacks
):
    """Two confirmed POSTs (a double click, a second tab) queued two send jobs, and every
    attendee got two emails or two letters."""
    from cairn.jobs.models import Job
    from tests.jobs.conftest import run_worker

    client.force_login(alice)
    form = {"audience": "attendees", "confirm": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/reports/{published.pk}/send/", form)
        second = client.post(f"/reports/{published.pk}/send/", form)
    assert Job.objects.count() == 1
    assert first["Location"] == second["Location"]
    run_worker()
    sent = Delivery.objects.filter(subject=published.title)
    assert sent.exists()
    assert sent.count() == sent.values("person").distinct().count()


def test_the_preview_says_when_the_report_was_sent_before(client, alice, published):
    """Sending again days later sends everyone the report again; the preview said nothing."""
    from cairn.reports.sending import send_report

    client.force_login(alice)
    url = f"/reports/{published.pk}/send/?audience=attendees"
    assert "already sent" not in client.get(url).content.decode()
    send_report(published, alice, audience="attendees")
    page = client.get(url).content.decode()
    assert "This report was already sent" in page and "Report sent to" in page
