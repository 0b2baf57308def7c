import pytest
from playwright.sync_api import expect

from cairn.site.demo import SEED_EVENT_TITLE, demo_password
from tests.e2e.conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_logs_in_and_reads_the_seed_event(page, live_server, demo):
    login(page, live_server.url, "coordinator", demo_password())
    page.get_by_role("link", name="Events", exact=True).click()
    page.get_by_role("link", name=SEED_EVENT_TITLE).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == SEED_EVENT_TITLE
    assert page.get_by_role("listitem").filter(has_text="Morag Lennox").first.is_visible()
    for theme in ("Technology", "Sustainability", "Positive signs", "Private sector"):
        assert page.get_by_role("heading", name=theme).is_visible()
    assert page.get_by_text("a tablet without broadband is a paperweight").is_visible()
    screenshot(page, "event-coordinator")


def test_a_member_sees_the_event_but_not_the_notes(page, live_server, demo):
    login(page, live_server.url, "member", demo_password())
    page.goto(f"{live_server.url}{demo.get_absolute_url()}")
    assert page.get_by_role("heading", name="Technology").is_visible()
    assert page.get_by_text("paperweight").count() == 0
    page.goto(f"{live_server.url}/people/")
    assert "have access" in page.content()
    screenshot(page, "event-member")


def test_the_site_works_with_the_keyboard_alone(page, live_server, demo):
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to main content" in focused
    page.get_by_role("link", name="Log in").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/")
    for _ in range(10):
        if page.evaluate("document.activeElement.id") == "id_login":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_login"
    page.keyboard.type("coordinator")
    page.keyboard.press("Tab")
    page.keyboard.type(demo_password())
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()


@pytest.mark.parametrize("username", ["anonymous", "member", "facilitator", "coordinator"])
def test_main_pages_have_no_serious_accessibility_violations(page, live_server, demo, username):
    from cairn.contributions.models import Contribution

    if username != "anonymous":
        login(page, live_server.url, username, demo_password())
    org = demo.organiser
    contribution = Contribution.objects.filter(event=demo).first()
    paths = (
        ["/", "/accounts/login/"]
        if username == "anonymous"
        else [
            "/",
            "/events/",
            demo.get_absolute_url(),
            "/organisations/",
            org.get_absolute_url(),
        ]
    )
    if username in ("facilitator", "coordinator"):
        paths += ["/contributions/", contribution.get_absolute_url()]
    if username == "coordinator":
        paths += ["/people/", f"/events/{demo.pk}/registrations/"]
    problems = {}
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        found = axe_violations(page)
        if found:
            problems[path] = found
    assert problems == {}
