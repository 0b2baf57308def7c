"""Data rights cover every app: each relation to a person or a login is exported and
erased by an app's data-rights entry, or kept on purpose with a reason."""

import json

import pytest
from django.contrib.auth import get_user_model

from cairn.consultations.models import Response
from cairn.consultations.services import answering
from cairn.conversations.models import Follow, Post, PostChannel
from cairn.conversations.services import threads
from cairn.core import datarights
from cairn.exchange.models import ContactRequest, Listing, ListingCategory, ListingKind
from cairn.exchange.services import post_listing, start_contact
from cairn.members.models import Organisation, Person, Sector
from cairn.members.services import erase_person, person_data
from tests.conftest import make_user
from tests.consultations.conftest import make_consultation, raw_for

pytestmark = pytest.mark.django_db


def test_every_relation_to_a_person_or_login_is_covered_by_a_data_rights_entry():
    missing = datarights.uncovered(Person, get_user_model())
    assert not missing, (
        "These relations to a person or login are in no app's datarights.py; "
        "register how to export and erase them, or keep them with a reason: " + ", ".join(missing)
    )


def test_the_register_finds_the_known_relations_and_names_no_unknown_one():
    names = {datarights.relation_name(f) for f in datarights.relations_to(Person)}
    assert {
        "consultations.Response.person",
        "conversations.Follow.person",
        "conversations.Post.author",
        "events.BreakoutGroup.members",
    } <= names
    known = {n for e in datarights.registered() for n in (*e.relations, *e.kept)}
    # An entry naming a relation that does not exist is a typo that hides a gap.
    all_relations = {
        datarights.relation_name(f) for f in datarights.relations_to(Person, get_user_model())
    }
    assert known - all_relations <= {"account.EmailAddress.user"}


@pytest.fixture
def dana(db):
    """A member with a login who answered a consultation, asked about a listing,
    posted in a conversation and follows it."""
    user = make_user("dana", None, last_name="Okafor", email="dana@example.org")
    return user


@pytest.fixture
def dana_everywhere(dana, alice):
    person = dana.person
    person.sector = Sector.COMMUNITY
    person.save()
    consultation = make_consultation(alice)
    response = answering.start_web_response(consultation, dana)
    answering.save_web_answers(
        response, raw_for(consultation, open_text="Dana's phone tree."), submit=True
    )
    other = Organisation.objects.create(name="Westdale Men's Shed", sector=Sector.COMMUNITY)
    owner = Person.objects.create(first_name="Omar", last_name="Reid", organisation=other)
    listing = post_listing(
        actor=alice,
        kind=ListingKind.OFFER,
        category=ListingCategory.SPACE,
        organisation=other,
        title="Meeting room on Tuesdays",
        description="Free for community groups.",
        contact_person=owner,
    )
    start_contact(listing, actor=dana, message="Dana here, could we use it in May?")
    own_listing = post_listing(
        actor=alice,
        kind=ListingKind.NEED,
        category=ListingCategory.VOLUNTEERS,
        organisation=other,
        title="Drivers wanted",
        description="For the Friday run.",
        how_to_contact="Ring Dana on 01632 960777 or dana@example.org",
        contact_person=person,
    )
    thread = threads.start_thread(
        actor=alice,
        title="Keeping in touch",
        body="How did you stay in touch?",
        author=None,
        topic="Contact",
    )
    threads.add_post(thread, body="Dana: by phone, mostly.", author=person, channel=PostChannel.WEB)
    threads.set_following(thread, person, follow=True)
    return {"person": person, "listing": listing, "own_listing": own_listing, "thread": thread}


