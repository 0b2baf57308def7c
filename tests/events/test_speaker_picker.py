"""The speaker picker on the event form: a box that filters a list as you type (name or
organisation), without archived or erased people, built once for the whole agenda however
many people there are; a typed name that is not a list entry is searched for."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cairn.events.forms import Speakers
from cairn.events.models import AgendaItem, Event
from cairn.members.models import Organisation, Person, Sector
from tests.events.test_pages import EVENT_FORM

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


def test_the_list_names_each_person_with_their_organisation_those_with_none_last(network):
    p = network
    assert Speakers().labels() == [
        f"Ann Baker · Eastdale Food Share · #{p['ann'].pk}",
        f"Cal Dee · Northshire Council · #{p['cal'].pk}",
        f"Eve Fox · #{p['eve'].pk}",
    ]


def test_an_archived_speaker_already_chosen_stays_on_the_event(network, alice, client):
    start = timezone.now() + timezone.timedelta(days=7)
    event = Event.objects.create(title="Spring", starts_at=start, ends_at=start)
    AgendaItem.objects.create(event=event, title="Welcome", speaker=network["old"], position=0)
    client.force_login(alice)
    page = client.get(f"/events/{event.pk}/edit/").content.decode()
    entry = f"Olive Gone · Eastdale Food Share · #{network['old'].pk}"
    assert f'name="agenda-0-speaker" value="{entry}"' in page
    assert f'<option value="{entry}">' in page
    assert 'list="speaker-list"' in page


def test_the_form_asks_for_the_people_once_whatever_the_number_of_rows(network, alice, client):
    Person.objects.bulk_create(Person(first_name=f"P{i}", last_name="Many") for i in range(250))
    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/events/new/").content.decode()
    asked = [q["sql"] for q in queries if '"members_person"."archived_at" IS NULL' in q["sql"]]
    assert len(asked) == 1, asked
    assert page.count("P17 Many") == 1  # one list, shared by every agenda row
    assert len(re.findall(r'list="speaker-list"', page)) == 3  # one per empty row


def _save(client, speaker: str):
    data = dict(EVENT_FORM, **{"agenda-0-title": "Welcome", "agenda-0-speaker": speaker})
    return client.post("/events/new/", data)


@pytest.mark.parametrize(
    "typed", ["entry", "food share ann", "Cal Dee", "number"], ids=lambda t: t.replace(" ", "-")
)
def test_a_speaker_is_chosen_from_the_list_or_by_a_name_or_organisation(
    network, alice, client, typed
):
    who = network["cal"] if typed == "Cal Dee" else network["ann"]
    text = {
        "entry": Speakers.label(network["ann"]),
        "number": str(network["ann"].pk),
    }.get(typed, typed)
    client.force_login(alice)
    response = _save(client, text)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert AgendaItem.objects.get(title="Welcome").speaker == who


def test_a_name_matching_nobody_or_several_is_explained_and_kept(network, alice, client):
    client.force_login(alice)
    page = _save(client, "Zed Nobody").content.decode()
    assert "Nobody on file matches “Zed Nobody”" in page
    assert 'value="Zed Nobody"' in page
    Person.objects.create(first_name="Ann", last_name="Other")
    page = _save(client, "Ann").content.decode()
    assert "2 people match “Ann”" in page
    assert not AgendaItem.objects.exists()


def test_erased_and_archived_people_are_not_found_by_name(network, alice, client):
    client.force_login(alice)
    assert "Nobody on file matches" in _save(client, "Olive Gone").content.decode()
    assert "Nobody on file matches" in _save(client, "Erased").content.decode()
    erased = f"Erased · #{network['erased'].pk}"
    assert "Nobody on file matches" in _save(client, erased).content.decode()
