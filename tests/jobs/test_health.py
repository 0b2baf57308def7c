"""/health/ answers 200 when the database, queue, a worker and the media disk are fine,
and 500 (so a load balancer stops sending traffic) when one is not."""

from collections import namedtuple
from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.urls import reverse
from django.utils import timezone

from cairn.jobs import services
from cairn.jobs.models import WorkerHeartbeat

# The checks run in threads with their own connections, so the rows must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def db_queue_settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _health(client, name="health"):
    response = client.get(reverse(name), HTTP_ACCEPT="application/json")
    return response.status_code, response.json()


def test_health_is_ok_with_a_database_and_a_live_worker(client, db_queue_settings):
    services.beat("worker-a")
    status, body = _health(client)
    assert status == 200, body
    assert all(value == "OK" for value in body.values())
    assert any("WorkerAlive" in key for key in body) and any("QueueDepth" in key for key in body)


def test_health_fails_when_the_database_is_down(client, db_queue_settings):
    services.beat("worker-a")

    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused")

    with mock.patch.object(BaseDatabaseWrapper, "connect", refuse):
        status, body = _health(client)
        web_status, _web = _health(client, "health_web")
    assert status == 500 and web_status == 500
    database = next(value for key, value in body.items() if key.startswith("Database"))
    assert database.startswith("Unavailable")


def test_health_fails_when_no_worker_has_beaten_lately(client, db_queue_settings):
    status, body = _health(client)
    assert status == 500 and "no worker has started" in str(body)
    then = timezone.now() - timedelta(minutes=10)
    WorkerHeartbeat.objects.create(worker_id="old", started_at=then, seen_at=then)
    status, body = _health(client)
    assert status == 500 and "heartbeat" in str(body)
    # The web-only check leaves the web machine in the load balancer meanwhile.
    assert _health(client, "health_web")[0] == 200


def test_health_fails_when_the_queue_is_too_deep(client, db_queue_settings, settings):
    from tests.jobs.tasks_for_tests import slow_once

    services.beat("worker-a")
    settings.CAIRN_HEALTH_MAX_QUEUE = 2
    for key in "abc":
        slow_once.enqueue(key)
    status, body = _health(client)
    assert status == 500 and "3 tasks waiting" in str(body)


def test_health_fails_when_the_media_disk_is_nearly_full(
    client, db_queue_settings, settings, tmp_path
):
    services.beat("worker-a")
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    usage = namedtuple("usage", "total used free")(10**9, 10**9 - 10 * 2**20, 10 * 2**20)
    with mock.patch("cairn.jobs.health.shutil.disk_usage", return_value=usage):
        status, body = _health(client)
    assert status == 500 and "10 MB free" in str(body)
