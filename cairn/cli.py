"""The `cairn` command: Cairn's own commands plus every Django management command."""

import os
import sys
from pathlib import Path

from cairn.lib.env import env_bool
from cairn.lib.secret_key import DEMO_KEY, load_or_create_key

CAIRN_COMMANDS = [
    ("demo", "load the demo network if the database is empty, then serve it"),
    ("demo --no-serve", "load the demo only, into whatever DATABASE_URL names"),
    ("serve", "migrate and serve the site (127.0.0.1:8000) with a task worker beside it"),
    ("serve --workers N --no-worker", "N gunicorn web processes; run workers apart"),
    ("worker", "run background tasks and schedules (as many as you like, any machine)"),
    ("migrate", "create or update the database tables"),
    ("createsuperuser", "create a coordinator account with admin access"),
    ("allocate EVENT_ID [--dry-run]", "allocate breakout groups and print their quality"),
    ("import-chat EVENT_ID FILE [--dry-run]", "import a Zoom chat or .vtt transcript"),
    ("send-reminders", "send event reminders that are due (run it from a timer)"),
    ("import-members FILE", "import people from CSV/XLSX (--dry-run, --map COLUMN=field)"),
    ("retry-emails", "resend emails that failed while the mail server was down (cron)"),
    ("consultation paper-forms ID --out F", "print coded paper forms for everyone due one"),
    ("consultation import ID FILE.csv", "import responses from another survey tool's CSV"),
    ("ingest-email FILE.eml", "post an emailed reply to its conversation (- for stdin)"),
    ("send-digests", "send followers the new posts in their conversations (cron)"),
    ("report EVENT_ID --format pdf --out FILE", "render an event's report (html, pdf, docx, md)"),
    ("briefing --events 1,2 --format pdf --out FILE", "a lessons briefing across events"),
    (
        "synthesize IN.csv --text-column T --out F",
        "themes from a CSV, no database (.json .html .md .csv)",
    ),
    ("help", "list every command, Django's included"),
]


def _usage() -> str:
    lines = ["usage: cairn COMMAND [options]", "", "Cairn commands:"]
    width = max(len(name) for name, _ in CAIRN_COMMANDS)
    lines += [f"  {name.ljust(width)}  {text}" for name, text in CAIRN_COMMANDS]
    lines += [
        "",
        "Every Django management command also works through cairn (for example",
        "`cairn check --deploy`). Run `cairn help COMMAND` for a command's options.",
        "Settings come from the environment: DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS.",
    ]
    return "\n".join(lines)


def _prepare_secret_key() -> str:
    """Outside the demo, never serve on the public demo key (anyone could forge links).

    With no SECRET_KEY, a random key is made once and kept (0600) in the data
    folder, where settings read it; returns why serving must stop, or "".
    """
    if env_bool("CAIRN_DEMO", False):
        return ""
    given = os.environ.get("SECRET_KEY", "")
    if given == DEMO_KEY:
        return (
            "cairn: SECRET_KEY is the public demo key; anyone could forge signed links "
            "(unsubscribe, invitations). Set a long random SECRET_KEY, or unset it and "
            "Cairn makes one and keeps it in the data folder."
        )
    if not given:
        folder = Path(os.environ.get("CAIRN_DATA_DIR") or Path(__file__).resolve().parent.parent)
        load_or_create_key(folder)
    return ""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help"}:
        print(_usage())
        return 0
    if argv[0] == "--version":
        from cairn import __version__

        print(f"cairn {__version__}")
        return 0
    if argv[0] == "synthesize" or argv[:2] == ["help", "synthesize"]:
        # The synthesis library has its own CLI and needs no Django or database.
        from cairn.synthesis.cli import main as synthesize_main

        return synthesize_main(argv[1:] if argv[0] == "synthesize" else ["--help"])
    if argv[0] == "demo":
        # Read by settings: the demo catches its email for the "Sent mail" page.
        os.environ.setdefault("CAIRN_DEMO", "1")
    elif argv[0] in {"serve", "worker"} and (problem := _prepare_secret_key()):
        print(problem, file=sys.stderr)
        return 2
    if problem := _server_settings_unread(argv[0]):
        print(problem, file=sys.stderr)
        return 1
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    if problem := _missing_database(argv[0]):
        print(problem, file=sys.stderr)
        return 1
    try:
        execute_from_command_line(["cairn", *argv])
    except DatabaseError as error:
        if not _unmigrated(error):
            raise
        first_line = str(error).strip().splitlines()[0]
        print(
            f"cairn: the database {_database_name()} has no Cairn tables yet ({first_line}); "
            "run `cairn migrate` first, or `scripts/demo.sh` for the demo.",
            file=sys.stderr,
        )
        return 1
    return 0


# The settings file of a server set up by deploy/README.md, which `cairn-admin` reads.
SERVER_SETTINGS = "/etc/cairn/cairn.env"


def _server_settings_unread(command: str) -> str:
    """On a server with its settings in /etc/cairn/cairn.env, a command typed without them
    (`.venv/bin/cairn migrate`, or a cron line) would quietly make and fill the demo's
    SQLite file: the coordinator created that way could never log in to the real site."""
    if command in {"demo", "help"} or os.environ.get("DATABASE_URL"):
        return ""
    settings_file = os.environ.get("CAIRN_ENV") or SERVER_SETTINGS
    if not os.path.exists(settings_file):
        return ""
    return (
        f"cairn: DATABASE_URL is not set, so this would use the demo's SQLite file, but "
        f"this server's settings are in {settings_file}: run `sudo cairn-admin {command}`, "
        "which reads them (deploy/README.md), or set DATABASE_URL."
    )


# Commands that only make sense on a database that already holds Cairn's tables; run on a
# SQLite file that does not exist, they would create an empty one and then fail.
NEEDS_DATA = {
    "allocate",
    "briefing",
    "consultation",
    "import-chat",
    "import-members",
    "ingest-email",
    "report",
    "retry-emails",
    "send-digests",
    "send-reminders",
}


def _database_name() -> str:
    from django.conf import settings

    return str(settings.DATABASES["default"].get("NAME", ""))


def _missing_database(command: str) -> str:
    from django.conf import settings

    database = settings.DATABASES["default"]
    if command not in NEEDS_DATA or "sqlite" not in database.get("ENGINE", ""):
        return ""
    name = str(database.get("NAME", ""))
    if name == ":memory:" or os.path.exists(name):
        return ""
    return (
        f"cairn: there is no database at {name}; run `cairn migrate` (or `scripts/demo.sh` "
        "for the demo) first, or set DATABASE_URL to the database to use."
    )


def _unmigrated(error: Exception) -> bool:
    text = str(error).lower()
    return "no such table" in text or ("relation" in text and "does not exist" in text)


if __name__ == "__main__":
    sys.exit(main())
