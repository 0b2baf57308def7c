"""A real `cairn worker` killed (SIGKILL) while it writes a queued consultation import:
nothing of the file is kept, and the worker that takes the task over imports it once.
Runs on its own SQLite file, as test_killed_worker does, because two processes share it."""

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.jobs.test_killed_worker import ROOT, _cairn, _env

# The worker and its queue are on a SQLite file of their own, whichever database the suite uses.
pytestmark = pytest.mark.any_database

ROWS = 20_000

QUEUE = f"""
from django.contrib.auth.models import User
from cairn.consultations.services import importing
from tests.consultations.conftest import make_consultation
from tests.consultations.test_import_bulk import _csv
alice = User.objects.create_user("alice")
importing.queue_import(make_consultation(alice), _csv({ROWS}), filename="big.csv", actor=alice)
"""


def _state(db: Path) -> tuple[str, str, str, int]:
    with sqlite3.connect(db, timeout=20) as conn:
        job, stage = conn.execute("SELECT status, stage FROM jobs_job").fetchone()
        (status,) = conn.execute("SELECT status FROM consultations_responseimport").fetchone()
        (rows,) = conn.execute("SELECT count(*) FROM consultations_response").fetchone()
    return job, stage, status, rows


def _wait(db: Path, done, seconds: float = 120) -> tuple[str, str, str, int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = _state(db)
        if done(state):
            return state
        time.sleep(0.05)
    raise AssertionError(f"never got there: {state}")


def _worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "cairn.cli", "worker", "--no-startup-delay", "-v", "0"],
        env=env,
        cwd=ROOT,
    )


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_an_import_killed_while_writing_keeps_nothing_and_is_imported_once(tmp_path):
    db = tmp_path / "queue.sqlite3"
    env = _env(db)
    _cairn(env, "migrate", "--verbosity", "0")
    _cairn(env, "shell", "-c", QUEUE)
    first = _worker(env)
    try:
        # Every row is checked; the write transaction is open or about to be.
        _wait(db, lambda s: s[1] == "Saving the responses")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    job, _stage, status, rows = _state(db)
    # All or nothing: killed before the commit, no row; after it, every row and "applied".
    assert (status, rows) in (("waiting", 0), ("applied", ROWS)), (status, rows)
    second = _worker(env)
    try:
        job, _stage, status, rows = _wait(db, lambda s: s[0] in ("done", "failed"))
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    assert (job, status, rows) == ("done", "applied", ROWS)
