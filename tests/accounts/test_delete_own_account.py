"""A member deletes their own account from "My details": a page that says what goes and
what stays, offers the export first and asks for the current password and a tick before
anything is erased. The
network's last coordinator can erase neither their own record nor be erased by anyone."""

import pytest
from django.urls import reverse

from cairn.contributions.models import Contribution
from cairn.core.models import AuditEntry
from cairn.members.models import Person
from cairn.members.services import PersonError, erase_person


@pytest.mark.django_db
def test_a_member_deletes_their_account_after_confirming(client, charlie):
    person = charlie.person
    person.email = "charlie@example.org"
    person.save()
    said = Contribution.objects.create(author=person, text="The phone tree kept us going.")
    client.force_login(charlie)
    details = client.get(reverse("members:me")).content.decode()
    assert reverse("accounts:delete_me") in details

    page = client.get(reverse("accounts:delete_me")).content.decode()
    assert reverse("members:person_export", args=[person.pk, "json"]) in page
    assert "cannot be undone" in page and "1 contribution" in page

    # Without the tick nothing happens, and the page says why.
    response = client.post(reverse("accounts:delete_me"), {})
    assert response.status_code == 200
    assert "Tick the box to confirm" in response.content.decode()
    person.refresh_from_db()
    assert person.anonymised_at is None and person.email == "charlie@example.org"

    response = client.post(
        reverse("accounts:delete_me"), {"confirm": "on", "password": "pw-charlie"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    person.refresh_from_db()
    charlie.refresh_from_db()
    assert person.anonymised_at is not None and person.email == "" and person.user is None
    assert not charlie.is_active and charlie.username.startswith("erased-")
    # Their words stay, anonymously, so the counts do not change.
    said.refresh_from_db()
    assert said.text == "The phone tree kept us going."
    # They are logged out, and the erasure is in the audit log as their own doing.
    assert client.get(reverse("members:me")).status_code == 302
    assert AuditEntry.objects.filter(action="person.erased", actor=charlie).exists()
    home = client.get(response["Location"]).content.decode()
    assert "Your account was deleted" in home


@pytest.mark.django_db
def test_a_wrong_or_missing_password_deletes_nothing(client, charlie):
    client.force_login(charlie)
    page = client.get(reverse("accounts:delete_me")).content.decode()
    assert 'autocomplete="current-password"' in page and "Forgotten your password?" in page
    for data, says in (
        ({"confirm": "on"}, "Type your current password"),
        ({"confirm": "on", "password": "not-it"}, "That is not your current password"),
    ):
        response = client.post(reverse("accounts:delete_me"), data)
        assert response.status_code == 200
        assert says in response.content.decode()
        assert "Nothing has been deleted" in response.content.decode() or "password" not in data
    charlie.refresh_from_db()
    assert charlie.is_active and charlie.person.anonymised_at is None
    assert not AuditEntry.objects.filter(action="person.erased").exists()


@pytest.mark.django_db
def test_guessing_the_password_here_is_rate_limited(client, charlie):
    client.force_login(charlie)
    for _ in range(5):
        client.post(reverse("accounts:delete_me"), {"confirm": "on", "password": "guess"})
    response = client.post(
        reverse("accounts:delete_me"), {"confirm": "on", "password": "pw-charlie"}
    )
    assert "Too many tries" in response.content.decode()
    charlie.refresh_from_db()
    assert charlie.is_active


@pytest.mark.django_db
def test_a_login_without_a_password_confirms_with_its_username(client, charlie):
    charlie.set_unusable_password()
    charlie.save()
    client.force_login(charlie)
    page = client.get(reverse("accounts:delete_me")).content.decode()
    assert "current-password" not in page and "type your username" in page
    response = client.post(reverse("accounts:delete_me"), {"confirm": "on", "username": "alice"})
    assert "That is not your username" in response.content.decode()
    charlie.refresh_from_db()
    assert charlie.is_active
    response = client.post(reverse("accounts:delete_me"), {"confirm": "on", "username": "Charlie"})
    assert response.status_code == 302
    charlie.refresh_from_db()
    assert not charlie.is_active


@pytest.mark.django_db
def test_the_page_needs_a_login(client):
    response = client.get(reverse("accounts:delete_me"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.django_db
def test_the_last_coordinator_cannot_delete_their_own_account(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:delete_me"), {"confirm": "on", "password": "pw-alice"})
    assert response.status_code == 200
    assert "last coordinator" in response.content.decode()
    alice.refresh_from_db()
    assert alice.is_active and Person.objects.get(user=alice).anonymised_at is None


@pytest.mark.django_db
def test_a_coordinator_cannot_erase_the_networks_last_coordinator(client, alice):
    # Erasing a record closes its login: the one way round "cannot lose the last coordinator".
    client.force_login(alice)
    me = Person.objects.get(user=alice)
    response = client.post(
        reverse("members:person_erase", args=[me.pk]), {"confirm_name": me.full_name}
    )
    assert response.status_code == 200
    assert "last coordinator" in response.content.decode()
    alice.refresh_from_db()
    assert alice.is_active
    with pytest.raises(PersonError):
        erase_person(me, alice)


@pytest.mark.django_db
def test_with_another_coordinator_a_coordinators_record_can_be_erased(alice, bob):
    from cairn.accounts.services import set_role
    from cairn.core.roles import Role

    set_role(bob.person, Role.COORDINATOR, alice)
    erase_person(Person.objects.get(user=alice), bob)
    alice.refresh_from_db()
    assert not alice.is_active
