"""Files kept through Django's storage API for the rows that name them: uploads waiting for
a worker, rendered reports, printed letters.

Through `default_storage` they live on the local disk by default, or in S3-compatible
storage (CAIRN_S3_BUCKET) that several web and worker machines share. A row points at its
file by a `FileField`; the file leaves the storage when the row is deleted (connect
`remove_with_row` to `post_delete`) or when the row lets it go (`delete_after_commit`).
"""

import logging
import uuid
from collections.abc import Callable, Mapping
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

log = logging.getLogger(__name__)


def as_upload(filename: str, data: bytes) -> ContentFile:
    """Bytes to give a `FileField`, under a random name: a person's name in a file's name
    stays out of the storage's listing (the original name is kept on the row)."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return ContentFile(data, name=f"{uuid.uuid4().hex}{suffix}")


def read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def reader(known: Mapping[str, bytes] | None = None) -> Callable[[str], bytes]:
    """`read` for one batch of work: a file that many rows name (a report sent to 300
    people) is read once, or not at all where its bytes are `known` already."""
    files = dict(known or {})

    def read_once(name: str) -> bytes:
        if name not in files:
            files[name] = read(name)
        return files[name]

    return read_once


def delete_after_commit(name: str, *, unless: Callable[[], bool] | None = None) -> None:
    """Take `name` out of the storage once the transaction around commits.

    After the commit, so a deletion rolled back keeps a file its row still points at; a
    storage outage is logged and does not undo the deletion of the row. `unless` is asked
    then, and keeps the file when it says so (a file that other rows still share)."""
    if not name:
        return

    def remove() -> None:
        if unless is not None and unless():
            return
        try:
            default_storage.delete(name)
        except Exception:  # noqa: BLE001 - a storage outage must not undo the deletion
            log.warning("could not remove %s from the storage", name, exc_info=True)

    transaction.on_commit(remove)


def remove_with_row(sender: type, instance: Any, **kwargs: Any) -> None:
    """Connected to `post_delete` for a model whose file is in `file`: a row deleted in any
    way (a service, a cascade, the admin) takes its file out of the storage."""
    delete_after_commit(instance.file.name if instance.file else "")


def column_to_storage(rows: Any, column: str = "content") -> None:
    """For a migration: each row's bytes in `column` become its `file` in the storage,
    named after its `filename`. Rows are read a few at a time: the bytes may be large."""
    for row in rows.iterator(chunk_size=10):
        data = getattr(row, column)
        if data:
            row.file = as_upload(row.filename, bytes(data))
            row.save(update_fields=["file"])


def storage_to_column(rows: Any, column: str = "content") -> None:
    """For a migration going back: each row's stored file returns to `column`."""
    for row in rows.exclude(file="").iterator(chunk_size=10):
        setattr(row, column, read(row.file.name))
        row.save(update_fields=[column])
