"""Applying a member import, in the request for a small file or as a job for a large one.

The file is read and every row checked first; then the write is one transaction under
a row lock on its `ImportJob`: a worker killed part way leaves nothing half-written, and
running it again (the queue does, or the "Run it again" button) imports once, because an
applied import is skipped.
"""

from collections.abc import Callable
from contextlib import closing
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.core import audit, retention
from cairn.lib import storage
from cairn.members import followups
from cairn.members.importer import apply_prepared, prepare_import
from cairn.members.models import ImportJob, ImportStatus

# Files above this size (about 3,000 rows) are imported by a worker, with progress.
BACKGROUND_BYTES = 256 * 1024


def upload_import(filename: str, content: bytes, mapping: dict[str, str], user: Any) -> ImportJob:
    """Keep an uploaded file to preview before anything is imported from it."""
    job = ImportJob.objects.create(
        filename=filename[:255],
        file=storage.as_upload(filename, content),
        mapping=mapping,
        created_by=user,
    )
    audit.record(user, "import.uploaded", job, job.filename)
    return job


def set_import_mapping(job: ImportJob, mapping: dict[str, str], user: Any) -> None:
    """Which column of the file is which field, as chosen on the preview page."""
    if job.status == ImportStatus.APPLIED or mapping == job.mapping:
        return
    job.mapping = mapping
    job.save(update_fields=["mapping"])
    audit.record(user, "import.mapping_changed", job, job.filename)


def apply_import(
    import_id: int, decisions: dict[int, str], user: Any, followup: str = ""
) -> list[str]:
    """Apply the import once; returns the problems that stopped it (nothing written then).

    ``followup`` ("register:42") is what another app does with the people the file
    names, in the same transaction: if it fails, nothing of the import is kept either.
    """
    job = ImportJob.objects.get(pk=import_id)
    if job.status == ImportStatus.APPLIED:
        return []  # a double submit, or a job run again after it had finished
    # Every row is read and checked before the write transaction opens (and the import
    # job's row is locked), so nothing waits behind the parsing of a big file.
    prepared = prepare_import(
        uploaded_file(job), job.filename, mapping=job.mapping, decisions=decisions
    )
    if prepared.report.problems:
        prepared.close()
        return list(prepared.report.problems)
    # Closed on every way out, the ones that never reach apply_prepared included.
    with closing(prepared), transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=import_id)
        if locked.status == ImportStatus.APPLIED:
            return []  # applied by another request or worker while this one read the file
        if locked.mapping != job.mapping:
            return [_("The columns were matched differently meanwhile; check the preview again.")]
        report = apply_prepared(prepared, user=user, collect_ids=bool(followup))
        if report.problems:
            return list(report.problems)
        if followup:
            chosen = followups.parse_choice(followup, report.preset)
            if chosen is None:
                transaction.set_rollback(True)
                return [_("That choice is no longer available; choose again.")]
            action, target = chosen
            done = action.apply(target, report.person_ids, user, locked.filename)
            if done.errors:
                transaction.set_rollback(True)
                return done.errors
            report.followup = done.summary
        report.person_ids = []  # not kept with the report: the people are on file
        locked.status = ImportStatus.APPLIED
        locked.applied_at = timezone.now()
        locked.report = report.as_dict()
        # The file goes once the import commits: its people are on file now.
        storage.delete_after_commit(locked.file.name)
        locked.file = ""
        locked.save(update_fields=["status", "applied_at", "report", "file"])
    return []


def uploaded_file(job: ImportJob) -> bytes:
    """The file as uploaded, for the preview and the import (kept until it is imported)."""
    return storage.read(job.file.name)


def apply_import_job(
    progress: Callable[..., None],
    import_id: int,
    decisions: dict[str, str],
    user_id: int | None,
    followup: str = "",
) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    progress(0, None, _("Importing the rows"))
    problems = apply_import(import_id, {int(k): v for k, v in decisions.items()}, user, followup)
    if problems:
        raise ValueError(" ".join(problems))
    return {
        "message": _("Import applied."),
        "next_url": reverse("members:import_preview", args=[import_id]),
    }


def discard_abandoned_imports(older_than: timedelta | None = None, why: str = "") -> int:
    """Delete uploads left at their preview longer than CAIRN_IMPORT_KEEP_DAYS, with their
    files (`storage.remove_with_row`), and return how many. An upload never imported
    is a list of people's details kept for nothing. Run by the worker's schedule."""
    keep = timedelta(days=settings.CAIRN_IMPORT_KEEP_DAYS) if older_than is None else older_than
    old = ImportJob.objects.filter(
        status=ImportStatus.UPLOADED, created_at__lt=timezone.now() - keep
    )
    count = 0
    for job in old.iterator(chunk_size=100):
        with transaction.atomic():
            note = why or "never imported"
            audit.record(None, "import.discarded", job, f"{job.filename}: {note}")
            job.delete()
        count += 1
    return count


def prune_applied_imports() -> int:
    """Delete member imports applied more than CAIRN_IMPORT_KEEP_DAYS ago. Their reports
    quote the rows refused; the people imported are on file. Run by the worker."""
    old = ImportJob.objects.filter(
        status=ImportStatus.APPLIED, applied_at__lt=retention.import_cutoff()
    )
    return retention.delete_old_imports(old, "import.pruned", "member imports")
