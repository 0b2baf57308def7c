"""Real exports from Zoom and Teams (tests/fixtures/chat, sources in its README), and
random or cut-short input to every chat parser."""

from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.events.chat_formats import (
    MEET_CHAT,
    MEET_TRANSCRIPT,
    VTT,
    ZOOM_CLOUD,
    ZOOM_NEW,
    ZOOM_TRANSCRIPT,
    decode,
    parse,
    recognise_unsupported,
)
from cairn.lib.decoding import UndecodableText

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "chat"


def load(name: str):
    return parse(decode((FIXTURES / name).read_bytes()).text)


def test_zoom_cloud_chat_counts_reactions_in_three_languages_and_links_replies():
    result = load("zoom_cloud_chat.txt")
    assert result.format == ZOOM_CLOUD and not result.errors
    assert result.reactions == 5  # English, "Se ha reaccionado a", "Heeft gereageerd op"
    texts = [m.text for m in result.messages]
    assert not any("Reacted to" in t or "reaccionado" in t or "gereageerd" in t for t in texts)
    assert not any(t.startswith(("Replying to", "Respondiendo a")) for t in texts)
    reply = next(m for m in result.messages if m.text == "Our devnet-7 should pass all GLOAS")
    assert result.messages[reply.reply_to].text == "Are CL clients passing alpha.12 tests?"
    # A quote that itself runs over two lines still finds its message.
    bear = next(m for m in result.messages if m.text == "Polar bear voter?")
    assert result.messages[bear.reply_to].text.startswith("BOOOOOOOOO!!\n(the community")
    # A reply to a message not in this file keeps its words and points nowhere.
    blobs = next(m for m in result.messages if m.text.startswith("on our side"))
    assert blobs.reply_to is None and blobs.speaker == "Edgar Lund"
    assert result.messages[0].offset == timedelta(minutes=6, seconds=53)


def test_zoom_local_chat_with_reactions_as_messages_and_replies():
    result = load("zoom_local_new.txt")
    assert result.format == ZOOM_NEW and not result.errors
    assert result.reactions == 2 and len(result.messages) == 8
    answer = next(m for m in result.messages if m.text.startswith("It is explicitly allowed"))
    assert result.messages[answer.reply_to].speaker == "Antoine Zeller"
    assert result.messages[4].speaker == "Simon Meyer (University of St.Gallen)"


def test_zoom_2025_local_chat_with_dates_and_reactions_under_each_message():
    result = load("zoom_local_new_dated.txt")
    assert result.format == ZOOM_NEW and not result.errors
    assert {m.date for m in result.messages} == {"2025-12-11"}
    # "Caleb Novak:👍", "Satya Iyer:👍", "Carl Becker:🙏", four names on "➕", "❤️", "➕"
    assert result.reactions == 9
    assert not any(":👍" in m.text or "➕" in m.text for m in result.messages)
    manon = result.messages[2]
    assert manon.text.endswith("while we voted for the given block")
    reply = result.messages[4]
    assert reply.text == "I know of one user’s disk, just a sec"
    assert result.messages[reply.reply_to].speaker == "Carl Becker"


def test_zoom_saved_live_transcript_is_read():
    result = load("zoom_saved_transcript.txt")
    assert result.format == ZOOM_TRANSCRIPT and result.is_transcript and not result.errors
    assert [(m.speaker, m.time) for m in result.messages][:2] == [
        ("Jon Dorsey", "11:02:09"),
        ("Janet Dale", "11:02:09"),
    ]
    assert result.messages[3].text.startswith("Yeah, and I did an… I hope")


def test_zoom_vtt_transcript_keeps_one_word_lower_case_names():
    result = load("zoom_transcript.vtt")
    assert result.format == VTT and not result.errors
    assert [m.speaker for m in result.messages][5:] == [
        "Daniel Lerner (Besu)",
        "terence",
        "potuz",
        "potuz",
    ]
    assert result.messages[0].offset == timedelta(minutes=4, seconds=8.43)


def test_teams_vtt_decodes_entities_in_names_and_joins_lines():
    result = load("teams_transcript.vtt")
    assert not result.errors and len(result.messages) == 7
    assert result.messages[0].speaker == "Camilo Fernández"
    assert result.messages[3].text == "Se está viendo, pero no proyectado, digamos."


