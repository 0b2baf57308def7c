"""Every page checks the role on the server, not just by hiding links."""

import pytest
from django.urls import reverse

from cairn.contributions.models import Contribution


def pages(demo):
    from cairn.accounts.models import JoinRequest
    from cairn.sentmail.models import CaughtEmail

    contribution = Contribution.objects.filter(event=demo).first()
    join_request = JoinRequest.objects.create(first_name="Visitor", sector="community")
    caught = CaughtEmail.objects.create(from_email="a@x", to="b@x", subject="s", body="b", raw=b"")
    person = demo.registrations.first().person
    from cairn.jobs.models import Job

    job = Job.objects.create(title="Send a report", runner="cairn.jobs.services.queue_depth")
    return {
        "home": reverse("home"),
        "events": reverse("events:list"),
        "event": reverse("events:detail", args=[demo.pk]),
        "registrations": reverse("events:registrations", args=[demo.pk]),
        "organisations": reverse("members:organisations"),
        "organisation": person.organisation.get_absolute_url(),
        "people": reverse("members:people"),
        "contributions": reverse("contributions:list"),
        "contribution": contribution.get_absolute_url(),
        "admin": reverse("admin:index"),
        "health_web": reverse("health_web"),
        "jobs": reverse("jobs:list"),
        "job": job.get_absolute_url(),
        "job_status": reverse("jobs:status", args=[job.pk]),
        "invite": reverse("accounts:invite", args=[person.pk]),
        "invite_sent": reverse("accounts:invite_sent", args=[person.pk]),
        "join_requests": reverse("accounts:join_requests"),
        "join_request": join_request.get_absolute_url(),
        "redeem": reverse("accounts:redeem"),
        "join": reverse("join"),
        "join_thanks": reverse("join_thanks"),
        "sent_mail": reverse("sentmail:list"),
        "sent_mail_item": caught.get_absolute_url(),
        "login": reverse("login"),
        "password_reset": reverse("account_reset_password"),
        "login_code": reverse("account_request_login_code"),
        "password_change": reverse("account_change_password"),
        "email_addresses": reverse("account_email"),
        "person_add": reverse("members:person_add"),
        "organisation_add": reverse("members:organisation_add"),
        "person_merge": reverse("members:person_merge", args=[person.pk]),
        "public_event": reverse("public:event", args=[demo.pk]),
        "public_registered": reverse("public:registered", args=[demo.pk]),
        "start_here": reverse("public:start_here"),
        "public_directory": reverse("public:directory"),
        "person_archive": reverse("members:person_archive", args=[person.pk]),
        "organisation_archive": reverse(
            "members:organisation_archive", args=[person.organisation.pk]
        ),
    }


