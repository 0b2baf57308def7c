"""A coordinator names the network and says how to reach it, on a page: visitors, letters,
emails and reports use it at once, without a restart; the server's settings fill blanks."""

import pytest
from django.test import override_settings

from cairn.core.models import AuditEntry
from cairn.core.network import network, update_network

pytestmark = pytest.mark.django_db

UNSET = {
    "NETWORK_NAME": "Cairn",
    "NETWORK_PHONE": "",
    "NETWORK_EMAIL": "",
    "NETWORK_POSTAL_ADDRESS": "",
    "NETWORK_ABOUT": "",
}
FORM = {
    "name": "Eastdale Together",
    "about": "Eastdale's groups and services, working it out together.",
    "phone": "0113 496 0123",
    "email": "hello@eastdale.example",
    "postal_address": "1 Quay Street\n\n  Eastdale  \nEA1 1AA",
}


@override_settings(**UNSET)
def test_a_coordinator_sets_the_contact_details_visitors_then_see(client, alice):
    assert "0113 496 0123" not in client.get("/").content.decode()
    client.force_login(alice)
    response = client.post("/settings/network/", FORM, follow=True)
    assert "Network settings saved." in response.content.decode()
    entry = AuditEntry.objects.get(action="network.updated")
    assert entry.actor == alice and entry.detail["changed"]["phone"]["to"] == "0113 496 0123"
    assert network().postal_address == "1 Quay Street\nEastdale\nEA1 1AA"
    client.logout()
    page = client.get("/").content.decode()
    assert "Eastdale Together" in page and "Get in touch" in page
    assert "0113 496 0123" in page and "hello@eastdale.example" in page
    assert "working it out together" in page


@override_settings(**UNSET)
def test_saving_the_same_values_again_writes_no_audit(client, alice):
    client.force_login(alice)
    client.post("/settings/network/", FORM)
    client.post("/settings/network/", FORM)
    assert AuditEntry.objects.filter(action="network.updated").count() == 1


@override_settings(**UNSET)
def test_bad_values_are_refused_with_a_reason_and_nothing_saved(client, alice):
    client.force_login(alice)
    page = client.post(
        "/settings/network/",
        {**FORM, "phone": "ring us", "email": "not-an-email", "name": "Two\nlines"},
    ).content.decode()
    assert "at least 6 digits" in page and "valid email" in page
    assert network().phone == "" and network().name == "Cairn"
    assert not AuditEntry.objects.filter(action="network.updated").exists()


def test_only_coordinators_reach_the_page(client, bob, charlie):
    assert client.get("/settings/network/").status_code in (302, 403)
    for user in (bob, charlie):
        client.force_login(user)
        assert client.get("/settings/network/").status_code == 403
        client.post("/settings/network/", FORM)
    assert network().phone != FORM["phone"]


@override_settings(**{**UNSET, "NETWORK_PHONE": "0330 123 4567", "NETWORK_NAME": "Env Net"})
def test_a_blank_field_keeps_the_server_setting_and_the_form_shows_it(client, alice):
    update_network(alice, email="hi@eastdale.example")
    net = network()
    assert (net.name, net.phone, net.email) == ("Env Net", "0330 123 4567", "hi@eastdale.example")
    client.force_login(alice)
    page = client.get("/settings/network/").content.decode()
    assert 'placeholder="0330 123 4567"' in page and 'value="hi@eastdale.example"' in page


@override_settings(**UNSET)
def test_the_name_signs_emails_and_heads_pages_without_a_restart(client, alice):
    update_network(alice, name="Eastdale Together")
    client.force_login(alice)
    assert "Eastdale Together" in client.get("/").content.decode()
    from cairn.accounts.adapter import AccountAdapter

    assert AccountAdapter().format_email_subject("Hello") == "[Eastdale Together] Hello"


def test_unknown_fields_are_a_programming_error(alice):
    with pytest.raises(ValueError, match="colour"):
        update_network(alice, colour="teal")


def test_the_demo_network_has_its_name_and_contact_details(demo, client):
    net = network()
    assert net.name == "Northshire Co-production Network" and net.has_contact
    page = client.get("/").content.decode()
    assert "0113 496 0470" in page and "1 Library Square" in page
