import pytest
from django.utils import timezone

from cairn.contributions.services import record_contribution
from cairn.events.models import BreakoutTheme, Event
from cairn.reports.document import build_document
from cairn.reports.services import ReportError, generate_briefing
from tests.insights.conftest import synthesised

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_event(seed_run, alice, django_capture_on_commit_callbacks):
    event = Event.objects.create(
        title="Autumn gathering",
        # Held after the seed event, and already over: briefings count only what has happened.
        starts_at=timezone.now() - timezone.timedelta(days=1),
        ends_at=timezone.now() - timezone.timedelta(days=1) + timezone.timedelta(hours=2),
    )
    tech = BreakoutTheme.objects.create(event=event, name="Technology", position=0)
    for text in (
        "Broadband is still too dear for many of our members.",
        "Video meetings work now.",
    ):
        record_contribution(text=text, channel="breakout_note", theme=tech, consent_to_quote=True)
    record_contribution(
        text="Please phone me with the news.", channel="letter", event=event, consent_to_quote=True
    )
    transport = BreakoutTheme.objects.create(event=event, name="Transport", position=1)
    record_contribution(
        text="The community bus should run on Sundays.",
        channel="breakout_note",
        theme=transport,
        consent_to_quote=True,
    )
    synthesised(event, alice, django_capture_on_commit_callbacks)
    return event


@pytest.fixture
def future_event(seed_run):
    return Event.objects.create(
        title="Spring gathering",
        starts_at=timezone.now() + timezone.timedelta(days=30),
        ends_at=timezone.now() + timezone.timedelta(days=30, hours=2),
    )


def test_a_briefing_finds_lessons_that_recur_across_events(seed_run, second_event, alice):
    report = generate_briefing([seed_run.event, second_event], alice)
    lessons = report.sections.get(key="lessons").body
    assert "Technology: heard at 2 of 2 events" in lessons
    change = report.sections.get(key="over_time").body
    assert "Technology" in change and "→" in change


def test_how_things_changed_gives_each_lessons_share_event_by_event_and_what_is_new(
    seed_run, second_event, alice
):
    report = generate_briefing([second_event, seed_run.event], alice)
    change = report.sections.get(key="over_time").body
    line = next(line for line in change.splitlines() if line.startswith("- Technology:"))
    first, second = line.split(" → ")
    assert seed_run.event.title in first and "Autumn gathering" in second
    assert "%" in first and "%" in second
    assert "heard" in second and "often" in second
    assert "New at Autumn gathering: Transport." in change
    assert "Fewer than 10 points were heard at Autumn gathering" in change


def test_an_event_that_has_not_happened_is_not_counted_and_subtitle_and_summary_agree(
    seed_run, second_event, future_event, alice
):
    report = generate_briefing([seed_run.event, second_event, future_event], alice)
    summary = report.sections.get(key="summary").body
    assert "at 2 events:" in summary
    assert "Spring gathering has not happened yet, so it is not counted." in summary
    assert "heard at 2 of 2 events" in report.sections.get(key="lessons").body
    doc = build_document(report, public=True)
    assert doc["subtitle"].startswith("2 events, ")


def test_a_briefing_of_only_events_still_to_come_is_refused(future_event, alice):
    with pytest.raises(ReportError, match="happened"):
        generate_briefing([future_event], alice)


def test_themes_that_say_the_same_thing_in_other_words_are_one_lesson():
    from cairn.insights.models import Theme
    from cairn.reports.briefing import same_lesson

    a = Theme(label="Video calls left older members out", keyphrases=["video calls"])
    b = Theme(label="Older members were left out of video calls", keyphrases=["older members"])
    c = Theme(label="Funding for small groups came too late", keyphrases=["funding"])
    assert same_lesson(a, b)
    assert not same_lesson(a, c)


