import csv
import io

import pytest
from django.core.management import call_command

from cairn.core.models import AuditEntry
from cairn.events.models import BreakoutGroup, BreakoutRole, Registration
from cairn.events.services.breakouts import (
    allocate_event,
    export_zoom_csv,
    move_person,
    quality_of,
)
from cairn.events.services.registration import register, set_breakout_role
from cairn.members.models import Channel, Sector
from tests.events.conftest import themes

SECTORS = [Sector.COMMUNITY, Sector.PRIVATE, Sector.PUBLIC_SERVICE, Sector.THIRD_SECTOR]


@pytest.fixture
def crowd(event, person_factory):
    event.capacity = None
    event.save()
    t = list(themes(event).values())
    people = []
    for i in range(16):
        channel = Channel.POST if i == 5 else Channel.EMAIL
        person = person_factory(
            sector=SECTORS[i % 4], channel=channel, **({"email": ""} if i == 5 else {})
        )
        registration = register(event.pk, person, preferences=[t[i % 3].pk, t[(i + 1) % 3].pk])
        if i < 5:
            set_breakout_role(registration.pk, BreakoutRole.FACILITATOR, actor=None)
        people.append(person)
    return people


def test_allocating_saves_groups_each_with_a_facilitator(event, crowd, alice):
    result = allocate_event(event.pk, actor=alice)
    groups = BreakoutGroup.objects.filter(event=event)
    assert groups.count() == result.quality.groups
    facilitators = set(
        Registration.objects.filter(breakout_role=BreakoutRole.FACILITATOR).values_list(
            "person_id", flat=True
        )
    )
    for g in groups:
        assert g.facilitator_id in facilitators
        assert g.members.filter(pk=g.facilitator_id).exists()
        assert g.members.count() <= g.theme.room_capacity
    assert quality_of(event).groups_without_facilitator == 0


def test_a_dry_run_saves_no_groups(event, crowd, alice):
    allocate_event(event.pk, actor=alice, dry_run=True)
    assert not BreakoutGroup.objects.exists()


def test_moving_a_facilitator_by_hand_updates_the_quality(event, crowd, alice):
    allocate_event(event.pk, actor=alice)
    before = quality_of(event)
    group = BreakoutGroup.objects.filter(event=event).first()
    other = BreakoutGroup.objects.filter(event=event).exclude(theme=group.theme).first()
    move_person(event, group.facilitator_id, other.pk, actor=alice)
    after = quality_of(event)
    assert after.groups_without_facilitator == before.groups_without_facilitator + 1
    group.refresh_from_db()
    assert group.facilitator_id is None


def test_the_export_is_the_video_tools_pre_assignment_csv(event, crowd, alice):
    allocate_event(event.pk, actor=alice)
    content, without_email = export_zoom_csv(event)
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == ["Pre-assign Room Name", "Email Address"]
    assert len(rows) == 1 + 15  # the person who joins by post has no email
    names = set(BreakoutGroup.objects.values_list("name", flat=True))
    assert {r[0] for r in rows[1:]} <= names
    assert len(without_email) == 1


def test_the_printable_group_lists_show_the_dial_in(client, event, crowd, alice):
    allocate_event(event.pk, actor=alice)
    client.force_login(alice)
    page = client.get(f"/events/{event.pk}/breakouts/print/").content.decode()
    assert event.dial_in in page
    assert "joins by phone" in page


def test_the_allocate_command_prints_the_quality(event, crowd, capsys):
    call_command("allocate", str(event.pk), "--dry-run")
    out = capsys.readouterr().out
    assert "would allocate 16 people" in out
    assert "first choice:" in out and "largest single-sector share:" in out
    assert not BreakoutGroup.objects.exists()
    call_command("allocate", str(event.pk))
    assert BreakoutGroup.objects.exists()


def test_allocating_again_keeps_rooms_that_have_notes(event, crowd, alice):
    from cairn.contributions.services import record_contribution

    allocate_event(event.pk, actor=alice)
    group = BreakoutGroup.objects.first()
    record_contribution(text="A note", channel="breakout_note", breakout_group=group)
    allocate_event(event.pk, actor=alice)
    assert BreakoutGroup.objects.filter(pk=group.pk).exists()


