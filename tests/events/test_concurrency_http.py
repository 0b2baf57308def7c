"""The 200-simultaneous-registrations race through real web servers: `cairn serve
--workers 1` and `--workers 2` (gunicorn) on PostgreSQL, over HTTP on loopback.

test_concurrency.py runs the race on the registration service in threads of one
process; here the requests cross process boundaries, as they do behind a load balancer,
so only the database's locks keep a 25-place event from being overfilled.
"""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.events import concurrency

ROOT = Path(__file__).resolve().parents[2]
CSRF = "c" * 32  # an unmasked secret is a valid token: no GET before each POST

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="several web processes share one database only on PostgreSQL; "
        "SQLite serves one machine (its race is in test_concurrency.py)",
    ),
    pytest.mark.django_db(transaction=True),
    # With bench/load.py's test: web servers that collect static files into one STATIC_ROOT
    # take turns on one xdist worker rather than run side by side.
    pytest.mark.xdist_group("web-servers"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def _serve(processes: int, port: int, log: Path, out) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cairn.settings_test",
        "DATABASE_URL": _database_url(),  # the test database, committed rows and all
        "SECRET_KEY": settings.SECRET_KEY,  # so the sessions made here are valid there
        "PYTHONPATH": str(ROOT),
    }
    server = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        [
            sys.executable,
            "-m",
            "cairn.cli",
            "serve",
            "--no-migrate",
            "--no-worker",
            "--server",
            "gunicorn",
            "--workers",
            str(processes),
            "--threads",
            "4",
            "--port",
            str(port),
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=out,  # a file, not a pipe nobody reads (a full pipe blocks the server)
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server stopped: {log.read_text()[-2000:]}")
        try:
            status = _request(port, "GET", "/health/web/", "")
        except OSError:
            time.sleep(0.3)
            continue
        if status == 200:
            return server
    server.kill()
    pytest.fail("the server did not start within a minute")


def _request(port: int, method: str, path: str, cookie: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        body = f"csrfmiddlewaretoken={CSRF}" if method == "POST" else None
        headers = {"Cookie": cookie, "Referer": f"http://127.0.0.1:{port}/"}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        return conn.getresponse().status
    finally:
        conn.close()


def _members_with_sessions(people: list) -> list[str]:
    """A login and a session for each person, made here (no password hashing)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group, User
    from django.contrib.sessions.backends.db import SessionStore

    from cairn.core.roles import Role

    group, _ = Group.objects.get_or_create(name=Role.MEMBER.group_name)
    cookies = []
    for person in people:
        user = User.objects.create_user(username=f"racer-{person.pk}", password=None)
        user.groups.add(group)
        person.user = user
        person.save(update_fields=["user"])
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        cookies.append(f"sessionid={store.session_key}; csrftoken={CSRF}")
    return cookies


@pytest.mark.parametrize("processes", [1, 2])
def test_200_simultaneous_registrations_through_web_processes_never_overfill_or_double(
    processes, tmp_path, settings
):
    # The server refuses the public demo key; sessions made here are signed with this one.
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    event_id, people = concurrency.make_event_and_people()
    cookies = _members_with_sessions(people)
    # 150 members; 50 of them send it twice at the same moment (double click, two tabs).
    requests = cookies + cookies[: concurrency.REQUESTS - len(cookies)]
    port = _free_port()
    log = tmp_path / "server.log"
    barrier = threading.Barrier(len(requests))

    def one(cookie: str) -> int | str:
        barrier.wait()  # every request leaves together
        try:
            return _request(port, "POST", f"/events/{event_id}/register/", cookie)
        except OSError as exc:
            return f"{type(exc).__name__}: {exc}"

    with log.open("w") as out:
        server = _serve(processes, port, log, out)
        try:
            with ThreadPoolExecutor(max_workers=len(requests)) as pool:
                answers = list(pool.map(one, requests))
        finally:
            server.terminate()
            server.wait(timeout=30)
    errors = [a for a in answers if a != 302]
    connection.close()  # read what the servers committed
    result = concurrency.outcome(event_id, answers, [str(e) for e in errors], len(people))
    assert result["error_count"] == 0, (result["errors"], log.read_text()[-2000:])
    assert result["registered"] == concurrency.CAPACITY  # full, never overfilled
    assert result["waitlisted"] == concurrency.PEOPLE - concurrency.CAPACITY
    assert result["rows"] == concurrency.PEOPLE  # everyone is somewhere, once
    assert result["doubles"] == 0
