"""Printing a letter batch is a job: the page answers at once and follows the worker to
the download links, a GET never renders a letter, a print cut short is run again
without duplicates, and erasing a person deletes the stored files that name them."""

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from pypdf import PdfReader

from cairn.jobs import services as jobs
from cairn.jobs.models import Job, JobStatus
from cairn.members.models import Channel, ConsentPurpose
from cairn.members.services import erase_person
from cairn.outreach import letters as printing
from cairn.outreach.models import Delivery, DeliveryStatus, LetterBatch, LetterFile
from cairn.outreach.services import batch_files, create_letter_batch, notify
from cairn.outreach.services import letters as batch_printing
from tests.jobs.conftest import run_worker
from tests.outreach.conftest import make_person

pytestmark = pytest.mark.django_db
INVITE = ConsentPurpose.EVENT_INVITATIONS


def _by_post(first: str, address: str):
    person = make_person(first, preferred_channel=Channel.POST, address=address, postcode="NS1 1AA")
    notify(person, subject="Invitation", body="Do come.", purpose=INVITE)
    return person


@pytest.fixture(autouse=True)
def _own_storage(settings):
    # A fresh in-memory storage: files of earlier tests' batches (same ids) are not seen.
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"]}}


@pytest.fixture
def two_letters(db):
    return [_by_post("Jean", "12 Harbour Road"), _by_post("Tom", "3 Mill Lane")]


