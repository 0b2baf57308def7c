"""The `cairn` command on a database that is missing or has no tables: one line, no traceback."""

import os
import subprocess
import sys

import pytest

# Every `cairn` here runs on a SQLite file of its own, whichever database the suite uses.
pytestmark = pytest.mark.any_database


def _cairn(*args, database: str):
    env = {
        "DATABASE_URL": database,
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
    }
    return subprocess.run(
        [sys.executable, "-m", "cairn.cli", *args], capture_output=True, text=True, env=env
    )


def test_a_missing_sqlite_file_is_reported_and_not_created(tmp_path):
    path = tmp_path / "cairn.sqlite3"
    result = _cairn("report", "1", "--format", "md", "--out", "r.md", database=f"sqlite:///{path}")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "there is no database" in result.stderr and "cairn migrate" in result.stderr
    assert not path.exists()


def test_an_unmigrated_database_is_reported_in_one_line(tmp_path):
    path = tmp_path / "empty.sqlite3"
    path.touch()
    result = _cairn("report", "1", "--format", "md", "--out", "r.md", database=f"sqlite:///{path}")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "no Cairn tables yet" in result.stderr


@pytest.mark.parametrize("command", ["report", "synthesize", "import-members", "demo"])
def test_cairn_help_command_shows_the_options_of_cairn_s_own_commands(tmp_path, command):
    result = _cairn("help", command, database=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: cairn {command}")
