"""A visitor on a phone (390 px): the public registration form and a published report's
downloads, as someone with a touch screen or a keyboard uses them."""

import pytest

from cairn.events.links import own_link
from cairn.events.models import Event, Registration, RegistrationStatus
from cairn.reports.models import Report
from tests.e2e.conftest import axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH = 390


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_each_question_on_the_registration_form_keeps_its_space(phone, live_server, demo):
    upcoming = Event.objects.filter(status="open", breakout_themes__isnull=False).last()
    phone.goto(f"{live_server.url}/visit/events/{upcoming.pk}/")
    screenshot(phone, "phone-visitor-register")
    # A fieldset (the access needs) sat flush against the select above it, so its question
    # read as the select's last choice.
    gap = phone.evaluate(
        """() => {
        const q = document.querySelector("main form fieldset.question");
        const above = q.previousElementSibling.getBoundingClientRect();
        return q.getBoundingClientRect().top - above.bottom; }"""
    )
    assert gap >= 12, gap
    assert axe_violations(phone) == []


def test_a_reports_downloads_are_whole_tap_targets(phone, live_server, demo):
    report = Report.objects.filter(published_doc__isnull=False).first()
    phone.goto(f"{live_server.url}{report.get_public_url()}")
    links = phone.locator(".report-downloads a")
    assert links.count() >= 4
    phone.locator(".report-downloads").scroll_into_view_if_needed()
    screenshot(phone, "phone-visitor-report-downloads")
    for i in range(links.count()):
        link = links.nth(i)
        # "large-print PDF" broke over two lines, half a link on each; every one was 19 px high.
        lines, height = link.evaluate(
            "e => [e.getClientRects().length, e.getBoundingClientRect().height]"
        )
        assert lines == 1, link.inner_text()
        assert height >= 24, (link.inner_text(), height)
    # Reached by the keyboard, each shows where focus is.
    links.first.focus()
    outline = links.first.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid"
    assert axe_violations(phone) == []


def test_a_visitor_cancels_from_their_link_with_the_keyboard(phone, live_server, demo):
    registration = Registration.objects.filter(
        status=RegistrationStatus.REGISTERED, event__ends_at__gt=demo.ends_at
    ).first()
    link = own_link(registration)
    phone.goto(f"{live_server.url}{link[link.index('/visit/') :]}")
    assert axe_violations(phone) == []
    button = phone.get_by_role("button", name="Cancel my place")
    box = button.bounding_box()
    assert box["height"] >= 24 and box["x"] + box["width"] <= WIDTH
    button.focus()
    phone.keyboard.press("Enter")
    phone.wait_for_load_state()
    screenshot(phone, "phone-visitor-cancelled")
    assert phone.get_by_text("Your place is cancelled").is_visible()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
