"""Browser tests for people (add, merge) and the public front door, at 1280 and 390 px."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cairn.events.models import Event, EventStatus, Registration
from cairn.members.models import Person
from cairn.site.demo import demo_password
from tests.e2e.conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def _open_event() -> Event:
    return Event.objects.filter(status=EventStatus.OPEN, ends_at__gte=timezone.now()).first()


def test_a_visitor_registers_without_an_account_and_gets_the_confirmation_with_ics(
    page, live_server, demo, mailoutbox
):
    event = _open_event()
    event.capacity = None  # the demo's event is full; the waiting list has its own test
    event.save()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=event.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(event.title)
    assert event.video_link not in page.content()
    assert axe_violations(page) == []
    screenshot(page, "public-event-1280")
    page.get_by_label("First name").fill("Nadia")
    page.get_by_label("Last name").fill("Rahman")
    page.get_by_label("Email").fill("nadia@example.org")
    page.get_by_label("Hearing loop / captions").check()
    page.get_by_label("First choice").select_option(index=1)
    page.get_by_label("Contact me about this event").check()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Thank you for registering")).to_be_visible()
    assert axe_violations(page) == []
    nadia = Person.objects.get(email="nadia@example.org")
    assert nadia.user is None
    assert Registration.objects.get(person=nadia, event=event).status == "registered"
    (message,) = [m for m in mailoutbox if m.to == ["nadia@example.org"]]
    assert event.video_link in message.body
    assert [name for name, *_ in message.attachments if name.endswith(".ics")]


def test_a_coordinator_adds_a_person_and_is_warned_of_a_duplicate(page, live_server, demo):
    known = Person.objects.exclude(email="").filter(organisation__isnull=False).first()
    login(page, live_server.url, "coordinator", demo_password())
    page.get_by_role("link", name="People", exact=True).click()
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("First name").fill("Ruth")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Email", exact=True).fill(known.email.upper())
    page.get_by_label("Preferred channel").select_option("post")
    page.get_by_label("Postal address").fill("4 Mill Lane\nEastdale")
    page.get_by_label("Event invitations and reminders").check()
    page.get_by_label("How consent was given").select_option("phone")
    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_role("heading", name="This may be someone already on file")).to_be_visible()
    expect(page.get_by_role("link", name=known.full_name).first).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "person-add-duplicate")
    page.get_by_label("this is a different person").check()
    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_role("heading", name="Ruth Okafor", level=1)).to_be_visible()
    expect(page.get_by_text("Ruth Okafor added.")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "person-page")
    # Inside the login card, a later heading keeps its space below the button above it.
    page.goto(f"{live_server.url}/people/{Person.objects.get(user__username='facilitator').pk}/")
    button = page.get_by_role("button", name="Save role").bounding_box()
    heading = page.get_by_role("heading", name="Forgotten password").bounding_box()
    assert heading["y"] - (button["y"] + button["height"]) >= 12


def test_a_coordinator_merges_two_records_of_one_person(page, live_server, demo):
    registration = demo.registrations.select_related("person").first()
    kept = registration.person
    twin = Person.objects.create(
        first_name=kept.first_name, last_name=kept.last_name, phone="01632 960999"
    )
    Registration.objects.create(event=_open_event(), person=twin)
    login(page, live_server.url, "coordinator", demo_password())
    page.goto(f"{live_server.url}{kept.get_absolute_url()}")
    page.get_by_role("link", name="Merge a duplicate").click()
    page.locator(f"a[href='?other={twin.pk}']").click()
    expect(page.get_by_role("heading", name="What moves")).to_be_visible()
    expect(page.get_by_text("1 registration", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "person-merge-preview")
    page.get_by_label("Yes, merge").check()
    page.get_by_role("button", name="Merge").click()
    expect(page.get_by_text("Merged: 1 registration moved")).to_be_visible()
    assert not Person.objects.filter(pk=twin.pk).exists()
    assert kept.registrations.count() == 2


def test_new_pages_have_no_serious_accessibility_violations_at_1280_and_390(
    page, browser, live_server, demo
):
    person = demo.registrations.first().person
    event = _open_event()
    public = ["/", f"/visit/events/{event.pk}/", "/visit/start-here/", "/visit/directory/"]
    staff = [
        "/people/new/",
        "/organisations/new/",
        f"/people/{person.pk}/",
        f"/people/{person.pk}/merge/",
        f"/events/{event.pk}/registrations/add/",
    ]
    problems = {}
    phone = browser.new_context(viewport=PHONE).new_page()
    for viewer in (page, phone):
        width = viewer.viewport_size["width"]
        for path in public:
            viewer.goto(f"{live_server.url}{path}")
            if found := axe_violations(viewer):
                problems[(width, path)] = found
        screenshot(viewer, f"public-start-here-{width}")
        login(viewer, live_server.url, "coordinator", demo_password())
        for path in staff:
            viewer.goto(f"{live_server.url}{path}")
            if found := axe_violations(viewer):
                problems[(width, path)] = found
        screenshot(viewer, f"register-someone-{width}")
    phone.context.close()
    assert problems == {}


def test_at_390_px_the_menu_folds_and_opens(browser, live_server, demo):
    phone = browser.new_context(viewport=PHONE).new_page()
    login(phone, live_server.url, "coordinator", demo_password())
    expect(phone.locator(".nav-wide")).to_be_hidden()
    phone.get_by_text("Menu", exact=True).click()
    phone.locator(".nav-menu").get_by_role("link", name="People", exact=True).click()
    expect(phone.get_by_role("heading", name="People", level=1)).to_be_visible()
    screenshot(phone, "menu-390")
    phone.context.close()


def test_at_1280_px_the_navigation_is_one_row(page, live_server, demo):
    login(page, live_server.url, "coordinator", demo_password())
    header = page.locator(".site-header .wrap").bounding_box()
    nav = page.locator(".nav-wide").bounding_box()
    # One row: the navigation is no taller than a line and sits inside the header's only row.
    assert nav["height"] < 48 and header["height"] < 72, (nav, header)
