"""The call list, and what happened on each call."""

from datetime import date
from typing import Any

from django.db import models, transaction
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.contributions.services import record_contribution
from cairn.core import audit
from cairn.members.models import Channel
from cairn.outreach.models import (
    CallOutcome,
    CallOutcomeKind,
    Delivery,
    DeliveryStatus,
)
from cairn.outreach.services.consent import reach_rule
from cairn.outreach.services.errors import OutreachError


def call_list():
    """Calls to make. Someone who since the call was queued asked not to be phoned, withdrew
    consent for its purpose, lost their phone number or was erased is left off while that
    holds (a call they asked for, with no purpose, needs no consent); the call stays
    queued, not lost. The rule is the one every channel uses (`reach_rule`)."""
    return Delivery.objects.filter(channel=Channel.PHONE, status=DeliveryStatus.QUEUED).filter(
        reach_rule(channel_field="channel", purpose=OuterRef("purpose"), via="person__")
    )


def _event_of(about: models.Model | None) -> Any:
    """The event a message was about, if it was about one: words passed on in the call
    are filed under it. The ledger's own field says which model an event is."""
    event_model = Contribution._meta.get_field("event").related_model
    return about if isinstance(about, event_model) else None


@transaction.atomic
def log_call(
    delivery: Delivery,
    *,
    outcome: str,
    user: Any,
    call_back_on: date | None = None,
    notes: str = "",
    passed_on: str = "",
    consent_to_quote: bool = False,
) -> CallOutcome:
    """Record one call; words the person asked to pass on become a phone contribution."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.channel != Channel.PHONE:
        raise OutreachError(_("Only phone deliveries have calls."))
    if delivery.status in (
        DeliveryStatus.DELIVERED,
        DeliveryStatus.NOT_REACHED,
        DeliveryStatus.RESOLVED,
    ):
        # Off the call list: a Save sent twice must not pass the same words on twice.
        # (A voicemail stays open to the call back that reaches them.)
        last = delivery.calls.select_related("logged_by").order_by("-id").first()
        if last is None:
            raise OutreachError(
                _("This call is not on the call list (%(reason)s): nothing was logged.")
                % {"reason": delivery.reason or delivery.get_status_display()}
            )
        raise OutreachError(
            _("This call was already logged: %(outcome)s, %(when)s by %(who)s. Nothing was added.")
            % {
                "outcome": last.get_outcome_display(),
                "when": timezone.localtime(last.logged_at).strftime("%d %b %Y %H:%M"),
                "who": last.logged_by.get_username() if last.logged_by_id else _("someone"),
            }
        )
    if outcome not in CallOutcomeKind.values:
        raise OutreachError(_("Choose what happened on the call."))
    if outcome == CallOutcomeKind.CALL_BACK and call_back_on is None:
        raise OutreachError(_("Give the date to call back on."))
    passed_on = passed_on.strip()
    if passed_on and outcome != CallOutcomeKind.REACHED:
        raise OutreachError(_("Words can only be passed on when the person was reached."))
    contribution = None
    if passed_on:
        contribution = record_contribution(
            text=passed_on,
            channel=ContributionChannel.PHONE,
            event=_event_of(delivery.about),
            author=delivery.person,
            entered_by=user,
            consent_to_quote=consent_to_quote,
            source=_("Phone call: %(subject)s") % {"subject": delivery.subject},
            source_ref=f"delivery {delivery.pk}",
        )
    call = CallOutcome.objects.create(
        delivery=delivery,
        outcome=outcome,
        call_back_on=call_back_on if outcome == CallOutcomeKind.CALL_BACK else None,
        notes=notes.strip(),
        contribution=contribution,
        logged_by=user if getattr(user, "is_authenticated", False) else None,
    )
    delivery.attempts += 1
    now = timezone.now()
    if outcome == CallOutcomeKind.REACHED:
        delivery.status, delivery.sent_at, delivery.reason = DeliveryStatus.DELIVERED, now, ""
    elif outcome == CallOutcomeKind.VOICEMAIL:
        delivery.status, delivery.sent_at, delivery.reason = DeliveryStatus.SENT, now, ""
    elif outcome == CallOutcomeKind.WRONG_NUMBER:
        delivery.status = DeliveryStatus.NOT_REACHED
        delivery.reason = _("Wrong number: %(phone)s") % {"phone": delivery.address}
    elif outcome == CallOutcomeKind.CALL_BACK:
        delivery.reason = _("Call back on %(date)s") % {"date": call_back_on.strftime("%d %b %Y")}
    else:
        delivery.reason = _("No answer (%(n)d tries)") % {"n": delivery.attempts}
    delivery.save(update_fields=["attempts", "status", "sent_at", "reason"])
    audit.record(user, "outreach.call_logged", delivery, f"{call.get_outcome_display()}")
    return call
