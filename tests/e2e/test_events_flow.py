"""Browser tests for events: the waiting list end to end, and the live breakout board."""

import re

import pytest
from playwright.sync_api import expect

from cairn.events.models import BreakoutGroup, Event, Registration
from cairn.site.demo import demo_password
from tests.e2e.conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _upcoming(demo) -> Event:
    return Event.objects.filter(status="open").order_by("starts_at").first()


def test_register_get_waitlisted_then_promoted_when_someone_cancels(page, live_server, demo):
    event = _upcoming(demo)
    Registration.objects.filter(event=event, person__user__username="member").delete()
    Registration.objects.filter(event=event, status="waitlisted").delete()
    event.capacity = Registration.objects.filter(event=event, status="registered").count()
    event.save()  # full
    login(page, live_server.url, "member", demo_password())
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    expect(page.get_by_text("The event is full")).to_be_visible()
    page.get_by_label("First choice").select_option(label="Reaching everyone")
    page.get_by_label("Access needs for this event").fill("Captions, please")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("you are on the waiting list")).to_be_visible()
    expect(page.locator("#my-status")).to_contain_text("number 1 in the queue")
    screenshot(page, "event-waitlisted")

    # Another person cancels: here a coordinator cancels on their behalf after a call.
    other = page.context.browser.new_context().new_page()
    login(other, live_server.url, "coordinator", demo_password())
    other.goto(f"{live_server.url}/events/{event.pk}/registrations/?status=registered")
    other.get_by_role("link", name="Cancel Robert Grant").click()
    other.get_by_role("button", name="Yes, cancel the registration").click()
    expect(other.get_by_text("Cancelled Robert Grant.")).to_be_visible()
    other.context.close()

    page.reload()
    expect(page.locator("#my-status")).to_contain_text("Registered")
    assert Registration.objects.get(event=event, person__user__username="member").promoted_at


def test_two_people_on_one_breakout_board_see_each_others_notes(page, live_server, demo):
    group = BreakoutGroup.objects.filter(event=demo).select_related("event").first()
    url = f"{live_server.url}{group.get_absolute_url()}"
    login(page, live_server.url, "facilitator", demo_password())
    page.goto(url)
    other = page.context.browser.new_context().new_page()
    login(other, live_server.url, "coordinator", demo_password())
    other.goto(url)

    page.get_by_label("Add a note").fill("Phone trees kept our members in touch")
    page.get_by_role("button", name="Post note").click()
    # The other page shows it without reloading (it polls every few seconds).
    expect(other.get_by_text("Phone trees kept our members in touch")).to_be_visible(timeout=10_000)

    other.get_by_label("Add a note").fill("Libraries lent tablets with data")
    other.get_by_role("button", name="Post note").click()
    expect(page.get_by_text("Libraries lent tablets with data")).to_be_visible(timeout=10_000)
    assert page.url == url  # no reload happened on the poster's side either
    screenshot(page, "breakout-board")
    other.context.close()


def test_a_note_typed_while_the_session_ran_out_is_back_in_the_box_after_logging_in(
    page, live_server, demo
):
    from django.contrib.sessions.models import Session

    from cairn.contributions.models import Contribution

    group = BreakoutGroup.objects.filter(event=demo).first()
    url = f"{live_server.url}{group.get_absolute_url()}"
    login(page, live_server.url, "facilitator", demo_password())
    page.goto(url)
    typed = "Bus passes matter more\nthan any app we tried"
    page.get_by_label("Add a note").fill(typed)
    Session.objects.all().delete()  # the session runs out while they type

    page.get_by_role("button", name="Post note").click()
    expect(page).to_have_url(re.compile("/accounts/login/"))
    page.get_by_label("Username").fill("facilitator")
    page.get_by_label("Password").fill(demo_password())
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(url)
    expect(page.get_by_label("Add a note")).to_have_value(typed)
    expect(page.get_by_text("Your note was not posted")).to_be_visible()
    assert not Contribution.objects.filter(text__startswith="Bus passes").exists()

    page.get_by_role("button", name="Post note").click()
    expect(page.locator("#notes").get_by_text("Bus passes matter more")).to_be_visible()
    expect(page.get_by_label("Add a note")).to_have_value("")
    expect(page.get_by_text("Your note was not posted")).to_be_hidden()
    # Confirmed by the server: the draft is gone, a reload does not put it back.
    page.reload()
    expect(page.get_by_label("Add a note")).to_have_value("")
    assert Contribution.objects.filter(text__startswith="Bus passes").count() == 1


