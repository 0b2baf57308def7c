import pytest
from playwright.sync_api import expect

from cairn.conversations.models import Thread
from cairn.site.demo import demo_password
from tests.e2e.conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_replies_to_the_follow_up_thread_and_pages_are_accessible(page, live_server, demo):
    thread = Thread.objects.get(title__startswith="What have we learned?")
    login(page, live_server.url, "member", demo_password())
    page.locator(".nav-wide summary", has_text="Take part").click()  # a grouped menu
    page.get_by_role("link", name="Conversations").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name=thread.title).click()
    expect(page.get_by_text("Libraries can keep running digital help sessions")).to_be_visible()
    page.get_by_label("Your reply").fill("Let's meet again in spring.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("Let's meet again in spring.")).to_be_visible()
    assert axe_violations(page) == []
    page.context.clear_cookies()
    login(page, live_server.url, "coordinator", demo_password())
    page.goto(f"{live_server.url}{thread.get_absolute_url()}")
    assert axe_violations(page) == []
    screenshot(page, "conversation-thread")
    page.goto(f"{live_server.url}/conversations/new/")
    assert axe_violations(page) == []
