"""The allocation's guarantees on hand-built cases (no database)."""

from collections import Counter

import pytest

from cairn.events.allocation import (
    AllocationError,
    Participant,
    Theme,
    allocate,
    evaluate,
    move,
    random_allocation,
)

TECH, CARE, MONEY = 1, 2, 3
THEMES = [Theme(TECH, "Technology", 6), Theme(CARE, "Care", 6), Theme(MONEY, "Money", 6)]
SECTORS = ["community", "third_sector", "public_service", "private"]


def people(n: int, *, facilitators: int, prefs=None, sectors=SECTORS) -> list[Participant]:
    prefs = prefs or (
        lambda i: ((TECH, CARE, MONEY), (CARE, MONEY, TECH), (MONEY, TECH, CARE))[i % 3]
    )
    return [
        Participant(
            id=i + 1,
            sector=sectors[i % len(sectors)],
            preferences=prefs(i),
            facilitator=i < facilitators,
        )
        for i in range(n)
    ]


def test_every_group_has_a_facilitator_who_is_in_it():
    result = allocate(people(30, facilitators=8), THEMES)
    for g in result.groups:
        assert g.facilitator_id is not None and g.facilitator_id in g.member_ids
    assert result.quality.groups_without_facilitator == 0


def test_group_sizes_stay_within_the_room_bounds():
    result = allocate(people(40, facilitators=10), THEMES)
    for g in result.groups:
        assert 3 <= len(g.member_ids) <= 6  # room capacity 6, at least half full
    assert result.quality.groups_outside_bounds == 0


def test_everyone_is_placed_exactly_once():
    crowd = people(47, facilitators=12)
    result = allocate(crowd, THEMES)
    placed = Counter(pid for g in result.groups for pid in g.member_ids)
    assert set(placed) == {p.id for p in crowd}
    assert set(placed.values()) == {1}


def test_people_get_their_first_choice_when_the_rooms_allow_it():
    result = allocate(people(36, facilitators=9), THEMES)
    assert result.quality.first_choice_share == 1.0


def test_an_oversubscribed_theme_sends_the_overflow_to_second_choices_not_lower():
    # Twelve people want Technology (rooms of 4) first and Care (rooms of 8) second,
    # with two facilitators: one Technology room, the other eight go to Care.
    crowd = [
        Participant(i + 1, SECTORS[i % 4], (TECH, CARE, MONEY), facilitator=i < 2)
        for i in range(12)
    ]
    themes = [Theme(TECH, "Technology", 4), Theme(CARE, "Care", 8), Theme(MONEY, "Money", 8)]
    result = allocate(crowd, themes)
    assert result.quality.first_choice_share == round(4 / 12, 4)
    assert result.quality.top_two_share == 1.0


def test_the_facilitator_rule_comes_before_preferences():
    # Two facilitators, both only want Care; Technology fans must share their rooms.
    crowd = [Participant(1, "community", (CARE,), True), Participant(2, "private", (CARE,), True)]
    crowd += [Participant(i, SECTORS[i % 4], (TECH,)) for i in range(3, 11)]
    themes = [Theme(TECH, "Technology", 6), Theme(CARE, "Care", 6)]
    result = allocate(crowd, themes)
    assert result.quality.groups_without_facilitator == 0
    assert result.quality.groups_outside_bounds == 0


