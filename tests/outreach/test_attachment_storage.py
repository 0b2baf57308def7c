"""Attachments are kept in the file storage once per content, and leave it with the last
row that points at them."""

from contextlib import suppress

import pytest
from django.core.files.storage import default_storage
from django.db import transaction

from cairn.members.models import ConsentPurpose
from cairn.outreach.models import DeliveryAttachment, DeliveryStatus
from cairn.outreach.services import notify

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 the report\n%%EOF\n"


def _send(person, data=PDF):
    return notify(
        person,
        subject="Our report",
        body="Attached.",
        purpose=ConsentPurpose.EVENT_INVITATIONS,
        attachments=[("report.pdf", data, "application/pdf")],
    )


def test_one_report_sent_to_many_people_is_stored_once(smtp_server, person_factory):
    deliveries = [_send(person_factory(f"P{i}", email=f"p{i}@example.org")) for i in range(3)]
    assert all(d.status == DeliveryStatus.SENT for d in deliveries)
    rows = DeliveryAttachment.objects.all()
    assert rows.count() == 3
    assert len({row.file.name for row in rows}) == 1  # one file, three rows
    assert rows[0].read() == PDF
    assert all(
        part.get_payload(decode=True) == PDF
        for _, msg in smtp_server.messages
        for part in msg.iter_attachments()
    )


def test_the_file_goes_with_the_last_row_that_points_at_it(
    smtp_server, person_factory, django_capture_on_commit_callbacks
):
    first = _send(person_factory("Ann", email="ann@example.org"))
    second = _send(person_factory("Bob", email="bob@example.org"))
    other = _send(person_factory("Cy", email="cy@example.org"), b"%PDF-1.4 a letter for Cy\n")
    shared = first.attachments.get().file.name
    own = other.attachments.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        first.attachments.all().delete()
    assert default_storage.exists(shared)  # Bob's row still points at it
    with django_capture_on_commit_callbacks(execute=True):
        second.attachments.all().delete()
        other.attachments.all().delete()
    assert not default_storage.exists(shared) and not default_storage.exists(own)


def test_the_last_row_takes_its_file_after_the_commit_and_a_rollback_keeps_it(
    smtp_server, person_factory, django_capture_on_commit_callbacks
):
    row = _send(person_factory("Ann", email="ann@example.org")).attachments.get()
    name = row.file.name

    class Undone(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True),
        suppress(Undone),
        transaction.atomic(),
    ):
        DeliveryAttachment.objects.filter(pk=row.pk).delete()
        raise Undone
    assert default_storage.exists(name) and DeliveryAttachment.objects.filter(pk=row.pk).exists()

    with django_capture_on_commit_callbacks() as callbacks:
        row.delete()
    assert default_storage.exists(name)  # not before the commit
    for callback in callbacks:  # the commit: one callback checks for other rows and deletes
        callback()
    assert not default_storage.exists(name)
