from cairn.synthesis.dedupe import group_duplicates, normalise


def test_nothing_in_any_case_or_punctuation_is_one_group() -> None:
    g = group_duplicates(["Nothing.", "nothing", "NOTHING!!", "No", "Something else"])
    assert g.rep.tolist() == [0, 0, 0, 3, 4]
    assert dict(zip(g.unique.tolist(), g.counts.tolist(), strict=True)) == {0: 3, 3: 1, 4: 1}


def test_form_letters_differing_in_a_name_are_grouped() -> None:
    body = (
        "I am writing to object to the closure of the library on the high street because it "
        "is the only warm place where older people can meet read the paper and use a computer "
        "and closing it would leave many of us isolated through the winter months"
    )
    texts = [f"Dear councillor, {body}. Yours, {name}" for name in ("Alice", "Bob", "Charlie")]
    texts.append("The library should open on Sundays for families with young children")
    g = group_duplicates(texts)
    assert g.rep.tolist() == [0, 0, 0, 3]


def test_different_statements_are_not_grouped() -> None:
    g = group_duplicates(["The bus is late", "The bus is early", "Trains are late"])
    assert len(g.unique) == 3


def test_inverse_maps_each_statement_to_its_group() -> None:
    g = group_duplicates(["a b", "c d", "A B."])
    assert g.inverse().tolist() == [0, 1, 0]


def test_normalise_ignores_digits_and_spacing() -> None:
    assert normalise("  Room 12  is   COLD ") == normalise("room is cold")
