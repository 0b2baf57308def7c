"""The .ics files, parsed back with icalendar: VTIMEZONE for every TZID, ORGANIZER and
METHOD on invitations and cancellations, DTSTAMP when sent, SEQUENCE up on each change;
the waiting-list promotion carries one; "Add to calendar" on the event page."""

from datetime import UTC, datetime, timedelta

from django.core import mail
from icalendar import Calendar

from cairn.events.calendar import event_ics
from cairn.events.models import Event, Registration
from cairn.events.services.events import cancel_event, save_event
from cairn.events.services.registration import cancel, register


def _vevent(data: bytes):
    cal = Calendar.from_ical(data)
    (vevent,) = cal.walk("VEVENT")
    return cal, vevent


def _tzids(data: bytes) -> set[str]:
    text = data.decode()
    return {part.split(":")[0].split(";")[0] for part in text.split("TZID=")[1:]}


def test_an_invitation_has_method_organizer_attendee_and_each_timezone(event, person_factory):
    jane = person_factory("Jane")
    data = event_ics(event, attendee=jane)
    cal, vevent = _vevent(data)
    assert cal["METHOD"] == "REQUEST"
    assert str(vevent["ORGANIZER"]).startswith("mailto:")
    assert vevent["ORGANIZER"].params["CN"]
    assert str(vevent["ATTENDEE"]) == f"mailto:{jane.email}"
    zones = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    assert _tzids(data) <= zones and "Europe/London" in zones
    assert vevent["SEQUENCE"] == 0


def test_dtstamp_is_when_the_file_is_made_not_when_the_event_was(event):
    before = datetime.now(UTC) - timedelta(seconds=1)
    _, vevent = _vevent(event_ics(event))
    assert vevent["DTSTAMP"].dt >= before


def test_a_change_bumps_the_sequence_and_a_cancellation_bumps_it_again(event, person_factory):
    fields = {"title": event.title, "starts_at": event.starts_at + timedelta(hours=1)}
    save_event(fields, None, actor=None, event_id=event.pk)
    event.refresh_from_db()
    assert event.calendar_sequence == 1
    save_event({"title": event.title}, None, actor=None, event_id=event.pk)  # nothing shown changed
    event.refresh_from_db()
    assert event.calendar_sequence == 1
    cancel_event(event.pk, actor=None)
    event.refresh_from_db()
    cal, vevent = _vevent(event_ics(event, attendee=person_factory()))
    assert cal["METHOD"] == "CANCEL" and vevent["STATUS"] == "CANCELLED"
    assert vevent["SEQUENCE"] == 2 and "ORGANIZER" in vevent


def test_the_waiting_list_promotion_carries_the_ics(
    event, person_factory, django_capture_on_commit_callbacks
):
    regs = [register(event.pk, person_factory()) for _ in range(3)]
    waiting = person_factory("Wanda")
    register(event.pk, waiting)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancel(regs[0].pk, actor=None)
    sent = [m for m in mail.outbox if m.subject.startswith("A place has come free")]
    (message,) = sent
    name, content, _mimetype = message.attachments[0]
    cal, vevent = _vevent(content if isinstance(content, bytes) else content.encode())
    assert name == "event.ics" and cal["METHOD"] == "REQUEST"
    assert str(vevent["ATTENDEE"]) == f"mailto:{waiting.email}"


def test_add_to_calendar_is_offered_to_people_with_a_place(client, event, person_factory):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("pat", password="x")
    pat = person_factory("Pat")
    pat.user = user
    pat.save()
    url = f"/events/{event.pk}/calendar.ics"
    client.force_login(user)
    assert client.get(url).status_code == 403  # no place yet
    register(event.pk, pat)
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert url in page and "Add to calendar" in page
    response = client.get(url)
    assert response["Content-Type"].startswith("text/calendar")
    cal, vevent = _vevent(response.content)
    assert cal["METHOD"] == "PUBLISH" and vevent["SUMMARY"] == event.title
    assert {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")} == {"Europe/London"}
    Registration.objects.filter(person=pat).update(status="cancelled")
    assert client.get(url).status_code == 403


def test_an_event_in_another_zone_gets_that_zone(event):
    Event.objects.filter(pk=event.pk).update(timezone="America/New_York")
    event.refresh_from_db()
    cal, vevent = _vevent(event_ics(event))
    assert vevent["DTSTART"].params["TZID"] == "America/New_York"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["America/New_York"]
