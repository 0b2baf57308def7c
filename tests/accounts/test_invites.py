"""A coordinator invites a person on file to log in: by email, letter or phone."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cairn.accounts import services
from cairn.accounts.models import Invite
from cairn.core.models import AuditEntry
from cairn.members.models import Channel, Person
from cairn.outreach.models import Delivery, DeliveryStatus


@pytest.fixture
def erin(db, org):
    return Person.objects.create(
        first_name="Erin",
        last_name="Walsh",
        organisation=org,
        email="erin@example.org",
        phone="01632 960001",
        address="1 Mill Lane\nEastdale",
        postcode="ED1 1AA",
    )


def link_in(body: str) -> str:
    return re.search(r"http://\S+/accounts/invite/\S+/", body).group(0).split("8000", 1)[1]


@pytest.mark.django_db
def test_an_emailed_invitation_creates_a_login_linked_to_the_person(client, alice, erin):
    client.force_login(alice)
    response = client.post(reverse("accounts:invite", args=[erin.pk]), {"channel": "email"})
    assert response.status_code == 302
    assert mail.outbox[0].to == ["erin@example.org"]
    path = link_in(mail.outbox[0].body)
    client.logout()
    page = client.get(path).content.decode()
    assert "Welcome, Erin" in page and 'value="erin.walsh"' in page
    response = client.post(path, {"username": "erin", "password1": "", "password2": ""})
    assert response.status_code == 302 and response["Location"] == reverse("members:me")
    erin.refresh_from_db()
    assert erin.user.username == "erin"
    assert not erin.user.has_usable_password()  # she logs in with emailed codes
    assert erin.user.emailaddress_set.get().verified
    assert client.get(reverse("members:me")).status_code == 200
    # The link works once.
    client.logout()
    assert client.get(path).status_code == 404
    actions = set(
        AuditEntry.objects.filter(object_id=str(erin.pk)).values_list("action", flat=True)
    )
    assert {"account.invited", "account.created"} <= actions


@pytest.mark.django_db
def test_a_letter_invitation_waits_in_the_letter_queue_with_its_code(client, alice, erin):
    client.force_login(alice)
    response = client.post(reverse("accounts:invite", args=[erin.pk]), {"channel": "post"})
    assert response["Location"] == reverse("accounts:invite_sent", args=[erin.pk])
    page = client.get(response["Location"]).content.decode()
    code = re.search(r"data-code>([A-Z0-9]{4}-[A-Z0-9]{4})<", page).group(1)
    letter = Delivery.objects.get(person=erin, channel=Channel.POST)
    assert letter.status == DeliveryStatus.QUEUED and letter.batch is None
    assert code in letter.body and "/accounts/invite/" in letter.body
    # The code is shown once only.
    assert client.get(response["Location"]).status_code == 302
    from cairn.outreach.services import create_letter_batch

    assert create_letter_batch(alice).letters.filter(pk=letter.pk).exists()
    # Erin types the code from her letter.
    client.logout()
    typed = client.post(reverse("accounts:redeem"), {"code": code.lower().replace("-", " ")})
    assert typed.status_code == 302
    response = client.post(
        typed["Location"],
        {"username": "erinw", "password1": "a-long-passphrase", "password2": "a-long-passphrase"},
    )
    assert response.status_code == 302
    erin.refresh_from_db()
    assert erin.user.check_password("a-long-passphrase")
    assert not erin.user.emailaddress_set.get().verified  # a letter proves no email address


@pytest.mark.django_db
def test_a_phone_invitation_joins_the_call_list_with_a_script(client, alice, erin):
    client.force_login(alice)
    response = client.post(reverse("accounts:invite", args=[erin.pk]), {"channel": "phone"})
    page = client.get(response["Location"]).content.decode()
    assert "Call script" in page
    code = re.search(r"data-code>([A-Z0-9]{4}-[A-Z0-9]{4})<", page).group(1)
    call = Delivery.objects.get(person=erin, channel=Channel.PHONE)
    script = client.get(reverse("outreach:call", args=[call.pk])).content.decode()
    assert code in script


@pytest.mark.django_db
def test_a_new_invitation_replaces_the_old_one(alice, erin):
    first = services.create_invite(erin, "email", alice)
    second = services.create_invite(erin, "email", alice)
    first.invite.refresh_from_db()
    assert not first.invite.is_open and second.invite.is_open


@pytest.mark.django_db
def test_an_expired_invitation_does_not_work(client, alice, erin):
    issued = services.create_invite(erin, "email", alice)
    Invite.objects.filter(pk=issued.invite.pk).update(expires_at=timezone.now() - timedelta(1))
    response = client.get(reverse("accounts:accept", args=[issued.code]))
    assert response.status_code == 404
    assert "does not work" in response.content.decode()


@pytest.mark.django_db
def test_without_an_email_address_a_password_is_needed(client, alice, erin):
    erin.email = ""
    erin.save()
    issued = services.create_invite(erin, "post", alice)
    response = client.post(
        reverse("accounts:accept", args=[issued.code]),
        {"username": "erin", "password1": "", "password2": ""},
    )
    assert response.status_code == 200
    erin.refresh_from_db()
    assert erin.user is None


@pytest.mark.django_db
def test_a_taken_username_or_weak_password_is_refused_clearly(client, alice, charlie, erin):
    issued = services.create_invite(erin, "email", alice)
    url = reverse("accounts:accept", args=[issued.code])
    page = client.post(url, {"username": "Charlie", "password1": "", "password2": ""})
    assert "taken" in page.content.decode()
    page = client.post(url, {"username": "erin", "password1": "123", "password2": "123"})
    assert "too short" in page.content.decode()
    erin.refresh_from_db()
    assert erin.user is None


@pytest.mark.django_db
def test_people_without_the_address_cannot_be_invited_that_way(client, alice, erin):
    erin.email = ""
    erin.save()
    client.force_login(alice)
    response = client.post(reverse("accounts:invite", args=[erin.pk]), {"channel": "email"})
    assert "no email address" in response.content.decode()
    assert not Invite.objects.exists()


@pytest.mark.django_db
def test_a_mail_server_failure_keeps_nothing(alice, erin, settings):
    from tests.outreach.conftest import free_port, smtp_settings

    settings.MAILERS = smtp_settings(free_port())
    with pytest.raises(services.AccountError, match="could not be sent"):
        services.create_invite(erin, "email", alice)
    assert not Invite.objects.exists()
    assert not AuditEntry.objects.filter(action="account.invited").exists()


@pytest.mark.django_db
def test_the_person_page_shows_login_controls_to_coordinators(client, alice, erin):
    client.force_login(alice)
    page = client.get(erin.get_absolute_url()).content.decode()
    assert "Invite to log in" in page
    services.create_invite(erin, "email", alice)
    page = client.get(erin.get_absolute_url()).content.decode()
    assert "Withdraw the invitation" in page


@pytest.mark.django_db
def test_guessing_codes_is_rate_limited(client, erin):
    statuses = [
        client.post(reverse("accounts:redeem"), {"code": f"AAAA-AAA{c}"}).status_code
        for c in "ABCDEFGHJKMN"
    ]
    page = client.post(reverse("accounts:redeem"), {"code": "AAAA-AAAP"}).content.decode()
    assert set(statuses) == {200}
    assert "Too many tries" in page


@pytest.mark.django_db
def test_a_member_who_forgot_their_password_gets_a_code_by_post(client, alice, charlie):
    person = charlie.person
    person.address = "2 Quay Street\nEastdale"
    person.save()
    # Locked out after forgetting it.
    for _ in range(5):
        client.post(reverse("login"), {"login": "charlie", "password": "wrong"})
    client.force_login(alice)
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Send a new password link or code" in page
    response = client.post(reverse("accounts:invite", args=[person.pk]), {"channel": "post"})
    code = re.search(
        r"data-code>([A-Z0-9]{4}-[A-Z0-9]{4})<", client.get(response["Location"]).content.decode()
    ).group(1)
    letter = Delivery.objects.get(person=person, channel=Channel.POST)
    assert "charlie" in letter.body and code in letter.body
    client.logout()
    url = reverse("accounts:accept", args=[code.replace("-", "")])
    assert "Your username is <strong>charlie</strong>" in client.get(url).content.decode()
    response = client.post(url, {"password1": "quay-street-two", "password2": "quay-street-two"})
    assert response.status_code == 302
    charlie.refresh_from_db()
    assert charlie.check_password("quay-street-two")
    client.logout()
    response = client.post(reverse("login"), {"login": "charlie", "password": "quay-street-two"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="account.password_set").exists()


@pytest.mark.django_db
def test_a_deactivated_login_gets_no_new_password(alice, charlie):
    services.set_active(charlie.person, False, alice)
    with pytest.raises(services.AccountError, match="deactivated"):
        services.create_invite(charlie.person, "email", alice)


@pytest.mark.django_db
def test_the_invitation_letter_prints_with_its_code(alice, erin):
    from pypdf import PdfReader

    from cairn.outreach.letters import render_letters
    from cairn.outreach.services import create_letter_batch

    issued = services.create_invite(erin, "post", alice)
    batch = create_letter_batch(alice)
    pdf = render_letters(batch.letters.all())
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert issued.display_code in text
    assert "1 Mill Lane" in text


@pytest.mark.django_db
def test_an_email_address_another_login_uses_stays_with_that_login(alice, erin):
    from django.contrib.auth.models import User

    User.objects.create_user("other", email="erin@example.org", password="x-long-passphrase")
    issued = services.create_invite(erin, "email", alice)
    with pytest.raises(services.AccountError, match="another login"):
        services.accept_invite(issued.invite, username="erin", password=None)
    user = services.accept_invite(issued.invite, username="erin", password="a-long-passphrase")
    assert not user.emailaddress_set.exists()


@pytest.mark.django_db
def test_the_invitation_page_shows_no_problem_before_anything_is_sent(client, alice, erin):
    # The page lists why each channel might not work beside it; that list once reached
    # the form's error summary too, so every fresh page opened on "There is a problem".
    erin.phone = ""
    erin.save()
    client.force_login(alice)
    page = client.get(reverse("accounts:invite", args=[erin.pk])).content.decode()
    assert "There is no phone number on file for this person." in page
    assert "data-error-summary" not in page
    assert "There is a problem" not in page
    # A refusal still shows in the summary, with its reason.
    page = client.post(reverse("accounts:invite", args=[erin.pk]), {"channel": "phone"})
    summary = page.content.decode().split("data-error-summary", 1)[1].split("</div>", 1)[0]
    assert "There is no phone number on file for this person." in summary


@pytest.mark.django_db
def test_an_empty_code_or_username_is_asked_for_in_words(client, alice, erin):
    page = client.post(reverse("accounts:redeem"), {"code": ""}).content.decode()
    assert "Type the code from your letter or phone call." in page
    assert "This field is required" not in page
    client.force_login(alice)
    client.post(reverse("accounts:invite", args=[erin.pk]), {"channel": "email"})
    client.logout()
    path = link_in(mail.outbox[-1].body)
    page = client.post(path, {"username": "", "password1": "", "password2": ""}).content.decode()
    assert "Choose a username." in page and "This field is required" not in page


@pytest.mark.django_db
def test_a_new_facilitator_is_invited_as_one_and_logs_in_as_one(client, alice, erin):
    from cairn.core.roles import Role, role_of

    client.force_login(alice)
    page = client.get(reverse("accounts:invite", args=[erin.pk])).content.decode()
    assert 'name="role"' in page  # chosen here, not remembered for later
    response = client.post(
        reverse("accounts:invite", args=[erin.pk]),
        {"channel": "email", "role": Role.FACILITATOR.value},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="account.invited", object_id=str(erin.pk))
    assert entry.detail["role"] == "facilitator" and "Facilitator" in entry.summary
    client.logout()
    client.post(
        link_in(mail.outbox[-1].body), {"username": "erin", "password1": "", "password2": ""}
    )
    erin.refresh_from_db()
    assert role_of(erin.user) == Role.FACILITATOR


@pytest.mark.django_db
def test_an_invitation_without_a_role_makes_a_member(client, alice, erin):
    from cairn.core.roles import Role, role_of

    client.force_login(alice)
    client.post(reverse("accounts:invite", args=[erin.pk]), {"channel": "email"})
    client.logout()
    client.post(
        link_in(mail.outbox[-1].body), {"username": "erin", "password1": "", "password2": ""}
    )
    erin.refresh_from_db()
    assert role_of(erin.user) == Role.MEMBER


@pytest.mark.django_db
def test_a_new_password_invitation_asks_no_role(client, alice, charlie):
    client.force_login(alice)
    charlie.person.email = "charlie@example.org"
    charlie.person.save()
    page = client.get(reverse("accounts:invite", args=[charlie.person.pk])).content.decode()
    assert 'name="role"' not in page


@pytest.mark.django_db
def test_too_many_dead_invitation_links_get_a_page_that_says_to_wait(client):
    statuses = [client.get(f"/accounts/invite/DEAD{n:04d}/").status_code for n in range(15)]
    assert statuses[0] == 404 and statuses[-1] == 429
    response = client.get("/accounts/invite/DEAD9999/")
    assert response.status_code == 429
    page = response.content.decode()
    assert "<h1>" in page and "Too many tries" in page
    assert reverse("login") in page  # the page, with its way out, not a line of plain text
