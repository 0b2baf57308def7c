"""What each request of bench/load.py's live event costs the web process: CPU ms and queries.

    python bench/request_costs.py [--repeat 200] [--json]

Calls the WSGI application in this process (no server, no sockets), on PostgreSQL as the
live bench does (DATABASE_URL, else a database of its own, created and migrated), with
the bench's own sessions, rooms and registrations. For each kind of request the live
event sends it prints the median and mean CPU time (`time.process_time`) and the queries
per request. CPU time is what other work on a shared machine inflates least; the
database server's own CPU is not in it (see bench/load.py's srv/cli figures for that).

Kinds, with their share of bench/load.py's ~230 requests a second at 500 participants:
poll-unchanged (~105/s), poll-new (a poll that brings one new note, ~58/s: the first of
the room's members to poll for it, ~8/s, renders it; poll-new-kept: the others, ~50/s),
register-repeat and register-new (50/s together, mostly repeats), note (~8/s),
public (5/s), and poll-first (a session's first poll of a room, the full check).
"""

import argparse
import json
import os
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import load as live  # noqa: E402 - bench/load.py, beside this file

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/cairn_bench_costs"


def environ(method: str, path: str, cookie: str, body: str = "", fetch: bool = False) -> dict:
    path, _, query = path.partition("?")
    data = body.encode()
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(data),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if cookie:
        env["HTTP_COOKIE"] = cookie
    if fetch:
        env["HTTP_X_REQUESTED_WITH"] = "fetch"
    if method == "POST":
        env["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        env["CONTENT_LENGTH"] = str(len(data))
        env["HTTP_REFERER"] = "http://127.0.0.1/"
    return env


class Counter:
    """Counts the queries run through the default connection."""

    def __init__(self) -> None:
        self.n = 0
        self.sql: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        self.sql.append(sql)
        return execute(sql, params, many, context)


def call(app, env: dict, counter: Counter) -> tuple[int, float, int, dict]:
    got: dict = {}

    def start_response(status, headers, exc_info=None):
        got["status"] = int(status.split()[0])
        got["headers"] = dict(headers)

    before_q = counter.n
    counter.sql = []
    start = time.process_time()
    result = app(env, start_response)
    try:
        b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close:
            close()
    cpu = time.process_time() - start
    return got["status"], cpu, counter.n - before_q, got["headers"]


PROFILE: dict = {}
SHOW_SQL: set = set()


def measure(app, counter, kind: str, requests, expect: tuple[int, ...]) -> dict:
    cpus, queries = [], []
    profiler = None
    if kind in PROFILE:
        import cProfile

        profiler = cProfile.Profile(time.process_time)
    for prepare in requests:
        env = prepare()
        if profiler:
            profiler.enable()
        status, cpu, n, headers = call(app, env, counter)
        if profiler:
            profiler.disable()
        if status not in expect:
            raise SystemExit(f"{kind}: HTTP {status} ({headers.get('Location', '')})")
        cpus.append(cpu * 1000)
        queries.append(n)
    if kind in SHOW_SQL:
        print(f"--- {kind}: the queries of its last request ---")
        for sql in counter.sql:
            print(" ", sql[:300])
    if profiler:
        import pstats

        print(f"--- {kind} ---")
        pstats.Stats(profiler).sort_stats(PROFILE[kind]).print_stats(40)
    return {
        "kind": kind,
        "n": len(cpus),
        "cpu_ms_median": round(statistics.median(cpus), 2),
        "cpu_ms_mean": round(statistics.fmean(cpus), 2),
        "queries": round(statistics.fmean(queries), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=200, help="requests per kind")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--profile", action="append", default=[], metavar="KIND",
        help="print cProfile's top functions for this kind (cumulative; KIND:tottime to sort "
        "by own time); repeatable",
    )  # fmt: skip
    parser.add_argument(
        "--sql", action="append", default=[], metavar="KIND",
        help="print the queries of this kind's last request; repeatable",
    )  # fmt: skip
    args = parser.parse_args(argv)
    SHOW_SQL.update(args.sql)
    for name in args.profile:
        kind, _, sort = name.partition(":")
        PROFILE[kind] = sort or "cumulative"
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    if not database_url.startswith("postgres"):
        raise SystemExit("bench/request_costs.py measures on PostgreSQL: set DATABASE_URL")
    live.ensure_database(database_url)
    live.setup_django(database_url)
    from django.core.cache import cache
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    from cairn.events.models import BreakoutGroup
    from cairn.events.services import board

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    data = live.prepare(16)
    app = get_wsgi_application()
    counter = Counter()
    counting = connection.execute_wrapper(counter)  # kept: its exit would stop the count
    counting.__enter__()
    room = data["rooms"][0]
    group = BreakoutGroup.objects.select_related("event", "theme").get(pk=room["id"])
    members = room["members"]
    notes_url = f"{room['url']}notes/"
    repeat = args.repeat
    results = []

    def warm(cookie: str) -> None:
        call(app, environ("GET", f"{notes_url}?after=0", cookie, fetch=True), counter)

    for cookie in members:
        warm(cookie)  # every member holds a poll pass, as after their first poll

    # A poll that hears nothing new.
    last = board.last_note_id(group.pk)

    def unchanged(i=[0]):  # noqa: B006 - a counter kept between calls
        i[0] += 1
        return environ("GET", f"{notes_url}?after={last}", members[i[0] % 8], fetch=True)

    results.append(measure(app, counter, "poll-unchanged", [unchanged] * repeat, (204,)))

    # A session's first poll of its room: the full check (no pass yet).
    def first(i=[0]):  # noqa: B006
        i[0] += 1
        cache.clear()
        return environ("GET", f"{notes_url}?after={last}", members[i[0] % 8], fetch=True)

    results.append(measure(app, counter, "poll-first", [first] * repeat, (204,)))
    for cookie in members:
        warm(cookie)

    # A poll that brings one new note: someone else in the room has just posted one.
    author = live_user(members[0])

    def new_note(i=[0]):  # noqa: B006
        i[0] += 1
        note = board.post_note(group, f"Note {i[0]}", user=author)
        return environ("GET", f"{notes_url}?after={note.pk - 1}", members[1 + i[0] % 7], fetch=True)

    results.append(measure(app, counter, "poll-new", [new_note] * repeat, (200,)))

    # The same note polled by another member of the room, after one member already had it
    # (six of the seven polls that bring each note at a live event).
    kept = board.post_note(group, "A note the whole room polls for", user=author)
    client = call(
        app, environ("GET", f"{notes_url}?after={kept.pk - 1}", members[1], fetch=True), counter
    )
    assert client[0] == 200

    def new_note_kept(i=[0]):  # noqa: B006
        i[0] += 1
        return environ("GET", f"{notes_url}?after={kept.pk - 1}", members[1 + i[0] % 7], fetch=True)

    results.append(measure(app, counter, "poll-new-kept", [new_note_kept] * repeat, (200,)))

    def note(i=[0]):  # noqa: B006
        i[0] += 1
        body = f"csrfmiddlewaretoken={live.CSRF}&text=Posted+note+{i[0]}"
        return environ("POST", room["url"], members[i[0] % 8], body, fetch=True)

    results.append(measure(app, counter, "note", [note] * repeat, (201,)))

    registrants = data["registrants"]
    event_id = live.new_registration_event()
    # New registrations: each registrant once, on as many 25-place events as needed.
    order = []
    while len(order) < repeat:
        order += [(event_id, c) for c in registrants]
        event_id = live.new_registration_event()
    order = order[:repeat]
    posted = set()

    def register_new(i=[0]):  # noqa: B006
        event, cookie = order[i[0]]
        i[0] += 1
        posted.add((event, cookie))
        return environ("POST", f"/events/{event}/register/", cookie, live_body())

    results.append(measure(app, counter, "register-new", [register_new] * repeat, (302,)))
    again = sorted(posted)

    def register_repeat(i=[0]):  # noqa: B006
        event, cookie = again[i[0] % len(again)]
        i[0] += 1
        return environ("POST", f"/events/{event}/register/", cookie, live_body())

    results.append(measure(app, counter, "register-repeat", [register_repeat] * repeat, (302,)))

    def public():
        return environ("GET", data["public"], "")

    results.append(measure(app, counter, "public", [public] * repeat, (200,)))

    if args.json:
        for row in results:
            print(json.dumps(row))
        return 0
    print(f"{repeat} requests per kind, in process, on {connection.vendor}")
    print(f"{'kind':>16}  {'cpu ms p50':>10}  {'cpu ms mean':>11}  {'queries':>7}")
    for r in results:
        print(
            f"{r['kind']:>16}  {r['cpu_ms_median']:>10}  {r['cpu_ms_mean']:>11}  {r['queries']:>7}"
        )
    return 0


def live_body() -> str:
    return f"csrfmiddlewaretoken={live.CSRF}"


def live_user(cookie: str):
    """The user whose session the bench's cookie names."""
    from django.contrib.auth import SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    key = cookie.split(";")[0].split("=", 1)[1]
    return get_user_model().objects.get(pk=SessionStore(key)[SESSION_KEY])


if __name__ == "__main__":
    sys.exit(main())
