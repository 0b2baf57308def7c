"""Attachments are kept in the file storage once per content, and leave it with the last
row that points at them."""

from contextlib import suppress

import pytest
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cairn.members.models import ConsentPurpose
from cairn.outreach.models import DeliveryAttachment, DeliveryStatus
from cairn.outreach.services import notify_many, retry_delivery, retry_failed_emails
from tests.outreach.conftest import counted_attachment_work, free_port, smtp_settings

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 the report\n%%EOF\n"


def _send_all(people, data=PDF):
    return notify_many(
        people,
        subject="Our report",
        body="Attached.",
        purpose=ConsentPurpose.EVENT_INVITATIONS,
        attachments=[("report.pdf", data, "application/pdf")],
    )


def _send(person, data=PDF):
    return _send_all([person], data)[0]


def _received(smtp_server, skip=0):
    """Every attachment the server took, as bytes."""
    return [
        part.get_payload(decode=True)
        for _, msg in smtp_server.messages[skip:]
        for part in msg.iter_attachments()
    ]


def test_one_report_sent_to_many_people_is_stored_once(smtp_server, person_factory):
    deliveries = [_send(person_factory(f"P{i}", email=f"p{i}@example.org")) for i in range(3)]
    assert all(d.status == DeliveryStatus.SENT for d in deliveries)
    rows = DeliveryAttachment.objects.all()
    assert rows.count() == 3
    assert len({row.file.name for row in rows}) == 1  # one file, three rows
    assert rows[0].read() == PDF
    assert _received(smtp_server) == [PDF] * len(smtp_server.messages)


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


def _attachment_queries(queries) -> int:
    return sum("outreach_deliveryattachment" in q["sql"] for q in queries)


def _send_to(people, data=PDF):
    with counted_attachment_work() as (store, read), CaptureQueriesContext(connection) as queries:
        sent = _send_all(people, data)
    assert all(d.status == DeliveryStatus.SENT for d in sent)
    return store.call_count, read.call_count, _attachment_queries(queries)


def test_a_send_hashes_stores_and_reads_its_attachment_once_whatever_its_audience(
    smtp_server, person_factory
):
    few = [person_factory(f"F{i}", email=f"f{i}@example.org") for i in range(2)]
    many = [person_factory(f"M{i}", email=f"m{i}@example.org") for i in range(8)]
    stored, read, queries = _send_to(few, b"%PDF-1.4 for the few\n")
    # Hashed and looked up (or stored) once, the bytes in hand attached to every email,
    # the rows written and fetched back for sending in one query each.
    assert (stored, read) == (1, 0)
    assert _send_to(many, b"%PDF-1.4 for the many\n") == (1, 0, queries)
    assert len(smtp_server.messages) == 10
    assert _received(smtp_server, skip=2) == [b"%PDF-1.4 for the many\n"] * 8
    assert DeliveryAttachment.objects.values("file").distinct().count() == 2


def test_retrying_a_batch_reads_its_shared_file_once(smtp_server, settings, person_factory):
    people = [person_factory(f"P{i}", email=f"p{i}@example.org") for i in range(4)]
    settings.MAILERS = smtp_settings(free_port())  # nothing listens: every email fails
    failed = _send_all(people)
    assert all(d.status == DeliveryStatus.FAILED for d in failed)
    settings.MAILERS = smtp_settings(smtp_server.port)
    with counted_attachment_work() as (_, read):
        assert retry_failed_emails(force=True)["sent"] == 4
    assert read.call_count == 1
    assert _received(smtp_server) == [PDF] * len(smtp_server.messages)


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


def test_sending_again_to_someone_not_reached_reuses_the_stored_file(
    smtp_server, settings, person_factory
):
    settings.MAILERS = smtp_settings(free_port())  # nothing listens
    (first,) = _send_all([person_factory("Ann", email="ann@example.org")])
    first.status = DeliveryStatus.NOT_REACHED  # as after its last attempt
    first.save(update_fields=["status"])
    settings.MAILERS = smtp_settings(smtp_server.port)
    with counted_attachment_work() as (store, read):
        fresh = retry_delivery(first, None)
    assert fresh.status == DeliveryStatus.SENT
    assert fresh.attachments.get().file.name == first.attachments.get().file.name
    assert (store.call_count, read.call_count) == (0, 1)  # read once, to send it
    assert _received(smtp_server) == [PDF]
