"""The demo's mail catcher keeps every email, and coordinators read them on "Sent mail"."""

import pytest
from django.core import mail
from django.urls import reverse

from cairn.lib.mailers import CATCHER
from cairn.sentmail.models import CaughtEmail


@pytest.fixture
def catcher(settings):
    settings.MAILERS = {"default": {"BACKEND": CATCHER}}


@pytest.mark.django_db
def test_caught_email_is_listed_and_readable_by_coordinators(client, alice, catcher):
    msg = mail.EmailMultiAlternatives(
        "Your login", "Open http://example.org/x", "net@example.org", ["jo@example.org"]
    )
    msg.attach_alternative("<p>Open</p>", "text/html")
    msg.attach("event.ics", b"BEGIN:VCALENDAR", "text/calendar")
    msg.send()
    caught = CaughtEmail.objects.get()
    assert caught.to == "jo@example.org"
    assert caught.html == "<p>Open</p>"
    assert caught.attachments == ["event.ics"]
    assert b"Subject: Your login" in bytes(caught.raw)
    client.force_login(alice)
    listing = client.get(reverse("sentmail:list")).content.decode()
    assert "Your login" in listing and "jo@example.org" in listing
    assert 'href="/sent-mail/"' in listing  # in the navigation
    page = client.get(caught.get_absolute_url()).content.decode()
    assert '<a href="http://example.org/x"' in page
    assert "event.ics" in page


@pytest.mark.django_db
def test_search_finds_by_recipient(client, alice, catcher):
    mail.send_mail("One", "x", "n@example.org", ["first@example.org"])
    mail.send_mail("Two", "x", "n@example.org", ["second@example.org"])
    client.force_login(alice)
    page = client.get(reverse("sentmail:list") + "?q=second").content.decode()
    assert "Two" in page and "One</a>" not in page


@pytest.mark.django_db
def test_sent_mail_is_only_there_when_mail_is_caught(client, alice):
    client.force_login(alice)
    assert client.get(reverse("sentmail:list")).status_code == 404
    assert 'href="/sent-mail/"' not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who,status", [("bob", 403), ("charlie", 403)])
def test_only_coordinators_read_sent_mail(client, catcher, request, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("sentmail:list")).status_code == status


@pytest.mark.django_db
def test_the_demo_invitations_show_on_sent_mail(catcher):
    from cairn.site.demo import load_demo

    assert load_demo()
    assert CaughtEmail.objects.filter(subject__startswith="Invitation").exists()


@pytest.mark.any_database  # `cairn demo` on a SQLite file of its own
def test_cairn_demo_catches_its_mail_and_says_where_to_read_it(tmp_path):
    import os
    import sqlite3
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "CAIRN_DEMO"))}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        DJANGO_SETTINGS_MODULE="cairn.settings",
        TASKS_BACKEND="django.tasks.backends.immediate.ImmediateBackend",
    )
    result = subprocess.run(
        [sys.executable, "-m", "cairn.cli", "demo", "--no-serve"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "/sent-mail/" in result.stdout
    with sqlite3.connect(tmp_path / "demo.sqlite3") as db:
        (caught,) = db.execute("select count(*) from sentmail_caughtemail").fetchone()
    assert caught > 0