def _text(response) -> str:
    data = b"".join(response.streaming_content)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _stored(batch: LetterBatch) -> list[str]:
    folder = f"outreach/batches/{batch.pk}"
    return sorted(default_storage.listdir(folder)[1]) if default_storage.exists(folder) else []


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: nothing after it runs, no handler catches it."""


def test_a_batch_answers_at_once_and_the_worker_prints_it(client, alice, two_letters, db_queue):
    client.force_login(alice)
    with mock.patch.object(printing, "render_pdf", wraps=printing.render_pdf) as renders:
        response = client.post("/outreach/letters/")
        batch = LetterBatch.objects.get()
        assert response.status_code == 302 and response.url == batch.get_absolute_url()
        job = Job.objects.get()
        assert batch.prepare_job == job and job.status == JobStatus.QUEUED
        page = client.get(batch.get_absolute_url())
        assert page.status_code == 202
        html = page.content.decode()
        assert "Waiting to start" in html and f'data-progress="/jobs/{job.pk}/status/"' in html
        # The download links lead back to the page until the files exist.
        assert (
            client.get(f"/outreach/letters/{batch.pk}/letters.pdf").url == batch.get_absolute_url()
        )
        assert renders.call_count == 0

        run_worker()

        job.refresh_from_db()
        assert job.status == JobStatus.DONE and job.percent == 100
        assert renders.call_count == 2  # the letters, then the labels
        html = client.get(batch.get_absolute_url()).content.decode()
        assert "Download letters" in html and "data-progress" not in html
        letters = client.get(f"/outreach/letters/{batch.pk}/letters.pdf")
        labels = client.get(f"/outreach/letters/{batch.pk}/labels.pdf")
        assert renders.call_count == 2  # served from the storage, not rendered again
    text = _text(letters)
    assert "Jean Millar" in text and "Tom Millar" in text
    assert "3 Mill Lane" in _text(labels)
    assert LetterFile.objects.filter(batch=batch).count() == 2 and len(_stored(batch)) == 2


def test_a_print_cut_short_is_run_again_from_the_page_without_duplicates(
    client, alice, two_letters, db_queue, django_capture_on_commit_callbacks
):
    batch = create_letter_batch(alice)
    client.force_login(alice)
    client.post(batch.get_absolute_url(), {"action": "prepare"})
    job = Job.objects.get()
    killed = mock.patch.object(batch_printing, "render_labels", side_effect=WorkerKilled)
    with killed, pytest.raises(WorkerKilled):
        jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING  # as a killed worker leaves it
    assert jobs.fail_stale_jobs(now=timezone.now() + timedelta(hours=1)) == 1
    html = client.get(batch.get_absolute_url()).content.decode()
    assert "could not be prepared" in html and "Run it again" in html

    with django_capture_on_commit_callbacks(execute=True):
        client.post(batch.get_absolute_url(), {"action": "prepare"})
        run_worker()
        jobs.run_job(job.pk)  # the lost task, re-queued, reaches a worker late: nothing
        client.post(batch.get_absolute_url(), {"action": "prepare"})  # files are current
        run_worker()
    assert Job.objects.get() == job
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2
    assert LetterFile.objects.filter(batch=batch).count() == 2 and len(_stored(batch)) == 2
    assert Delivery.objects.count() == 2
    assert not Delivery.objects.exclude(status=DeliveryStatus.QUEUED).exists()


def test_marking_posted_asks_to_confirm_and_records_each_letter_once(client, alice, two_letters):
    batch = create_letter_batch(alice)
    client.force_login(alice)
    client.post(batch.get_absolute_url(), {"action": "posted"})
    assert not Delivery.objects.filter(status=DeliveryStatus.SENT).exists()
    for _twice in range(2):
        client.post(batch.get_absolute_url(), {"action": "posted", "confirm": "1"})
    assert Delivery.objects.filter(status=DeliveryStatus.SENT, attempts=1).count() == 2


def test_a_changed_address_makes_the_stored_letters_out_of_date(client, alice, two_letters):
    batch = create_letter_batch(alice)
    client.force_login(alice)
    client.post(batch.get_absolute_url(), {"action": "prepare"})
    assert batch_files(batch).state == "ready"
    jean = two_letters[0]
    jean.address = "14 Harbour Road"
    jean.save()
    assert batch_files(batch).state == "changed"
    assert client.get(f"/outreach/letters/{batch.pk}/letters.pdf").url == batch.get_absolute_url()
    assert "out of date" in client.get(batch.get_absolute_url()).content.decode()
    client.post(batch.get_absolute_url(), {"action": "prepare"})
    assert "14 Harbour Road" in _text(client.get(f"/outreach/letters/{batch.pk}/letters.pdf"))


def test_erasing_a_person_deletes_the_stored_batch_that_names_them(
    client, alice, two_letters, django_capture_on_commit_callbacks
):
    batch = create_letter_batch(alice)
    other = LetterBatch.objects.create()  # a batch without them keeps its files
    tom_letter = Delivery.objects.get(person=two_letters[1])
    Delivery.objects.filter(pk=tom_letter.pk).update(batch=other)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(batch.get_absolute_url(), {"action": "prepare"})
        client.post(other.get_absolute_url(), {"action": "prepare"})
    assert len(_stored(batch)) == 2 and len(_stored(other)) == 2

    with django_capture_on_commit_callbacks(execute=True):
        erase_person(two_letters[0], alice)

    assert not LetterFile.objects.filter(batch=batch).exists() and _stored(batch) == []
    assert LetterFile.objects.filter(batch=other).count() == 2 and len(_stored(other)) == 2
    assert batch_files(batch).state == "none"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(batch.get_absolute_url(), {"action": "prepare"})
    text = _text(client.get(f"/outreach/letters/{batch.pk}/letters.pdf"))
    assert "Jean" not in text and "Harbour Road" not in text


def test_letters_changed_while_printing_are_printed_again(alice, two_letters):
    """An erasure that lands while the worker renders: the file is not kept as it was."""
    batch = create_letter_batch(alice)
    real = printing.render_labels
    calls = []

    def erase_meanwhile(deliveries):
        if not calls:
            erase_person(two_letters[0], alice)
        calls.append(1)
        return real(deliveries)

    with mock.patch.object(batch_printing, "render_labels", side_effect=erase_meanwhile):
        batch_printing.render_batch_files(batch.pk, lambda *a: None)
    assert len(calls) == 2
    assert LetterFile.objects.filter(batch=batch).count() == 2
    assert batch_files(batch).state == "ready"


@pytest.mark.django_db(transaction=True)
def test_where_tasks_run_in_the_request_the_print_holds_no_transaction(client, alice, two_letters):
    """The batch is locked only to decide; the job (run at once by the in-process
    backend) renders outside it, so its heartbeat never waits on the request's lock."""
    from django.db import connection

    batch = create_letter_batch(alice)
    seen = []
    real = batch_printing.render_batch_files

    def spy(batch_id, progress):
        seen.append(connection.in_atomic_block)
        return real(batch_id, progress)

    client.force_login(alice)
    with mock.patch.object(batch_printing, "render_batch_files", side_effect=spy):
        client.post(batch.get_absolute_url(), {"action": "prepare"})
    assert seen == [False]
    assert batch_files(batch).state == "ready"
