import pytest
from playwright.sync_api import expect

from cairn.exchange.models import Listing
from cairn.site.demo import demo_password
from tests.e2e.conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_sees_why_an_offer_was_suggested_and_gets_in_touch(page, live_server, demo):
    need = Listing.objects.get(title="Fresh food for the tenants' lunch club")
    login(page, live_server.url, "member", demo_password())
    page.locator(".nav-wide summary", has_text="Take part").click()  # a grouped menu
    page.get_by_role("link", name="Offers and needs").click()
    page.get_by_role("link", name=need.title).click()
    suggestion = page.get_by_role("listitem").filter(has_text="Surplus fresh food every evening")
    expect(suggestion.get_by_text("Both are about food.")).to_be_visible()
    screenshot(page, "exchange-need")
    page.get_by_role("link", name="Surplus fresh food every evening").click()
    page.get_by_label("Your message").fill("Our lunch club could collect on Tuesdays.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Your message was passed on to Harbour Supermarkets")).to_be_visible()


def test_offer_and_guide_pages_have_no_serious_accessibility_violations(page, live_server, demo):
    login(page, live_server.url, "member", demo_password())
    problems = {}
    offer = Listing.objects.filter(kind="offer").first()
    for path in [
        "/exchange/",
        f"/exchange/{offer.pk}/",
        "/exchange/new/",
        "/visit/start-here/?region=Eastdale",
    ]:
        page.goto(f"{live_server.url}{path}")
        if found := axe_violations(page):
            problems[path] = found
    screenshot(page, "exchange-guide")
    assert problems == {}
