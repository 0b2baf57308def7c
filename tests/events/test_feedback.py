from datetime import timedelta

import pytest
from django.utils import timezone

from cairn.contributions.models import ContributionChannel
from cairn.events.models import Feedback
from cairn.events.services.feedback import FeedbackError, submit_feedback
from cairn.events.services.registration import register


def _past(event):
    event.starts_at = timezone.now() - timedelta(days=1)
    event.ends_at = event.starts_at + timedelta(hours=2)
    event.save()


def test_a_member_gives_feedback_on_the_web_and_the_comment_becomes_a_contribution(
    client, event, charlie
):
    register(event.pk, charlie.person)
    _past(event)
    client.force_login(charlie)
    assert "Tell us how it went" in client.get(event.get_absolute_url()).content.decode()
    client.post(
        f"/events/{event.pk}/feedback/",
        {"rating": "4", "comment": "More time in the breakouts, please."},
    )
    feedback = Feedback.objects.get()
    assert feedback.rating == 4 and feedback.person == charlie.person
    assert feedback.contribution.channel == ContributionChannel.WEB_FORM
    assert feedback.contribution.text == "More time in the breakouts, please."


def test_staff_enter_feedback_from_a_paper_form(client, event, alice, person_factory):
    client.force_login(alice)
    jean = person_factory("Jean")
    client.post(
        f"/events/{event.pk}/feedback/enter/",
        {
            "person": jean.pk,
            "channel": "paper",
            "rating": "5",
            "comment": "The large print helped.",
        },
    )
    feedback = Feedback.objects.get()
    assert feedback.entered_by == alice and feedback.channel == "paper"
    assert feedback.contribution.channel == ContributionChannel.PAPER_FORM
    assert feedback.contribution.entered_by == alice


def test_feedback_is_given_once_per_person(event, charlie):
    register(event.pk, charlie.person)
    _past(event)
    submit_feedback(event, rating=3, person=charlie.person)
    with pytest.raises(FeedbackError):
        submit_feedback(event, rating=5, person=charlie.person)
    assert Feedback.objects.count() == 1


def test_a_rating_outside_one_to_five_is_refused(event, charlie):
    with pytest.raises(FeedbackError):
        submit_feedback(event, rating=9, person=charlie.person)
