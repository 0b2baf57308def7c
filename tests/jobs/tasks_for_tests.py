"""Tasks the worker tests enqueue; importable by a worker in another process."""

import time

from django.tasks import task

from cairn.core.models import AuditEntry


@task
def slow_once(key: str, seconds: float = 0) -> int:
    """Wait (the window in which a test kills the worker), then record `key` once."""
    time.sleep(seconds)
    AuditEntry.objects.get_or_create(action="test.slow_once", object_id=key)
    return AuditEntry.objects.filter(action="test.slow_once", object_id=key).count()


CALLS: list[str] = []


def count_call() -> None:
    CALLS.append("called")


def count_to(progress, n: int, fail: bool = False) -> dict:
    """A job runner: counts to n, reporting progress; fails on request."""
    for i in range(n):
        progress(i + 1, n, "counting")
    if fail:
        raise RuntimeError("the mail server refused")
    return {"message": f"Counted to {n}.", "counted": n}
