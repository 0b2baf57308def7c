"""A large consultation import from the web is a job: the page answers at once, follows the
job's progress, then shows the result with every row's problem. It is all or nothing,
and a retry (a killed worker's, or "Run it again") imports the file once."""

import pytest
from django.core.files.storage import default_storage

from cairn.consultations.models import Answer, ImportStatus, Response, ResponseImport
from cairn.consultations.services import importing
from cairn.contributions.models import Contribution
from cairn.jobs import services as jobs
from cairn.jobs.models import Job, JobStatus
from tests.consultations.conftest import upload_and_import
from tests.consultations.test_import_bulk import _csv
from tests.jobs.conftest import db_queue, run_worker  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_threshold(monkeypatch):
    monkeypatch.setattr(importing, "BACKGROUND_BYTES", 1000)  # "large" without a big file


def _upload(client, consultation, data: bytes, **extra):
    return upload_and_import(client, consultation, data, "big.csv", **extra)


@pytest.mark.usefixtures("db_queue")
def test_a_large_import_is_queued_and_the_page_follows_it(
    client, alice, consultation, small_threshold, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    response = _upload(client, consultation, _csv(60))
    record = ResponseImport.objects.get()
    assert response.status_code == 302 and response.url == record.get_absolute_url()
    assert not Response.objects.exists()  # answered before any row was read
    page = client.get(response.url).content.decode()
    assert f'data-progress="/jobs/{record.job.pk}/status/"' in page  # polled, no refresh
    assert "progress.js" in page

    kept = record.file.name
    assert default_storage.exists(kept)  # in the storage the worker machines share
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()

    record.refresh_from_db()
    assert record.status == ImportStatus.APPLIED and not record.file
    assert not default_storage.exists(kept)  # read through, then let go
    assert Response.objects.filter(consultation=consultation).count() == 60
    job = Job.objects.get()
    assert job.status == JobStatus.DONE and job.next_url == record.get_absolute_url()
    assert job.message == "60 responses imported from big.csv."
    page = client.get(record.get_absolute_url()).content.decode()
    assert "Imported 60 responses from big.csv" in page and "data-progress" not in page
    # The same job delivered again (a lost worker's task) imports nothing twice.
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    jobs.run_job(job.pk)
    assert Response.objects.filter(consultation=consultation).count() == 60


@pytest.mark.usefixtures("db_queue")
def test_the_result_lists_every_bad_row_and_nothing_is_written(
    client, alice, consultation, small_threshold
):
    data = _csv(60).replace(b",No,Funding", b",Perhaps,Funding", 2)
    client.force_login(alice)
    url = _upload(client, consultation, data).url
    run_worker()
    record = ResponseImport.objects.get()
    assert record.status == ImportStatus.REFUSED
    page = client.get(url).content.decode()
    assert "Nothing was imported from big.csv" in page
    assert "Row 2: “Perhaps” is not one of the choices of Q1." in page
    assert "Row 3: “Perhaps” is not one of the choices of Q1." in page
    assert not Response.objects.exists() and not Contribution.objects.exists()
    assert Job.objects.get().message == "Nothing was imported from big.csv: 2 problems found."


@pytest.mark.usefixtures("db_queue")
def test_a_large_dry_run_is_checked_by_the_worker_and_writes_nothing(
    client, alice, consultation, small_threshold
):
    client.force_login(alice)
    url = _upload(client, consultation, _csv(60), dry_run="on").url
    run_worker()
    assert ResponseImport.objects.get().status == ImportStatus.CHECKED
    assert "60 responses would be imported from big.csv" in client.get(url).content.decode()
    assert not Response.objects.exists()


@pytest.mark.usefixtures("db_queue")
def test_a_worker_dying_while_writing_leaves_nothing_and_the_retry_imports_once(
    client, alice, consultation, small_threshold, monkeypatch
):
    def killed(*args, **kwargs):
        # What the database sees of a worker killed mid-write: the transaction never
        # commits. SystemExit is not an Exception, so no handler on the way stops it.
        raise SystemExit("killed")

    client.force_login(alice)
    _upload(client, consultation, _csv(60))
    record = ResponseImport.objects.get()
    monkeypatch.setattr(importing, "insert_many", killed)  # the answers, written last
    with pytest.raises(SystemExit):
        jobs.run_job(record.job.pk)
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert not Contribution.objects.exists()
    record.refresh_from_db()
    assert record.status == ImportStatus.WAITING  # kept for the retry
    assert default_storage.exists(record.file.name)
    monkeypatch.undo()
    jobs.run_job(record.job.pk)  # the queue's retry of the lost task
    assert Response.objects.filter(consultation=consultation).count() == 60
    jobs.run_job(record.job.pk)
    assert Response.objects.filter(consultation=consultation).count() == 60


@pytest.mark.usefixtures("db_queue")
def test_a_large_file_makes_its_new_questions_in_the_workers_write(client, alice, small_threshold):
    from cairn.consultations.services import building

    draft = building.create_consultation(actor=alice, title="Spring survey")
    client.force_login(alice)
    rows = "".join(
        f"{i},{'Yes' if i % 2 else 'No'},Words that say a little more {i}\n" for i in range(60)
    )
    data = f"Ref,Did it help,Anything else\n{rows}".encode()
    done = _upload(client, draft, data)  # the guess: a question of each column
    record = ResponseImport.objects.get()
    assert record.columns == ["new:open", "new:single", "new:open"] and record.job
    assert not draft.questions.exists()  # nothing written before the worker's write
    run_worker()
    record.refresh_from_db()
    assert record.status == ImportStatus.APPLIED, record.report
    assert [q.text for q in draft.questions.all()] == ["Ref", "Did it help", "Anything else"]
    assert draft.questions.get(position=1).choices == ["No", "Yes"]
    assert Response.objects.filter(consultation=draft).count() == 60
    assert "Imported 60 responses" in client.get(done.url).content.decode()


def test_a_small_file_is_still_imported_in_the_request(client, alice, consultation):
    client.force_login(alice)
    response = _upload(client, consultation, _csv(3))
    record = ResponseImport.objects.get()
    # Imported as the Import button was pressed: no job, nothing waiting for a worker.
    assert response.url == record.get_absolute_url() and record.job is None
    assert record.status == ImportStatus.APPLIED and not record.file
    assert Response.objects.count() == 3
    assert "Imported 3 responses from big.csv" in client.get(response.url).content.decode()


def test_a_file_over_the_limit_is_refused_with_the_limit_named(client, alice, consultation):
    client.force_login(alice)
    data = _csv(3) + b"x" * importing.MAX_BYTES
    page = _upload(client, consultation, data).content.decode()
    assert "The file is 20.1 MB; the limit is 20 MB." in page
    assert not ResponseImport.objects.exists() and not Response.objects.exists()
