"""Views read a form and call a service; they never write to the database themselves.

Each write belongs to a service function of the app that owns the model, with its audit
entry and its transaction (docs/architecture.md). This test reads every views module and
fails on a direct ORM write, so a new one is caught in review rather than in production.
"""

import ast
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

CAIRN = Path(__file__).resolve().parents[1] / "cairn"

# Methods that always write: on a model, a queryset, a manager or a ModelForm.
WRITES = {
    "save",
    "delete",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
# `update` also names dict.update; it is a write when called on a queryset or a manager.
QUERYSET_METHODS = {"objects", "filter", "exclude", "all", "select_for_update", "using"}

WRITING_SQL = ("insert", "update", "delete", "replace", "merge")


@contextmanager
def sql_writes() -> Iterator[list[str]]:
    """Every statement that writes, run inside the block: the scan below reads the views'
    own code; this catches a write a GET reaches through a helper (a cache filled, a task
    queued in the database)."""
    seen: list[str] = []

    def spy(execute, sql, params, many, context):  # noqa: ANN001, ANN202 - Django's hook
        if sql.lstrip().lower().startswith(WRITING_SQL):
            seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        yield seen


# Views allowed to write, each with the reason (none today).
ALLOWED: dict[str, str] = {}


def _views_modules() -> list[Path]:
    return sorted([*CAIRN.glob("*/views.py"), *CAIRN.glob("*/views/*.py")])


def _on_queryset(node: ast.expr) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr in QUERYSET_METHODS or _on_queryset(node.value)
    if isinstance(node, ast.Call):
        return _on_queryset(node.func)
    return False


def writes_in(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name = node.func.attr
        if name in WRITES or (name == "update" and _on_queryset(node.func.value)):
            found.append((node.lineno, ast.unparse(node.func)))
    return found


def test_the_scan_sees_each_kind_of_write():
    source = """
def view(request, form, person):
    person.save()
    form.save()
    Person.objects.create(name="x")
    Person.objects.filter(pk=1).update(name="y")
    person.consents.all().delete()
    Thing.objects.get_or_create(pk=1)
    context = {}
    context.update({"a": 1})
"""
    assert [line for line, _ in writes_in(source)] == [3, 4, 5, 6, 7, 8]


def test_no_view_writes_to_the_database():
    offenders = []
    for path in _views_modules():
        relative = str(path.relative_to(CAIRN.parent))
        for line, call in writes_in(path.read_text()):
            if f"{relative}:{call}" not in ALLOWED:
                offenders.append(f"{relative}:{line}: {call}(...)")
    assert not offenders, (
        "Views must call a service of the owning app (with its audit) instead of writing:\n"
        + "\n".join(offenders)
    )


def test_the_scan_reads_the_views_packages_too():
    names = {str(p.relative_to(CAIRN)) for p in _views_modules()}
    assert "members/views.py" in names
    assert any(name.startswith("events/views") for name in names)


def test_the_write_spy_sees_a_write_and_not_a_read(db):
    from cairn.core.models import AuditEntry

    with sql_writes() as seen:
        list(AuditEntry.objects.all())
    assert seen == []
    with sql_writes() as seen:
        AuditEntry.objects.create(action="test")
    assert len(seen) == 1
