import pytest
from playwright.sync_api import expect

from cairn.members.models import Person
from cairn.site.demo import demo_password
from tests.e2e.conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

CSV = (
    "Forename;Surname;E-mail address;Tel;Preferred contact\n"
    "Agnès;Carruthers;agnes@example.org;01632 960500;email\n"
    "Brian;Nobody;brian-at-example;;email\n"
    "Cath;Dunn;;01632 960502;phone\n"
).encode("cp1252")


def test_a_coordinator_imports_members_with_a_preview_and_an_error_row(
    page, live_server, demo, tmp_path
):
    path = tmp_path / "members.csv"
    path.write_bytes(CSV)
    login(page, live_server.url, "coordinator", demo_password())
    page.goto(f"{live_server.url}/people/")
    page.get_by_role("link", name="Import members").click()
    page.get_by_label("Member list").set_input_files(str(path))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name="Import preview: members.csv")).to_be_visible()
    expect(page.get_by_label("Field for column E-mail address")).to_have_value("email")
    errors = page.get_by_role("table", name="Rows with errors")
    expect(errors).to_contain_text("'brian-at-example' is not a valid email address")
    expect(page.get_by_text("encoding windows-1252")).to_be_visible()
    expect(errors.get_by_role("cell", name="3", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "import-preview")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Tick the box to confirm the import.")).to_be_visible()
    page.get_by_label("Import 2 new people").check()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Imported members.csv")).to_be_visible()
    expect(page.get_by_text("people were created: 2")).to_be_visible()
    assert Person.objects.filter(last_name__in=["Carruthers", "Dunn"]).count() == 2
    assert not Person.objects.filter(first_name="Brian").exists()


def test_a_coordinator_composes_previews_and_sends_a_message(page, live_server, demo):
    login(page, live_server.url, "coordinator", demo_password())
    page.get_by_role("link", name="Outreach", exact=True).click()
    page.get_by_role("link", name="Compose a message").click()
    page.get_by_label("Subject").fill("News for {first_name}")
    page.get_by_label("Message").fill("Dear {first_name},\n\nHere is our news.")
    page.get_by_label("Purpose").select_option("newsletters")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview by channel")).to_be_visible()
    screenshot(page, "outreach-compose-preview")
    page.get_by_role("checkbox", name="Send to").check()
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("heading", name="News for {first_name}")).to_be_visible()
    expect(page.get_by_role("table", name="Deliveries by channel and status")).to_be_visible()
    screenshot(page, "outreach-message")


@pytest.mark.parametrize("username", ["coordinator", "facilitator", "member"])
def test_member_and_outreach_pages_have_no_serious_accessibility_violations(
    page, live_server, demo, username
):
    from cairn.outreach.models import Delivery, LetterBatch, Message

    login(page, live_server.url, username, demo_password())
    paths = ["/me/", "/directory/people/", "/outreach/inbox/"]
    if username in ("coordinator", "facilitator"):
        call = Delivery.objects.filter(channel="phone", status="queued").first()
        paths += ["/outreach/calls/", f"/outreach/calls/{call.pk}/"]
    if username == "coordinator":
        person = Person.objects.filter(anonymised_at__isnull=True).first()
        paths += [
            "/people/import/",
            "/people/audit/",
            f"/people/{person.pk}/",
            f"/people/{person.pk}/edit/",
            f"/people/{person.pk}/erase/",
            "/outreach/",
            "/outreach/compose/",
            Message.objects.first().get_absolute_url(),
            "/outreach/letters/",
            LetterBatch.objects.first().get_absolute_url(),
            "/outreach/not-reached/",
        ]
    problems = {}
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        found = axe_violations(page)
        if found:
            problems[path] = found
    if username == "coordinator":
        page.goto(f"{live_server.url}/outreach/")
        screenshot(page, "outreach-dashboard")
        page.goto(f"{live_server.url}/outreach/not-reached/")
        screenshot(page, "outreach-not-reached")
    assert problems == {}
