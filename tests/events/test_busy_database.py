"""A write refused by a busy SQLite database answers "try again" (503), never a 500."""

from unittest import mock

import pytest
from django.db import OperationalError

from cairn.events.models import BreakoutGroup

pytestmark = pytest.mark.django_db


def test_a_board_post_while_the_database_is_locked_says_try_again(client, alice, event):
    group = BreakoutGroup.objects.create(
        event=event, theme=event.breakout_themes.first(), name="Technology 1"
    )
    client.force_login(alice)
    with mock.patch(
        "cairn.events.services.board.post_note", side_effect=OperationalError("database is locked")
    ):
        response = client.post(group.get_absolute_url(), {"text": "We need more buses"})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "send it again" in response.content.decode()


def test_other_database_errors_are_not_hidden(client, alice, event):
    group = BreakoutGroup.objects.create(
        event=event, theme=event.breakout_themes.first(), name="Technology 1"
    )
    client.force_login(alice)
    client.raise_request_exception = True
    with (
        mock.patch(
            "cairn.events.services.board.post_note", side_effect=OperationalError("disk I/O error")
        ),
        pytest.raises(OperationalError),
    ):
        client.post(group.get_absolute_url(), {"text": "We need more buses"})
