"""Emailed replies: each person their own address, checked against the sender; doubtful ones held."""

from email.message import EmailMessage

import pytest
from django.urls import reverse

from cairn.conversations.models import HeldReply, HeldStatus, Post
from cairn.conversations.services.email_replies import (
    EmailReplyError,
    authentication_problem,
    ingest_email,
    reply_address,
)
from cairn.members.models import Person


def _email(to, sender="Rosie <rosie@library.example>", auth=None, message_id="<f1@x>"):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = "Re: What have we learned?"
    message["Message-ID"] = message_id
    for header in auth or []:
        message["Authentication-Results"] = header
    message.set_content("Keep the digital help sessions.")
    return bytes(message)


@pytest.fixture
def sam(db):
    return Person.objects.create(first_name="Sam", last_name="Other", email="sam@example.org")


def test_each_member_has_their_own_reply_address(thread, rosie, sam):
    assert reply_address(thread, rosie) != reply_address(thread, sam)
    assert f"+t{thread.pk}.p{rosie.pk}." in reply_address(thread, rosie)


def test_a_reply_from_the_addresss_own_person_is_posted(thread, rosie):
    post = ingest_email(_email(reply_address(thread, rosie)))
    assert isinstance(post, Post) and post.author == rosie


def test_someone_using_another_members_address_is_held_not_posted(thread, rosie, sam):
    """Sam saw Rosie's address (a forwarded digest) and writes as Rosie: held."""
    before = Post.objects.count()
    held = ingest_email(_email(reply_address(thread, rosie), sender="sam@example.org"))
    assert isinstance(held, HeldReply)
    assert "sam@example.org" in held.reason and Post.objects.count() == before


def test_a_forged_from_with_the_right_address_but_failing_dmarc_is_held(thread, rosie):
    auth = [
        "mx.network.example; spf=fail smtp.mailfrom=evil.example; dmarc=fail header.from=library.example"
    ]
    held = ingest_email(_email(reply_address(thread, rosie), auth=auth))
    assert isinstance(held, HeldReply) and "DMARC fail" in held.reason


def test_passing_authentication_results_let_the_reply_through(thread, rosie):
    auth = ["mx.network.example; spf=pass smtp.mailfrom=library.example; dkim=pass; dmarc=pass"]
    assert isinstance(ingest_email(_email(reply_address(thread, rosie), auth=auth)), Post)


def test_only_the_receiving_servers_own_header_counts(thread, rosie):
    """A sender can add an Authentication-Results saying pass; ours is on top and says fail."""
    message = EmailMessage()
    message["Authentication-Results"] = "mx.network.example; dkim=fail; spf=fail"
    message["Authentication-Results"] = "forger.example; dkim=pass; spf=pass; dmarc=pass"
    assert "DKIM fail" in authentication_problem(message)


def test_a_made_up_address_for_a_member_is_refused(thread, rosie):
    forged = reply_address(thread, rosie).replace(f".p{rosie.pk}.", f".p{rosie.pk + 1}.")
    with pytest.raises(EmailReplyError, match="does not match"):
        ingest_email(_email(forged))


def test_the_old_shared_address_is_held(thread, rosie):
    shared = f"cairn+t{thread.pk}.{thread.reply_key}@localhost"
    held = ingest_email(_email(shared))
    assert isinstance(held, HeldReply) and "shared address" in held.reason


def test_a_coordinator_approves_a_held_reply_and_it_is_posted(client, alice, thread, rosie, sam):
    held = ingest_email(_email(reply_address(thread, rosie), sender="sam@example.org"))
    client.force_login(alice)
    listing = client.get(reverse("conversations:list")).content.decode()
    assert "1 emailed reply to check" in listing
    page = client.get(reverse("conversations:held")).content.decode()
    assert "Keep the digital help sessions." in page and "sam@example.org" in page
    response = client.post(
        reverse("conversations:held_decide", args=[held.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert (
        held.status == HeldStatus.APPROVED and held.post.body == "Keep the digital help sessions."
    )
    assert held.post.author == rosie


def test_a_rejected_reply_is_never_posted(client, alice, thread, rosie):
    held = ingest_email(_email(reply_address(thread, rosie), sender="sam@example.org"))
    client.force_login(alice)
    client.post(reverse("conversations:held_decide", args=[held.pk]), {"decision": "reject"})
    held.refresh_from_db()
    assert held.status == HeldStatus.REJECTED and held.post is None
    assert not Post.objects.filter(body="Keep the digital help sessions.").exists()


def test_the_conversation_page_shows_each_member_their_own_address(client, thread, charlie):
    client.force_login(charlie)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert reply_address(thread, charlie.person) in page
