"""Odd values posted to the login pages of a person give a message, never a guess."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_odd_active_value_is_a_message_and_keeps_the_login(client, alice, bob):
    client.force_login(alice)
    response = client.post(
        f"/accounts/people/{bob.person.pk}/active/", {"active": "yes"}, follow=True
    )
    assert "odd value" in " ".join(str(m) for m in response.context["messages"])
    bob.refresh_from_db()
    assert bob.is_active
