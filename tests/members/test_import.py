import io
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from cairn.core.models import AuditEntry
from cairn.members.importer import KEEP, run_import
from cairn.members.models import Consent, Organisation, Person
from cairn.members.tabular import UnreadableFile

pytestmark = pytest.mark.django_db

SHEET = (
    "First name,Surname,E-mail address,Tel,Address line 1,Town,Postcode,Organisation,"
    "Sector,Preferred contact,Access needs,Newsletter\n"
    "Jean,Millar,,01632 960001,12 Harbour Road,Eastdale,ns1 1ab,Eastdale Tenants' Voice,"
    "community group,post,large print,yes\n"
    "Bill,Henderson,bill@shed.example,01632 960002,,,,Riverside Men's Shed,charity,phone,,no\n"
    'Priya,Shah,priya@hin.example,,,,,Healthcare Improvement,NHS,email,"BSL, needs a ramp",yes\n'
)


def test_headers_people_actually_use_are_matched_to_fields():
    report = run_import(SHEET.encode(), "members.csv")
    assert report.mapping["E-mail address"] == "email"
    assert report.mapping["Surname"] == "last_name"
    assert report.mapping["Tel"] == "phone"
    assert report.mapping["Postcode"] == "postcode"
    assert report.mapping["Preferred contact"] == "preferred_channel"
    assert report.mapping["Address line 1"] == report.mapping["Town"] == "address"
    assert (report.created, report.rejected, report.applied) == (3, [], False)
    assert not Person.objects.exists()


def test_an_import_creates_people_organisations_and_consents():
    report = run_import(SHEET.encode(), "members.csv", apply=True)
    assert report.applied and report.created == 3 and report.organisations_created == 3
    jean = Person.objects.get(first_name="Jean")
    assert jean.address == "12 Harbour Road\nEastdale"
    assert jean.postcode == "NS1 1AB"
    assert jean.preferred_channel == "post"
    assert jean.access_needs == ["large_print"]
    assert jean.organisation.sector == "community"
    priya = Person.objects.get(first_name="Priya")
    assert priya.access_needs == ["bsl"] and priya.access_notes == "needs a ramp"
    assert priya.sector == "health_social_care"
    consent = Consent.objects.get(person=jean)
    assert (consent.purpose, consent.granted, consent.method) == ("newsletters", True, "import")
    assert not Consent.objects.get(person__first_name="Bill").granted
    assert AuditEntry.objects.filter(action="members.imported").count() == 1


def test_re_importing_the_same_file_changes_nothing():
    run_import(SHEET.encode(), "members.csv", apply=True)
    before = list(Person.objects.values().order_by("pk"))
    report = run_import(SHEET.encode(), "members.csv", apply=True)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert report.duplicates == [] and report.organisations_created == 0
    assert list(Person.objects.values().order_by("pk")) == before
    assert Consent.objects.count() == 3


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_any_common_delimiter_is_detected(delimiter):
    text = SHEET.replace(",", delimiter)
    report = run_import(text.encode(), "members.csv")
    assert report.delimiter == delimiter
    assert report.created == 3 and report.rejected == []


def test_utf8_with_a_byte_order_mark_is_read():
    data = "\ufeffName,Email\nZoë Ó Briain,zoe@example.org\n".encode()
    report = run_import(data, "bom.csv", apply=True)
    assert report.encoding == "utf-8-sig"
    assert report.mapping == {"Name": "full_name", "Email": "email"}
    person = Person.objects.get()
    assert (person.first_name, person.last_name) == ("Zoë Ó", "Briain")


def test_windows_1252_from_excel_is_read_with_accents_and_pound_signs():
    data = "Name;Role\nRenée O’Neill;Treasurer (£5 subs)\n".encode("cp1252")
    report = run_import(data, "excel.csv", apply=True)
    assert report.encoding == "windows-1252"
    person = Person.objects.get()
    assert person.first_name == "Renée"
    assert person.job_title == "Treasurer (£5 subs)"
    assert person.last_name == "O’Neill"