def test_themes_on_opposite_sides_are_never_one_lesson_even_in_the_same_words():
    from cairn.insights.models import Theme
    from cairn.reports.briefing import same_lesson

    pro = Theme(
        label="Child vaccination should be mandatory",
        keyphrases=["child vaccination", "vaccination mandatory"],
        stances={"positive": 9, "challenge": 1},
    )
    con = Theme(
        label="Child vaccination should not be mandatory",
        keyphrases=["vaccination mandatory", "child vaccination"],
        stances={"positive": 1, "challenge": 8},
    )
    assert not same_lesson(pro, con)


def test_a_briefing_says_who_was_not_heard(seed_run, alice):
    report = generate_briefing([seed_run.event], alice)
    unheard = report.sections.get(key="not_heard").body
    assert "Nothing reached us by" in unheard
    assert "meeting chat" in unheard


def test_who_was_not_heard_counts_the_contributions_that_gave_no_sector(seed_run, alice):
    from cairn.contributions.models import Contribution

    words = Contribution.objects.filter(event=seed_run.event)
    total = words.count()
    words.filter(pk__in=list(words.values_list("pk", flat=True)[:3])).update(author_sector="")
    unknown = words.filter(author_sector="").count()
    report = generate_briefing([seed_run.event], alice)
    unheard = report.sections.get(key="not_heard").body
    assert f"{unknown} of {total} contributions came with no sector" in unheard


def test_a_briefing_has_a_short_summary_and_an_evidence_appendix_with_quotes(seed_run, alice):
    report = generate_briefing([seed_run.event], alice)
    keys = list(report.sections.values_list("key", flat=True))
    assert keys[:4] == ["summary", "lessons", "not_heard", "over_time"]
    evidence = report.sections.filter(key__startswith="evidence:")
    assert evidence.exists()
    assert any(s.quotes.exists() for s in evidence)
    doc = build_document(report, public=True)
    assert doc["kind"] == "briefing"


def test_a_briefing_needs_at_least_one_event(alice):
    with pytest.raises(ReportError):
        generate_briefing([], alice)


def test_a_briefing_can_draw_on_a_consultation_too(
    seed_run, alice, fake_engine_for_reports, django_capture_on_commit_callbacks
):
    from cairn.consultations.models import Consultation
    from cairn.consultations.services.results import synthesise_consultation

    consultation = Consultation.objects.first()
    with django_capture_on_commit_callbacks(execute=True):
        synthesise_consultation(consultation, actor=alice)
    report = generate_briefing([seed_run.event], alice, consultation_ids=[consultation.pk])
    summary = report.sections.get(key="summary").body
    assert consultation.title in summary and seed_run.event.title in summary
    assert "2 events and consultations" in summary
    assert build_document(report, public=True)["subtitle"].startswith("2 events and consultations")


