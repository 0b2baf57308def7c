"""A member's words appear once in a draft report: the report reads as one account of
the event, not the same sentence in three sections."""

import pytest

from cairn.contributions.models import Contribution
from cairn.contributions.selectors import quotable_words

pytestmark = pytest.mark.django_db


def _times_each_contribution_is_used(report) -> dict[str, int]:
    parts = []
    for s in report.sections.filter(hidden=False):
        parts.append(s.body)
        parts += [q.text for q in s.quotes.filter(hidden=False)]
    whole = " ".join(" ".join(parts).split())
    counts = {}
    for c in Contribution.objects.filter(event=report.event):
        words = " ".join(quotable_words(c.text).split()).rstrip(".")
        if len(words) > 30:
            counts[words] = whole.count(words)
    return counts


def test_no_contribution_is_quoted_in_two_sections_of_the_draft(report):
    repeated = {w: n for w, n in _times_each_contribution_is_used(report).items() if n > 1}
    assert repeated == {}


def test_a_theme_named_after_a_statement_is_not_followed_by_the_same_words(seed_run, alice):
    from cairn.insights.models import Theme
    from cairn.reports.compose import _assignments, _quotable
    from cairn.reports.services import generate_event_report

    theme = Theme.objects.get(run=seed_run, breakout_theme__isnull=True, label="Other matters")
    first = _quotable(_assignments(theme))[0]
    label = " ".join(first.text.split()[:6]).rstrip(",.;:")
    Theme.objects.filter(pk=theme.pk).update(label=label)
    report = generate_event_report(seed_run.event, alice, seed_run)
    line = next(
        line
        for line in report.sections.get(key="cross_cutting").body.splitlines()
        if line.startswith(f"- {label} (")
    )
    assert line.count(label) == 1, line


def test_quoted_bullets_of_a_section_do_not_all_open_with_the_same_words(report):
    for section in report.sections.all():
        bullets = [line for line in section.body.splitlines() if line.startswith("- ")]
        openings = [line.split("“")[0] for line in bullets if "“" in line]
        assert all(a != b for a, b in zip(openings, openings[1:], strict=False)), section.body
