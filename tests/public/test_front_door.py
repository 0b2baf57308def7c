"""The front door: what a visitor without an account sees and does."""

import pytest
from django.core import mail
from django.test import override_settings

from cairn.events.models import EventStatus, Registration, RegistrationStatus
from cairn.events.services.registration import register
from cairn.exchange.models import Listing
from cairn.members.models import Consent, Organisation, Person, Sector

pytestmark = pytest.mark.django_db


def _visitor(**extra):
    data = {
        "first_name": "Nadia",
        "last_name": "Rahman",
        "email": "nadia@example.org",
        "organisation": "",
        "sector": "",
        "needs": ["hearing_loop"],
        "access_needs": "A quiet room for breaks",
        "consent_event": "on",
    }
    data.update(extra)
    return data


@override_settings(
    CAIRN_PHONE="", NETWORK_PHONE="0330 123 4567", NETWORK_POSTAL_ADDRESS="1 Quay St\nEastdale"
)
def test_the_public_home_shows_events_reports_how_to_join_and_how_to_reach_us(client, event):
    page = client.get("/").content.decode()
    assert event.title in page and f"/visit/events/{event.pk}/" in page
    assert "Published reports" in page and "How to join" in page
    assert "0330 123 4567" in page and "1 Quay St" in page


@override_settings(CAIRN_PHONE="", NETWORK_PHONE="0330 123 4567")
def test_the_register_by_phone_number_can_be_tapped_on_a_phone(client, event):
    page = client.get(f"/visit/events/{event.pk}/").content.decode()
    assert 'Call <a href="tel:03301234567">0330 123 4567</a>' in page


def test_a_member_still_gets_their_own_start_page(client, charlie):
    client.force_login(charlie)
    assert "Welcome, Charlie" in client.get("/").content.decode()


def test_the_public_event_page_hides_the_video_link_and_dial_in(client, event):
    page = client.get(f"/visit/events/{event.pk}/").content.decode()
    assert event.title in page and "Online" in page
    assert "from any phone" in page
    assert event.video_link not in page and "4417 2290" not in page


def test_registered_members_see_their_joining_details_on_the_public_page(client, event, charlie):
    register(event.pk, charlie.person)
    client.force_login(charlie)
    page = client.get(f"/visit/events/{event.pk}/").content.decode()
    assert event.video_link in page and "4417 2290" in page


def test_draft_events_are_not_public(client, event):
    event.status = EventStatus.DRAFT
    event.save()
    assert client.get(f"/visit/events/{event.pk}/").status_code == 404


def test_the_event_time_is_shown_in_the_event_s_time_zone(client, event):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    event.timezone = "America/New_York"
    event.starts_at = datetime(2030, 6, 3, 14, 0, tzinfo=ZoneInfo("UTC"))
    event.ends_at = datetime(2030, 6, 3, 16, 0, tzinfo=ZoneInfo("UTC"))
    event.save()
    page = client.get(f"/visit/events/{event.pk}/").content.decode()
    assert "10:00–12:00" in page and "America/New_York" in page


def test_a_visitor_registers_without_an_account_and_gets_the_confirmation_with_ics(
    client, event, django_capture_on_commit_callbacks
):
    tech = event.breakout_themes.get(name="Technology")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/visit/events/{event.pk}/", _visitor(rank_1=str(tech.pk)), follow=True
        )
    assert "Thank you for registering" in response.content.decode()
    nadia = Person.objects.get(email="nadia@example.org")
    assert nadia.user is None and nadia.preferred_channel == "email"
    assert nadia.access_needs == ["hearing_loop"]
    registration = Registration.objects.get(person=nadia)
    assert registration.status == RegistrationStatus.REGISTERED
    assert registration.channel == "web"
    assert "quiet room" in registration.access_needs
    assert [p.theme for p in registration.preferences.all()] == [tech]
    assert Consent.objects.get(person=nadia).purpose == "event_invitations"
    (message,) = mail.outbox
    assert message.to == ["nadia@example.org"]
    assert event.video_link in message.body
    assert any(name.endswith(".ics") for name, *_ in message.attachments)


def test_the_same_email_matches_the_person_on_file_without_changing_their_details(
    client, event, person_factory
):
    on_file = person_factory("Nadia", "Rahman", email="nadia@example.org", phone="01632 1")
    client.post(f"/visit/events/{event.pk}/", _visitor(email="NADIA@example.org", phone="999"))
    assert Person.objects.filter(email__iexact="nadia@example.org").count() == 1
    on_file.refresh_from_db()
    assert on_file.phone == "01632 1"
    assert Registration.objects.get(person=on_file).status == RegistrationStatus.REGISTERED


