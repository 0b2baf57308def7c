"""Odd values posted to the conversation pages give a message, never a 500."""

import pytest
from django.urls import reverse

from cairn.conversations.models import Follow, HeldReply, HeldStatus
from cairn.conversations.services import threads
from cairn.conversations.services.email_replies import ingest_email, reply_address
from cairn.members.models import Person
from tests.conversations.test_forged_replies import _email

pytestmark = pytest.mark.django_db


def test_a_reply_to_a_message_of_another_conversation_is_refused(client, alice, charlie, thread):
    other = threads.start_thread(actor=alice, author=None, title="Other", topic="T", body="Hi")
    client.force_login(charlie)
    for parent in (other.posts.get().pk, "abc", "99999999999999999999999"):
        response = client.post(
            thread.get_absolute_url(), {"form": "reply", "body": "Agreed.", "parent": parent}
        )
        assert response.status_code == 200
        assert 'class="error-summary"' in response.content.decode()
    assert not thread.posts.filter(body="Agreed.").exists()


def test_an_odd_follow_value_is_a_message_and_keeps_the_follow(client, alice, thread):
    client.force_login(alice)
    response = client.post(
        reverse("conversations:follow", args=[thread.pk]), {"follow": "maybe"}, follow=True
    )
    assert "odd value" in " ".join(str(m) for m in response.context["messages"])
    assert Follow.objects.filter(thread=thread, person=alice.person).exists()


def test_an_odd_decision_on_a_held_reply_leaves_it_held(client, alice, thread, rosie):
    Person.objects.create(first_name="Sam", last_name="Other", email="sam@example.org")
    held = ingest_email(_email(reply_address(thread, rosie), sender="sam@example.org"))
    assert isinstance(held, HeldReply)
    client.force_login(alice)
    response = client.post(
        reverse("conversations:held_decide", args=[held.pk]), {"decision": "maybe"}, follow=True
    )
    assert "Choose whether to post or reject the reply" in " ".join(
        str(m) for m in response.context["messages"]
    )
    held.refresh_from_db()
    assert held.status == HeldStatus.HELD