def test_the_board_posts_without_javascript(browser, live_server, demo):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    group = BreakoutGroup.objects.filter(event=demo).first()
    login(page, live_server.url, "facilitator", demo_password())
    page.goto(f"{live_server.url}{group.get_absolute_url()}")
    page.get_by_label("Add a note").fill("Posted the plain way")
    page.get_by_role("button", name="Post note").click()
    expect(page.get_by_text("Posted the plain way")).to_be_visible()
    context.close()


def test_event_pages_have_no_serious_accessibility_violations(page, live_server, demo, alice):
    from django.core.management import call_command

    event = _upcoming(demo)
    call_command("allocate", str(demo.pk), verbosity=0)
    group = BreakoutGroup.objects.filter(event=demo).first()
    login(page, live_server.url, "coordinator", demo_password())
    paths = [
        "/events/new/",
        f"/events/{event.pk}/",
        f"/events/{event.pk}/edit/",
        f"/events/{event.pk}/registrations/",
        f"/events/{event.pk}/registrations/add/",
        f"/events/{event.pk}/cancel/",
        f"/events/{demo.pk}/breakouts/",
        f"/events/{demo.pk}/breakouts/print/",
        f"/events/{demo.pk}/attendance/",
        f"/events/{demo.pk}/import-chat/",
        f"/events/{demo.pk}/feedback/enter/",
        group.get_absolute_url(),
    ]
    problems = {}
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        found = axe_violations(page)
        if found:
            problems[path] = found
        if path.endswith(("/breakouts/", "/print/", "/registrations/", "/attendance/")):
            screenshot(page, "event-" + path.strip("/").split("/", 2)[-1].replace("/", "-"))
    assert problems == {}
    page = page.context.browser.new_context().new_page()
    login(page, live_server.url, "member", demo_password())
    for path in [f"/events/{event.pk}/", f"/events/{demo.pk}/feedback/"]:
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path
    screenshot(page, "event-feedback")
    page.context.close()


def test_a_coordinator_moves_someone_allocates_again_and_imports_a_checked_chat(
    page, live_server, demo
):
    """The coordinator's walk: a move by hand survives "Allocate again", starting over asks
    first, and a checked chat is imported from its result page without choosing it again."""
    from pathlib import Path

    from django.core.management import call_command

    from cairn.contributions.models import Contribution

    call_command("allocate", str(demo.pk), verbosity=0)
    person = Registration.objects.filter(event=demo, status="registered").last().person
    target = BreakoutGroup.objects.filter(event=demo).exclude(members=person).first()
    login(page, live_server.url, "coordinator", demo_password())
    page.goto(f"{live_server.url}/events/{demo.pk}/breakouts/")
    page.locator("#move-person").select_option(str(person.pk))
    page.locator("#move-group").select_option(str(target.pk))
    page.locator("form.filters").get_by_role("button", name="Move").click()
    expect(page.get_by_text("1 person moved by hand stays where they are.")).to_be_visible()
    page.get_by_role("button", name="Allocate again").click()
    expect(page.get_by_text("1 person moved by hand stayed where they were.")).to_be_visible()
    assert target.members.filter(pk=person.pk).exists()
    page.get_by_role("link", name=re.compile("Start over instead")).click()
    expect(page.get_by_text("Start over?")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "breakouts-start-over")
    page.get_by_role("link", name="No, keep the moves made by hand").click()

    chat = Path(__file__).resolve().parents[1] / "fixtures" / "chat" / "zoom_local_new.txt"
    before = Contribution.objects.filter(event=demo).count()
    page.goto(f"{live_server.url}/events/{demo.pk}/import-chat/")
    page.get_by_label("Chat or transcript file").set_input_files(str(chat))
    page.get_by_label("Check only, import nothing").check()
    page.get_by_role("button", name="Import", exact=True).click()
    button = page.get_by_role("button", name="Import these 8 messages")
    expect(button).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "import-chat-checked")
    button.click()
    expect(page.get_by_text("8 messages imported.")).to_be_visible()
    assert Contribution.objects.filter(event=demo).count() == before + 8
