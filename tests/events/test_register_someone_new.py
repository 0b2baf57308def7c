"""Staff register someone who phoned and is not on file yet, in one step."""

import pytest

from cairn.core.models import AuditEntry
from cairn.events.models import Registration
from cairn.members.models import Consent, Person

pytestmark = pytest.mark.django_db


def _new(**extra):
    data = {
        "channel": "phone",
        "new_first_name": "Amir",
        "new_last_name": "Haddad",
        "new_phone": "01632 960777",
        "new_consent": "on",
        "access_needs": "Captions",
    }
    data.update(extra)
    return data


def test_a_caller_not_on_file_is_added_and_registered(client, alice, event):
    client.force_login(alice)
    response = client.post(f"/events/{event.pk}/registrations/add/", _new())
    assert response.status_code == 302
    amir = Person.objects.get(first_name="Amir")
    assert amir.preferred_channel == "phone" and amir.phone == "01632 960777"
    registration = Registration.objects.get(person=amir)
    assert registration.channel == "phone" and registration.entered_by == alice
    consent = Consent.objects.get(person=amir)
    assert consent.purpose == "event_invitations" and consent.method == "phone"
    assert AuditEntry.objects.filter(action="person.created", object_id=str(amir.pk)).exists()


def test_a_new_person_needs_a_way_to_reach_them(client, alice, event):
    client.force_login(alice)
    response = client.post(f"/events/{event.pk}/registrations/add/", _new(new_phone=""))
    assert "Give an email, a phone number or an address" in response.content.decode()
    assert not Person.objects.filter(first_name="Amir").exists()


def test_choosing_someone_on_file_and_someone_new_is_refused(client, alice, event, charlie):
    client.force_login(alice)
    response = client.post(f"/events/{event.pk}/registrations/add/", _new(person=charlie.person.pk))
    assert "not both" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_likely_duplicate_is_shown_before_adding(client, alice, event):
    on_file = Person.objects.create(first_name="A.", email="amir@example.org")
    client.force_login(alice)
    url = f"/events/{event.pk}/registrations/add/"
    page = client.post(url, _new(new_email="AMIR@example.org")).content.decode()
    assert "may be someone already on file" in page and on_file.get_absolute_url() in page
    assert not Registration.objects.exists()
    client.post(url, _new(new_email="AMIR@example.org", not_a_duplicate="on"))
    assert Person.objects.filter(email__iexact="amir@example.org").count() == 2


def test_nothing_is_added_when_the_event_is_not_open(client, alice, event):
    event.status = "closed"
    event.save()
    client.force_login(alice)
    page = client.post(f"/events/{event.pk}/registrations/add/", _new()).content.decode()
    assert "not open" in page
    assert not Person.objects.filter(first_name="Amir").exists()
