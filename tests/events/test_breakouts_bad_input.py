"""An odd button value on the breakouts page is a message, never a 500 or a silent no-op."""

import pytest

from cairn.events.models import BreakoutGroup

pytestmark = pytest.mark.django_db


def test_an_unknown_breakouts_action_is_a_message_and_allocates_nothing(client, event, alice):
    client.force_login(alice)
    for action in ("explode", ""):
        response = client.post(f"/events/{event.pk}/breakouts/", {"action": action})
        assert response.status_code == 200
        assert "Choose what to do with the breakouts" in " ".join(
            str(m) for m in response.context["messages"]
        )
    assert not BreakoutGroup.objects.exists()
