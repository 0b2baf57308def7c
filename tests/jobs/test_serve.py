"""`cairn serve` and `cairn demo` start a worker beside the web server unless --no-worker."""

from unittest import mock

import pytest
from django.core.management import call_command

from cairn.site.management.commands import serve


@pytest.fixture
def no_server(monkeypatch):
    served = []
    monkeypatch.setattr("waitress.serve", lambda app, **kw: served.append(("waitress", kw)))
    monkeypatch.setattr(serve, "serve_with_gunicorn", lambda *a: served.append(("gunicorn", a)))
    return served


@pytest.fixture
def popen(monkeypatch):
    process = mock.Mock(pid=4242)
    process.poll.return_value = None
    started = mock.Mock(return_value=process)
    monkeypatch.setattr(serve.subprocess, "Popen", started)
    return started


@pytest.mark.django_db
def test_serve_starts_a_worker_beside_the_site_and_stops_it_after(settings, no_server, popen):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("serve", no_migrate=True, port=8765)
    command = popen.call_args.args[0]
    assert command[-3:] == ["worker", "--verbosity", "0"]
    assert no_server[0][0] == "waitress"
    popen.return_value.send_signal.assert_called_once()  # SIGTERM when the server stops


@pytest.mark.django_db
def test_no_worker_leaves_the_worker_to_be_run_apart(settings, no_server, popen):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("serve", no_migrate=True, no_worker=True, workers=3)
    popen.assert_not_called()
    assert no_server[0][0] == "gunicorn" and no_server[0][1][2] == 3


@pytest.mark.django_db
def test_tasks_run_in_the_request_need_no_worker(no_server, popen):
    call_command("serve", no_migrate=True)  # the test settings run tasks at once
    popen.assert_not_called()
