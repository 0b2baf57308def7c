"""Coordinators add, edit and archive people and organisations from the pages."""

import pytest

from cairn.core.models import AuditEntry
from cairn.members.models import Consent, ConsentPurpose, Organisation, Person, Sector

pytestmark = pytest.mark.django_db


def _new_person(**extra):
    data = {
        "first_name": "Ruth",
        "last_name": "Okafor",
        "email": "ruth@example.org",
        "phone": "01632 960123",
        "address": "4 Mill Lane\nEastdale",
        "postcode": "ED1 2AB",
        "preferred_channel": "post",
        "sector": Sector.COMMUNITY,
        "region": "Eastdale",
        "access_needs": ["large_print"],
        "consents": [ConsentPurpose.EVENT_INVITATIONS, ConsentPurpose.QUOTE],
        "consent_method": "phone",
        "consent_date": "2026-03-02",
    }
    data.update(extra)
    return data


def test_a_coordinator_adds_a_person_with_consent_per_purpose(client, alice, org):
    client.force_login(alice)
    response = client.post("/people/new/", _new_person(organisation=org.pk))
    person = Person.objects.get(email="ruth@example.org")
    assert response.status_code == 302 and response.url == person.get_absolute_url()
    assert person.organisation == org and person.access_needs == ["large_print"]
    consents = {c.purpose: c for c in Consent.objects.filter(person=person)}
    assert set(consents) == {ConsentPurpose.EVENT_INVITATIONS, ConsentPurpose.QUOTE}
    assert consents[ConsentPurpose.QUOTE].method == "phone"
    assert consents[ConsentPurpose.QUOTE].recorded_at.date().isoformat() == "2026-03-02"
    assert consents[ConsentPurpose.QUOTE].recorded_by == alice
    assert AuditEntry.objects.filter(
        action="person.created", object_id=str(person.pk), actor=alice
    ).exists()


def test_consent_without_how_it_was_given_is_refused(client, alice):
    client.force_login(alice)
    response = client.post("/people/new/", _new_person(consent_method=""))
    assert response.status_code == 200
    assert "Say how the consent was given" in response.content.decode()
    assert not Person.objects.filter(email="ruth@example.org").exists()


def test_adding_someone_with_the_same_email_warns_before_saving(client, alice):
    existing = Person.objects.create(first_name="Ruth", last_name="O.", email="RUTH@example.org")
    client.force_login(alice)
    response = client.post("/people/new/", _new_person(first_name="R."))
    page = response.content.decode()
    assert response.status_code == 200
    assert "may be someone already on file" in page
    assert existing.get_absolute_url() in page
    assert Person.objects.filter(email__iexact="ruth@example.org").count() == 1
    response = client.post("/people/new/", _new_person(first_name="R.", not_a_duplicate="on"))
    assert response.status_code == 302
    assert Person.objects.filter(email__iexact="ruth@example.org").count() == 2


def test_same_name_and_organisation_is_a_likely_duplicate(client, alice, org):
    Person.objects.create(first_name="ruth", last_name="okafor", organisation=org)
    client.force_login(alice)
    response = client.post("/people/new/", _new_person(email="", organisation=org.pk))
    assert "may be someone already on file" in response.content.decode()
    assert Person.objects.filter(last_name__iexact="okafor").count() == 1


def test_archived_people_leave_the_list_and_can_come_back(client, alice):
    ruth = Person.objects.create(first_name="Ruth", last_name="Okafor")
    client.force_login(alice)
    assert client.get(f"/people/{ruth.pk}/archive/").status_code == 405
    client.post(f"/people/{ruth.pk}/archive/", follow=True)
    ruth.refresh_from_db()
    assert ruth.archived_at is not None
    assert "Ruth Okafor" not in client.get("/people/").content.decode()
    assert "Ruth Okafor" in client.get("/people/?archived=1").content.decode()
    client.post(f"/people/{ruth.pk}/archive/", {"archive": "0"})
    ruth.refresh_from_db()
    assert ruth.archived_at is None
    actions = list(
        AuditEntry.objects.filter(object_id=str(ruth.pk)).values_list("action", flat=True)
    )
    assert "person.archived" in actions and "person.restored" in actions


def test_a_coordinator_adds_edits_and_archives_an_organisation(client, alice):
    client.force_login(alice)
    response = client.post(
        "/organisations/new/",
        {"name": "Harbour Trust", "sector": Sector.THIRD_SECTOR, "region": "Eastdale"},
    )
    org = Organisation.objects.get(name="Harbour Trust")
    assert response.url == org.get_absolute_url()
    client.post(
        f"/organisations/{org.pk}/edit/",
        {"name": "Harbour Trust", "sector": Sector.THIRD_SECTOR, "region": "Westdale"},
    )
    org.refresh_from_db()
    assert org.region == "Westdale"
    again = client.post("/organisations/new/", {"name": "harbour trust", "sector": "private"})
    assert "already on file" in again.content.decode()
    client.post(f"/organisations/{org.pk}/archive/", follow=True)
    assert "Harbour Trust" not in client.get("/organisations/").content.decode()
    assert "Harbour Trust" in client.get("/organisations/?archived=1").content.decode()
    assert set(
        AuditEntry.objects.filter(object_type="members.organisation").values_list(
            "action", flat=True
        )
    ) == {"organisation.created", "organisation.updated", "organisation.archived"}


def test_members_cannot_add_or_archive(client, charlie, org):
    client.force_login(charlie)
    assert client.get("/people/new/").status_code == 403
    assert client.post("/organisations/new/", {"name": "X", "sector": "private"}).status_code == 403
    assert client.post(f"/organisations/{org.pk}/archive/").status_code == 403


def test_the_person_page_lists_registrations_contributions_responses_and_messages(
    client, alice, demo
):
    from cairn.consultations.models import Response

    registration = demo.registrations.select_related("person").first()
    person = registration.person
    contribution = person.contributions.first()
    client.force_login(alice)
    page = client.get(person.get_absolute_url()).content.decode()
    assert demo.title in page
    assert registration.get_status_display() in page
    if contribution is not None:
        assert contribution.text[:40] in page
    for response in Response.objects.filter(person=person)[:1]:
        assert str(response.consultation) in page
    assert "Messages sent" in page and "Consultation responses" in page
