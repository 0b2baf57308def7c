"""What outreach holds about a person: every message sent to them and calls about it."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from cairn.core.datarights import STAFF, PersonData, field_choices, field_labels, register
from cairn.members.models import Person
from cairn.outreach.models import CallOutcome, Delivery, DeliveryAttachment
from cairn.outreach.services.letters import forget_batch_files

MESSAGE_FIELDS = ["subject", "channel", "purpose", "status", "reason", "created_at", "sent_at"]


def _messages(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "subject": d.subject,
            "channel": d.channel,
            "purpose": d.purpose,
            "status": d.status,
            "reason": d.reason,
            "created_at": d.created_at.isoformat(),
            "sent_at": d.sent_at.isoformat() if d.sent_at else None,
            "calls": [
                {"outcome": c.outcome, "notes": c.notes, "logged_at": c.logged_at.isoformat()}
                for c in d.calls.all()
            ],
        }
        for d in Delivery.objects.filter(person=person).prefetch_related("calls")
    ]


def _erase_messages(person: Person) -> int:
    """Keep that a message went (counts, channels) but not what it said or where."""
    deliveries = Delivery.objects.filter(person=person)
    # Printed batches name the person: their stored letters and labels go too.
    forget_batch_files(deliveries)
    DeliveryAttachment.objects.filter(delivery__in=deliveries).delete()
    CallOutcome.objects.filter(delivery__in=deliveries).update(notes="")
    return deliveries.update(subject="", body="", html_body="", address="")


register(
    PersonData(
        key="messages",
        title=_("Messages sent to you"),
        export=_messages,
        labels=field_labels(Delivery, MESSAGE_FIELDS),
        choices=field_choices(Delivery, MESSAGE_FIELDS),
        erase=_erase_messages,
        relations=("outreach.Delivery.person",),
        kept={
            "outreach.Delivery.sender": STAFF,
            "outreach.Message.created_by": STAFF,
            "outreach.LetterBatch.created_by": STAFF,
            "outreach.CallOutcome.logged_by": STAFF,
        },
        order=40,
    )
)
