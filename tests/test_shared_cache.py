"""CAIRN_REDIS_URL: one cache for every web process (rate limits, board news, sessions)."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REDIS = "redis://127.0.0.1:6379/15"
# Settings read in subprocesses and a Redis of its own: the same on either database, so one
# pass runs it. The tests that empty Redis database 15 run on one xdist worker, one at a time.
pytestmark = [pytest.mark.any_database, pytest.mark.xdist_group("redis")]


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


def _settings(**env: str) -> str:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE)"
    )
    base = {k: v for k, v in os.environ.items() if k != "CAIRN_REDIS_URL"}
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "cairn.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout.strip()


def test_without_redis_each_process_keeps_its_own_cache_and_sessions_are_in_the_database():
    assert _settings() == ("django.core.cache.backends.locmem.LocMemCache cairn.accounts.sessions")


def test_with_redis_the_cache_is_shared_and_sessions_are_read_through_it():
    assert _settings(CAIRN_REDIS_URL=REDIS) == (
        "django.core.cache.backends.redis.RedisCache django.contrib.sessions.backends.cached_db"
    )


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_two_processes_share_one_login_limit_through_redis():
    # Password spraying spread over the web processes: each process alone would allow the
    # limit again; through Redis the second process sees the first one's count.
    code = (
        "import django, sys; django.setup(); "
        "from django.core.cache import cache; "
        "print(cache.incr('spray-test') if cache.get('spray-test') is not None "
        "else cache.add('spray-test', 1, 30) and 1)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cairn.settings", "CAIRN_REDIS_URL": REDIS}
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    counts = [
        subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
            check=True,
        ).stdout.strip()
        for _ in range(2)
    ]  # fmt: skip
    redis.Redis.from_url(REDIS).flushdb()
    assert counts == ["1", "2"]


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")
@pytest.mark.django_db
def test_expired_sign_in_codes_leave_the_cached_copy_of_a_session_too(settings):
    import time

    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.core.cache import caches

    from cairn.accounts.services.logins import PENDING_LOGIN_KEY, clear_expired_sign_in_codes

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    caches.close_all()
    store = SessionStore()
    store[PENDING_LOGIN_KEY] = {"initiated_at": time.time() - 3600, "code": "123456"}
    store.create()
    try:
        assert clear_expired_sign_in_codes() == 1
        assert PENDING_LOGIN_KEY not in SessionStore(session_key=store.session_key).load()
    finally:
        caches["default"].clear()
