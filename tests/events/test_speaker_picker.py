"""The speaker picker on the event form: grouped by organisation, without archived or
erased people, and built once for the whole agenda however many people there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cairn.events.forms import speaker_choices
from cairn.events.models import AgendaItem, Event
from cairn.members.models import Organisation, Person, Sector

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    food = Organisation.objects.create(name="Eastdale Food Share", sector=Sector.COMMUNITY)
    council = Organisation.objects.create(name="Northshire Council", sector=Sector.LOCAL_AUTHORITY)
    people = {
        "ann": Person.objects.create(first_name="Ann", last_name="Baker", organisation=food),
        "cal": Person.objects.create(first_name="Cal", last_name="Dee", organisation=council),
        "eve": Person.objects.create(first_name="Eve", last_name="Fox"),
        "old": Person.objects.create(
            first_name="Olive", last_name="Gone", organisation=food, archived_at=timezone.now()
        ),
        "erased": Person.objects.create(first_name="Erased", anonymised_at=timezone.now()),
    }
    return people


def _flat(choices):
    return {label: [name for _pk, name in options] for label, options in choices[1:]}


def test_people_are_grouped_by_organisation_with_the_unattached_last(network):
    groups = _flat(speaker_choices())
    assert list(groups) == ["Eastdale Food Share", "Northshire Council", "No organisation"]
    assert groups["Eastdale Food Share"] == ["Ann Baker"]
    assert groups["No organisation"] == ["Eve Fox"]
    names = [n for options in groups.values() for n in options]
    assert "Olive Gone" not in names and "Erased" not in names


def test_an_archived_speaker_already_chosen_stays_on_the_event(network, alice, client):
    start = timezone.now() + timezone.timedelta(days=7)
    event = Event.objects.create(title="Spring", starts_at=start, ends_at=start)
    AgendaItem.objects.create(event=event, title="Welcome", speaker=network["old"], position=0)
    client.force_login(alice)
    page = client.get(f"/events/{event.pk}/edit/").content.decode()
    assert f'<option value="{network["old"].pk}" selected>Olive Gone</option>' in page
    assert '<optgroup label="Eastdale Food Share">' in page


def test_the_form_asks_for_the_people_once_whatever_the_number_of_rows(network, alice, client):
    Person.objects.bulk_create(Person(first_name=f"P{i}", last_name="Many") for i in range(250))
    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/events/new/").content.decode()
    asked = [q["sql"] for q in queries if '"members_person"."archived_at" IS NULL' in q["sql"]]
    assert len(asked) == 1, asked
    assert page.count("P17 Many") == 3  # one per empty agenda row