def test_groups_mix_sectors_when_the_registrations_allow():
    # Four sectors, equal numbers, everyone wants the same theme: no room should
    # hold more than two people of one sector.
    crowd = [
        Participant(i + 1, SECTORS[i // 6], (TECH,), facilitator=i % 6 == 0) for i in range(24)
    ]
    result = allocate(crowd, [Theme(TECH, "Technology", 6)])
    assert result.quality.max_sector_share <= 0.34
    assert result.quality.min_distinct_sectors >= 3


def test_sector_mixing_beats_a_video_tools_random_rooms():
    crowd = people(120, facilitators=30, sectors=["community"] * 5 + ["private", "academic"])
    ours = allocate(crowd, THEMES).quality
    theirs = evaluate(crowd, THEMES, random_allocation(crowd, THEMES, seed=3))
    assert ours.first_choice_share > theirs.first_choice_share
    assert ours.max_sector_share <= theirs.max_sector_share
    assert ours.groups_without_facilitator == 0


def test_the_same_input_gives_the_same_groups():
    crowd = people(60, facilitators=15)
    first = allocate(crowd, THEMES).groups
    second = allocate(list(reversed(crowd)), list(reversed(THEMES))).groups
    assert [(g.theme_id, g.facilitator_id, g.member_ids) for g in first] == [
        (g.theme_id, g.facilitator_id, g.member_ids) for g in second
    ]


def test_too_few_facilitators_relaxes_sizes_first_and_says_so():
    crowd = people(30, facilitators=2)
    result = allocate(crowd, THEMES)
    assert "sizes" in result.relaxed
    assert result.quality.groups_without_facilitator == 0
    assert result.quality.unassigned == 0


def test_no_facilitators_at_all_still_places_everyone_and_reports_it():
    result = allocate(people(12, facilitators=0), THEMES)
    assert "facilitator" in result.relaxed
    assert result.quality.groups_without_facilitator == result.quality.groups
    assert result.quality.unassigned == 0


def test_a_manual_move_changes_the_quality_figures():
    crowd = people(24, facilitators=6)
    result = allocate(crowd, THEMES)
    facilitator = result.groups[0].facilitator_id
    other = next(g for g in result.groups if g.theme_id != result.groups[0].theme_id)
    moved = move(result.groups, facilitator, (other.theme_id, other.number))
    after = evaluate(crowd, THEMES, moved)
    assert after.groups_without_facilitator == 1
    assert after.first_choice_share < result.quality.first_choice_share


def test_allocating_without_themes_is_refused():
    with pytest.raises(AllocationError):
        allocate(people(3, facilitators=1), [])


def test_people_without_preferences_are_still_placed():
    crowd = [Participant(i, "community", (), facilitator=i < 3) for i in range(1, 13)]
    result = allocate(crowd, THEMES)
    assert result.quality.unassigned == 0
    assert result.quality.first_choice_share == 0.0


# --- a re-run keeps the people placed by hand ------------------------------------------------


def _room_of(groups, pid):
    return next((g.theme_id, g.number) for g in groups if pid in g.member_ids)


def test_a_rerun_keeps_people_placed_by_hand_in_their_rooms_and_allocates_the_rest():
    from cairn.events.allocation import Group

    crowd = people(36, facilitators=9)
    first = allocate(crowd, THEMES)
    # A coordinator moves person 36 (who wanted Money first) into Care's room 1, as its
    # facilitator, and person 35 into Technology's room 2.
    care_1 = next(g for g in first.groups if (g.theme_id, g.number) == (CARE, 1))
    tech_2 = next(g for g in first.groups if (g.theme_id, g.number) == (TECH, 2))
    fixed = [
        Group(theme_id=CARE, number=1, member_ids=[36], facilitator_id=36),
        Group(theme_id=TECH, number=2, member_ids=[35]),
    ]
    again = allocate(crowd, THEMES, fixed)
    assert _room_of(again.groups, 36) == (CARE, 1)
    assert _room_of(again.groups, 35) == (TECH, 2)
    kept = next(g for g in again.groups if (g.theme_id, g.number) == (CARE, 1))
    assert kept.facilitator_id == 36  # the role given by hand stays
    placed = Counter(pid for g in again.groups for pid in g.member_ids)
    assert set(placed) == {p.id for p in crowd} and set(placed.values()) == {1}
    # The rooms stay within capacity, the kept people counted in them.
    assert all(len(g.member_ids) <= 6 for g in again.groups)
    assert again.quality.groups_without_facilitator == 0
    numbers = [(g.theme_id, g.number) for g in again.groups]
    assert len(numbers) == len(set(numbers))
    assert care_1 and tech_2  # both rooms existed before the re-run


def test_kept_people_fill_their_room_so_the_rest_go_elsewhere():
    from cairn.events.allocation import Group

    crowd = people(18, facilitators=10, prefs=lambda i: (TECH, CARE, MONEY))
    # Five people kept by hand in a Technology room of six: one place is left in it.
    fixed = [Group(theme_id=TECH, number=1, member_ids=[2, 3, 4, 5, 6], facilitator_id=2)]
    result = allocate(crowd, THEMES, fixed)
    room = next(g for g in result.groups if (g.theme_id, g.number) == (TECH, 1))
    assert set(room.member_ids) >= {2, 3, 4, 5, 6}
    assert len(room.member_ids) <= 6
    assert result.quality.groups_outside_bounds == 0
    assert result.quality.unassigned == 0


def test_a_room_kept_by_hand_is_not_filled_with_people_who_did_not_choose_its_theme():
    from cairn.events.allocation import Group

    crowd = people(12, facilitators=4, prefs=lambda i: (TECH, CARE))
    fixed = [Group(theme_id=MONEY, number=1, member_ids=[12], facilitator_id=12)]
    result = allocate(crowd, THEMES, fixed)
    money = [g for g in result.groups if g.theme_id == MONEY]
    assert [g.member_ids for g in money] == [[12]]


def test_fixed_groups_naming_someone_unknown_or_twice_are_refused():
    from cairn.events.allocation import Group

    crowd = people(6, facilitators=2)
    with pytest.raises(AllocationError):
        allocate(crowd, THEMES, [Group(theme_id=TECH, number=1, member_ids=[99])])
    with pytest.raises(AllocationError):
        allocate(
            crowd,
            THEMES,
            [
                Group(theme_id=TECH, number=1, member_ids=[1]),
                Group(theme_id=CARE, number=1, member_ids=[1]),
            ],
        )


def test_a_rerun_with_everyone_kept_by_hand_changes_nothing():
    from cairn.events.allocation import Group

    crowd = people(4, facilitators=2)
    fixed = [
        Group(theme_id=TECH, number=3, member_ids=[1, 3], facilitator_id=1),
        Group(theme_id=CARE, number=1, member_ids=[2, 4], facilitator_id=2),
    ]
    result = allocate(crowd, THEMES, fixed)
    rooms = sorted((g.theme_id, g.number, g.member_ids, g.facilitator_id) for g in result.groups)
    assert rooms == [(TECH, 3, [1, 3], 1), (CARE, 1, [2, 4], 2)]