# page -> status by role; 302 means "sent to log in" for anonymous visitors
EXPECTED = {
    "home": {"anon": 200, "member": 200, "facilitator": 200, "coordinator": 200},
    "events": {"anon": 302, "member": 200, "facilitator": 200, "coordinator": 200},
    "event": {"anon": 302, "member": 200, "facilitator": 200, "coordinator": 200},
    "registrations": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    "organisations": {"anon": 302, "member": 200, "facilitator": 200, "coordinator": 200},
    "organisation": {"anon": 302, "member": 200, "facilitator": 200, "coordinator": 200},
    "people": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    "contributions": {"anon": 302, "member": 403, "facilitator": 200, "coordinator": 200},
    "contribution": {"anon": 302, "member": 404, "facilitator": 200, "coordinator": 200},
    "admin": {"anon": 302, "member": 302, "facilitator": 302, "coordinator": 200},
    # For load balancers: no login, nothing personal in the answer.
    "health_web": {"anon": 200, "member": 200, "facilitator": 200, "coordinator": 200},
    "jobs": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    "job": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    "job_status": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    "invite": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    # The code is shown once, right after inviting; otherwise back to the person.
    "invite_sent": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 302},
    "join_requests": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    "join_request": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    "redeem": {"anon": 200, "member": 200, "facilitator": 200, "coordinator": 200},
    "join": {"anon": 200, "member": 200, "facilitator": 200, "coordinator": 200},
    "join_thanks": {"anon": 200, "member": 200, "facilitator": 200, "coordinator": 200},
    "sent_mail": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    "sent_mail_item": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    # Logged-in people are sent on from the login and login-code pages.
    "login": {"anon": 200, "member": 302, "facilitator": 302, "coordinator": 302},
    "password_reset": {"anon": 200, "member": 200, "facilitator": 200, "coordinator": 200},
    "login_code": {"anon": 200, "member": 302, "facilitator": 302, "coordinator": 302},
    "password_change": {"anon": 302, "member": 200, "facilitator": 200, "coordinator": 200},
    "email_addresses": {"anon": 302, "member": 200, "facilitator": 200, "coordinator": 200},
    "person_add": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    "organisation_add": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    "person_merge": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    # the front door: everyone, no login
    "public_event": {"anon": 200, "member": 200, "facilitator": 200, "coordinator": 200},
    "public_registered": {"anon": 200, "member": 200, "facilitator": 200, "coordinator": 200},
    "start_here": {"anon": 200, "member": 200, "facilitator": 200, "coordinator": 200},
    "public_directory": {"anon": 200, "member": 200, "facilitator": 200, "coordinator": 200},
    # POST only: a GET changes nothing for anyone
    "person_archive": {"anon": 405, "member": 405, "facilitator": 405, "coordinator": 405},
    "organisation_archive": {"anon": 405, "member": 405, "facilitator": 405, "coordinator": 405},
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anon", "member", "facilitator", "coordinator"])
def test_each_role_reaches_only_its_pages(client, demo, role, settings):
    from django.contrib.auth.models import User

    from cairn.lib.mailers import CATCHER

    # The pages that exist only with sign-up open and in the demo (mail caught).
    settings.CAIRN_SIGNUP = True
    settings.MAILERS = {"default": {"BACKEND": CATCHER}}

    if role != "anon":
        client.force_login(User.objects.get(username=role))
    for name, url in pages(demo).items():
        response = client.get(url)
        assert response.status_code == EXPECTED[name][role], (name, role, response.status_code)


@pytest.mark.django_db
def test_members_do_not_see_breakout_notes_or_contact_details(client, demo):
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="member"))
    page = client.get(reverse("events:detail", args=[demo.pk])).content.decode()
    assert "Technology" in page
    assert "paperweight" not in page  # a breakout note
    org = demo.registrations.filter(person__preferred_channel="post").first().person
    person_page = client.get(org.get_absolute_url())
    assert person_page.status_code in (200, 404)
    if person_page.status_code == 200:
        assert org.address.splitlines()[0] not in person_page.content.decode()


@pytest.mark.django_db
def test_facilitators_read_notes_of_events_they_facilitate(client, demo):
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="facilitator"))
    page = client.get(reverse("events:detail", args=[demo.pk])).content.decode()
    assert "paperweight" in page


@pytest.mark.django_db
def test_a_facilitator_cannot_read_contributions_of_other_events(client, demo, bob):
    from cairn.contributions.services import record_contribution

    other = record_contribution(text="Said elsewhere", channel="email")
    client.force_login(bob)
    assert client.get(other.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_people_list_shows_contact_details_to_coordinators(client, demo):
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="coordinator"))
    page = client.get(reverse("members:people") + "?q=Millar").content.decode()
    assert "Jean Millar" in page
    assert "Post" in page


@pytest.mark.django_db
def test_members_choose_whether_they_appear_in_the_directory(client, org, charlie):
    from cairn.members.models import Person

    hidden = Person.objects.create(first_name="Hidden", last_name="Person", organisation=org)
    shown = Person.objects.create(
        first_name="Shown", last_name="Person", organisation=org, visible_in_directory=True
    )
    client.force_login(charlie)
    page = client.get(org.get_absolute_url()).content.decode()
    assert shown.full_name in page
    assert hidden.full_name not in page
    assert client.get(hidden.get_absolute_url()).status_code == 404
