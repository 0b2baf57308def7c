import pytest
from playwright.sync_api import expect

from cairn.site.demo import demo_password
from tests.e2e.conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def draft(demo):
    """The demo's report for the seed event, taken down from the public site to be
    edited again (the demo publishes it)."""
    from django.contrib.auth import get_user_model

    from cairn.reports.models import Report
    from cairn.reports.services import unpublish

    coordinator = get_user_model().objects.get(username="coordinator")
    return unpublish(Report.objects.get(event=demo), coordinator)


def test_a_coordinator_edits_approves_publishes_and_the_public_reads_it(
    page, browser, live_server, draft
):
    login(page, live_server.url, "coordinator", demo_password())
    page.get_by_role("link", name="Reports", exact=True).click()
    page.get_by_role("link", name=draft.title).click()
    expect(page.get_by_role("heading", name="Technology", exact=True)).to_be_visible()
    page.get_by_role("link", name="Edit Technology", exact=True).click()
    page.get_by_label("Text").fill(
        "Members told us that technology opened doors and closed others."
    )
    page.get_by_role("button", name="Save section").click()
    expect(page.get_by_text("Section saved.")).to_be_visible()
    expect(page.get_by_text("technology opened doors and closed others")).to_be_visible()
    screenshot(page, "report-draft")
    page.get_by_role("button", name="Approve").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published. Anyone with the link can read it.")).to_be_visible()

    anonymous = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    draft.refresh_from_db()
    anonymous.goto(f"{live_server.url}{draft.get_public_url()}")
    expect(anonymous.get_by_role("heading", level=1)).to_have_text(draft.title)
    expect(anonymous.get_by_text("technology opened doors and closed others")).to_be_visible()
    assert anonymous.locator("a[href^='/contributions/']").count() == 0
    assert anonymous.locator("svg[role=img]").count() >= 2
    screenshot(anonymous, "report-public")
    assert axe_violations(anonymous) == []
    anonymous.goto(f"{live_server.url}/reports/published/")
    expect(anonymous.get_by_role("link", name=draft.title)).to_be_visible()
    assert axe_violations(anonymous) == []
    anonymous.context.close()


def test_report_and_synthesis_pages_have_no_serious_accessibility_violations(
    page, live_server, draft
):
    from cairn.insights.models import SynthesisRun

    login(page, live_server.url, "coordinator", demo_password())
    section = draft.sections.get(heading="Technology")
    paths = [
        "/reports/",
        draft.get_absolute_url(),
        f"/reports/{draft.pk}/sections/{section.pk}/edit/",
        f"/reports/{draft.pk}/history/",
        f"/reports/{draft.pk}/files/pdf/",
        "/insights/",
    ]
    run = SynthesisRun.objects.filter(event=draft.event).first()
    if run is not None:
        paths.append(run.get_absolute_url())
    problems = {}
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        found = axe_violations(page)
        if found:
            problems[path] = found
    screenshot(page, "synthesis-page")
    assert problems == {}


def test_a_coordinator_prepares_a_draft_pdf_and_then_downloads_it(page, live_server, draft):
    login(page, live_server.url, "coordinator", demo_password())
    page.goto(f"{live_server.url}{draft.get_absolute_url()}")
    page.get_by_role("link", name="PDF with sources").click()
    expect(page.get_by_text("is not prepared yet")).to_be_visible()
    # Tests run tasks in the request, so the file is ready when the page comes back.
    page.get_by_role("button", name="Prepare the PDF").click()
    link = page.get_by_role("link", name="Download the PDF")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert axe_violations(page) == []
