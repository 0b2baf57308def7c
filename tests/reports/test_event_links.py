"""An event's page links to its reports: coordinators to every report about it (or a button
to draft one), members and visitors to the published ones only. The links come from the
reports app through cairn.events.page_links: events never imports reports."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.contributions.services import record_contribution
from cairn.events.models import Event, EventStatus
from cairn.reports import services
from cairn.reports.services import generate_event_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def held():
    start = timezone.now() - timezone.timedelta(days=3)
    event = Event.objects.create(
        title="Autumn gathering",
        status=EventStatus.CLOSED,
        starts_at=start,
        ends_at=start + timezone.timedelta(hours=2),
    )
    record_contribution(text="The bus timetable changed again.", channel="chat", event=event)
    return event


def _page(client, user, event):
    client.force_login(user)
    return client.get(reverse("events:detail", args=[event.pk])).content.decode()


def test_a_coordinator_is_offered_to_draft_the_report_then_led_to_it(client, alice, held):
    page = _page(client, alice, held)
    assert f'action="{reverse("reports:generate")}"' in page
    assert f'name="event" value="{held.pk}"' in page and "Draft the event report" in page
    response = client.post(reverse("reports:generate"), {"event": held.pk})
    report = held.reports.get()
    assert response["Location"] == report.get_absolute_url()
    page = _page(client, alice, held)
    assert f'href="{report.get_absolute_url()}"' in page and "Event report, draft" in page
    assert "Draft the event report" not in page


def test_nothing_to_report_before_anyone_said_anything(client, alice):
    soon = timezone.now() + timezone.timedelta(days=3)
    event = Event.objects.create(title="Next", starts_at=soon, ends_at=soon)
    page = _page(client, alice, event)
    assert "Draft the event report" not in page and 'id="reports-heading"' not in page


def test_members_and_visitors_see_only_a_published_report(client, alice, charlie, held):
    report = generate_event_report(held, alice)
    assert report.get_public_url() not in _page(client, charlie, held)
    assert report.get_absolute_url() not in _page(client, charlie, held)
    client.logout()
    public = reverse("public:event", args=[held.pk])
    assert report.get_public_url() not in client.get(public).content.decode()

    services.approve(report, alice)
    services.publish(report, alice)
    assert f'href="{report.get_public_url()}"' in _page(client, charlie, held)
    client.logout()
    assert f'href="{report.get_public_url()}"' in client.get(public).content.decode()
