import pytest
from django.core.management import CommandError, call_command

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
