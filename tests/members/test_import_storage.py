"""An uploaded member list waits in the storage (shared by every web and worker machine),
not in a database column, and is let go once imported: its people are on file by then."""

import io

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cairn.members import import_jobs
from cairn.members.models import ImportJob, Person
from tests.members.test_import_pages import upload

pytestmark = pytest.mark.django_db

FORM = {"map-0": "full_name", "map-1": "email", "map-2": "phone", "action": "apply"}


def test_an_upload_is_kept_in_the_storage_not_in_the_database(client, alice):
    client.force_login(alice)
    with CaptureQueriesContext(connection) as seen:
        upload(client)
    job = ImportJob.objects.get()
    assert default_storage.exists(job.file.name)
    assert "members.csv" not in job.file.name  # a random name; the row keeps the real one
    assert job.filename == "members.csv"
    assert import_jobs.uploaded_file(job).startswith(b"Name,E-mail address")
    inserted = [q["sql"] for q in seen.captured_queries if "INSERT" in q["sql"]]
    assert not any("Jean Millar" in sql for sql in inserted)


def test_an_imported_file_leaves_the_storage(client, alice, django_capture_on_commit_callbacks):
    client.force_login(alice)
    job_url = upload(client)["Location"]
    kept = ImportJob.objects.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(job_url, FORM | {"confirm": "1"})
    assert Person.objects.filter(email="jean@example.org").exists()
    job = ImportJob.objects.get()
    assert not job.file and not default_storage.exists(kept)
    assert b"people were created: 1" in client.get(job_url).content  # the report stays


def test_an_import_that_fails_keeps_its_file_to_try_again(client, alice, monkeypatch):
    client.force_login(alice)
    job_url = upload(client)["Location"]
    kept = ImportJob.objects.get().file.name

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(import_jobs, "apply_prepared", broken)
    with pytest.raises(RuntimeError):
        client.post(job_url, FORM | {"confirm": "1"})
    assert ImportJob.objects.get().file.name == kept and default_storage.exists(kept)


def test_deleting_an_import_deletes_its_file(client, alice, django_capture_on_commit_callbacks):
    client.force_login(alice)
    upload(client)
    job = ImportJob.objects.get()
    kept = job.file.name
    with django_capture_on_commit_callbacks(execute=True):
        job.delete()
    assert not default_storage.exists(kept)


def test_uploads_never_imported_are_deleted_after_two_weeks(
    client, alice, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from cairn.core.models import AuditEntry

    client.force_login(alice)
    old_url, new_url, done_url = (upload(client)["Location"] for _ in range(3))
    client.post(done_url, FORM | {"confirm": "1"})
    old, new, done = (
        ImportJob.objects.get(pk=u.rstrip("/").split("/")[-1]) for u in (old_url, new_url, done_url)
    )
    ImportJob.objects.filter(pk__in=[old.pk, done.pk]).update(
        created_at=timezone.now() - timedelta(days=15)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("discard-abandoned-imports", stdout=io.StringIO())
    assert set(ImportJob.objects.values_list("pk", flat=True)) == {new.pk, done.pk}
    assert not default_storage.exists(old.file.name) and default_storage.exists(new.file.name)
    assert AuditEntry.objects.filter(action="import.discarded", object_id=str(old.pk)).exists()
