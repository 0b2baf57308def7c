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
