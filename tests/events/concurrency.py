"""Fire many registrations at one event at the same moment, from many threads.

Each thread has its own database connection, as each web worker would. Used by
test_concurrency.py in-process (PostgreSQL) and by `python -m
tests.events.concurrency DB_PATH` in a fresh process on a SQLite file (the
test suite's SQLite database is in memory, where locking works differently
from the file a real deployment uses).
"""

import json
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

CAPACITY = 25
REQUESTS = 200
PEOPLE = 150  # 50 people send their registration twice, at the same moment


def fire(event_id: int, people: list, *, workers: int) -> dict:
    from django.db import connection

    from cairn.events.services.registration import register

    requests = people + people[: REQUESTS - len(people)]
    barrier = threading.Barrier(min(workers, len(requests)))
    errors: list[str] = []
    started = threading.local()

    def one(person) -> str | None:
        if not getattr(started, "done", False):
            started.done = True
            barrier.wait()  # every worker starts together
        try:
            return register(event_id, person).status
        except Exception as exc:  # noqa: BLE001 - a lost request is what we count
            errors.append(f"{type(exc).__name__}: {exc}")
            return None

    def run(person):
        try:
            return one(person)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        answers = list(pool.map(run, requests))
    return outcome(event_id, answers, errors, len(set(p.pk for p in people)))


def fire_visitors(event_id: int, emails: list[str], *, workers: int) -> dict:
    """The same race through the public page's service: visitors without an account,
    each matched or created by email inside the registration's lock."""
    from django.db import connection

    from cairn.events.services.registration import register_visitor

    requests = emails + emails[: REQUESTS - len(emails)]
    barrier = threading.Barrier(min(workers, len(requests)))
    errors: list[str] = []
    started = threading.local()

    def run(email: str) -> str | None:
        try:
            if not getattr(started, "done", False):
                started.done = True
                barrier.wait()
            details = {"first_name": email.split("@")[0], "last_name": "Visitor", "email": email}
            return register_visitor(event_id, details)[0].status
        except Exception as exc:  # noqa: BLE001 - a lost request is what we count
            errors.append(f"{type(exc).__name__}: {exc}")
            return None
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        answers = list(pool.map(run, requests))
    return outcome(event_id, answers, errors, len(set(emails)))


def outcome(event_id: int, answers: list, errors: list[str], people: int) -> dict:
    from cairn.events.models import Registration

    rows = list(Registration.objects.filter(event_id=event_id).values_list("person_id", "status"))
    per_person = Counter(pid for pid, _ in rows)
    return {
        "requests": len(answers),
        "answered": sum(1 for a in answers if a),
        "errors": errors[:5],
        "error_count": len(errors),
        "people": people,
        "rows": len(rows),
        "registered": sum(1 for _, s in rows if s == "registered"),
        "waitlisted": sum(1 for _, s in rows if s == "waitlisted"),
        "doubles": sum(1 for n in per_person.values() if n > 1),
    }


def make_event_and_people() -> tuple[int, list]:
    from datetime import timedelta

    from django.utils import timezone

    from cairn.events.models import Event, EventStatus
    from cairn.members.models import Person

    start = timezone.now() + timedelta(days=7)
    event = Event.objects.create(
        title="Popular event",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        capacity=CAPACITY,
        status=EventStatus.OPEN,
    )
    people = [
        Person.objects.create(first_name=f"P{i}", last_name="Racer", email=f"p{i}@example.org")
        for i in range(PEOPLE)
    ]
    return event.pk, people


def main(db_path: str, mode: str = "IMMEDIATE") -> int:
    import os

    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "cairn.settings_test"
    import django
    from django.conf import settings

    django.setup()
    import logging

    logging.getLogger("django.tasks").setLevel(logging.CRITICAL)
    settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] = mode
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    event_id, people = make_event_and_people()
    print(json.dumps(fire(event_id, people, workers=REQUESTS)))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
