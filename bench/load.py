"""Play a live event against `cairn serve --workers N` on PostgreSQL, for N = 1, 2, 4.

    python bench/load.py [--participants 500] [--seconds 20] [--processes 1,2,4] [--json]

Loopback only, bounded: each setting runs `--seconds` and the whole run stops by
itself (well under 15 minutes at the defaults). Per setting it starts the web
server, then, at once:

- `participants` members, in breakout rooms of 8, poll their room's board every
  3 s (as board.js does) and each posts a note about once a minute;
- 50 registration POSTs a second at a fresh 25-place event, from 150 members,
  many of them twice (double clicks, two tabs);
- a few anonymous visitors read the public report (or the public home page).

It prints requests/s, p50/p95/p99 latency and errors, board-poll p95 (over the
whole setting, and over the polls sent after its first 10 s, once the opening
rush of 500 first polls and 150 first registrations has been served), the time
until a posted note is visible to another member of its room, and whether any
registration was overfilled or duplicated. `--json` prints one line per setting.

The client is a small asyncio HTTP/1.1 client in this same process: on a small
machine it competes with the servers for the CPU, so read the figures as a lower
bound and compare settings within one run. Each participant and visitor keeps one
connection open between requests, as a browser does (HTTP keep-alive: `cairn
serve` keeps an idle one 5 s, longer than a board's 3 s between polls); each
registration POST opens a connection of its own, the costlier way.
DATABASE_URL names the PostgreSQL database (created and migrated when missing; without
it, the bench's own cairn_bench_load is made anew for each run, so runs compare);
CAIRN_REDIS_URL, when set, gives the servers one shared cache (as in production).
"""

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/cairn_bench_load"
ROOM = 8
CAPACITY = 25
REGISTRANTS = 150
REGISTRATIONS_PER_SECOND = 50
POLL_SECONDS = 3.0
NOTE_EVERY_SECONDS = 60.0
VISITORS = 5
OPENING_SECONDS = 10.0
CSRF = "b" * 32  # an unmasked secret is a valid token; it saves a GET per POST


# --- a very small HTTP client --------------------------------------------------------------


def _request_bytes(method, path, cookie, body, headers, keep_alive) -> bytes:
    lines = [
        f"{method} {path} HTTP/1.1",
        "Host: 127.0.0.1",
        "Connection: keep-alive" if keep_alive else "Connection: close",
    ]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    data = body.encode()
    if method == "POST":
        lines += [
            "Content-Type: application/x-www-form-urlencoded",
            f"Content-Length: {len(data)}",
            "Referer: http://127.0.0.1/",
        ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


def _parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    found = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        found[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), found


async def http(
    port: int, method: str, path: str, *, cookie: str = "", body: str = "", headers=None
) -> tuple[int, dict[str, str], bytes]:
    """One request on a connection of its own, closed after the answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(_request_bytes(method, path, cookie, body, headers, keep_alive=False))
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    head, _, rest = raw.partition(b"\r\n\r\n")
    status, found = _parse_head(head)
    if found.get("transfer-encoding") == "chunked":
        rest = _unchunk(rest)
    return status, found, rest


class Browser:
    """One person's persistent HTTP/1.1 connection, as a browser keeps one to a site.

    Requests go one after the other on it. When the server has closed it meanwhile (its
    keep-alive timeout), the request is sent again once on a new connection, as browsers
    do, but only when not a byte of an answer had come back."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def http(
        self, method: str, path: str, *, cookie: str = "", body: str = "", headers=None
    ) -> tuple[int, dict[str, str], bytes]:
        try:
            for attempt in (1, 2):
                reused = self.writer is not None
                if not reused:
                    self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
                try:
                    self.writer.write(_request_bytes(method, path, cookie, body, headers, True))
                    await self.writer.drain()
                    head = await self.reader.readuntil(b"\r\n\r\n")
                except (ConnectionError, asyncio.IncompleteReadError) as exc:
                    self.close()
                    nothing_back = not getattr(exc, "partial", b"")
                    if reused and nothing_back and attempt == 1:
                        continue
                    raise
                status, found = _parse_head(head[:-4])
                data = await self._body(status, found)
                if found.get("connection", "").lower() == "close":
                    self.close()
                return status, found, data
        except BaseException:
            self.close()  # cut short (a timeout): what is left on it belongs to no one
            raise
        raise ConnectionError("unreachable")

    async def _body(self, status: int, found: dict[str, str]) -> bytes:
        if status in (204, 304) or status < 200:
            return b""
        if "content-length" in found:
            return await self.reader.readexactly(int(found["content-length"]))
        if found.get("transfer-encoding") == "chunked":
            out = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    return out
                out += chunk[:-2]
        data = await self.reader.read()  # no length: the answer ends with the connection
        self.close()
        return data


