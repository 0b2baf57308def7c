"""Inserting many rows fast, for imports.

`bulk_create` builds a model instance per row and its SQL value by value (together about
100 µs a row of ten fields on a busy server). Here rows are plain mappings of field
attname to value, adapted only where the database needs it (JSON, dates), and sent as
one parametrised INSERT with `executemany` (`insert_many`), or as multi-row INSERTs that
return the new primary keys (`insert_returning_pks`) when the caller needs them. Fields a
row leaves out take their default, and `auto_now`/`auto_now_add` fields the current time,
as `save()` would. No signals are sent (as with `bulk_create`); the caller holds the
transaction.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

# Field types whose Python value the database driver takes as it is.
_PLAIN = {
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "EmailField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
}
Row = Mapping[str, Any]


class _Plan:
    def __init__(self, model: type[models.Model]):
        self.connection = connections[router.db_for_write(model)]
        ops = self.connection.ops
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.table = ops.quote_name(model._meta.db_table)
        self.columns = ", ".join(ops.quote_name(f.column) for f in self.fields)
        self.marks = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        now = timezone.now()
        self.steps = [
            (
                f.attname,
                f.get_internal_type() in _PLAIN,
                now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else None,
                f,
            )
            for f in self.fields
        ]

    def values(self, row: Row) -> list[Any]:
        out = []
        for attname, plain, stamp, field in self.steps:
            if stamp is not None:
                value = stamp
            elif attname in row:
                value = row[attname]
            else:
                value = field.get_default()
            out.append(value if plain else field.get_db_prep_save(value, self.connection))
        return out

    def sql(self, rows: int = 1) -> str:
        # Table and column names come from the model, quoted; every value is a parameter.
        return f"INSERT INTO {self.table} ({self.columns}) VALUES " + ", ".join(  # noqa: S608
            [self.marks] * rows
        )


def insert_many(model: type[models.Model], rows: Iterable[Row], batch: int = 5000) -> int:
    """INSERT one database row per mapping; no pks come back. Returns the rows written."""
    plan = _Plan(model)
    sql = plan.sql()
    written = 0
    pending: list[list[Any]] = []
    with plan.connection.cursor() as cursor:
        for row in rows:
            pending.append(plan.values(row))
            if len(pending) >= batch:
                cursor.executemany(sql, pending)
                written, pending = written + len(pending), []
        if pending:
            cursor.executemany(sql, pending)
            written += len(pending)
    return written


def insert_returning_pks(model: type[models.Model], rows: list[Row]) -> list[int]:
    """INSERT the rows and give back their new primary keys, in the rows' order (as
    `bulk_create` does: one multi-row INSERT … RETURNING per batch)."""
    plan = _Plan(model)
    connection = plan.connection
    if not connection.features.can_return_rows_from_bulk_insert:
        made = model.objects.bulk_create([model(**row) for row in rows], batch_size=500)
        return [obj.pk for obj in made]
    per_batch = max(1, min(1000, connection.ops.bulk_batch_size(plan.fields, rows)))
    pk = connection.ops.quote_name(model._meta.pk.column)
    pks: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_batch):
            chunk = rows[start : start + per_batch]
            params = [value for row in chunk for value in plan.values(row)]
            cursor.execute(f"{plan.sql(len(chunk))} RETURNING {pk}", params)
            pks += [found[0] for found in cursor.fetchall()]
    return pks
