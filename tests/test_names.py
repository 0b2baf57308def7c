"""Names inside free text are found and replaced; sign-offs are dropped (cairn.lib.names)."""

from cairn.lib.names import NameFilter, given_names, strip_sign_off

MEMBERS = NameFilter(
    members=frozenset({"fatima", "will"}),
    surnames=frozenset({"rahman", "fraser"}),
    keep=frozenset({"morag", "lennox"}),
)


def test_a_chat_line_agreeing_with_a_member_names_no_one():
    assert MEMBERS.hide("Agree with Fatima, the bus pass matters.") == (
        "Agree with [a member], the bus pass matters."
    )


def test_a_name_written_in_lower_case_after_with_or_thanks_is_found():
    assert MEMBERS.hide("agree with fatima") == "agree with [a member]"
    assert MEMBERS.hide("thanks priya!") == "thanks [someone]!"


def test_a_full_name_a_title_and_a_possessive_are_replaced_whole():
    assert MEMBERS.hide("Fatima Rahman said so.") == "[a member] said so."
    assert MEMBERS.hide("Thanks to Mrs Rahman for the tea.") == "Thanks to [a member] for the tea."
    assert MEMBERS.hide("It was Fatima's idea.") == "It was [a member]'s idea."


def test_first_names_of_people_who_are_not_members_come_from_the_shipped_list():
    assert {"priya", "siobhan", "kwame", "dariusz"} <= given_names()
    assert MEMBERS.hide("Siobhan and Kwame ran it.") == "[someone] and [someone] ran it."


def test_a_member_who_agreed_to_be_named_keeps_their_name():
    assert MEMBERS.hide("Morag Lennox's talk helped.") == "Morag Lennox's talk helped."


def test_everyday_words_places_months_and_acronyms_are_not_names():
    for text in (
        "Will there be a bus? Hope so.",
        "In May we met at Victoria Park.",
        "The NHS and the GP in London.",
        "We meet on Monday in the Church Hall.",
        "I was taken to James Cook Hospital and then seen at Stanley.",
        "Keep the San Juan islands green; I am a progressive Christian woman.",
        "Recruit more businesses to Warren County.",
    ):
        assert MEMBERS.hide(text) == text


def test_a_name_that_is_also_a_word_counts_in_the_middle_of_a_sentence():
    assert MEMBERS.hide("I agree with Will.") == "I agree with [a member]."


def test_an_email_sign_off_and_signature_are_removed():
    text = "The hall needs a ramp.\n\nBest wishes,\nJean Smith\nNorthshire Trust\n07700 900123"
    assert strip_sign_off(text) == "The hall needs a ramp."
    assert strip_sign_off("Keep the library open. Many thanks, Jean") == "Keep the library open."
    assert strip_sign_off("More buses please.\n-- \nJean | Coordinator") == "More buses please."
    assert strip_sign_off("We need more buses.\nThanks\nJean") == "We need more buses."


def test_words_that_only_look_like_a_sign_off_stay():
    for text in (
        "Thank you for organising this, it was great.",
        "It was a great day. Love it!",
        "A great day. Best wishes to all the volunteers.",
    ):
        assert strip_sign_off(text) == text
