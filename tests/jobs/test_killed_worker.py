"""A real `cairn worker` process killed mid-task: the task is run again by another
worker, finishes, and does its work once. Runs on its own SQLite file, outside the
test database, because two separate processes must share the queue."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The worker and its queue are on a SQLite file of their own, whichever database the suite uses.
pytestmark = pytest.mark.any_database


def _env(db: Path) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cairn.settings", "PYTHONPATH": str(ROOT)}
    env.update(
        DATABASE_URL=f"sqlite:///{db}",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        # Uploads waiting for the worker are kept here, not in the checkout.
        MEDIA_ROOT=str(db.parent / "media"),
        CAIRN_HEARTBEAT_SECONDS="1",
        CAIRN_WORKER_STALE_SECONDS="3",
        # Only the recovery schedule, so nothing else lands on the queue.
        CAIRN_SCHEDULES_OFF=(
            "fail-stale-jobs,fail-stale-syntheses,send-reminders,retry-emails,"
            "send-digests,prune-task-results,clear-sessions,fail-stale-renders,"
            "clear-sign-in-codes,prepare-public-files,discard-abandoned-imports,"
            "prune-finished-imports"
        ),
    )
    return env


def _cairn(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "cairn.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def _status(db: Path) -> str:
    # Read the file directly: starting Django for every look would take seconds.
    with sqlite3.connect(db, timeout=20) as conn:
        status, workers = conn.execute(
            "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult"
        ).fetchone()
        (done,) = conn.execute(
            "SELECT count(*) FROM core_auditentry WHERE action = 'test.slow_once'"
        ).fetchone()
    return f"{status} {len(json.loads(workers))} {done}"


def _wait_for(db: Path, prefix: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = _status(db)
        if status.startswith(prefix):
            return status
        time.sleep(0.2)
    raise AssertionError(f"never reached {prefix}: {status}")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_task_survives_its_worker_being_killed_mid_run(tmp_path):
    db = tmp_path / "queue.sqlite3"
    env = _env(db)
    _cairn(env, "migrate", "--verbosity", "0")
    enqueue = "from tests.jobs.tasks_for_tests import slow_once; slow_once.enqueue('k', 4)"
    _cairn(env, "shell", "-c", enqueue)
    first = subprocess.Popen(
        [sys.executable, "-m", "cairn.cli", "worker", "--no-startup-delay", "-v", "0"],
        env=env,
        cwd=ROOT,
    )
    try:
        assert _wait_for(db, "RUNNING") == "RUNNING 1 0"
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    # The killed worker's row says it is still running; nobody else holds it.
    assert _status(db) == "RUNNING 1 0"
    second = subprocess.Popen(
        [sys.executable, "-m", "cairn.cli", "worker", "--no-startup-delay", "-v", "0"],
        env=env,
        cwd=ROOT,
    )
    try:
        # Recovered after the heartbeat goes stale, run by the second worker, done once.
        assert _wait_for(db, "SUCCESSFUL") == "SUCCESSFUL 2 1"
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
