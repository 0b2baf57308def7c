import pytest
from django.test import override_settings

from cairn.contributions.models import ContributionChannel
from cairn.contributions.services import record_contribution
from cairn.insights import services
from cairn.insights.models import RunMode, RunStatus, SynthesisRun
from cairn.insights.services import InsightsError

pytestmark = pytest.mark.django_db


def test_a_guided_synthesis_stores_breakout_themes_and_cross_cutting_ones(seed_run):
    assert seed_run.status == RunStatus.DONE
    labels = [t.label for t in seed_run.themes.all()]
    assert labels[:4] == ["Technology", "Sustainability", "Positive signs", "Private sector"]
    assert "Phone calls and letters" in labels
    assert all(t.breakout_theme_id for t in seed_run.themes.all()[:4])
    assert seed_run.assignments.count() == seed_run.event.contributions.count()


def test_counts_include_letters_and_phone_calls_like_any_other_channel(seed_run):
    offline = seed_run.themes.get(label="Phone calls and letters")
    assert offline.counts["channel"].get(ContributionChannel.PHONE, 0) >= 1
    total_letters = sum(t.counts["channel"].get("letter", 0) for t in seed_run.themes.all())
    letters = seed_run.event.contributions.filter(channel="letter").count()
    unassigned_letters = seed_run.assignments.filter(
        theme__isnull=True, contribution__channel="letter"
    ).count()
    assert total_letters + unassigned_letters == letters


