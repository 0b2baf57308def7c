"""A member's repeated registration POST (a double click, a second tab) is answered from
their registration alone, and says what the first one said; anything that would change the
registration, or that only the form can judge, takes the full path."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cairn.core.models import AuditEntry
from cairn.events.forms import plain_registration
from cairn.events.models import EventStatus, Registration, RegistrationStatus
from cairn.events.services.registration import cancel, register
from tests.events.conftest import themes


def post(client, event, data=None):
    # As a browser sends it: the form's fields, blank ones included.
    return client.post(f"/events/{event.pk}/register/", {"access_needs": "", **(data or {})})


def said(response) -> str:
    """The message this response added (earlier ones wait in the cookie, unread)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def test_a_repeated_post_answers_from_the_registration_alone(client, charlie, event):
    client.force_login(charlie)
    first = post(client, event, {"access_needs": "Captions"})
    assert said(first) == "You are registered."
    entries = AuditEntry.objects.count()
    with CaptureQueriesContext(connection) as seen:
        again = post(client, event, {"access_needs": " Captions "})
    assert again.status_code == 302 and again["Location"] == event.get_absolute_url()
    assert said(again) == "You are registered."
    assert AuditEntry.objects.count() == entries
    # The session, the user, and the registration (with whether it keeps preferences).
    assert len(seen.captured_queries) == 3, [q["sql"][:80] for q in seen.captured_queries]


def test_a_repeat_with_the_same_ranked_themes_changes_nothing(client, charlie, event):
    client.force_login(charlie)
    t = themes(event)
    data = {"rank_1": t["Technology"].pk, "rank_2": t["Private sector"].pk}
    post(client, event, data)
    entries = AuditEntry.objects.count()
    assert said(post(client, event, data)) == "You are registered."
    assert AuditEntry.objects.count() == entries


def test_a_repeat_that_changes_something_is_recorded(client, charlie, event):
    client.force_login(charlie)
    t = themes(event)
    post(client, event, {"rank_1": t["Technology"].pk})
    post(client, event, {"rank_1": t["Private sector"].pk, "access_needs": "Large print"})
    registration = Registration.objects.get(person=charlie.person)
    assert registration.access_needs == "Large print"
    assert [p.theme.name for p in registration.preferences.all()] == ["Private sector"]
    # Asking for no preference now drops the one kept.
    post(client, event, {"access_needs": "Large print"})
    assert not registration.preferences.exists()


def test_a_waiting_member_who_posts_again_is_told_they_are_still_waiting(
    client, charlie, event, person_factory
):
    for _ in range(event.capacity):
        register(event.pk, person_factory())
    client.force_login(charlie)
    post(client, event)
    assert said(post(client, event)) == "The event is full: you are on the waiting list."
    assert Registration.objects.get(person=charlie.person).status == RegistrationStatus.WAITLISTED


def test_a_cancelled_registration_posted_again_queues_again(client, charlie, event):
    client.force_login(charlie)
    post(client, event)
    registration = Registration.objects.get(person=charlie.person)
    cancel(registration.pk, actor=None)
    post(client, event)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED


def test_a_repeat_after_registration_closed_is_refused_as_before(client, charlie, event):
    client.force_login(charlie)
    post(client, event)
    event.status = EventStatus.CLOSED
    event.save()
    assert "not open" in said(post(client, event))


def test_another_members_repeat_does_not_answer_for_someone_unregistered(
    client, charlie, bob, event
):
    register(event.pk, bob.person)
    client.force_login(charlie)
    post(client, event)
    assert Registration.objects.filter(person=charlie.person).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"rank_1": "", "rank_2": "5"},  # a gap: the form ranks by field name
        {"rank_1": "05"},  # not a choice the form offers
        {"rank_1": "٥"},  # a digit, but not an id
        {"access_needs": "x" * 2001},  # longer than the form allows
        {"access_needs": "Captions\x00"},  # a null character, which the form refuses
    ],
)
def test_only_what_the_form_would_read_the_same_is_read_without_it(data):
    assert plain_registration(data) is None


def test_a_plain_post_reads_as_the_form_would():
    assert plain_registration({"access_needs": " Captions\n", "rank_1": "7", "rank_2": "3"}) == (
        "Captions",
        [7, 3],
    )
    assert plain_registration({}) == ("", [])


def test_a_first_registration_with_nothing_ranked_reads_neither_themes_nor_role(
    client, charlie, event
):
    client.force_login(charlie)
    with CaptureQueriesContext(connection) as seen:
        response = post(client, event, {"access_needs": "Captions"})
    assert said(response) == "You are registered."
    assert Registration.objects.get(person=charlie.person).access_needs == "Captions"
    sql = " ".join(q["sql"] for q in seen.captured_queries)
    assert "events_breakouttheme" not in sql and "auth_group" not in sql


def test_a_draft_event_takes_no_registration_from_a_member(client, charlie, alice, event):
    event.status = EventStatus.DRAFT
    event.save()
    client.force_login(charlie)
    assert post(client, event).status_code == 404
    client.force_login(alice)  # a coordinator sees the draft, which is not open yet
    assert "not open" in said(post(client, event))
    assert not Registration.objects.exists()


def test_a_first_registration_asks_once_whether_it_repeats_one(client, charlie, event):
    # The view has just asked (by login); the service does not ask again (by person).
    client.force_login(charlie)
    with CaptureQueriesContext(connection) as seen:
        response = post(client, event, {"access_needs": "Captions"})
    assert said(response) == "You are registered."
    repeat_checks = [q for q in seen.captured_queries if "events_breakoutpreference" in q["sql"]]
    assert len(repeat_checks) == 1


def test_registering_when_told_it_changes_something_is_right_even_when_it_does_not(
    charlie, event, person_factory
):
    # checked_unchanged only skips the lock-free shortcut: the locked path keeps the place.
    first = register(event.pk, charlie.person, access_needs="Captions")
    again = register(event.pk, charlie.person, access_needs="Captions", checked_unchanged=True)
    assert again.pk == first.pk and again.status == RegistrationStatus.REGISTERED
    assert again.queued_at == first.queued_at
    assert Registration.objects.filter(person=charlie.person).count() == 1
    for _ in range(event.capacity - 1):
        register(event.pk, person_factory(), checked_unchanged=True)
    late = register(event.pk, person_factory(), checked_unchanged=True)
    assert late.status == RegistrationStatus.WAITLISTED
    assert (
        Registration.objects.filter(status=RegistrationStatus.REGISTERED).count() == event.capacity
    )
