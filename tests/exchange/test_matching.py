import pytest

from cairn.exchange.matching import Item, suggest


def _offer(id, title, description, topics=(), region="", category="volunteers"):
    return Item(id, "offer", category, title, description, tuple(topics), region)


NEED = Item(
    1,
    "need",
    "volunteers",
    "Drivers with vans",
    "We need drivers with vans to collect food.",
    ("food", "transport"),
    "Glenmore",
)
OFFERS = [
    _offer(
        10,
        "Van drivers",
        "Three drivers with vans can collect and deliver food.",
        ["food", "transport"],
        "Glenmore",
    ),
    _offer(
        11,
        "Office desks",
        "Two desks with Wi-Fi for a charity.",
        ["office space"],
        "Glenmore",
        "space",
    ),
    _offer(12, "Food crates", "Crates to store food.", ["food"], "Eastdale", "equipment"),
]


def test_the_closest_offer_comes_first_with_reasons_a_person_can_read():
    found = suggest([NEED], OFFERS)[1]
    assert [m.offer.id for m in found] == [10, 12]
    reasons = found[0].reasons()
    assert "Both are about food, transport." in reasons
    assert "Both are in Glenmore." in reasons
    assert any(r.startswith("Similar words:") and "vans" in r for r in reasons)


def test_an_offer_with_nothing_in_common_is_not_suggested():
    found = suggest([NEED], OFFERS)[1]
    assert 11 not in [m.offer.id for m in found]


def test_matching_is_deterministic_and_handles_empty_sides():
    assert suggest([NEED], OFFERS)[1][0].score == suggest([NEED], list(OFFERS))[1][0].score
    assert suggest([NEED], []) == {1: []}
    assert suggest([], OFFERS) == {}


@pytest.mark.any_database  # the evaluation script needs no database
def test_the_evaluation_reports_precision_at_5_above_the_directory_filter():
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "evals/match_offers_needs.py"], capture_output=True, text=True, check=True
    ).stdout
    rows = {line[:40].strip(): line[40:].split() for line in out.splitlines()[2:]}
    cairn = float(rows["Cairn: text + topics + region + kind"][0])
    directory = float(rows["topic + region filter (directory)"][0])
    assert cairn >= directory
