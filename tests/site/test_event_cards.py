"""Event cards on the start page and the public front door say when an event is full."""

import pytest

from cairn.events.models import Event, RegistrationStatus

pytestmark = pytest.mark.django_db


def _fill(event: Event) -> None:
    registered = event.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    event.capacity = registered
    event.save(update_fields=["capacity"])


def test_a_full_open_event_reads_full_on_every_card(client, demo):
    from django.contrib.auth.models import User

    upcoming = Event.objects.filter(status="open").first()
    _fill(upcoming)
    public = client.get("/").content.decode()
    assert "Full: waiting list open" in public
    client.force_login(User.objects.get(username="member"))
    start = client.get("/").content.decode()
    assert "Full: waiting list open" in start
    upcoming.capacity = upcoming.capacity + 5
    upcoming.save(update_fields=["capacity"])
    assert "Full: waiting list open" not in client.get("/").content.decode()
    assert "Open for registration" in client.get("/").content.decode()


def test_a_members_cards_say_which_events_they_have_a_place_at(client, demo):
    from django.contrib.auth.models import User

    member = User.objects.get(username="member")
    mine = Event.objects.filter(registrations__person__user=member, status="open").first()
    client.force_login(member)
    for url in ("/", "/events/"):
        page = client.get(url).content.decode()
        assert "You have a place" in page, url
    mine.registrations.filter(person__user=member).update(status=RegistrationStatus.WAITLISTED)
    assert "You are on the waiting list" in client.get("/").content.decode()
    mine.registrations.filter(person__user=member).update(status=RegistrationStatus.CANCELLED)
    page = client.get("/").content.decode()
    assert "You have a place" not in page and "You are on the waiting list" not in page