def test_an_xlsx_workbook_is_read():
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Forename", "Surname", "Email", "Phone", "Consent date", "Research"])
    ws.append(["Ruth", "Sinclair", "ruth@example.org", 1632960003, "2025-03-01", "Y"])
    import datetime

    ws.append(["Joe", "Murray", None, None, datetime.date(2025, 4, 2), "no"])
    buffer = io.BytesIO()
    wb.save(buffer)
    report = run_import(buffer.getvalue(), "list.xlsx", apply=True)
    assert report.kind == "xlsx"
    assert report.created == 2
    ruth = Person.objects.get(first_name="Ruth")
    assert ruth.phone == "01632960003"  # the 0 a number cell lost
    assert ruth.preferred_channel == "email"
    consent = ruth.consents.get()
    assert consent.recorded_at.date().isoformat() == "2025-03-01"
    assert Person.objects.get(first_name="Joe").preferred_channel == "web"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old Excel"),
        (b"PK\x03\x04not really a zip", "Excel workbook"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_clear_message(data, message):
    with pytest.raises(UnreadableFile, match=message):
        run_import(data, "bad.csv")


def test_a_file_without_a_name_column_is_refused_before_any_row():
    report = run_import(b"Email,Phone\na@example.org,1\n", "x.csv", apply=True)
    assert report.problems == ["No column is mapped to a name (first name or full name)."]
    assert not report.applied and not Person.objects.exists()


def test_a_mapping_can_be_given_by_hand():
    data = b"Who,Contact\nMaggie Burns,maggie@example.org\n"
    report = run_import(data, "x.csv", mapping={"Who": "full_name", "Contact": "email"})
    assert report.created == 1
    report = run_import(data, "x.csv", mapping={"Nope": "email"})
    assert "There is no column called 'Nope'." in report.problems


def test_every_bad_row_is_reported_with_its_line_and_reason_and_the_rest_import():
    data = (
        b"Name,Email,Preferred contact,Sector,Newsletter\n"
        b"Good Person,good@example.org,email,charity,yes\n"
        b",nobody@example.org,email,,\n"
        b"Bad Email,not-an-email,email,,\n"
        b"Odd Channel,odd@example.org,pigeon,,\n"
        b"Odd Sector,sector@example.org,email,aliens,\n"
        b"No Address,,post,,\n"
        b"Maybe,maybe@example.org,email,,perhaps\n"
        b"Good Person Again,good@example.org,email,,\n"
    )
    report = run_import(data, "x.csv", apply=True)
    reasons = {e.line: e.reason for e in report.rejected}
    assert reasons[3] == "no name"
    assert "not a valid email" in reasons[4]
    assert "pigeon" in reasons[5]
    assert "aliens" in reasons[6]
    assert "prefers post but has no address" in reasons[7]
    assert "perhaps" in reasons[8]
    assert reasons[9] == "same email as line 2"
    assert report.created == 1
    assert list(Person.objects.values_list("first_name", flat=True)) == ["Good"]


def test_likely_duplicates_are_flagged_and_merged_or_kept_as_chosen(org):
    Person.objects.create(first_name="Jean", last_name="Millar", email="jean@example.org")
    Person.objects.create(first_name="Bill", last_name="Henderson", organisation=org)
    data = (
        "First name,Last name,Email,Organisation,Phone\n"
        "Jean,Millar,JEAN@example.org,,01632 1\n"
        f"Bill,Henderson,,{org.name},01632 2\n"
    ).encode()
    preview = run_import(data, "x.csv")
    assert [(d.line, d.matched_by) for d in preview.duplicates] == [
        (2, "email"),
        (3, "name and organisation"),
    ]
    assert preview.duplicates[0].changes == ["phone: — → 01632 1"]
    report = run_import(data, "x.csv", decisions={3: KEEP}, apply=True)
    assert (report.updated, report.kept_separate) == (1, 1)
    assert Person.objects.get(email="jean@example.org").phone == "01632 1"
    assert Person.objects.filter(first_name="Bill").count() == 2


def test_the_import_is_all_or_nothing_when_writing_fails_part_way():
    rows = "".join(f"Person {i},p{i}@example.org\n" for i in range(2500))
    data = ("Name,Email\n" + rows).encode()
    from cairn.members import importer

    real = importer._write
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    with mock.patch.object(importer, "_write", failing), pytest.raises(RuntimeError):
        run_import(data, "x.csv", apply=True)
    assert not Person.objects.exists()
    assert not Organisation.objects.exists()


def test_a_ten_thousand_row_file_imports_and_re_imports_as_unchanged():
    rows = "".join(
        f"Person{i},Surname{i},p{i}@example.org,Org {i % 50},{'yes' if i % 2 else 'no'}\n"
        for i in range(10_000)
    )
    data = ("First name,Last name,Email,Organisation,Research\n" + rows).encode()
    report = run_import(data, "big.csv", apply=True)
    assert (report.created, report.organisations_created, len(report.rejected)) == (10_000, 50, 0)
    assert Person.objects.count() == 10_000 and Consent.objects.count() == 10_000
    again = run_import(data, "big.csv")
    assert (again.created, again.unchanged) == (0, 10_000)


def test_the_command_prints_counts_and_rejected_rows(tmp_path, capsys):
    path = tmp_path / "members.csv"
    path.write_bytes(b"Name,E-mail address\nJean Millar,jean@example.org\nNo Email,bad@\n")
    call_command("import-members", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "Dry run" in out
    assert "people would be created: 1" in out
    assert "rows rejected: 1" in out
    assert "line 3: 'bad@' is not a valid email address" in out
    assert not Person.objects.exists()
    call_command("import-members", str(path))
    out = capsys.readouterr().out
    assert "people were created: 1" in out
    assert Person.objects.count() == 1


def test_the_command_takes_a_column_map(tmp_path, capsys):
    path = tmp_path / "members.csv"
    path.write_bytes(b"Who,Reach me at\nJean Millar,jean@example.org\n")
    call_command(
        "import-members", str(path), "--map", "Who=full_name", "--map", "Reach me at=email"
    )
    assert Person.objects.get().email == "jean@example.org"


def test_the_command_fails_when_the_file_cannot_be_read(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import-members", str(tmp_path / "missing.csv"))
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x00\x00\x00")
    with pytest.raises(CommandError, match="binary"):
        call_command("import-members", str(path))


def test_bytes_that_are_not_windows_1252_fall_back_to_latin_1():
    data = b"Name,Role\nAnn Lee,Caf\xe9 \x81 owner\n"
    report = run_import(data, "odd.csv", apply=True)
    assert report.encoding == "latin-1"
    assert Person.objects.get().job_title == "Café \x81 owner"


def test_utf16_exports_are_read():
    data = "Name\tEmail\nSiân Evans\tsian@example.org\n".encode("utf-16")
    report = run_import(data, "unicode.txt", apply=True)
    assert (report.encoding, report.delimiter) == ("utf-16", "\t")
    assert Person.objects.get().first_name == "Siân"


def test_blank_lines_and_trailing_empty_columns_are_ignored():
    data = b"Name,Email,,\n\nJean Millar,jean@example.org,,\n,,,\n"
    report = run_import(data, "x.csv")
    assert report.headers == ["Name", "Email"]
    assert (report.rows, report.created, report.rejected) == (1, 1, [])
