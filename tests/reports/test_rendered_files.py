"""Report PDFs and DOCX files are rendered by a worker and kept in the file storage: the
download page never renders, later downloads come from the stored file, and a report
that changes is rendered again."""

import pytest
from django.core.files.storage import default_storage

from cairn.reports import files, render, services
from cairn.reports.models import RenderedFile, RenderStatus
from tests.jobs.conftest import db_queue, run_worker  # noqa: F401 - fixture
from tests.reports.conftest import section

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(report, alice):
    services.approve(report, alice)
    return services.publish(report, alice)


def _pdf_url(report):
    return f"{report.get_public_url()}report.pdf"


def test_a_published_pdf_is_rendered_once_and_then_served_from_storage(
    client, published, monkeypatch
):
    first = client.get(_pdf_url(published))
    assert first.status_code == 200
    pdf = first.getvalue()
    assert pdf.startswith(b"%PDF")
    assert first["Content-Disposition"].startswith("attachment;")
    stored = RenderedFile.objects.get(report=published, fmt="pdf", large_print=False)
    assert stored.status == RenderStatus.DONE and stored.doc is None
    assert default_storage.exists(stored.file.name)

    def no_rendering(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(render, "pdf", no_rendering)
    again = client.get(_pdf_url(published))
    assert again.getvalue() == pdf


def test_publishing_queues_the_public_downloads(report, alice, django_capture_on_commit_callbacks):
    services.approve(report, alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(report, alice)
    made = RenderedFile.objects.filter(report=report, status=RenderStatus.DONE)
    assert sorted((r.fmt, r.large_print) for r in made) == sorted(files.PUBLIC_VARIANTS)


@pytest.mark.usefixtures("db_queue")
def test_the_download_page_answers_without_rendering_while_the_worker_renders(
    client, published, monkeypatch
):
    real_pdf = render.pdf
    monkeypatch.setattr(render, "pdf", lambda *a, **k: pytest.fail("rendered in the request"))
    waiting = client.get(_pdf_url(published))
    assert waiting.status_code == 202
    body = waiting.content.decode()
    assert "Preparing the PDF" in body and "data-progress" in body
    polled = client.get(_pdf_url(published), HTTP_ACCEPT="application/json")
    assert polled.json()["active"] is True
    assert RenderedFile.objects.get().status == RenderStatus.QUEUED

    monkeypatch.setattr(render, "pdf", real_pdf)
    run_worker()
    # The page's poll learns that the work ended (as JSON, not the PDF) and reloads.
    assert client.get(_pdf_url(published), HTTP_ACCEPT="application/json").json() == {
        "active": False,
        "label": "",
        "percent": 100,
    }
    ready = client.get(_pdf_url(published))
    assert ready.status_code == 200 and ready.getvalue().startswith(b"%PDF")


@pytest.mark.usefixtures("db_queue")
def test_two_requests_before_the_worker_runs_queue_one_render(client, published):
    from django_tasks_db.models import DBTaskResult

    client.get(_pdf_url(published))
    client.get(_pdf_url(published))
    assert RenderedFile.objects.count() == 1
    renders = DBTaskResult.objects.filter(task_path="cairn.reports.tasks.render_file_task")
    assert renders.count() == 1


def test_a_changed_report_is_rendered_again_and_the_old_file_removed(client, alice, published):
    client.get(_pdf_url(published))
    old = RenderedFile.objects.get(report=published)
    services.edit_section(
        section(published, "Thank you"), alice, heading="Thank you", body="New closing words."
    )
    services.approve(published, alice)
    services.publish(published, alice)
    response = client.get(_pdf_url(published))
    assert response.getvalue().startswith(b"%PDF")
    new = RenderedFile.objects.get(report=published)
    assert new.key != old.key
    assert not default_storage.exists(old.file.name)


def test_a_coordinator_draft_download_is_keyed_by_its_content(client, alice, report):
    client.force_login(alice)
    url = f"/reports/{report.pk}/download/docx/"
    assert client.get(url).getvalue().startswith(b"PK")
    assert client.get(url).getvalue().startswith(b"PK")
    assert RenderedFile.objects.filter(report=report).count() == 1
    services.set_next_steps(report, alice, "Meet again in spring")
    client.get(url)
    assert RenderedFile.objects.filter(report=report).count() == 1
    assert RenderedFile.objects.get(report=report).public is False


def test_a_file_missing_from_storage_is_rendered_again(client, published):
    client.get(_pdf_url(published))
    stored = RenderedFile.objects.get(report=published)
    default_storage.delete(stored.file.name)
    assert client.get(_pdf_url(published)).getvalue().startswith(b"%PDF")
    stored.refresh_from_db()
    assert default_storage.exists(stored.file.name)


def test_a_failed_render_says_so_and_can_be_tried_again(client, published, monkeypatch):
    real_pdf = render.pdf

    def broken(*args, **kwargs):
        raise RuntimeError("fonts missing")

    monkeypatch.setattr(render, "pdf", broken)
    response = client.get(_pdf_url(published))
    assert response.status_code == 200
    assert "fonts missing" in response.content.decode()
    monkeypatch.setattr(render, "pdf", real_pdf)
    assert "fonts missing" in client.get(_pdf_url(published)).content.decode()
    again = client.get(_pdf_url(published) + "?again=1")
    assert again.getvalue().startswith(b"%PDF")


def test_taking_a_report_down_removes_its_public_files(
    client, alice, published, django_capture_on_commit_callbacks
):
    client.get(_pdf_url(published))
    name = RenderedFile.objects.get(report=published).file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(published, alice)
    assert not RenderedFile.objects.filter(report=published).exists()
    assert not default_storage.exists(name)
