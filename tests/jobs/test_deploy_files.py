"""deploy/ and the README's cron lines name commands and options that exist, so a renamed
option or schedule fails here rather than on a server at start-up."""

import os
import pwd
import re
import shlex
import subprocess
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
        # Through cairn-admin, which reads /etc/cairn/cairn.env: cron gives a command no
        # settings, and a bare `cairn` would look for the demo's SQLite file instead.
        fields = rows[name].split()
        assert fields[5:7] == ["root", "/usr/local/bin/cairn-admin"], rows[name]
        _parse(fields[7:])


def _systemd_value(raw: str) -> str:
    # systemd's EnvironmentFile takes a value as written, less one pair of enclosing quotes.
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        return raw[1:-1]
    return raw


def test_the_settings_file_reads_the_same_in_systemd_and_in_sh():
    # `cairn-admin` (commands by hand, cron) sources the file the units read; an unquoted
    # "Cairn <cairn@example.org>" is a redirection to sh, and the command failed.
    example = DEPLOY / "cairn.env.example"
    expected = {}
    for line in example.read_text().splitlines():
        if line and not line.startswith("#"):
            name, raw = line.split("=", 1)
            expected[name] = _systemd_value(raw)
    assert expected["DEFAULT_FROM_EMAIL"] == "Cairn <cairn@example.org>"
    out = subprocess.run(
        ["/bin/sh", "-c", 'set -a; . "$0"; set +a; env -0', str(example)],
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        check=True,
    )
    seen = dict(item.split("=", 1) for item in out.stdout.split("\0") if "=" in item)
    assert {name: seen.get(name) for name in expected} == expected


def test_cairn_admin_runs_cairn_with_the_settings_file(tmp_path):
    cairn = tmp_path / ".venv" / "bin" / "cairn"
    cairn.parent.mkdir(parents=True)
    cairn.write_text('#!/bin/sh\necho "$PWD|$DATABASE_URL|$DEFAULT_FROM_EMAIL|$*"\n')
    cairn.chmod(0o755)
    env_file = tmp_path / "cairn.env"
    env_file.write_text(
        "DATABASE_URL=postgres://cairn@127.0.0.1:5432/cairn\n"
        "DEFAULT_FROM_EMAIL='Riverside <hello@example.org>'\n"
    )
    user = pwd.getpwuid(os.getuid()).pw_name
    here = tmp_path / "here"
    here.mkdir()
    out = subprocess.run(
        [DEPLOY / "cairn-admin", "migrate", "--plan"],
        cwd=here,  # where a file the command is given lies
        env={
            "PATH": os.environ["PATH"],
            "CAIRN_HOME": str(tmp_path),
            "CAIRN_ENV": str(env_file),
            "CAIRN_USER": user,
        },
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == (
        f"{here}|postgres://cairn@127.0.0.1:5432/cairn|Riverside <hello@example.org>|migrate --plan"
    )
    missing = subprocess.run(
        [DEPLOY / "cairn-admin", "migrate"],
        env={"PATH": os.environ["PATH"], "CAIRN_ENV": str(tmp_path / "nope.env")},
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 1 and "cannot read" in missing.stderr


def _readme_commands() -> list[str]:
    page = (DEPLOY / "README.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)```", page, re.S)
    lines = [line.strip() for block in blocks for line in block.replace("\\\n", " ").splitlines()]
    return [line.split("#", 1)[0].strip() for line in lines if line]


@pytest.mark.usefixtures("db_queue")
def test_every_cairn_command_on_the_install_page_is_real():
    commands = [line for line in _readme_commands() if line.startswith("sudo cairn-admin ")]
    assert len(commands) >= 5
    for line in commands:
        _parse(shlex.split(line.removeprefix("sudo cairn-admin ")))


@pytest.mark.parametrize("unit", ["cairn-web.service", "cairn-worker@.service"])
def test_the_install_page_makes_every_folder_a_unit_may_write(unit):
    # systemd will not start a unit whose ReadWritePaths is missing (226/NAMESPACE).
    [line] = [ln for ln in (DEPLOY / unit).read_text().splitlines() if ln.startswith("ReadWrite")]
    made = " ".join(c for c in _readme_commands() if c.startswith("sudo install -d -o cairn"))
    for path in line.split("=", 1)[1].split():
        assert path.startswith("/srv/cairn/") and path.removeprefix("/srv/cairn/") in made.split()


def test_the_install_page_asks_the_local_server_by_the_site_s_name():
    # With ALLOWED_HOSTS=cairn.example.org a request for 127.0.0.1 is answered 400, so a
    # check of the local web process must name the site, as the Caddyfile's health check does.
    local = [c for c in _readme_commands() if "curl" in c and "127.0.0.1" in c]
    assert local
    for command in local:
        assert "-H 'Host: cairn.example.org'" in command and "--retry-connrefused" in command
