from datetime import timedelta

import pytest
from django.utils import timezone

from cairn.conversations.services import threads
from cairn.events.models import BreakoutTheme, Event
from cairn.members.models import Channel, Person
from tests.conftest import grant_consent


@pytest.fixture
def event(db) -> Event:
    start = timezone.now() - timedelta(days=7)
    return Event.objects.create(
        title="Learning event", starts_at=start, ends_at=start + timedelta(hours=2)
    )


@pytest.fixture
def thread(event, alice):
    return threads.start_thread(
        actor=alice,
        author=alice.person,
        title="What have we learned?",
        event=event,
        body="Over to you.",
    )


@pytest.fixture
def rosie(db) -> Person:
    person = Person.objects.create(
        first_name="Rosie", last_name="Campbell", email="rosie@library.example"
    )
    grant_consent(person, "newsletters")
    return person


@pytest.fixture
def jean(db) -> Person:
    person = Person.objects.create(
        first_name="Jean",
        last_name="Millar",
        preferred_channel=Channel.POST,
        address="12 Harbour Road",
    )
    grant_consent(person, "newsletters", method="post")
    return person


@pytest.fixture
def theme(event) -> BreakoutTheme:
    return BreakoutTheme.objects.create(event=event, name="Technology")
