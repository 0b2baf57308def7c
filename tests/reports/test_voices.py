"""The "Voices by …" charts count people, not lines: one person with ten chat lines is one voice."""

import io

import pytest
from django.utils import timezone
from docx import Document

from cairn.contributions.services import record_contribution
from cairn.events.models import Event
from cairn.members.models import Organisation, Person, Sector
from cairn.reports import render
from cairn.reports.document import build_document
from cairn.reports.services import generate_briefing, generate_event_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def chatty_event():
    """One community member says ten chat lines and writes a letter; a health member says
    one line; two chat lines are anonymous (linked to no member)."""
    start = timezone.now() - timezone.timedelta(days=2)
    event = Event.objects.create(
        title="Talking shop", starts_at=start, ends_at=start + timezone.timedelta(hours=2)
    )
    community = Organisation.objects.create(name="Eastdale Food Share", sector=Sector.COMMUNITY)
    health = Organisation.objects.create(
        name="Northshire NHS Trust", sector=Sector.HEALTH_SOCIAL_CARE
    )
    talker = Person.objects.create(first_name="Tam", organisation=community)
    quiet = Person.objects.create(first_name="Quinn", organisation=health)
    for i in range(10):
        record_contribution(
            text=f"Point number {i} about buses.", channel="chat", event=event, author=talker
        )
    record_contribution(text="A letter about buses.", channel="letter", event=event, author=talker)
    record_contribution(text="Our trust sees the same.", channel="chat", event=event, author=quiet)
    for text in ("Agreed.", "Same here in the valley."):
        record_contribution(text=text, channel="chat", event=event, author_name="Guest 1")
    return event


def _charts(doc):
    return {c["key"]: dict(c["bars"]) for s in doc["sections"] for c in s["charts"]}


def test_the_event_report_counts_each_member_once_per_sector_and_channel(chatty_event, alice):
    report = generate_event_report(chatty_event, alice)
    charts = _charts(build_document(report, public=False))
    # Tam (community) once, Quinn (health) once, the two anonymous lines one each.
    assert charts["sectors"]["Community group"] == 1
    assert charts["sectors"]["Health and social care"] == 1
    assert sum(charts["sectors"].values()) == 4
    # By channel: chat heard Tam, Quinn and two unlinked lines; the letter was Tam's.
    assert charts["channels"] == {"Meeting chat": 4, "Letter": 1}


def test_every_format_says_what_a_voice_is(chatty_event, alice):
    doc = build_document(generate_event_report(chatty_event, alice), public=True)
    note = "a member counts once however often they spoke"
    assert note in render.html_page(doc)
    assert note in render.markdown(doc)
    document = Document(io.BytesIO(render.docx(doc)))
    assert any(note in p.text for p in document.paragraphs)
    assert all("in people" in c["alt"] for s in doc["sections"] for c in s["charts"])


def test_the_briefing_counts_each_member_once(chatty_event, alice):
    report = generate_briefing([chatty_event], alice)
    charts = _charts(build_document(report, public=False))
    assert sum(charts["sectors"].values()) == 4
    assert charts["channels"] == {"Meeting chat": 4, "Letter": 1}


def test_the_event_page_shows_people_beside_contributions_by_channel(chatty_event, alice, client):
    client.force_login(alice)
    page = client.get(f"/events/{chatty_event.pk}/")
    rows = [(label, n, people) for label, n, people in page.context["channel_counts"]]
    assert ("Meeting chat", 13, 4) in rows and ("Letter", 1, 1) in rows
    assert "a member counts once however often they spoke" in page.content.decode()
