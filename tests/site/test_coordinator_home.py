"""The coordinator's home: what needs them now, each with a count and a link."""

import re

import pytest

from cairn.outreach.models import Delivery
from tests.conftest import grant_consent

pytestmark = pytest.mark.django_db


def _needs(page: str) -> dict[str, tuple[int, str]]:
    found = re.findall(r'<a href="([^"]+)"><strong>(\d+)</strong> <span>([^<]+)</span>', page)
    return {text: (int(n), url) for url, n, text in found}


def test_the_coordinator_sees_counts_and_links_for_waiting_work(client, alice, charlie):
    person = charlie.person
    grant_consent(person, "event_invitations")  # as every queued call had when queued
    person.phone = "01632 960001"  # and a number to call: the call list asks both
    person.address = "1 Road"
    person.save()
    for channel, status in [("phone", "queued"), ("phone", "queued"), ("post", "queued")]:
        Delivery.objects.create(
            person=person,
            channel=channel,
            status=status,
            purpose="event_invitations",
            subject="s",
            body="b",
        )
    Delivery.objects.create(
        person=person,
        channel="email",
        status="not_reached",
        purpose="event_invitations",
        subject="s",
        body="b",
    )
    client.force_login(alice)
    needs = _needs(client.get("/").content.decode())
    assert needs["calls to make"] == (2, "/outreach/calls/")
    assert needs["letter to print"] == (1, "/outreach/letters/")
    assert needs["email not delivered"] == (1, "/outreach/not-reached/?channel=email")
    assert needs["reports to approve"][0] == 0
    assert "sign-ups to approve" in needs and "syntheses finished this week" in needs
    assert "paper forms sent out, waiting to be typed in" in needs


def test_the_demo_coordinator_home_links_every_need_to_a_page_that_opens(client, demo):
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="coordinator"))
    needs = _needs(client.get("/").content.decode())
    assert len(needs) == 8
    for _text, (_n, url) in needs.items():
        assert client.get(url).status_code == 200, url


def test_members_do_not_see_the_coordinator_s_list(client, charlie):
    client.force_login(charlie)
    assert "Needs you now" not in client.get("/").content.decode()


def _lines(page: str) -> list[tuple[int, str, str]]:
    found = re.findall(r'<a href="([^"]+)"><strong>(\d+)</strong> <span>([^<]+)</span>', page)
    return [(int(n), text, url) for url, n, text in found]


def test_with_nothing_waiting_every_line_reads_zero_in_the_plural_in_a_fixed_order(client, alice):
    client.force_login(alice)
    assert _lines(client.get("/").content.decode()) == [
        (0, "calls to make", "/outreach/calls/"),
        (0, "letters to print", "/outreach/letters/"),
        (0, "emails not delivered", "/outreach/not-reached/?channel=email"),
        (0, "replies and posts this week to read", "/conversations/"),
        (0, "paper forms sent out, waiting to be typed in", "/consultations/"),
        (0, "sign-ups to approve", "/accounts/join-requests/"),
        (0, "reports to approve", "/reports/"),
        (0, "syntheses finished this week", "/insights/"),
    ]


def test_paper_forms_waiting_for_one_consultation_link_straight_to_typing_them_in(client, alice):
    from django.utils import timezone

    from cairn.consultations.models import PaperForm
    from tests.consultations.conftest import make_consultation

    consultation = make_consultation(alice)
    for code in ["AAAA-BBBB", "CCCC-DDDD"]:
        PaperForm.objects.create(consultation=consultation, code=code, sent_at=timezone.now())
    client.force_login(alice)
    needs = _needs(client.get("/").content.decode())
    assert needs["paper forms sent out, waiting to be typed in"] == (
        2,
        f"/consultations/{consultation.pk}/enter/",
    )
