"""The demo reads like a network that has been running: what was said at its first event
carries the event's times, not the moment the demo was loaded."""

import pytest

from cairn.contributions.models import Contribution, ContributionChannel

pytestmark = pytest.mark.django_db


def test_the_demo_breakout_notes_were_written_during_the_breakouts(demo):
    notes = list(
        Contribution.objects.filter(channel=ContributionChannel.BREAKOUT_NOTE).select_related(
            "event"
        )
    )
    assert len(notes) > 10
    event = notes[0].event
    breakouts = event.agenda_items.get(title="Breakout group discussions")
    feedback = event.agenda_items.get(position=breakouts.position + 1)
    for note in notes:
        assert note.event == event
        assert breakouts.starts_at < note.said_at < feedback.starts_at, note.text
        assert note.created_at == note.said_at
    # A room's notes were taken one after another, not all stamped with the same minute.
    for group in {n.breakout_group_id for n in notes}:
        times = [
            n.said_at for n in sorted(notes, key=lambda n: n.pk) if n.breakout_group_id == group
        ]
        assert times == sorted(set(times))
