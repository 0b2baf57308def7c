"""A board poll that would show notes, made with a poll pass, is checked again from the
database in one query: whatever ends a session's right to read the room stops the notes at
once, in every web process, without anything having to forget the pass."""

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cairn.contributions.models import ContributionChannel
from cairn.contributions.services import record_contribution
from cairn.core.roles import Role
from cairn.events.models import BreakoutGroup
from cairn.events.services import board
from tests.conftest import make_user


def notes_url(group) -> str:
    return reverse("events:group_notes", args=[group.event_id, group.pk]) + "?after=0"


def post_note(group, text: str) -> None:
    record_contribution(text=text, channel=ContributionChannel.BREAKOUT_NOTE, breakout_group=group)
    board.cache.delete(board._last_key(group.pk))


def with_pass(client, user, group) -> None:
    """Logged in, and the first poll (the full check) has granted the session its pass."""
    client.force_login(User.objects.get(pk=user.pk))
    assert client.get(notes_url(group)).status_code == 204
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert board.poll_pass(key, group.event_id, group.pk) is not None


def test_a_poll_with_new_notes_on_a_pass_reads_one_check_and_the_notes(client, rooms, charlie):
    _led, other = rooms
    with_pass(client, charlie, other)
    post_note(other, "We need more buses")
    board.last_note_id(other.pk)  # as an earlier poll of the room left it in the cache
    with CaptureQueriesContext(connection) as seen:
        response = client.get(notes_url(other))
    assert response.status_code == 200 and b"more buses" in response.content
    # The check (session, account, membership) and the notes: no session, user or role load.
    assert len(seen.captured_queries) == 2
    assert not any(q["sql"].startswith('SELECT "auth_group"') for q in seen.captured_queries)


def test_after_logging_out_a_poll_with_new_notes_is_refused(client, rooms, charlie):
    _led, other = rooms
    with_pass(client, charlie, other)
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.logout()
    client.cookies[settings.SESSION_COOKIE_NAME] = old_cookie  # a stolen or stale cookie
    post_note(other, "A private thought")
    response = client.get(notes_url(other))
    assert response.status_code == 302 and b"private" not in response.content


def test_an_expired_session_gets_no_new_notes(client, rooms, charlie):
    _led, other = rooms
    with_pass(client, charlie, other)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now())
    post_note(other, "A private thought")
    assert client.get(notes_url(other)).status_code == 302


def test_a_password_change_stops_the_notes_of_the_sessions_opened_before_it(client, rooms, charlie):
    _led, other = rooms
    with_pass(client, charlie, other)
    charlie.set_password("a-new-password")  # elsewhere: every older session is logged out
    charlie.save()
    post_note(other, "A private thought")
    assert client.get(notes_url(other)).status_code == 302


def test_a_deactivated_account_gets_no_new_notes(client, rooms, charlie):
    _led, other = rooms
    with_pass(client, charlie, other)
    User.objects.filter(pk=charlie.pk).update(is_active=False)
    post_note(other, "A private thought")
    assert client.get(notes_url(other)).status_code == 302


def test_a_member_moved_to_another_room_gets_no_more_notes_of_the_first(client, rooms, charlie):
    led, other = rooms
    with_pass(client, charlie, other)
    other.members.remove(charlie.person)
    led.members.add(charlie.person)
    post_note(other, "Said after Charlie left")
    assert client.get(notes_url(other)).status_code == 403


def test_a_facilitator_replaced_as_leader_gets_no_more_notes(client, rooms, bob):
    led, _other = rooms
    with_pass(client, bob, led)
    led.facilitator = make_user("frank", Role.FACILITATOR).person
    led.save()
    post_note(led, "Said after Bob handed over")
    assert client.get(notes_url(led)).status_code == 403


def test_a_coordinator_who_no_longer_coordinates_gets_no_more_notes(client, rooms):
    _led, other = rooms
    cora = make_user("cora", Role.COORDINATOR)
    with_pass(client, cora, other)
    cora.groups.remove(Group.objects.get(name=Role.COORDINATOR.group_name))
    post_note(other, "Said after Cora stepped down")
    assert client.get(notes_url(other)).status_code == 403


def test_the_one_query_check_agrees_with_the_full_check(client, rooms, alice, bob, charlie):
    led, other = rooms
    taker = make_user("eve", Role.FACILITATOR)
    other.note_taker = taker.person
    other.save()
    root = User.objects.create_superuser("root", password="pw-root")
    idle = make_user("ida", Role.MEMBER)
    leaving = make_user("leo", Role.MEMBER)
    other.members.add(leaving.person)
    User.objects.filter(pk=leaving.pk).update(is_active=False)
    people = [alice, bob, charlie, taker, root, idle, User.objects.get(pk=leaving.pk)]
    seen = set()
    for user in people:
        client.force_login(user)
        key = client.session.session_key
        held = {"user": user.pk, "hash": user.get_session_auth_hash()}
        for group in (led, other):
            group = BreakoutGroup.objects.get(pk=group.pk)
            expected = board.can_use_board(User.objects.get(pk=user.pk), group)
            found = board.pass_still_holds(key, held, group.event_id, group.pk)
            assert found == expected, (user.username, group.name)
            seen.add(found)
        # A pass names its group and event: the same room under another event's address fails.
        assert not board.pass_still_holds(key, held, led.event_id + 1000, led.pk)
    assert seen == {True, False}