def test_google_meet_transcript_takes_speakers_from_the_attendees_and_five_minute_marks():
    result = load("google_meet_transcript.txt")
    assert result.format == MEET_TRANSCRIPT and result.is_transcript and not result.errors
    speakers = [m.speaker for m in result.messages]
    assert speakers[:3] == ["Tomas Swain", "Tomas Swain", "Marta Heller"]  # "Bruno Bard: " dropped
    assert result.messages[-1].offset == timedelta(minutes=5)
    assert result.messages[0].offset == timedelta(0)
    assert not any("Meeting ended" in m.text for m in result.messages)


def test_google_meet_chat_copied_from_the_panel():
    result = load("google_meet_chat.txt")
    assert result.format == MEET_CHAT and not result.errors
    assert [(m.speaker, m.time) for m in result.messages][:2] == [
        ("Bruno Bard", "11:00:00"),
        ("Milo Trent", "11:07:00"),
    ]
    pinned = result.messages[3]
    assert pinned.speaker == "You" and pinned.text.endswith("start of this one.")


def test_vtt_edge_cases():
    text = (
        "WEBVTT\n\n"
        "1\n00:00:01.000 --> 00:00:02.000\nTodo pasa por la central: es lo que hay\n"
        "2\n00:00:03.000 --> 00:00:04.000\n<v Ana Ruiz>Tom &amp; Jerry</v>\n\n"
        "00:00:05.000 --> 00:00:06.000\nwords with nobody named\n"
    )
    result = parse(text)
    assert not result.errors
    assert [(m.speaker, m.text) for m in result.messages] == [
        ("", "Todo pasa por la central: es lo que hay"),  # a colon is not a speaker
        ("Ana Ruiz", "Tom & Jerry"),  # no cue swallowed the next timing line
        ("", "words with nobody named"),  # unknown, not Ana's
    ]
    assert result.messages[2].unknown_speaker


def test_subrip_is_read_like_webvtt():
    result = parse("1\n00:00:01,000 --> 00:00:02,500\nJane Doe: Hello\n\n")
    assert result.format == "subrip" and result.messages[0].speaker == "Jane Doe"


def test_recognised_but_unsupported_files_are_named():
    assert recognise_unsupported(b"PK\x03\x04....word/document.xml") is None  # parse_docx
    assert "Excel workbook" in recognise_unsupported(b"PK\x03\x04....xl/workbook.xml")
    assert "PDF" in recognise_unsupported(b"%PDF-1.7\n")
    assert "JSON" in recognise_unsupported(b'{"messages": []}')
    assert recognise_unsupported(b"WEBVTT\n") is None


def _check(result) -> None:
    # Either something sensible came out, or every problem is a numbered line.
    for error in result.errors:
        assert error.line >= 1 and error.reason
    for message in result.messages:
        assert message.text.strip()
        assert message.reply_to is None or 0 <= message.reply_to < len(result.messages)


SEEDS = [
    p.read_text(encoding="utf-8")
    for p in sorted(FIXTURES.iterdir())
    if p.suffix in {".txt", ".vtt"}  # the .docx are fed to their own parser in test_chat_teams
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SEEDS), st.data())
def test_cut_short_and_spliced_real_files_never_crash(seed, data):
    cut = data.draw(st.integers(min_value=0, max_value=len(seed)))
    junk = data.draw(st.text(max_size=40))
    at = data.draw(st.integers(min_value=0, max_value=cut))
    _check(parse(seed[:at] + junk + seed[at:cut]))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(data):
    # Random bytes are either refused with a reason (binary, or not the text they claim to
    # be) or read and parsed without an exception.
    if recognise_unsupported(data) is None:
        try:
            decoded = decode(data)
        except UndecodableText as error:
            assert str(error)
            return
        _check(parse(decoded.text))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "WEBVTT",
                "",
                "00:00:01.000 --> 00:00:02.000",
                "00:00:03.000 --> 00:00:01.000",
                "<v Jo>hi</v>",
                "Jo: hi",
                "NOTE x",
                "12:00:00 From Jo to Everyone:",
                '\tReplying to "hi"',
                '\tReacted to "hi" with 👍',
                "\tJo:👍",
                "[Jo] 12:00:00",
                "00:00:01\tJo:\thi",
                "words",
            ]
        ),
        max_size=30,
    )
)
def test_random_arrangements_of_real_lines_never_crash(lines):
    _check(parse("\n".join(lines)))
