"""The compose page as a coordinator meets it: what the preview promises is what sending
does, and a merge field that would come out blank or raw is caught before anyone gets it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from cairn.events.models import Event
from cairn.members.models import Channel, ChannelConsent, ConsentMethod, ConsentPurpose
from cairn.outreach.models import DeliveryStatus, Message

pytestmark = pytest.mark.django_db
NEWS = ConsentPurpose.NEWSLETTERS
HERE = "Eastdale"


def _form(**fields) -> dict:
    return {
        "subject": "Autumn news",
        "body": "Dear {first_name},\n\nHere is our news.",
        "purpose": NEWS,
        "action": "preview",
    } | fields


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_misspelt_merge_field_in_the_subject_is_caught_and_the_input_kept(client, alice):
    client.force_login(alice)
    page = client.post("/outreach/compose/", _form(subject="News for {firstname}"))
    html = page.content.decode()
    assert "Unknown merge field: {firstname}" in html
    assert 'value="News for {firstname}"' in html  # nothing typed is lost
    assert "Send" not in _text(html).split("Preview")[-1]


def test_event_fields_need_an_event_chosen_or_they_would_go_out_blank(client, alice, org):
    client.force_login(alice)
    body = "Dear {first_name},\n\nJoin us at {event} on {event_date}."
    html = client.post("/outreach/compose/", _form(body=body)).content.decode()
    assert "{event} and {event_date} are filled in from the event chosen" in html
    assert "Preview by channel" not in html
    start = timezone.now() + timedelta(days=10)
    event = Event.objects.create(
        title="Learning day", starts_at=start, ends_at=start + timedelta(hours=2)
    )
    chosen = client.post("/outreach/compose/", _form(body=body, event=event.pk))
    assert "Preview by channel" in chosen.content.decode()


def test_the_preview_counts_and_shows_only_the_people_it_will_reach(
    client, alice, person_factory, mailoutbox
):
    # Adam sorts first but never agreed to newsletters; Zoe refused email altogether.
    person_factory("Adam", last_name="Abbot", consent=[], region=HERE)
    person_factory("Emma", consent=[NEWS], region=HERE)
    zoe = person_factory("Zoe", consent=[NEWS], region=HERE)
    ChannelConsent.objects.create(
        person=zoe,
        channel=Channel.EMAIL,
        granted=False,
        method=ConsentMethod.IMPORT,
        recorded_at=zoe.created_at,
    )
    person_factory(
        "Bill", preferred_channel=Channel.PHONE, phone="01632 960001", consent=[NEWS], region=HERE
    )
    person_factory("Pat", preferred_channel=Channel.POST, consent=[NEWS], region=HERE)  # no address
    client.force_login(alice)
    text = _text(client.post("/outreach/compose/", _form(region=HERE)).content.decode())
    assert "5 people in the audience (Eastdale)" in text
    assert "2 of them will get it by their own channel" in text
    assert "The other 3 go to the not-reached list" in text
    assert "Email: 1 person As Emma Millar will get it" in text
    assert "Adam" not in text and "Post:" not in text
    assert "Send to 2 people" in text
    client.post("/outreach/compose/", _form(region=HERE, action="send", confirm="1"))
    deliveries = Message.objects.get().deliveries
    reached = deliveries.exclude(status=DeliveryStatus.NOT_REACHED)
    assert sorted(reached.values_list("person__first_name", flat=True)) == ["Bill", "Emma"]
    assert deliveries.filter(status=DeliveryStatus.NOT_REACHED).count() == 3


def test_an_audience_nobody_in_which_can_be_reached_says_so(client, alice, person_factory):
    person_factory("Adam", consent=[], region=HERE)
    client.force_login(alice)
    text = _text(client.post("/outreach/compose/", _form(region=HERE)).content.decode())
    assert "1 person in the audience" in text
    assert "Nobody in this audience can be reached for this purpose" in text
    assert "Nobody matches this audience" not in text


def test_reachable_agrees_with_the_one_person_rules_sending_uses(demo):
    from cairn.members.models import Person
    from cairn.outreach.services import channel_problem, consented, reachable

    people = Person.objects.all()
    for purpose in ConsentPurpose.values:
        counted = set(reachable(people, purpose).values_list("pk", flat=True))
        decided = {
            p.pk
            for p in people
            if consented(p, purpose) and not channel_problem(p, p.preferred_channel)
        }
        assert counted == decided and decided, purpose


def _send_key(html: str) -> str:
    return re.search(r'name="send_key" value="([^"]+)"', html).group(1)


def test_send_pressed_twice_sends_the_message_once(client, alice, person_factory, mailoutbox):
    # A double click, or the POST resent by the browser's back button, without JavaScript.
    person_factory("Emma", consent=[NEWS], region=HERE)
    client.force_login(alice)
    preview = client.post("/outreach/compose/", _form(region=HERE)).content.decode()
    form = _form(region=HERE, action="send", confirm="1", send_key=_send_key(preview))
    first = client.post("/outreach/compose/", form)
    again = client.post("/outreach/compose/", form, follow=True)
    message = Message.objects.get()
    assert first.status_code == 302
    assert again.redirect_chain[-1][0] == message.get_absolute_url()
    assert "was already sent" in again.content.decode()
    assert [m.subject for m in mailoutbox] == ["Autumn news"]


def test_a_changed_message_sent_from_the_same_page_is_a_new_message(
    client, alice, person_factory, mailoutbox
):
    person_factory("Emma", consent=[NEWS], region=HERE)
    client.force_login(alice)
    key = _send_key(client.get("/outreach/compose/").content.decode())
    client.post("/outreach/compose/", _form(region=HERE, action="send", confirm="1", send_key=key))
    client.post(
        "/outreach/compose/",
        _form(region=HERE, subject="Correction", action="send", confirm="1", send_key=key),
    )
    assert sorted(m.subject for m in mailoutbox) == ["Autumn news", "Correction"]
    assert Message.objects.count() == 2
