"""Fixtures for report tests: the demo event, synthesised with the stand-in engine, and its draft."""

import pytest

from cairn.reports.services import generate_event_report
from tests.insights.conftest import synthesised
from tests.insights.fakes import fake_synthesis


@pytest.fixture
def seed_run(demo, alice, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr("cairn.insights.services.runs.run_synthesis", fake_synthesis)
    return synthesised(demo, alice, django_capture_on_commit_callbacks)


@pytest.fixture
def fake_engine_for_reports(monkeypatch):
    monkeypatch.setattr("cairn.insights.services.runs.run_synthesis", fake_synthesis)


@pytest.fixture
def report(seed_run, alice):
    return generate_event_report(seed_run.event, alice, seed_run)


def section(report, heading):
    return report.sections.get(heading=heading)


@pytest.fixture
def person_maker(db):
    from cairn.members.models import Person

    return lambda first: Person.objects.create(first_name=first, email=f"{first}@example.org")
