"""A message about an event: outreach is told what it is about and how to fill the
event's merge fields by the events app, and keeps the link on every delivery."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cairn.contributions.models import Contribution
from cairn.events.models import Event, EventFormat, EventStatus, Registration
from cairn.events.notices import merge_context
from cairn.members.models import Channel, ConsentPurpose
from cairn.outreach.models import Message
from cairn.outreach.script import call_script
from cairn.outreach.services import notify

pytestmark = pytest.mark.django_db
INVITE = ConsentPurpose.EVENT_INVITATIONS


@pytest.fixture
def event(db) -> Event:
    start = timezone.now() + timedelta(days=10)
    return Event.objects.create(
        title="Learning event",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        format=EventFormat.ONLINE,
        dial_in="Call 0330 088 0000, code 4417 2290 #",
        capacity=30,
        status=EventStatus.OPEN,
    )


def test_a_coordinator_writes_to_those_registered_for_an_event_with_its_merge_fields(
    client, alice, person_factory, event, mailoutbox
):
    emma = person_factory("Emma")
    bill = person_factory("Bill", preferred_channel=Channel.PHONE, phone="01632 960001")
    person_factory("Nina")  # not registered: not in the audience
    for person in (emma, bill):
        Registration.objects.create(event=event, person=person)
    client.force_login(alice)
    form = {
        "subject": "See you at {event}",
        "body": "Dear {first_name}, {event} starts {event_date}.",
        "purpose": INVITE,
        "event": event.pk,
    }
    page = client.post("/outreach/compose/", form | {"action": "preview"}).content.decode()
    assert "2 people in the audience (registered for Learning event)" in page
    assert "See you at Learning event" in page
    assert "0330 088 0000" in page  # the phone script gives the event's dial-in
    client.post("/outreach/compose/", form | {"action": "send", "confirm": "1"})
    message = Message.objects.get()
    assert message.about == event
    assert {d.about for d in message.deliveries.all()} == {event}
    [mail] = mailoutbox
    assert mail.subject == "See you at Learning event"
    assert merge_context(event)["event_date"] in mail.body


def test_words_passed_on_in_a_call_about_an_event_are_filed_under_it(
    client, bob, person_factory, event
):
    bill = person_factory("Bill", preferred_channel=Channel.PHONE, phone="01632 960001")
    delivery = notify(
        bill,
        subject="{event}",
        body="Come.",
        purpose=INVITE,
        about=event,
        merge=merge_context(event),
    )
    assert delivery.subject == "Learning event"
    assert "You can join by phone: Call 0330 088 0000, code 4417 2290 #" in call_script(delivery)
    client.force_login(bob)
    client.post(
        f"/outreach/calls/{delivery.pk}/", {"outcome": "reached", "passed_on": "I'll be there."}
    )
    assert Contribution.objects.get().event == event


def test_a_message_about_something_else_is_kept_and_files_no_event(person_factory, alice):
    bill = person_factory("Bill", preferred_channel=Channel.PHONE, phone="01632 960001")
    delivery = notify(bill, subject="Hello", body="Hi.", purpose=INVITE, about=alice.person)
    assert delivery.about == alice.person
    assert not [s for s in call_script(delivery) if "join by phone" in s]
