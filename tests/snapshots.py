"""A costly fixture built once per test process and copied back for each test after.

Loading the demo network takes seconds (it synthesises the seed event's contributions and
drafts its report); a hundred tests ask for it. The first test in a process to ask builds
it as before; what the build changed, table by table, is kept in memory, and later tests
get those rows copied back in (COPY on PostgreSQL, INSERT on SQLite) inside their own
transaction, so each test still starts from the same rows and rolls its changes back.

A copy is used only where the database is, row for row, as it was before the build (a
digest of every table says so): otherwise, or once the copy is older than MAX_AGE (the
demo's times are set from the moment it was loaded), the fixture builds again. Files the
rows name are put back in the storage if a test took them out. After each copy the
digests are compared with the build's, so a copy that differs fails the test.

A test that commits (transaction=True: the browser tests) starts from a database emptied by
the test before it, where post_migrate wrote the content types and permissions again under
new ids; there the copy is of every table (those two included, with the ids the build saw),
and it is used where every other table is as before and those two hold as many rows.
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, models, transaction

MAX_AGE = 300.0  # seconds
# Written again by post_migrate after each flush, under new ids on PostgreSQL.
RENUMBERED = ("django_content_type", "auth_permission")


@dataclass
class _Copy:
    tables: dict[str, object]  # table -> its rows after the build (COPY text or tuples)
    after: dict[str, tuple[int, str]]  # table -> (rows, digest) after the build
    files: dict[str, bytes] = field(default_factory=dict)
    made: float = field(default_factory=time.monotonic)


_copies: dict[tuple[str, str, tuple], _Copy] = {}
_columns: dict[str, list[str]] = {}


def built_once(key: str, build: Callable[[], object]) -> None:
    """Run `build` (which only writes rows, and leaves no on-commit work), or copy back the
    rows an earlier run of it wrote from this same starting point."""
    whole = not connection.in_atomic_block  # a test that commits: the copy is of every table
    before = _digests()
    start = (key, connection.vendor, whole, _starting_point(before, whole))
    copy = _copies.get(start)
    if copy is not None and time.monotonic() - copy.made < MAX_AGE:
        _restore(copy)
        if whole:
            ContentType.objects.clear_cache()  # it holds the ids the flushed rows had
        assert _digests() == copy.after, f"the copy of {key!r} differs from its build"
        return
    waiting = len(connection.run_on_commit)
    with transaction.atomic():
        build()
        queued = len(connection.run_on_commit) != waiting
    if queued:
        return  # work left for after the commit: build each time
    after = _digests()
    changed = [table for table, digest in after.items() if whole or before.get(table) != digest]
    _copies[start] = _Copy(
        tables={table: _dump(table) for table in changed},
        after=after,
        files=_files(changed),
    )


def _tables() -> list[str]:
    return sorted(connection.introspection.table_names(include_views=False))


def _starting_point(digests: dict[str, tuple[int, str]], whole: bool) -> tuple:
    if whole:
        digests = {t: (n, "") if t in RENUMBERED else (n, d) for t, (n, d) in digests.items()}
    return tuple(sorted(digests.items()))


def _digests() -> dict[str, tuple[int, str]]:
    """Each table's number of rows, and a digest of them that does not depend on their order."""
    tables = _tables()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            qn = connection.ops.quote_name
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT {_literal(table)}, count(*), md5(coalesce("  # noqa: S608 - quoted names
                    f"string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {qn(table)} t"
                    for table in tables
                )
            )
            return {table: (n, digest) for table, n, digest in cursor.fetchall()}
        digests = {}
        for table in tables:
            rows = sorted(repr(row) for row in _select(cursor, table))
            digest = hashlib.md5("\n".join(rows).encode(), usedforsecurity=False).hexdigest()
            digests[table] = (len(rows), digest)
        return digests


def _literal(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _select(cursor, table: str) -> list[tuple]:
    # coalesce() hides the declared type from sqlite3, so values come back as stored
    # (no converters), and go back in unchanged.
    qn = connection.ops.quote_name
    columns = ", ".join(f"coalesce({qn(c)}, NULL)" for c in _column_names(cursor, table))
    cursor.execute(f"SELECT {columns} FROM {qn(table)}")  # noqa: S608 - quoted names
    return cursor.fetchall()


def _column_names(cursor, table: str) -> list[str]:
    if table not in _columns:
        description = connection.introspection.get_table_description(cursor, table)
        _columns[table] = [column.name for column in description]
    return _columns[table]


def _dump(table: str) -> object:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {qn(table)} TO STDOUT") as copy:
                return b"".join(bytes(block) for block in copy)
        return _select(cursor, table)


def _restore(copy: _Copy) -> None:
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        # Foreign keys are deferred (Django makes them so), so the order does not matter.
        for table, rows in copy.tables.items():
            cursor.execute(f"DELETE FROM {qn(table)}")  # noqa: S608 - a quoted table name
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {qn(table)} FROM STDIN") as pipe:
                    pipe.write(rows)
            elif rows:
                names = _column_names(cursor, table)
                cursor.executemany(
                    f"INSERT INTO {qn(table)} ({', '.join(qn(n) for n in names)})"  # noqa: S608
                    f" VALUES ({', '.join(['%s'] * len(names))})",
                    rows,
                )
        restored = [m for m in _models() if m._meta.db_table in copy.tables]
        for sql in connection.ops.sequence_reset_sql(no_style(), restored):
            cursor.execute(sql)
    for name, body in copy.files.items():
        if not default_storage.exists(name):
            assert default_storage.save(name, ContentFile(body)) == name


def _models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _files(tables: list[str]) -> dict[str, bytes]:
    """The bytes of every stored file that the built rows name."""
    files = {}
    for model in _models():
        if model._meta.db_table not in tables:
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                for name in model._base_manager.exclude(**{f.attname: ""}).values_list(
                    f.attname, flat=True
                ):
                    if name and default_storage.exists(name):
                        with default_storage.open(name, "rb") as handle:
                            files[name] = handle.read()
    return files
