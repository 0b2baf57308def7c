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

import gc
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from operator import itemgetter
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


# A prepared value per distinct value is kept up to this many per field: imports repeat
# a few values (now, an empty JSON detail, a choice list) thousands of times.
_MEMO_LIMIT = 50_000


def _memo_key(value: Any) -> Any:
    """A stand-in for a value to look its prepared form up by: its type with it, so 1 and
    True (or [1] and [True]) never share one; a list of choices becomes a tuple. An
    unhashable value gives a key the lookup refuses with TypeError."""
    kind = type(value)
    if kind is list:
        return (kind, tuple([(type(item), item) for item in value]))
    if kind is dict:
        return (kind, value) if value else (kind, ())  # only {} is looked up (audit detail)
    return (kind, value)


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
        # What a row leaves out: fixed defaults prepared once per insert, not once per
        # row; auto_now stamps, which win over anything the row gives, likewise; and
        # defaults made fresh per row (a dict, a list), which the field makes each time.
        self.base: dict[str, Any] = {}
        self.stamps: dict[str, Any] = {}
        self.fresh: list[tuple[str, models.Field, Any]] = []
        # Fields whose given values the driver cannot take as they are (JSON, dates).
        self.prepare: list[tuple[str, Any]] = []
        for f in self.fields:
            plain = f.get_internal_type() in _PLAIN
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.stamps[f.attname] = self._prepared(f, now)
                continue
            prepare = None if plain else self._preparer(f)
            if prepare is not None:
                self.prepare.append((f.attname, prepare))
            if f.has_default() and callable(f.default):
                self.fresh.append((f.attname, f, prepare))
            else:
                self.base[f.attname] = self._prepared(f, f.get_default())
        names = [f.attname for f in self.fields]
        # One C-level call per row picks every column's value in order.
        self.pick = itemgetter(*names) if len(names) > 1 else (lambda v: (v[names[0]],))

    def _prepared(self, field: models.Field, value: Any) -> Any:
        if field.get_internal_type() in _PLAIN:
            return value
        return field.get_db_prep_save(value, self.connection)

    def _preparer(self, field: models.Field) -> Any:
        memo: dict[Any, Any] = {}
        connection = self.connection

        def prepare(value: Any) -> Any:
            key = _memo_key(value)
            try:
                found = memo.get(key, memo)
            except TypeError:  # unhashable (a nested dict): prepared every time
                return field.get_db_prep_save(value, connection)
            if found is memo:
                found = field.get_db_prep_save(value, connection)
                if len(memo) < _MEMO_LIMIT:
                    memo[key] = found
            return found

        return prepare

    def values(self, row: Row) -> tuple[Any, ...]:
        merged = {**self.base, **row, **self.stamps}
        for attname, prepare in self.prepare:
            if attname in row:
                merged[attname] = prepare(row[attname])
        for attname, field, prepare in self.fresh:
            if attname not in row:
                default = field.get_default()
                merged[attname] = default if prepare is None else prepare(default)
        return self.pick(merged)

    def sql(self, rows: int = 1) -> str:
        # Table and column names come from the model, quoted; every value is a parameter.
        return f"INSERT INTO {self.table} ({self.columns}) VALUES " + ", ".join(  # noqa: S608
            [self.marks] * rows
        )


@contextmanager
def paused_gc() -> Iterator[None]:
    """Hold the cyclic garbage collector off while an import builds and writes its rows.

    A 100,000-row survey import makes a few million dicts, lists and tuples, none in a
    reference cycle; the collector walked them again and again as they piled up, a
    seventh of the import's CPU time. Reference counting still frees everything; the
    collector runs as before once the block ends (it is process-wide, so other threads
    skip it for that long too, which costs them nothing but memory held a little longer).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def insert_many(model: type[models.Model], rows: Iterable[Row], batch: int = 5000) -> int:
    """INSERT one database row per mapping; no pks come back. Returns the rows written."""
    plan = _Plan(model)
    sql = plan.sql()
    written = 0
    pending: list[tuple[Any, ...]] = []
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