def test_coordinators_allocate_and_move_people_from_the_breakouts_page(client, event, crowd, alice):
    client.force_login(alice)
    response = client.post(f"/events/{event.pk}/breakouts/", {"action": "allocate"}, follow=True)
    assert "Allocated 16 people" in response.content.decode()
    group = BreakoutGroup.objects.first()
    person = crowd[-1]
    client.post(
        f"/events/{event.pk}/breakouts/",
        {"action": "move", "person": person.pk, "group": group.pk},
    )
    assert group.members.filter(pk=person.pk).exists()
    assert client.get(f"/events/{event.pk}/breakouts/rooms.csv").status_code == 200


def test_members_cannot_reach_the_breakouts_page(client, event, charlie):
    client.force_login(charlie)
    assert client.get(f"/events/{event.pk}/breakouts/").status_code == 403
    assert client.get(f"/events/{event.pk}/breakouts/rooms.csv").status_code == 403
    assert client.get(f"/events/{event.pk}/breakouts/print/").status_code == 403


def test_a_coordinator_moves_someone_in_as_a_rooms_facilitator(client, event, crowd, alice):
    allocate_event(event.pk, actor=alice)
    client.force_login(alice)
    group = BreakoutGroup.objects.first()
    person = crowd[-1]
    client.post(
        f"/events/{event.pk}/breakouts/",
        {"action": "move", "person": person.pk, "group": group.pk, "lead": "facilitator"},
    )
    group.refresh_from_db()
    assert group.facilitator_id == person.pk


def test_someone_who_cancels_leaves_their_breakout_group(event, crowd, alice):
    from cairn.events.services.registration import cancel

    allocate_event(event.pk, actor=alice)
    group = BreakoutGroup.objects.get(event=event, members=crowd[0])
    cancel(Registration.objects.get(event=event, person=crowd[0]).pk, actor=alice)
    assert not group.members.filter(pk=crowd[0].pk).exists()
    group.refresh_from_db()
    assert group.facilitator_id != crowd[0].pk


def test_the_breakouts_page_lists_many_groups_a_page_at_a_time(client, event, alice):
    theme = event.breakout_themes.first()
    for n in range(30):
        BreakoutGroup.objects.create(event=event, theme=theme, name=f"Room {n:02d}")
    client.force_login(alice)
    first = client.get(f"/events/{event.pk}/breakouts/").content.decode()
    assert ">Room 00</a>" in first and ">Room 29</a>" not in first and "Page 1 of 2" in first
    second = client.get(f"/events/{event.pk}/breakouts/?page=2").content.decode()
    assert ">Room 29</a>" in second


def test_odd_values_on_the_breakouts_and_check_in_forms_are_messages(client, event, crowd, alice):
    from cairn.events.models import Registration

    allocate_event(event.pk, actor=alice)
    client.force_login(alice)
    group = BreakoutGroup.objects.first()
    url = f"/events/{event.pk}/breakouts/"
    cases = [
        ({"person": "abc", "group": group.pk}, "Choose someone registered for this event"),
        ({"person": crowd[0].pk, "group": "99999999999999999999"}, "Choose one of this event"),
        ({"person": crowd[0].pk}, "Choose the group to move them to"),
        ({"person": crowd[0].pk, "group": group.pk, "lead": "boss"}, "Choose participant"),
    ]
    for data, message in cases:
        response = client.post(url, {"action": "move", **data}, follow=True)
        assert response.status_code == 200 and message in response.content.decode()
    registration = Registration.objects.filter(event=event).first()
    response = client.post(
        f"/events/{event.pk}/attendance/{registration.pk}/",
        {"attended": "maybe"},
        follow=True,
    )
    assert "That check-in button is out of date" in response.content.decode()
    registration.refresh_from_db()
    assert registration.attended is None


def test_a_theme_added_from_the_page_is_audited_and_a_second_of_that_name_refused(
    client, event, alice
):
    from cairn.core.models import AuditEntry

    client.force_login(alice)
    data = {"action": "add_theme", "theme-name": "Rivers", "theme-room_capacity": 8}
    client.post(f"/events/{event.pk}/breakouts/", data)
    assert event.breakout_themes.filter(name="Rivers").exists()
    assert AuditEntry.objects.filter(action="breakouts.theme_added").exists()
    response = client.post(f"/events/{event.pk}/breakouts/", data, follow=True)
    assert "already has a theme with that name" in response.content.decode()


def _move_out_of_first_choice(event, person, alice):
    """Move `person` by hand into a room of a theme that is not their first choice."""
    first_choice = Registration.objects.get(event=event, person=person).preferences.get(rank=1)
    target = BreakoutGroup.objects.filter(event=event).exclude(theme=first_choice.theme).first()
    move_person(event, person.pk, target.pk, actor=alice)
    return target


