"""Writing the audit log: every service that touches personal data calls `record`."""

from collections.abc import Iterable
from typing import Any

from django.db import models

from cairn.core.models import AuditEntry
from cairn.lib.bulk import insert_many


def record(
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    summary: str = "",
    **detail: Any,
) -> AuditEntry:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:300],
        detail=detail,
    )


def record_many(
    actor: Any,
    action: str,
    model: type[models.Model],
    entries: Iterable[tuple[Any, str]],
    **detail: Any,
) -> int:
    """One entry per (pk of a `model` row, summary), written in batches: what `record`
    would write for each, for imports of thousands of records. Returns how many."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = model._meta.label_lower
    return insert_many(
        AuditEntry,
        (
            {
                "actor_id": user.pk if user is not None else None,
                "action": action,
                "object_type": label,
                "object_id": str(pk),
                "summary": summary[:300],
                "detail": detail,
            }
            for pk, summary in entries
        ),
    )
