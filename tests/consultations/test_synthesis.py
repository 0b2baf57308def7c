import pytest

from cairn.consultations.services import answering, results
from tests.consultations.conftest import raw_for

ANSWERS = [
    "The phone tree kept everyone in touch.",
    "Phoning members every week kept us going.",
    "Weekly phone calls to older members.",
    "Grants for rent saved our group.",
    "Emergency funding paid the rent.",
    "Small grants covered our running costs.",
]


def test_each_open_question_is_synthesised_from_its_own_answers(
    consultation, alice, bob, django_capture_on_commit_callbacks, client
):
    for text in ANSWERS:
        answering.enter_response(
            consultation, raw_for(consultation, open_text=text), channel="phone", actor=bob
        )
    question = consultation.questions.get(kind="open")
    with django_capture_on_commit_callbacks(execute=True):
        run = results.synthesise_open_question(question, actor=alice)
    run.refresh_from_db()
    question.refresh_from_db()
    assert question.synthesis_run_id == run.pk
    assert sorted(run.contribution_ids) == results.open_answer_contributions(question)
    assert run.title.endswith(": Q4")
    assert run.status == "done", run.error
    assert sum(t.size for t in run.themes.all()) == len(ANSWERS)
    client.force_login(alice)
    page = client.get(f"/consultations/{consultation.pk}/results/").content.decode()
    assert "Themes in these answers" in page and run.get_absolute_url() in page
    assert "Synthesise again" in page
    assert run.themes.first().label in page


def test_a_choice_question_or_one_without_answers_is_not_synthesised(consultation, alice):
    with pytest.raises(ValueError, match="no answers"):
        results.synthesise_open_question(consultation.questions.get(kind="open"), actor=alice)
    with pytest.raises(ValueError, match="Only open questions"):
        results.synthesise_open_question(consultation.questions.get(kind="single"), actor=alice)
