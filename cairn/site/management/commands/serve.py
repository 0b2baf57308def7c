"""`cairn serve`: migrate, collect static files, serve the site and start a task worker.

One web process (the default) is served by waitress: pure Python, no fork, so the
two-command start works the same on Linux, macOS and Windows. `--workers N` (N > 1)
serves with gunicorn, N processes of `--threads` threads each, for production on
Linux; WhiteNoise serves the static files in either. Unless `--no-worker`, a
`cairn worker` process runs beside the web server and stops with it.
"""

import os
import signal
import subprocess
import sys
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from cairn.jobs.services import uses_queue


def start_task_worker(stdout) -> subprocess.Popen | None:
    if not uses_queue():
        return None
    command = [sys.executable, "-m", "cairn.cli", "worker", "--verbosity", "0"]
    process = subprocess.Popen(command, env=os.environ.copy())  # noqa: S603 - our own CLI
    stdout.write(f"A task worker is running beside the web server (process {process.pid}).")
    return process


def stop_task_worker(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    # SIGTERM lets it finish the task in hand; a second signal would cut it short.
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def unwind_on_sigterm() -> Any:
    """Make SIGTERM stop the server the way Ctrl-C does, so ``finally`` stops the worker too.

    Python's default for SIGTERM ends the process on the spot: ``kill``, a service
    manager or a container stop left the worker running on its own, still taking tasks,
    and the next start added a second one. Waitress takes the ``SystemExit`` as its
    signal to stop serving; gunicorn's arbiter sets its own handler and exits the same way.
    """
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))


KEEPALIVE_SECONDS = 5


def warm_site() -> Any:
    """The WSGI application with its URLs resolved, so every view module is imported now
    (about 1.3 s of CPU) and not by the first request each process serves: after a restart
    that request is one of hundreds arriving at once (every open board polls)."""
    from django.urls import get_resolver

    # Local: the site is built after collectstatic, so WhiteNoise indexes the collected files.
    from cairn.wsgi import application

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports the URLconf and every app's views
    resolver.reverse_dict  # noqa: B018 - and builds what resolving and reversing read
    return application


def serve_with_gunicorn(host: str, port: int, workers: int, threads: int) -> None:
    from gunicorn.app.base import BaseApplication

    class Cairn(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread" if threads > 1 else "sync")
            # A browser keeps its connection between requests; gunicorn's default (2 s) would
            # close it between a live board's polls (every 3 s), and each poll would pay for
            # a new connection. An idle kept connection waits in the worker's poller, not in
            # a thread (gthread); the sync worker closes every connection anyway.
            self.cfg.set("keepalive", KEEPALIVE_SECONDS)
            self.cfg.set("timeout", 60)
            self.cfg.set("graceful_timeout", 20)
            self.cfg.set("proc_name", "cairn")
            # The site is loaded and warmed once, here, before the workers are forked: each
            # starts ready, together, instead of paying for its own imports during its
            # first requests (the workers that came up first would take every connection
            # that arrived meanwhile, and keep it: a browser's connection stays open).
            self.cfg.set("preload_app", True)
            # gunicorn 24+ opens a control socket in $HOME/.gunicorn; the systemd unit makes
            # the home read-only (ProtectSystem=strict), where it would log "Failed to start
            # control socket" at every start, and Cairn has no use for it.
            if "control_socket_disable" in self.cfg.settings:
                self.cfg.set("control_socket_disable", True)

        def load(self):
            # Local, like waitress below: the site is built after collectstatic.
            application = warm_site()
            # Loaded in gunicorn's arbiter, the workers' parent: none of them may inherit a
            # database connection, which they would then share.
            connections.close_all()
            return application

    Cairn().run()


class Command(BaseCommand):
    help = (
        "Migrate, collect static files and serve Cairn (waitress for one process, "
        "gunicorn for --workers N), with a task worker beside it unless --no-worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="web processes; more than 1 serves with gunicorn (Linux, macOS)",
        )
        parser.add_argument("--threads", type=int, default=8, help="threads per web process")
        parser.add_argument(
            "--server",
            choices=["auto", "waitress", "gunicorn"],
            default="auto",
            help="auto: waitress for one process, gunicorn for more",
        )
        parser.add_argument("--no-migrate", action="store_true", help="Skip migrations.")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Don't start a task worker; run `cairn worker` yourself (production).",
        )

    def handle(
        self,
        *args,
        host: str,
        port: int,
        workers: int,
        threads: int,
        no_migrate: bool,
        no_worker: bool = False,
        server: str = "auto",
        **options,
    ):
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        use_gunicorn = server == "gunicorn" or (server == "auto" and workers > 1)
        if server == "waitress" and workers > 1:
            raise CommandError("waitress serves one process; use --server gunicorn.")
        if use_gunicorn and sys.platform == "win32":
            raise CommandError("--workers needs gunicorn, which does not run on Windows.")
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        if not os.environ.get("SITE_URL"):
            # Links in emails and letters (unsubscribe, invitations) lead to where this
            # server listens, not to the default port; the worker inherits it.
            wildcard = host in ("0.0.0.0", "::", "")  # noqa: S104 - a name for it, no binding
            shown = "127.0.0.1" if wildcard else host
            shown = f"[{shown}]" if ":" in shown else shown
            os.environ["SITE_URL"] = settings.SITE_URL = f"http://{shown}:{port}"
        # Web processes and the worker open their own connections; none is shared.
        connections.close_all()
        worker = None if no_worker else start_task_worker(self.stdout)
        server = f"gunicorn, {workers} processes" if workers > 1 else "waitress"
        if workers > 1 and not settings.REDIS_URL:
            self.stdout.write(
                self.style.WARNING(
                    "Each web process keeps its own cache: login limits per address count "
                    "per process. Set CAIRN_REDIS_URL (pip install -e '.[redis]') to share one."
                )
            )
        self.stdout.write(
            self.style.SUCCESS(f"Cairn is serving on http://{host}:{port}/ ({server})")
        )
        self.stdout.flush()
        previous = unwind_on_sigterm()
        try:
            if use_gunicorn:
                serve_with_gunicorn(host, port, workers, threads)
            else:
                # Imported after collectstatic so WhiteNoise indexes the collected files.
                from waitress import serve

                serve(warm_site(), host=host, port=port, threads=threads, ident="cairn")
        except OSError as exc:
            raise CommandError(f"Cannot listen on {host}:{port}: {exc}") from exc
        finally:
            stop_task_worker(worker)
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
