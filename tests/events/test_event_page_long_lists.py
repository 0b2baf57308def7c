"""An event with a long chat or transcript: its page lists a few contributions per group
and links to all of them, instead of printing every line of the transcript."""

import pytest

from cairn.contributions.models import Contribution, ContributionChannel
from tests.events.conftest import themes

pytestmark = pytest.mark.django_db


def test_the_event_page_shows_a_few_contributions_and_links_to_all(client, alice, event):
    tech = themes(event)["Technology"]
    Contribution.objects.bulk_create(
        [
            Contribution(
                event=event, text=f"Chat line number {i}", channel=ContributionChannel.CHAT
            )
            for i in range(400)
        ]
        + [
            Contribution(
                event=event,
                theme=tech,
                text=f"Board note number {i}",
                channel=ContributionChannel.BREAKOUT_NOTE,
            )
            for i in range(60)
        ]
    )
    client.force_login(alice)
    page = client.get(event.get_absolute_url()).content.decode()
    assert page.count("Chat line number") <= 20
    assert page.count("Board note number") <= 20
    assert f'href="/contributions/?event={event.pk}"' in page
    assert "400" in page and "60" in page
