"""deploy/ and the README's cron lines name commands and options that exist, so a renamed
option or schedule fails here rather than on a server at start-up."""

import re
import shlex
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class
from django.urls import reverse

from tests.jobs.conftest import db_queue  # noqa: F401 - fixture

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
# Schedules only the worker can run: they read its heartbeats and its tasks.
WORKER_ONLY = {
    "recover-lost-tasks",
    "fail-stale-jobs",
    "fail-stale-syntheses",
    "fail-stale-renders",
    "prepare-public-files",
}


def _parse(argv: list[str]) -> None:
    name, *args = argv
    commands = get_commands()
    assert name in commands, f"no command {name!r}"
    command = load_command_class(commands[name], name)
    command.create_parser("cairn", name).parse_args(args)  # exits on an unknown option


@pytest.mark.usefixtures("db_queue")  # the worker's options check the queue's backend
@pytest.mark.parametrize("unit", ["cairn-web.service", "cairn-worker@.service"])
def test_each_systemd_unit_runs_a_real_command_with_real_options(unit):
    text = (DEPLOY / unit).read_text()
    [line] = [line for line in text.splitlines() if line.startswith("ExecStart=")]
    argv = shlex.split(line.removeprefix("ExecStart="))
    assert argv[0].endswith("/cairn")
    _parse(argv[1:])
    assert "EnvironmentFile=/etc/cairn/cairn.env" in text and "Restart=" in text


def test_the_web_unit_leaves_the_worker_to_its_own_unit():
    assert "--no-worker" in (DEPLOY / "cairn-web.service").read_text()


def test_the_proxies_serve_tls_and_check_the_web_health_url():
    health = reverse("health_web")
    caddy = (DEPLOY / "Caddyfile").read_text()
    # Caddy gets a certificate for a named site by itself.
    assert re.search(r"^[a-z0-9.-]+\.[a-z]+ \{", caddy, re.M) and f"health_uri {health}" in caddy
    nginx = (DEPLOY / "nginx.conf").read_text()
    assert "listen 443 ssl" in nginx and "ssl_certificate " in nginx
    assert "return 301 https://" in nginx and "X-Forwarded-Proto" in nginx


def test_the_several_machines_page_has_two_web_and_two_worker_machines():
    page = (DEPLOY / "README.md").read_text()
    assert "two web machines, two worker machines" in page
    assert "web1" in page and "web2" in page and "wk1" in page and "wk2" in page


@pytest.mark.usefixtures("db_queue")  # prune_db_task_results checks the queue's backend
def test_every_schedule_has_a_cron_line_in_the_readme_that_runs_a_real_command():
    readme = (ROOT / "README.md").read_text()
    rows = dict(re.findall(r"^\| `([a-z-]+)` \|[^|]*\| `([^`]*)` \|$", readme, re.M))
    names = {entry["name"] for entry in settings.CAIRN_SCHEDULES} - WORKER_ONLY
    assert names <= set(rows), f"no cron line for {sorted(names - set(rows))}"
    for name in names:
        command = rows[name].split("&&", 1)[1].split()
        assert command[0] == ".venv/bin/cairn", rows[name]
        _parse(command[1:])
