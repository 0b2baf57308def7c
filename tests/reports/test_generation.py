import pytest

from cairn.reports.document import build_document
from cairn.reports.services import generate_event_report
from tests.reports.conftest import section

pytestmark = pytest.mark.django_db


def test_the_draft_follows_the_shape_of_the_seed_report(report):
    headings = list(report.sections.values_list("heading", flat=True))
    assert headings[:6] == [
        "Introduction",
        "Speakers",
        "Technology",
        "Sustainability",
        "Positive signs",
        "Private sector",
    ]
    assert "Themes across the groups" in headings
    assert headings[-2:] == ["Going forward", "Thank you"]


def test_the_introduction_counts_members_sectors_and_channels(report):
    body = section(report, "Introduction").body
    assert "network members together" in body
    assert "sectors" in body
    assert "2 letters" in body and "3 phone calls" in body and "1 paper form" in body


def test_speakers_are_listed_with_their_organisations(report):
    body = section(report, "Speakers").body
    assert "- Morag Lennox, Northshire Recovery Network" in body
    assert sum(line.startswith("- ") for line in body.splitlines()) == 3


def test_each_breakout_section_is_composed_from_its_themes_statements_with_quotes(report, seed_run):
    tech = section(report, "Technology")
    theme = seed_run.themes.get(label="Technology")
    assert tech.theme_id == theme.pk
    summary_texts = list(theme.assignments.values_list("text", flat=True))
    assert any(text[:30].lower() in tech.body.lower() for text in summary_texts)
    assert tech.quotes.exists() or theme.size <= 3


def test_every_sentence_drawn_from_contributions_keeps_its_sources(report, seed_run):
    tech = section(report, "Technology")
    assert tech.provenance
    ids = set(seed_run.event.contributions.values_list("pk", flat=True))
    for sentence, sources in tech.provenance.items():
        assert sentence in tech.body
        assert set(sources) <= ids


def test_coordinators_see_source_links_and_the_public_does_not(report):
    internal = build_document(report, public=False)
    public = build_document(report, public=True)
    assert any(
        r["sources"]
        for s in internal["sections"]
        for b in s["blocks"]
        if b["type"] == "p"
        for r in b["runs"]
    )
    assert not any(
        r["sources"]
        for s in public["sections"]
        for b in s["blocks"]
        if b["type"] == "p"
        for r in b["runs"]
    )


def test_a_report_can_be_drafted_before_any_synthesis(demo, alice):
    demo.synthesis_runs.all().delete()
    report = generate_event_report(demo, alice)
    assert report.synthesis is None
    tech = section(report, "Technology")
    assert "tablet without broadband" in tech.body or tech.quotes.exists()


def test_the_going_forward_section_promises_to_stay_in_touch(report):
    assert "will be in touch" in section(report, "Going forward").body


def test_staff_notes_of_a_call_are_reported_not_quoted(report):
    from cairn.reports.compose import as_reported

    assert as_reported("Said the shed survived on a rent holiday.", "challenge").startswith(
        "One caller said the shed"
    )
    quotes = [q.text for s in report.sections.all() for q in s.quotes.all()]
    assert quotes and not any(q.startswith(("Said ", "Asked ")) for q in quotes)


def test_what_went_well_does_not_repeat_what_a_theme_section_already_said(report):
    used = {
        ids[0]
        for s in report.sections.filter(key__startswith="breakout:")
        for ids in s.provenance.values()
        if len(ids) == 1
    }
    for key in ("positive", "challenges"):
        s = report.sections.filter(key=key).first()
        if s is not None:
            assert not {ids[0] for ids in s.provenance.values()} & used


def test_a_double_click_on_generate_gives_one_draft_and_a_later_edit_allows_another(
    client, alice, seed_run
):
    """Two POSTs of "Generate a draft" made two identical drafts with the same title, for
    two people to edit apart. A draft nobody has touched yet, from the same synthesis,
    made minutes ago, is that draft; once edited, generating again makes a new one."""
    from cairn.reports import services
    from cairn.reports.models import Report

    client.force_login(alice)
    event = seed_run.event
    reports = Report.objects.filter(event=event, synthesis=seed_run)
    first = client.post("/reports/generate/", {"event": event.pk})
    second = client.post("/reports/generate/", {"event": event.pk}, follow=True)
    assert reports.count() == 1
    assert first["Location"] == second.redirect_chain[0][0]
    assert "already" in second.content.decode()
    services.edit_section(
        section(reports.get(), "Thank you"), alice, heading="Thanks", body="Thank you."
    )
    client.post("/reports/generate/", {"event": event.pk})
    assert reports.count() == 2
