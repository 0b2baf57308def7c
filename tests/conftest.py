"""Shared fixtures: named people in defined roles (alice coordinates, bob
facilitates, charlie is a member) and the demo network."""

import os

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from cairn.core.roles import Role
from cairn.members.models import Consent, ConsentMethod, Organisation, Person, Sector


def pytest_collection_modifyitems(config, items):
    # Browser tests run last: Playwright's sync API leaves an event loop running in the
    # main thread for the rest of the session, and code that calls async_to_sync (the
    # health checks, for one) refuses to run under it.
    items.sort(key=lambda item: "tests/e2e/" in str(item.fspath))
    if os.environ.get("CAIRN_SKIP_ANY_DATABASE"):
        # scripts/test.sh runs the suite on SQLite and on PostgreSQL; a test that gives the
        # same answer on both (see the any_database marker) runs in the PostgreSQL pass only.
        once = [item for item in items if any_database(item)]
        if once:
            config.hook.pytest_deselected(items=once)
            items[:] = [item for item in items if not any_database(item)]


def any_database(item: pytest.Item) -> bool:
    """Browser tests, and tests whose subject is a process of their own (a worker on its own
    SQLite file, LibreOffice, the command line): which database the suite runs on does not
    change what they check. Tests of the database's own behaviour (locks, races, overfill,
    bulk writes) never carry this mark."""
    path = str(item.fspath)
    return (
        "tests/e2e/" in path
        # cairn/synthesis never imports Django (lint-imports holds it to that).
        or "tests/synthesis/" in path
        or item.get_closest_marker("any_database") is not None
    )


def make_user(username: str, role: Role | None, **person_fields) -> User:
    user = User.objects.create_user(username=username, password="pw-" + username)
    if role is not None:
        group, _ = Group.objects.get_or_create(name=role.group_name)
        user.groups.add(group)
    Person.objects.create(user=user, first_name=username.title(), **person_fields)
    return user


def grant_consent(person: Person, *purposes: str, method: str = ConsentMethod.WEB) -> None:
    """The person agreed, now, to each purpose (event invitations, newsletters, quoting)."""
    for purpose in purposes:
        Consent.objects.create(
            person=person, purpose=purpose, granted=True, method=method, recorded_at=timezone.now()
        )


@pytest.fixture
def org(db) -> Organisation:
    return Organisation.objects.create(name="Eastdale Food Share", sector=Sector.COMMUNITY)


@pytest.fixture
def alice(db) -> User:
    return make_user("alice", Role.COORDINATOR)


@pytest.fixture
def bob(db) -> User:
    return make_user("bob", Role.FACILITATOR)


@pytest.fixture
def charlie(db) -> User:
    return make_user("charlie", Role.MEMBER)


@pytest.fixture
def demo(db):
    """The demo network, built once per test process and copied in for each test after
    (tests/snapshots.py): loading it takes seconds, and a hundred tests use it."""
    from cairn.events.models import Event
    from cairn.site.demo import load_demo
    from tests.snapshots import built_once

    def build() -> None:
        from unittest import mock

        # The demo publishes its report, which queues the public downloads once the
        # load commits: only in a test that commits. The copy must not depend on which
        # test happened to build it, so none are queued here.
        with mock.patch("cairn.reports.files.prepare_public_files"):
            assert load_demo()

    built_once("demo", build)
    return Event.objects.order_by("pk").first()


@pytest.fixture(autouse=True)
def _demo_first(request):
    """A test that uses the demo gets it before any other fixture writes a row, so the
    database it starts from is the one the copy was made from (tests/snapshots.py)."""
    if "demo" in request.fixturenames:
        request.getfixturevalue("demo")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts attempts in the cache; one test's tries must not limit the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(scope="session", autouse=True)
def _flush_by_delete():
    """A test that commits (transaction=True) is followed by a flush, which on PostgreSQL
    is one TRUNCATE of every table: 0.6-2.3 s a test here, as each of the ~100 tables gets
    new files. Most are empty, so the flush deletes the rows of those that are not, in one
    transaction (foreign keys are deferred). Sequences are not reset, as before."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        qn = self.quote_name
        with self.connection.cursor() as cursor:
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT %s WHERE EXISTS (SELECT 1 FROM {qn(table)})"  # noqa: S608
                    for table in tables
                ),
                list(tables),
            )
            filled = [table for (table,) in cursor.fetchall()]
        return [f"DELETE FROM {qn(table)};" for table in filled]  # noqa: S608 - quoted names

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = truncate