def test_allocating_again_keeps_people_moved_by_hand_where_they_were_put(event, crowd, alice):
    """Allocating again put everyone back where the allocation liked them best, undoing
    the coordinator's moves; now those moved by hand stay, and only the rest move."""
    allocate_event(event.pk, actor=alice)
    moved = crowd[-1]
    target = _move_out_of_first_choice(event, moved, alice)
    lead = crowd[-2]
    other = BreakoutGroup.objects.exclude(pk=target.pk).exclude(members=lead).first()
    move_person(event, lead.pk, other.pk, actor=alice)
    other.facilitator_id = lead.pk  # moved in "as facilitator"
    other.save()

    result = allocate_event(event.pk, actor=alice)

    assert result.kept_by_hand == 2
    assert target.members.filter(pk=moved.pk).exists()  # the same room, the same row
    assert other.members.filter(pk=lead.pk).exists()
    other.refresh_from_db()
    assert other.facilitator_id == lead.pk
    # Counted against the capacity; everyone placed once.
    for group in BreakoutGroup.objects.filter(event=event):
        assert group.members.count() <= group.theme.room_capacity
    placed = [m for g in BreakoutGroup.objects.filter(event=event) for m in g.members.all()]
    assert sorted(p.pk for p in placed) == sorted(p.pk for p in crowd)
    # Kept again on the next run, until they are moved again or it starts over.
    allocate_event(event.pk, actor=alice)
    assert target.members.filter(pk=moved.pk).exists()
    allocate_event(event.pk, actor=alice, start_over=True)
    assert not any(g.placed_by_hand.exists() for g in BreakoutGroup.objects.filter(event=event))


def test_someone_moved_by_hand_who_cancels_is_not_kept(event, crowd, alice):
    from cairn.events.services.breakouts import moved_by_hand_count
    from cairn.events.services.registration import cancel

    allocate_event(event.pk, actor=alice)
    _move_out_of_first_choice(event, crowd[-1], alice)
    assert moved_by_hand_count(event) == 1
    cancel(Registration.objects.get(event=event, person=crowd[-1]).pk, actor=alice)
    assert moved_by_hand_count(event) == 0
    result = allocate_event(event.pk, actor=alice)
    assert result.kept_by_hand == 0 and result.quality.participants == 15


def test_a_move_made_while_the_groups_are_worked_out_is_not_written_over(
    event, crowd, alice, monkeypatch
):
    """The groups are worked out outside the event's lock; a move made meanwhile makes
    the allocation work them out again, with the move kept."""
    from cairn.events import allocation
    from cairn.events.services import breakouts

    allocate_event(event.pk, actor=alice)
    moved = crowd[-1]
    first_choice = Registration.objects.get(event=event, person=moved).preferences.get(rank=1)
    target = BreakoutGroup.objects.filter(event=event).exclude(theme=first_choice.theme).first()
    real = allocation.allocate
    calls = []

    def allocate_while_someone_moves(*args, **kwargs):
        result = real(*args, **kwargs)
        if not calls:
            move_person(event, moved.pk, target.pk, actor=alice)
        calls.append(1)
        return result

    monkeypatch.setattr(breakouts.allocation, "allocate", allocate_while_someone_moves)
    allocate_event(event.pk, actor=alice)
    assert len(calls) == 2
    assert target.members.filter(pk=moved.pk).exists()


def test_the_page_says_who_stays_before_allocating_again_and_asks_before_starting_over(
    client, event, crowd, alice
):
    allocate_event(event.pk, actor=alice)
    client.force_login(alice)
    url = f"/events/{event.pk}/breakouts/"
    person = crowd[-1]
    target = BreakoutGroup.objects.exclude(members=person).first()
    client.post(url, {"action": "move", "person": person.pk, "group": target.pk})
    page = client.get(url).content.decode()
    assert "1 person moved by hand stays where they are." in page
    assert "moved by hand)" in page  # marked in their room's list
    assert 'href="?start_over=1#allocate-h"' in page

    response = client.post(url, {"action": "allocate"}, follow=True)
    page = response.content.decode()
    assert "Allocated 16 people" in page and "1 person moved by hand stayed" in page
    assert target.members.filter(pk=person.pk).exists()

    confirm = client.get(f"{url}?start_over=1").content.decode()
    assert "Start over?" in confirm
    assert 'name="start_over" value="yes"' in confirm
    assert "No, keep the moves made by hand" in confirm
    response = client.post(url, {"action": "allocate", "start_over": "yes"}, follow=True)
    assert "Allocated 16 people" in response.content.decode()
    after = client.get(url).content.decode()
    assert "stays where they are" not in after and ", moved by hand)" not in after


