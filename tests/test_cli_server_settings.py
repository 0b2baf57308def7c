"""On a server set up by deploy/README.md, a `cairn` command typed without its settings
(`.venv/bin/cairn migrate` instead of `sudo cairn-admin migrate`, or a cron line) stops and
says how to run it, instead of making and filling the demo's SQLite file, where a first
coordinator created that way could never log in to the real site."""

import pytest

from cairn import cli


@pytest.fixture
def server(tmp_path, monkeypatch):
    settings_file = tmp_path / "cairn.env"
    settings_file.write_text("DATABASE_URL=postgres://cairn@127.0.0.1:5432/cairn\n")
    monkeypatch.setenv("CAIRN_ENV", str(settings_file))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return settings_file


def test_a_command_without_the_server_settings_stops_and_names_cairn_admin(server, capsys):
    assert cli.main(["createsuperuser"]) == 1
    err = capsys.readouterr().err
    assert str(server) in err and "sudo cairn-admin createsuperuser" in err
    assert len(err.strip().splitlines()) == 1


def test_the_settings_read_or_a_database_named_let_it_run(server, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///elsewhere.sqlite3")
    assert cli._server_settings_unread("migrate") == ""


@pytest.mark.parametrize("command", ["demo", "help"])
def test_the_demo_and_help_run_anywhere(server, command):
    assert cli._server_settings_unread(command) == ""


def test_a_machine_without_server_settings_is_left_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("CAIRN_ENV", str(tmp_path / "none.env"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert cli._server_settings_unread("migrate") == ""