def test_a_failed_synthesis_keeps_the_error_on_the_run(
    demo, alice, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("the model files are missing")

    monkeypatch.setattr("cairn.insights.services.runs.run_synthesis", broken)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_synthesis(alice, event=demo)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "model files are missing" in run.error


def test_an_event_without_contributions_cannot_be_synthesised(alice, demo):
    from cairn.events.models import Event

    empty = Event.objects.create(
        title="Nobody came", starts_at=demo.starts_at, ends_at=demo.ends_at
    )
    with pytest.raises(InsightsError, match="no contributions"):
        services.start_synthesis(alice, event=empty)
    assert not SynthesisRun.objects.filter(event=empty).exists()


def test_discover_mode_is_used_when_an_event_has_no_breakout_themes(
    alice, demo, fake_engine, django_capture_on_commit_callbacks
):
    from cairn.events.models import Event

    other = Event.objects.exclude(pk=demo.pk).first()
    other.breakout_themes.all().delete()
    record_contribution(text="We need a minibus", channel="letter", event=other)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_synthesis(alice, event=other, mode=RunMode.GUIDED)
    assert run.mode == RunMode.DISCOVER


def test_the_real_library_synthesises_the_demo_event(
    demo, alice, django_capture_on_commit_callbacks
):
    pytest.importorskip("cairn.synthesis.pipeline")
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_synthesis(
            alice, event=demo, mode=RunMode.DISCOVER, options={"embedder": "tfidf"}
        )
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert run.themes.exists()
    assert run.assignments.count() == demo.contributions.count()


def test_a_consultation_can_be_synthesised_from_its_open_answers(
    client, demo, alice, fake_engine, django_capture_on_commit_callbacks
):
    """Chosen on the synthesis page, which the consultations app offers it to."""
    from cairn.consultations.models import Answer, Consultation
    from cairn.insights.models import SynthesisRun

    consultation = Consultation.objects.first()
    answers = Answer.objects.filter(response__consultation=consultation, contribution__isnull=False)
    assert answers.exists(), "the demo consultation has open answers"
    client.force_login(alice)
    page = client.get("/insights/").content.decode()
    assert f'<option value="c{consultation.pk}">{consultation.title}</option>' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/insights/start/", {"scope": f"c{consultation.pk}", "mode": "guided"})
    run = SynthesisRun.objects.get(scope=f"c{consultation.pk}")
    assert run.title == consultation.title
    assert run.mode == RunMode.DISCOVER
    assert run.assignments.count() == answers.count()

    # A re-run reads the consultation afresh: an answer removed from its scope goes.
    gone = answers.first()
    gone.contribution = None
    gone.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.rerun_synthesis(run, alice)
    run.refresh_from_db()
    assert run.assignments.count() == answers.count()


def test_guided_themes_are_described_by_what_their_rooms_noted(
    demo, alice, monkeypatch, django_capture_on_commit_callbacks
):
    from tests.insights.fakes import fake_synthesis

    seen = {}

    def spy(statements, *, themes=None, options=None, progress=None):
        seen.update({t.label: t.description for t in themes or []})
        return fake_synthesis(statements, themes=themes, options=options)

    monkeypatch.setattr("cairn.insights.services.runs.run_synthesis", spy)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_synthesis(alice, event=demo, mode=RunMode.GUIDED)
    assert "paperweight" in seen["Technology"]
    assert seen["Technology"].startswith("How far can we rely on online tools")


def test_the_typed_result_is_stored_with_the_pipelines_counts_and_set_aside_groups(
    seed_run,
):
    from cairn.insights.models import Assignment
    from cairn.synthesis.types import Result, SetAside, Statement, Theme

    contribution = Assignment.objects.filter(run=seed_run).first().contribution
    cid = str(contribution.pk)
    result = Result(
        themes=[
            Theme(
                id="t1",
                label="The bus to the hospital is too expensive",
                keyphrases=["bus fares"],
                headline="The bus is too expensive.",
                summary=["Fares went up again."],
                quotes=[{"id": "a#1", "text": "The bus is too expensive."}],
                size=2,
                counts={"channel": {"web": 2}, "sector": {"community": 2}},
                statement_ids=["a#1", "a#2"],
                stances={"challenge": 2},
                headline_id="a#1",
                summary_ids=["a#2"],
                side="challenge",
            )
        ],
        assignments={"a#1": "t1", "a#2": "t1", "b": None},
        confidences={"a#1": 0.9, "a#2": 0.8, "b": 0.0},
        stances={"a#1": "challenge", "a#2": "challenge", "b": "other"},
        unassigned=["b"],
        duplicates=[],
        languages={"en": 3},
        warnings=[],
        options={},
        set_aside=[SetAside("greeting", "Greetings", 1, ["b"])],
        statements=[
            Statement("a#1", "The bus is too expensive.", {}, cid),
            Statement("a#2", "Fares went up again.", {}, cid),
            Statement("b", "Hi all", {}, cid),
        ],
    )
    seed_run.edits.all().delete()
    services.store_result(seed_run, result)
    seed_run.refresh_from_db()
    theme = seed_run.themes.get()
    assert theme.label == "The bus to the hospital is too expensive"
    assert theme.size == 2 and theme.counts["channel"] == {"web": 2}
    assert theme.counts["side"] == "challenge" and theme.counts["contributions"] == 1
    assert theme.summary == ["a#1", "a#2"]  # the headline's statement, then the summary's
    assert seed_run.stats["set_aside"] == {"greeting": 1}
    greeting = Assignment.objects.get(run=seed_run, statement_id="b")
    assert greeting.theme is None and greeting.set_aside == "greeting"
    assert Assignment.objects.get(run=seed_run, statement_id="a#1").set_aside == ""


def test_a_second_click_on_start_while_the_first_waits_follows_the_same_run(client, alice, demo):
    """A double click, or a second coordinator starting the same synthesis while the first
    is still waiting, queued the whole work twice; now the second follows the first."""
    from django_tasks_db.models import DBTaskResult

    client.force_login(alice)
    form = {"scope": f"e{demo.pk}", "mode": RunMode.DISCOVER}
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        first = client.post("/insights/start/", form)
        second = client.post("/insights/start/", form)
    assert SynthesisRun.objects.filter(event=demo, mode=RunMode.DISCOVER).count() == 1
    assert first["Location"] == second["Location"]
    assert DBTaskResult.objects.filter(task_path__endswith="synthesis_task").count() <= 1
    # Another mode is another synthesis.
    guided = SynthesisRun.objects.filter(event=demo, mode=RunMode.GUIDED)
    before = guided.count()
    client.post("/insights/start/", {**form, "mode": RunMode.GUIDED})
    assert guided.count() == before + 1


def test_the_progress_shown_while_running_names_each_stage_in_plain_words(
    demo, alice, monkeypatch, django_capture_on_commit_callbacks
):
    """The library reports "split", "cluster", "label"...: the page said "Running: cluster"."""
    from tests.insights.fakes import fake_synthesis

    seen = []

    def reporting(statements, *, themes=None, options=None, progress=None):
        progress("cluster", 0.5)
        seen.append(SynthesisRun.objects.latest("pk").stage)
        return fake_synthesis(statements, themes=themes, options=options)

    monkeypatch.setattr("cairn.insights.services.runs.run_synthesis", reporting)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_synthesis(alice, event=demo)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert seen == ["Grouping statements into themes"]
