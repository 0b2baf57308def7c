"""A member import reads and checks every row before its write transaction opens, so the
database is held only for the matching and the writes (on SQLite a board post would
otherwise wait behind the parsing of a big file, and fail with "database is locked")."""

import pytest
from django.db import connection

from cairn.core.roles import Role
from cairn.lib.storage import as_upload
from cairn.members import import_jobs, importer
from cairn.members.models import ImportJob, ImportStatus, Person
from tests.conftest import make_user

# No test-wide transaction here: an open transaction must be the import's own.
pytestmark = pytest.mark.django_db(transaction=True)

MEMBERS = "First name,Last name,Email,Organisation\n" + "".join(
    f"Ada{i},Lovelace,ada{i}@example.org,Analytical Society\n" for i in range(30)
)


@pytest.fixture
def parses(monkeypatch):
    """Whether a transaction was open each time a row was parsed."""
    seen: list[bool] = []
    parse = importer.parse_row

    def spy(*args, **kwargs):
        seen.append(connection.in_atomic_block)
        return parse(*args, **kwargs)

    monkeypatch.setattr(importer, "parse_row", spy)
    return seen


def test_every_row_is_parsed_before_the_write_transaction_opens(parses):
    report = importer.run_import(MEMBERS.encode(), "m.csv", apply=True)
    assert report.applied and report.created == 30
    assert len(parses) == 30 and not any(parses)
    assert Person.objects.filter(last_name="Lovelace").count() == 30


def test_the_web_and_worker_path_parses_before_locking_its_import(parses):
    user = make_user("cora", Role.COORDINATOR)
    job = ImportJob.objects.create(
        filename="m.csv", file=as_upload("m.csv", MEMBERS.encode()), mapping={}, created_by=user
    )
    assert import_jobs.apply_import(job.pk, {}, user) == []
    assert len(parses) == 30 and not any(parses)
    job.refresh_from_db()
    assert job.status == ImportStatus.APPLIED and job.report["created"] == 30


def test_a_file_broken_further_down_never_opens_a_write(monkeypatch):
    opened = []
    atomic = importer.transaction.atomic

    def spy(*args, **kwargs):
        opened.append(True)
        return atomic(*args, **kwargs)

    monkeypatch.setattr(importer.transaction, "atomic", spy)
    broken = (
        MEMBERS + 'Grace,Hopper,"grace@example.org,Navy\n' + "Alan,Turing,alan@example.org,NPL\n"
    )
    report = importer.run_import(broken.encode(), "m.csv", apply=True)
    assert not report.applied and "quote mark" in report.problems[0]
    assert opened == []  # refused before any transaction began
    assert not Person.objects.filter(last_name="Lovelace").exists()
