import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_synthesis_and_a_published_report_for_the_seed_event(demo):
    from cairn.insights.models import SynthesisRun
    from cairn.reports.models import Report

    run = SynthesisRun.objects.get(event=demo)
    assert run.status in ("done", "failed")  # failed only while the library is absent
    report = Report.objects.get(event=demo)
    headings = list(report.sections.values_list("heading", flat=True))
    for name in ("Introduction", "Speakers", "Technology", "Private sector", "Going forward"):
        assert name in headings
    assert "working group" in report.next_steps
    # Published, so the demo's front door shows a visitor what Cairn makes.
    assert report.status == "published"
    assert report.approved_by.username == "coordinator"
    assert "working group" in str(report.published_doc)


def test_a_visitor_to_the_demo_front_door_finds_the_published_report(demo, client):
    from cairn.reports.models import Report

    report = Report.objects.get(event=demo)
    page = client.get("/").content.decode()
    assert "No reports published yet" not in page
    assert report.get_public_url() in page
    public = client.get(report.get_public_url())
    assert public.status_code == 200
    assert "Going forward" in public.content.decode()
