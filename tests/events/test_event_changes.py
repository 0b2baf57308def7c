"""A coordinator moves an event or changes its link: the people registered or waiting
are told by their channel (when the coordinator leaves the box ticked), with the calendar
entry replaced, and a reminder already sent for the old day is sent again for the new."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cairn.events.models import Registration
from cairn.events.services.registration import register
from cairn.members.models import Channel
from cairn.outreach.models import Delivery
from tests.events.test_pages import EVENT_FORM

pytestmark = pytest.mark.django_db


def _edit(client, event, **changes):
    form = client.get(f"/events/{event.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({k: EVENT_FORM[k] for k in EVENT_FORM if k.startswith("agenda-")})
    data.update(status="open", format="online", video_link=event.video_link, capacity="3")
    data.update(title=event.title, timezone="Europe/London")
    data.update(changes)
    return client.post(f"/events/{event.pk}/edit/", data)


def test_moving_an_event_tells_everyone_registered_or_waiting_by_their_channel(
    client, alice, event, person_factory, django_capture_on_commit_callbacks
):
    emma = person_factory("Emma")
    jean = person_factory("Jean", channel=Channel.POST, email="")
    people = [emma, jean, person_factory(), person_factory("Wendy")]  # Wendy waits
    regs = [register(event.pk, p) for p in people]
    Registration.objects.filter(pk=regs[0].pk).update(reminder_sent_at=timezone.now())
    client.force_login(alice)
    page = client.get(f"/events/{event.pk}/edit/").content.decode()
    assert 'name="tell_registered"' in page
    new_start = (event.starts_at + timedelta(days=7)).astimezone(event.zone)
    with django_capture_on_commit_callbacks(execute=True):
        _edit(
            client,
            event,
            starts_at=new_start.strftime("%Y-%m-%dT%H:%M"),
            ends_at=(new_start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            tell_registered="on",
        )
    told = Delivery.objects.filter(subject__startswith="Changed:")
    assert sorted(d.person.first_name for d in told) == sorted(p.first_name for p in people)
    assert told.get(person=jean).channel == Channel.POST
    assert f"{new_start:%A %-d %B %Y, %H:%M}" in told.get(person=emma).body
    assert Registration.objects.get(pk=regs[0].pk).reminder_sent_at is None


def test_an_edit_that_moves_nothing_or_is_not_ticked_tells_nobody(
    client, alice, event, person_factory, django_capture_on_commit_callbacks
):
    register(event.pk, person_factory("Emma"))
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        _edit(client, event, summary="A better summary", tell_registered="on")
        _edit(client, event, video_link="https://meet.example/new-room")
    assert not Delivery.objects.filter(subject__startswith="Changed:").exists()


def test_lowering_the_capacity_below_the_places_taken_says_what_it_does(
    client, alice, event, person_factory
):
    for _ in range(3):
        register(event.pk, person_factory())
    client.force_login(alice)
    response = _edit(client, event, capacity="1")
    page = client.get(response["Location"]).content.decode()
    assert "3 people already have a place" in page
    assert Registration.objects.filter(event=event, status="registered").count() == 3
