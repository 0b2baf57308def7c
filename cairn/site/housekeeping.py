"""Housekeeping across apps, run by the worker's schedules (or cron)."""

from cairn.consultations.services.importing import prune_finished_response_imports
from cairn.events.services.chat_import import prune_finished_chat_imports
from cairn.members.import_jobs import prune_applied_imports


def prune_finished_imports() -> dict[str, int]:
    """Delete every kind of import finished more than CAIRN_IMPORT_KEEP_DAYS ago, with its
    file; each app writes its own audit entry of how many went. Returns the counts."""
    return {
        "member imports": prune_applied_imports(),
        "response imports": prune_finished_response_imports(),
        "chat imports": prune_finished_chat_imports(),
    }
