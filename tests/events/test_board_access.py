"""Facilitators use the boards and printable lists of the groups they lead, nothing else."""

import pytest
from django.urls import reverse

from cairn.core.roles import Role
from tests.conftest import make_user


def board_urls(group):
    return [
        reverse("events:group", args=[group.event_id, group.pk]),
        reverse("events:group_notes", args=[group.event_id, group.pk]),
    ]


def test_a_facilitator_uses_the_board_of_the_group_they_lead(client, bob, rooms):
    led, _other = rooms
    client.force_login(bob)
    for url in board_urls(led):
        assert client.get(url).status_code in (200, 204), url
    assert client.post(board_urls(led)[0], {"text": "We need more buses"}).status_code == 302


def test_a_facilitator_cannot_read_or_post_on_another_groups_board(client, bob, rooms):
    _led, other = rooms
    client.force_login(bob)
    for url in board_urls(other):
        assert client.get(url).status_code == 403, url
    assert client.post(board_urls(other)[0], {"text": "sneaky"}).status_code == 403


def test_a_note_taker_uses_the_board_of_their_group(client, rooms):
    _led, other = rooms
    eve = make_user("eve", Role.FACILITATOR)
    other.note_taker = eve.person
    other.save()
    client.force_login(eve)
    assert client.get(board_urls(other)[0]).status_code == 200


def test_coordinators_use_every_board(client, alice, rooms):
    client.force_login(alice)
    for group in rooms:
        assert client.get(board_urls(group)[0]).status_code == 200


