"""How long finished imports are kept, and taking a name out of what they found.

An import keeps its upload until it is read, then a report of what it found (rows refused
with their text, chat speakers who matched nobody). Both name people, so neither is kept
for ever: the worker deletes finished imports after CAIRN_IMPORT_KEEP_DAYS, and a person's
erasure takes their name out of the reports still kept.
"""

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from cairn.core import audit

# What an erased person's name becomes in a kept report (as in the audit log).
ERASED_MARK = "[erased person]"


def import_cutoff(now: datetime | None = None) -> datetime:
    """Imports finished before this are deleted."""
    return (now or timezone.now()) - timedelta(days=settings.CAIRN_IMPORT_KEEP_DAYS)


def delete_old_imports(rows: models.QuerySet, action: str, what: str) -> int:
    """Delete `rows` one by one, so each row's `post_delete` takes its file out of the
    storage, and write one audit entry saying how many went. Returns how many."""
    count = 0
    with transaction.atomic():
        for row in rows.iterator(chunk_size=100):
            row.delete()
            count += 1
        if count:
            days = settings.CAIRN_IMPORT_KEEP_DAYS
            audit.record(
                None,
                action,
                None,
                f"{count} {what} finished more than {days} days ago deleted",
                count=count,
                keep_days=days,
            )
    return count


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def scrub(value: Any, needles: Iterable[str]) -> Any:
    """`value` (a report's JSON) with each needle (a name, an address) taken out: a list
    item that is only the needle is dropped, a needle inside a text becomes ERASED_MARK.
    Case and spacing are ignored, as chat speaker names vary in both."""
    wanted = [n for n in {_folded(n) for n in needles} if n]
    if not wanted:
        return value
    patterns = [
        # Whole words only: "Al Reed" is not taken out of "Also Reedy".
        re.compile(
            r"(?<!\w)" + r"\s+".join(re.escape(part) for part in n.split()) + r"(?!\w)",
            re.IGNORECASE,
        )
        for n in wanted
    ]

    def walk(item: Any) -> Any:
        if isinstance(item, str):
            for pattern in patterns:
                item = pattern.sub(ERASED_MARK, item)
            return item
        if isinstance(item, list):
            return [walk(i) for i in item if not (isinstance(i, str) and _folded(i) in wanted)]
        if isinstance(item, dict):
            return {k: walk(v) for k, v in item.items()}
        return item

    return walk(value)


def scrub_reports(rows: models.QuerySet, needles: Iterable[str], field: str = "report") -> int:
    """Take the needles out of `field` of each row; returns how many rows changed."""
    needles = [n for n in needles if n and n.strip()]
    if not needles:
        return 0
    changed = 0
    for row in rows.exclude(**{field: {}}).only("pk", field).iterator(chunk_size=100):
        before = getattr(row, field)
        after = scrub(before, needles)
        if after != before:
            setattr(row, field, after)
            row.save(update_fields=[field])
            changed += 1
    return changed
