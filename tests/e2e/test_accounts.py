"""Logins in the browser: an invitation by email caught by a real SMTP server, login by
emailed code, password reset, a role change in the audit log, a sign-up approved, and
the demo's Sent mail. Every new page is checked with axe-core at 1280 and 390 px."""

import re

import pytest
from playwright.sync_api import expect

from cairn.core.roles import Role
from cairn.members.models import Person
from tests.conftest import make_user
from tests.e2e.conftest import axe_violations, login, screenshot
from tests.outreach.conftest import Inbox, free_port, smtp_settings

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def inbox(settings, live_server):
    from aiosmtpd.controller import Controller

    box = Inbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = smtp_settings(port)
    settings.SITE_URL = live_server.url
    yield box
    controller.stop()


@pytest.fixture
def coordinator(db):
    return make_user("alice", Role.COORDINATOR, email="alice@example.org")


def text_of(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content()


def open_more_menu(page) -> None:
    """The coordinator's less used pages sit in the navigation's "More" group."""
    page.locator("summary:visible", has_text="More").first.click()


def accessible_at_both_widths(page, name: str) -> None:
    """No serious axe violation at 1280 px nor at 390 px, and nothing scrolls sideways."""
    assert axe_violations(page) == [], name
    screenshot(page, f"accounts-{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert axe_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
    screenshot(page, f"accounts-{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_coordinator_adds_and_invites_a_person_who_logs_in_and_edits_their_details(
    page, browser, live_server, inbox, coordinator
):
    login(page, live_server.url, "alice", "pw-alice")
    page.goto(f"{live_server.url}/people/new/")
    page.get_by_label("First name").fill("Erin")
    page.get_by_label("Last name").fill("Walsh")
    page.get_by_label("Email", exact=True).fill("erin@example.org")
    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_role("heading", name="Erin Walsh", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Login and role")).to_be_visible()
    accessible_at_both_widths(page, "person-no-login")

    page.get_by_role("link", name="Invite to log in").click()
    expect(page.get_by_label("Email with a one-time link")).to_be_checked()
    accessible_at_both_widths(page, "invite")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation emailed to erin@example.org")).to_be_visible()
    expect(page.get_by_text("Withdraw the invitation")).to_be_visible()

    (recipients, message) = inbox.messages[-1]
    assert recipients == ["erin@example.org"]
    link = re.search(r"http://\S+/accounts/invite/\S+/", text_of(message)).group(0)

    erin = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    erin.goto(link)
    expect(erin.get_by_role("heading", name="Welcome, Erin")).to_be_visible()
    accessible_at_both_widths(erin, "accept")
    erin.get_by_label("Username").fill("erin")
    erin.get_by_role("button", name="Create my login").click()
    expect(erin.get_by_text("Your login is ready")).to_be_visible()
    erin.get_by_role("textbox", name="Phone").fill("01632 960777")
    erin.get_by_role("button", name="Save").click()
    expect(erin.get_by_text("Saved.")).to_be_visible()
    person = Person.objects.get(email="erin@example.org")
    assert person.phone == "01632 960777" and person.user.username == "erin"

    # Next time she has no password: she asks for a code by email.
    erin.get_by_role("button", name="Log out").click()
    erin.goto(f"{live_server.url}/accounts/login/")
    accessible_at_both_widths(erin, "login")
    erin.get_by_role("link", name="Email me a login code").click()
    accessible_at_both_widths(erin, "login-code-request")
    erin.get_by_label("Email").fill("erin@example.org")
    erin.get_by_role("button", name="Email me a code").click()
    expect(erin.get_by_label("Code")).to_be_visible()
    accessible_at_both_widths(erin, "login-code-confirm")
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", text_of(inbox.messages[-1][1]), re.M)
    erin.get_by_label("Code").fill(code.group(1))
    erin.get_by_role("button", name="Confirm").click()
    expect(erin.get_by_role("button", name="Log out")).to_be_visible()
    erin.context.close()

    # The coordinator sees the login on the person's page.
    page.goto(f"{live_server.url}{person.get_absolute_url()}")
    expect(page.get_by_text("Can log in")).to_be_visible()
    accessible_at_both_widths(page, "person-with-login")


def test_a_letter_invitation_gives_a_code_the_person_types_in(
    page, browser, live_server, coordinator
):
    person = Person.objects.create(
        first_name="Jean", last_name="Millar", address="4 Kiln Row\nEastdale", phone="01632 960123"
    )
    login(page, live_server.url, "alice", "pw-alice")
    page.goto(f"{live_server.url}/accounts/people/{person.pk}/invite/")
    page.get_by_label("Printed letter with a code").check()
    page.get_by_role("button", name="Send the invitation").click()
    code = page.locator("[data-code]").inner_text()
    accessible_at_both_widths(page, "invite-sent-letter")
    jean = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    jean.goto(f"{live_server.url}/accounts/invite/")
    accessible_at_both_widths(jean, "redeem")
    jean.get_by_label("Your code").fill(code.lower())
    jean.get_by_role("button", name="Continue").click()
    jean.get_by_label("Username").fill("jean")
    jean.locator("#id_password1").fill("kiln-row-garden-4")
    jean.locator("#id_password2").fill("kiln-row-garden-4")
    jean.get_by_role("button", name="Create my login").click()
    expect(jean.get_by_text("Your login is ready")).to_be_visible()
    jean.context.close()


def test_password_reset_end_to_end(page, live_server, inbox):
    user = make_user("dora", None, email="dora@example.org")
    user.email = "dora@example.org"
    user.save()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    accessible_at_both_widths(page, "password-reset")
    page.get_by_label("Email").fill("dora@example.org")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your email")
    accessible_at_both_widths(page, "password-reset-done")
    link = re.search(r"http://\S+/password/reset/key/\S+", text_of(inbox.messages[-1][1]))
    page.goto(link.group(0))
    accessible_at_both_widths(page, "password-reset-key")
    page.get_by_label("New password", exact=True).fill("a-brand-new-passphrase")
    page.get_by_label("New password again").fill("a-brand-new-passphrase")
    page.get_by_role("button", name="Save my new password").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your new password is saved")
    accessible_at_both_widths(page, "password-reset-complete")
    page.get_by_role("link", name="Log in", exact=True).last.click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    login(page, live_server.url, "dora", "a-brand-new-passphrase")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_a_role_change_shows_in_the_audit_log(page, live_server, coordinator):
    charlie = make_user("charlie", Role.MEMBER)
    login(page, live_server.url, "alice", "pw-alice")
    page.goto(f"{live_server.url}{charlie.person.get_absolute_url()}")
    page.get_by_role("radio", name=re.compile("Facilitator")).check()
    page.get_by_role("button", name="Save role").click()
    expect(page.get_by_text("Charlie is now a facilitator.")).to_be_visible()
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("cell", name="account.role_changed")).to_be_visible()
    expect(page.get_by_text("Role changed from Member to Facilitator")).to_be_visible()
    open_more_menu(page)
    page.get_by_role("link", name="Logins and roles").first.click()
    expect(page.get_by_role("cell", name="Facilitator")).to_be_visible()
    accessible_at_both_widths(page, "logins")
    # Her own role: she is the last coordinator, so it stays.
    page.goto(f"{live_server.url}{coordinator.person.get_absolute_url()}")
    page.get_by_role("radio", name=re.compile("Member")).check()
    page.get_by_role("button", name="Save role").click()
    expect(page.get_by_text("last coordinator")).to_be_visible()


def test_a_visitor_asks_to_join_and_a_coordinator_approves(
    page, browser, live_server, inbox, coordinator, settings
):
    settings.CAIRN_SIGNUP = True
    visitor = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    visitor.goto(f"{live_server.url}/")
    visitor.get_by_role("link", name="Ask to join").first.click()
    accessible_at_both_widths(visitor, "join")
    visitor.get_by_label("First name").fill("Femi")
    visitor.get_by_label("Last name").fill("Adeyemi")
    visitor.get_by_label("Organisation or group").fill("Riverside Tenants")
    visitor.get_by_label("Which best describes you?").select_option("community")
    visitor.get_by_label("Email").fill("femi@example.org")
    visitor.get_by_label("Event invitations and reminders").check()
    visitor.get_by_label("I agree that the network keeps").check()
    visitor.get_by_role("button", name="Send my request").click()
    expect(visitor.get_by_role("heading", name="Thank you")).to_be_visible()
    accessible_at_both_widths(visitor, "join-thanks")
    visitor.context.close()

    login(page, live_server.url, "alice", "pw-alice")
    open_more_menu(page)
    page.get_by_role("link", name="Sign-ups").first.click()
    accessible_at_both_widths(page, "join-requests")
    page.get_by_role("link", name="Femi Adeyemi").click()
    accessible_at_both_widths(page, "join-request")
    page.get_by_role("button", name="Approve and invite to log in").click()
    expect(page.get_by_role("heading", name="Femi Adeyemi", level=1)).to_be_visible()
    expect(page.get_by_text("was invited to log in")).to_be_visible()
    assert inbox.messages[-1][0] == ["femi@example.org"]
    assert Person.objects.get(email="femi@example.org").organisation.name == "Riverside Tenants"


def test_the_demo_coordinator_reads_sent_mail(page, live_server, coordinator, settings):
    from cairn.accounts.services import create_invite
    from cairn.lib.mailers import CATCHER

    settings.MAILERS = {"default": {"BACKEND": CATCHER}}
    settings.SITE_URL = live_server.url
    person = Person.objects.create(first_name="Sam", last_name="Reid", email="sam@example.org")
    create_invite(person, "email", coordinator)
    login(page, live_server.url, "alice", "pw-alice")
    open_more_menu(page)
    page.get_by_role("link", name="Sent mail").first.click()
    accessible_at_both_widths(page, "sent-mail")
    page.get_by_role("link", name=re.compile("Your login to")).click()
    expect(page.get_by_text("sam@example.org")).to_be_visible()
    accessible_at_both_widths(page, "sent-mail-item")
    page.get_by_role("link", name=re.compile(r"accounts.invite")).click()
    expect(page.get_by_role("heading", name="You are already logged in")).to_be_visible()
    accessible_at_both_widths(page, "invite-logged-in")
    page.goto(f"{live_server.url}/accounts/invite/AAAABBBB/")
    expect(page.get_by_role("heading", name="This invitation does not work")).to_be_visible()
    accessible_at_both_widths(page, "invite-invalid")


def test_account_pages_for_a_logged_in_member(page, live_server):
    user = make_user("charlie", Role.MEMBER, email="charlie@example.org")
    user.email = "charlie@example.org"
    user.save()
    login(page, live_server.url, "charlie", "pw-charlie")
    page.get_by_role("link", name="Password").click()
    accessible_at_both_widths(page, "password-change")
    page.goto(f"{live_server.url}/accounts/email/")
    accessible_at_both_widths(page, "email-addresses")
    page.goto(f"{live_server.url}/accounts/logout/")
    accessible_at_both_widths(page, "logout")
    page.get_by_role("main").get_by_role("button").click()
    page.goto(f"{live_server.url}/accounts/signup/")
    expect(page.get_by_role("heading", name="Logins are by invitation")).to_be_visible()
    accessible_at_both_widths(page, "signup-closed")
