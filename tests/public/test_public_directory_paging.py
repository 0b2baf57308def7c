"""The public directory reaches everyone who chose to be listed, in name order, a page at
a time (it stopped at the first 100, in no order), and a search that finds nothing says
so instead of "nobody has chosen to be listed"."""

import pytest

from cairn.members.models import Organisation, Person, Sector

pytestmark = pytest.mark.django_db


def test_every_listed_person_is_reachable_in_name_order(client):
    Person.objects.bulk_create(
        Person(first_name="Pat", last_name=f"Listed{n:03d}", listed_publicly=True)
        for n in range(120)
    )
    Person.objects.create(first_name="Hidden", last_name="Person", listed_publicly=False)
    first = client.get("/visit/directory/").content.decode()
    assert "Pat Listed000" in first and "Pat Listed049" in first
    assert "Pat Listed050" not in first and "Hidden Person" not in first
    assert "people_page=3" in first or "people_page=2" in first
    last = client.get("/visit/directory/?people_page=3").content.decode()
    assert "Pat Listed119" in last and "Pat Listed000" not in last


def test_a_search_that_finds_nothing_says_so(client):
    Organisation.objects.create(
        name="Eastdale Food Share", sector=Sector.COMMUNITY, listed_publicly=True
    )
    Person.objects.create(first_name="Ola", last_name="Berg", listed_publicly=True)
    page = client.get("/visit/directory/?q=zzzz").content.decode()
    assert "No organisation matches" in page and "No one matches" in page
    assert "chosen to be listed yet" not in page
