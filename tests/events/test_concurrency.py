"""200 simultaneous registrations at a 25-place event: never overfilled, nobody
twice, no request lost. Runs on whichever database the suite runs on."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.events import concurrency

ROOT = Path(__file__).resolve().parents[2]


def _assert_safe(result: dict) -> None:
    assert result["error_count"] == 0, result["errors"]
    assert result["answered"] == concurrency.REQUESTS  # no request lost
    assert result["registered"] == concurrency.CAPACITY  # full, never overfilled
    assert result["waitlisted"] == concurrency.PEOPLE - concurrency.CAPACITY
    assert result["rows"] == concurrency.PEOPLE  # everyone is somewhere
    assert result["doubles"] == 0  # nobody twice


def _probe(tmp_path, mode: str) -> dict:
    completed = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "tests.events.concurrency", str(tmp_path / "race.sqlite3"), mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite run of the suite")
def test_200_simultaneous_registrations_on_sqlite_never_overfill_double_or_lose(tmp_path):
    # The suite's own SQLite database lives in memory; a real deployment uses a
    # file, where locking is what matters, so the race runs in a fresh process on one.
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    _assert_safe(_probe(tmp_path, "IMMEDIATE"))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite run of the suite")
def test_without_begin_immediate_the_same_race_loses_requests(tmp_path):
    # Proof that IMMEDIATE is what serialises: with SQLite's default deferred
    # transactions, readers that then try to write are refused ("database is locked").
    result = _probe(tmp_path, "DEFERRED")
    assert result["error_count"] > 0
    assert result["answered"] < concurrency.REQUESTS


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL run of the suite")
@pytest.mark.django_db(transaction=True)
def test_200_simultaneous_registrations_on_postgresql_never_overfill_double_or_lose():
    event_id, people = concurrency.make_event_and_people()
    # 60 connections at once (the server allows 100, shared with other test runs);
    # all 200 requests are queued at the start and the workers start together.
    result = concurrency.fire(event_id, people, workers=60)
    _assert_safe(result)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL run of the suite")
@pytest.mark.django_db(transaction=True)
def test_200_simultaneous_public_registrations_never_overfill_or_create_anyone_twice():
    from cairn.members.models import Person

    event_id, _people = concurrency.make_event_and_people()
    Person.objects.all().delete()  # visitors are not on file: the page creates them
    emails = [f"visitor{i}@example.org" for i in range(concurrency.PEOPLE)]
    result = concurrency.fire_visitors(event_id, emails, workers=60)
    _assert_safe(result)
    assert Person.objects.filter(email__startswith="visitor").count() == concurrency.PEOPLE
