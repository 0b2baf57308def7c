"""A report says people "registered" unless attendance was recorded."""

import pytest

from cairn.reports.services import generate_event_report
from tests.reports.conftest import section

pytestmark = pytest.mark.django_db


def _intro(report) -> str:
    return str(section(report, "Introduction").paragraphs)


def test_with_attendance_recorded_the_report_says_they_came(seed_run, alice):
    report = generate_event_report(seed_run.event, alice, seed_run)
    text = _intro(report)
    assert "brought" in text and "registered for" not in text


def test_without_attendance_the_report_says_registered(seed_run, alice):
    seed_run.event.registrations.update(attended=None)
    report = generate_event_report(seed_run.event, alice, seed_run)
    text = _intro(report)
    assert "registered for our" in text and "brought" not in text
