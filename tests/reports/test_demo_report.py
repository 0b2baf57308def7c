import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_synthesis_and_a_draft_report_for_the_seed_event(demo):
    from cairn.insights.models import SynthesisRun
    from cairn.reports.models import Report

    run = SynthesisRun.objects.get(event=demo)
    assert run.status in ("done", "failed")  # failed only while the library is absent
    report = Report.objects.get(event=demo)
    headings = list(report.sections.values_list("heading", flat=True))
    for name in ("Introduction", "Speakers", "Technology", "Private sector", "Going forward"):
        assert name in headings
    assert "working group" in report.next_steps
