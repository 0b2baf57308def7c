from datetime import UTC, datetime

from cairn.core.models import AuditEntry
from cairn.events.models import Event, Registration, RegistrationStatus
from cairn.events.services.registration import register
from tests.events.conftest import themes

EVENT_FORM = {
    "title": "Building back better",
    "summary": "",
    "description": "",
    "starts_at": "2026-07-01T10:00",
    "ends_at": "2026-07-01T12:30",
    "timezone": "Europe/London",
    "format": "hybrid",
    "video_link": "https://meet.example/bbb",
    "dial_in": "0330 088 0000, code 1234",
    "venue": "Central Library",
    "capacity": "30",
    "status": "open",
    "agenda-TOTAL_FORMS": "3",
    "agenda-INITIAL_FORMS": "0",
    "agenda-MIN_NUM_FORMS": "0",
    "agenda-MAX_NUM_FORMS": "40",
    "agenda-0-time": "10:00",
    "agenda-0-title": "What we heard",
    "agenda-1-time": "10:30",
    "agenda-1-title": "A funder's view",
    "agenda-2-time": "",
    "agenda-2-title": "",
}


def test_a_coordinator_creates_an_event_with_its_time_zone_and_agenda(client, alice):
    speaker = alice.person
    client.force_login(alice)
    data = dict(EVENT_FORM, **{"agenda-1-speaker": speaker.pk})
    response = client.post("/events/new/", data)
    event = Event.objects.get()
    assert response["Location"] == event.get_absolute_url()
    # 10:00 in London in July is 09:00 UTC.
    assert event.starts_at == datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    assert event.dial_in == "0330 088 0000, code 1234"
    items = list(event.agenda_items.all())
    assert [i.title for i in items] == ["What we heard", "A funder's view"]
    assert items[1].speaker == speaker
    assert items[1].starts_at == datetime(2026, 7, 1, 9, 30, tzinfo=UTC)
    assert AuditEntry.objects.filter(action="event.created", actor=alice).exists()


def test_times_are_read_in_the_events_own_time_zone(client, alice):
    client.force_login(alice)
    client.post("/events/new/", dict(EVENT_FORM, timezone="America/New_York"))
    assert Event.objects.get().starts_at == datetime(2026, 7, 1, 14, 0, tzinfo=UTC)


def test_an_event_that_ends_before_it_starts_is_refused_with_a_message(client, alice):
    client.force_login(alice)
    response = client.post("/events/new/", dict(EVENT_FORM, ends_at="2026-07-01T09:00"))
    assert "The event must end after it starts." in response.content.decode()
    assert not Event.objects.exists()


def test_an_online_event_needs_a_video_link(client, alice):
    client.force_login(alice)
    response = client.post("/events/new/", dict(EVENT_FORM, format="online", video_link=""))
    assert "need a video link" in response.content.decode()


def test_members_cannot_create_or_edit_events(client, charlie, event):
    client.force_login(charlie)
    assert client.get("/events/new/").status_code == 403
    assert client.post(f"/events/{event.pk}/edit/", EVENT_FORM).status_code == 403
    assert client.post(f"/events/{event.pk}/cancel/").status_code == 403
    assert client.get(f"/events/{event.pk}/registrations/").status_code == 403


