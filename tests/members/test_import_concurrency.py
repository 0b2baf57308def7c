import threading

import pytest
from django.db import connection, connections

from cairn.members.importer import run_import
from cairn.members.models import Organisation, Person

ROWS = "".join(f"Person {i},p{i}@example.org,Org {i % 7}\n" for i in range(300))
DATA = ("Name,Email,Organisation\n" + ROWS).encode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL run of the suite")
@pytest.mark.django_db(transaction=True)
def test_the_same_file_imported_twice_at_once_creates_everyone_once():
    errors = []
    start = threading.Barrier(4)

    def run():
        try:
            start.wait()
            run_import(DATA, "members.csv", apply=True)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Person.objects.count() == 300
    assert Organisation.objects.count() == 7