def test_the_move_list_names_each_persons_room_and_an_empty_event_opens_add_a_theme(
    client, event, crowd, alice
):
    """Choosing whom to move meant finding them in every room first; and an event with no
    themes said "add the first one below" above a closed "Add a theme"."""
    allocate_event(event.pk, actor=alice)
    client.force_login(alice)
    page = client.get(f"/events/{event.pk}/breakouts/").content.decode()
    person = crowd[0]
    room = BreakoutGroup.objects.get(event=event, members=person).name
    assert f'<option value="{person.pk}">{person.full_name} — {room}</option>' in page
    assert '<details id="add-theme" ><summary>Add a theme' in page
    event.breakout_themes.all().delete()
    page = client.get(f"/events/{event.pk}/breakouts/").content.decode()
    assert '<details id="add-theme" open><summary>Add a theme' in page
    detail = client.get(f"/events/{event.pk}/").content.decode()
    assert "Add themes on the breakout groups page" in detail
    # Added one, it stays open for the next.
    data = {"action": "add_theme", "theme-name": "Rivers", "theme-room_capacity": 8}
    response = client.post(f"/events/{event.pk}/breakouts/", data, follow=True)
    assert response.redirect_chain[-1][0].endswith("?add=theme#add-theme")
    assert '<details id="add-theme" open><summary>Add a theme' in response.content.decode()


def test_allocating_with_too_few_facilitators_says_so_in_its_message(client, event, alice, crowd):
    """ "Allocated 16 people into 5 groups" read as done, while the quality figures further
    down said some groups had no facilitator."""
    Registration.objects.filter(event=event).update(breakout_role=BreakoutRole.PARTICIPANT)
    client.force_login(alice)
    response = client.post(f"/events/{event.pk}/breakouts/", {"action": "allocate"}, follow=True)
    page = response.content.decode()
    assert "Allocated 16 people" in page
    assert "have no facilitator: choose more facilitators on the registrations page" in page


def test_one_person_moved_by_hand_can_be_let_go_without_starting_over(client, event, crowd, alice):
    """Only "Start over" undid a move by hand, and it undid every one of them."""
    allocate_event(event.pk, actor=alice)
    client.force_login(alice)
    url = f"/events/{event.pk}/breakouts/"
    first, second = crowd[-1], crowd[-2]
    for person in (first, second):
        target = BreakoutGroup.objects.exclude(members=person).first()
        client.post(url, {"action": "move", "person": person.pk, "group": target.pk})
    page = client.get(url).content.decode()
    assert "2 people moved by hand stay where they are." in page
    assert f"Let the next allocation place {first.full_name}" in page

    response = client.post(url, {"action": "release", "person": first.pk}, follow=True)

    page = response.content.decode()
    assert "The next allocation places them like everyone else." in page
    assert "1 person moved by hand stays where they are." in page
    assert BreakoutGroup.objects.get(members=first)  # still in their room until it runs
    assert AuditEntry.objects.filter(action="breakouts.released").count() == 1
    assert client.post(url, {"action": "release", "person": "x"}).status_code == 302


def test_the_allocate_command_keeps_moves_by_hand_unless_told_to_start_over(
    event, crowd, alice, capsys
):
    allocate_event(event.pk, actor=alice)
    target = _move_out_of_first_choice(event, crowd[-1], alice)
    call_command("allocate", str(event.pk))
    assert "kept where moved by hand:      1" in capsys.readouterr().out
    assert target.members.filter(pk=crowd[-1].pk).exists()
    call_command("allocate", str(event.pk), "--start-over")
    assert "kept where moved by hand" not in capsys.readouterr().out
    assert not any(g.placed_by_hand.exists() for g in BreakoutGroup.objects.filter(event=event))


def test_merging_a_person_moved_by_hand_keeps_the_move_on_the_person_kept(
    event, crowd, alice, person_factory
):
    from cairn.members.merge import merge_people

    allocate_event(event.pk, actor=alice)
    dropped = crowd[-1]
    target = _move_out_of_first_choice(event, dropped, alice)
    kept = person_factory("Kept", "Copy")
    merge_people(kept, dropped, alice)
    assert target.placed_by_hand.filter(pk=kept.pk).exists()
    assert target.members.filter(pk=kept.pk).exists()