def test_raising_the_capacity_promotes_people_waiting(client, alice, event, person_factory):
    regs = [register(event.pk, person_factory()) for _ in range(5)]
    client.force_login(alice)
    form = client.get(f"/events/{event.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({k: EVENT_FORM[k] for k in EVENT_FORM if k.startswith("agenda-")})
    data.update(capacity="4", status="open", format="online", video_link=event.video_link)
    data.update(title=event.title, timezone="Europe/London")
    client.post(f"/events/{event.pk}/edit/", data)
    assert Registration.objects.get(pk=regs[3].pk).status == RegistrationStatus.REGISTERED
    assert Registration.objects.get(pk=regs[4].pk).status == RegistrationStatus.WAITLISTED


def test_a_member_registers_on_the_event_page_with_preferences(client, charlie, event):
    client.force_login(charlie)
    t = themes(event)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "First choice" in page
    client.post(
        f"/events/{event.pk}/register/",
        {
            "access_needs": "Captions",
            "rank_1": t["Technology"].pk,
            "rank_2": t["Private sector"].pk,
        },
    )
    registration = Registration.objects.get(person=charlie.person)
    assert registration.channel == "web" and registration.entered_by is None
    assert [p.theme.name for p in registration.preferences.all()] == [
        "Technology",
        "Private sector",
    ]


def test_ranking_one_theme_twice_on_the_form_gets_a_clear_message(client, charlie, event):
    client.force_login(charlie)
    t = themes(event)
    response = client.post(
        f"/events/{event.pk}/register/",
        {"rank_1": t["Technology"].pk, "rank_2": t["Technology"].pk},
    )
    assert "Choose each theme only once." in response.content.decode()
    assert not Registration.objects.exists()


def test_a_member_sees_their_place_on_the_waiting_list_and_can_cancel(
    client, charlie, event, person_factory
):
    for _ in range(4):
        register(event.pk, person_factory())
    register(event.pk, charlie.person)
    client.force_login(charlie)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "number 2 in the queue" in page and "Leave the waiting list" in page
    # A person who is only waiting has no place to hand on: the page says what they lose.
    confirm = client.get(f"/events/{event.pk}/my-registration/cancel/").content.decode()
    assert "Leave the waiting list?" in confirm and "goes to the first person" not in confirm
    client.post(f"/events/{event.pk}/my-registration/cancel/")
    assert Registration.objects.get(person=charlie.person).status == RegistrationStatus.CANCELLED


def test_staff_register_someone_who_wrote_a_letter(client, alice, event, person_factory):
    jean = person_factory("Jean")
    client.force_login(alice)
    client.post(
        f"/events/{event.pk}/registrations/add/",
        {"person": jean.pk, "channel": "post", "access_needs": "Large print"},
    )
    registration = Registration.objects.get(person=jean)
    assert registration.channel == "post" and registration.entered_by == alice
    page = client.get(f"/events/{event.pk}/registrations/").content.decode()
    assert "Letter" in page and "entered by" in page


def test_coordinators_cancel_an_event_after_confirming(client, alice, event):
    client.force_login(alice)
    assert "Cancel this event?" in client.get(f"/events/{event.pk}/cancel/").content.decode()
    client.post(f"/events/{event.pk}/cancel/", {"reason": ""})
    event.refresh_from_db()
    assert event.status == "cancelled"


def test_coordinators_choose_facilitators_from_the_registrations(client, alice, event, charlie):
    registration = register(event.pk, charlie.person)
    client.force_login(alice)
    client.post(
        f"/events/{event.pk}/registrations/{registration.pk}/role/", {"role": "facilitator"}
    )
    registration.refresh_from_db()
    assert registration.breakout_role == "facilitator"


def test_the_chat_import_page_reports_rejected_lines_and_imports_nothing(client, alice, event):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cairn.contributions.models import Contribution

    client.force_login(alice)
    upload = SimpleUploadedFile("chat.txt", b"12:03:55\t From  Jane Doe : hi\n12:04:00 bad\n")
    page = client.post(
        f"/events/{event.pk}/import-chat/", {"file": upload, "not_started_ok": "on"}, follow=True
    ).content.decode()
    assert "Nothing was imported" in page and "line 2" in page
    assert not Contribution.objects.exists()


def test_the_event_page_shows_times_in_the_events_own_time_zone(client, alice):
    client.force_login(alice)
    client.post("/events/new/", dict(EVENT_FORM, timezone="America/New_York"))
    event = Event.objects.get()
    page = client.get(event.get_absolute_url()).content.decode()
    assert "10:00–12:30 (America/New_York)" in page
