"""A person who changes their email in "My details" logs in with the new one: the login's
email (User.email and allauth's address) follows the record, audited, in one transaction."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import User

from cairn.core.models import AuditEntry
from cairn.members.models import Person


def _my_details(client, email: str):
    return client.post("/me/", {"preferred_channel": "email", "email": email})


def _login_with_address(user: User, email: str) -> None:
    user.email = email
    user.save()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    Person.objects.filter(user=user).update(email=email)


def test_changing_my_email_moves_my_login_to_the_new_address(client, charlie):
    _login_with_address(charlie, "charlie@old.example")
    client.force_login(charlie)
    assert _my_details(client, "charlie@new.example").status_code == 302
    charlie.refresh_from_db()
    assert charlie.email == "charlie@new.example"
    addresses = list(EmailAddress.objects.filter(user=charlie).values_list("email", "primary"))
    assert addresses == [("charlie@new.example", True)]
    # Unproven until the person confirms it; the audit names no address.
    assert not EmailAddress.objects.get(user=charlie).verified
    entry = AuditEntry.objects.get(action="account.email_changed")
    assert "example" not in entry.summary
    assert charlie.person.email == "charlie@new.example"


def test_emptying_my_email_leaves_my_login_without_one(client, charlie):
    _login_with_address(charlie, "charlie@old.example")
    client.force_login(charlie)
    client.post("/me/", {"preferred_channel": "web", "email": ""})
    charlie.refresh_from_db()
    assert charlie.email == "" and not EmailAddress.objects.filter(user=charlie).exists()


def test_an_address_of_another_login_is_refused_and_nothing_changes(client, charlie, bob):
    _login_with_address(charlie, "charlie@old.example")
    _login_with_address(bob, "bob@example.org")
    client.force_login(charlie)
    page = _my_details(client, "BOB@example.org")
    assert page.status_code == 200
    assert "Another login already uses this email address" in page.content.decode()
    charlie.refresh_from_db()
    assert charlie.email == "charlie@old.example"
    assert Person.objects.get(user=charlie).email == "charlie@old.example"
    assert EmailAddress.objects.get(user=charlie).email == "charlie@old.example"
    assert not AuditEntry.objects.filter(action="person.updated").exists()


def test_a_coordinator_changing_the_email_on_file_moves_the_login_too(client, alice, charlie):
    _login_with_address(charlie, "charlie@old.example")
    client.force_login(alice)
    person = charlie.person
    form = client.get(f"/people/{person.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "access_needs"}
    data.update(email="charlie@new.example", first_name="Charlie", last_name=person.last_name)
    assert client.post(f"/people/{person.pk}/edit/", data).status_code == 302
    charlie.refresh_from_db()
    assert charlie.email == "charlie@new.example"


def test_a_person_without_a_login_just_changes_their_record(db):
    person = Person.objects.create(first_name="Pat", email="pat@example.org")
    from cairn.members.services import update_person

    assert update_person(person, {"email": "pat@new.example"}, None) == ["email"]
    assert not AuditEntry.objects.filter(action="account.email_changed").exists()
