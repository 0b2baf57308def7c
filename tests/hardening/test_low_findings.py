"""The low findings of the security review: each was a 500, a leak or a silent wrong."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.events.models import BreakoutGroup, EventStatus, Registration, RegistrationStatus

EVIL = "https://evil.example/phish"


@pytest.fixture
def registration(event, person_factory):
    return Registration.objects.create(
        event=event, person=person_factory("Ada"), status=RegistrationStatus.REGISTERED
    )


# --- unchecked `next` ---


def test_setting_a_role_never_redirects_off_site(client, alice, registration):
    client.force_login(alice)
    url = reverse("events:set_role", args=[registration.event_id, registration.pk])
    response = client.post(url, {"role": "", "next": EVIL})
    assert response.status_code == 302 and "evil.example" not in response["Location"]


def test_checking_in_never_redirects_off_site(client, alice, registration):
    client.force_login(alice)
    url = reverse("events:check_in", args=[registration.event_id, registration.pk])
    response = client.post(url, {"attended": "1", "next": "//evil.example/"})
    assert "evil.example" not in response["Location"]


def test_a_local_next_is_still_followed(client, alice, registration):
    client.force_login(alice)
    url = reverse("events:check_in", args=[registration.event_id, registration.pk])
    response = client.post(url, {"attended": "1", "next": "/events/?page=2"})
    assert response["Location"] == "/events/?page=2"


# --- 500s ---


@pytest.mark.parametrize("name", ["conversations:list", "contributions:list"])
def test_a_30_digit_event_filter_is_an_empty_list_not_a_500(client, alice, name):
    client.force_login(alice)
    response = client.get(reverse(name), {"event": "1" * 30})
    assert response.status_code == 200


def test_the_breakouts_page_copes_with_a_member_who_has_no_registration(
    client, alice, event, person_factory
):
    group = BreakoutGroup.objects.create(
        event=event, theme=event.breakout_themes.first(), name="Room 1"
    )
    group.members.add(person_factory("Nobody"))
    client.force_login(alice)
    assert client.get(reverse("events:breakouts", args=[event.pk])).status_code == 200


# --- CSV formula injection ---


def test_rooms_csv_guards_cells_that_a_spreadsheet_would_run(client, alice, event, person_factory):
    group = BreakoutGroup.objects.create(
        event=event, theme=event.breakout_themes.first(), name="Room 1"
    )
    group.members.add(person_factory("Eve", email="=cmd|'/Ccalc'!A0@example.org"))
    client.force_login(alice)
    body = client.get(reverse("events:export_csv", args=[event.pk])).content.decode()
    assert "'=cmd" in body and "\n=cmd" not in body and ",=cmd" not in body


def test_synthesize_csv_output_guards_formulas():
    from cairn.synthesis.io import _cell

    assert _cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert _cell("@SUM(A1)").startswith("'")
    assert _cell("Buses matter") == "Buses matter"


@pytest.mark.django_db
def test_an_email_address_that_is_a_formula_is_refused():
    from cairn.members.forms import PersonForm

    form = PersonForm(data={"first_name": "Eve", "email": "=cmd|'/Ccalc'!A0@example.org"})
    assert not form.is_valid()
    assert "email" in form.errors


# --- line breaks in one-line fields ---


@pytest.mark.django_db
def test_a_listing_title_with_a_line_break_is_refused():
    from cairn.exchange.forms import ListingForm

    form = ListingForm(data={"title": "Free room\r\nBcc: everyone@example.org"})
    assert not form.is_valid()
    assert "one line" in str(form.errors["title"])


# --- feedback and conversations ---


def _feedback(client, user, event):
    client.force_login(user)
    return client.post(reverse("events:feedback", args=[event.pk]), {"rating": "4"})


def test_members_cannot_give_feedback_before_the_event(client, charlie, event):
    Registration.objects.create(event=event, person=charlie.person)
    response = _feedback(client, charlie, event)
    assert "Feedback opens when the event has ended" in response.content.decode()
    assert not event.feedback.exists()


def test_members_cannot_give_feedback_on_an_event_they_did_not_attend(client, charlie, event):
    event.starts_at = timezone.now() - timedelta(days=2)
    event.ends_at = timezone.now() - timedelta(days=2, hours=-2)
    event.save()
    assert _feedback(client, charlie, event).status_code == 200  # not registered
    Registration.objects.create(event=event, person=charlie.person, attended=False)
    assert "did not attend" in _feedback(client, charlie, event).content.decode()
    assert not event.feedback.exists()
    Registration.objects.filter(person=charlie.person).update(attended=True)
    assert _feedback(client, charlie, event).status_code == 302
    assert event.feedback.count() == 1


def test_members_cannot_start_a_conversation_on_a_draft_event(client, charlie, event):
    event.status = EventStatus.DRAFT
    event.save()
    client.force_login(charlie)
    page = client.get(reverse("conversations:create")).content.decode()
    assert event.title not in page
    client.post(
        reverse("conversations:create"),
        {"title": "Secret plans", "event": event.pk, "body": "Hello"},
    )
    from cairn.conversations.models import Thread

    assert not Thread.objects.filter(event=event).exists()


def test_a_binary_attendance_upload_gets_a_clear_message(client, alice, event):
    import random

    from django.core.files.uploadedfile import SimpleUploadedFile

    garbage = bytes(random.Random(4).randrange(256) for _ in range(5000)) + b"\r\x00\n\xff"
    client.force_login(alice)
    response = client.post(
        reverse("events:attendance", args=[event.pk]),
        {"file": SimpleUploadedFile("report.csv", garbage, content_type="text/csv")},
    )
    assert response.status_code == 200
    assert "binary data" in response.content.decode()
