"""Message titles show the merged values about their record, not "{event}"."""

import pytest
from django.contrib.auth.models import User

from cairn.outreach.models import Message

pytestmark = pytest.mark.django_db


def test_message_titles_show_the_event_not_the_merge_field(client, demo):
    message = Message.objects.filter(subject__contains="{event}").first()
    assert message is not None, "the demo sends an invitation about an event"
    client.force_login(User.objects.get(username="coordinator"))
    index = client.get("/outreach/").content.decode()
    detail = client.get(message.get_absolute_url()).content.decode()
    for page in (index, detail):
        assert "{event}" not in page
        assert f"Invitation: {message.about.title}" in page
