"""Everything a visitor may read is reachable from the front door: every upcoming event
(not only the first six), every published report, the consultations open to anyone, and
the page to ask to join when it is open."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from cairn.consultations.models import Consultation, ConsultationStatus
from cairn.events.models import Event, EventFormat, EventStatus
from cairn.reports.models import Report, ReportKind

pytestmark = pytest.mark.django_db


def _events(n: int) -> list[Event]:
    start = timezone.now() + timedelta(days=3)
    return [
        Event.objects.create(
            title=f"Learning event {i:02d}",
            starts_at=start + timedelta(days=i),
            ends_at=start + timedelta(days=i, hours=2),
            format=EventFormat.ONLINE,
            status=EventStatus.OPEN,
        )
        for i in range(n)
    ]


def test_every_upcoming_event_is_reachable_from_the_front_door(client):
    events = _events(30)
    Event.objects.create(
        title="A draft nobody sees",
        starts_at=timezone.now() + timedelta(days=5),
        ends_at=timezone.now() + timedelta(days=5, hours=1),
        status=EventStatus.DRAFT,
    )
    home = client.get("/").content.decode()
    assert events[0].title in home and events[-1].title not in home
    assert 'href="/visit/events/"' in home
    first = client.get("/visit/events/").content.decode()
    assert events[0].title in first and f"/visit/events/{events[0].pk}/" in first
    assert "A draft nobody sees" not in first
    assert "?page=2" in first
    second = client.get("/visit/events/?page=2").content.decode()
    assert events[-1].title in second


def test_the_events_list_says_so_when_there_is_none(client):
    page = client.get("/visit/events/").content.decode()
    assert "No events are open at the moment" in page


def test_published_reports_beyond_the_latest_five_are_linked(client):
    now = timezone.now()
    for i in range(6):
        Report.objects.create(
            kind=ReportKind.EVENT,
            title=f"Report {i}",
            slug=f"report-{i}",
            published_doc={},
            published_at=now - timedelta(days=i),
        )
    home = client.get("/").content.decode()
    assert "Report 0" in home and "Report 5" not in home
    assert 'href="/reports/published/"' in home
    assert "Report 5" in client.get("/reports/published/").content.decode()


def test_consultations_open_to_anyone_are_on_the_front_door(client):
    from django.urls import reverse

    open_to_all = Consultation.objects.create(
        title="Your experience of the past months",
        status=ConsultationStatus.OPEN,
        allow_anonymous=True,
    )
    Consultation.objects.create(
        title="Members only survey", status=ConsultationStatus.OPEN, allow_anonymous=False
    )
    Consultation.objects.create(
        title="Not started yet", status=ConsultationStatus.DRAFT, allow_anonymous=True
    )
    home = client.get("/").content.decode()
    assert "Your experience of the past months" in home
    # Visitors go straight to answering, as the consultations list sends them.
    answer = reverse("consultations:answer_start", args=[open_to_all.pk])
    assert f'href="{answer}"' in home and client.get(answer).status_code == 200
    assert "Members only survey" not in home and "Not started yet" not in home
    assert 'href="/consultations/"' in home


def test_no_consultation_section_without_one_open_to_anyone(client):
    assert 'href="/consultations/"' not in client.get("/").content.decode()


@override_settings(CAIRN_SIGNUP=True)
def test_how_to_join_points_to_ask_to_join_when_it_is_open(client):
    home = client.get("/").content.decode()
    how = home.split("How to join", 1)[1].split("</ul>", 1)[0]
    assert 'href="/join/"' in how


@override_settings(CAIRN_SIGNUP=False, NETWORK_PHONE="0113 496 0123")
def test_how_to_join_says_phone_or_write_when_sign_up_is_closed(client):
    home = client.get("/").content.decode()
    how = home.split("How to join", 1)[1].split("</ul>", 1)[0]
    assert 'href="/join/"' not in how and "phone or write to us (below)" in how


@override_settings(
    CAIRN_SIGNUP=False, NETWORK_PHONE="", NETWORK_EMAIL="", NETWORK_POSTAL_ADDRESS=""
)
def test_how_to_join_promises_no_contact_below_when_none_is_set(client):
    home = client.get("/").content.decode()
    how = home.split("How to join", 1)[1].split("</ul>", 1)[0]
    assert "(below)" not in how and "ask one of the network's coordinators" in how
