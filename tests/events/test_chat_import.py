from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.events.services.chat_import import import_chat
from cairn.events.services.registration import register
from tests.events.test_chat_formats import NEW, OLD, TEAMS_VTT


@pytest.fixture
def speakers(event, person_factory):
    jane = person_factory("Jane", "Doe")
    sam = person_factory("Sam", "Bell", quote=False)
    for p in (jane, sam):
        register(event.pk, p)
    return jane, sam


def test_chat_messages_become_contributions_matched_to_registered_people(event, speakers):
    jane, sam = speakers
    report = import_chat(event, NEW.encode(), "chat.txt", actor=None)
    assert report.ok and report.imported == 3
    assert report.private_skipped == 1
    assert report.matched_speakers == 2
    assert report.unmatched_speakers == ["Bill Henderson"]
    rows = list(Contribution.objects.filter(event=event).order_by("said_at", "pk"))
    assert [c.channel for c in rows] == [ContributionChannel.CHAT] * 3
    assert rows[0].author == jane and rows[0].consent_to_quote
    assert rows[1].author == sam and not rows[1].consent_to_quote  # no quote consent
    assert rows[2].author is None and rows[2].author_name == "Bill Henderson"
    assert rows[1].source == "chat.txt" and rows[1].source_ref == "line 3"
    assert rows[1].text == "Our tenants went back to letters\nand phone trees, which worked"


def test_a_transcript_becomes_transcript_contributions_timed_from_the_start(event, speakers):
    import_chat(event, TEAMS_VTT.encode(), "meeting.vtt", actor=None)
    first = Contribution.objects.filter(channel=ContributionChannel.TRANSCRIPT).order_by("said_at")[
        0
    ]
    assert (first.said_at - event.starts_at).total_seconds() == 1


def test_a_file_with_one_bad_line_imports_nothing(event, speakers):
    report = import_chat(event, (OLD + "12:06:00 garbled\n").encode(), "chat.txt", actor=None)
    assert not report.ok
    assert report.errors == [
        "line 6: a timed line not in the zoom-local-old form: '12:06:00 garbled'"
    ]
    assert not Contribution.objects.exists()


def test_the_same_file_is_not_imported_twice(event, speakers):
    import_chat(event, OLD.encode(), "chat.txt", actor=None)
    again = import_chat(event, OLD.encode(), "chat.txt", actor=None)
    assert not again.ok
    assert Contribution.objects.count() == 3


def test_a_dry_run_counts_but_imports_nothing(event, speakers):
    report = import_chat(event, OLD.encode(), "chat.txt", actor=None, dry_run=True)
    assert report.would_import == 3 and report.imported == 0
    assert not Contribution.objects.exists()


def test_a_name_two_registered_people_share_matches_neither(event, speakers, person_factory):
    register(event.pk, person_factory("Jane", "Doe"))
    import_chat(event, OLD.encode(), "chat.txt", actor=None)
    jane_says = Contribution.objects.get(text="Hello everyone")
    assert jane_says.author is None and jane_says.author_name == "Jane Doe"


