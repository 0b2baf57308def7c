"""With no contact details configured, visitors are not shown the names of environment
variables nor a "phone us or write" with nothing to phone or write to; a coordinator
looking at the same public page is told what to set."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

UNSET = {"NETWORK_PHONE": "", "NETWORK_EMAIL": "", "NETWORK_POSTAL_ADDRESS": ""}


@override_settings(**UNSET)
def test_visitors_see_no_setup_note_and_no_empty_promise(client):
    for path in ("/", "/visit/start-here/", "/visit/events/"):
        page = client.get(path).content.decode()
        assert "Visitors see no contact details" not in page, path
        assert "(below)" not in page, path
        assert "contact-heading" not in page, path


@override_settings(**UNSET)
def test_a_coordinator_is_told_what_to_set(client, alice):
    client.force_login(alice)
    page = client.get("/visit/start-here/").content.decode()
    assert "Visitors see no contact details" in page and "/settings/network/" in page


@override_settings(**{**UNSET, "NETWORK_PHONE": "0330 123 4567"})
def test_with_a_phone_number_visitors_get_in_touch(client):
    page = client.get("/").content.decode()
    assert "Get in touch" in page and "0330 123 4567" in page and "(below)" in page
