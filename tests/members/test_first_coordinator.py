"""The first coordinator of a new network is made with `cairn createsuperuser`, a login
with no person on file. Their "my details" link (the name in the header) must lead
somewhere: it asks for their name and puts them on file, so they also appear under Logins
and roles, instead of answering "Page not found"."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from cairn.core.models import AuditEntry
from cairn.members.models import Person


@pytest.fixture
def first_coordinator(db):
    call_command(
        "createsuperuser",
        interactive=False,
        username="ada",
        email="ada@example.org",
        verbosity=0,
    )
    return get_user_model().objects.get(username="ada")


@pytest.mark.django_db
def test_my_details_asks_a_login_with_no_person_for_its_name(client, first_coordinator):
    client.force_login(first_coordinator)
    response = client.get(reverse("members:me"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Put me on file" in page and 'value="ada@example.org"' in page


@pytest.mark.django_db
def test_putting_oneself_on_file_joins_the_login_and_lists_it(client, first_coordinator):
    client.force_login(first_coordinator)
    response = client.post(
        reverse("members:me"),
        {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("members:me")
    person = Person.objects.get(user=first_coordinator)
    assert (person.first_name, person.last_name, person.email) == (
        "Ada",
        "Lovelace",
        "ada@example.org",
    )
    entry = AuditEntry.objects.get(action="person.created", object_id=str(person.pk))
    assert entry.actor == first_coordinator
    # From now on "My details" is the usual page, and the login shows under Logins and roles.
    assert "Your login" in client.get(reverse("members:me")).content.decode()
    assert "Lovelace" in client.get(reverse("accounts:logins")).content.decode()


@pytest.mark.django_db
def test_someone_elses_email_is_not_taken_over(client, first_coordinator):
    other = Person.objects.create(first_name="Ada", email="ada@example.org")
    client.force_login(first_coordinator)
    response = client.post(reverse("members:me"), {"first_name": "Ada", "email": "ADA@example.org"})
    assert response.status_code == 200
    assert "already has this email address" in response.content.decode()
    assert not Person.objects.filter(user=first_coordinator).exists()
    other.refresh_from_db()
    assert other.user is None


@pytest.mark.django_db
def test_a_login_already_on_file_keeps_its_person(client, charlie):
    client.force_login(charlie)
    before = Person.objects.get(user=charlie)
    client.post(reverse("members:me"), {"first_name": "Someone", "preferred_channel": "web"})
    assert Person.objects.filter(user=charlie).get() == before
