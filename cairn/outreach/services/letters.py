"""The letter queue: queued letters gathered into a batch to print, then posted."""

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cairn.core import audit
from cairn.jobs.models import Job, JobStatus
from cairn.jobs.services import JobError, rerun_job, start_job
from cairn.lib.storage import delete_after_commit
from cairn.members.models import Channel
from cairn.outreach.letters import render_labels, render_letters
from cairn.outreach.models import (
    Delivery,
    DeliveryAttachment,
    DeliveryStatus,
    LetterBatch,
    LetterFile,
    LetterFileKind,
)
from cairn.outreach.services.consent import delivery_problem
from cairn.outreach.services.errors import OutreachError


def queued_letters():
    return Delivery.objects.filter(
        channel=Channel.POST, status=DeliveryStatus.QUEUED, batch__isnull=True
    )


def create_letter_batch(user: Any, deliveries: Iterable[Delivery] | None = None) -> LetterBatch:
    """Gather queued letters into a batch to print; raise when there is nothing to print.

    Letters wait days for a batch: one whose person asked meanwhile for no more letters,
    withdrew consent or was erased is not printed but listed as not reached, saying why,
    each in the audit log and on the batch's page (kept even when no letter is left to
    print, and then no batch is made).
    """
    with transaction.atomic():
        qs = queued_letters().select_for_update(of=("self",)).select_related("person")
        if deliveries is not None:
            qs = qs.filter(pk__in=[d.pk for d in deliveries])
        ids: list[int] = []
        left_out: list[tuple[Delivery, str]] = []
        for letter in qs:
            if problem := delivery_problem(letter.person, letter.purpose, Channel.POST):
                left_out.append((letter, problem))
            else:
                ids.append(letter.pk)
        batch = None
        if ids:
            batch = LetterBatch.objects.create(
                created_by=user if user and user.is_authenticated else None
            )
            Delivery.objects.filter(pk__in=ids).update(batch=batch)
            audit.record(
                user,
                "outreach.letters_batched",
                batch,
                f"{len(ids)} letters batched, {len(left_out)} not printed",
                not_printed=len(left_out),
            )
        for letter, problem in left_out:
            reason = _("Not printed: %(problem)s") % {"problem": problem}
            Delivery.objects.filter(pk=letter.pk).update(
                status=DeliveryStatus.NOT_REACHED, reason=reason[:300], left_out_of=batch
            )
            # On the person's own record when there is one: their history shows why the
            # letter never came. Not its subject, which may name them after an erasure.
            audit.record(
                user,
                "outreach.letter_not_printed",
                letter.person or letter,
                reason,
                delivery=letter.pk,
                batch=batch.pk if batch else None,
            )
    if batch is None:
        if left_out:
            raise OutreachError(
                ngettext(
                    "There are no letters to print: the %(n)d letter waiting can no longer "
                    "be sent. It is listed under Not reached, with the reason.",
                    "There are no letters to print: the %(n)d letters waiting can no longer "
                    "be sent. They are listed under Not reached, with the reasons.",
                    len(left_out),
                )
                % {"n": len(left_out)}
            )
        raise OutreachError(_("There are no letters waiting to be printed."))
    return batch


@transaction.atomic
def mark_batch_posted(batch: LetterBatch, user: Any) -> int:
    now = timezone.now()
    n = batch.letters.filter(status=DeliveryStatus.QUEUED).update(
        status=DeliveryStatus.SENT, sent_at=now, attempts=1
    )
    batch.posted_at = now
    batch.save(update_fields=["posted_at"])
    audit.record(user, "outreach.letters_posted", batch, f"{n} letters posted")
    return n


# --- the batch's files: rendered by a worker, kept in the storage -------------------------
#
# WeasyPrint takes seconds over a few hundred letters, so no request renders them: the
# batch's page asks for them (a POST, `prepare_batch_files`), a job renders both PDFs
# and stores them (`render_batch_files`), and the page follows the job's progress until
# it shows the download links. A GET only reads: the files, the job, or nothing.


def batch_letters(batch: LetterBatch):
    return batch.letters.select_related("person").prefetch_related("attachments").order_by("pk")


