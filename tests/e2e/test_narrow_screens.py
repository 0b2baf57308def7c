"""At 390 px (a phone) no main page scrolls sideways: tables scroll inside their own box."""

import pytest
from django.core.management import call_command

from cairn.consultations.models import Consultation
from cairn.conversations.models import Thread
from cairn.events.models import BreakoutGroup
from cairn.members.import_jobs import upload_import
from cairn.members.models import Organisation
from cairn.reports.models import Report
from cairn.site.demo import demo_password
from tests.e2e.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH = 390


def _too_wide(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


# Form controls whose box ends past the screen's edge: a table that scrolls in its own box
# keeps the page narrow, but a field out of sight in it is a field nobody fills in.
OFF_SCREEN = """() => Array.from(document.querySelectorAll("main input, main select, main textarea"))
    .filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > innerWidth + 1)
    .map(e => e.name || e.id)"""


def _form_pages(demo, person) -> list[str]:
    """Every kind of form a coordinator fills in: tables of fields (the agenda, an import's
    column mapping) stack into labelled blocks on a phone rather than scroll sideways."""
    org = Organisation.objects.first()
    consultation = Consultation.objects.first()
    thread = Thread.objects.first()
    csv = (
        b"Full name of the member,Email address at work,Telephone number (mobile)\n"
        b"Jean Millar,jean.millar.long.address@example.org,07700 900000\n"
    )
    job = upload_import("members-with-a-long-file-name.csv", csv, {}, None)
    return [
        f"/events/{demo.pk}/registrations/add/",
        f"/events/{demo.pk}/import-chat/",
        f"/events/{demo.pk}/feedback/enter/",
        f"/events/{demo.pk}/cancel/",
        "/people/new/",
        f"/people/{person.pk}/edit/",
        f"/people/{person.pk}/consent/",
        f"/people/{person.pk}/erase/",
        f"/people/{person.pk}/merge/",
        "/people/import/",
        f"/people/import/{job.pk}/",
        "/organisations/new/",
        f"/organisations/{org.pk}/edit/",
        "/me/",
        "/consultations/new/",
        f"/consultations/{consultation.pk}/",
        f"/consultations/{consultation.pk}/edit/",
        f"/consultations/{consultation.pk}/enter/",
        f"/consultations/{consultation.pk}/import/",
        "/conversations/new/",
        thread.get_absolute_url(),
        "/exchange/new/",
        "/outreach/compose/",
        "/accounts/invite/",
    ]


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
        section = report.sections.first()
        coordinator_pages.append(f"/reports/{report.pk}/sections/{section.pk}/edit/")
        coordinator_pages.append(f"/reports/{report.pk}/files/pdf/")  # the Prepare button
    coordinator_pages += _form_pages(demo, person)
    public_pages = ["/", "/visit/start-here/", "/visit/directory/"]
    wide = {}
    hidden_fields = {}
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
            off_screen = page.evaluate(OFF_SCREEN)
            if off_screen:
                hidden_fields[(who, path)] = off_screen[:5]
        page.context.close()
    assert wide == {}
    assert hidden_fields == {}


@pytest.mark.parametrize("width", [1280, WIDTH])
def test_a_40_character_email_address_shows_whole_on_my_details(browser, live_server, demo, width):
    address = "margaret.worthington-smythe@eastdale.org"
    assert len(address) == 40
    page = browser.new_page(viewport={"width": width, "height": 900})
    login(page, live_server.url, "member", demo_password())
    page.goto(f"{live_server.url}/me/")
    box = page.get_by_label("Email", exact=True)
    box.fill(address)
    shown, needed = box.evaluate("e => [e.clientWidth, e.scrollWidth]")
    assert needed <= shown, f"{needed - shown} px of the address hidden at {width} px"
    # The fields of the form still line up with the wider one.
    widths = page.evaluate(
        "() => Array.from(document.querySelectorAll('main form input[type=text], main form "
        "input[type=email]')).map(e => Math.round(e.getBoundingClientRect().width))"
    )
    assert len(set(widths)) == 1, widths
    page.close()
