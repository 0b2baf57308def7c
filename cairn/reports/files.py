"""A report's PDF and DOCX, rendered by a worker and kept in Django's file storage.

WeasyPrint takes seconds over a long report, so no web request renders one. Publishing
queues the public versions (and the worker's schedule any a published report lacks); a
coordinator asks for a draft's file with a button (a POST,
through `services.prepare_file`, audited), the page shows that it is being prepared, and
every later request is answered from the stored file. A GET only reads: it finds the
file, or its progress, or nothing (and the page offers the button). Files are keyed by a
hash of the document itself, so a report that changes is rendered again and an unchanged
one never is; several web servers share the files through the storage (local disk, or
S3 when configured). Files superseded by a newer render, taken off the public site or
left by a deleted report are removed from the storage too.
"""

import hashlib
import json
import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cairn.reports import render as renderers
from cairn.reports.models import RenderedFile, RenderStatus, Report
from cairn.reports.tasks import render_file_task

log = logging.getLogger(__name__)

# Formats slow enough to render off the request; HTML and Markdown are answered at once.
STORED_FORMATS = ("pdf", "docx")
# What publishing prepares ahead: the links on the public page.
PUBLIC_VARIANTS = (("pdf", False), ("pdf", True), ("docx", False))


def document_key(doc: dict[str, Any], fmt: str, large_print: bool) -> str:
    # `generated_at` changes on every build of a draft; it is not part of what is shown.
    content = {k: v for k, v in doc.items() if k != "generated_at"}
    blob = json.dumps([content, fmt, large_print], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def file_name(report: Report, fmt: str, large_print: bool) -> str:
    """The name a person's browser saves the file under."""
    return f"{slugify(report.title)[:60]}{'-large-print' if large_print else ''}.{fmt}"


def find_file(doc: dict[str, Any], fmt: str, large_print: bool) -> RenderedFile | None:
    """The stored render of this document, if one was ever asked for (reads only)."""
    return RenderedFile.objects.filter(key=document_key(doc, fmt, large_print)).first()


def is_ready(rendered: RenderedFile | None) -> bool:
    """Rendered and still in the storage (a lost disk or a server that never had it is not)."""
    return (
        rendered is not None
        and rendered.status == RenderStatus.DONE
        and bool(rendered.file)
        and default_storage.exists(rendered.file.name)
    )


def queue_file(report: Report, doc: dict[str, Any], fmt: str, large_print: bool) -> RenderedFile:
    """Queue this document's render unless it is ready or already queued.

    A failed render, or a file recorded as ready but missing from the storage, is queued
    again. Keyed, so two requests at once queue one render.
    """
    key = document_key(doc, fmt, large_print)
    rendered = RenderedFile.objects.filter(key=key).first()
    if rendered is None:
        try:
            with transaction.atomic():
                rendered = RenderedFile.objects.create(
                    report=report,
                    key=key,
                    fmt=fmt,
                    large_print=large_print,
                    public=bool(doc.get("public")),
                    doc=doc,
                )
        except IntegrityError:  # another request asked for the same file a moment ago
            return RenderedFile.objects.get(key=key)
    elif rendered.status == RenderStatus.QUEUED or is_ready(rendered):
        return rendered
    else:
        again = RenderedFile.objects.filter(pk=rendered.pk, status=rendered.status).update(
            status=RenderStatus.QUEUED,
            doc=doc,
            file="",
            error="",
            finished_at=None,
            queued_at=timezone.now(),
        )
        if not again:  # another request queued it a moment ago
            rendered.refresh_from_db()
            return rendered
    render_file_task.enqueue(rendered.pk)
    rendered.refresh_from_db()
    return rendered


def prepare_public_files(report: Report) -> None:
    """Queue the public page's downloads as soon as a report is published."""
    if report.published_doc is None:
        return
    for fmt, large in PUBLIC_VARIANTS:
        queue_file(report, report.published_doc, fmt, large)


def prepare_missing_public_files() -> int:
    """Queue the public downloads a published report lacks: published before files were
    kept, or lost from the storage. Failed ones wait for a coordinator's Try again, so a
    file that cannot be rendered is not tried every few minutes. Returns how many."""
    queued = 0
    for report in Report.objects.filter(published_doc__isnull=False).iterator(chunk_size=20):
        for fmt, large in PUBLIC_VARIANTS:
            rendered = find_file(report.published_doc, fmt, large)
            if rendered is None or (
                rendered.status == RenderStatus.DONE and not is_ready(rendered)
            ):
                queue_file(report, report.published_doc, fmt, large)
                queued += 1
    return queued


def fail_stale_renders(now: datetime | None = None) -> int:
    """Mark failed the renders queued for longer than `CAIRN_RENDER_STALE_MINUTES`.

    A render takes seconds; one still queued that long lost its task (its worker killed
    on the last try, the queue's rows pruned) and would show "being prepared" for ever.
    Failed, its page offers Try again; a late task finds it failed and does nothing."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.CAIRN_RENDER_STALE_MINUTES)
    return RenderedFile.objects.filter(status=RenderStatus.QUEUED, queued_at__lt=cutoff).update(
        status=RenderStatus.FAILED,
        error=_("No worker finished preparing it. Try again."),
        finished_at=now,
    )


def render_file(rendered_id: int) -> None:
    """Render one queued file into the storage; safe to run twice (a done file is kept)."""
    rendered = RenderedFile.objects.filter(pk=rendered_id).first()
    if rendered is None or rendered.status != RenderStatus.QUEUED or rendered.doc is None:
        return
    try:
        body = renderers.render(rendered.doc, rendered.fmt, large_print=rendered.large_print)
    except Exception as exc:  # noqa: BLE001 - the download page says so and offers a retry
        log.exception("rendering report %s as %s failed", rendered.report_id, rendered.fmt)
        RenderedFile.objects.filter(pk=rendered.pk).update(
            status=RenderStatus.FAILED, error=str(exc) or exc.__class__.__name__
        )
        return
    name = f"reports/{rendered.report_id}/{rendered.key[:32]}.{rendered.fmt}"
    stored = default_storage.save(name, ContentFile(body))
    updated = RenderedFile.objects.filter(pk=rendered.pk, status=RenderStatus.QUEUED).update(
        status=RenderStatus.DONE, file=stored, doc=None, finished_at=timezone.now()
    )
    if not updated:  # rendered twice at once: the other copy won
        default_storage.delete(stored)
        return
    _drop_older(rendered)


def file_bytes(report: Report, doc: dict[str, Any], fmt: str, large_print: bool) -> bytes:
    """The stored render of this document, for work already on a worker (a report sent
    to 300 people attaches one stored PDF, not 300 renders).

    A file missing, lost from the storage or out of date (the key follows the document)
    is rendered here, once, and kept; the queued task then finds it done. Raises
    `RenderFailed` when the render fails, so the job fails and can be run again."""
    rendered = find_file(doc, fmt, large_print)
    if not is_ready(rendered):
        rendered = queue_file(report, doc, fmt, large_print)
        render_file(rendered.pk)  # nothing to do when the queue already ran it
        rendered.refresh_from_db()
    if not is_ready(rendered):
        raise RenderFailed(rendered.error or _("The file could not be prepared."))
    with default_storage.open(rendered.file.name, "rb") as stored:
        return stored.read()


class RenderFailed(RuntimeError):
    pass


def _drop_older(rendered: RenderedFile) -> None:
    """Older renders of the same download are out of date: remove them and their files.

    The published version's file is kept while a coordinator downloads newer drafts."""
    report = Report.objects.filter(pk=rendered.report_id).first()
    published = report.published_doc if report else None
    keep = document_key(published, rendered.fmt, rendered.large_print) if published else ""
    older = (
        RenderedFile.objects.filter(
            report_id=rendered.report_id,
            fmt=rendered.fmt,
            large_print=rendered.large_print,
            public=rendered.public,
            created_at__lte=rendered.created_at,
        )
        .exclude(pk=rendered.pk)
        .exclude(key=keep)
    )
    for old in older:
        delete_file(old)


def delete_file(rendered: RenderedFile) -> None:
    # The stored file goes with the row (`storage.remove_with_row`), once the deletion commits.
    rendered.delete()


def forget_public_files(report: Report) -> None:
    """A report taken down keeps no public files in the storage."""
    for rendered in RenderedFile.objects.filter(report=report, public=True):
        delete_file(rendered)
