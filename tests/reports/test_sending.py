import pytest

from cairn.reports import services
from cairn.reports.sending import SendError, send_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(monkeypatch):
    """Stands in for cairn.outreach.services.notify, which delivers by each person's channel."""
    sent = []

    def notify(
        person, *, subject, body, purpose, about=None, html_body=None, attachments=(), sender=None
    ):
        sent.append(
            {"person": person, "subject": subject, "body": body, "attachments": attachments}
        )

    from cairn.outreach import services as outreach_services

    monkeypatch.setattr(outreach_services, "notify", notify)
    return sent


def test_a_draft_cannot_be_sent(report, alice, outbox):
    with pytest.raises(SendError, match="Publish"):
        send_report(report, alice)
    assert outbox == []


def test_attendees_get_the_link_and_the_pdf_with_large_print_where_they_need_it(
    report, alice, outbox
):
    services.approve(report, alice)
    report = services.publish(report, alice)
    outcome = send_report(report, alice, audience="attendees")
    # Those who came (attendance was recorded at the demo event), not everyone registered.
    came = report.event.registrations.filter(status="registered", attended=True)
    assert outcome["sent"] == len(outbox) == came.values("person").distinct().count()
    jean = next(m for m in outbox if m["person"].first_name == "Jean")
    assert jean["attachments"][0][0] == "report-large-print.pdf"
    assert jean["attachments"][0][1].startswith(b"%PDF")
    other = next(m for m in outbox if not m["person"].has_access_need("large_print"))
    assert other["attachments"][0][0] == "report.pdf"
    assert report.get_public_url() in other["body"]


def test_sending_through_outreach_emails_some_and_queues_letters_for_others(report, alice):
    from django.contrib.contenttypes.models import ContentType

    from cairn.outreach.models import Delivery

    services.approve(report, alice)
    report = services.publish(report, alice)
    outcome = send_report(report, alice, audience="attendees")
    deliveries = Delivery.objects.filter(
        about_type=ContentType.objects.get_for_model(report.event), about_id=report.event.pk
    )
    assert deliveries.count() == outcome["sent"] + outcome["not_reached"]
    channels = set(deliveries.values_list("channel", flat=True))
    assert {"email", "post"} <= channels
    letter = deliveries.filter(channel="post", person__first_name="Jean").get()
    assert letter.attachments.get().filename == "report-large-print.pdf"


@pytest.fixture
def fresh_storage(settings):
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"]}}


def test_sending_attaches_the_stored_pdfs_without_rendering_again(
    report, alice, outbox, fresh_storage
):
    from unittest import mock

    from django.core.files.storage import default_storage

    from cairn.reports import files, render

    services.approve(report, alice)
    report = services.publish(report, alice)
    files.prepare_public_files(report)  # what publishing queues, run here at once
    stored = files.find_file(report.published_doc, "pdf", False)
    assert files.is_ready(stored)
    with default_storage.open(stored.file.name, "rb") as f:
        kept = f.read()
    with mock.patch.object(render, "pdf", side_effect=AssertionError("rendered again")) as pdf:
        outcome = send_report(report, alice, audience="attendees")
    assert pdf.call_count == 0 and outcome["sent"] == len(outbox) > 1
    regular = [m for m in outbox if m["attachments"][0][0] == "report.pdf"]
    assert regular and all(m["attachments"][0][1] == kept for m in regular)


def test_a_send_without_stored_pdfs_renders_each_once_and_keeps_them(
    report, alice, outbox, fresh_storage
):
    from unittest import mock

    from cairn.reports import files, render
    from cairn.reports.models import RenderedFile

    services.approve(report, alice)
    report = services.publish(report, alice)
    RenderedFile.objects.all().delete()  # none prepared yet, or lost
    with mock.patch.object(render, "pdf", wraps=render.pdf) as pdf:
        send_report(report, alice, audience="attendees")
        send_report(report, alice, audience="attendees")
    assert len(outbox) > 2
    assert sorted(call.kwargs.get("large_print", False) for call in pdf.call_args_list) == [
        False,
        True,
    ]
    assert files.is_ready(files.find_file(report.published_doc, "pdf", True))


def test_a_send_stores_each_pdf_once_and_never_reads_it_back(report, alice, fresh_storage):
    from cairn.outreach.models import DeliveryAttachment
    from tests.outreach.conftest import counted_attachment_work

    services.approve(report, alice)
    report = services.publish(report, alice)
    with counted_attachment_work() as (store, read):
        outcome = send_report(report, alice, audience="attendees")
    rows = DeliveryAttachment.objects.all()
    assert outcome["sent"] > 2 and rows.count() > 2
    # The regular PDF and the large-print one: hashed, looked up and stored once each for
    # the whole send; the emails attach the bytes the send already had.
    assert store.call_count == rows.values("file").distinct().count() == 2
    assert read.call_count == 0
