"""Report PDFs and DOCX files are rendered by a worker and kept in the file storage: no
request renders one, a GET only reads (the file, its progress, or a Prepare button), a
coordinator's POST queues a draft's file, publishing queues the public ones, and a report
that changes is rendered again."""

import pytest
from django.core.files.storage import default_storage

from cairn.core.models import AuditEntry
from cairn.reports import files, render, services
from cairn.reports.models import RenderedFile, RenderStatus
from tests.jobs.conftest import db_queue, run_worker  # noqa: F401 - fixture
from tests.reports.conftest import section
from tests.test_no_writes_in_views import sql_writes

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(report, alice, django_capture_on_commit_callbacks):
    services.approve(report, alice)
    with django_capture_on_commit_callbacks(execute=True):
        return services.publish(report, alice)


def _pdf_url(report):
    return f"{report.get_public_url()}report.pdf"


def _file_url(report, fmt="pdf"):
    return f"/reports/{report.pk}/files/{fmt}/"


def _prepare(client, report, capture, fmt="pdf", version="draft", large="0"):
    with capture(execute=True):
        return client.post(_file_url(report, fmt), {"version": version, "large": large})


def test_a_published_pdf_is_rendered_at_publishing_and_then_served_from_storage(
    client, published, monkeypatch
):
    def no_rendering(*args, **kwargs):
        raise AssertionError("rendered in the request")

    monkeypatch.setattr(render, "pdf", no_rendering)
    first = client.get(_pdf_url(published))
    assert first.status_code == 200
    pdf = first.getvalue()
    assert pdf.startswith(b"%PDF")
    assert first["Content-Disposition"].startswith("attachment;")
    stored = RenderedFile.objects.get(report=published, fmt="pdf", large_print=False)
    assert stored.status == RenderStatus.DONE and stored.doc is None
    assert default_storage.exists(stored.file.name)
    assert client.get(_pdf_url(published)).getvalue() == pdf


