"""A member import's memory does not grow with its rows: what it matches rows by (the
people on file, the emails and names the file gave already) is kept in a temporary
SQLite file, and the parsed rows wait on disk, a chunk at a time in memory."""

import gc
import tracemalloc
from unittest import mock

import pytest

from cairn.members import importer
from cairn.members.importer import run_import
from cairn.members.models import Person
from cairn.members.tabular import read_table

pytestmark = pytest.mark.django_db

HEADER = "First name,Surname,Email,Organisation\n"


def _sheet(rows: int, start: int = 0) -> bytes:
    lines = [
        f"Person{i},Surname{i % 50},person{i}@example.org,Organisation {i % 7}\n"
        for i in range(start, start + rows)
    ]
    return (HEADER + "".join(lines)).encode()


def _peak(data: bytes) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        run_import(data, "members.csv", apply=True)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_repeats_are_found_across_chunks_and_against_people_on_file():
    Person.objects.create(first_name="Ann", last_name="Old", email="ann@example.org")
    sheet = (
        "First name,Surname,Email,Organisation\n"
        "Annie,Old,ANN@example.org,\n"  # matches the person on file by email
        "Bo,Kay,bo@example.org,\n"
        "Cy,Dee,,Shed\n"
        "Bo,Again,bo@example.org,\n"  # same email as line 3, two chunks later
        "Cy,Dee,,Shed\n"  # same name and organisation as line 4
        "Ann,Other,,\n"
        "Ann,Old,,\n"  # by name, the person line 2 matched by email
    )
    with mock.patch.object(importer, "CHUNK", 2):
        report = run_import(sheet.encode(), "members.csv", apply=True)
    reasons = {r.line: r.reason for r in report.rejected}
    assert reasons == {
        5: "same email as line 3",
        6: "same name and organisation as line 4",
        8: "same person as line 2",
    }
    assert report.created == 3 and Person.objects.count() == 4


def test_memory_stays_flat_as_the_rows_grow():
    with mock.patch.object(importer, "CHUNK", 250):
        small = _peak(_sheet(1000))
        large = _peak(_sheet(5000, start=1000))
    # Held per row, the keys took about 250 bytes a row: 4,000 more rows, 1 MB more.
    assert large - small < 300_000, (small, large)


def _read_peak(data: bytes) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        table = read_table(data, "members.csv")
        for _ in table.rows():
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_reading_a_file_holds_a_sample_of_its_text_not_all_of_it():
    small, large = _sheet(10_000), _sheet(40_000)
    growth = _read_peak(large) - _read_peak(small)
    # Decoded whole to tell its encoding, the file was held as text as well: 3 MB more
    # bytes took 3 MB more memory. Now the first 64 KiB tell, and the rows stream.
    assert growth < (len(large) - len(small)) // 20, growth
