import pytest

from cairn.reports import services
from cairn.reports.document import build_document
from cairn.reports.models import ReportStatus, Revision
from tests.reports.conftest import section

pytestmark = pytest.mark.django_db


def test_editing_a_section_keeps_a_revision_with_who_when_and_the_old_text(report, alice):
    tech = section(report, "Technology")
    old = tech.body
    services.edit_section(tech, alice, heading="Technology and access", body="We rewrote this.")
    revision = Revision.objects.filter(report=report, action="edit").get()
    assert revision.actor == alice
    assert revision.created_at is not None
    assert old in revision.before and "We rewrote this." in revision.after


def test_sentences_left_unchanged_keep_their_sources_after_an_edit(report, alice):
    tech = section(report, "Technology")
    sentence, sources = next(iter(tech.provenance.items()))
    services.edit_section(tech, alice, heading=tech.heading, body=sentence + "\n\nA new paragraph.")
    doc = build_document(report, public=False)
    runs = next(s for s in doc["sections"] if s["heading"] == "Technology")["blocks"][0]["runs"]
    assert [s["id"] for s in runs[0]["sources"]] == sources


def test_reordering_sections_is_recorded(report, alice):
    speakers = section(report, "Speakers")
    services.move_section(speakers, alice, "up")
    assert list(report.sections.values_list("heading", flat=True))[0] == "Speakers"
    assert report.revisions.filter(action="reorder").exists()


def test_a_hidden_quote_is_left_out_of_the_public_version(report, alice):
    quote = next(q for s in report.sections.all() for q in s.quotes.all())
    services.set_quote_hidden(quote, alice, True)
    public = build_document(report, public=True)
    assert quote.text not in [q["text"] for s in public["sections"] for q in s["quotes"]]


def test_renaming_a_theme_renames_it_in_the_synthesis_too(report, alice):
    tech = section(report, "Technology")
    services.rename_theme_section(tech, alice, "Digital access")
    tech.theme.refresh_from_db()
    assert tech.theme.label == "Digital access"
    assert tech.theme.run.edits.filter(kind="rename").exists()


def test_next_steps_appear_under_going_forward(report, alice):
    services.set_next_steps(
        report, alice, "Set up a working group on digital access\n\nMeet funders in March"
    )
    doc = build_document(report, public=True)
    forward = next(s for s in doc["sections"] if s["key"] == "going_forward")
    items = [item[0]["text"] for b in forward["blocks"] if b["type"] == "ul" for item in b["items"]]
    assert "Set up a working group on digital access" in items
    assert "Meet funders in March" in items


def test_regenerating_one_section_keeps_the_edits_to_the_others(report, alice):
    tech = section(report, "Technology")
    intro = section(report, "Introduction")
    services.edit_section(intro, alice, heading="About the day", body="Our own words.")
    services.edit_section(tech, alice, heading="Technology", body="Scribbled over.")
    services.regenerate_section(tech, alice)
    tech.refresh_from_db()
    intro.refresh_from_db()
    assert "Scribbled over." not in tech.body and tech.body
    assert intro.body == "Our own words." and intro.heading == "About the day"
    assert report.revisions.filter(action="regenerate", before__contains="Scribbled over.").exists()


def test_an_edit_after_approval_needs_a_fresh_approval(report, alice):
    services.approve(report, alice)
    services.edit_section(
        section(report, "Thank you"), alice, heading="Thanks", body="Thank you all."
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_a_breakout_section_can_be_regenerated_after_the_synthesis_is_run_again(
    report, alice, seed_run, django_capture_on_commit_callbacks
):
    from cairn.insights.services import rerun_synthesis

    with django_capture_on_commit_callbacks(execute=True):
        rerun_synthesis(seed_run, alice)
    tech = section(report, "Technology")
    services.regenerate_section(tech, alice)
    tech.refresh_from_db()
    assert tech.theme is not None and tech.theme.run_id == seed_run.pk
    assert tech.body
