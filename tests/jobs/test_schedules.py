"""Schedules fire from the worker, once per period however many workers there are."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cairn.jobs import services
from cairn.jobs.management.commands.worker import Ticker
from cairn.jobs.models import ScheduleSlot, WorkerHeartbeat
from tests.jobs import tasks_for_tests

pytestmark = pytest.mark.django_db

EVERY_MINUTE = [{"name": "count", "every": 60, "call": "tests.jobs.tasks_for_tests.count_call"}]


@pytest.fixture
def calls(settings):
    settings.CAIRN_SCHEDULES = EVERY_MINUTE
    tasks_for_tests.CALLS.clear()
    return tasks_for_tests.CALLS


def test_a_schedule_fires_once_when_two_workers_tick_together(calls):
    now = timezone.now()
    assert services.run_due_schedules("worker-a", now) == ["count"]
    assert services.run_due_schedules("worker-b", now) == []
    assert len(calls) == 1
    assert ScheduleSlot.objects.get(name="count").last_worker == "worker-a"


def test_a_schedule_fires_again_when_its_period_has_passed(calls):
    now = timezone.now()
    services.run_due_schedules("worker-a", now)
    assert services.run_due_schedules("worker-b", now + timedelta(seconds=30)) == []
    assert services.run_due_schedules("worker-b", now + timedelta(seconds=61)) == ["count"]
    assert len(calls) == 2


def test_a_worker_tick_beats_and_fires_due_schedules(calls):
    ticker = Ticker("worker-a", schedules=True)
    ticker.tick()
    assert WorkerHeartbeat.objects.filter(worker_id="worker-a").exists()
    assert calls == ["called"]
    assert services.last_heartbeat() is not None


def test_a_worker_started_with_no_schedules_only_beats(calls):
    Ticker("worker-a", schedules=False).tick()
    assert calls == []


def test_the_real_schedules_queue_reminders_digests_and_retries(settings):
    from django.conf import settings as live

    names = {entry["name"] for entry in live.CAIRN_SCHEDULES}
    assert {"send-reminders", "send-digests", "retry-emails", "recover-lost-tasks"} <= names
    fired = services.run_due_schedules("worker-a")
    assert {"send-reminders", "send-digests", "retry-emails", "fail-stale-syntheses"} <= set(fired)
