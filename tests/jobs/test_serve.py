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


@pytest.mark.django_db
def test_gunicorn_loads_and_warms_the_site_once_before_forking_its_workers(monkeypatch):
    # Every worker starts with the views imported (about 1.3 s of CPU each otherwise, paid by
    # its first requests) and with no database connection of its parent's to share.
    from gunicorn.app.base import BaseApplication

    from cairn.wsgi import application

    started = []
    monkeypatch.setattr(BaseApplication, "run", lambda self: started.append(self))
    warmed = []
    monkeypatch.setattr(serve, "warm_site", lambda: warmed.append(1) or application)
    closed = []
    monkeypatch.setattr(serve.connections, "close_all", lambda: closed.append(warmed[:]))
    serve.serve_with_gunicorn("127.0.0.1", 8765, 2, 4)
    (arbiter_app,) = started
    assert arbiter_app.cfg.preload_app is True
    assert arbiter_app.cfg.workers == 2 and arbiter_app.cfg.threads == 4
    assert arbiter_app.load() is application and warmed == [1]
    assert closed == [[1]]  # after warming, before the fork


def test_gunicorn_opens_no_control_socket_in_a_read_only_home(monkeypatch):
    # Under the systemd unit the home is read-only: gunicorn 24+ would log "Failed to start
    # control socket" at every start (and two servers of one user would share one socket).
    from gunicorn.app.base import BaseApplication

    started = []
    monkeypatch.setattr(BaseApplication, "run", lambda self: started.append(self))
    serve.serve_with_gunicorn("127.0.0.1", 8765, 2, 4)
    (arbiter_app,) = started
    if "control_socket_disable" in arbiter_app.cfg.settings:
        assert arbiter_app.cfg.control_socket_disable is True


def test_warming_the_site_resolves_its_urls_before_any_request():
    from django.urls import get_resolver

    from cairn.wsgi import application

    assert serve.warm_site() is application
    assert get_resolver().reverse_dict  # built: no request has to build it


@pytest.mark.django_db
def test_links_in_emails_lead_to_the_port_served_when_no_site_url_is_set(
    settings, no_server, popen, monkeypatch
):
    # The demo on a port of its own sent unsubscribe and invitation links to port 8000.
    monkeypatch.setenv("SITE_URL", "")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("serve", no_migrate=True, port=8765)
    assert settings.SITE_URL == "http://127.0.0.1:8765"
    assert popen.call_args.kwargs["env"]["SITE_URL"] == "http://127.0.0.1:8765"  # the worker


@pytest.mark.django_db
def test_a_site_url_that_is_set_is_kept(settings, no_server, popen, monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://network.example")
    settings.SITE_URL = "https://network.example"
    call_command("serve", no_migrate=True, host="127.0.0.2", port=8765)
    assert settings.SITE_URL == "https://network.example"
