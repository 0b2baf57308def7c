"""Fixtures for synthesis tests: a stand-in engine and a synthesised demo event."""

import pytest

from cairn.insights import services
from tests.insights.fakes import fake_synthesis


@pytest.fixture
def fake_engine(monkeypatch):
    monkeypatch.setattr("cairn.insights.services.runs.run_synthesis", fake_synthesis)
    return fake_synthesis


@pytest.fixture
def seed_run(demo, alice, fake_engine, django_capture_on_commit_callbacks):
    return synthesised(demo, alice, django_capture_on_commit_callbacks)


def synthesised(event, actor, capture):
    from cairn.insights.models import RunMode

    with capture(execute=True):
        run = services.start_synthesis(actor, event=event, mode=RunMode.GUIDED)
    run.refresh_from_db()
    return run
