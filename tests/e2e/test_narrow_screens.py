"""At 390 px (a phone) no main page scrolls sideways: tables scroll inside their own box."""

import pytest
from django.core.management import call_command

from cairn.events.models import BreakoutGroup
from cairn.reports.models import Report
from cairn.site.demo import demo_password
from tests.e2e.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH = 390


def _too_wide(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_no_main_page_is_wider_than_a_390_px_screen(browser, live_server, demo):
    call_command("allocate", str(demo.pk), verbosity=0)
    group = BreakoutGroup.objects.filter(event=demo).first()
    person = demo.registrations.first().person
    report = Report.objects.first()
    member_pages = [
        "/",
        "/events/",
        f"/events/{demo.pk}/",
        "/organisations/",
        "/consultations/",
        "/exchange/",
        "/conversations/",
        "/reports/published/",
        "/me/",
    ]
    coordinator_pages = [
        "/",
        f"/events/{demo.pk}/",
        f"/events/{demo.pk}/registrations/",
        f"/events/{demo.pk}/breakouts/",
        f"/events/{demo.pk}/attendance/",
        # The agenda table sits in a fieldset, which grows to its content unless told not to.
        "/events/new/",
        f"/events/{demo.pk}/edit/",
        group.get_absolute_url(),
        "/people/",
        f"/people/{person.pk}/",
        "/people/audit/",
        "/contributions/",
        "/outreach/",
        "/reports/",
        "/insights/",
    ]
    if report is not None:
        coordinator_pages.append(report.get_absolute_url())
    public_pages = ["/", "/visit/start-here/", "/visit/directory/"]
    wide = {}
    for who, paths in (
        (None, public_pages),
        ("member", member_pages),
        ("coordinator", coordinator_pages),
    ):
        page = browser.new_context(viewport={"width": WIDTH, "height": 844}).new_page()
        if who:
            login(page, live_server.url, who, demo_password())
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            width = _too_wide(page)
            if width > WIDTH:
                wide[(who, path)] = width
                screenshot(page, f"too-wide-{who}-{path.strip('/').replace('/', '-')}")
        page.context.close()
    assert wide == {}
