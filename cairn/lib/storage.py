"""Files kept in Django's storage (local disk, or S3 when configured) for rows that name them."""

import logging

from django.core.files.storage import default_storage
from django.db import transaction

log = logging.getLogger(__name__)


def delete_after_commit(name: str) -> None:
    """Take `name` out of the storage once the transaction around commits.

    After the commit, so a deletion rolled back keeps a file its row still points at; a
    storage outage is logged and does not undo the deletion of the row."""
    if not name:
        return

    def remove() -> None:
        try:
            default_storage.delete(name)
        except Exception:  # noqa: BLE001 - a storage outage must not undo the deletion
            log.warning("could not remove %s from the storage", name, exc_info=True)

    transaction.on_commit(remove)
