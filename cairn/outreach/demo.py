"""Demo outreach: an invitation sent to the whole network by each person's channel,
with letters batched for printing and some calls already logged."""

from datetime import timedelta

from django.test.utils import override_settings
from django.utils import timezone

from cairn.members.models import ConsentPurpose, Person
from cairn.outreach.audience import Audience, create_message, merge_context_for
from cairn.outreach.models import CallOutcomeKind, Delivery
from cairn.outreach.services import create_letter_batch, log_call, notify_many

BODY = """Dear {first_name},

You are warmly invited to {event} on {event_date}.

Members will share what they have learned this year, and there will be time to talk in small groups. You can join online, by phone, or come along in person.

If you would like to come, reply to this message, call the network office, or tell the volunteer who phones you.

Best wishes,
Aileen Baird, network coordinator"""

# The demo must never try to reach a real mail server; what it sends shows on "Sent mail".
DEMO_MAILER = {"default": {"BACKEND": "cairn.sentmail.backend.EmailBackend"}}


def load(network) -> None:
    now = timezone.now()
    event = network.upcoming_event or network.seed_event
    coordinator = network.users["coordinator"]
    message = create_message(
        subject="Invitation: {event}",
        body=BODY,
        purpose=ConsentPurpose.EVENT_INVITATIONS,
        audience=Audience(),
        user=coordinator,
    )
    message.about = event
    message.sent_at = now - timedelta(days=3)
    message.save(update_fields=["about_type", "about_id", "sent_at"])
    people = Person.objects.filter(anonymised_at__isnull=True).order_by("last_name", "pk")
    with override_settings(MAILERS=DEMO_MAILER):
        notify_many(
            people,
            subject=message.subject,
            body=message.body,
            purpose=message.purpose,
            about=event,
            merge=merge_context_for(event),
            sender=coordinator,
            message=message,
        )
    create_letter_batch(coordinator)
    calls = {
        d.person_id: d
        for d in Delivery.objects.filter(message=message, channel="phone", status="queued")
    }
    people_by_key = network.people
    outcomes = [
        (
            "bill",
            CallOutcomeKind.REACHED,
            "Bill says the shed would come if someone can give two of the older lads a lift; "
            "and the phone dial-in worked well for them last time.",
        ),
        ("fatima", CallOutcomeKind.VOICEMAIL, ""),
        ("joe", CallOutcomeKind.WRONG_NUMBER, ""),
        ("ruth", CallOutcomeKind.CALL_BACK, ""),
    ]
    volunteer = network.users["facilitator"]
    for key, outcome, words in outcomes:
        person = people_by_key.get(key)
        delivery = calls.get(person.pk) if person else None
        if delivery is None:
            continue
        log_call(
            delivery,
            outcome=outcome,
            user=volunteer,
            passed_on=words,
            consent_to_quote=bool(words),
            call_back_on=(timezone.localdate() + timedelta(days=2))
            if outcome == CallOutcomeKind.CALL_BACK
            else None,
            notes="Asked to be called after 2pm." if outcome == CallOutcomeKind.CALL_BACK else "",
        )
