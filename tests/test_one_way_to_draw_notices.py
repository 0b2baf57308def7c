"""Status notices (a job that failed, likely duplicates) are drawn one way: {% notice %}.

The error-summary box is drawn by includes/error_summary.html for a form's errors and by
includes/notice.html for everything else; a template that draws the box by hand drifts
from both (its heading level, its role, its focus), so this test fails on one.
"""

from pathlib import Path

from django.template import Context, Template

CAIRN = Path(__file__).resolve().parents[1] / "cairn"

# Templates that draw the box themselves, each with the reason.
ALLOWED = {
    # The import's own report: the box only when nothing was imported, around the list of
    # every row's problem; the same section is a plain report when the import went well.
    "consultations/templates/consultations/import.html",
}


def test_no_template_draws_the_notice_box_by_hand():
    drawn = {
        str(path.relative_to(CAIRN))
        for path in CAIRN.rglob("*.html")
        if "error-summary" in path.read_text() and "templates/includes/" not in str(path)
    }
    assert drawn <= ALLOWED, "Use {% notice %} (includes/notice.html): " + ", ".join(
        sorted(drawn - ALLOWED)
    )


def test_a_notice_has_its_heading_body_and_role():
    html = Template(
        '{% load notices %}{% notice title=t alert=True id="dups" %}<p>{{ body }}</p>{% endnotice %}'
    ).render(Context({"t": "May be on file", "body": "<b>Jean</b>"}))
    assert '<div class="error-summary notice" id="dups" role="alert" tabindex="-1">' in html
    assert "<h2>May be on file</h2>" in html
    assert "<p>&lt;b&gt;Jean&lt;/b&gt;</p>" in html


def test_a_notice_in_a_live_region_is_not_an_alert_of_its_own():
    html = Template('{% load notices %}{% notice title="Failed" %}x{% endnotice %}').render(
        Context()
    )
    assert 'role="alert"' not in html and "<h2>Failed</h2>" in html
