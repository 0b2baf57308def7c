"""Merging two records of one person: everything moves, duplicates are kept once, audited."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from cairn.contributions.models import Contribution
from cairn.conversations.models import Follow, Post, Thread
from cairn.core.models import AuditEntry
from cairn.events.models import (
    BreakoutGroup,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from cairn.members.merge import merge_people, plan_merge
from cairn.members.models import Consent, ConsentMethod, ConsentPurpose, Person
from cairn.members.services import PersonError
from cairn.outreach.models import Delivery

pytestmark = pytest.mark.django_db


def _event(title: str, capacity: int | None = None) -> Event:
    start = timezone.now() + timedelta(days=5)
    return Event.objects.create(
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        status=EventStatus.OPEN,
        capacity=capacity,
    )


@pytest.fixture
def twins(org):
    kept = Person.objects.create(first_name="Jean", last_name="Millar", organisation=org)
    dropped = Person.objects.create(
        first_name="Jean",
        last_name="Millar",
        email="jean@example.org",
        phone="01632 960001",
        access_needs=["large_print"],
    )
    return kept, dropped


def test_everything_of_the_second_record_moves_to_the_first(twins, alice):
    kept, dropped = twins
    spring, autumn = _event("Spring"), _event("Autumn")
    Registration.objects.create(event=spring, person=dropped)
    Registration.objects.create(event=autumn, person=kept)
    Contribution.objects.create(text="A ramp please", channel="letter", author=dropped)
    Delivery.objects.create(
        person=dropped,
        channel="post",
        purpose="event_invitations",
        subject="Hi",
        body="x",
        status="queued",
    )
    thread = Thread.objects.create(title="Food")
    Follow.objects.create(thread=thread, person=dropped)
    Post.objects.create(thread=thread, author=dropped, body="Hello", channel="web")
    group = BreakoutGroup.objects.create(
        event=spring,
        theme=spring.breakout_themes.create(name="Tech"),
        name="Room 1",
        facilitator=dropped,
    )
    group.members.add(dropped)
    Consent.objects.create(
        person=dropped,
        purpose=ConsentPurpose.QUOTE,
        method=ConsentMethod.POST,
        recorded_at=timezone.now(),
    )

    plan = plan_merge(kept, dropped)
    moves = dict(plan.moves)
    assert moves["registrations"] == 1 and moves["contributions"] == 1
    assert moves["breakout groups"] == 2  # a member and the facilitator
    assert set(plan.filled) == {"email", "phone", "access_needs"}
    assert Person.objects.filter(pk=dropped.pk).exists()  # the preview changed nothing

    merge_people(kept, dropped, alice)
    kept.refresh_from_db()
    assert not Person.objects.filter(pk=dropped.pk).exists()
    assert set(kept.registrations.values_list("event__title", flat=True)) == {"Spring", "Autumn"}
    assert Contribution.objects.get().author == kept
    assert Delivery.objects.get().person == kept
    assert Follow.objects.get().person == kept and Post.objects.get().author == kept
    group.refresh_from_db()
    assert group.facilitator == kept and list(group.members.all()) == [kept]
    assert kept.consents.get().purpose == ConsentPurpose.QUOTE
    assert kept.email == "jean@example.org" and kept.access_needs == ["large_print"]
    assert kept.organisation is not None  # the stayer's own details are not overwritten
    entry = AuditEntry.objects.get(action="person.merged")
    assert entry.actor == alice and entry.object_id == str(kept.pk)
    assert entry.detail["dropped"] == dropped.pk


def test_both_registered_for_one_event_keeps_the_better_registration(twins, alice):
    kept, dropped = twins
    event = _event("Spring", capacity=2)
    cancelled = Registration.objects.create(
        event=event, person=kept, status=RegistrationStatus.CANCELLED
    )
    registered = Registration.objects.create(event=event, person=dropped)
    plan = plan_merge(kept, dropped)
    assert len(plan.conflicts) == 1 and plan.conflicts[0].keep_dropped
    merge_people(kept, dropped, alice)
    remaining = Registration.objects.get(event=event)
    assert remaining.pk == registered.pk and remaining.person == kept
    assert not Registration.objects.filter(pk=cancelled.pk).exists()


def test_a_duplicate_place_freed_by_a_merge_goes_to_the_waiting_list(
    twins, alice, django_capture_on_commit_callbacks
):
    kept, dropped = twins
    event = _event("Spring", capacity=2)
    Registration.objects.create(event=event, person=kept)
    Registration.objects.create(event=event, person=dropped)
    waiting = Registration.objects.create(
        event=event,
        person=Person.objects.create(first_name="Wait"),
        status=RegistrationStatus.WAITLISTED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        merge_people(kept, dropped, alice)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED
    assert event.registrations.filter(status=RegistrationStatus.REGISTERED).count() == 2


def test_the_latest_consent_wins(twins, alice):
    kept, dropped = twins
    now = timezone.now()
    Consent.objects.create(
        person=kept,
        purpose=ConsentPurpose.QUOTE,
        granted=True,
        method="web",
        recorded_at=now - timedelta(days=30),
    )
    Consent.objects.create(
        person=dropped,
        purpose=ConsentPurpose.QUOTE,
        granted=False,
        method="phone",
        recorded_at=now,
    )
    merge_people(kept, dropped, alice)
    consent = kept.consents.get()
    assert consent.granted is False and consent.method == "phone"


def test_a_login_moves_when_the_kept_record_has_none(twins, alice):
    kept, dropped = twins
    dropped.user = User.objects.create_user("jean")
    dropped.save()
    merge_people(kept, dropped, alice)
    kept.refresh_from_db()
    assert kept.user.username == "jean"


def test_a_person_cannot_be_merged_with_themselves(twins):
    kept, _ = twins
    with pytest.raises(PersonError):
        plan_merge(kept, kept)


def test_the_merge_page_previews_then_merges_on_confirmation(client, alice, twins):
    kept, dropped = twins
    Registration.objects.create(event=_event("Spring"), person=dropped)
    client.force_login(alice)
    pick = client.get(f"/people/{kept.pk}/merge/").content.decode()
    assert f"?other={dropped.pk}" in pick  # same name and surname suggested
    preview = client.get(f"/people/{kept.pk}/merge/?other={dropped.pk}").content.decode()
    assert "1 registration<" in preview and "1 registrations" not in preview
    assert "jean@example.org" in preview
    unconfirmed = client.post(f"/people/{kept.pk}/merge/", {"other": dropped.pk}, follow=True)
    assert "Tick the box" in unconfirmed.content.decode()
    assert Person.objects.filter(pk=dropped.pk).exists()
    done = client.post(f"/people/{kept.pk}/merge/", {"other": dropped.pk, "confirm": "1"})
    assert done.url == kept.get_absolute_url()
    assert not Person.objects.filter(pk=dropped.pk).exists()