def test_a_phone_number_is_enough_and_the_confirmation_goes_on_the_call_list(
    client, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/visit/events/{event.pk}/", _visitor(email="", phone="01632 960555"))
    person = Person.objects.get(phone="01632 960555")
    assert person.preferred_channel == "phone"
    assert person.deliveries.get().channel == "phone"


def test_without_email_or_phone_or_consent_nothing_is_saved(client, event):
    page = client.post(
        f"/visit/events/{event.pk}/", _visitor(email="", consent_event="")
    ).content.decode()
    assert "Give an email address or a phone number" in page
    assert "We need this to send you the joining details" in page
    assert not Person.objects.filter(first_name="Nadia").exists()


def test_the_missing_email_or_phone_error_links_to_the_email_box(client, event):
    page = client.post(f"/visit/events/{event.pk}/", _visitor(email="")).content.decode()
    assert 'href="#id_email"' in page
    assert 'id="id_email_error"' in page


def test_a_full_event_puts_visitors_on_the_waiting_list(client, event, person_factory):
    for _ in range(event.capacity):
        register(event.pk, person_factory())
    page = client.get(f"/visit/events/{event.pk}/").content.decode()
    assert "Join the waiting list" in page
    response = client.post(f"/visit/events/{event.pk}/", _visitor(), follow=True)
    assert "You are on the waiting list" in response.content.decode()
    nadia = Person.objects.get(email="nadia@example.org")
    assert Registration.objects.get(person=nadia).status == RegistrationStatus.WAITLISTED


def test_a_bot_filling_the_hidden_field_registers_nobody(client, event):
    response = client.post(f"/visit/events/{event.pk}/", _visitor(website="http://spam"))
    assert response.status_code == 302
    assert not Person.objects.filter(first_name="Nadia").exists()


def test_closed_events_take_no_registrations(client, event):
    event.status = EventStatus.CLOSED
    event.save()
    client.post(f"/visit/events/{event.pk}/", _visitor())
    assert not Person.objects.filter(first_name="Nadia").exists()


def test_start_here_is_public_and_shows_every_open_need_and_offer_one_card_per_org(client):
    org = Organisation.objects.create(
        name="Harbour Tenants", sector=Sector.COMMUNITY, region="Eastdale", topics="food, housing"
    )
    other = Organisation.objects.create(name="Westdale Shop", sector="private", region="Westdale")
    Listing.objects.create(
        kind="need", category="goods", organisation=org, title="Fresh food", description="x"
    )
    Listing.objects.create(
        kind="need", category="goods", organisation=org, title="Volunteers", description="x"
    )
    Listing.objects.create(
        kind="offer", category="goods", organisation=other, title="Spare van", description="x"
    )
    Listing.objects.create(
        kind="need",
        category="goods",
        organisation=other,
        title="Closed one",
        description="x",
        is_open=False,
    )
    page = client.get("/visit/start-here/").content.decode()
    assert page.count("Harbour Tenants</h2>") == 1  # one card, not one per topic
    assert "Fresh food" in page and "Volunteers" in page and "Spare van" in page
    assert "Closed one" not in page
    near = client.get("/visit/start-here/?region=Westdale").content.decode()
    assert "Spare van" in near and "Fresh food" not in near


def test_the_public_directory_lists_only_those_who_chose_to_be_listed(client, org):
    Organisation.objects.create(name="Listed Org", sector="community", listed_publicly=True)
    Person.objects.create(first_name="Listed", last_name="Person", listed_publicly=True)
    Person.objects.create(
        first_name="Members", last_name="Only", visible_in_directory=True, organisation=org
    )
    page = client.get("/visit/directory/").content.decode()
    assert "Listed Org" in page and "Listed Person" in page
    assert org.name not in page and "Members Only" not in page


def test_the_theme_choices_say_what_they_are_choices_of(client, event):
    assert event.breakout_themes.exists()
    page = client.get(f"/visit/events/{event.pk}/").content.decode()
    assert "First choice" in page
    assert 'id="id_rank_1_helptext"' in page and "small discussion groups" in page


def test_a_visitor_cancels_their_place_from_the_link_in_their_confirmation(
    client, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/visit/events/{event.pk}/", _visitor())
    registered = client.get(f"/visit/events/{event.pk}/registered/").content.decode()
    assert "cancel with the link in our email" in registered
    registration = Registration.objects.get(person__email="nadia@example.org")
    body = registration.person.deliveries.get().body
    link = next(w for w in body.split() if "/visit/registration/" in w)
    path = link[link.index("/visit/") :]
    page = client.get(path).content.decode()
    assert "You have a place" in page and "Cancel my place" in page
    client.post(path)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert "Cancel my place" not in client.get(path).content.decode()
    assert client.get(path[:-3] + "xyz/").status_code == 404


def test_a_link_from_an_old_email_cancels_nothing_once_the_event_is_over(
    client, event, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from cairn.events.links import own_link

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/visit/events/{event.pk}/", _visitor())
    registration = Registration.objects.get(person__email="nadia@example.org")
    past = timezone.now() - timedelta(days=2)
    type(event).objects.filter(pk=event.pk).update(
        starts_at=past, ends_at=past + timedelta(hours=2)
    )
    path = own_link(registration)[own_link(registration).index("/visit/") :]
    assert "Cancel my place" not in client.get(path).content.decode()
    page = client.post(path, follow=True).content.decode()
    assert "This event is over" in page
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED
