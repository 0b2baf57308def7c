"""Odd values posted to the report pages give a message, never a 500, and change nothing."""

import pytest
from django.urls import reverse

from cairn.reports.models import Report
from tests.reports.conftest import section

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_generating_for_an_event_that_is_not_a_number_or_not_there_is_a_message(client, alice):
    client.force_login(alice)
    for event in ("abc", "99999999999999999999999", "424242", ""):
        response = client.post(reverse("reports:generate"), {"event": event}, follow=True)
        assert response.status_code == 200
        assert "Choose an event" in _messages(response)
    assert not Report.objects.exists()


def test_a_briefing_of_odd_ids_is_a_message_not_a_smaller_briefing(client, alice, demo):
    client.force_login(alice)
    before = Report.objects.count()
    cases = [
        ({"events": ["abc"]}, "Choose the events from the list"),
        ({"events": [demo.pk, "424242"]}, "Choose the events from the list"),
        ({"consultations": ["1e9"]}, "Choose the consultations from the list"),
        ({"title": "Nothing chosen"}, "Choose at least one event or consultation"),
    ]
    for data, message in cases:
        response = client.post(reverse("reports:briefing"), data, follow=True)
        assert response.status_code == 200
        assert message in _messages(response)
    assert Report.objects.count() == before


def test_an_empty_heading_is_shown_on_the_form_with_the_text_kept(client, alice, report):
    client.force_login(alice)
    tech = section(report, "Technology")
    url = reverse("reports:section_edit", args=[report.pk, tech.pk])
    response = client.post(url, {"heading": "   ", "body": "My careful rewrite."})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page and "A section needs a heading" in page
    assert "My careful rewrite." in page
    tech.refresh_from_db()
    assert tech.heading == "Technology" and "My careful rewrite." not in tech.body


def test_odd_button_values_are_a_message_and_change_nothing(client, alice, report):
    client.force_login(alice)
    tech = section(report, "Technology")
    order = list(report.sections.values_list("pk", flat=True))
    quote = tech.quotes.first()
    revisions = report.revisions.count()
    posts = [
        (reverse("reports:section_move", args=[report.pk, tech.pk]), {"direction": "left"}),
        (reverse("reports:section_move", args=[report.pk, tech.pk]), {}),
        (reverse("reports:section_hide", args=[report.pk, tech.pk]), {"hidden": "maybe"}),
        (reverse("reports:quote_hide", args=[report.pk, quote.pk]), {"hidden": "2"}),
        (reverse("reports:section_rename", args=[report.pk, tech.pk]), {"label": ""}),
    ]
    for url, data in posts:
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
        assert _messages(response), (url, data)
    assert list(report.sections.values_list("pk", flat=True)) == order
    tech.refresh_from_db()
    quote.refresh_from_db()
    assert not tech.hidden and not quote.hidden and tech.heading == "Technology"
    assert report.revisions.count() == revisions


def test_a_section_of_another_report_is_not_found(client, alice, report):
    client.force_login(alice)
    tech = section(report, "Technology")
    response = client.post(
        reverse("reports:section_move", args=[report.pk + 1, tech.pk]), {"direction": "up"}
    )
    assert response.status_code == 404


def test_sending_to_an_odd_audience_is_a_message(client, alice, report):
    from cairn.reports import services

    client.force_login(alice)
    services.approve(report, alice)
    services.publish(report, alice)
    for method in (client.get, client.post):
        response = method(
            reverse("reports:send", args=[report.pk]), {"audience": "everyone"}, follow=True
        )
        assert response.status_code == 200
        assert "Choose the people registered or all members" in _messages(response)
