from cairn.synthesis.split import split_statements
from cairn.synthesis.types import Statement


def test_short_statements_keep_their_ids() -> None:
    out = split_statements([Statement("a", "Short and sweet.")], max_chars=1000)
    assert [(s.id, s.contribution_id) for s in out] == [("a", "a")]


def test_a_long_letter_becomes_statements_linked_to_it() -> None:
    letter = "\n\n".join(
        f"Paragraph {i}. " + "We could not get to the meeting because the bus was late. " * 8
        for i in range(5)
    )
    out = split_statements([Statement("L1", letter, {"channel": "letter"})], max_chars=500)
    assert len(out) > 1
    assert all(s.contribution_id == "L1" for s in out)
    assert all(s.attributes == {"channel": "letter"} for s in out)
    assert [s.id for s in out] == [f"L1#{i}" for i in range(1, len(out) + 1)]


def test_a_two_megabyte_comment_without_full_stops_is_cut_into_pieces() -> None:
    text = "word " * 400_000  # 2 MB, one run-on sentence
    out = split_statements([Statement("big", text)], max_chars=1000)
    assert len(out) > 1000
    assert max(len(s.text) for s in out) <= 1000


def test_splitting_can_be_switched_off() -> None:
    text = "x " * 2000
    assert len(split_statements([Statement("a", text)], max_chars=0)) == 1
