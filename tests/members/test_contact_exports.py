"""Contact exports from Google Contacts (current and legacy CSV), Outlook and CiviCRM,
with the headers the tools write (tests/fixtures/members/README.md), imported through the
real importer; cut-short files import nothing."""

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.members.importer import run_import
from cairn.members.models import Person
from cairn.members.tabular import UnreadableFile

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "members"


def _import(name: str):
    report = run_import((FIXTURES / name).read_bytes(), name, apply=True)
    assert report.ok and not report.rejected
    return report


def test_google_contacts_current_export(db):
    report = _import("google_contacts.csv")
    assert report.preset == "Google Contacts" and report.created == 2
    amina = Person.objects.get(email="amina.yusuf@example.org")
    assert (amina.first_name, amina.last_name) == ("Amina", "Yusuf")
    assert amina.organisation.name == "Eastdale Tenants Association"
    assert amina.job_title == "Chair" and amina.phone == "07700 900123"
    assert amina.address == "12 Mill Lane\nEastdale"  # not twice: "Formatted" is left out
    assert amina.postcode == "EA1 2BC"
    assert "Address 1 - Formatted" in report.ignored_columns
    assert "Labels" in report.ignored_columns


def test_google_contacts_legacy_export(db):
    report = _import("google_contacts_legacy.csv")
    assert report.preset == "Google Contacts"
    priya = Person.objects.get(email="priya.shah@example.org")
    assert (priya.first_name, priya.last_name, priya.phone) == ("Priya", "Shah", "07700 900456")


def test_outlook_contacts_export(db):
    report = _import("outlook_contacts.csv")
    assert report.preset == "Outlook contacts" and report.created == 2
    grace = Person.objects.get(email="grace.okoro@example.org")
    assert grace.organisation.name == "Westport Food Bank" and grace.job_title == "Coordinator"
    assert grace.address == "4 Harbour Road\nWestport" and grace.postcode == "WP3 9XY"
    assert grace.phone == "01632 960111"
    leo = Person.objects.get(email="leo.marsh@example.org")
    # No Business Postal Code: the home address and its postcode are the ones to use.
    assert leo.address == "9 Elm Close\nEastdale" and leo.postcode == "EA4 5FG"
    assert "E-mail Display Name" in report.ignored_columns


def test_outlook_contact_with_both_addresses_keeps_the_business_one(db):
    lines = (FIXTURES / "outlook_contacts.csv").read_text().splitlines()
    header = next(csv.reader([lines[0]]))
    row = dict.fromkeys(header, "")
    row.update(
        {
            "First Name": "Mo",
            "Last Name": "Reid",
            "Business Street": "1 Quay Street",
            "Business City": "Westport",
            "Business Postal Code": "WP1 1AA",
            "Home Street": "2 Hill Road",
            "Home City": "Eastdale",
            "Home Postal Code": "EA1 2BB",
            "E-mail Address": "mo@example.org",
        }
    )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerow(row)
    del row["Business Postal Code"]
    row.update({"First Name": "Jo", "E-mail Address": "jo@example.org", "Business Postal Code": ""})
    writer.writerow(row)
    report = run_import(out.getvalue().encode(), "contacts.csv", apply=True)
    assert report.ok and not report.rejected and report.created == 2
    mo = Person.objects.get(email="mo@example.org")
    assert (mo.address, mo.postcode) == ("1 Quay Street\nWestport", "WP1 1AA")
    # A business street with no postcode loses to a full home address, never joined to it.
    jo = Person.objects.get(email="jo@example.org")
    assert (jo.address, jo.postcode) == ("2 Hill Road\nEastdale", "EA1 2BB")


def test_civicrm_contact_export(db):
    report = _import("civicrm_contacts.csv")
    assert report.preset == "CiviCRM contacts" and report.created == 2
    ada = Person.objects.get(email="ada.bello@example.org")
    assert ada.organisation.name == "Northfield Community Trust"  # Current Employer
    assert ada.address == "27 Station Road\nFlat 3\nNorthfield\nUnited Kingdom"
    assert (ada.postcode, ada.phone, ada.job_title) == ("NF2 7JK", "01632 960333", "Project worker")
    assert "Contact ID" in report.ignored_columns and "Do Not Sms" in report.ignored_columns
    assert report.mapping["Do Not Email"] == "refuse_email"


SAMPLES = [
    "google_contacts.csv",
    "google_contacts_legacy.csv",
    "outlook_contacts.csv",
    "civicrm_contacts.csv",
]


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SAMPLES), st.data())
def test_cut_short_exports_never_crash_and_write_nothing_unless_clean(name, data):
    raw = (FIXTURES / name).read_bytes()
    cut = data.draw(st.integers(min_value=0, max_value=len(raw)))
    before = Person.objects.count()
    try:
        report = run_import(raw[:cut], name, apply=True)
    except UnreadableFile as exc:
        assert str(exc)
        assert Person.objects.count() == before
        return
    if report.problems:
        assert Person.objects.count() == before  # all or nothing
    for error in report.rejected:
        assert error.line >= 1 and error.reason


def test_civicrm_do_not_flags_become_refusals_that_outreach_respects(db, client, alice):
    from cairn.members.models import ChannelConsent, ConsentPurpose
    from cairn.members.services import set_consent
    from cairn.outreach.services import channel_problem

    _import("civicrm_contacts.csv")
    sam = Person.objects.get(email="sam.hale@example.org")  # Do Not Email = 1
    refusal = ChannelConsent.objects.get(person=sam)
    assert (refusal.channel, refusal.granted, refusal.method) == ("email", False, "import")
    assert not ChannelConsent.objects.filter(person__email="ada.bello@example.org").exists()
    # Agreeing to a purpose does not lift the refusal of a channel.
    set_consent(sam, ConsentPurpose.NEWSLETTERS, granted=True, method="web", user=None)
    assert channel_problem(sam, "email") == "Asked not to be contacted by email."
    assert channel_problem(sam, "phone") != "Asked not to be contacted by phone."
    client.force_login(alice)
    page = client.get(f"/people/{sam.pk}/").content.decode()
    assert "Asked not to be contacted by email (Imported record" in page


def test_a_do_not_flag_on_a_known_person_is_a_change_and_is_recorded(db):
    from cairn.members.models import ChannelConsent

    _import("civicrm_contacts.csv")
    ChannelConsent.objects.all().delete()
    data = (FIXTURES / "civicrm_contacts.csv").read_text()
    again = run_import(data.encode(), "civicrm_contacts.csv")
    assert [d.changes for d in again.duplicates] == [["refuses contact by email"]]
    run_import(data.encode(), "civicrm_contacts.csv", apply=True)
    assert ChannelConsent.objects.get().person.email == "sam.hale@example.org"
    # Importing it once more changes nothing.
    assert run_import(data.encode(), "civicrm_contacts.csv").unchanged == 2
