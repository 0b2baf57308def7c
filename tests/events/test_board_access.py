"""Facilitators use the boards and printable lists of the groups they lead, nothing else."""

import pytest
from django.urls import reverse

from cairn.core.roles import Role
from cairn.events.models import BreakoutGroup
from tests.conftest import make_user


@pytest.fixture
def rooms(event, bob, charlie):
    themes = list(event.breakout_themes.all())
    led = BreakoutGroup.objects.create(
        event=event, theme=themes[0], name="Technology 1", facilitator=bob.person
    )
    other = BreakoutGroup.objects.create(event=event, theme=themes[1], name="Sustainability 1")
    other.members.add(charlie.person)
    return led, other


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


@pytest.mark.parametrize("who", ["member", "facilitator", "coordinator"])
def test_a_board_poll_costs_at_most_five_queries_whoever_polls(client, rooms, charlie, bob, who):
    # Hundreds of boards poll every 3 s: session, user, role, then the membership, which
    # answers for the members who make nearly all polls; leaders also read the group's row.
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    led, other = rooms
    user = {"member": charlie, "facilitator": bob}.get(who) or make_user("cora", Role.COORDINATOR)
    group = led if who == "facilitator" else other
    client.force_login(User.objects.get(pk=user.pk))
    url = reverse("events:group_notes", args=[group.event_id, group.pk]) + "?after=0"
    client.get(url)  # fills the newest-note cache, as the first poll of any process does
    with CaptureQueriesContext(connection) as seen:
        assert client.get(url).status_code == 204
    expected = 4 if who == "member" else 5
    assert len(seen.captured_queries) == expected, [q["sql"][:80] for q in seen.captured_queries]


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
