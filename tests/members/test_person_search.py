"""One search for people by name or email, shared by the lists that have a search box."""

import pytest
from django.urls import reverse

from cairn.events.services import registration
from tests.conftest import make_user
from tests.events.conftest import event, make_person  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def test_the_logins_list_finds_by_first_or_last_name_email_or_username(client, alice):
    make_user("fz", None, last_name="Okafor", email="fola@eastdale.example")
    make_user("gk", None, last_name="Brennan", email="gk@northshire.example")
    client.force_login(alice)
    for q in ("okaf", "FOLA@", "fz"):
        page = client.get(reverse("accounts:logins"), {"q": q}).content.decode()
        assert "Okafor" in page and "Brennan" not in page, q


def test_an_events_registrations_are_searched_through_the_person(client, alice, event):  # noqa: F811
    for first, last in (("Fola", "Okafor"), ("Gerry", "Brennan")):
        registration.register(event.pk, make_person(first, last))
    client.force_login(alice)
    url = reverse("events:registrations", args=[event.pk])
    page = client.get(url, {"q": "brenn"}).content.decode()
    assert "Brennan" in page and "Okafor" not in page
