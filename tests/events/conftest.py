"""Fixtures for events: an open event with themes, and members who consented to invitations."""

from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone

from cairn.events.models import BreakoutGroup, BreakoutTheme, Event, EventFormat, EventStatus
from cairn.members.models import (
    Channel,
    ConsentPurpose,
    Organisation,
    Person,
    Sector,
)
from tests.conftest import grant_consent

_numbers = count(1)


def make_person(
    first: str = "",
    last: str = "Member",
    *,
    sector: str = Sector.COMMUNITY,
    channel: str = Channel.EMAIL,
    quote: bool = True,
    **fields,
) -> Person:
    n = next(_numbers)
    first = first or f"Person{n}"
    person = Person.objects.create(
        first_name=first,
        last_name=last,
        sector=sector,
        preferred_channel=channel,
        email=fields.pop("email", f"{first.lower()}.{n}@example.org"),
        address=fields.pop("address", f"{n} High Street\nEastdale"),
        phone=fields.pop("phone", f"01632 96{n:04d}"),
        **fields,
    )
    grant_consent(
        person, ConsentPurpose.EVENT_INVITATIONS, *([ConsentPurpose.QUOTE] if quote else [])
    )
    return person


@pytest.fixture
def person_factory(db):
    return make_person


@pytest.fixture
def event(db) -> Event:
    start = timezone.now() + timedelta(days=10)
    event = Event.objects.create(
        title="Learning event",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        format=EventFormat.ONLINE,
        video_link="https://meet.example/learning",
        dial_in="Call 0330 088 0000, code 4417 2290 #",
        capacity=3,
        status=EventStatus.OPEN,
        organiser=Organisation.objects.create(name="The Network", sector=Sector.THIRD_SECTOR),
    )
    for position, name in enumerate(["Technology", "Sustainability", "Private sector"]):
        BreakoutTheme.objects.create(event=event, name=name, position=position, room_capacity=4)
    return event


def themes(event: Event) -> dict[str, BreakoutTheme]:
    return {t.name: t for t in event.breakout_themes.all()}


@pytest.fixture
def rooms(event, bob, charlie):
    """Two breakout rooms: one led by bob (facilitator), one with charlie as a member."""
    themes = list(event.breakout_themes.all())
    led = BreakoutGroup.objects.create(
        event=event, theme=themes[0], name="Technology 1", facilitator=bob.person
    )
    other = BreakoutGroup.objects.create(event=event, theme=themes[1], name="Sustainability 1")
    other.members.add(charlie.person)
    return led, other
