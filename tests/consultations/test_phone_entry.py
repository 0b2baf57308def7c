import re

import pytest

from cairn.consultations.models import Response, ResponseStatus
from cairn.consultations.services import answering
from cairn.contributions.models import Contribution, ContributionChannel
from cairn.core.models import AuditEntry
from tests.consultations.conftest import raw_for


def test_a_phone_response_records_its_channel_and_who_typed_it(consultation, bob, bill):
    response = answering.enter_response(
        consultation, raw_for(consultation), channel="phone", actor=bob, person=bill
    )
    assert (response.channel, response.entered_by, response.status) == (
        "phone",
        bob,
        ResponseStatus.SUBMITTED,
    )
    assert response.sector == "community"
    contribution = Contribution.objects.get()
    assert contribution.channel == ContributionChannel.PHONE
    assert contribution.entered_by == bob and contribution.author == bill
    assert AuditEntry.objects.filter(action="consultation.response_entered", actor=bob).exists()


def test_a_half_filled_phone_entry_is_refused_and_nothing_is_saved(consultation, bob, bill):
    q = list(consultation.questions.all())
    half = {q[0].pk: ["2"], q[1].pk: ["1"]}
    with pytest.raises(answering.AnswerErrors) as caught:
        answering.enter_response(consultation, half, channel="phone", actor=bob, person=bill)
    assert caught.value.errors == {q[3].pk: "Question 4: an answer is needed."}
    assert not Response.objects.exists()


def test_a_call_that_ended_early_is_saved_as_partial_when_the_volunteer_says_so(
    consultation, bob, bill
):
    q = list(consultation.questions.all())
    response = answering.enter_response(
        consultation,
        {q[0].pk: ["2"], q[1].pk: ["1 2"]},
        channel="phone",
        actor=bob,
        person=bill,
        incomplete=True,
    )
    assert response.status == ResponseStatus.PARTIAL
    assert response.answers.count() == 2
    assert not Contribution.objects.exists()


def test_an_entry_with_no_answers_at_all_is_refused(consultation, bob):
    with pytest.raises(answering.AnswerErrors, match="No answers were typed"):
        answering.enter_response(consultation, {}, channel="phone", actor=bob, incomplete=True)


def test_the_entry_screen_keeps_typed_answers_after_an_error(consultation, bob, bill, client):
    client.force_login(bob)
    q = list(consultation.questions.all())
    page = client.post(
        f"/consultations/{consultation.pk}/enter/",
        {
            "channel": "phone",
            "person": f"Bill Henderson · #{bill.pk}",
            f"q{q[0].pk}": "9",
            f"q{q[3].pk}": "Keep me",
        },
    )
    html = page.content.decode()
    assert (
        "“9” is not a choice" in html
        and "Keep me" in html
        and "Nothing you typed has been lost" in html
    )
    ok = client.post(
        f"/consultations/{consultation.pk}/enter/",
        {
            "channel": "phone",
            "person": f"Bill Henderson · #{bill.pk}",
            f"q{q[0].pk}": "1",
            f"q{q[1].pk}": "1,3",
            f"q{q[3].pk}": "Keep me",
        },
    )
    assert ok.status_code == 302
    assert Response.objects.get().answers.get(question=q[1]).selected == ["Funding", "The council"]


def test_members_cannot_enter_responses_or_see_results(consultation, charlie, client):
    client.force_login(charlie)
    assert client.get(f"/consultations/{consultation.pk}/enter/").status_code == 403
    assert client.get(f"/consultations/{consultation.pk}/results/").status_code == 403
    assert client.get(f"/consultations/{consultation.pk}/paper-forms.pdf").status_code == 403


def test_a_phone_entry_sent_twice_is_saved_once(consultation, bob, bill, client):
    # A double click, or a browser resending the POST on a slow line, without JavaScript.
    client.force_login(bob)
    page = client.get(f"/consultations/{consultation.pk}/enter/").content.decode()
    key = re.search(r'name="entry_key" value="([^"]+)"', page).group(1)
    q = list(consultation.questions.all())
    form = {
        "channel": "phone",
        "entry_key": key,
        "person": f"Bill Henderson · #{bill.pk}",
        f"q{q[0].pk}": "1",
        f"q{q[3].pk}": "Keep the phone tree.",
    }
    first = client.post(f"/consultations/{consultation.pk}/enter/", form, follow=True)
    again = client.post(f"/consultations/{consultation.pk}/enter/", form, follow=True)
    response = Response.objects.get()
    reference = f"Saved response {response.reference} for Bill"
    assert reference in first.content.decode() and reference in again.content.decode()
    assert Contribution.objects.count() == 1
    # The next call is a new form, with a key of its own.
    next_page = again.content.decode()
    assert re.search(r'name="entry_key" value="([^"]+)"', next_page).group(1) != key


def test_the_same_entry_key_from_the_service_returns_the_response_already_saved(
    consultation, bob, bill
):
    raw = raw_for(consultation)
    first = answering.enter_response(
        consultation, raw, channel="phone", actor=bob, person=bill, entry_key="k1"
    )
    again = answering.enter_response(
        consultation, raw, channel="phone", actor=bob, person=bill, entry_key="k1"
    )
    assert again.pk == first.pk and Response.objects.count() == 1
    other = answering.enter_response(
        consultation, raw, channel="phone", actor=bob, person=bill, entry_key="k2"
    )
    assert other.pk != first.pk
