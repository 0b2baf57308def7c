"""Microsoft Teams: the transcript as Teams downloads it (.docx, new and older layout), the
meeting chat copied from Teams, and the Teams exports we recognise but do not read.
Real samples in tests/fixtures/chat (sources in its README)."""

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.events.chat_formats import (
    TEAMS_CHAT,
    TEAMS_DOCX,
    decode,
    parse,
    parse_docx,
    recognise_unsupported,
)
from cairn.events.services.chat_import import import_chat
from cairn.events.services.registration import register

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "chat"
TRANSCRIPT = (FIXTURES / "teams_transcript.docx").read_bytes()
TRANSCRIPT_2021 = (FIXTURES / "teams_transcript_2021.docx").read_bytes()
CHAT = (FIXTURES / "teams_chat.txt").read_bytes()


def _docx(paragraphs: list[list[str]]) -> bytes:
    """A document whose paragraphs hold lines separated by line breaks (Shift+Enter)."""
    document = docx.Document()
    for lines in paragraphs:
        run = document.add_paragraph().add_run(lines[0])
        for line in lines[1:]:
            run.add_break()
            run.add_text(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_teams_docx_transcript_speakers_offsets_and_no_heading_or_events():
    result = parse_docx(TRANSCRIPT)
    assert result.format == TEAMS_DOCX and not result.errors
    assert result.is_transcript
    first = result.messages[0]
    assert first.speaker == "Rob Keane" and first.offset == timedelta(seconds=3)
    assert first.text.startswith("with you. And then in July 10th")
    # A passage on several lines is one contribution, its lines joined.
    joined = next(m for m in result.messages if m.offset == timedelta(minutes=1, seconds=45))
    assert joined.text.startswith("Yeah. Okay. So, so sort of...")
    assert result.messages[-1].speaker == "Ines Zaragoza"
    assert result.messages[-1].offset == timedelta(minutes=31, seconds=5)
    texts = " ".join(m.text for m in result.messages)
    assert "started transcription" not in texts and "stopped transcription" not in texts
    assert "Meeting Recording" not in texts and "31m 5s" not in texts
    assert {m.speaker for m in result.messages} == {"Rob Keane", "Marta Quintero", "Ines Zaragoza"}


def test_teams_docx_older_layout_with_timing_lines():
    result = parse_docx(TRANSCRIPT_2021)
    assert not result.errors
    assert [(m.speaker, m.text) for m in result.messages] == [
        ("Person A", "Hello"),
        ("Person B", "Hello"),
        ("Person C", "Hello"),
    ]
    assert result.messages[1].offset == timedelta(seconds=3.41)


def test_speaker_and_words_in_one_paragraph_with_line_breaks():
    data = _docx([["Meeting-Transcript"], ["Ann Lee   1:02:03", "Long meeting.", "Yes."]])
    result = parse_docx(data)
    assert not result.errors
    assert result.messages[0].speaker == "Ann Lee"
    assert result.messages[0].offset == timedelta(hours=1, minutes=2, seconds=3)
    assert result.messages[0].text == "Long meeting. Yes."


def test_a_sentence_ending_in_a_time_is_not_a_speaker():
    data = _docx([["Ann Lee   0:03"], ["we meet again at 10:30"], ["Bo Chan   0:09"], ["fine"]])
    result = parse_docx(data)
    assert [m.text for m in result.messages] == ["we meet again at 10:30", "fine"]


def test_other_word_documents_and_damaged_ones_are_refused_with_a_reason():
    letter = parse_docx(_docx([["Dear Ann,"], ["Thank you for coming."]]))
    assert not letter.messages and "not a Microsoft Teams transcript" in letter.errors[0].reason
    cut = parse_docx(TRANSCRIPT[: len(TRANSCRIPT) // 2])
    assert not cut.messages and "could not be opened" in cut.errors[0].reason


def test_teams_chat_copied_from_teams():
    result = parse(decode(CHAT).text)
    assert result.format == TEAMS_CHAT and not result.errors
    assert [m.speaker for m in result.messages[:2]] == ["Dana Mercer", "Sam Okafor"]
    assert result.messages[0].time == "14:44:00"  # "2:44 pm", name and time in either order
    assert result.messages[0].text.startswith("Hello Sam - are you free for a remote session")
    texts = [m.text for m in result.messages]
    # Preview lines ("... by Name") are not words; the reaction counts ("1") are not either.
    assert not any(" by Sam Okafor" in t or " by Dana Mercer" in t for t in texts)
    assert "No. That one was the one I saved from my desktop" in texts[7]
    assert not texts[7].rstrip().endswith("1")
    # Two messages of emoji pictures only and two reactions: counted, not imported.
    assert result.reactions == 4 and len(result.messages) == 12


def test_teams_exports_we_do_not_read_are_named():
    graph = b'{"@odata.context": "x", "value": [{"messageType": "message"}]}'
    assert "Teams JSON export" in recognise_unsupported(graph)
    assert "eDiscovery" in recognise_unsupported(b"<!DOCTYPE html><html><body>")
    assert recognise_unsupported(TRANSCRIPT) is None  # read, not refused


@pytest.fixture
def people(event, person_factory):
    rob = person_factory("Rob", "Keane")
    sam = person_factory("Sam", "Okafor")
    for person in (rob, sam):
        register(event.pk, person)
    return rob, sam


def test_a_teams_docx_imports_as_transcript_contributions(event, people):
    rob, _ = people
    report = import_chat(event, TRANSCRIPT, "Accounting Check-in.docx", actor=None)
    assert report.ok and report.format == TEAMS_DOCX and report.imported == 14
    assert report.matched_speakers == 1
    first = Contribution.objects.filter(event=event).order_by("said_at", "pk").first()
    assert first.channel == ContributionChannel.TRANSCRIPT and first.author == rob
    assert first.said_at == event.starts_at + timedelta(seconds=3)
    again = import_chat(event, TRANSCRIPT, "renamed.docx", actor=None)
    assert not again.ok and Contribution.objects.count() == 14


def test_a_damaged_docx_imports_nothing(event, people):
    report = import_chat(event, TRANSCRIPT[:5000], "t.docx", actor=None)
    assert not report.ok and "Word document" in report.errors[0]
    assert not Contribution.objects.exists()


def test_a_teams_chat_imports_as_chat_messages(event, people):
    _, sam = people
    report = import_chat(event, CHAT, "chat.txt", actor=None, dry_run=True)
    assert report.ok and report.would_import == 12 and report.reactions == 4
    report = import_chat(event, CHAT, "chat.txt", actor=None)
    assert report.imported == 12
    said = Contribution.objects.filter(author=sam).first()
    assert said.channel == ContributionChannel.CHAT


# Random and cut-short input: no crash, a numbered reason, nothing half-read.
def _check(result) -> None:
    assert result.messages or result.errors
    for error in result.errors:
        assert error.line >= 1 and error.reason
    for message in result.messages:
        assert message.text.strip()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([TRANSCRIPT, TRANSCRIPT_2021]), st.data())
def test_cut_or_corrupted_docx_never_crashes(data, draw):
    cut = draw.draw(st.integers(min_value=0, max_value=len(data)))
    flip = draw.draw(st.integers(min_value=0, max_value=max(cut - 1, 0)))
    damaged = bytearray(data[:cut])
    if damaged and draw.draw(st.booleans()):
        damaged[flip] ^= 0xFF
    _check(parse_docx(bytes(damaged)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=60), max_size=20))
def test_any_document_text_never_crashes(paragraphs):
    clean = [["".join(ch for ch in p if ch.isprintable()) or "x"] for p in paragraphs] or [["x"]]
    _check(parse_docx(_docx(clean)))


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=300))
def test_random_zip_member_never_crashes(body):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", body)
    _check(parse_docx(out.getvalue()))


CHAT_TEXT = decode(CHAT).text


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_cut_and_spliced_teams_chat_never_crashes(draw):
    cut = draw.draw(st.integers(min_value=0, max_value=len(CHAT_TEXT)))
    at = draw.draw(st.integers(min_value=0, max_value=cut))
    junk = draw.draw(st.text(max_size=40))
    text = CHAT_TEXT[:at] + junk + CHAT_TEXT[at:cut]
    result = parse(text)
    if text.strip():
        _check(result)


def test_an_import_from_a_damaged_file_writes_nothing(event, people):
    for cut in (100, len(TRANSCRIPT) // 3, len(TRANSCRIPT) - 10):
        import_chat(event, TRANSCRIPT[:cut], "t.docx", actor=None)
    assert not Contribution.objects.exists()


def test_a_teams_chat_cut_right_after_its_first_name_is_an_error_not_an_empty_import():
    # Found by the property test above: the first message's header and nothing after it
    # once read as one emoji-only message, so nothing was imported and nothing was said.
    result = parse(CHAT_TEXT[:87])
    assert not result.messages
    assert result.errors and "no message in this Teams chat has any words" in str(result.errors[0])
