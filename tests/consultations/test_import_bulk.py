"""The consultation import writes in bulk: a constant number of queries whatever the rows,
the same records a row-by-row import made, and nothing at all if the write fails."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cairn.consultations.models import Answer, Response
from cairn.consultations.services import importing
from cairn.contributions.models import Contribution
from cairn.core.models import AuditEntry

HEADER = (
    "Timestamp,Email,Name,Did your group keep meeting?,What helped?,"
    "How well supported did you feel?,What should we keep from this time?,Sector\n"
)


def _csv(rows: int, email: str = "") -> bytes:
    lines = [
        f"2026-05-01 10:{i % 60:02d},{email if i == 0 else ''},Person {i},No,Funding;Volunteers,"
        f"{1 + i % 5},Keep the phone tree {i},Community group\n"
        for i in range(rows)
    ]
    return (HEADER + "".join(lines)).encode()


def _queries(consultation, alice, rows: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        importing.import_responses(consultation, _csv(rows), filename=f"{rows}.csv", actor=alice)
    assert Response.objects.filter(source__contains=f"{rows}.csv").count() == rows
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_rows(consultation, alice):
    # Row by row, 300 rows took thousands of queries (a few per row, and one per row
    # just to list the questions again); in bulk it is a handful per thousand.
    assert _queries(consultation, alice, 300) == _queries(consultation, alice, 5)


def test_bulk_rows_are_the_records_a_row_by_row_import_made(consultation, alice, jean):
    jean.email = "jean@example.org"
    jean.save()
    report = importing.import_responses(
        consultation, _csv(3, email="Jean@Example.org"), filename="f.csv", actor=alice
    )
    assert report.imported == 3
    mine = Response.objects.get(person=jean)
    other = Response.objects.exclude(person=jean).order_by("pk").first()
    assert (mine.status, mine.channel, mine.respondent_name, mine.sector) == (
        "submitted",
        "import",
        "",
        "community",
    )
    assert other.respondent_name == "Person 1" and other.entered_by == alice
    assert mine.submitted_at.isoformat() == "2026-05-01T09:00:00+00:00"
    answer = mine.answers.get(question__kind="open")
    contribution = answer.contribution
    assert contribution.text == "Keep the phone tree 0"
    assert contribution.author == jean and contribution.author_sector == "community"
    assert contribution.channel == "web_form" and contribution.entered_by == alice
    assert contribution.source == f"Consultation: {consultation.title}"
    assert contribution.source_ref == f"R{mine.pk} Q4"
    assert contribution.said_at == mine.submitted_at
    assert not contribution.consent_to_quote
    theirs = other.answers.get(question__kind="open").contribution
    assert theirs.author is None and theirs.author_name == "Person 1"
    assert theirs.author_sector == "community"
    assert sorted(mine.answers.get(question__kind="multiple").selected) == ["Funding", "Volunteers"]
    assert Answer.objects.filter(response__consultation=consultation).count() == 12
    entered = AuditEntry.objects.filter(action="contribution.entered")
    assert entered.count() == 3
    assert entered.get(object_id=str(contribution.pk)).summary == (
        "Web form entered on behalf of Jean Millar"
    )
    assert AuditEntry.objects.filter(action="consultation.responses_imported").count() == 1


def test_a_failure_while_writing_leaves_nothing(consultation, alice, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "insert_many", broken)  # the answers, written last
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError):
        importing.import_responses(consultation, _csv(50), filename="f.csv", actor=alice)
    assert not Response.objects.exists() and not Contribution.objects.exists()
    assert not Answer.objects.exists() and AuditEntry.objects.count() == before
