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


SECOND = [
    "More volunteers on the phone tree.",
    "Keep the small grants going.",
    "Keep phoning the older members.",
    "Rent support for small groups.",
    "Grants for rent again next year.",
    "Weekly phone calls, please.",
]


def _two_open_questions(consultation, bob):
    """The consultation with a second open question, each answered by six people."""
    from cairn.consultations.models import Question, QuestionKind

    second = Question.objects.create(
        consultation=consultation, kind=QuestionKind.OPEN, text="What should change?", position=9
    )
    for first_text, second_text in zip(ANSWERS, SECOND, strict=True):
        raw = {**raw_for(consultation, open_text=first_text), second.pk: [second_text]}
        answering.enter_response(consultation, raw, channel="phone", actor=bob)
    return [*consultation.questions.filter(kind="open")]


def test_themes_across_all_answers_start_rerun_and_count_for_briefings(
    consultation, alice, bob, monkeypatch, django_capture_on_commit_callbacks
):
    """Questions synthesised one by one are not the consultation's themes (a briefing does
    not merge runs): the whole run is started from the results page, once while it waits,
    and re-run after, so a coordinator's renames are kept."""
    from cairn.consultations.synthesis_scopes import scope_key
    from cairn.core.models import AuditEntry
    from tests.insights.fakes import fake_synthesis

    monkeypatch.setattr("cairn.insights.services.runs.run_synthesis", fake_synthesis)
    questions = _two_open_questions(consultation, bob)
    with django_capture_on_commit_callbacks(execute=True):
        for q in questions:
            results.synthesise_open_question(q, actor=alice)
    themes = results.consultation_themes(consultation)
    assert themes.run is None and themes.only_by_question
    assert [q.pk for q in themes.by_question] == [q.pk for q in questions]

    with django_capture_on_commit_callbacks(execute=False):
        run = results.find_themes_across_answers(consultation, actor=alice)
        again = results.find_themes_across_answers(consultation, actor=alice)
    assert again.pk == run.pk and run.scope == scope_key(consultation)
    assert results.consultation_themes(consultation).finding
    assert AuditEntry.objects.filter(action="synthesis.started", object_id=str(run.pk)).exists()

    from cairn.insights.services import execute_run

    execute_run(run.pk)
    themes = results.consultation_themes(consultation)
    assert themes.run == run and not themes.only_by_question
    assert len(run.contribution_ids) == len(ANSWERS) + len(SECOND)
    with django_capture_on_commit_callbacks(execute=True):
        rerun = results.find_themes_across_answers(consultation, actor=alice)
    assert rerun.pk == run.pk
    assert AuditEntry.objects.filter(action="synthesis.rerun", object_id=str(run.pk)).exists()


def test_the_results_page_finds_the_themes_across_all_answers(
    consultation, alice, bob, client, monkeypatch, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from tests.insights.fakes import fake_synthesis

    monkeypatch.setattr("cairn.insights.services.runs.run_synthesis", fake_synthesis)
    _two_open_questions(consultation, bob)
    page_url = reverse("consultations:results", args=[consultation.pk])
    start_url = reverse("consultations:synthesise_all", args=[consultation.pk])
    client.force_login(alice)
    page = client.get(page_url).content.decode()
    assert "Find the themes across all answers (used in briefings)" in page
    assert start_url in page

    with django_capture_on_commit_callbacks(execute=False):
        reply = client.post(start_url)
    assert reply["Location"] == f"{page_url}#themes-all"
    run = results.whole_consultation_run(consultation)
    page = client.get(page_url).content.decode()
    assert f'data-progress="{reverse("insights:status", args=[run.pk])}"' in page
    assert "progress.js" in page
    # While it waits, a second start is not offered.
    assert "Find the themes across all answers (used in briefings)" not in page

    from cairn.insights.services import execute_run

    execute_run(run.pk)
    page = client.get(page_url).content.decode()
    assert "See the themes across all answers" in page and run.get_absolute_url() in page
    assert "Find the themes across all answers again" in page

    # A facilitator reads where the themes stand but starts nothing.
    client.force_login(bob)
    page = client.get(page_url).content.decode()
    assert "Themes across all answers" in page and start_url not in page
    assert client.post(start_url).status_code == 403
