import sys
import types

import pytest

from cairn.reports import services
from cairn.reports.sending import SendError, send_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(monkeypatch):
    """Stands in for cairn.outreach.services.notify, which delivers by each person's channel."""
    sent = []

    def notify(
        person, *, subject, body, purpose, event=None, html_body=None, attachments=(), sender=None
    ):
        sent.append(
            {"person": person, "subject": subject, "body": body, "attachments": attachments}
        )

    module = types.ModuleType("cairn.outreach.services")
    module.notify = notify
    monkeypatch.setitem(sys.modules, "cairn.outreach.services", module)
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
    assert (
        outcome["sent"]
        == len(outbox)
        == report.event.registrations.values("person").distinct().count()
    )
    jean = next(m for m in outbox if m["person"].first_name == "Jean")
    assert jean["attachments"][0][0] == "report-large-print.pdf"
    assert jean["attachments"][0][1].startswith(b"%PDF")
    other = next(m for m in outbox if not m["person"].has_access_need("large_print"))
    assert other["attachments"][0][0] == "report.pdf"
    assert report.get_public_url() in other["body"]
