"""The event page costs the same number of queries however many people and notes it has."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cairn.contributions.models import Contribution
from cairn.events.models import Registration
from cairn.members.models import Organisation, Person

pytestmark = pytest.mark.django_db


def _queries(client, event) -> int:
    with CaptureQueriesContext(connection) as seen:
        assert client.get(event.get_absolute_url()).status_code == 200
    return len(seen.captured_queries)


def _grow(event, n: int) -> None:
    org = Organisation.objects.first()
    themes = list(event.breakout_themes.all())
    for i in range(n):
        person = Person.objects.create(
            first_name=f"P{i}", last_name="Row", organisation=org, email=f"p{i}@example.org"
        )
        Registration.objects.create(event=event, person=person)
        Contribution.objects.create(
            event=event,
            text=f"note {i}",
            channel="breakout_note",
            author=person,
            theme=themes[i % len(themes)],
        )


@pytest.mark.parametrize("username", ["member", "facilitator", "coordinator"])
def test_the_event_page_makes_no_query_per_row(client, demo, username):
    client.force_login(User.objects.get(username=username))
    before = _queries(client, demo)
    _grow(demo, 40)
    assert _queries(client, demo) == before
