"""Logging in with django-allauth: username or email and password, an emailed code,
password reset by emailed link; Axes still locks out repeated failures."""

import re

import pytest
from django.core import mail
from django.urls import reverse


@pytest.fixture
def dora(db):
    from tests.conftest import make_user

    user = make_user("dora", None, email="dora@example.org")
    user.email = "dora@example.org"
    user.save()
    return user


@pytest.mark.django_db
def test_a_member_logs_in_with_their_email_address(client, dora):
    response = client.post(reverse("login"), {"login": "dora@example.org", "password": "pw-dora"})
    assert response.status_code == 302
    assert client.get(reverse("members:me")).status_code == 200


@pytest.mark.django_db
def test_the_login_page_offers_a_code_a_reset_and_an_invitation_code(client):
    page = client.get(reverse("login")).content.decode()
    assert reverse("account_request_login_code") in page
    assert reverse("account_reset_password") in page
    assert reverse("accounts:redeem") in page
    assert 'for="id_login"' in page and 'for="id_password"' in page


@pytest.mark.django_db
def test_a_wrong_password_says_so_without_saying_which(client, dora):
    response = client.post(reverse("login"), {"login": "dora", "password": "nope"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


@pytest.mark.django_db
def test_failed_logins_by_email_address_are_locked_out_too(client, dora):
    for _ in range(5):
        client.post(reverse("login"), {"login": "dora@example.org", "password": "wrong"})
    response = client.post(reverse("login"), {"login": "dora@example.org", "password": "pw-dora"})
    assert response.status_code == 429


@pytest.mark.django_db
def test_the_old_password_reset_address_leads_to_the_reset_page(client):
    response = client.get("/accounts/password_reset/")
    assert response.status_code == 301
    assert response["Location"] == reverse("account_reset_password")
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_password_reset_by_emailed_link(client, dora):
    client.post(reverse("account_reset_password"), {"email": "dora@example.org"})
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = re.search(r"https?://\S+/password/reset/key/\S+", body).group(0)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"password1": "a-new-long-passphrase", "password2": "a-new-long-passphrase"},
    )
    assert response.status_code == 302
    dora.refresh_from_db()
    assert dora.check_password("a-new-long-passphrase")


@pytest.mark.django_db
def test_login_by_emailed_code(client, dora):
    client.post(reverse("account_request_login_code"), {"email": "dora@example.org"})
    assert len(mail.outbox) == 1
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[0].body, re.M).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("members:me")).status_code == 200


@pytest.mark.django_db
def test_nobody_signs_themselves_up_through_allauth(client):
    response = client.get(reverse("account_signup"))
    assert "by invitation" in response.content.decode()
    client.post(
        reverse("account_signup"),
        {
            "username": "mallory",
            "email": "m@example.org",
            "password1": "a-long-passphrase",
            "password2": "a-long-passphrase",
        },
    )
    from django.contrib.auth.models import User

    assert not User.objects.filter(username="mallory").exists()


@pytest.mark.django_db
def test_the_email_addresses_page_is_my_details_where_the_login_follows_the_record(client, dora):
    """allauth's own page could add or make primary an address the member's record (which
    outreach writes to) never hears of; the address is changed on My details instead."""
    from allauth.account.models import EmailAddress

    client.force_login(dora)
    before = list(EmailAddress.objects.filter(user=dora).values_list("email", flat=True))
    response = client.get(reverse("account_email"))
    assert response.status_code == 302
    assert response["Location"] == reverse("members:me") + "#id_email"
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "dora@new.example.org"}
    )
    assert response.status_code == 302
    assert list(EmailAddress.objects.filter(user=dora).values_list("email", flat=True)) == before
    details = client.get(reverse("members:me")).content.decode()
    assert "login codes and password resets go to that address" in details
    assert reverse("account_change_password") in details
    dora.person.email = ""
    dora.person.save()
    details = client.get(reverse("members:me")).content.decode()
    assert "Add an email address above to log in with a code" in details
    client.logout()
    response = client.get(reverse("account_email"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def _reset_by_link(client, address: str, password: str) -> None:
    client.post(reverse("account_reset_password"), {"email": address})
    link = re.search(r"https?://\S+/password/reset/key/\S+", mail.outbox[-1].body).group(0)
    form_page = client.get(link.split("testserver", 1)[1], follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"password1": password, "password2": password}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_member_locked_out_resets_the_password_by_email_and_logs_in_at_once(client, dora):
    from cairn.core.models import AuditEntry

    for _ in range(5):
        client.post(reverse("login"), {"login": "dora", "password": "wrong"})
    locked = client.post(reverse("login"), {"login": "dora", "password": "pw-dora"})
    assert locked.status_code == 429
    # The locked-out page shows the ways on: a reset link by email, or a login code.
    page = locked.content.decode()
    assert reverse("account_reset_password") in page
    assert reverse("account_request_login_code") in page

    _reset_by_link(client, "dora@example.org", "a-new-long-passphrase")
    client.logout()
    for login in ("dora", "dora@example.org"):
        response = client.post(
            reverse("login"), {"login": login, "password": "a-new-long-passphrase"}
        )
        assert response.status_code == 302, login
        client.logout()
    assert AuditEntry.objects.filter(action="account.password_reset").count() == 1


@pytest.mark.django_db
def test_the_password_reset_pages_speak_plainly_and_lead_back_to_logging_in(client, dora):
    page = client.get(reverse("account_reset_password")).content.decode()
    assert "Forgotten your password?" in page and "Email me a link" in page
    assert reverse("account_request_login_code") in page
    done = client.post(
        reverse("account_reset_password"), {"email": "dora@example.org"}, follow=True
    )
    assert "Check your email" in done.content.decode()
    message = mail.outbox[-1]
    assert message.subject.endswith("Choose a new password")
    assert "Your username is dora." in message.body
    link = re.search(r"https?://\S+/password/reset/key/\S+", message.body).group(0)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    form = form_page.content.decode()
    assert "Choose a new password" in form and ">New password again<" in form
    saved = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": "a-new-long-passphrase", "password2": "a-new-long-passphrase"},
        follow=True,
    ).content.decode()
    assert "Your new password is saved" in saved and f'href="{reverse("login")}"' in saved
    # The link works once; opened again it says so in words, and how to get another.
    again = client.get(path, follow=True).content.decode()
    assert "This link no longer works" in again and "Bad Token" not in again
    assert reverse("account_reset_password") in again


@pytest.mark.django_db
def test_changing_my_password_uses_plain_labels(client, dora):
    client.force_login(dora)
    page = client.get(reverse("account_change_password")).content.decode()
    assert "Change my password" in page
    assert ">Current password<" in page and ">New password again<" in page
    assert "placeholder=" not in page