def test_a_coordinator_drafts_a_report_of_one_consultation_from_the_web(
    client, seed_run, alice, fake_engine_for_reports, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from cairn.consultations.models import Consultation
    from cairn.consultations.services.results import synthesise_consultation
    from cairn.reports.models import Report

    consultation = Consultation.objects.first()
    with django_capture_on_commit_callbacks(execute=True):
        synthesise_consultation(consultation, actor=alice)
    client.force_login(alice)
    results = client.get(reverse("consultations:results", args=[consultation.pk]))
    assert "Draft a report of this consultation" in results.content.decode()
    response = client.post(
        reverse("reports:briefing"),
        {"consultations": [str(consultation.pk)], "title": f"What we heard: {consultation.title}"},
    )
    report = Report.objects.get(title=f"What we heard: {consultation.title}")
    assert response.url == report.get_absolute_url()
    assert list(report.consultations.all()) == [consultation]
    assert consultation.title in report.sections.get(key="summary").body


def test_a_double_click_on_generate_a_briefing_gives_one_briefing(client, seed_run, alice):
    from cairn.reports.models import Report, ReportKind

    client.force_login(alice)
    form = {"events": [seed_run.event.pk], "title": ""}
    first = client.post("/reports/briefing/", form)
    second = client.post("/reports/briefing/", form, follow=True)
    assert Report.objects.filter(kind=ReportKind.BRIEFING).count() == 1
    assert first["Location"] == second.redirect_chain[0][0]
    assert "already" in second.content.decode()
    # Other events, or another title, are another briefing.
    client.post("/reports/briefing/", {**form, "title": "For the council"})
    assert Report.objects.filter(kind=ReportKind.BRIEFING).count() == 2


def test_a_rerun_that_failed_or_still_runs_keeps_the_events_lessons_in_a_briefing(
    seed_run, alice, monkeypatch, django_capture_on_commit_callbacks
):
    """A re-run replaces the themes only when it succeeds; until then (waiting, running,
    or failed because its worker died) the last result is what the event has to say."""
    from cairn.insights import services as insights
    from cairn.insights.models import RunStatus, SynthesisRun

    # The demo loader synthesised the event too: this run is to be its only one.
    SynthesisRun.objects.filter(event=seed_run.event).exclude(pk=seed_run.pk).delete()

    def broken(*args, **kwargs):
        raise RuntimeError("the model files are missing")

    monkeypatch.setattr("cairn.insights.services.runs.run_synthesis", broken)
    with django_capture_on_commit_callbacks(execute=True):
        insights.rerun_synthesis(seed_run, alice)
    seed_run.refresh_from_db()
    assert seed_run.status == RunStatus.FAILED and seed_run.themes.exists()

    lessons = generate_briefing([seed_run.event], alice).sections.get(key="lessons").body
    assert "Technology: heard at 1 of 1 event" in lessons
    assert "No synthesis has been run" not in lessons

    with django_capture_on_commit_callbacks(execute=False):
        insights.rerun_synthesis(seed_run, alice)
    seed_run.refresh_from_db()
    assert seed_run.status == RunStatus.QUEUED
    lessons = generate_briefing([seed_run.event], alice).sections.get(key="lessons").body
    assert "Technology: heard at 1 of 1 event" in lessons


def test_key_lessons_say_which_sources_heard_at_counts_out_of(seed_run, alice):
    """The summary counts every chosen source, "heard at N of M" only those with a
    synthesis: the lessons say which, so "2 events and consultations" above and
    "heard at 1 of 1 event" below do not read as a contradiction."""
    from cairn.consultations.models import Consultation
    from cairn.consultations.services.results import consultation_synthesis

    consultation = Consultation.objects.first()
    assert consultation_synthesis(consultation) is None
    report = generate_briefing([seed_run.event], alice, consultation_ids=[consultation.pk])
    assert "2 events and consultations" in report.sections.get(key="summary").body
    lessons = report.sections.get(key="lessons").body
    assert (
        "Lessons are drawn from the 1 of 2 events and consultations that has a synthesis so far: "
        f"{seed_run.event.title}." in lessons
    )
    assert "heard at 1 of 1 event," in lessons


def test_key_lessons_have_no_such_note_when_every_source_has_a_synthesis(seed_run, alice):
    lessons = generate_briefing([seed_run.event], alice).sections.get(key="lessons").body
    assert "Lessons are drawn from" not in lessons


def test_how_things_changed_does_not_claim_a_synthesis_that_is_not_there(seed_run, alice):
    """With none synthesised it said "Only one of these ... has a synthesis so far"."""
    from cairn.consultations.models import Consultation

    unsynthesised = Consultation.objects.first()
    report = generate_briefing([], alice, consultation_ids=[unsynthesised.pk])
    change = report.sections.get(key="over_time").body
    assert change == (
        "This briefing draws on 1 consultation, so there is no change over time to show."
    )
    second = Consultation.objects.create(title="Second round", asked_by=unsynthesised.asked_by)
    report = generate_briefing([], alice, consultation_ids=[unsynthesised.pk, second.pk])
    assert report.sections.get(key="over_time").body == (
        "None of these events and consultations has a synthesis yet, so there is no change over "
        "time to show."
    )


def _answered_twice(alice, bob):
    """A consultation with two open questions, each answered by six people."""
    from cairn.consultations.models import Question, QuestionKind
    from cairn.consultations.services import answering
    from tests.consultations.conftest import make_consultation, raw_for

    consultation = make_consultation(alice)
    second = Question.objects.create(
        consultation=consultation, kind=QuestionKind.OPEN, text="What should change?", position=9
    )
    for n, text in enumerate(["Phone tree.", "Weekly calls.", "Small grants.", "Rent help."] * 2):
        raw = {**raw_for(consultation, open_text=text), second.pk: [f"{text} Again {n}."]}
        answering.enter_response(consultation, raw, channel="phone", actor=bob)
    return consultation


def test_a_briefing_says_truly_when_a_consultations_themes_were_found_question_by_question(
    alice, bob, client, fake_engine_for_reports, django_capture_on_commit_callbacks
):
    """Each open question synthesised on its own is not "no synthesis has been run": the
    briefing says what was done, the coordinators' note (not the text) links to what to do
    next, and the whole run, once found, gives the lessons."""
    from django.urls import reverse

    from cairn.consultations.services import results

    consultation = _answered_twice(alice, bob)
    with django_capture_on_commit_callbacks(execute=True):
        for q in consultation.questions.filter(kind="open"):
            results.synthesise_open_question(q, actor=alice)
    report = generate_briefing([], alice, consultation_ids=[consultation.pk])
    summary = report.sections.get(key="summary").body
    lessons = report.sections.get(key="lessons").body
    assert "No synthesis has been run" not in summary + lessons
    assert (
        f"Themes were found question by question for {consultation.title}, but not yet across "
        "all its answers" in summary
    )
    assert "No lessons yet: themes were found question by question" in lessons

    fix = reverse("consultations:results", args=[consultation.pk]) + "#themes-all"
    client.force_login(alice)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Not in the lessons yet" in page and fix in page
    public = build_document(report, public=True)
    assert fix not in str(public) and "/consultations/" not in str(public)

    with django_capture_on_commit_callbacks(execute=True):
        results.find_themes_across_answers(consultation, actor=alice)
    report = generate_briefing([], alice, "Again", consultation_ids=[consultation.pk])
    lessons = report.sections.get(key="lessons").body
    assert "heard at 1 of 1 consultation" in lessons
    assert "question by question" not in report.sections.get(key="summary").body
    assert "Not in the lessons yet" not in client.get(report.get_absolute_url()).content.decode()


def test_the_briefing_form_says_before_generating_which_consultations_add_no_lessons(
    alice, bob, client, fake_engine_for_reports, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from cairn.consultations.services import results

    consultation = _answered_twice(alice, bob)
    client.force_login(alice)
    form = client.get(reverse("reports:list")).content.decode()
    assert f'aria-describedby="co-{consultation.pk}-themes"' in form
    assert "No themes found yet: it would count in the figures" in form

    with django_capture_on_commit_callbacks(execute=True):
        for q in consultation.questions.filter(kind="open"):
            results.synthesise_open_question(q, actor=alice)
    form = client.get(reverse("reports:list")).content.decode()
    assert "Themes were found question by question only" in form
    assert reverse("consultations:results", args=[consultation.pk]) + "#themes-all" in form

    from cairn.insights.services import execute_run

    with django_capture_on_commit_callbacks(execute=False):
        run = results.find_themes_across_answers(consultation, actor=alice)
    assert "Its themes are being found now" in client.get(reverse("reports:list")).content.decode()

    execute_run(run.pk)
    form = client.get(reverse("reports:list")).content.decode()
    assert f'co-{consultation.pk}-themes"' not in form
