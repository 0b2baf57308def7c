import pytest

from cairn.insights import services
from cairn.insights.models import Assignment, ThemeEdit, ThemeOrigin
from cairn.insights.services import InsightsError

pytestmark = pytest.mark.django_db


def rerun(run, alice, capture):
    with capture(execute=True):
        services.rerun_synthesis(run, alice)
    run.refresh_from_db()
    return run


def test_renaming_a_theme_survives_a_re_run(seed_run, alice, django_capture_on_commit_callbacks):
    theme = seed_run.themes.get(label="Other matters")
    services.rename_theme(theme, "Funding and trust", alice)
    run = rerun(seed_run, alice, django_capture_on_commit_callbacks)
    assert run.run_count == 2
    assert run.themes.filter(label="Funding and trust").exists()
    assert not run.themes.filter(label="Other matters").exists()


def test_merging_two_themes_survives_a_re_run(seed_run, alice, django_capture_on_commit_callbacks):
    tech = seed_run.themes.get(label="Technology")
    offline = seed_run.themes.get(label="Phone calls and letters")
    expected = tech.size + offline.size
    services.merge_themes(tech, offline, alice)
    tech.refresh_from_db()
    assert tech.size == expected
    run = rerun(seed_run, alice, django_capture_on_commit_callbacks)
    assert not run.themes.filter(label="Phone calls and letters").exists()
    assert run.themes.get(label="Technology").size == expected


def test_moving_statements_by_hand_survives_a_re_run(
    seed_run, alice, django_capture_on_commit_callbacks
):
    tech = seed_run.themes.get(label="Technology")
    private = seed_run.themes.get(label="Private sector")
    moved = list(tech.assignments.values_list("statement_id", flat=True)[:2])
    services.move_statements(seed_run, moved, private, alice)
    run = rerun(seed_run, alice, django_capture_on_commit_callbacks)
    for sid in moved:
        a = Assignment.objects.get(run=run, statement_id=sid)
        assert a.theme.label == "Private sector"
        assert a.moved_by_hand


def test_splitting_a_theme_makes_a_new_one_that_survives_a_re_run(
    seed_run, alice, django_capture_on_commit_callbacks
):
    tech = seed_run.themes.get(label="Technology")
    chosen = list(tech.assignments.values_list("statement_id", flat=True)[:2])
    new = services.split_theme(tech, chosen, "Access for deaf members", alice)
    assert new.origin == ThemeOrigin.EDITED
    assert new.size == 2
    run = rerun(seed_run, alice, django_capture_on_commit_callbacks)
    again = run.themes.get(label="Access for deaf members")
    assert set(again.assignments.values_list("statement_id", flat=True)) == set(chosen)


def test_every_edit_is_logged_with_who_made_it(seed_run, alice):
    theme = seed_run.themes.get(label="Technology")
    services.rename_theme(theme, "Digital access", alice)
    edit = ThemeEdit.objects.get(run=seed_run)
    assert edit.actor == alice
    assert "Digital access" in edit.summary


def test_a_theme_cannot_be_renamed_to_nothing(seed_run, alice):
    with pytest.raises(InsightsError):
        services.rename_theme(seed_run.themes.first(), "   ", alice)


def test_a_theme_cannot_be_merged_with_itself(seed_run, alice):
    theme = seed_run.themes.first()
    with pytest.raises(InsightsError):
        services.merge_themes(theme, theme, alice)


def test_themes_kept_after_a_failed_rerun_can_still_be_edited_and_the_page_says_whose_they_are(
    client, seed_run, alice, monkeypatch, django_capture_on_commit_callbacks
):
    from cairn.insights.models import RunStatus

    def broken(*args, **kwargs):
        raise RuntimeError("the model files are missing")

    monkeypatch.setattr("cairn.insights.services.runs.run_synthesis", broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.rerun_synthesis(seed_run, alice)
    seed_run.refresh_from_db()
    assert seed_run.status == RunStatus.FAILED
    theme = seed_run.themes.get(label="Technology")
    services.rename_theme(theme, "Digital access", alice)
    assert seed_run.themes.filter(label="Digital access").exists()

    client.force_login(alice)
    page = client.get(seed_run.get_absolute_url()).content.decode()
    assert "The synthesis failed" in page
    assert "The themes below are from its last run that finished" in page
    assert "Edit this theme" in page
