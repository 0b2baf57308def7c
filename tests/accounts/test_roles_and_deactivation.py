"""Coordinators give and take away roles and deactivate logins; all audited; the
network never loses its last coordinator."""

import pytest
from django.urls import reverse

from cairn.accounts import services
from cairn.core.models import AuditEntry
from cairn.core.roles import Role, role_of


def refreshed(user):
    user.refresh_from_db()
    user._cairn_role = None
    return user


@pytest.mark.django_db
def test_a_coordinator_makes_a_member_a_facilitator(client, alice, charlie):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:role", args=[charlie.person.pk]), {"role": Role.FACILITATOR.value}
    )
    assert response.status_code == 302
    assert role_of(refreshed(charlie)) == Role.FACILITATOR
    entry = AuditEntry.objects.get(action="account.role_changed")
    assert entry.actor == alice and entry.object_id == str(charlie.person.pk)
    assert entry.detail == {"old": "member", "new": "facilitator"}
    log = client.get(reverse("members:audit") + f"?person={charlie.person.pk}").content.decode()
    assert "Role changed from Member to Facilitator" in log


@pytest.mark.django_db
def test_the_last_coordinator_cannot_remove_their_own_role(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:role", args=[alice.person.pk]), {"role": Role.MEMBER.value}, follow=True
    )
    assert "last coordinator" in response.content.decode()
    assert role_of(refreshed(alice)) == Role.COORDINATOR
    assert not AuditEntry.objects.filter(action="account.role_changed").exists()


@pytest.mark.django_db
def test_with_a_second_coordinator_one_may_step_down(alice, bob):
    services.set_role(bob.person, Role.COORDINATOR, alice)
    assert services.set_role(alice.person, Role.MEMBER, alice)
    assert role_of(refreshed(alice)) == Role.MEMBER


@pytest.mark.django_db
def test_a_deactivated_login_cannot_log_in_and_can_be_turned_back_on(client, alice, charlie):
    client.force_login(alice)
    client.post(reverse("accounts:active", args=[charlie.person.pk]), {"active": "0"})
    assert not refreshed(charlie).is_active
    client.logout()
    response = client.post(reverse("login"), {"login": "charlie", "password": "pw-charlie"})
    assert client.get(reverse("members:me")).status_code == 302  # not logged in
    client.force_login(alice)
    client.post(reverse("accounts:active", args=[charlie.person.pk]), {"active": "1"})
    assert refreshed(charlie).is_active
    actions = list(
        AuditEntry.objects.filter(action__startswith="account.").values_list("action", flat=True)
    )
    assert sorted(actions) == ["account.deactivated", "account.reactivated"]
    assert response.status_code in (200, 302)


@pytest.mark.django_db
def test_a_coordinator_cannot_deactivate_themselves(alice, bob):
    services.set_role(bob.person, Role.COORDINATOR, alice)
    with pytest.raises(services.AccountError, match="your own"):
        services.set_active(alice.person, False, alice)


@pytest.mark.django_db
def test_deactivating_someone_logs_them_out(client, alice, charlie):
    from django.test import Client

    theirs = Client()
    theirs.force_login(charlie)
    services.set_active(charlie.person, False, alice)
    assert theirs.get(reverse("members:me")).status_code == 302


@pytest.mark.django_db
def test_people_without_a_login_have_no_role_to_change(alice, org):
    from cairn.members.models import Person

    person = Person.objects.create(first_name="No", last_name="Login", organisation=org)
    with pytest.raises(services.AccountError, match="no login"):
        services.set_role(person, Role.FACILITATOR, alice)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_only_coordinators_change_roles(client, request, who, charlie):
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        reverse("accounts:role", args=[charlie.person.pk]), {"role": Role.COORDINATOR.value}
    )
    assert response.status_code == 403
    assert role_of(refreshed(charlie)) == Role.MEMBER


@pytest.mark.django_db
def test_role_changes_need_a_post(client, alice, charlie):
    client.force_login(alice)
    assert client.get(reverse("accounts:role", args=[charlie.person.pk])).status_code == 405


@pytest.mark.django_db
def test_the_admin_link_is_shown_only_to_superusers(client, alice):
    client.force_login(alice)
    assert reverse("admin:index") not in client.get(reverse("home")).content.decode()
    alice.is_superuser = True
    alice.save()
    assert reverse("admin:index") in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_the_logins_page_lists_roles_and_filters_coordinators(client, alice, bob, charlie):
    services.set_active(charlie.person, False, alice)
    client.force_login(alice)
    page = client.get(reverse("accounts:logins")).content.decode()
    assert "Alice" in page and "Bob" in page and "Charlie" in page
    assert "Deactivated" in page
    coordinators = client.get(reverse("accounts:logins") + "?role=coordinator").content.decode()
    assert "Alice" in coordinators and "Bob</a>" not in coordinators
    off = client.get(reverse("accounts:logins") + "?status=deactivated").content.decode()
    assert "Charlie</a>" in off and "Alice</a>" not in off


@pytest.mark.django_db
def test_a_deactivated_member_who_logs_in_is_told_what_happened_and_what_to_do(client, charlie):
    charlie.is_active = False
    charlie.save()
    response = client.post(
        reverse("login"), {"login": "charlie", "password": "pw-charlie"}, follow=True
    )
    page = response.content.decode()
    assert "Your login is turned off" in page and "Account Inactive" not in page
    assert "ask the network to turn it back on" in page


@pytest.mark.django_db
def test_the_logout_page_says_log_out_like_every_other_page(client, charlie):
    client.force_login(charlie)
    page = client.get(reverse("account_logout")).content.decode()
    assert "Log out" in page and "Sign Out" not in page and "sign out" not in page
