"""A report's rendered files live in the storage (a real directory here, as on a server):
deleting the report, or its event, or a file being superseded, leaves none behind."""

import pytest
from django.core.files.storage import default_storage

from cairn.reports import services
from cairn.reports.models import RenderedFile, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_disk(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    assert default_storage.path("x") == str(tmp_path / "x")
    return tmp_path


def _stored(root):
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def published(report, alice, on_disk, django_capture_on_commit_callbacks):
    services.approve(report, alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(report, alice)
        services.prepare_file(report, alice, fmt="docx", large_print=False, version="draft")
    assert len(_stored(on_disk)) == 4  # three public files and the draft's DOCX
    return report


def test_deleting_a_report_removes_its_files_from_the_storage(
    published, on_disk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Report.objects.get(pk=published.pk).delete()
    assert not RenderedFile.objects.exists()
    assert _stored(on_disk) == []


def test_deleting_its_event_removes_the_report_files_too(
    published, on_disk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        published.event.delete()
    assert not Report.objects.filter(pk=published.pk).exists()
    assert _stored(on_disk) == []


def test_a_deletion_rolled_back_keeps_the_files(published, on_disk):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        Report.objects.get(pk=published.pk).delete()
        raise RuntimeError("changed my mind")
    assert RenderedFile.objects.filter(report=published).count() == 4
    assert len(_stored(on_disk)) == 4


def test_a_superseded_file_leaves_the_storage(
    published, alice, on_disk, django_capture_on_commit_callbacks
):
    before = RenderedFile.objects.get(report=published, fmt="docx", public=False)
    services.set_next_steps(published, alice, "Meet again in spring")
    with django_capture_on_commit_callbacks(execute=True):
        services.prepare_file(published, alice, fmt="docx", large_print=False, version="draft")
    after = RenderedFile.objects.get(report=published, fmt="docx", public=False)
    assert after.key != before.key
    assert not (on_disk / before.file.name).exists()
    assert (on_disk / after.file.name).exists()
    assert len(_stored(on_disk)) == 4