def test_the_printable_list_holds_only_the_facilitators_groups(client, bob, charlie, rooms):
    led, other = rooms
    charlie.person.phone = "01632 960999"
    charlie.person.save()
    client.force_login(bob)
    page = client.get(reverse("events:print_groups", args=[led.event_id]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Technology 1" in body
    assert "Sustainability 1" not in body and "01632 960999" not in body


def test_a_facilitator_of_no_group_cannot_print_an_events_lists(client, rooms):
    led, _other = rooms
    client.force_login(make_user("frank", Role.FACILITATOR))
    assert client.get(reverse("events:print_groups", args=[led.event_id])).status_code == 403


def test_a_coordinator_prints_every_group(client, alice, rooms):
    led, _other = rooms
    client.force_login(alice)
    body = client.get(reverse("events:print_groups", args=[led.event_id])).content.decode()
    assert "Technology 1" in body and "Sustainability 1" in body


def test_the_event_page_links_a_facilitator_only_to_boards_they_lead(client, bob, rooms):
    led, other = rooms
    client.force_login(bob)
    body = client.get(led.event.get_absolute_url()).content.decode()
    assert led.get_absolute_url() in body
    assert other.get_absolute_url() not in body


def test_a_facilitator_finds_the_printable_list_and_its_way_back_to_the_event(
    client, bob, charlie, alice, rooms
):
    """The printable list led facilitators 'back' to the coordinators' breakouts page (403),
    and no page linked them to it at all."""
    led, _other = rooms
    print_url = reverse("events:print_groups", args=[led.event_id])
    client.force_login(bob)
    assert print_url in client.get(led.event.get_absolute_url()).content.decode()
    page = client.get(print_url).content.decode()
    assert f'href="{led.event.get_absolute_url()}"' in page
    assert reverse("events:breakouts", args=[led.event_id]) not in page
    client.force_login(charlie)  # a member of a room, leading none
    assert print_url not in client.get(led.event.get_absolute_url()).content.decode()
    client.force_login(alice)
    page = client.get(print_url).content.decode()
    assert reverse("events:breakouts", args=[led.event_id]) in page


@pytest.mark.parametrize("who", ["member", "facilitator", "coordinator"])
def test_a_poll_that_hears_nothing_new_costs_no_query_once_checked(
    client, rooms, charlie, bob, who
):
    # Hundreds of boards poll every 3 s. The first poll of a session takes the full check;
    # the next ones, answered "nothing new", read only the cache.
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    led, other = rooms
    user = {"member": charlie, "facilitator": bob}.get(who) or make_user("cora", Role.COORDINATOR)
    group = led if who == "facilitator" else other
    client.force_login(User.objects.get(pk=user.pk))
    url = reverse("events:group_notes", args=[group.event_id, group.pk]) + "?after=0"
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 204
    assert any("breakoutgroup" in q["sql"] for q in first.captured_queries)
    with CaptureQueriesContext(connection) as seen:
        assert client.get(url).status_code == 204
    assert seen.captured_queries == []


def _post_note(group, text):
    from cairn.contributions.models import ContributionChannel
    from cairn.contributions.services import record_contribution
    from cairn.events.services import board

    note = record_contribution(
        text=text, channel=ContributionChannel.BREAKOUT_NOTE, breakout_group=group
    )
    board.cache.delete(board._last_key(group.pk))
    return note


def test_a_poll_pass_never_shows_notes_after_logging_out(client, rooms, charlie):
    from django.conf import settings

    _led, other = rooms
    client.force_login(charlie)
    url = reverse("events:group_notes", args=[other.event_id, other.pk]) + "?after=0"
    assert client.get(url).status_code == 204
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.logout()
    client.cookies[settings.SESSION_COOKIE_NAME] = old_cookie  # a stolen or stale cookie
    _post_note(other, "A private thought")
    response = client.get(url)
    assert response.status_code == 302
    assert b"private" not in response.content


def test_a_poll_pass_never_shows_notes_after_leaving_the_group(client, rooms, charlie):
    _led, other = rooms
    client.force_login(charlie)
    url = reverse("events:group_notes", args=[other.event_id, other.pk]) + "?after=0"
    assert client.get(url).status_code == 204
    other.members.remove(charlie.person)
    _post_note(other, "Said after Charlie left")
    assert client.get(url).status_code == 403


def test_a_poll_pass_belongs_to_one_session_and_one_group(client, rooms, charlie, bob):
    led, other = rooms
    client.force_login(charlie)
    assert (
        client.get(reverse("events:group_notes", args=[other.event_id, other.pk])).status_code
        == 204
    )
    # Charlie's pass for his own room does not open the room he is not in...
    assert client.get(reverse("events:group_notes", args=[led.event_id, led.pk])).status_code == 403
    # ...nor the same room under another event's address...
    assert (
        client.get(
            reverse("events:group_notes", args=[other.event_id + 1000, other.pk])
        ).status_code
        == 404
    )
    # ...and Bob's session, which never passed the check for it, is refused.
    client.force_login(bob)
    assert (
        client.get(reverse("events:group_notes", args=[other.event_id, other.pk])).status_code
        == 403
    )


def test_a_poll_of_a_group_of_another_event_is_not_found(client, rooms, charlie, event):
    _led, other = rooms
    client.force_login(charlie)
    url = reverse("events:group_notes", args=[event.pk + 1000, other.pk])
    assert client.get(url).status_code == 404


def test_posting_a_note_checks_the_membership_once(client, rooms, charlie):
    # The view checks who may use the board, then the service does again as its own guard:
    # on the same loaded group the second check reuses the first answer.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _led, other = rooms
    client.force_login(charlie)
    with CaptureQueriesContext(connection) as seen:
        response = client.post(
            reverse("events:group", args=[other.event_id, other.pk]),
            {"text": "We need more buses"},
            HTTP_X_REQUESTED_WITH="fetch",
        )
    assert response.status_code == 201
    lookups = [q for q in seen.captured_queries if "breakoutgroup_members" in q["sql"]]
    assert len(lookups) == 1


def test_the_services_own_check_still_refuses_someone_else_on_a_loaded_group(rooms, bob):
    from cairn.events.services import board

    _led, other = rooms
    with pytest.raises(board.BoardError):
        board.post_note(other, "sneaky", user=bob)


def test_a_poll_pass_outlasts_hundreds_of_other_participants_passes(charlie):
    # Django's local cache keeps 300 entries by default: at a 500-person event every pass
    # would push out another and each poll would take the full check again.
    from django.core.cache import cache

    from cairn.events.services import board

    cache.clear()
    board.grant_poll_pass("first-session", charlie, 1, 1)
    for n in range(1_000):
        board.grant_poll_pass(f"session-{n}", charlie, 1, n % 125)
    assert board.poll_pass("first-session", 1, 1) is not None
