"""Finished imports are not kept for ever: the worker deletes them, with their files,
after CAIRN_IMPORT_KEEP_DAYS, and says how many in the audit log; and a person's erasure
takes their name out of the import reports still kept."""

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from cairn.consultations.models import ImportStatus as ResponseImportStatus
from cairn.consultations.models import ResponseImport
from cairn.core.models import AuditEntry
from cairn.core.retention import ERASED_MARK, scrub
from cairn.events.models import ChatImport, ChatImportStatus
from cairn.jobs import services as jobs
from cairn.jobs.models import Job, JobStatus
from cairn.lib import storage
from cairn.members.models import ImportJob, ImportStatus
from cairn.members.services import erase_person
from tests.consultations.conftest import make_consultation
from tests.events.conftest import make_person

pytestmark = pytest.mark.django_db


def _chat(event, status, days_ago, *, job=None, file=False):
    when = timezone.now() - timedelta(days=days_ago)
    record = ChatImport.objects.create(
        event=event,
        filename="chat.txt",
        file=storage.as_upload("chat.txt", b"10:00 Jane: hello") if file else "",
        status=status,
        report={"unmatched_speakers": ["Jane Roe"]},
        job=job,
        finished_at=None if status == ChatImportStatus.WAITING else when,
    )
    ChatImport.objects.filter(pk=record.pk).update(created_at=when)
    return record


def test_finished_imports_of_every_kind_go_after_the_retention_with_their_files(
    event, settings, django_capture_on_commit_callbacks
):
    settings.CAIRN_IMPORT_KEEP_DAYS = 30
    old_chat = _chat(event, ChatImportStatus.APPLIED, 31)
    recent_chat = _chat(event, ChatImportStatus.REFUSED, 29)
    failed = Job.objects.create(title="Import", runner="x", status=JobStatus.FAILED)
    stuck = _chat(event, ChatImportStatus.WAITING, 31, job=failed, file=True)
    running = Job.objects.create(title="Import", runner="x", status=JobStatus.RUNNING)
    waiting = _chat(event, ChatImportStatus.WAITING, 31, job=running, file=True)
    stuck_file = stuck.file.name

    consultation = make_consultation()
    old_responses = ResponseImport.objects.create(
        consultation=consultation,
        filename="r.csv",
        status=ResponseImportStatus.CHECKED,
        finished_at=timezone.now() - timedelta(days=40),
    )
    new_responses = ResponseImport.objects.create(
        consultation=consultation,
        filename="r.csv",
        status=ResponseImportStatus.APPLIED,
        finished_at=timezone.now(),
    )
    old_members = ImportJob.objects.create(
        filename="m.csv",
        status=ImportStatus.APPLIED,
        applied_at=timezone.now() - timedelta(days=40),
    )
    new_members = ImportJob.objects.create(
        filename="m.csv", status=ImportStatus.APPLIED, applied_at=timezone.now()
    )

    # The worker's schedule runs it once a day.
    assert "prune-finished-imports" in {s["name"] for s in settings.CAIRN_SCHEDULES}
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("prune-finished-imports", stdout=out)

    assert set(ChatImport.objects.values_list("pk", flat=True)) == {recent_chat.pk, waiting.pk}
    assert not default_storage.exists(stuck_file)
    assert default_storage.exists(waiting.file.name)  # its worker is still on it
    assert set(ResponseImport.objects.values_list("pk", flat=True)) == {new_responses.pk}
    assert set(ImportJob.objects.values_list("pk", flat=True)) == {new_members.pk}
    assert not ChatImport.objects.filter(pk__in=[old_chat.pk, stuck.pk]).exists()
    assert not ResponseImport.objects.filter(pk=old_responses.pk).exists()
    assert not ImportJob.objects.filter(pk=old_members.pk).exists()
    assert "deleted 2 chat imports" in out.getvalue()

    entry = AuditEntry.objects.get(action="event.chat_imports_pruned")
    assert entry.detail["count"] == 2
    assert "2 chat imports" in entry.summary
    assert AuditEntry.objects.get(action="consultation.response_imports_pruned").detail == {
        "count": 1,
        "keep_days": 30,
    }
    assert AuditEntry.objects.get(action="import.pruned").detail["count"] == 1

    # Nothing old left: a second run deletes nothing and writes no entry.
    call_command("prune-finished-imports", stdout=io.StringIO())
    assert AuditEntry.objects.filter(action__endswith="pruned").count() == 3


