import pytest

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.events.models import BreakoutGroup
from cairn.events.services.registration import register


@pytest.fixture
def group(event, charlie):
    register(event.pk, charlie.person)
    theme = event.breakout_themes.first()
    group = BreakoutGroup.objects.create(event=event, theme=theme, name="Technology 1")
    group.members.add(charlie.person)
    return group


def test_a_note_posted_without_javascript_becomes_a_breakout_note_contribution(
    client, group, charlie
):
    client.force_login(charlie)
    response = client.post(group.get_absolute_url(), {"text": "Old technology is still technology"})
    assert response.status_code == 302
    note = Contribution.objects.get()
    assert note.channel == ContributionChannel.BREAKOUT_NOTE
    assert note.theme == group.theme and note.breakout_group == group and note.event == group.event
    assert note.author == charlie.person
    page = client.get(response["Location"]).content.decode()
    assert "Old technology is still technology" in page


def test_a_note_can_be_posted_anonymously(client, group, charlie):
    client.force_login(charlie)
    client.post(
        group.get_absolute_url(), {"text": "Not everyone can afford data", "anonymous": "on"}
    )
    note = Contribution.objects.get()
    assert note.author is None and note.is_anonymous


def test_the_poll_returns_only_notes_newer_than_the_last_one_seen(client, group, charlie, bob):
    client.force_login(charlie)
    client.post(group.get_absolute_url(), {"text": "first"})
    first = Contribution.objects.get()
    url = f"/events/{group.event_id}/groups/{group.pk}/notes/"
    assert client.get(url, {"after": first.pk}).status_code == 204
    group.facilitator = bob.person
    group.save()
    client.force_login(bob)  # the group's facilitator may post on its board
    client.post(group.get_absolute_url(), {"text": "second"})
    client.force_login(charlie)
    fresh = client.get(url, {"after": first.pk}).content.decode()
    assert "second" in fresh and "first" not in fresh


def test_members_outside_the_group_cannot_read_or_post(client, group, person_factory):
    from tests.conftest import make_user

    dave = make_user("dave", None)
    client.force_login(dave)
    assert client.get(group.get_absolute_url()).status_code == 403
    assert client.post(group.get_absolute_url(), {"text": "sneaky"}).status_code == 403
    assert client.get(f"/events/{group.event_id}/groups/{group.pk}/notes/").status_code == 403
    assert not Contribution.objects.exists()


def test_an_empty_note_is_refused_with_a_message(client, group, charlie):
    client.force_login(charlie)
    response = client.post(group.get_absolute_url(), {"text": "   "})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Contribution.objects.exists()


def test_an_unchanged_board_poll_is_answered_without_reading_the_notes(client, group, charlie):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(charlie)
    client.post(group.get_absolute_url(), {"text": "first"})
    first = Contribution.objects.get()
    url = f"/events/{group.event_id}/groups/{group.pk}/notes/"
    with CaptureQueriesContext(connection) as seen:
        response = client.get(url, {"after": first.pk})
    assert response.status_code == 204
    assert not [q for q in seen.captured_queries if "contributions_contribution" in q["sql"]]
    # A conditional request for the board it already has is answered 304.
    etag = response["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    client.post(group.get_absolute_url(), {"text": "second"})
    changed = client.get(url, {"after": first.pk}, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and "second" in changed.content.decode()
    assert changed["ETag"] != etag


def test_a_note_posted_through_another_process_shows_once_the_cached_id_expires(
    client, group, charlie
):
    from django.core.cache import cache

    from cairn.contributions.services import record_contribution
    from cairn.events.services import board

    client.force_login(charlie)
    client.post(group.get_absolute_url(), {"text": "first"})
    first = Contribution.objects.get()
    url = f"/events/{group.event_id}/groups/{group.pk}/notes/"
    # Written by another web process: this process's cache has not heard of it.
    record_contribution(
        text="from elsewhere", channel="breakout_note", breakout_group=group, source="test"
    )
    assert client.get(url, {"after": first.pk}).status_code == 204
    cache.delete(board._last_key(group.pk))  # what LAST_NOTE_SECONDS later brings
    assert "from elsewhere" in client.get(url, {"after": first.pk}).content.decode()
