"""Odd values posted to the outreach pages give a message, never a 500."""

import pytest

from cairn.members.models import ConsentPurpose
from cairn.outreach.models import DeliveryStatus, Message
from cairn.outreach.services import notify

pytestmark = pytest.mark.django_db

INVITE = ConsentPurpose.EVENT_INVITATIONS


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_an_odd_action_on_a_not_reached_case_is_a_message(client, alice, person_factory):
    delivery = notify(person_factory("Pat", consent=[]), subject="S", body="B", purpose=INVITE)
    status = delivery.status
    client.force_login(alice)
    for action in ("explode", ""):
        response = client.post(
            f"/outreach/deliveries/{delivery.pk}/act/", {"action": action}, follow=True
        )
        assert "Choose to send it again or to mark it as dealt with" in _messages(response)
    delivery.refresh_from_db()
    assert delivery.status == status != DeliveryStatus.RESOLVED


def test_an_odd_compose_button_sends_nothing(client, alice):
    client.force_login(alice)
    form = {"subject": "Hello", "body": "Hi", "purpose": INVITE, "action": "launch"}
    response = client.post("/outreach/compose/", form | {"confirm": "1"})
    assert response.status_code == 200
    assert "Choose to preview or to send the message" in _messages(response)
    assert not Message.objects.exists()
