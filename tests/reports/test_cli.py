import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def test_cairn_report_writes_each_format(report, tmp_path):
    event_id = report.event_id
    for fmt in ("html", "md", "pdf", "docx"):
        out = tmp_path / f"report.{fmt}"
        call_command("report", event_id, "--format", fmt, "--out", str(out), stderr=io.StringIO())
        assert out.stat().st_size > 500
    assert "Technology" in (tmp_path / "report.md").read_text()
    assert "Technology" in "".join(
        p.extract_text() for p in PdfReader(tmp_path / "report.pdf").pages
    )
    assert any(p.text == "Technology" for p in Document(tmp_path / "report.docx").paragraphs)


def test_cairn_report_large_print_gives_more_pages(report, tmp_path):
    normal, large = tmp_path / "n.pdf", tmp_path / "l.pdf"
    call_command(
        "report", report.event_id, "--format", "pdf", "--out", str(normal), stderr=io.StringIO()
    )
    call_command(
        "report",
        report.event_id,
        "--format",
        "pdf",
        "--large-print",
        "--out",
        str(large),
        stderr=io.StringIO(),
    )
    assert len(PdfReader(large).pages) > len(PdfReader(normal).pages)


def test_cairn_report_for_an_unknown_event_says_so(db, tmp_path):
    with pytest.raises(CommandError, match="No event with id 999"):
        call_command("report", 999, "--format", "md", "--out", str(tmp_path / "x.md"))


def test_cairn_briefing_renders_across_events(seed_run, tmp_path):
    out = tmp_path / "briefing.md"
    call_command(
        "briefing", "--events", f"{seed_run.event_id}", "--format", "md", "--out", str(out)
    )
    assert "## Key lessons" in out.read_text()


def test_cairn_briefing_rejects_bad_ids(db, tmp_path):
    with pytest.raises(CommandError, match="commas"):
        call_command(
            "briefing", "--events", "a,b", "--format", "md", "--out", str(tmp_path / "b.md")
        )


def test_cairn_briefing_needs_an_event_or_a_consultation(db, tmp_path):
    with pytest.raises(CommandError, match="at least one"):
        call_command("briefing", "--format", "md", "--out", str(tmp_path / "b.md"))


def test_cairn_briefing_of_an_event_still_to_come_says_why(db, tmp_path):
    from django.utils import timezone

    from cairn.events.models import Event

    soon = timezone.now() + timezone.timedelta(days=7)
    event = Event.objects.create(title="Next week", starts_at=soon, ends_at=soon)
    with pytest.raises(CommandError, match="happened"):
        call_command(
            "briefing", "--events", str(event.pk), "--format", "md", "--out", str(tmp_path / "b.md")
        )
