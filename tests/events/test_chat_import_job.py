"""A chat or transcript is imported by the worker: the page answers at once and follows
the job, then shows the counts; a failure leaves nothing written, and running it again
(or twice at once) never adds a message twice. A check of an ordinary file stays in the
request, with every line that cannot be read."""

import threading
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections

from cairn.contributions.models import Contribution
from cairn.core.models import AuditEntry
from cairn.events.models import ChatImport, ChatImportStatus
from cairn.events.services import chat_import
from cairn.jobs import services as jobs
from cairn.jobs.models import Job, JobStatus
from tests.events.test_chat_formats import NEW, OLD
from tests.events.test_chat_import import speakers  # noqa: F401 - a fixture
from tests.jobs.conftest import db_queue, run_worker  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def post(client, event, data: str, **form):
    return client.post(
        f"/events/{event.pk}/import-chat/",
        {"file": SimpleUploadedFile("chat.txt", data.encode()), "not_started_ok": "on", **form},
    )


@pytest.mark.usefixtures("speakers", "db_queue")
def test_an_import_runs_on_the_worker_and_its_page_shows_progress_then_the_counts(
    client, event, alice, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    response = post(client, event, NEW)
    record = ChatImport.objects.get()
    assert response["Location"] == f"/events/{event.pk}/import-chat/{record.pk}/"
    assert not Contribution.objects.exists()  # nothing written in the request
    stored = record.file.name
    assert default_storage.exists(stored)

    waiting = client.get(response["Location"]).content.decode()
    assert "Importing chat.txt" in waiting
    assert f'data-progress="/jobs/{record.job_id}/status/"' in waiting
    assert "progress.js" in waiting

    with django_capture_on_commit_callbacks(execute=True):
        run_worker()

    record.refresh_from_db()
    assert record.status == ChatImportStatus.APPLIED
    assert record.job.status == JobStatus.DONE, record.job.error
    assert record.job.message == "3 messages imported from chat.txt."
    assert Contribution.objects.filter(event=event).count() == 3
    assert not record.file and not default_storage.exists(stored)  # let go once read
    done = client.get(response["Location"]).content.decode()
    assert "3 messages imported." in done
    assert "Private messages skipped" in done and "Bill Henderson" in done
    assert "progress.js" not in done


@pytest.mark.usefixtures("speakers", "db_queue")
def test_a_check_of_an_ordinary_file_answers_in_the_request(client, event, alice):
    client.force_login(alice)
    response = post(client, event, NEW, dry_run="on")
    record = ChatImport.objects.get()
    assert response["Location"] == record.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert "3 messages would be imported." in page
    assert "Import these 3 messages" in page  # from the kept file: not chosen twice
    bad = post(client, event, OLD + "12:06:00 garbled\n", dry_run="on")
    bad = client.get(bad["Location"]).content.decode()
    assert "Nothing was imported" in bad and "line 6" in bad
    assert not Job.objects.exists()  # both checked in the request
    assert not Contribution.objects.exists()


@pytest.mark.usefixtures("speakers", "db_queue")
def test_a_check_of_a_large_file_goes_to_the_worker_and_writes_nothing(
    client, event, alice, monkeypatch
):
    monkeypatch.setattr(chat_import, "BACKGROUND_BYTES", 100)
    client.force_login(alice)
    location = post(client, event, NEW, dry_run="on")["Location"]
    run_worker()
    record = ChatImport.objects.get()
    assert record.status == ChatImportStatus.CHECKED
    assert "3 messages would be imported." in client.get(location).content.decode()
    assert not Contribution.objects.exists()


@pytest.mark.usefixtures("speakers", "db_queue")
def test_a_file_with_a_bad_line_is_refused_by_the_worker_with_the_line(client, event, alice):
    client.force_login(alice)
    location = post(client, event, OLD + "12:06:00 garbled\n")["Location"]
    run_worker()
    record = ChatImport.objects.get()
    assert record.status == ChatImportStatus.REFUSED and not record.file
    page = client.get(location).content.decode()
    assert "Nothing was imported" in page and "line 6" in page
    assert not Contribution.objects.exists()


@pytest.mark.usefixtures("speakers", "db_queue")
def test_a_failure_part_way_writes_nothing_and_running_it_again_imports_once(
    client, event, alice, monkeypatch
):
    real = chat_import.record_contributions

    def write_then_fail(rows, **kwargs):
        real(rows, **kwargs)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(chat_import, "record_contributions", write_then_fail)
    client.force_login(alice)
    location = post(client, event, NEW)["Location"]
    run_worker()
    record = ChatImport.objects.get()
    assert record.job.status == JobStatus.FAILED
    assert not Contribution.objects.exists()  # all or nothing
    assert record.status == ChatImportStatus.WAITING and default_storage.exists(record.file.name)
    page = client.get(location).content.decode()
    assert "the database went away" in page and "Run it again" in page

    monkeypatch.setattr(chat_import, "record_contributions", real)
    client.post(f"/jobs/{record.job_id}/rerun/")
    run_worker()
    record.refresh_from_db()
    assert record.status == ChatImportStatus.APPLIED
    assert Contribution.objects.filter(event=event).count() == 3
    # The same task delivered again (a lost worker's retry) adds nothing.
    Job.objects.filter(pk=record.job_id).update(status=JobStatus.QUEUED)
    jobs.run_job(record.job_id)
    assert Contribution.objects.filter(event=event).count() == 3
    assert AuditEntry.objects.filter(action="event.chat_imported").count() == 1


@pytest.mark.usefixtures("speakers")
def test_with_tasks_run_in_the_request_the_page_goes_straight_to_the_result(client, event, alice):
    client.force_login(alice)
    response = client.post(
        f"/events/{event.pk}/import-chat/",
        {"file": SimpleUploadedFile("chat.txt", NEW.encode()), "not_started_ok": "on"},
        follow=True,
    )
    assert "3 messages imported." in response.content.decode()
    assert Contribution.objects.filter(event=event).count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL run of the suite")
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("speakers", "db_queue")
def test_the_same_chat_imported_twice_at_the_same_moment_adds_each_message_once(event, alice):
    records = [
        chat_import.queue_chat_import(event, NEW.encode(), "chat.txt", actor=alice)
        for _ in range(3)
    ]
    start = threading.Barrier(len(records))
    errors: list[Exception] = []

    def run(record: ChatImport) -> None:
        try:
            start.wait()
            jobs.run_job(record.job_id)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(r,)) for r in records]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Contribution.objects.filter(event=event).count() == 3
    statuses = sorted(ChatImport.objects.values_list("status", flat=True))
    assert statuses == ["applied", "refused", "refused"]  # "imported before, nothing imported"


def test_only_an_event_still_to_come_asks_to_import_anyway(client, event, alice):
    client.force_login(alice)
    url = f"/events/{event.pk}/import-chat/"
    assert 'name="not_started_ok"' in client.get(url).content.decode()
    event.starts_at -= timedelta(days=20)
    event.ends_at -= timedelta(days=20)
    event.save()
    assert 'name="not_started_ok"' not in client.get(url).content.decode()
