"""The migration that moved waiting uploads out of a database column into the storage:
forwards the bytes become a stored file; backwards they come back."""

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("members", "0004_channel_consent")
AFTER = ("members", "0005_uploads_in_storage")


@pytest.mark.django_db(transaction=True)
def test_waiting_uploads_move_to_the_storage_and_back():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        old = executor.loader.project_state([BEFORE]).apps.get_model("members", "ImportJob")
        waiting = old.objects.create(filename="people.csv", content=b"name\nAda\n")
        applied = old.objects.create(filename="done.csv", content=b"name\nBo\n", status="applied")

        executor = MigrationExecutor(connection)
        executor.migrate([AFTER])
        new = executor.loader.project_state([AFTER]).apps.get_model("members", "ImportJob")
        moved = new.objects.get(pk=waiting.pk)
        assert moved.file.name.endswith(".csv") and "people" not in moved.file.name
        assert default_storage.open(moved.file.name).read() == b"name\nAda\n"
        assert not new.objects.get(pk=applied.pk).file  # imported already: let go

        executor = MigrationExecutor(connection)
        executor.migrate([BEFORE])
        back = executor.loader.project_state([BEFORE]).apps.get_model("members", "ImportJob")
        assert bytes(back.objects.get(pk=waiting.pk).content) == b"name\nAda\n"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
