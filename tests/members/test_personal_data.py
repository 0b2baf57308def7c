import io
import json

import pytest
from pypdf import PdfReader

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.contributions.services import record_contribution
from cairn.core.models import AuditEntry
from cairn.members.models import Consent, ConsentMethod, ConsentPurpose, Person, Sector
from cairn.members.services import PersonError, erase_person, set_consent, update_person
from cairn.outreach.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def jean(org):
    person = Person.objects.create(
        first_name="Jean",
        last_name="Millar",
        email="jean@example.org",
        phone="01632 960001",
        address="12 Harbour Road",
        organisation=org,
    )
    Consent.objects.create(
        person=person,
        purpose=ConsentPurpose.EVENT_INVITATIONS,
        granted=True,
        method=ConsentMethod.POST,
        recorded_at="2025-01-01T10:00Z",
    )
    return person


def test_a_coordinator_exports_everything_about_a_person_as_json(client, alice, jean):
    record_contribution(text="We need a ramp.", channel=ContributionChannel.LETTER, author=jean)
    client.force_login(alice)
    response = client.get(f"/people/{jean.pk}/export.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["person"]["email"] == "jean@example.org"
    assert data["consents"][0]["purpose"] == "event_invitations"
    assert data["contributions"][0]["text"] == "We need a ramp."
    assert AuditEntry.objects.filter(action="person.exported", actor=alice).count() == 1


def test_the_readable_export_is_a_pdf_with_the_persons_details(client, alice, jean):
    client.force_login(alice)
    response = client.get(f"/people/{jean.pk}/export.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Personal data held by Cairn" in text
    assert "jean@example.org" in text


def test_a_member_exports_their_own_data_but_not_someone_elses(client, charlie, jean):
    client.force_login(charlie)
    assert client.get(f"/people/{charlie.person.pk}/export.json").status_code == 200
    assert client.get(f"/people/{jean.pk}/export.json").status_code == 403


def test_erasing_a_person_removes_identity_and_keeps_contributions_and_sector_counts(
    alice, jean, org
):
    said = record_contribution(
        text="Keep the bus route.", channel=ContributionChannel.PHONE, author=jean
    )
    notify(jean, subject="Hi Jean", body="Dear Jean", purpose=ConsentPurpose.EVENT_INVITATIONS)
    before = Contribution.objects.filter(author_sector=Sector.COMMUNITY).count()
    erase_person(jean, alice)
    jean.refresh_from_db()
    assert jean.anonymised_at is not None
    assert (jean.first_name, jean.last_name, jean.email, jean.phone, jean.address) == (
        "Erased",
        "",
        "",
        "",
        "",
    )
    assert not jean.consents.exists()
    said.refresh_from_db()
    assert said.author is None and said.text == "Keep the bus route."
    assert said.author_sector == Sector.COMMUNITY
    assert Contribution.objects.filter(author_sector=Sector.COMMUNITY).count() == before
    assert jean.deliveries.get().body == ""
    assert not AuditEntry.objects.filter(summary__contains="Jean Millar").exists()
    assert AuditEntry.objects.filter(action="person.erased", actor=alice).exists()
    with pytest.raises(PersonError):
        erase_person(jean, alice)


def test_erasing_a_person_with_a_login_closes_the_account(alice, charlie):
    erase_person(charlie.person, alice)
    charlie.refresh_from_db()
    assert not charlie.is_active
    assert charlie.username.startswith("erased-")
    assert not charlie.has_usable_password()


def test_erasure_needs_the_name_typed_to_confirm(client, alice, jean):
    client.force_login(alice)
    client.post(f"/people/{jean.pk}/erase/", {"confirm_name": "someone"})
    jean.refresh_from_db()
    assert jean.anonymised_at is None
    client.post(f"/people/{jean.pk}/erase/", {"confirm_name": "Jean Millar"})
    jean.refresh_from_db()
    assert jean.anonymised_at is not None


def test_changes_to_details_and_consent_are_in_the_audit_log(client, alice, jean):
    update_person(jean, {"phone": "0700 000000", "email": jean.email}, alice)
    set_consent(
        jean, ConsentPurpose.NEWSLETTERS, granted=True, method=ConsentMethod.PHONE, user=alice
    )
    entries = AuditEntry.objects.filter(object_id=str(jean.pk)).order_by("pk")
    assert [e.action for e in entries] == ["person.updated", "consent.granted"]
    assert entries[0].summary == "Changed phone"
    assert "0700" not in entries[0].summary
    client.force_login(alice)
    response = client.get(f"/people/audit/?person={jean.pk}")
    assert b"Changed phone" in response.content


def test_a_coordinator_edits_a_persons_details_through_the_form(client, alice, jean):
    client.force_login(alice)
    response = client.post(
        f"/people/{jean.pk}/edit/",
        {
            "first_name": "Jean",
            "last_name": "Millar",
            "email": "not an email",
            "preferred_channel": "post",
        },
    )
    assert b"Enter a valid email address" in response.content
    response = client.post(
        f"/people/{jean.pk}/edit/",
        {
            "first_name": "Jean",
            "last_name": "Millar",
            "email": "jean@example.org",
            "preferred_channel": "post",
            "address": "1 New Street",
            "access_needs": ["large_print"],
        },
    )
    assert response.status_code == 302
    jean.refresh_from_db()
    assert jean.preferred_channel == "post" and jean.access_needs == ["large_print"]


def test_members_decide_what_other_members_see_of_them(client, bob, charlie):
    me = charlie.person
    me.email, me.phone = "charlie@example.org", "0777"
    me.save()
    client.force_login(charlie)
    client.post(
        "/me/",
        {
            "preferred_channel": "email",
            "email": "charlie@example.org",
            "phone": "0777",
            "visible_in_directory": "on",
            "show_email": "on",
            "consent": ["newsletters"],
        },
    )
    me.refresh_from_db()
    assert me.visible_in_directory and me.show_email and not me.show_phone
    assert Consent.objects.get(person=me, purpose="newsletters").method == "web"
    client.force_login(bob)
    page = client.get("/directory/people/").content.decode()
    assert "Charlie" in page and "charlie@example.org" in page and "0777" not in page
    detail = client.get(f"/people/{me.pk}/").content.decode()
    assert "charlie@example.org" in detail and "0777" not in detail


def test_people_who_are_not_listed_stay_out_of_the_directory(client, bob, charlie):
    client.force_login(bob)
    assert "Charlie" not in client.get("/directory/people/").content.decode()
    assert client.get(f"/people/{charlie.person.pk}/").status_code == 404


def test_an_organisation_member_edits_how_to_work_with_them(client, charlie, bob, org):
    charlie.person.organisation = org
    charlie.person.save()
    client.force_login(charlie)
    response = client.post(
        f"/organisations/{org.pk}/edit/",
        {"name": org.name, "sector": org.sector, "how_to_work_with_us": "Ring Tuesdays."},
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.how_to_work_with_us == "Ring Tuesdays."
    client.force_login(bob)
    assert client.get(f"/organisations/{org.pk}/edit/").status_code == 403


def test_a_persons_page_lists_the_messages_sent_to_them(client, alice, jean):
    notify(jean, subject="Invitation", body="Come.", purpose=ConsentPurpose.NEWSLETTERS)
    client.force_login(alice)
    page = client.get(f"/people/{jean.pk}/").content.decode()
    assert "Messages sent" in page and "No consent for" in page
