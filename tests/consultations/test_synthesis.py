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


def test_a_briefing_uses_the_themes_of_a_consultations_only_open_question(
    consultation, alice, bob, monkeypatch, django_capture_on_commit_callbacks
):
    """ "Find the themes in these answers" on the results page synthesises the same answers
    as a synthesis of the whole consultation when it has one open question: a briefing
    said "No synthesis has been run yet" for it right after."""
    from cairn.consultations.models import Question, QuestionKind
    from cairn.reports.services import generate_briefing
    from tests.insights.fakes import fake_synthesis

    monkeypatch.setattr("cairn.insights.services.runs.run_synthesis", fake_synthesis)
    for text in ANSWERS:
        answering.enter_response(
            consultation, raw_for(consultation, open_text=text), channel="phone", actor=bob
        )
    question = consultation.questions.get(kind="open")
    with django_capture_on_commit_callbacks(execute=True):
        run = results.synthesise_open_question(question, actor=alice)
    assert results.consultation_synthesis(consultation) == run
    report = generate_briefing([], alice, consultation_ids=[consultation.pk])
    lessons = report.sections.get(key="lessons").body
    assert "No synthesis has been run" not in lessons
    assert "heard at 1 of 1 consultation" in lessons

    # With two open questions, one question's themes are not the consultation's.
    Question.objects.create(
        consultation=consultation, kind=QuestionKind.OPEN, text="Anything else?", position=9
    )
    assert results.consultation_synthesis(consultation) is None