def test_publishing_queues_the_public_downloads(report, alice, django_capture_on_commit_callbacks):
    services.approve(report, alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(report, alice)
    made = RenderedFile.objects.filter(report=report, status=RenderStatus.DONE)
    assert sorted((r.fmt, r.large_print) for r in made) == sorted(files.PUBLIC_VARIANTS)


@pytest.mark.usefixtures("db_queue")
def test_the_public_download_answers_without_rendering_while_the_worker_renders(
    client, report, alice, monkeypatch, django_capture_on_commit_callbacks
):
    services.approve(report, alice)
    with django_capture_on_commit_callbacks(execute=True):
        published = services.publish(report, alice)
    real_pdf = render.pdf
    monkeypatch.setattr(render, "pdf", lambda *a, **k: pytest.fail("rendered in the request"))
    waiting = client.get(_pdf_url(published))
    assert waiting.status_code == 202
    body = waiting.content.decode()
    assert "Preparing the PDF" in body and "data-progress" in body
    polled = client.get(_pdf_url(published), HTTP_ACCEPT="application/json")
    assert polled.json()["active"] is True

    monkeypatch.setattr(render, "pdf", real_pdf)
    run_worker()
    # The page's poll learns that the work ended (as JSON, not the PDF) and reloads.
    assert client.get(_pdf_url(published), HTTP_ACCEPT="application/json").json() == {
        "active": False,
        "label": "",
        "percent": None,
    }
    ready = client.get(_pdf_url(published))
    assert ready.status_code == 200 and ready.getvalue().startswith(b"%PDF")


def test_a_draft_file_is_offered_then_prepared_by_a_post_and_then_downloaded(
    client, alice, report, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    download = f"/reports/{report.pk}/download/docx/"
    # Not prepared: the download leads to the file's page, which offers the button.
    response = client.get(download)
    assert response.status_code == 302 and response["Location"] == _file_url(report, "docx")
    page = client.get(_file_url(report, "docx")).content.decode()
    assert "Prepare the DOCX" in page and 'name="version" value="draft"' in page
    assert not RenderedFile.objects.exists()

    answer = _prepare(client, report, django_capture_on_commit_callbacks, fmt="docx")
    assert answer.status_code == 302 and answer["Location"] == _file_url(report, "docx")
    entry = AuditEntry.objects.get(action="report.file_prepared")
    assert entry.actor == alice and entry.object_id == str(report.pk)
    page = client.get(_file_url(report, "docx")).content.decode()
    assert "Download the DOCX" in page and download in page
    assert client.get(download).getvalue().startswith(b"PK")

    # A second click queues nothing; a changed draft gets a new file, the old one goes.
    _prepare(client, report, django_capture_on_commit_callbacks, fmt="docx")
    assert RenderedFile.objects.filter(report=report).count() == 1
    old = RenderedFile.objects.get(report=report)
    services.set_next_steps(report, alice, "Meet again in spring")
    assert client.get(download).status_code == 302
    _prepare(client, report, django_capture_on_commit_callbacks, fmt="docx")
    new = RenderedFile.objects.get(report=report)
    assert new.key != old.key and new.public is False
    assert not default_storage.exists(old.file.name)


@pytest.mark.usefixtures("db_queue")
def test_the_draft_file_page_shows_progress_until_the_worker_is_done(
    client, alice, report, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    _prepare(client, report, django_capture_on_commit_callbacks, large="1")
    url = _file_url(report) + "?large=1"
    waiting = client.get(url)
    assert waiting.status_code == 202
    assert 'data-progress="' in waiting.content.decode()
    assert client.get(url, HTTP_ACCEPT="application/json").json()["active"] is True
    run_worker()
    assert client.get(url, HTTP_ACCEPT="application/json").json()["active"] is False
    assert "Download the PDF" in client.get(url).content.decode()
    rendered = RenderedFile.objects.get()
    assert rendered.large_print and rendered.status == RenderStatus.DONE


@pytest.mark.usefixtures("db_queue")
def test_two_prepares_before_the_worker_runs_queue_one_render(
    client, alice, report, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    client.force_login(alice)
    _prepare(client, report, django_capture_on_commit_callbacks)
    _prepare(client, report, django_capture_on_commit_callbacks)
    assert RenderedFile.objects.count() == 1
    renders = DBTaskResult.objects.filter(task_path="cairn.reports.tasks.render_file_task")
    assert renders.count() == 1


def test_a_changed_report_is_rendered_again_and_the_old_file_removed(
    client, alice, published, django_capture_on_commit_callbacks
):
    old = RenderedFile.objects.get(report=published, fmt="pdf", large_print=False)
    services.edit_section(
        section(published, "Thank you"), alice, heading="Thank you", body="New closing words."
    )
    services.approve(published, alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(published, alice)
    response = client.get(_pdf_url(published))
    assert response.getvalue().startswith(b"%PDF")
    new = RenderedFile.objects.get(report=published, fmt="pdf", large_print=False)
    assert new.key != old.key
    assert not default_storage.exists(old.file.name)


def test_a_file_missing_from_storage_is_not_ready_until_prepared_again(
    client, alice, published, django_capture_on_commit_callbacks
):
    stored = RenderedFile.objects.get(report=published, fmt="pdf", large_print=False)
    default_storage.delete(stored.file.name)
    lost = client.get(_pdf_url(published))
    assert lost.status_code == 503 and "not ready yet" in lost.content.decode()
    client.force_login(alice)
    page = client.get(_file_url(published) + "?published=1").content.decode()
    assert "Prepare the PDF" in page and 'value="published"' in page
    _prepare(client, published, django_capture_on_commit_callbacks, version="published")
    assert client.get(_pdf_url(published)).getvalue().startswith(b"%PDF")
    stored.refresh_from_db()
    assert default_storage.exists(stored.file.name)


def test_a_failed_render_says_so_and_a_coordinator_can_try_again(
    client, alice, report, monkeypatch, django_capture_on_commit_callbacks
):
    real_pdf = render.pdf

    def broken(*args, **kwargs):
        raise RuntimeError("fonts missing")

    monkeypatch.setattr(render, "pdf", broken)
    services.approve(report, alice)
    with django_capture_on_commit_callbacks(execute=True):
        published = services.publish(report, alice)
    public = client.get(_pdf_url(published))
    assert public.status_code == 503
    assert "fonts missing" not in public.content.decode()  # the error is for coordinators
    client.force_login(alice)
    page = client.get(_file_url(published) + "?published=1").content.decode()
    assert "fonts missing" in page and "Try again" in page
    monkeypatch.setattr(render, "pdf", real_pdf)
    _prepare(client, published, django_capture_on_commit_callbacks, version="published")
    assert client.get(_pdf_url(published)).getvalue().startswith(b"%PDF")


def test_an_odd_prepare_is_a_message_not_a_500(client, alice, report):
    client.force_login(alice)
    response = client.post(_file_url(report), {"version": "everything"}, follow=True)
    assert "odd value" in response.content.decode()
    response = client.post(_file_url(report), {"version": "published"}, follow=True)
    assert "not published" in response.content.decode()
    assert client.get(_file_url(report, "md")).status_code == 404
    assert not RenderedFile.objects.exists()


def test_taking_a_report_down_removes_its_public_files(
    client, alice, published, django_capture_on_commit_callbacks
):
    names = [r.file.name for r in RenderedFile.objects.filter(report=published)]
    assert names and all(default_storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(published, alice)
    assert not RenderedFile.objects.filter(report=published).exists()
    assert not any(default_storage.exists(name) for name in names)


@pytest.mark.usefixtures("db_queue")
def test_no_get_of_a_report_file_writes_whatever_its_state(
    client, alice, report, monkeypatch, django_capture_on_commit_callbacks
):
    """The page, its poll and the download only read: nothing prepared, being prepared,
    failed, ready and lost from the storage, for a coordinator and for the public."""
    client.force_login(alice)
    visitor = client.__class__()
    urls = [
        f"/reports/{report.pk}/download/pdf/",
        f"/reports/{report.pk}/download/pdf/?public=1&large=1",
        f"/reports/{report.pk}/download/docx/?published=1",
        _file_url(report),
        _file_url(report, "docx") + "?public=1",
        _file_url(report) + "?published=1",
    ]

    def get_all(state):
        for url in urls:
            for accept in ("text/html", "application/json"):
                with sql_writes() as seen:
                    response = client.get(url, HTTP_ACCEPT=accept)
                assert response.status_code in (200, 202, 302, 404), (state, url)
                assert seen == [], (state, url, seen)
        for accept in ("text/html", "application/json"):
            with sql_writes() as seen:
                visitor.get(_pdf_url(report), HTTP_ACCEPT=accept)
            assert seen == [], (state, "public", seen)

    get_all("nothing prepared")
    services.approve(report, alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(report, alice)
    _prepare(client, report, django_capture_on_commit_callbacks)
    get_all("being prepared")
    monkeypatch.setattr(render, "pdf", lambda *a, **k: 1 / 0)
    run_worker()
    get_all("failed")
    monkeypatch.undo()
    for version in ("draft", "published"):
        _prepare(client, report, django_capture_on_commit_callbacks, version=version)
    run_worker()
    get_all("ready")
    for rendered in RenderedFile.objects.filter(status=RenderStatus.DONE):
        default_storage.delete(rendered.file.name)
    get_all("lost")


@pytest.mark.usefixtures("db_queue")
def test_a_render_that_lost_its_task_is_failed_then_tried_again_from_its_page(
    client, alice, report, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from cairn.jobs.services import run_due_schedules

    client.force_login(alice)
    _prepare(client, report, django_capture_on_commit_callbacks)
    rendered = RenderedFile.objects.get(report=report)
    # Its task is gone (a worker killed on the last try, say): nothing will render it.
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    assert files.fail_stale_renders(timezone.now() + timedelta(minutes=5)) == 0
    long_ago = timezone.now() - timedelta(minutes=settings.CAIRN_RENDER_STALE_MINUTES + 1)
    RenderedFile.objects.filter(pk=rendered.pk).update(queued_at=long_ago)
    assert "fail-stale-renders" in run_due_schedules("worker-a")
    rendered.refresh_from_db()
    assert rendered.status == RenderStatus.FAILED
    page = client.get(_file_url(report))
    assert page.status_code == 200
    assert "No worker finished preparing it" in page.content.decode()
    assert "Try again" in page.content.decode()

    _prepare(client, report, django_capture_on_commit_callbacks)
    rendered.refresh_from_db()
    assert (
        rendered.status == RenderStatus.QUEUED
        and rendered.queued_at > timezone.now() - timedelta(minutes=1)
    )
    assert files.fail_stale_renders() == 0  # queued afresh: not stale
    run_worker()
    assert "Download the PDF" in client.get(_file_url(report)).content.decode()
    assert RenderedFile.objects.filter(report=report).count() == 1


def test_the_worker_prepares_public_files_a_published_report_lacks(
    client, alice, published, monkeypatch
):
    """Published before files were kept, or lost from the storage: the schedule queues
    them (a GET never does); a failed one waits for a coordinator's Try again."""
    from cairn.jobs.services import run_due_schedules

    pdf = RenderedFile.objects.get(report=published, fmt="pdf", large_print=False)
    default_storage.delete(pdf.file.name)
    RenderedFile.objects.filter(report=published, fmt="docx").delete()
    assert client.get(_pdf_url(published)).status_code == 503
    assert "prepare-public-files" in run_due_schedules("worker-a")
    assert client.get(_pdf_url(published)).getvalue().startswith(b"%PDF")
    assert client.get(f"{published.get_public_url()}report.docx").getvalue().startswith(b"PK")
    assert files.prepare_missing_public_files() == 0  # nothing left to do

    RenderedFile.objects.filter(pk=pdf.pk).update(status=RenderStatus.FAILED)
    assert files.prepare_missing_public_files() == 0


@pytest.mark.usefixtures("db_queue")
def test_a_file_waiting_for_a_worker_tells_the_coordinator_when_none_is_running(
    client, alice, report, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    _prepare(client, report, django_capture_on_commit_callbacks)
    page = client.get(_file_url(report)).content.decode()
    assert "Preparing the PDF" in page and "No worker is running" in page
