"""How long the breakout allocation and the chat import take, to decide what a page may
do in its request and what goes to the worker.

    python bench/page_work.py [--people 300] [--messages 3000]

On a fresh SQLite file (PostgreSQL when DATABASE_URL names one): an event with four
themes and --people registered (one in ten a facilitator, two preferences each), and a
Zoom chat of --messages lines by those people. Prints one JSON object per measurement:
the allocation's preview (dry run) and its write, the chat import's check (dry run)
and its write.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SECTORS = ["community", "third_sector", "public_service", "private", "funder"]


def setup_django(db_path: str) -> None:
    if "DATABASE_URL" not in os.environ or "sqlite" in os.environ["DATABASE_URL"]:
        os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if "postgres" in os.environ["DATABASE_URL"]:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)


def make_event(people: int):
    from django.utils import timezone

    from cairn.events.models import (
        BreakoutPreference,
        BreakoutRole,
        BreakoutTheme,
        Event,
        EventStatus,
        Registration,
        RegistrationStatus,
    )
    from cairn.members.models import Person

    start = timezone.now() - timedelta(hours=1)
    event = Event.objects.create(
        title="Bench event", starts_at=start, ends_at=start + timedelta(hours=2),
        status=EventStatus.OPEN,
    )  # fmt: skip
    themes = [
        BreakoutTheme.objects.create(event=event, name=n, position=i, room_capacity=8)
        for i, n in enumerate(["Technology", "Sustainability", "Positive signs", "Private"])
    ]
    persons = Person.objects.bulk_create(
        Person(first_name=f"First{i}", last_name=f"Last{i}", sector=SECTORS[i % len(SECTORS)],
               email=f"p{i}@example.org")
        for i in range(people)
    )  # fmt: skip
    regs = Registration.objects.bulk_create(
        Registration(event=event, person=p, status=RegistrationStatus.REGISTERED,
                     breakout_role=BreakoutRole.FACILITATOR if i % 10 == 0 else "")
        for i, p in enumerate(persons)
    )  # fmt: skip
    BreakoutPreference.objects.bulk_create(
        BreakoutPreference(registration=r, theme=themes[(i + k) % 4], rank=k + 1)
        for i, r in enumerate(regs)
        for k in range(2)
    )
    return event, persons


def chat_file(persons: list, messages: int) -> bytes:
    lines = []
    for i in range(messages):
        p = persons[i % len(persons)]
        minute, second = divmod(i * 2 % 3600, 60)
        lines.append(
            f"10:{minute:02d}:{second:02d} From {p.first_name} {p.last_name} to Everyone:\n"
            f"\tMessage number {i} about the breakout themes\n"
        )
    return "".join(lines).encode()


def timed(label: str, fn, **extra) -> None:
    start = time.perf_counter()
    fn()
    print(json.dumps({"work": label, "seconds": round(time.perf_counter() - start, 3), **extra}))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--messages", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(str(Path(tmp) / "bench.sqlite3"))
        from cairn.events.services.breakouts import allocate_event
        from cairn.events.services.chat_import import import_chat

        event, persons = make_event(args.people)
        n = {"people": args.people}
        timed("allocation preview", lambda: allocate_event(event.pk, actor=None, dry_run=True), **n)
        timed("allocation write", lambda: allocate_event(event.pk, actor=None), **n)
        data = chat_file(persons, args.messages)
        m = {"messages": args.messages, "kib": len(data) // 1024}
        for dry_run in (True, False):
            label = "chat check" if dry_run else "chat import"
            timed(label, lambda d=dry_run: import_chat(event, data, "chat.txt", actor=None,
                                                       dry_run=d), **m)  # fmt: skip


if __name__ == "__main__":
    main()
