"""Member lists exported by Eventbrite and Mailchimp (headers copied from real exports,
tests/fixtures/members/README.md), title rows above the header, ignored columns."""

from pathlib import Path

from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.members import import_fields as F
from cairn.members.importer import run_import
from cairn.members.models import Consent, ConsentMethod, Person
from cairn.members.tabular import UnreadableFile

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "members"


def _data(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_eventbrite_report_with_title_rows_leaves_out_refunds_and_keeps_addresses(db):
    report = run_import(_data("eventbrite_attendees_uk.csv"), "attendees.csv", apply=True)
    assert report.ok and report.header_line == 3
    assert report.preset == "Eventbrite attendee report"
    assert report.left_out == 2 and report.created == 2  # refunded and cancelled left out
    assert not Person.objects.filter(email__in=["ben@example.org", "cara@example.org"]).exists()
    dev = Person.objects.get(email="dev@example.org")
    assert dev.address == "3 Quay Rd\nFlat 2\nWestport\nKent\nUnited Kingdom"
    assert dev.postcode == "CT2 4EF"
    assert "Order no." in report.ignored_columns and "Ticket Type" in report.ignored_columns
    lines = report.summary_lines()
    assert "rows left out (cancelled or refunded): 2" in lines
    assert any(line.startswith("columns ignored: Order no., Order Date") for line in lines)


def test_eventbrite_us_report_takes_company_not_group(db):
    report = run_import(_data("eventbrite_attendees_us.csv"), "a.csv", apply=True)
    assert report.mapping["Company"] == "organisation" and report.mapping["Group"] == ""
    assert report.left_out == 1  # Not Attending
    jo = Person.objects.get(email="jo@example.org")
    assert jo.organisation.name == "Eastdale Tenants" and jo.job_title == "Organiser"


def test_mailchimp_opt_in_becomes_dated_email_consent_and_region_is_left_alone(db):
    report = run_import(_data("mailchimp_audience.csv"), "members_export.csv", apply=True)
    assert report.preset == "Mailchimp audience export"
    assert report.mapping["REGION"] == "" and "REGION" in report.ignored_columns
    maya = Person.objects.get(email="maya@example.org")
    assert maya.region == ""
    consent = Consent.objects.get(person=maya, purpose="newsletters")
    assert consent.granted and consent.method == ConsentMethod.WEB
    assert consent.recorded_at.date().isoformat() == "2016-04-18"
    assert consent.note == "Opted in 2016-04-18 13:51:14 from 192.0.2.10"
    omar = Person.objects.get(email="omar@example.org")  # no opt-in time: no consent made up
    assert not Consent.objects.filter(person=omar).exists()


def test_other_presets_are_recognised_from_their_headers():
    google = ["Name", "Given Name", "Family Name", "E-mail 1 - Value", "Phone 1 - Value"]
    outlook = ["First Name", "Last Name", "E-mail Address", "Business Phone", "Business Street"]
    civi = ["Contact ID", "Contact Type", "First Name", "Last Name", "Current Employer"]
    assert F.detect_preset(google) == "Google Contacts"
    assert F.guess_mapping(google)["E-mail 1 - Value"] == "email"
    assert F.detect_preset(outlook) == "Outlook contacts"
    assert F.guess_mapping(outlook)["Business Phone"] == "phone"
    assert F.detect_preset(civi) == "CiviCRM contacts"
    assert F.guess_mapping(civi)["Current Employer"] == "organisation"


def test_the_cli_summary_lists_ignored_columns(db, tmp_path, capsys):
    path = tmp_path / "attendees.csv"
    path.write_bytes(_data("eventbrite_attendees_uk.csv"))
    call_command("import-members", str(path))
    out = capsys.readouterr().out
    assert "columns ignored: Order no." in out
    assert "header found on row 3" in out


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(sorted(p.name for p in FIXTURES.glob("*.csv"))),
    cut=st.integers(min_value=0, max_value=2000),
    junk=st.binary(max_size=30),
)
def test_cut_short_or_spoilt_exports_never_half_import(db, name, cut, junk):
    data = _data(name)
    data = data[: cut % (len(data) + 1)] + junk
    before = Person.objects.count()
    try:
        report = run_import(data, name, apply=False)
    except UnreadableFile as exc:
        assert str(exc)
    else:
        assert isinstance(report.summary_lines(), list)
    assert Person.objects.count() == before


