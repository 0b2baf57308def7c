import re

import pytest
from django.urls import reverse

from cairn.contributions.models import Contribution

pytestmark = pytest.mark.django_db


def test_the_synthesis_page_shows_themes_with_counts_and_linked_quotes(client, alice, seed_run):
    used = {"embedder_used": "hybrid(static:minilm-static+tfidf-char)"}
    seed_run.options = {**seed_run.options, "used": used}
    seed_run.save(update_fields=["options"])
    client.force_login(alice)
    response = client.get(seed_run.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    for label in ("Technology", "Sustainability", "Positive signs", "Private sector"):
        assert label in body
    assert "phone call" in body
    # the page says how the themes were found, in words rather than the engine's names
    assert (
        "Themes found by the meaning of words (Cairn&#x27;s built-in language model) "
        "and shared wording." in body
    )
    assert "hybrid(" not in body and "tfidf" not in body
    quoted = seed_run.themes.get(label="Technology").assignments.first().contribution
    assert quoted.get_absolute_url() in body


def test_members_cannot_open_a_synthesis(client, charlie, seed_run):
    client.force_login(charlie)
    assert client.get(seed_run.get_absolute_url()).status_code == 403


def test_a_facilitator_sees_quotes_without_links_to_contributions_they_cannot_open(
    client, bob, seed_run
):
    client.force_login(bob)
    body = client.get(seed_run.get_absolute_url()).content.decode()
    assert "Open the contribution" not in body
    assert "Technology" in body


def test_a_quote_without_consent_is_hidden_from_those_who_cannot_open_it(client, bob, seed_run):
    theme = seed_run.themes.get(label="Technology")
    first = theme.assignments.get(statement_id=theme.quotes[0])
    Contribution.objects.filter(pk=first.contribution_id).update(consent_to_quote=False)
    client.force_login(bob)
    body = client.get(seed_run.get_absolute_url()).content.decode()
    assert first.text[:40] not in body


def test_a_facilitator_cannot_edit_themes(client, bob, seed_run):
    theme = seed_run.themes.first()
    client.force_login(bob)
    url = reverse("insights:rename", args=[seed_run.pk, theme.pk])
    assert client.post(url, {"label": "Hijacked"}).status_code == 403
    theme.refresh_from_db()
    assert theme.label != "Hijacked"


def test_a_coordinator_renames_and_moves_with_plain_forms(client, alice, seed_run):
    client.force_login(alice)
    theme = seed_run.themes.get(label="Technology")
    client.post(
        reverse("insights:rename", args=[seed_run.pk, theme.pk]), {"label": "Digital access"}
    )
    theme.refresh_from_db()
    assert theme.label == "Digital access"
    target = seed_run.themes.get(label="Private sector")
    sid = theme.assignments.first().statement_id
    response = client.post(
        reverse("insights:statements", args=[seed_run.pk, theme.pk]),
        {"statement": [sid], "to": target.pk, "action": "move"},
        follow=True,
    )
    assert response.status_code == 200
    assert target.assignments.filter(statement_id=sid).exists()
    # One statement is "1 statement", in the message and in the page's list of edits.
    assert "1 statement moved." in response.content.decode()
    assert seed_run.edits.latest("pk").summary == "Moved 1 statement to “Private sector”"


def test_splitting_without_a_name_gives_a_clear_message(client, alice, seed_run):
    client.force_login(alice)
    theme = seed_run.themes.get(label="Technology")
    sid = theme.assignments.first().statement_id
    response = client.post(
        reverse("insights:statements", args=[seed_run.pk, theme.pk]),
        {"statement": [sid], "action": "split", "label": ""},
        follow=True,
    )
    assert "Give the new theme a name" in response.content.decode()


def test_a_failed_run_shows_its_error_on_the_page(client, alice, seed_run):
    seed_run.status = "failed"
    seed_run.error = "Out of memory while embedding"
    seed_run.save()
    client.force_login(alice)
    body = client.get(seed_run.get_absolute_url()).content.decode()
    assert "The synthesis failed" in body
    assert "Out of memory while embedding" in body


def test_a_running_synthesis_reports_its_progress(client, alice, seed_run):
    seed_run.status = "running"
    seed_run.progress = 40
    seed_run.stage = "embed"
    seed_run.save()
    client.force_login(alice)
    body = client.get(seed_run.get_absolute_url()).content.decode()
    assert 'value="40"' in body and "Refresh" in body
    status = client.get(reverse("insights:status", args=[seed_run.pk])).json()
    assert status == {
        "status": "running",
        "label": "Running",
        "active": True,
        "progress": 40,
        "percent": 40,
        "stage": "embed",
        "error": "",
    }


def test_the_theme_page_lists_its_statements(client, alice, seed_run):
    client.force_login(alice)
    theme = seed_run.themes.get(label="Technology")
    body = client.get(theme.get_absolute_url()).content.decode()
    assert theme.assignments.first().text[:30] in body
    assert client.get(reverse("insights:unassigned", args=[seed_run.pk])).status_code == 200


def test_a_coordinator_starts_a_synthesis_from_the_list_page(
    client, alice, demo, fake_engine, django_capture_on_commit_callbacks
):
    from cairn.insights.models import SynthesisRun

    client.force_login(alice)
    assert client.get(reverse("insights:list")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("insights:start"), {"scope": f"e{demo.pk}", "mode": "guided"}
        )
    run = SynthesisRun.objects.filter(event=demo).latest("pk")
    assert response.url == run.get_absolute_url()
    assert run.status == "done"


def test_the_synthesis_page_shows_sides_and_what_was_set_aside(client, alice, seed_run):
    from cairn.insights.models import Assignment

    Assignment.objects.filter(run=seed_run).update(theme=None)
    # A run stored before the rows kept their reason: the counts the synthesis gave.
    seed_run.stats = {"statements": 1252, "set_aside": {"nothing": 1249, "greeting": 3}}
    seed_run.save(update_fields=["stats"])
    client.force_login(alice)
    response = client.get(seed_run.get_absolute_url())
    page = response.content.decode()
    assert "positive" in page or "challenge" in page
    assert "set aside as saying nothing about the subject, not forced into a theme:" in page
    assert "Nothing to add or improve: 1249" in page and "Greetings: 3" in page


def test_a_set_aside_statement_moved_into_a_theme_leaves_the_set_aside_count(
    client, alice, seed_run
):
    from cairn.insights.models import Assignment
    from cairn.insights.services import move_statements

    rows = list(Assignment.objects.filter(run=seed_run).order_by("pk")[:3])
    Assignment.objects.filter(pk__in=[r.pk for r in rows]).update(theme=None, set_aside="thanks")
    seed_run.stats = {**seed_run.stats, "set_aside": {"thanks": 3}}
    seed_run.save(update_fields=["stats"])
    client.force_login(alice)
    assert "Thanks: 3" in client.get(seed_run.get_absolute_url()).content.decode()

    theme = seed_run.themes.first()
    move_statements(seed_run, [rows[0].statement_id], theme, alice)
    page = client.get(seed_run.get_absolute_url()).content.decode()
    assert "Thanks: 2" in page and "Thanks: 3" not in page
    # Moved back out by hand, it fits no theme: the coordinator's word, not the synthesis's.
    move_statements(seed_run, [rows[0].statement_id], None, alice)
    page = client.get(seed_run.get_absolute_url()).content.decode()
    assert "Thanks: 2" in page
    assert "1 statement fits none of the themes." in page


@pytest.mark.parametrize(
    ("status", "offered"),
    [("queued", False), ("running", False), ("done", True), ("failed", True)],
)
def test_run_again_is_offered_only_once_a_run_has_ended(client, alice, seed_run, status, offered):
    from cairn.insights.models import SynthesisRun

    SynthesisRun.objects.filter(pk=seed_run.pk).update(status=status)
    client.force_login(alice)
    body = client.get(seed_run.get_absolute_url()).content.decode()
    assert ("Run again on the latest contributions" in body) is offered
    assert (reverse("insights:rerun", args=[seed_run.pk]) in body) is offered


def test_a_run_whose_worker_stopped_offers_run_again(client, alice, seed_run):
    from datetime import timedelta

    from django.utils import timezone

    from cairn.insights.models import SynthesisRun
    from cairn.insights.services import fail_stale_runs

    long_ago = timezone.now() - timedelta(hours=1)
    SynthesisRun.objects.filter(pk=seed_run.pk).update(status="running", heartbeat_at=long_ago)
    assert fail_stale_runs() == 1
    client.force_login(alice)
    assert (
        "Run again on the latest contributions"
        in client.get(seed_run.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize("run_count", [0, 1])
def test_a_waiting_run_is_not_queued_a_second_time(client, alice, seed_run, run_count):
    from cairn.insights.models import SynthesisRun

    SynthesisRun.objects.filter(pk=seed_run.pk).update(status="queued", run_count=run_count)
    client.force_login(alice)
    response = client.post(reverse("insights:rerun", args=[seed_run.pk]), follow=True)
    assert "already running" in response.content.decode()
    seed_run.refresh_from_db()
    assert seed_run.status == "queued" and seed_run.run_count == run_count


@pytest.mark.parametrize(
    ("name", "words"),
    [
        (
            "hybrid(minilm+tfidf-char)",
            "the meaning of sentences (the full MiniLM language model) and shared wording",
        ),
        ("tfidf-char", "shared wording"),
        ("static:minilm-static", "the meaning of words (Cairn's built-in language model)"),
        ("something-new", "something-new"),
        ("", ""),
    ],
)
def test_each_engine_name_reads_in_plain_words(name, words):
    from cairn.insights.engine import method_in_plain_words

    assert method_in_plain_words(name) == words


def test_statements_set_aside_are_not_counted_again_as_fitting_no_theme(client, alice, seed_run):
    """A set-aside statement is in no theme too: the page tells the two groups apart
    instead of reporting it once as set aside and again as fitting no theme."""
    from cairn.insights.models import Assignment

    some = Assignment.objects.filter(run=seed_run).values_list("pk", flat=True)[:3]
    Assignment.objects.filter(pk__in=list(some)).update(theme=None)
    unassigned = Assignment.objects.filter(run=seed_run, theme__isnull=True).count()
    assert unassigned == 3
    Assignment.objects.filter(pk__in=list(some)[1:]).update(set_aside="nothing")
    seed_run.stats = {**seed_run.stats, "set_aside": {"nothing": unassigned - 1}}
    seed_run.save(update_fields=["stats"])
    client.force_login(alice)
    page = client.get(seed_run.get_absolute_url()).content.decode()
    assert f"{unassigned - 1} statements set aside as saying nothing" in page
    assert "1 statement fits none of the themes." in page
    assert f"Read the {unassigned} statements in no theme" in page


def test_a_finished_synthesis_with_every_statement_set_aside_says_so(
    client, alice, seed_run, django_capture_on_commit_callbacks
):
    """Not "No themes yet" (as if more were coming) with nothing on where the statements
    went: it says none were found and counts what was set aside."""
    from cairn.insights.models import Assignment

    Assignment.objects.filter(run=seed_run).update(theme=None)
    seed_run.themes.all().delete()
    total = Assignment.objects.filter(run=seed_run).count()
    Assignment.objects.filter(run=seed_run).update(set_aside="thanks")
    seed_run.stats = {**seed_run.stats, "statements": total, "set_aside": {"thanks": total}}
    seed_run.save(update_fields=["stats"])
    client.force_login(alice)
    page = client.get(seed_run.get_absolute_url()).content.decode()
    assert "No themes yet" not in page
    assert f"No themes were found in these {total} statements." in page
    assert f"Thanks: {total}" in page
    assert f"Read the {total} statements in no theme" in page


def test_a_long_synthesis_page_lists_its_themes_first_and_folds_all_but_two_quotes(
    client, alice, seed_run
):
    """With 15 themes of 6 quotes each the page ran to 20,000 pixels on a phone: a list of
    the themes leads to each, and each shows two quotes with the rest behind a summary."""
    import re

    client.force_login(alice)
    page = client.get(seed_run.get_absolute_url()).content.decode()
    themes = list(seed_run.themes.all())
    assert len(themes) > 3
    assert f"{len(themes)} themes</h2>" in page
    contents = page.split('class="theme-contents"', 1)[1].split("</nav>", 1)[0]
    for theme in themes:
        assert f'href="#theme-{theme.pk}"' in contents and f'id="theme-{theme.pk}"' in page
    tech = page.split(f'id="theme-{themes[0].pk}"', 1)[1].split("</section>", 1)[0]
    shown, folded = tech.split('<details class="more-quotes">', 1)
    assert shown.count("<blockquote>") == 2
    assert re.search(r"<summary>1 more quote<span", folded)
    assert folded.split("</details>", 1)[0].count("<blockquote>") == 1


def test_stances_and_sides_are_words_for_the_reader_not_the_librarys_codes(client, alice, seed_run):
    client.force_login(alice)
    theme = seed_run.themes.get(label="Technology")
    theme.counts = {**theme.counts, "side": "challenge"}
    theme.save(update_fields=["counts"])
    page = client.get(seed_run.get_absolute_url()).content.decode()
    assert "<strong>The challenging side of a topic argued both ways</strong>:" in page
    rows = client.get(theme.get_absolute_url()).content.decode().split("<tbody>", 1)[1]
    stances = set(re.findall(r'<td data-label="Stance">(\w+)</td>', rows))
    assert stances and stances <= {"Positive", "Challenge"}


def test_cross_cutting_is_said_only_where_there_were_breakout_themes_to_cut_across(
    client, alice, seed_run
):
    """A consultation's themes were discovered, not found beside breakout themes: calling
    each of them "Cross-cutting" told a reader of a consultation nothing true."""
    client.force_login(alice)
    assert (
        '<span class="tag">Cross-cutting</span>'
        in client.get(seed_run.get_absolute_url()).content.decode()
    )
    seed_run.mode = "discover"
    seed_run.save(update_fields=["mode"])
    page = client.get(seed_run.get_absolute_url()).content.decode()
    assert "Cross-cutting" not in page


def test_a_themes_statements_are_labelled_blocks_on_a_phone(client, alice, seed_run):
    """The stance and fit columns sat out of sight at 390 px in a box scrolled sideways:
    the table is a form-table, whose rows are blocks of labelled cells on a phone."""
    client.force_login(alice)
    theme = seed_run.themes.get(label="Technology")
    page = client.get(theme.get_absolute_url()).content.decode()
    assert '<table class="form-table">' in page
    for label in ("Channel", "Stance", "Fit"):
        assert f'data-label="{label}"' in page


def test_the_empty_list_of_syntheses_names_consultations_too(client, alice, bob, demo):
    from cairn.insights.models import SynthesisRun

    SynthesisRun.objects.all().delete()
    client.force_login(alice)
    page = client.get(reverse("insights:list")).content.decode()
    assert "Start one above from an event that has contributions or a consultation" in page
    client.force_login(bob)
    page = client.get(reverse("insights:list")).content.decode()
    assert "A coordinator starts them from an event" in page


def test_the_theme_page_says_what_fit_means(client, alice, seed_run):
    client.force_login(alice)
    theme = seed_run.themes.get(label="Technology")
    page = client.get(theme.get_absolute_url()).content.decode()
    assert "Fit: how closely a statement matches its theme, from 0 to 1." in page
