"""bench/load.py plays its live event end to end: a short, small run on a database of its own.

The figures are not checked (timed assertions do not belong in tests); what is checked is
that the bench measures what it says: logged-in participants whose polls and notes are
answered (a bench whose sessions the servers refused once measured only redirects to the
login page), notes seen by others, registrations neither overfilled nor doubled.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
KEYS = {
    "processes", "participants", "rps", "p50_ms", "p95_ms", "p99_ms", "errors",
    "note_visible_p95_s", "overfilled", "duplicates",
}  # fmt: skip

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="bench/load.py plays its event on PostgreSQL"
    ),
    pytest.mark.xdist_group("web-servers"),  # as in test_concurrency_http.py
]


def test_a_short_run_of_the_load_bench_answers_every_request_and_sees_notes(tmp_path):
    db = connection.settings_dict
    server = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    name = f"{db['NAME']}_load"[:63]
    env = {**os.environ, "DATABASE_URL": f"{server}/{name}", "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    try:
        run = subprocess.run(
            [sys.executable, "bench/load.py", "--participants", "16", "--registrations", "10",
             "--seconds", "6", "--processes", "2", "--no-waitress", "--note-every", "2",
             "--json"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert run.returncode == 0, run.stderr[-2000:]
    (row,) = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert set(row) >= KEYS
    assert row["processes"] == 2 and row["participants"] == 16
    assert row["errors"] == 0, row["error_kinds"]
    assert row["overfilled"] == 0 and row["duplicates"] == 0
    assert row["notes_posted"] > 0 and row["note_visible_p95_s"] is not None