def _unchunk(data: bytes) -> bytes:
    out = b""
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += data[:size]
        data = data[size + 2 :]
    return out


# --- the data: a board event with rooms, a 25-place event per setting -----------------------


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")
    # As in production: confirmations go on the task queue (no worker runs during the
    # bench, so none is sent) and no mail server is needed.
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    # The sessions made here are signed with the key the servers will read: one kept key in
    # a folder of the bench's own (a server left to make its own would log everyone out).
    from cairn.lib.secret_key import load_or_create_key

    data_dir = Path(tempfile.mkdtemp(prefix="cairn-load-"))
    load_or_create_key(data_dir)
    os.environ["CAIRN_DATA_DIR"] = str(data_dir)
    import django

    django.setup()


def ensure_database(database_url: str) -> None:
    """Create the database when missing; the bench's own one is made anew for every run.

    Each run adds members, sessions and notes: on a database kept from earlier runs the
    1-process poll p95 read 110-660 ms where a fresh one read 36 ms, so runs were not
    comparable. A database named in DATABASE_URL is someone's own and is never dropped.
    """
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if database_url == DEFAULT_DB:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def session_for(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"sessionid={store.session_key}; csrftoken={CSRF}"


def prepare(participants: int) -> dict:
    """Members with sessions (no password hashing), rooms of 8, and a public page."""
    from datetime import timedelta

    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from cairn.core.roles import Role
    from cairn.events.models import BreakoutGroup, BreakoutTheme, Event, EventStatus
    from cairn.members.models import Person

    group, _ = Group.objects.get_or_create(name=Role.MEMBER.group_name)
    needed = participants + REGISTRANTS
    have = User.objects.filter(username__startswith="load-").count()
    for i in range(have, needed):
        user = User.objects.create_user(username=f"load-{i:05d}", password=None)
        user.groups.add(group)
        Person.objects.create(user=user, first_name=f"Load{i}", email=f"load{i}@example.org")
    users = list(
        User.objects.filter(username__startswith="load-").select_related("person").order_by("pk")
    )[:needed]
    start = timezone.now() + timedelta(days=7)
    event = Event.objects.create(
        title=f"Live event {timezone.now():%H:%M:%S}",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status=EventStatus.OPEN,
    )
    theme = BreakoutTheme.objects.create(event=event, name="Everything")
    rooms = []
    for number, first in enumerate(range(0, participants, ROOM)):
        room = BreakoutGroup.objects.create(event=event, theme=theme, name=f"Room {number + 1}")
        members = [u.person for u in users[first : first + ROOM]]
        room.members.add(*members)
        rooms.append(
            {
                "id": room.pk,
                "url": f"/events/{event.pk}/groups/{room.pk}/",
                "members": [session_for(u) for u in users[first : first + ROOM]],
            }
        )
    registrants = [session_for(u) for u in users[participants:needed]]
    return {"rooms": rooms, "registrants": registrants, "public": public_page()}


def public_page() -> str:
    from cairn.reports.models import Report

    published = Report.objects.filter(published_at__isnull=False).first()
    return published.get_public_url() if published else "/"


def new_registration_event() -> int:
    from datetime import timedelta

    from django.utils import timezone

    from cairn.events.models import Event, EventStatus

    start = timezone.now() + timedelta(days=3)
    return Event.objects.create(
        title=f"25 places {timezone.now():%H:%M:%S.%f}",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        capacity=CAPACITY,
        status=EventStatus.OPEN,
    ).pk


def mark_newest_notes(rooms: list[dict]) -> None:
    from django.db.models import Max

    from cairn.contributions.models import Contribution

    newest = dict(
        Contribution.objects.filter(breakout_group_id__in=[r["id"] for r in rooms])
        .values("breakout_group_id")
        .annotate(last=Max("pk"))
        .values_list("breakout_group_id", "last")
    )
    for room in rooms:
        room["last"] = newest.get(room["id"], 0)


def registration_outcome(event_id: int) -> tuple[int, int]:
    from django.db.models import Count

    from cairn.events.models import Registration, RegistrationStatus

    active = Registration.objects.filter(event_id=event_id).exclude(
        status=RegistrationStatus.CANCELLED
    )
    registered = active.filter(status=RegistrationStatus.REGISTERED).count()
    twice = active.values("person").annotate(n=Count("id")).filter(n__gt=1).count()
    return max(0, registered - CAPACITY), twice


# --- the load ------------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    # (when it was sent, how long it took): polls after the opening are told apart below.
    poll_times: list[tuple[float, float]] = field(default_factory=list)
    started: float = 0.0
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    posted: dict[str, tuple[float, str]] = field(default_factory=dict)
    seen: dict[str, float] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


async def timed(tally: Tally, kind: str, call, ok=(200, 201, 204, 302, 304)):
    start = time.perf_counter()
    try:
        status, headers, body = await asyncio.wait_for(call, timeout=30)
    except (TimeoutError, OSError, EOFError, ValueError, IndexError) as exc:
        tally.error(f"{kind}: {type(exc).__name__}")
        return None
    elapsed = time.perf_counter() - start
    tally.latencies.append(elapsed)
    if kind == "poll":
        tally.poll_times.append((start, elapsed))
    if status not in ok:
        tally.error(f"{kind}: HTTP {status}")
        return None
    if "/accounts/login/" in headers.get("location", ""):
        tally.error(f"{kind}: sent to log in")  # a bench whose sessions fail measures nothing
        return None
    return status, headers, body


NOTE_ID = re.compile(rb'data-note-id="(\d+)"')


async def participant(port, tally, room, cookie, me, until, note_every=NOTE_EVERY_SECONDS):
    browser = Browser(port)
    try:
        await _participate(browser, tally, room, cookie, me, until, note_every)
    finally:
        browser.close()


async def _participate(browser, tally, room, cookie, me, until, note_every):
    await asyncio.sleep(random.uniform(0, POLL_SECONDS))
    # As a browser that has just loaded the board page: it polls for notes after the newest
    # one the page showed (so notes left by an earlier setting are not fetched again).
    last = room.get("last", 0)
    next_note = time.monotonic() + random.uniform(0, note_every)
    while time.monotonic() < until:
        now = time.monotonic()
        if now >= next_note:
            next_note = now + note_every
            body = f"csrfmiddlewaretoken={CSRF}&text=Note+from+{me}+at+{now:.3f}"
            sent_at = time.perf_counter()
            got = await timed(
                tally,
                "note",
                browser.http(
                    "POST",
                    room["url"],
                    cookie=cookie,
                    body=body,
                    headers={"X-Requested-With": "fetch"},
                ),
            )
            if got and got[1].get("x-note-id"):
                tally.posted[got[1]["x-note-id"]] = (sent_at, me)
        got = await timed(
            tally,
            "poll",
            browser.http(
                "GET",
                f"{room['url']}notes/?after={last}",
                cookie=cookie,
                headers={"X-Requested-With": "fetch"},
            ),
        )
        if got and got[0] == 200:
            for note_id in NOTE_ID.findall(got[2]):
                key = note_id.decode()
                last = max(last, int(key))
                author = tally.posted.get(key, (0, me))[1]
                if author != me and key not in tally.seen:
                    tally.seen[key] = time.perf_counter()
        await asyncio.sleep(POLL_SECONDS)


async def registrations(port, tally, registrants, event_id, until, per_second):
    url = f"/events/{event_id}/register/"
    pending = set()
    while per_second and time.monotonic() < until:
        for _ in range(max(1, per_second // 10)):
            cookie = random.choice(registrants)  # some twice: double clicks, two tabs
            call = http(port, "POST", url, cookie=cookie, body=f"csrfmiddlewaretoken={CSRF}")
            pending.add(asyncio.ensure_future(timed(tally, "register", call)))
        await asyncio.sleep(0.1)
    await asyncio.gather(*pending)


async def visitor(port, tally, path, until):
    browser = Browser(port)
    try:
        while time.monotonic() < until:
            await timed(tally, "public", browser.http("GET", path))
            await asyncio.sleep(1.0)
    finally:
        browser.close()


async def play(port, data, seconds, event_id, per_second, note_every) -> tuple[Tally, float]:
    tally = Tally()
    until = time.monotonic() + seconds
    started = tally.started = time.perf_counter()
    jobs = [
        participant(port, tally, room, cookie, f"{r}-{m}", until, note_every)
        for r, room in enumerate(data["rooms"])
        for m, cookie in enumerate(room["members"])
    ]
    jobs.append(registrations(port, tally, data["registrants"], event_id, until, per_second))
    jobs += [visitor(port, tally, data["public"], until) for _ in range(VISITORS)]
    await asyncio.gather(*jobs)
    return tally, time.perf_counter() - started


# --- one setting ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    processes: int, port: int, threads: int, kind: str = "gunicorn"
) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "cairn.cli", "serve", "--no-migrate", "--no-worker",
        "--port", str(port), "--workers", str(processes), "--threads", str(threads),
        "--server", kind,
    ]  # fmt: skip
    server = subprocess.Popen(
        command, cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit(f"the server with {processes} processes did not start")


def process_tree_cpu(root: int, reaped: bool = False) -> float:
    """CPU seconds used so far by a process and its children (Linux /proc; 0 elsewhere).

    `reaped` adds what the root's children that have exited used (the root has waited for
    them): PostgreSQL's server reaps a backend when its connection closes."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.parent.name)
        parents[pid] = int(fields[1])
        times[pid] = (int(fields[11]) + int(fields[12])) / ticks
        if reaped and pid == root:
            times[pid] += (int(fields[13]) + int(fields[14])) / ticks
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        tree.update(children)
        frontier += children
    return sum(times.get(pid, 0.0) for pid in tree)


def database_server_pid() -> int | None:
    """The PostgreSQL server's main process, when it runs on this machine (else None):
    the parent of the backend serving this connection."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    connection.close()
    try:
        fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1])


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run_setting(
    processes: int,
    participants: int,
    seconds: int,
    threads: int,
    data,
    per_second: int,
    kind: str = "gunicorn",
    note_every: float = NOTE_EVERY_SECONDS,
) -> dict:
    event_id = new_registration_event()
    mark_newest_notes(data["rooms"])
    database = data.get("database_pid")
    port = free_port()
    server = start_server(processes, port, threads, kind)
    try:
        asyncio.run(http(port, "GET", "/health/web/"))  # every process has imported Django
        server_cpu, client_cpu = process_tree_cpu(server.pid), time.process_time()
        database_cpu = process_tree_cpu(database, reaped=True) if database else 0.0
        tally, elapsed = asyncio.run(play(port, data, seconds, event_id, per_second, note_every))
        server_cpu = process_tree_cpu(server.pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
        database_cpu = process_tree_cpu(database, reaped=True) - database_cpu if database else 0.0
        time.sleep(POLL_SECONDS)  # let the last notes be seen before counting
    finally:
        server.terminate()
        server.wait(timeout=30)
    from django.db import connection

    connection.close()
    overfilled, duplicates = registration_outcome(event_id)
    visible = [tally.seen[k] - t for k, (t, _) in tally.posted.items() if k in tally.seen]
    return {
        "processes": processes,
        "server": kind,
        "participants": participants,
        "rps": round(len(tally.latencies) / elapsed, 1),
        "p50_ms": round(1000 * percentile(tally.latencies, 50), 1),
        "p95_ms": round(1000 * percentile(tally.latencies, 95), 1),
        "p99_ms": round(1000 * percentile(tally.latencies, 99), 1),
        "errors": tally.errors,
        "note_visible_p95_s": round(percentile(visible, 95), 2) if visible else None,
        "overfilled": overfilled,
        "duplicates": duplicates,
        "poll_p95_ms": round(1000 * percentile([e for _, e in tally.poll_times], 95), 1),
        # Every board opens within the first 3 s (its first poll takes the full check) while
        # most first registrations arrive: polls sent after OPENING_SECONDS show what the
        # event costs once that queue has drained; None when the setting is not longer.
        "poll_p95_after_opening_ms": (
            round(1000 * percentile(later, 95), 1)
            if (later := [e for s, e in tally.poll_times if s - tally.started >= OPENING_SECONDS])
            else None
        ),
        "notes_posted": len(tally.posted),
        "notes_unseen": len(tally.posted) - len(visible),
        "requests": len(tally.latencies),
        "error_kinds": tally.error_kinds,
        # CPU per request, which other work on the machine does not inflate as it does latency.
        "server_cpu_ms": round(1000 * server_cpu / max(1, len(tally.latencies)), 2),
        "client_cpu_ms": round(1000 * client_cpu / max(1, len(tally.latencies)), 2),
        # PostgreSQL's processes, all of them: other work on the same server counts too.
        "database_cpu_ms": round(1000 * database_cpu / max(1, len(tally.latencies)), 2),
        # The machine's cores the three of them kept busy, on average, while the event played.
        "cores_busy": round((server_cpu + client_cpu + database_cpu) / elapsed, 2),
        "mean_ms": round(1000 * statistics.fmean(tally.latencies), 1) if tally.latencies else 0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--seconds", type=int, default=20, help="per setting (max 120)")
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument(
        "--waitress",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also play the event against waitress (one process, 8 threads): "
        "what `cairn serve` runs without --workers",
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per web process")
    parser.add_argument(
        "--registrations", type=int, default=REGISTRATIONS_PER_SECOND, help="POSTs a second"
    )
    parser.add_argument(
        "--note-every", type=float, default=NOTE_EVERY_SECONDS, help="seconds between notes"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]  # other work on the machine, which the figures include
    seconds = max(3, min(args.seconds, 120))
    settings = [int(p) for p in args.processes.split(",")]
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    if not database_url.startswith("postgres"):
        raise SystemExit("bench/load.py plays a live event on PostgreSQL: set DATABASE_URL")
    ensure_database(database_url)
    setup_django(database_url)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    data = prepare(args.participants)
    data["database_pid"] = database_server_pid()
    from django.db import connection

    connection.close()
    results = [
        run_setting(
            p, args.participants, seconds, args.threads, data, args.registrations,
            note_every=args.note_every,
        )
        for p in settings
    ]  # fmt: skip
    if args.waitress:
        results.append(
            run_setting(
                1,
                args.participants,
                seconds,
                8,
                data,
                args.registrations,
                "waitress",
                args.note_every,
            )  # fmt: skip
        )
    if args.json:
        for row in results:
            print(json.dumps(row))
        return 0
    cache = "Redis (CAIRN_REDIS_URL)" if os.environ.get("CAIRN_REDIS_URL") else "per process"
    print(
        f"{args.participants} participants, {seconds} s per setting, {os.cpu_count()} CPUs, "
        f"cache {cache}, load average before {load_before:.1f}, after {os.getloadavg()[0]:.1f}"
    )
    head = ("server", "procs", "req/s", "p50 ms", "p95 ms", "p99 ms", "poll p95",
            f"after {OPENING_SECONDS:.0f} s", "errors",
            "note p95 s", "notes", "unseen", "overfilled", "duplicates", "srv cpu ms",
            "cli cpu ms", "db cpu ms", "cores busy")  # fmt: skip
    print("  ".join(f"{h:>10}" for h in head))
    for r in results:
        cells = (r["server"], r["processes"], r["rps"], r["p50_ms"], r["p95_ms"], r["p99_ms"],
                 r["poll_p95_ms"], r["poll_p95_after_opening_ms"], r["errors"],
                 r["note_visible_p95_s"], r["notes_posted"],
                 r["notes_unseen"], r["overfilled"], r["duplicates"], r["server_cpu_ms"],
                 r["client_cpu_ms"], r["database_cpu_ms"], r["cores_busy"])  # fmt: skip
        print("  ".join(f"{c!s:>10}" for c in cells))
        if r["error_kinds"]:
            print(f"{'':>10}  errors: {r['error_kinds']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
