"""The short after-event feedback form, from the web or typed in by staff."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.contributions.models import ContributionChannel
from cairn.contributions.services import record_contribution
from cairn.core import audit
from cairn.events.models import Event, Feedback, FeedbackChannel, Registration, RegistrationStatus
from cairn.members.models import Person

CONTRIBUTION_CHANNEL = {
    FeedbackChannel.WEB: ContributionChannel.WEB_FORM,
    FeedbackChannel.PHONE: ContributionChannel.PHONE,
    FeedbackChannel.PAPER: ContributionChannel.PAPER_FORM,
}


class FeedbackError(ValueError):
    pass


def _check_may_give_feedback(event: Event, person: Person | None) -> None:
    """A member's own feedback: only after the event, and only from someone who was there."""
    if event.ends_at > timezone.now():
        raise FeedbackError(_("Feedback opens when the event has ended."))
    registration = Registration.objects.filter(
        event=event, person=person, status=RegistrationStatus.REGISTERED
    ).first()
    if person is None or registration is None:
        raise FeedbackError(_("Only people registered for this event can give feedback on it."))
    # Once attendance is taken, only those marked present speak for the event.
    if registration.attended is False:
        raise FeedbackError(_("Our records say you did not attend this event."))


def submit_feedback(
    event: Event,
    *,
    rating: int,
    comment: str = "",
    person: Person | None,
    channel: str = FeedbackChannel.WEB,
    entered_by: Any = None,
    consent_to_quote: bool = False,
) -> Feedback:
    if not 1 <= int(rating) <= 5:
        raise FeedbackError(_("Choose a rating from 1 to 5."))
    if channel not in FeedbackChannel.values:
        raise FeedbackError(_("Unknown feedback channel."))
    if channel != FeedbackChannel.WEB and not getattr(entered_by, "is_authenticated", False):
        raise FeedbackError(_("Feedback by phone or on paper is entered by staff."))
    if channel == FeedbackChannel.WEB and entered_by is None:
        _check_may_give_feedback(event, person)
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                event=event,
                person=person,
                rating=int(rating),
                comment=comment.strip(),
                channel=channel,
                entered_by=entered_by if channel != FeedbackChannel.WEB else None,
            )
            if feedback.comment:
                feedback.contribution = record_contribution(
                    text=feedback.comment,
                    channel=CONTRIBUTION_CHANNEL[channel],
                    event=event,
                    author=person,
                    entered_by=feedback.entered_by,
                    consent_to_quote=consent_to_quote,
                    source=_("Feedback form"),
                )
                feedback.save(update_fields=["contribution"])
            audit.record(
                entered_by or (person.user if person else None),
                "event.feedback",
                feedback,
                f"Feedback {rating}/5 for {event.title} ({feedback.get_channel_display()})",
            )
    except IntegrityError as exc:
        raise FeedbackError(_("This person has already given feedback for this event.")) from exc
    return feedback
