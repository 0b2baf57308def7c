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
        starts_at=seed_run.event.starts_at + timezone.timedelta(days=60),
        ends_at=seed_run.event.ends_at + timezone.timedelta(days=60),
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
    synthesised(event, alice, django_capture_on_commit_callbacks)
    return event


def test_a_briefing_finds_lessons_that_recur_across_events(seed_run, second_event, alice):
    report = generate_briefing([seed_run.event, second_event], alice)
    lessons = report.sections.get(key="lessons").body
    assert "Technology: heard at 2 of 2 events and consultations" in lessons
    change = report.sections.get(key="over_time").body
    assert "Technology" in change and "→" in change


def test_a_briefing_says_who_was_not_heard(seed_run, alice):
    report = generate_briefing([seed_run.event], alice)
    unheard = report.sections.get(key="not_heard").body
    assert "Nothing reached us by" in unheard
    assert "meeting chat" in unheard


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
    assert report.consultation_ids == [consultation.pk]
    assert consultation.title in report.sections.get(key="summary").body
