import io
import subprocess
import sys

import pytest
from django.core.management import call_command

from cairn.contributions.models import Contribution
from cairn.events.models import Event, RegistrationStatus
from cairn.site.demo import SEED_EVENT_TITLE


@pytest.mark.django_db
def test_demo_creates_the_seed_event_first(demo):
    assert demo.title == SEED_EVENT_TITLE
    assert demo.format == "online"
    assert demo.dial_in
    assert len(demo.speakers) == 3
    assert all(s.organisation for s in demo.speakers)
    assert demo.registrations.filter(status=RegistrationStatus.REGISTERED).count() >= 25
    themes = list(demo.breakout_themes.values_list("name", flat=True))
    assert themes == ["Technology", "Sustainability", "Positive signs", "Private sector"]
    for theme in demo.breakout_themes.all():
        assert theme.contributions.filter(channel="breakout_note").count() >= 4


@pytest.mark.django_db
def test_demo_includes_letters_and_phone_calls_entered_by_staff(demo):
    letters = Contribution.objects.filter(event=demo, channel="letter")
    calls = Contribution.objects.filter(event=demo, channel="phone")
    assert letters.count() >= 2 and calls.count() >= 2
    assert all(c.entered_by is not None for c in [*letters, *calls])


@pytest.mark.django_db
def test_demo_command_loads_once_and_prints_logins(transactional_db):
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    text = out.getvalue()
    assert "Loaded the demo network" in text
    for username in ("coordinator", "facilitator", "member"):
        assert f"username: {username}" in text
    events = Event.objects.count()
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    assert "not loaded again" in out.getvalue()
    assert Event.objects.count() == events


def _cairn(*args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the ``cairn`` command line in a fresh process, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "cairn.cli", *args], capture_output=True, text=True, check=check
    )


@pytest.mark.any_database  # `cairn` in a subprocess: no database, or a SQLite file of its own
def test_cairn_help_lists_cairn_commands():
    result = _cairn("--help", check=True)
    for command in ("demo", "demo --no-serve", "serve", "migrate"):
        assert command in result.stdout


@pytest.mark.any_database  # `cairn` in a subprocess: no database, or a SQLite file of its own
def test_cairn_runs_django_commands():
    result = _cairn("help", check=True)
    assert "migrate" in result.stdout and "demo" in result.stdout


@pytest.mark.any_database  # `cairn` in a subprocess: no database, or a SQLite file of its own
def test_cairn_synthesize_writes_the_output_contract(tmp_path):
    import json

    source = tmp_path / "in.csv"
    rows = ["id,text,channel"]
    for i, text in enumerate(
        [
            "The bus only runs twice a day",
            "Buses are too infrequent to get to work",
            "We need a later bus service on Sundays",
            "The library computers help people get online",
            "Free wifi at the library is a lifeline",
            "More digital help sessions at the library please",
        ]
        * 3
    ):
        rows.append(f"r{i},{text},{'letter' if i % 2 else 'web_form'}")
    source.write_text("\n".join(rows), encoding="utf-8")
    out = tmp_path / "result.json"
    result = _cairn(
        "synthesize",
        str(source),
        "--text-column",
        "text",
        "--id-column",
        "id",
        "--attributes",
        "channel",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert {"themes", "assignments", "stances", "options"} <= data.keys()
    assert set(data["assignments"]) == {f"r{i}" for i in range(18)}
    for theme in data["themes"]:
        assert {
            "id",
            "label",
            "keyphrases",
            "headline",
            "summary",
            "quotes",
            "size",
            "counts",
            "statement_ids",
        } <= theme.keys()


@pytest.mark.any_database  # `cairn` in a subprocess: no database, or a SQLite file of its own
def test_cairn_synthesize_reports_a_missing_column(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("id,words\n1,hello\n", encoding="utf-8")
    result = _cairn(
        "synthesize", str(source), "--text-column", "text", "--out", str(tmp_path / "r.json")
    )
    assert result.returncode != 0
    assert "text" in result.stderr


@pytest.mark.django_db
def test_demo_addresses_carry_the_whole_organisation_name(demo):
    from cairn.members.models import Person

    # Cut at 20 characters, every page showed "aileen.baird@northshirecoproducti.example".
    aileen = Person.objects.get(user__username="coordinator")
    assert aileen.email.endswith("@northshirecoproductionnetwork.example")
    assert aileen.organisation.contact_email == "hello@northshirecoproductionnetwork.example"


@pytest.mark.django_db
def test_demo_people_can_be_reached_by_the_channel_they_prefer(demo):
    """Outreach pages in the demo (call list, letters, emails) show real-looking details:
    invented, in the ranges kept for examples and drama, and fitting each channel."""
    import re

    from cairn.members.models import Channel, Organisation, Person

    drama = re.compile(r"^(01632 960\d{3}|07700 900\d{3}|0113 496 0\d{3})$")
    for person in Person.objects.all():
        assert drama.match(person.phone), person
        if person.preferred_channel == Channel.POST:
            assert person.address and person.postcode and not person.email, person
        else:
            assert person.email.endswith(".example"), person
        if person.preferred_channel == Channel.PHONE:
            assert person.phone.startswith("07700 900"), person
    for org in Organisation.objects.all():
        assert drama.match(org.contact_phone), org
