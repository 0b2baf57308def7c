import pytest
from django.contrib.auth.models import AnonymousUser

from cairn.consultations.models import Response, ResponseStatus
from cairn.consultations.services import answering
from cairn.contributions.models import Contribution, ContributionChannel
from tests.consultations.conftest import make_consultation, raw_for


def test_an_anonymous_visitor_saves_progress_and_finishes_later(consultation, client):
    start = client.post(f"/consultations/{consultation.pk}/answer/")
    assert start.status_code == 302
    url = start["Location"]
    q = list(consultation.questions.all())
    saved = client.post(url, {f"q{q[0].pk}": "2", f"q{q[3].pk}": "Half a thought", "save": "1"})
    assert saved.status_code == 302
    page = client.get(url).content.decode()
    assert "Half a thought" in page
    assert 'value="2" checked' in page
    assert Response.objects.get().status == ResponseStatus.DRAFT
    assert not Contribution.objects.exists()

    done = client.post(
        url,
        {
            f"q{q[0].pk}": "2",
            f"q{q[1].pk}": ["1", "3"],
            f"q{q[3].pk}": "The phone tree.",
            "sector": "community",
            "submit": "1",
        },
    )
    assert "Thank you" in done.content.decode()
    # The last page is no dead end on a phone: it says where to go next.
    assert 'href="/">Back to the network' in done.content.decode()
    response = Response.objects.get()
    assert response.status == ResponseStatus.SUBMITTED
    assert response.sector == "community"
    assert response.answers.get(question=q[1]).selected == ["Funding", "The council"]
    contribution = Contribution.objects.get()
    assert contribution.channel == ContributionChannel.WEB_FORM
    assert contribution.text == "The phone tree."
    assert contribution.author_sector == "community"


def test_sending_without_a_required_answer_keeps_what_was_typed(consultation, client):
    url = client.post(f"/consultations/{consultation.pk}/answer/")["Location"]
    q = list(consultation.questions.all())
    page = client.post(url, {f"q{q[3].pk}": "Kept words", "submit": "1"})
    html = page.content.decode()
    assert "Question 1: an answer is needed." in html
    assert "Kept words" in html
    assert Response.objects.get().status == ResponseStatus.DRAFT


def test_a_consultation_that_needs_a_login_sends_visitors_to_log_in(alice, client):
    consultation = make_consultation(alice, allow_anonymous=False)
    reply = client.get(f"/consultations/{consultation.pk}/answer/")
    assert reply.status_code == 302 and "/accounts/login/" in reply["Location"]
    with pytest.raises(answering.AnswerErrors, match="log in"):
        answering.start_web_response(consultation, AnonymousUser())


def test_a_member_resumes_their_own_draft_and_cannot_send_twice(consultation, charlie, client):
    client.force_login(charlie)
    first = client.post(f"/consultations/{consultation.pk}/answer/")["Location"]
    again = client.post(f"/consultations/{consultation.pk}/answer/")["Location"]
    assert first == again
    response = Response.objects.get()
    answering.save_web_answers(response, raw_for(consultation), submit=True)
    with pytest.raises(answering.AnswerErrors, match="already sent"):
        answering.save_web_answers(response, raw_for(consultation), submit=True)


def test_someone_elses_draft_link_is_not_found(consultation, charlie, bob, client):
    client.force_login(charlie)
    url = client.post(f"/consultations/{consultation.pk}/answer/")["Location"]
    client.force_login(bob)
    assert client.get(url).status_code == 404


def test_a_choice_that_does_not_exist_is_refused_with_the_range(consultation):
    response = answering.start_web_response(consultation, AnonymousUser())
    with pytest.raises(answering.AnswerErrors) as caught:
        answering.save_web_answers(
            response, raw_for(consultation, single="7", scale="9"), submit=True
        )
    messages = list(caught.value.errors.values())
    assert "Question 1: “7” is not a choice: use the numbers 1 to 3." in messages
    assert "Question 3: Give one number from 1 to 5." in messages
