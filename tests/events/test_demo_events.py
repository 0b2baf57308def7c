from cairn.events.models import BreakoutGroup, Event, EventStatus, RegistrationStatus
from cairn.events.services.breakouts import quality_of


def test_the_demos_upcoming_event_has_a_waiting_list_and_allocated_groups(demo):
    event = Event.objects.get(status=EventStatus.OPEN)
    registered = event.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    assert registered == event.capacity
    assert event.registrations.filter(status=RegistrationStatus.WAITLISTED).exists()
    quality = quality_of(event)
    assert quality.groups == BreakoutGroup.objects.filter(event=event).count() > 1
    assert quality.groups_without_facilitator == 0
    assert quality.unassigned == 0


def test_the_seed_events_facilitators_are_marked_on_their_registrations(demo):
    roles = set(
        demo.registrations.exclude(breakout_role="").values_list("breakout_role", flat=True)
    )
    assert roles == {"facilitator", "note_taker"}


def test_no_one_is_in_two_of_the_demos_rooms_at_once(demo):
    # The demo's facilitator was once note-taker in a second room of the same session.
    for event in Event.objects.all():
        seen: list[int] = []
        for group in BreakoutGroup.objects.filter(event=event):
            seen += list(group.members.values_list("pk", flat=True))
        assert len(seen) == len(set(seen)), event.title
