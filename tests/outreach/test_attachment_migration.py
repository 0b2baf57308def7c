"""The migration that moved attachments out of a database column: one stored file per
distinct content, and back again."""

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = ("outreach", "0004_letter_files")
AFTER = ("outreach", "0005_attachments_in_storage")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
def test_attachments_move_to_the_storage_once_per_content_and_back():
    apps = _migrate(BEFORE)
    try:
        Delivery = apps.get_model("outreach", "Delivery")
        Attachment = apps.get_model("outreach", "DeliveryAttachment")
        rows = []
        for data in (b"%PDF report", b"%PDF report", b"%PDF letter"):
            delivery = Delivery.objects.create(
                channel="email", subject="s", body="b", purpose="event_invitations",
                created_at=timezone.now(),
            )  # fmt: skip
            rows.append(Attachment.objects.create(
                delivery=delivery, filename="a.pdf", content=data, mimetype="application/pdf"
            ).pk)  # fmt: skip

        new = _migrate(AFTER).get_model("outreach", "DeliveryAttachment")
        names = [new.objects.get(pk=pk).file.name for pk in rows]
        assert names[0] == names[1] != names[2]
        assert default_storage.open(names[2]).read() == b"%PDF letter"

        back = _migrate(BEFORE).get_model("outreach", "DeliveryAttachment")
        assert [bytes(back.objects.get(pk=pk).content) for pk in rows] == [
            b"%PDF report", b"%PDF report", b"%PDF letter"
        ]  # fmt: skip
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