def batch_key(batch: LetterBatch) -> str:
    """A hash of what the batch's files print: each letter's text and enclosures and its
    person's name and address. A letter or an address that changes makes a new key."""
    rows = batch.letters.order_by("pk").values_list(
        "pk",
        "subject",
        "body",
        "large_print",
        "person_id",
        "person__first_name",
        "person__last_name",
        "person__address",
        "person__postcode",
        "person__anonymised_at",
    )
    enclosures = DeliveryAttachment.objects.filter(delivery__batch=batch).order_by("pk")
    blob = json.dumps(
        [list(rows), list(enclosures.values_list("pk", "delivery_id", "mimetype"))],
        default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


@dataclass
class BatchFiles:
    """What a batch's page shows: `state` is ready, preparing, failed, changed or none."""

    state: str
    files: dict[str, LetterFile]
    job: Job | None


def batch_files(batch: LetterBatch) -> BatchFiles:
    """The state of a batch's files; reads only."""
    files = {f.kind: f for f in LetterFile.objects.filter(batch=batch)}
    job = batch.prepare_job
    if job is not None and job.is_active:
        return BatchFiles("preparing", files, job)
    if _current(files, batch_key(batch)):
        return BatchFiles("ready", files, job)
    if job is not None and job.status == JobStatus.FAILED:
        return BatchFiles("failed", files, job)
    return BatchFiles("changed" if files else "none", files, job)


def _current(files: dict[str, LetterFile], key: str) -> bool:
    """Both files rendered from these letters and still in the storage."""
    return all(
        (f := files.get(kind)) is not None
        and f.key == key
        and bool(f.file)
        and default_storage.exists(f.file.name)
        for kind in LetterFileKind.values
    )


def prepare_batch_files(batch: LetterBatch, user: Any) -> Job | None:
    """Queue the job that renders the batch's letters and labels (the Prepare and Run it
    again buttons).

    A job already under way is returned as it is and files already current are kept,
    so a second click queues nothing; None when there is nothing to do. A failed job is
    run again rather than doubled. The job is queued outside the batch's lock: where
    tasks run in the request, it runs here, and must not run inside a transaction."""
    with transaction.atomic():
        batch = (
            LetterBatch.objects.select_for_update(of=("self",))
            .select_related("prepare_job")
            .get(pk=batch.pk)
        )
        job = batch.prepare_job
        if job is not None and job.is_active:
            return job
        if _current({f.kind: f for f in LetterFile.objects.filter(batch=batch)}, batch_key(batch)):
            return None
    if job is not None and job.status == JobStatus.FAILED:
        # The same job again (its page and count of tries stay one), not a second one.
        try:
            return rerun_job(job, user)
        except JobError:  # someone else ran it again a moment ago
            job.refresh_from_db()
            return job
    # Two clicks at once may queue two jobs: the second finds the files current and
    # stops, and `_store` keeps one row per kind whatever the order.
    job = start_job(
        user,
        _("Print %(batch)s") % {"batch": batch},
        "cairn.outreach.tasks.prepare_batch_files_job",
        {"batch_id": batch.pk},
        next_url=batch.get_absolute_url(),
    )
    LetterBatch.objects.filter(pk=batch.pk).update(prepare_job=job)
    job.refresh_from_db()
    return job


def render_batch_files(batch_id: int, progress: Callable[..., None]) -> dict[str, Any]:
    """Render a batch's letters and labels into the storage; safe to run again.

    Files already current are kept (a re-run after the worker was killed renders only
    what is missing); stored files replace the batch's older ones, one row per kind. If
    the letters change while they are rendered (a person erased), they are rendered
    again, so no stored file names someone who was erased."""
    batch = LetterBatch.objects.get(pk=batch_id)
    total = 0
    for _attempt in range(3):
        key = batch_key(batch)
        if _current({f.kind: f for f in LetterFile.objects.filter(batch=batch)}, key):
            break
        deliveries = list(batch_letters(batch))
        total = len(deliveries) + 1  # each letter, then the label sheets
        rendered = _render(deliveries, progress)
        stored = {
            kind: default_storage.save(
                f"outreach/batches/{batch.pk}/{kind}-{key[:16]}.pdf", ContentFile(body)
            )
            for kind, body in rendered.items()
        }
        if _store(batch, key, stored, len(deliveries)):
            break
        for name in stored.values():  # out of date before it was kept
            default_storage.delete(name)
    else:
        raise OutreachError(_("The letters kept changing while they were printed."))
    if total:
        progress(total, total)
    n = batch.letters.count()
    return {
        "message": _("The letters and labels are ready to print (%(n)d letters).") % {"n": n},
        "next_url": batch.get_absolute_url(),
    }


def _render(deliveries: list[Delivery], progress: Callable[..., None]) -> dict[str, bytes]:
    total = len(deliveries) + 1

    def step(done: int, _of: int) -> None:
        progress(done, total, _("Printing the letters"))

    step(0, total)
    letters = render_letters(deliveries, step)
    progress(total - 1, total, _("Printing the address labels"))
    return {LetterFileKind.LETTERS: letters, LetterFileKind.LABELS: render_labels(deliveries)}


@transaction.atomic
def _store(batch: LetterBatch, key: str, stored: dict[str, str], letters: int) -> bool:
    """Keep the rendered files if the letters are still as they were rendered; the lock
    on the batch orders this against an erasure deleting the batch's files."""
    LetterBatch.objects.select_for_update().get(pk=batch.pk)
    if batch_key(batch) != key:
        return False
    for kind, name in stored.items():
        old = LetterFile.objects.filter(batch=batch, kind=kind).first()
        if old is None:
            LetterFile.objects.create(batch=batch, kind=kind, key=key, file=name, letters=letters)
            continue
        if old.file.name != name:
            delete_after_commit(old.file.name)
        old.key, old.file, old.letters = key, name, letters
        old.save(update_fields=["key", "file", "letters"])
    return True


def forget_batch_files(deliveries) -> int:
    """Delete the stored files of every batch holding one of these letters (their person
    is being erased); the batch's page then offers to prepare them again without them."""
    batches = LetterBatch.objects.filter(
        pk__in=deliveries.exclude(batch=None).values("batch_id")
    ).select_for_update()
    ids = list(batches.values_list("pk", flat=True))
    deleted = 0
    for stored in LetterFile.objects.filter(batch_id__in=ids):
        stored.delete()  # the file goes with the row (post_delete), after the commit
        deleted += 1
    return deleted
