"""Demo data for events: breakout roles on the seed event, and the upcoming event
filled close to capacity with ranked preferences, a waiting list and groups."""

from datetime import timedelta

from django.utils import timezone

from cairn.events.models import (
    BreakoutGroup,
    BreakoutPreference,
    BreakoutRole,
    BreakoutTheme,
    Event,
    EventStatus,
    Registration,
    RegistrationChannel,
    RegistrationStatus,
)
from cairn.events.services.breakouts import allocate_event
from cairn.members.models import Channel

FACILITATORS = ["facilitator", "speaker1", "speaker2", "speaker3"]
NOTE_TAKERS = ["rosie", "mei"]


def load(network) -> None:
    seed = network.seed_event
    for group in BreakoutGroup.objects.filter(event=seed):
        Registration.objects.filter(event=seed, person=group.facilitator).update(
            breakout_role=BreakoutRole.FACILITATOR
        )
        Registration.objects.filter(event=seed, person=group.note_taker).exclude(
            breakout_role=BreakoutRole.FACILITATOR
        ).update(breakout_role=BreakoutRole.NOTE_TAKER)
    _fill_upcoming(network)


def _fill_upcoming(network) -> None:
    event = Event.objects.filter(status=EventStatus.OPEN).exclude(pk=network.seed_event.pk).first()
    if event is None:
        return
    BreakoutTheme.objects.get_or_create(
        event=event,
        name="Working with business",
        defaults={
            "description": "Who to contact in a company, and what both sides gain.",
            "position": 2,
        },
    )
    themes = list(event.breakout_themes.order_by("position"))
    coordinator = network.users["coordinator"]
    now = timezone.now()
    keys = list(network.people)
    already = set(event.registrations.values_list("person_id", flat=True))
    registered = event.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    for index, key in enumerate(keys):
        person = network.people[key]
        if person.pk in already:
            registration = event.registrations.get(person=person)
        else:
            offline = person.preferred_channel in (Channel.PHONE, Channel.POST)
            full = event.capacity is not None and registered >= event.capacity
            registration = Registration.objects.create(
                event=event,
                person=person,
                status=RegistrationStatus.WAITLISTED if full else RegistrationStatus.REGISTERED,
                channel=RegistrationChannel.PHONE
                if person.preferred_channel == Channel.PHONE
                else (RegistrationChannel.POST if offline else RegistrationChannel.WEB),
                entered_by=coordinator if offline else None,
                access_needs=", ".join(person.access_need_labels()),
            )
            registered += 0 if full else 1
        Registration.objects.filter(pk=registration.pk).update(
            queued_at=now - timedelta(days=20) + timedelta(minutes=index),
            breakout_role=BreakoutRole.FACILITATOR
            if key in FACILITATORS
            else (BreakoutRole.NOTE_TAKER if key in NOTE_TAKERS else ""),
        )
        if not registration.preferences.exists():
            # A spread of rankings, most people keen on one theme.
            order = themes[index % len(themes) :] + themes[: index % len(themes)]
            if index % 5 == 0:
                order = [themes[1], themes[0], *themes[2:]]
            for rank, theme in enumerate(order[:2], start=1):
                BreakoutPreference.objects.create(registration=registration, theme=theme, rank=rank)
    allocate_event(event.pk, actor=coordinator)
