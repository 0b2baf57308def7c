"""A coordinator prints a letter batch in a browser: the page answers at once, follows the
worker without a refresh, then shows the download links; at 1280 px and on a phone."""

import pytest
from playwright.sync_api import expect

from cairn.outreach.models import LetterBatch
from cairn.site.demo import demo_password
from tests.e2e.conftest import axe_violations, login, screenshot
from tests.jobs.conftest import db_queue, run_worker  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_letter_batch_is_printed_by_the_worker_while_its_page_follows(
    page,
    live_server,
    demo,
    db_queue,  # noqa: F811
    width,
):
    page.set_viewport_size({"width": width, "height": 900})
    batch = LetterBatch.objects.first()
    login(page, live_server.url, "coordinator", demo_password())
    page.goto(f"{live_server.url}{batch.get_absolute_url()}")
    expect(page.get_by_text("are not prepared yet")).to_be_visible()
    page.get_by_role("button", name="Prepare the letters and labels").click()
    expect(page.get_by_role("status")).to_contain_text("Waiting to start")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []
    screenshot(page, f"letter-batch-preparing-{width}")

    run_worker()  # the page is not reloaded by hand: progress.js sees the job end

    expect(page.get_by_role("link", name="Download letters (PDF, A4)")).to_be_visible(
        timeout=20_000
    )
    expect(
        page.get_by_role("link", name="Download address labels (PDF, 21 per sheet)")
    ).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []
    screenshot(page, f"letter-batch-ready-{width}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download letters (PDF, A4)").click()
    assert download.value.suggested_filename == f"letters-batch-{batch.pk}.pdf"
