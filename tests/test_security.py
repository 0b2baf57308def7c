import os
import stat
import subprocess
import sys

import pytest
from django.urls import reverse

from cairn.lib.secret_key import DEMO_KEY

# The production settings the README gives (Configuration, "In production").
PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-1234567890",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "cairn.example.org",
    "SITE_URL": "https://cairn.example.org",
    "TRUSTED_PROXIES": "127.0.0.1",
}


def _cairn(args: list[str], tmp_path, **overrides: str | None) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY", "CAIRN_DEMO"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cairn.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
            "CAIRN_DATA_DIR": str(tmp_path),
            **PRODUCTION_ENV,
        }
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "-m", "cairn.cli", *args], capture_output=True, text=True, env=env
    )


def _check_deploy(tmp_path, **overrides: str | None) -> subprocess.CompletedProcess:
    return _cairn(["check", "--deploy", "--fail-level", "WARNING"], tmp_path, **overrides)


@pytest.mark.any_database  # `cairn` on a SQLite file of its own
def test_check_deploy_passes_with_production_settings(tmp_path):
    result = _check_deploy(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.any_database  # `cairn` on a SQLite file of its own
@pytest.mark.parametrize(
    ("overrides", "finding"),
    [
        ({"SECRET_KEY": None}, "cairn.E001"),
        ({"SECRET_KEY": DEMO_KEY}, "cairn.E001"),
        ({"SECRET_KEY": "short-key"}, "cairn.E001"),
        ({"ALLOWED_HOSTS": "*"}, "cairn.E002"),
        ({"TRUSTED_PROXIES": "0.0.0.0/0"}, "cairn.E003"),
        ({"TRUSTED_PROXIES": "not-an-address"}, "cairn.E003"),
        ({"SITE_URL": "http://cairn.example.org"}, "cairn.W005"),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
    ],
    ids=["no key", "demo key", "short key", "any host", "trusts all", "bad proxy", "http", "hsts"],
)
def test_check_deploy_fails_on_each_unsafe_setting(tmp_path, overrides, finding):
    result = _check_deploy(tmp_path, **overrides)
    assert result.returncode != 0
    assert finding in result.stdout + result.stderr


@pytest.mark.any_database  # `cairn` on a SQLite file of its own
def test_serve_outside_the_demo_refuses_the_demo_key(tmp_path):
    result = _cairn(["serve"], tmp_path, SECRET_KEY=DEMO_KEY)
    assert result.returncode == 2
    assert "demo key" in result.stderr


@pytest.mark.any_database  # `cairn` on a SQLite file of its own
def test_without_a_key_serve_makes_one_once_and_keeps_it_private(tmp_path, monkeypatch):
    from cairn.cli import _prepare_secret_key

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("CAIRN_DEMO", raising=False)
    monkeypatch.setenv("CAIRN_DATA_DIR", str(tmp_path))
    assert _prepare_secret_key() == ""
    key_file = tmp_path / "secret_key"
    key = key_file.read_text().strip()
    assert len(key) >= 50 and key != DEMO_KEY
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert _prepare_secret_key() == ""
    assert key_file.read_text().strip() == key  # kept, not replaced
    # ...and the site signs with it.
    shown = _cairn(
        ["shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"],
        tmp_path,
        SECRET_KEY=None,
    )
    assert shown.stdout.strip().splitlines()[-1] == key, shown.stderr


def test_demo_settings_are_not_production():
    from django.conf import settings

    assert settings.PRODUCTION is False


@pytest.mark.django_db
def test_repeated_failed_logins_are_locked_out(client, charlie):
    url = reverse("login")
    for _ in range(5):
        client.post(url, {"login": "charlie", "password": "wrong"})
    response = client.post(url, {"login": "charlie", "password": "pw-charlie"})
    assert response.status_code == 429
    assert b"Too many failed" in response.content


@pytest.mark.django_db
def test_login_works_with_the_right_password(client, charlie):
    response = client.post(reverse("login"), {"login": "charlie", "password": "pw-charlie"})
    assert response.status_code == 302
    assert client.get(reverse("events:list")).status_code == 200


@pytest.mark.django_db
def test_forms_need_a_csrf_token(charlie):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"login": "charlie", "password": "pw-charlie"})
    assert response.status_code == 403


def test_passwords_are_hashed_with_argon2_in_production():
    from django.conf import settings

    import cairn.settings as prod

    assert prod.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.SESSION_COOKIE_HTTPONLY


@pytest.mark.django_db
def test_thirty_usernames_tried_once_each_from_one_address_are_slowed(client, charlie):
    """Password spraying: no single username fails often, the address does."""
    url = reverse("login")
    pages = [
        client.post(url, {"login": f"user{n}", "password": "Summer2026!"}).content.decode()
        for n in range(30)
    ]
    assert "Too many failed login attempts" in pages[-1]
    assert "Too many failed login attempts" not in pages[0]
    # ...and from that address even the right password waits until the limit passes.
    response = client.post(url, {"login": "charlie", "password": "pw-charlie"})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_successful_logins_do_not_count_against_the_address(client, charlie):
    url = reverse("login")
    for _ in range(25):
        client.post(url, {"login": "charlie", "password": "pw-charlie"})
        client.logout()
    response = client.post(url, {"login": "charlie", "password": "pw-charlie"})
    assert response.status_code == 302
