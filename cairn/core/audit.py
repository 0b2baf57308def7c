"""Writing the audit log: every service that touches personal data calls `record`."""

from typing import Any

from django.db import models

from cairn.core.models import AuditEntry


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