def test_a_poll_that_brings_notes_on_a_pass_renews_it(client, rooms, charlie, monkeypatch):
    # Checked in full from the database, it earns the session another minute: a room that
    # keeps talking does not send its members through the full check every minute.
    _led, other = rooms
    with_pass(client, charlie, other)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    renewed = []
    monkeypatch.setattr(board, "renew_poll_pass", lambda *args: renewed.append(args))
    post_note(other, "We need more buses")
    assert client.get(notes_url(other)).status_code == 200
    assert renewed == [
        (key, board.poll_pass(key, other.event_id, other.pk), other.event_id, other.pk)
    ]
    # A refused one earns nothing.
    other.members.remove(charlie.person)
    post_note(other, "Said after Charlie left")
    assert client.get(notes_url(other)).status_code == 403
    assert len(renewed) == 1


def test_a_first_poll_reads_the_session_and_checks_it_in_one_query(client, rooms, charlie):
    # Every open board polls at once after a restart: none of them loads the user, their
    # role, the room and the membership one query each.
    _led, other = rooms
    client.force_login(charlie)
    post_note(other, "We need more buses")
    board.last_note_id(other.pk)
    with CaptureQueriesContext(connection) as seen:
        response = client.get(notes_url(other))
    assert response.status_code == 200 and b"more buses" in response.content
    tables = [q["sql"].split("FROM", 1)[1].split()[0] for q in seen.captured_queries]
    assert tables == ['"django_session"', '"auth_user"', '"contributions_contribution"']
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert board.poll_pass(key, other.event_id, other.pk) is not None


def test_a_first_poll_from_a_session_older_than_the_password_is_refused(client, rooms, charlie):
    _led, other = rooms
    client.force_login(charlie)
    charlie.set_password("a-new-password")
    charlie.save()
    assert client.get(notes_url(other)).status_code == 302
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert board.poll_pass(key, other.event_id, other.pk) is None


def test_a_first_poll_from_a_session_of_a_retired_login_method_takes_the_full_check(
    client, rooms, charlie
):
    from django.contrib.auth import BACKEND_SESSION_KEY

    _led, other = rooms
    client.force_login(charlie)
    session = client.session
    session[BACKEND_SESSION_KEY] = "cairn.nowhere.Backend"
    session.save()
    assert board.pass_from_session(session) is None
    assert client.get(notes_url(other)).status_code == 302


def test_a_first_poll_from_an_expired_session_is_sent_to_log_in(client, rooms, charlie):
    _led, other = rooms
    client.force_login(charlie)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now())
    post_note(other, "A private thought")
    response = client.get(notes_url(other))
    assert response.status_code == 302 and b"private" not in response.content
    assert board.poll_pass(key, other.event_id, other.pk) is None


def test_a_first_poll_whose_session_row_was_tampered_with_names_no_one(client, rooms, charlie):
    _led, other = rooms
    client.force_login(charlie)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    row = Session.objects.get(session_key=key)
    # Signed with another key: the signature no longer matches what it says.
    Session.objects.filter(pk=key).update(session_data=row.session_data[:-3] + "xyz")
    post_note(other, "A private thought")
    assert client.get(notes_url(other)).status_code == 302


def test_the_newest_note_id_is_the_rooms_own_and_0_for_an_empty_room(rooms):
    led, other = rooms
    assert board.last_note_id(other.pk) == 0
    post_note(other, "First")
    post_note(led, "In the other room")
    newest = other.contributions.order_by("-pk").first()
    post_note(other, "Second")
    board.cache.delete(board._last_key(other.pk))
    assert board.last_note_id(other.pk) == other.contributions.order_by("-pk").first().pk
    assert board.last_note_id(other.pk) != newest.pk
    # A contribution of the room that is not a board note is not one.
    record_contribution(
        text="Typed up afterwards", channel=ContributionChannel.CHAT, breakout_group=other
    )
    board.cache.delete(board._last_key(other.pk))
    assert (
        board.last_note_id(other.pk)
        == other.contributions.filter(channel=ContributionChannel.BREAKOUT_NOTE)
        .order_by("-pk")
        .first()
        .pk
    )


def test_the_rooms_other_members_are_sent_the_same_new_notes_without_reading_them_again(
    client, rooms, charlie
):
    _led, other = rooms
    dora = make_user("dora", Role.MEMBER)
    other.members.add(dora.person)
    doras = Client()
    with_pass(client, charlie, other)
    with_pass(doras, dora, other)
    post_note(other, "We need more buses")
    first = client.get(notes_url(other))
    assert first.status_code == 200 and b"more buses" in first.content
    with CaptureQueriesContext(connection) as seen:
        second = doras.get(notes_url(other))
    assert second.content == first.content
    assert len(seen.captured_queries) == 1  # the check alone: each member is still checked
    # Someone who has left the room is refused before any kept fragment is looked at.
    other.members.remove(dora.person)
    assert doras.get(notes_url(other)).status_code == 403


def test_a_newer_note_is_sent_at_once_not_a_kept_fragment(client, rooms, charlie):
    _led, other = rooms
    with_pass(client, charlie, other)
    post_note(other, "We need more buses")
    assert b"more buses" in client.get(notes_url(other)).content
    post_note(other, "And trams")
    again = client.get(notes_url(other))
    assert b"more buses" in again.content and b"And trams" in again.content


def test_opening_the_board_gives_its_first_poll_the_pass(client, rooms, charlie):
    # The board's script polls from the page: that first poll needs no check of its own.
    _led, other = rooms
    client.force_login(charlie)
    assert client.get(reverse("events:group", args=[other.event_id, other.pk])).status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert board.poll_pass(key, other.event_id, other.pk) is not None
    board.last_note_id(other.pk)
    with CaptureQueriesContext(connection) as seen:
        assert client.get(notes_url(other)).status_code == 204
    assert len(seen.captured_queries) == 0


def test_a_board_refused_gives_no_pass(client, rooms, charlie):
    led, _other = rooms
    client.force_login(charlie)
    assert client.get(reverse("events:group", args=[led.event_id, led.pk])).status_code == 403
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert board.poll_pass(key, led.event_id, led.pk) is None
