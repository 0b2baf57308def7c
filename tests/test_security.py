import os
import subprocess
import sys

import pytest
from django.urls import reverse


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "cairn.settings",
        "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-1234567890",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "cairn.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "cairn.cli", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr


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
