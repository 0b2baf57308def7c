"""EMAIL_BACKEND set to any of Django's own backends works; EMAIL_HOST means real SMTP."""

import pytest
from django.core import mail
from django.test import override_settings

from cairn.lib import mailers


def mailer_for(monkeypatch, tmp_path, *, demo=False, **env) -> dict:
    for name in ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return {"default": mailers.default_mailer(demo=demo, file_path=str(tmp_path / "mail"))}


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "console",
        "file",
        "locmem",
    ],
)
def test_each_of_djangos_backends_sends_without_an_options_error(
    monkeypatch, tmp_path, capsys, backend
):
    config = mailer_for(monkeypatch, tmp_path, EMAIL_BACKEND=backend)
    with override_settings(MAILERS=config):
        sent = mail.EmailMessage("Hello", "Body", "a@example.org", ["b@example.org"]).send()
    assert sent == 1
    if "file" in backend:
        assert list((tmp_path / "mail").iterdir())


def test_email_host_means_a_real_smtp_server(monkeypatch, tmp_path):
    config = mailer_for(monkeypatch, tmp_path, demo=True, EMAIL_HOST="mail.example.org")
    assert config["default"]["BACKEND"] == mailers.SMTP
    assert config["default"]["OPTIONS"]["host"] == "mail.example.org"


def test_the_demo_without_a_mail_server_catches_its_email(monkeypatch, tmp_path):
    config = mailer_for(monkeypatch, tmp_path, demo=True)
    assert config["default"] == {"BACKEND": mailers.CATCHER, "OPTIONS": {}}


def test_outside_the_demo_the_default_is_smtp_on_localhost(monkeypatch, tmp_path):
    config = mailer_for(monkeypatch, tmp_path)
    assert config["default"]["BACKEND"] == mailers.SMTP
    assert config["default"]["OPTIONS"]["host"] == "127.0.0.1"


@pytest.mark.any_database  # `cairn` on a SQLite file of its own
def test_the_cli_runs_with_the_console_backend(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "cairn.settings",
    }
    code = "from django.core.mail import send_mail; print(send_mail('Hi', 'Body', 'a@x.org', ['b@x.org']))"
    result = subprocess.run(
        [sys.executable, "-m", "cairn.cli", "shell", "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Subject: Hi" in result.stdout
