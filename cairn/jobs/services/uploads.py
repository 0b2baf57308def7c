"""Running an import whose file a page kept for the worker (chat, response imports).

The record (a model with ``file``, ``status``, ``report``, ``dry_run`` and
``finished_at``) is marked applied first inside the import's own write transaction, so a
worker killed part way leaves nothing, and a second run ("Run it again", a lost task's
retry) finds it applied and writes nothing. The file is let go once read through,
except, where the caller keeps checked files, after a check that found it fit to import:
then the check's page can import it without the file being chosen again.
"""

from collections.abc import Callable
from typing import Any, Protocol

from django.contrib.auth import get_user_model
from django.db.models import Model
from django.utils import timezone

from cairn.lib import storage

WAITING, APPLIED, CHECKED, REFUSED = "waiting", "applied", "checked", "refused"


class Report(Protocol):
    def as_dict(self) -> dict[str, Any]: ...


class _AlreadyApplied(Exception):
    pass


def run_kept_upload(
    model: type[Model],
    import_id: int,
    user_id: int | None,
    read: Callable[[Any, Any, bytes, Callable[[Report], None]], tuple[Report, bool]],
    *,
    keep_checked: bool = False,
) -> Any:
    """Run ``read(record, actor, data, within_write)`` once for a waiting record.

    ``read`` imports (or checks) the file and returns its report and whether it was
    accepted; it calls ``within_write(report)`` first in its write transaction. Returns
    the record as it ended. ``keep_checked`` keeps the file of a check that found no
    problem, for the import that may follow it.
    """
    record = model.objects.get(pk=import_id)
    if record.status != WAITING:
        return record
    actor = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    waiting = model.objects.filter(pk=import_id, status=WAITING)

    def finish(status: str, report: Report, keep_file: bool = False) -> int:
        changes: dict[str, Any] = {"status": status, "report": report.as_dict()}
        if not keep_file:
            # After the commit, when in one: a rolled-back write keeps the file to retry.
            storage.delete_after_commit(record.file.name)
            changes["file"] = ""
        return waiting.update(**changes, finished_at=timezone.now())

    def within_write(report: Report) -> None:
        if not finish(APPLIED, report):
            raise _AlreadyApplied

    try:
        report, ok = read(record, actor, storage.read(record.file.name), within_write)
    except _AlreadyApplied:
        pass
    else:
        if not ok:
            finish(REFUSED, report)
        elif record.dry_run:
            finish(CHECKED, report, keep_file=keep_checked)
    record.refresh_from_db()
    return record
