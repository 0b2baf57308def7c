"""A real `cairn serve` stopped with SIGTERM (kill, a service manager, a container stop)
stops the task worker it started, as Ctrl-C does. Python's default for SIGTERM ended the
server on the spot and left the worker running on its own."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.jobs.test_killed_worker import _cairn, _env

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.any_database,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that has exited but not been reaped by its (gone) parent is not running.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[-1].startswith("Z"))


@pytest.mark.parametrize("server", ["waitress", "gunicorn"])
def test_sigterm_to_serve_stops_its_worker(tmp_path, server):
    db = tmp_path / "site.sqlite3"
    env = {**_env(db), "STATIC_ROOT": str(tmp_path / "static"), "SECRET_KEY": "x" * 50}
    _cairn(env, "migrate", "--verbosity", "0")
    out = tmp_path / "serve.log"
    with out.open("w") as log:
        served = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
            [sys.executable, "-m", "cairn.cli", "serve", "--no-migrate", "--server", server]
            + ["--port", str(_free_port())],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    worker = None
    try:
        deadline = time.monotonic() + 90
        while worker is None and time.monotonic() < deadline and served.poll() is None:
            found = re.search(r"beside the web server \(process (\d+)\)", out.read_text())
            if found and "Cairn is serving" in out.read_text():
                worker = int(found.group(1))
            time.sleep(0.2)
        assert worker is not None and _alive(worker), out.read_text()[-2000:]
        served.send_signal(signal.SIGTERM)
        assert served.wait(timeout=40) == 0, out.read_text()[-2000:]
        assert not _alive(worker), "the worker outlived the server"
    finally:
        if served.poll() is None:
            served.kill()
        if worker is not None and _alive(worker):
            os.kill(worker, signal.SIGKILL)