def test_the_preview_page_names_the_export_the_header_row_and_ignored_columns(client, alice):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(alice)
    upload = SimpleUploadedFile("attendees.csv", _data("eventbrite_attendees_uk.csv"))
    page = client.get(client.post("/people/import/", {"file": upload})["Location"])
    html = page.content.decode()
    assert "Recognised as: Eventbrite attendee report" in html
    assert "found on row 3" in html
    assert 'href="#map-0" class="tag">Order no.</a>' in html
    assert "left out (cancelled or refunded)" in html


def test_an_eventbrite_report_registers_its_attendees_for_a_chosen_event(db, capsys, tmp_path):
    from datetime import timedelta

    from django.utils import timezone

    from cairn.events.models import Event, EventStatus, Registration

    start = timezone.now() + timedelta(days=5)
    event = Event.objects.create(
        title="Digital inclusion",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status=EventStatus.OPEN,
        capacity=10,
    )
    path = tmp_path / "attendees.csv"
    path.write_bytes(_data("eventbrite_attendees_uk.csv"))
    call_command("register-attendees", str(event.pk), str(path), "--dry-run")
    assert not Registration.objects.exists() and not Person.objects.exists()
    call_command("register-attendees", str(event.pk), str(path))
    out = capsys.readouterr().out
    assert "registered for Digital inclusion: 2" in out
    emails = set(Registration.objects.values_list("person__email", flat=True))
    assert emails == {"ana@example.org", "dev@example.org"}  # refunded and cancelled left out
    call_command("register-attendees", str(event.pk), str(path))  # again: nothing new
    assert "already registered: 2" in capsys.readouterr().out
    assert Registration.objects.count() == 2


def test_mailchimp_unsubscribed_export_records_withdrawn_newsletter_consent(db):
    report = run_import(_data("mailchimp_unsubscribed.csv"), "unsubscribed.csv", apply=True)
    assert report.ok and report.created == 2
    assert report.mapping["UNSUB_TIME"] == "email_unsub_time"
    rhea = Person.objects.get(email="rhea@example.org")
    consent = Consent.objects.get(person=rhea, purpose="newsletters")
    # They opted in in 2019 and unsubscribed in 2021: the later choice is the one kept.
    assert not consent.granted
    assert consent.recorded_at.date().isoformat() == "2021-06-03"
    assert consent.note.startswith("Unsubscribed 2021-06-03 18:22:09")
    assert "I no longer want to receive these emails" in consent.note
    sam = Person.objects.get(email="sam@example.org")
    assert not Consent.objects.get(person=sam, purpose="newsletters").granted
    assert "Too many emails" in Consent.objects.get(person=sam, purpose="newsletters").note


def test_mailchimp_unsubscribed_export_withdraws_consent_of_someone_on_file(db):
    from tests.conftest import grant_consent

    rhea = Person.objects.create(first_name="Rhea", last_name="Stone", email="rhea@example.org")
    grant_consent(rhea, "newsletters")
    report = run_import(_data("mailchimp_unsubscribed.csv"), "unsubscribed.csv", apply=True)
    assert report.updated == 1
    consent = Consent.objects.get(person=rhea, purpose="newsletters")
    assert not consent.granted and consent.note.startswith("Unsubscribed 2021-06-03")


def test_reimporting_an_audience_export_does_not_resubscribe_someone_who_unsubscribed(db):
    from cairn.outreach.services.consent import unsubscribe, unsubscribe_token

    run_import(_data("mailchimp_audience.csv"), "members_export.csv", apply=True)
    maya = Person.objects.get(email="maya@example.org")
    unsubscribe(unsubscribe_token(maya, "newsletters"))  # the link in one of Cairn's emails
    again = run_import(_data("mailchimp_audience.csv"), "members_export.csv", apply=True)
    consent = Consent.objects.get(person=maya, purpose="newsletters")
    assert not consent.granted and consent.note == "Unsubscribe link"
    assert again.updated == 0 and again.unchanged == 2
