"""A large member import is applied by a worker, with the page answering at once; run
again (a killed worker's retry, or the button), it imports nothing twice."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cairn.jobs import services
from cairn.jobs.models import Job, JobStatus
from cairn.members import import_jobs
from cairn.members.models import ImportJob, ImportStatus, Person
from tests.jobs.conftest import run_worker

pytestmark = pytest.mark.django_db


def test_a_large_import_runs_on_the_worker_and_only_once(client, alice, db_queue, monkeypatch):
    monkeypatch.setattr(import_jobs, "BACKGROUND_BYTES", 1000)  # "large" without a big file
    rows = "".join(f"Person {i},p{i}@example.org\n" for i in range(60))
    client.force_login(alice)
    url = client.post(
        "/people/import/",
        {"file": SimpleUploadedFile("big.csv", ("Name,E-mail address\n" + rows).encode())},
    )["Location"]
    form = {"map-0": "full_name", "map-1": "email", "action": "apply", "confirm": "1"}
    response = client.post(url, form)
    job = Job.objects.get()
    assert response.url == job.get_absolute_url()
    assert not Person.objects.filter(email__endswith="@example.org").exists()

    run_worker()

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.next_url == url
    assert Person.objects.filter(email__endswith="@example.org").count() == 60
    assert ImportJob.objects.get().status == ImportStatus.APPLIED
    # The same job delivered again (a lost worker's task) changes nothing.
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    services.run_job(job.pk)
    assert Person.objects.filter(email__endswith="@example.org").count() == 60
