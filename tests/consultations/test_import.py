import pytest
from django.core.management import CommandError, call_command

from cairn.consultations.models import Response
from cairn.consultations.services import importing
from cairn.contributions.models import Contribution

GOOD = (
    "Timestamp,Email,Did your group keep meeting?,What helped?,How well supported did you feel?,"
    "What should we keep from this time?,Sector\n"
    '2026-05-01 10:00,,"Yes, by phone or online",Funding;Volunteers,4,Neighbours checking in,Community group\n'
    "2026-05-02 11:00,,No,,2,Nothing much,\n"
)


def test_a_survey_tool_export_is_imported_with_columns_matched_by_wording(consultation, alice):
    report = importing.import_responses(
        consultation, GOOD.encode(), filename="forms.csv", actor=alice
    )
    assert report.imported == 2
    assert report.ignored_columns == [] and report.tool == "Google Forms"
    first = Response.objects.get(answers__text="Neighbours checking in")
    # The Timestamp is when it was sent, read in the site's time zone (Europe/London).
    assert first.submitted_at.isoformat() == "2026-05-01T09:00:00+00:00"
    assert first.channel == "import" and first.sector == "community"
    assert sorted(first.answers.get(question__position=1).selected) == ["Funding", "Volunteers"]
    assert Contribution.objects.count() == 2


def test_one_bad_row_means_nothing_is_imported_and_every_problem_is_listed(consultation, alice):
    bad = GOOD + "2026-05-03,,Maybe,Money,7,Words,\n"
    with pytest.raises(importing.ImportFailed) as caught:
        importing.import_responses(consultation, bad.encode(), filename="forms.csv", actor=alice)
    errors = caught.value.report.errors
    assert any(e.startswith("Row 4: “Maybe” is not one of the choices of Q1") for e in errors)
    assert any("Row 4" in e and "Money" in e for e in errors)
    assert any("Row 4: Question 3" in e for e in errors)
    assert not Response.objects.exists()


def test_the_same_file_cannot_be_imported_twice(consultation, alice):
    importing.import_responses(consultation, GOOD.encode(), filename="a.csv", actor=alice)
    with pytest.raises(importing.ImportFailed, match="imported into this consultation before"):
        importing.import_responses(consultation, GOOD.encode(), filename="b.csv", actor=alice)


def test_numbered_headings_and_excel_encoding_are_understood(consultation, alice):
    data = "Q1,Q4\nNo,Caf\xe9 mornings\n".encode("cp1252")
    report = importing.import_responses(consultation, data, filename="excel.csv", actor=alice)
    assert report.imported == 1 and "Windows-1252" in report.notes[0]
    assert Contribution.objects.get().text == "Café mornings"


def test_a_file_with_no_matching_column_is_refused(consultation, alice):
    with pytest.raises(importing.ImportFailed, match="No column matches"):
        importing.import_responses(consultation, b"a,b\n1,2\n", filename="x.csv", actor=alice)
    with pytest.raises(importing.ImportFailed, match="empty"):
        importing.import_responses(consultation, b"", filename="x.csv", actor=alice)


def test_the_cli_imports_and_reports_row_errors(consultation, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    call_command("consultation", "import", str(consultation.pk), str(good))
    assert "Imported 2 responses" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("Q1\nMaybe\n")
    with pytest.raises(CommandError, match="Row 2"):
        call_command("consultation", "import", str(consultation.pk), str(bad))


def test_the_cli_writes_paper_forms_for_everyone_due_one(consultation, jean, tmp_path, capsys):
    out = tmp_path / "forms.pdf"
    call_command("consultation", "paper-forms", str(consultation.pk), "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    assert "Jean Millar" in capsys.readouterr().out
    with pytest.raises(CommandError, match="No consultation has the id 999"):
        call_command("consultation", "paper-forms", "999", "--out", str(out))
