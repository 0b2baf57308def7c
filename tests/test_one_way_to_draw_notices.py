"""Status notices (a job that failed, likely duplicates, a record archived) are drawn one
way: {% notice %}.

The error-summary box is drawn by includes/error_summary.html for a form's errors and by
includes/notice.html for everything else, and so is the one-line notice with a coloured
edge; a template that draws either by hand drifts from them (its heading level, its role,
its style: a `message` outside the messages list was drawn unstyled), so this test fails.
"""

import re
from pathlib import Path

from django.template import Context, Template

CAIRN = Path(__file__).resolve().parents[1] / "cairn"

# Templates that draw the box themselves, each with the reason.
ALLOWED = {
    # The import's own report: the box only when nothing was imported, around the list of
    # every row's problem; the same section is a plain report when the import went well.
    "consultations/templates/consultations/import.html",
}


# The messages framework's list and allauth's own alert element draw messages, not notices.
MESSAGES = {"templates/base.html", "templates/allauth/elements/alert.html"}
# class="message" or "message-error", "message-warning"…; message-preview is another thing.
ONE_LINE = re.compile(r'class="[^"]*\bmessage(-(error|warning|success|info))?\b(?!-)')


def _templates_drawing(pattern: re.Pattern[str]) -> set[str]:
    return {
        str(path.relative_to(CAIRN))
        for path in CAIRN.rglob("*.html")
        if pattern.search(path.read_text()) and "templates/includes/" not in str(path)
    }


def test_no_template_draws_the_notice_box_by_hand():
    drawn = _templates_drawing(re.compile("error-summary"))
    assert drawn <= ALLOWED, "Use {% notice %} (includes/notice.html): " + ", ".join(
        sorted(drawn - ALLOWED)
    )


def test_no_template_draws_a_one_line_notice_by_hand():
    drawn = _templates_drawing(ONE_LINE)
    assert drawn <= MESSAGES, "Use {% notice %} (includes/notice.html): " + ", ".join(
        sorted(drawn - MESSAGES)
    )


def test_the_scan_tells_a_notice_from_a_preview():
    assert ONE_LINE.search('<p class="message message-warning">')
    assert ONE_LINE.search('<div class="message">')
    assert not ONE_LINE.search('<pre class="message-preview">')


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


def test_a_notice_without_a_title_is_one_line_of_its_kind():
    html = Template(
        '{% load notices %}{% notice kind="error" alert=True %}No address.{% endnotice %}'
        "{% notice %}Archived.{% endnotice %}"
    ).render(Context())
    assert '<div class="message message-error" role="alert">No address.</div>' in html
    assert '<div class="message message-warning">Archived.</div>' in html
    assert "<h2>" not in html
