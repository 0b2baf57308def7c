"""Past events keep their registrations; importing a chat for an event not started warns."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cairn.contributions.models import Contribution
from cairn.events.models import Registration, RegistrationStatus
from cairn.events.services.registration import register

pytestmark = pytest.mark.django_db

CHAT = b"12:03:55\t From  Jane Doe : We need more benches in the park\n"


def test_members_cannot_cancel_a_registration_after_the_event(client, event, charlie):
    register(event.pk, charlie.person)
    event.starts_at = timezone.now() - timedelta(days=2)
    event.ends_at = event.starts_at + timedelta(hours=2)
    event.save()
    client.force_login(charlie)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Cancel my registration" not in page
    response = client.post(f"/events/{event.pk}/my-registration/cancel/", follow=True)
    assert "can no longer be cancelled" in response.content.decode()
    assert Registration.objects.get(person=charlie.person).status == RegistrationStatus.REGISTERED


def test_a_chat_for_an_event_not_started_is_imported_only_after_a_warning(client, alice, event):
    client.force_login(alice)
    url = f"/events/{event.pk}/import-chat/"
    assert "has not started yet" in client.get(url).content.decode()
    page = client.post(url, {"file": SimpleUploadedFile("chat.txt", CHAT)}).content.decode()
    assert "Tick the box to import anyway" in page
    assert not Contribution.objects.exists()
    client.post(
        url, {"file": SimpleUploadedFile("chat.txt", CHAT), "not_started_ok": "on"}, follow=True
    )
    assert Contribution.objects.filter(event=event).count() == 1


def test_a_board_used_before_the_event_warns_and_after_it_does_not(client, alice, event):
    from cairn.events.models import BreakoutGroup

    group = BreakoutGroup.objects.create(
        event=event, theme=event.breakout_themes.first(), name="Technology 1"
    )
    client.force_login(alice)
    event.starts_at = timezone.now() + timedelta(days=2)
    event.ends_at = event.starts_at + timedelta(hours=2)
    event.save()
    assert "board-not-started" in client.get(group.get_absolute_url()).content.decode()
    event.starts_at = timezone.now() - timedelta(hours=1)
    event.save()
    assert "board-not-started" not in client.get(group.get_absolute_url()).content.decode()


def test_a_member_cannot_register_for_an_event_that_has_taken_place_though_left_open(
    client, event, charlie
):
    """The public page already refused it; a member's own page offered the form, and took
    the registration (with a confirmation and a calendar file for a day gone by)."""
    event.starts_at = timezone.now() - timedelta(days=2)
    event.ends_at = event.starts_at + timedelta(hours=2)
    event.save()
    client.force_login(charlie)
    page = client.get(event.get_absolute_url()).content.decode()
    assert f'action="/events/{event.pk}/register/"' not in page
    assert "Open for registration" not in page
    response = client.post(f"/events/{event.pk}/register/", {"access_needs": ""}, follow=True)
    assert "has taken place" in response.content.decode()
    assert not Registration.objects.filter(event=event).exists()
    listing = client.get("/events/?when=past").content.decode()
    assert "Open for registration" not in listing


def test_a_registration_cancelled_after_the_event_promotes_nobody_from_the_waiting_list(
    client, alice, event, person_factory, django_capture_on_commit_callbacks
):
    """Tidying the list after the day (a no-show cancelled by staff) gave the first person
    waiting "a place has come free" for an event that was over."""
    from cairn.outreach.models import Delivery

    regs = [register(event.pk, person_factory()) for _ in range(4)]  # capacity 3: one waits
    event.starts_at = timezone.now() - timedelta(days=2)
    event.ends_at = event.starts_at + timedelta(hours=2)
    event.save()
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/events/{event.pk}/registrations/{regs[0].pk}/cancel/")
    assert Registration.objects.get(pk=regs[0].pk).status == RegistrationStatus.CANCELLED
    assert Registration.objects.get(pk=regs[3].pk).status == RegistrationStatus.WAITLISTED
    assert not Delivery.objects.filter(subject__startswith="A place has come free").exists()


def test_an_event_under_way_says_it_is_happening_now(client, event, charlie):
    from cairn.events.models import EventStatus

    client.force_login(charlie)
    assert "Happening now" not in client.get(event.get_absolute_url()).content.decode()
    event.starts_at = timezone.now() - timedelta(minutes=10)
    event.ends_at = event.starts_at + timedelta(hours=2)
    event.save()
    assert "Happening now" in client.get(event.get_absolute_url()).content.decode()
    assert "Happening now" in client.get("/events/").content.decode()
    event.status = EventStatus.CANCELLED
    event.save()
    assert "Happening now" not in client.get(event.get_absolute_url()).content.decode()


def test_a_past_events_page_no_longer_offers_to_join_it_or_add_it_to_a_calendar(
    client, event, charlie
):
    register(event.pk, charlie.person)
    client.force_login(charlie)
    page = client.get(event.get_absolute_url()).content.decode()
    assert event.video_link in page and "4417 2290" in page and "Add to calendar" in page
    event.starts_at = timezone.now() - timedelta(days=2)
    event.ends_at = event.starts_at + timedelta(hours=2)
    event.save()
    page = client.get(event.get_absolute_url()).content.decode()
    assert event.video_link not in page and "4417 2290" not in page
    assert "Add to calendar" not in page


def test_someone_in_two_rooms_sees_one_your_groups_entry(client, event, charlie):
    from cairn.events.models import BreakoutGroup

    themes = list(event.breakout_themes.all())
    for n, theme in enumerate(themes[:2]):
        BreakoutGroup.objects.create(event=event, theme=theme, name=f"Room {n}").members.add(
            charlie.person
        )
    client.force_login(charlie)
    page = client.get(event.get_absolute_url()).content.decode()
    assert page.count("Your groups") == 1 and "Your group<" not in page
    assert "Room 0" in page and "Room 1" in page