def test_the_import_chat_command_prints_counts(event, speakers, tmp_path, capsys):
    path = tmp_path / "chat.txt"
    path.write_text(NEW)
    call_command("import-chat", str(event.pk), str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "3 messages would be imported" in out
    assert "private messages skipped: 1" in out
    assert "speakers matched to registered people: 2" in out
    assert not Contribution.objects.exists()
    call_command("import-chat", str(event.pk), str(path))
    assert Contribution.objects.count() == 3


def test_the_import_chat_command_fails_on_a_malformed_file_and_lists_lines(
    event, speakers, tmp_path, capsys
):
    path = tmp_path / "chat.txt"
    path.write_text(OLD + "12:06:00 garbled\n")
    with pytest.raises(CommandError):
        call_command("import-chat", str(event.pk), str(path))
    assert "line 6:" in capsys.readouterr().err
    assert not Contribution.objects.exists()


# --- duplicates by content, chat times, real files ---

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "chat"


def _event_at(event, hour: int, minute: int = 0):
    """Move the event to 10 days ahead at hour:minute London time, two hours long."""
    zone = ZoneInfo("Europe/London")
    day = (timezone.now() + timedelta(days=10)).astimezone(zone).date()
    event.starts_at = datetime.combine(day, time(hour, minute), tzinfo=zone)
    event.ends_at = event.starts_at + timedelta(hours=2)
    event.timezone = "Europe/London"
    event.save()
    return event


def test_a_renamed_copy_is_refused_and_another_meeting_with_the_same_name_imports(event, speakers):
    assert import_chat(event, OLD.encode(), "meeting_saved_chat.txt", actor=None).imported == 3
    renamed = import_chat(event, OLD.encode(), "copy of chat.txt", actor=None)
    assert not renamed.ok and "imported for this event before" in renamed.errors[0]
    other = OLD.replace("Hello everyone", "Good morning").replace("Thanks all", "Bye")
    second = import_chat(event, other.encode(), "meeting_saved_chat.txt", actor=None)
    # Same file name, partly new content: only the two new messages come in.
    assert second.ok and second.imported == 2 and second.already_imported == 1
    assert Contribution.objects.count() == 5


def test_reactions_are_counted_not_imported_and_replies_point_at_their_message(event):
    _event_at(event, 15, 0)  # the cloud chat's offsets start 6 minutes in
    data = (FIXTURES / "zoom_cloud_chat.txt").read_bytes()
    report = import_chat(event, data, "chat.txt", actor=None)
    assert report.ok and report.reactions == 5 and report.imported == 15
    assert report.replies == 3 and not report.warnings
    assert not Contribution.objects.filter(text__contains="Reacted to").exists()
    answer = Contribution.objects.get(text="Our devnet-7 should pass all GLOAS")
    assert answer.source_ref == "line 10, replying to line 9"


def test_chat_clock_times_are_read_in_the_zone_they_were_saved_in(event, speakers):
    _event_at(event, 17, 0)  # 17:00-19:00 London
    # Saved on a computer in New York: 12:03 there is 17:03 in London.
    report = import_chat(
        event, OLD.encode(), "c.txt", actor=None, recorded_timezone="America/New_York"
    )
    assert report.ok and not report.warnings
    first = Contribution.objects.get(text="Hello everyone")
    assert first.said_at.astimezone(ZoneInfo("America/New_York")).strftime("%H:%M") == "12:03"


def test_messages_outside_the_event_are_warned_about(event, speakers):
    _event_at(event, 9, 0)  # 09:00-11:00; the chat says 12:03-12:05
    report = import_chat(event, OLD.encode(), "c.txt", actor=None, dry_run=True)
    assert report.ok and report.warnings
    assert "3 messages fall outside the event" in report.warnings[0]


def test_an_unknown_time_zone_and_a_word_document_are_refused_with_a_reason(event):
    bad = import_chat(event, OLD.encode(), "c.txt", actor=None, recorded_timezone="Mars/Base")
    assert bad.errors == ["Unknown time zone Mars/Base."]
    docx = import_chat(event, b"PK\x03\x04" + b"word/document.xml" * 3, "t.docx", actor=None)
    assert "Word document" in docx.errors[0]
    assert not Contribution.objects.exists()


def test_words_with_no_speaker_are_kept_as_unknown(event):
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nnobody said who\n"
    report = import_chat(event, vtt.encode(), "t.vtt", actor=None)
    assert report.ok and report.unknown_speaker == 1
    said = Contribution.objects.get()
    assert said.author is None and said.author_name == "Unknown speaker"
    again = import_chat(event, vtt.encode(), "t2.vtt", actor=None)
    assert not again.ok  # still recognised as the same words


def test_the_import_chat_command_takes_a_time_zone_and_prints_reactions(event, tmp_path, capsys):
    path = tmp_path / "chat.txt"
    path.write_bytes((FIXTURES / "zoom_local_new.txt").read_bytes())
    call_command("import-chat", str(event.pk), str(path), "--dry-run", "--timezone", "Europe/Paris")
    out = capsys.readouterr().out
    assert "reactions counted, not imported: 2" in out
    assert "replies linked to the message they answer: 2" in out


def test_a_long_transcript_is_written_in_a_few_statements_not_one_per_line(event, speakers):
    """A three-hour transcript has thousands of cues; each was its own INSERT in the web
    request (12,000 cues: 11 s on a busy 2-core machine)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cues = ["WEBVTT", ""]
    for i in range(600):
        cues += [f"00:{i // 60:02d}:{i % 60:02d}.000 --> 00:{i // 60:02d}:{i % 60:02d}.900"]
        cues += [f"<v Jane Doe>Point number {i} about phone calls.</v>", ""]
    with CaptureQueriesContext(connection) as seen:
        report = import_chat(event, "\n".join(cues).encode(), "long.vtt", actor=None)
    assert report.ok and report.imported == 600
    inserts = [q for q in seen.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    assert len(inserts) < 20
    first = Contribution.objects.filter(event=event).order_by("said_at").first()
    assert first.author == speakers[0] and first.consent_to_quote
    assert first.channel == ContributionChannel.TRANSCRIPT and first.source == "long.vtt"
    assert first.author_sector == speakers[0].effective_sector and first.consent_research