def test_the_export_covers_consultations_exchange_and_conversations(client, dana, dana_everywhere):
    client.force_login(dana)
    data = json.loads(client.get(f"/people/{dana.person.pk}/export.json").content)
    [response] = data["consultation_responses"]
    assert response["consultation"] == "Your experience of the past months"
    assert "Dana's phone tree." in [a["text"] for a in response["answers"]]
    [contact] = data["exchange_contacts"]
    assert contact == {
        "listing": "Meeting room on Tuesdays",
        "message": "Dana here, could we use it in May?",
        "created_at": contact["created_at"],
    }
    assert [x["title"] for x in data["exchange_listings"]] == ["Drivers wanted"]
    assert [p["body"] for p in data["conversation_posts"]] == ["Dana: by phone, mostly."]
    assert [f["thread"] for f in data["conversation_follows"]] == ["Keeping in touch"]
    # The answer's words also came in as a contribution, exported there too.
    assert "Dana's phone tree." in [c["text"] for c in data["contributions"]]


def test_the_readable_export_has_a_section_for_each_app(client, dana, dana_everywhere):
    from io import BytesIO

    from pypdf import PdfReader

    client.force_login(dana)
    pdf = client.get(f"/people/{dana.person.pk}/export.pdf").content
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    for heading in (
        "Consultation responses",
        "Requests to get in touch you sent",
        "Conversation posts",
        "Conversations you follow",
    ):
        assert heading in text
    assert "could we use it in May?" in text


def test_erasure_reaches_consultations_exchange_and_conversations(alice, dana, dana_everywhere):
    person = dana_everywhere["person"]
    response = Response.objects.get(person=person)
    post = Post.objects.get(author=person)
    erase_person(person, alice)

    response.refresh_from_db()
    assert response.person is None and response.respondent_name == ""
    assert response.sector == Sector.COMMUNITY  # counts by sector stay true
    assert response.answers.filter(text="Dana's phone tree.").exists()

    request = ContactRequest.objects.get(listing=dana_everywhere["listing"])
    assert request.message == ""
    own = Listing.objects.get(pk=dana_everywhere["own_listing"].pk)
    assert own.contact_person is None
    assert "dana@example.org" not in own.how_to_contact
    assert "01632 960777" in own.how_to_contact  # her own phone was not on record

    post.refresh_from_db()
    assert post.author is None and post.body == "Dana: by phone, mostly."
    assert not Follow.objects.filter(person=person).exists()

    data = person_data(Person.objects.get(pk=person.pk))
    for key in ("consultation_responses", "exchange_listings", "conversation_posts"):
        assert data[key] == [], key
    assert data["conversation_follows"] == []


def test_erasure_removes_invitations_and_the_request_to_join(alice, mailoutbox):
    from cairn.accounts.models import Invite, JoinRequest
    from cairn.accounts.services import approve_join_request, create_invite, request_to_join

    join = request_to_join(
        {
            "first_name": "Ola",
            "last_name": "Berg",
            "sector": Sector.COMMUNITY,
            "email": "ola@example.org",
            "message": "I run the lunch club.",
        }
    )
    person = approve_join_request(join, alice)
    if not Invite.objects.filter(person=person).exists():
        create_invite(person, "email", alice)
    data = person_data(person)
    assert data["join_requests"][0]["message"] == "I run the lunch club."
    assert data["login_invitations"]
    erase_person(person, alice)
    assert not Invite.objects.filter(person=person).exists()
    assert not JoinRequest.objects.filter(pk=join.pk).exists()


def test_erasure_removes_a_held_email_reply_and_strips_a_decided_one(alice, dana_everywhere):
    from cairn.conversations.models import HeldReply, HeldStatus

    person = dana_everywhere["person"]
    thread = dana_everywhere["thread"]
    waiting = HeldReply.objects.create(
        thread=thread, person=person, sender="dana@example.org", body="Me too.", reason="x"
    )
    decided = HeldReply.objects.create(
        thread=thread,
        person=person,
        sender="dana@example.org",
        body="Earlier.",
        reason="x",
        status=HeldStatus.REJECTED,
    )
    assert len(person_data(person)["conversation_held_replies"]) == 2
    erase_person(person, alice)
    assert not HeldReply.objects.filter(pk=waiting.pk).exists()
    decided.refresh_from_db()
    assert (decided.person, decided.sender, decided.body) == (None, "", "")
    assert decided.status == HeldStatus.REJECTED
