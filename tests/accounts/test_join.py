"""Optional sign-up: a visitor asks to join and waits until a coordinator approves."""

import pytest
from django.core import mail
from django.urls import reverse

from cairn.accounts.models import JoinRequest, JoinStatus
from cairn.members.models import Consent, Person

FORM = {
    "first_name": "Femi",
    "last_name": "Adeyemi",
    "organisation_name": "Riverside Tenants",
    "sector": "community",
    "email": "femi@example.org",
    "consents": ["event_invitations"],
    "privacy": "on",
    "website": "",
}


@pytest.fixture
def signup(settings):
    settings.CAIRN_SIGNUP = True


@pytest.mark.django_db
def test_sign_up_is_off_by_default(client):
    assert client.get(reverse("join")).status_code == 404
    assert reverse("join") not in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_the_header_offers_ask_to_join_once_beside_log_in(client, signup):
    # It stood in the menu and again beside "Log in", and the narrow screen's menu repeats
    # the menu's links: three times in one header.
    page = client.get(reverse("login")).content.decode()
    header = page[page.index("<header") : page.index("</header>")]
    assert header.count(f'href="{reverse("join")}"') == 1


@pytest.mark.django_db
def test_a_visitor_asks_to_join_and_a_coordinator_approves(client, alice, signup):
    response = client.post(reverse("join"), FORM)
    assert response.status_code == 302
    request = JoinRequest.objects.get()
    assert request.status == JoinStatus.PENDING
    assert not Person.objects.filter(email="femi@example.org").exists()
    client.force_login(alice)
    listing = client.get(reverse("accounts:join_requests")).content.decode()
    assert "Femi Adeyemi" in listing
    response = client.post(request.get_absolute_url(), {"action": "approve"})
    person = Person.objects.get(email="femi@example.org")
    assert response["Location"] == person.get_absolute_url()
    assert person.organisation.name == "Riverside Tenants"
    assert Consent.objects.get(person=person).purpose == "event_invitations"
    assert mail.outbox[-1].to == ["femi@example.org"]  # invited to log in
    request.refresh_from_db()
    assert request.status == JoinStatus.APPROVED and request.decided_by == alice


@pytest.mark.django_db
def test_approving_someone_already_on_file_joins_them_up(client, alice, org, signup):
    existing = Person.objects.create(first_name="Femi", email="FEMI@example.org", organisation=org)
    client.post(reverse("join"), FORM)
    client.force_login(alice)
    request = JoinRequest.objects.get()
    assert "already on file" in client.get(request.get_absolute_url()).content.decode()
    client.post(request.get_absolute_url(), {"action": "approve"})
    assert Person.objects.filter(first_name="Femi").count() == 1
    request.refresh_from_db()
    assert request.person == existing


@pytest.mark.django_db
def test_declining_keeps_no_contact_details(client, alice, signup):
    client.post(reverse("join"), FORM)
    client.force_login(alice)
    request = JoinRequest.objects.get()
    client.post(request.get_absolute_url(), {"action": "decline", "confirm": "1"})
    request.refresh_from_db()
    assert request.status == JoinStatus.DECLINED and request.email == ""


@pytest.mark.django_db
def test_declining_asks_first_because_the_details_go_at_once(client, alice, signup):
    # Decline sits beside Approve and deletes the visitor's details: a slip loses them.
    client.post(reverse("join"), FORM)
    client.force_login(alice)
    request = JoinRequest.objects.get()
    response = client.post(request.get_absolute_url(), {"action": "decline"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot be brought back" in page and 'name="confirm" value="1"' in page
    request.refresh_from_db()
    assert request.status == JoinStatus.PENDING and request.email == "femi@example.org"


@pytest.mark.django_db
def test_the_honeypot_keeps_bots_out(client, signup):
    response = client.post(reverse("join"), {**FORM, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not JoinRequest.objects.exists()


@pytest.mark.django_db
def test_a_way_to_reply_is_needed(client, signup):
    response = client.post(reverse("join"), {**FORM, "email": ""})
    assert "so we can reply" in response.content.decode()
    assert not JoinRequest.objects.exists()


@pytest.mark.django_db
def test_requests_to_join_are_rate_limited(client, signup):
    for i in range(5):
        client.post(reverse("join"), {**FORM, "email": f"f{i}@example.org"})
    response = client.post(reverse("join"), {**FORM, "email": "f9@example.org"})
    assert "Too many requests" in response.content.decode()
    assert JoinRequest.objects.count() == 5


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_only_coordinators_see_requests(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("accounts:join_requests")).status_code == 403


@pytest.mark.django_db
def test_a_request_missing_what_is_needed_says_what_to_do_in_words(client, signup):
    data = {**FORM, "first_name": "", "sector": "", "privacy": ""}
    page = client.post(reverse("join"), data).content.decode()
    assert "This field is required" not in page
    assert "Give your first name." in page
    assert "Choose which best describes you." in page
    assert "Tick the box so that we may keep your details" in page
    # What was typed stays.
    assert 'value="femi@example.org"' in page and not JoinRequest.objects.exists()
