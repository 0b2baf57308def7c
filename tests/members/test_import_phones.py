"""Phone numbers as spreadsheets leave them: a UK number typed into Excel without a
quote is stored as the number 7700900123, and a CSV saved from it has lost the 0."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cairn.members import import_fields as F
from cairn.members.importer import ImportReport, run_import
from cairn.members.models import Person

pytestmark = pytest.mark.django_db


def _workbook(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["First name", "Last name", "Email", "Phone"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _phone(email: str) -> str:
    return Person.objects.get(email=email).phone


def test_a_number_cell_gets_its_leading_zero_back_and_the_report_says_so():
    data = _workbook(
        [
            ["Asha", "Patel", "asha@example.org", 7700900123],  # a number cell
            ["Ben", "Okoro", "ben@example.org", "07700 900123"],  # a text cell
            ["Cara", "Lind", "cara@example.org", 1632960003],  # a landline, 01632 ...
            ["Dev", "Rao", "dev@example.org", 447700900124],  # +44 lost its +
            ["Eve", "Moss", "eve@example.org", "call after 6"],
        ]
    )
    report = run_import(data, "list.xlsx", apply=True)
    assert report.kind == "xlsx" and report.created == 5 and not report.rejected
    assert _phone("asha@example.org") == "07700900123"
    assert _phone("ben@example.org") == "07700 900123"
    assert _phone("cara@example.org") == "01632960003"
    assert _phone("dev@example.org") == "+447700900124"
    assert _phone("eve@example.org") == "call after 6"  # kept, not lost, but flagged
    notes = {note.line: note.reason for note in report.notes}
    assert notes[2] == "phone 7700900123 had lost its leading 0: imported as 07700900123"
    assert 3 not in notes
    assert "imported as 01632960003" in notes[4]
    assert "imported as +447700900124" in notes[5]
    assert notes[6] == "phone 'call after 6' does not look like a phone number: imported as given"
    assert "rows imported with a note to check: 4" in report.summary_lines()


def test_a_csv_saved_from_excel_is_repaired_the_same_way():
    data = (
        b"First name,Last name,Email,Phone\n"
        b"Asha,Patel,asha@example.org,7700900123\n"
        b"Ben,Okoro,ben@example.org,07700 900123\n"
        b"Cara,Lind,cara@example.org,7.7009E+09\n"
    )
    report = run_import(data, "list.csv", apply=True)
    assert _phone("asha@example.org") == "07700900123"
    assert _phone("ben@example.org") == "07700 900123"
    assert [note.line for note in report.notes] == [2, 4]
    assert "scientific notation" in report.notes[1].reason


def test_reimporting_the_file_changes_nothing_and_a_repeated_row_has_no_note():
    data = _workbook([["Asha", "Patel", "asha@example.org", 7700900123]])
    run_import(data, "list.xlsx", apply=True)
    again = run_import(data, "list.xlsx")
    assert again.unchanged == 1 and not again.duplicates
    twice = _workbook(
        [
            ["Ben", "Okoro", "ben@example.org", 7700900125],
            ["Ben", "Okoro", "ben@example.org", 7700900125],
        ]
    )
    report = run_import(twice, "twice.xlsx")
    assert [r.line for r in report.rejected] == [3]
    assert [n.line for n in report.notes] == [2]  # the refused repeat has its reason only


def test_notes_survive_the_stored_report():
    report = run_import(_workbook([["Asha", "P", "a@example.org", 7700900123]]), "x.xlsx")
    assert ImportReport.from_dict(report.as_dict()).notes == report.notes


@pytest.mark.parametrize(
    ("cell", "kept", "noted"),
    [
        ("07700 900123", "07700 900123", False),
        ("+44 7700 900123", "+44 7700 900123", False),
        ("(020) 7946 0123 ext 12", "(020) 7946 0123 ext 12", False),
        ("7700900123", "07700900123", True),
        ("2125551234", "2125551234", False),  # not taken for a UK number
        ("01632 1", "01632 1", True),
    ],
)
def test_parse_phone(cell, kept, noted):
    value, note = F.parse_phone(cell)
    assert value == kept and bool(note) == noted


def test_the_preview_page_lists_the_repaired_number(client, alice):
    client.force_login(alice)
    data = _workbook([["Asha", "Patel", "asha@example.org", 7700900123]])
    upload = SimpleUploadedFile("list.xlsx", data)
    response = client.post("/people/import/", {"file": upload})
    page = client.get(response["Location"]).content.decode()
    assert "Imported, but check these" in page
    assert "had lost its leading 0: imported as 07700900123" in page


def test_the_command_line_lists_the_rows_to_check(tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "list.xlsx"
    path.write_bytes(_workbook([["Asha", "Patel", "asha@example.org", 7700900123]]))
    call_command("import-members", str(path))
    out = capsys.readouterr().out
    assert "rows imported with a note to check: 1" in out
    assert "  line 2: phone 7700900123 had lost its leading 0: imported as 07700900123" in out