def test_the_schedule_runs_from_the_worker(event, settings):
    settings.CAIRN_SCHEDULES = [
        {
            "name": "prune-finished-imports",
            "every": 86400,
            "call": "cairn.site.housekeeping.prune_finished_imports",
        }
    ]
    _chat(event, ChatImportStatus.APPLIED, 60)
    assert jobs.run_due_schedules() == ["prune-finished-imports"]
    assert not ChatImport.objects.exists()


def test_erasure_takes_the_name_out_of_kept_import_reports(event, alice):
    jane = make_person("Jane", "Roe", email="jane.roe@example.org")
    chat = ChatImport.objects.create(
        event=event,
        filename="chat.txt",
        status=ChatImportStatus.APPLIED,
        report={
            "unmatched_speakers": ["jane  ROE", "Jane Roe (she/her)", "Sam Lee"],
            "warnings": ["line 4: Jane Roe left the meeting"],
            "imported": 3,
        },
    )
    responses = ResponseImport.objects.create(
        consultation=make_consultation(),
        filename="r.csv",
        status=ResponseImportStatus.REFUSED,
        report={"errors": ["row 2: 'jane.roe@example.org' is answered twice"]},
    )
    members = ImportJob.objects.create(
        filename="m.csv",
        status=ImportStatus.APPLIED,
        report={"problems": ["row 9: Jane Roe: no email"], "created": 4},
    )

    erase_person(jane, alice)

    chat.refresh_from_db()
    assert chat.report == {
        "unmatched_speakers": [f"{ERASED_MARK} (she/her)", "Sam Lee"],
        "warnings": [f"line 4: {ERASED_MARK} left the meeting"],
        "imported": 3,
    }
    responses.refresh_from_db()
    assert responses.report == {"errors": [f"row 2: '{ERASED_MARK}' is answered twice"]}
    members.refresh_from_db()
    assert members.report == {"problems": [f"row 9: {ERASED_MARK}: no email"], "created": 4}


def test_scrubbing_takes_whole_words_only():
    assert scrub(["Al Reed", "Also Reedy", "al  reed said"], ["Al Reed"]) == [
        "Also Reedy",
        f"{ERASED_MARK} said",
    ]


def test_erasure_lets_go_of_uploads_not_imported_yet(
    event, alice, django_capture_on_commit_callbacks
):
    """An upload waiting for its preview's confirmation, or for its columns to be matched,
    keeps the whole file, which may list the person: it goes with the erasure, not days
    later with the retention; finished imports keep their (scrubbed) reports."""
    jane = make_person("Jane", "Roe", email="jane.roe@example.org")
    waiting_members = ImportJob.objects.create(
        filename="m.csv",
        file=storage.as_upload("m.csv", b"name,email\nJane Roe,jane.roe@example.org\n"),
        status=ImportStatus.UPLOADED,
    )
    applied_members = ImportJob.objects.create(
        filename="old.csv", status=ImportStatus.APPLIED, report={"created": 4}
    )
    matching = ResponseImport.objects.create(
        consultation=make_consultation(),
        filename="r.csv",
        file=storage.as_upload("r.csv", b"Email,What helped?\njane.roe@example.org,Calls\n"),
        status=ResponseImportStatus.MATCHING,
    )
    files = [waiting_members.file.name, matching.file.name]
    assert all(default_storage.exists(name) for name in files)

    with django_capture_on_commit_callbacks(execute=True):
        erase_person(jane, alice)

    assert not ImportJob.objects.filter(pk=waiting_members.pk).exists()
    assert ImportJob.objects.filter(pk=applied_members.pk).exists()
    assert not ResponseImport.objects.filter(pk=matching.pk).exists()
    assert not any(default_storage.exists(name) for name in files)
    assert AuditEntry.objects.filter(action="import.discarded").exists()
    assert AuditEntry.objects.filter(action="consultation.import_discarded").exists()
