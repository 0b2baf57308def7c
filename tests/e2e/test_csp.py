"""Browser check of the Content-Security-Policy: the main pages, as a coordinator and as a
member, run with no violation reported, and the scripts that poll (board, progress) work."""

from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from cairn.site.demo import demo_password
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

# Links not worth following here: leaving, files, the admin (Django's own pages).
SKIP = ("/accounts/logout", "/logout", "/admin/", "/static/", "/media/")
SKIP_ENDINGS = (".pdf", ".csv", ".docx", ".md", ".xlsx", ".zip", ".json", ".ics", ".txt")
PAGES_PER_ROLE = 45


def _watch(page) -> list[str]:
    """Collect every CSP violation the browser reports, from the console or as an event."""
    seen: list[str] = []
    page.on(
        "console",
        lambda m: (
            seen.append(f"{page.url}: {m.text}") if "Content Security Policy" in m.text else None
        ),
    )
    page.on("pageerror", lambda e: seen.append(f"{page.url}: {e}"))
    return seen


def _crawl(page, base: str, start: list[str]) -> list[str]:
    """Visit pages breadth first from `start`, following same-site links, up to a limit."""
    queue, visited = list(start), []
    while queue and len(visited) < PAGES_PER_ROLE:
        path = queue.pop(0)
        if path in visited:
            continue
        response = page.goto(base + path)
        visited.append(path)
        if not response or response.status != 200:
            continue
        assert "Content-Security-Policy" in response.headers or any(
            k.lower() == "content-security-policy" for k in response.headers
        ), path
        for href in page.eval_on_selector_all(
            "a[href]", "els => els.map(e => e.getAttribute('href'))"
        ):
            url = urlsplit(urljoin(base + path, href))
            if url.netloc != urlsplit(base).netloc:
                continue
            link = url.path + (f"?{url.query}" if url.query else "")
            if link.startswith(SKIP) or url.path.endswith(SKIP_ENDINGS) or link in visited:
                continue
            if link not in queue:
                queue.append(link)
    return visited


@pytest.mark.parametrize("username", ["coordinator", "member"])
def test_main_pages_report_no_csp_violation(page, live_server, demo, username):
    violations = _watch(page)
    login(page, live_server.url, username, demo_password())
    visited = _crawl(page, live_server.url, ["/", "/events/", "/accounts/password/change/"])
    assert len(visited) > 10, visited
    assert not violations, "\n".join(violations)


def test_anonymous_pages_report_no_csp_violation(page, live_server, demo):
    violations = _watch(page)
    visited = _crawl(page, live_server.url, ["/", "/accounts/login/", "/join/"])
    assert len(visited) > 3, visited
    assert not violations, "\n".join(violations)


def test_board_polling_and_progress_polling_run_under_the_policy(page, browser, live_server, demo):
    from django.contrib.auth import get_user_model

    from cairn.events.models import BreakoutGroup
    from cairn.jobs.models import Job, JobStatus

    violations = _watch(page)
    group = BreakoutGroup.objects.filter(event=demo).first()
    login(page, live_server.url, "coordinator", demo_password())
    page.goto(live_server.url + group.get_absolute_url())
    other = browser.new_context().new_page()
    login(other, live_server.url, "coordinator", demo_password())
    other.goto(live_server.url + group.get_absolute_url())
    other.get_by_label("Add a note").fill("Posted while the other page polls")
    other.get_by_role("button", name="Post note").click()
    # Shown without a reload: board.js ran, fetched and inserted the note.
    expect(page.get_by_text("Posted while the other page polls")).to_be_visible(timeout=10_000)
    other.context.close()

    job = Job.objects.create(
        title="A long import",
        runner="cairn.jobs.tests_only.noop",
        status=JobStatus.RUNNING,
        total=10,
        done=3,
        created_by=get_user_model().objects.get(username="coordinator"),
    )
    page.goto(live_server.url + job.get_absolute_url())
    with page.expect_response(lambda r: r.url.endswith(f"/jobs/{job.pk}/status/"), timeout=10_000):
        pass  # progress.js ran and polled
    Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE, done=10)
    # progress.js reloads the page once the work has ended.
    expect(page.get_by_text("Finished").first).to_be_visible(timeout=15_000)
    assert not violations, "\n".join(violations)
