import pytest
from django.core import mail

from cairn.core.models import AuditEntry
from cairn.events.models import EventStatus, Registration, RegistrationStatus
from cairn.events.services.registration import RegistrationError, cancel, register
from cairn.members.models import Channel
from cairn.outreach.models import Delivery, DeliveryStatus
from tests.events.conftest import themes


def test_people_register_until_the_event_is_full_then_join_the_waiting_list(event, person_factory):
    statuses = [register(event.pk, person_factory()).status for _ in range(5)]
    assert statuses == ["registered"] * 3 + ["waitlisted"] * 2


def test_registering_twice_keeps_one_registration_and_its_place(event, person_factory):
    jane = person_factory("Jane")
    first = register(event.pk, jane, access_needs="Captions")
    again = register(event.pk, jane, access_needs="Captions and a BSL interpreter")
    assert first.pk == again.pk
    assert Registration.objects.filter(event=event, person=jane).count() == 1
    again.refresh_from_db()
    assert again.access_needs == "Captions and a BSL interpreter"
    assert again.queued_at == first.queued_at


def test_registering_again_unchanged_writes_nothing_and_takes_no_lock(event, person_factory):
    # A double click or a second tab repeats the POST: it must not queue behind the event's
    # lock (which serialises everyone's registrations) nor log a change that did not happen.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    jane = person_factory("Jane")
    t = list(themes(event).values())
    first = register(event.pk, jane, access_needs="Captions", preferences=[t[1].pk, t[0].pk])
    entries = AuditEntry.objects.count()
    with CaptureQueriesContext(connection) as seen:
        again = register(event.pk, jane, access_needs=" Captions ", preferences=[t[1].pk, t[0].pk])
    assert again.pk == first.pk
    assert AuditEntry.objects.count() == entries
    sql = " ".join(q["sql"].upper() for q in seen.captured_queries)
    assert "FOR UPDATE" not in sql and "INSERT" not in sql and "UPDATE " not in sql
    # Anything different still goes through the locked, audited path.
    register(event.pk, jane, access_needs="Captions", preferences=[t[0].pk])
    assert AuditEntry.objects.count() == entries + 1
    assert list(first.preferences.order_by("rank").values_list("theme_id", flat=True)) == [t[0].pk]


def test_registering_again_after_cancelling_still_queues_again(event, person_factory):
    jane = person_factory("Jane")
    first = register(event.pk, jane)
    cancel(first.pk, actor=None)
    again = register(event.pk, jane)
    assert again.pk == first.pk
    assert again.status == RegistrationStatus.REGISTERED


def test_registration_records_access_needs_and_ranked_preferences(event, person_factory):
    t = themes(event)
    registration = register(
        event.pk,
        person_factory(),
        access_needs="Large print papers",
        preferences=[t["Private sector"].pk, t["Technology"].pk],
    )
    ranked = [(p.rank, p.theme.name) for p in registration.preferences.all()]
    assert ranked == [(1, "Private sector"), (2, "Technology")]
    assert registration.access_needs == "Large print papers"


def test_a_theme_ranked_twice_or_from_another_event_is_refused(event, person_factory):
    t = themes(event)
    with pytest.raises(RegistrationError):
        register(event.pk, person_factory(), preferences=[t["Technology"].pk, t["Technology"].pk])
    with pytest.raises(RegistrationError):
        register(event.pk, person_factory(), preferences=[999_999])
    assert not Registration.objects.exists()


@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.CLOSED, EventStatus.CANCELLED])
def test_registration_is_refused_unless_the_event_is_open(event, person_factory, status):
    event.status = status
    event.save()
    with pytest.raises(RegistrationError):
        register(event.pk, person_factory())


def test_staff_register_someone_after_a_phone_call_and_it_is_recorded_as_such(
    event, person_factory, alice
):
    bill = person_factory("Bill", channel=Channel.PHONE)
    registration = register(event.pk, bill, channel="phone", entered_by=alice)
    assert registration.channel == "phone"
    assert registration.entered_by == alice
    entry = AuditEntry.objects.get(action="registration.created")
    assert entry.actor == alice
    assert "entered by staff" in entry.summary


def test_a_letter_or_phone_registration_needs_a_member_of_staff(event, person_factory):
    with pytest.raises(RegistrationError):
        register(event.pk, person_factory(), channel="post")


def test_a_cancellation_promotes_the_first_person_waiting(event, person_factory):
    people = [person_factory() for _ in range(5)]
    regs = [register(event.pk, p) for p in people]
    cancel(regs[1].pk, actor=None)
    statuses = {r.person_id: r.status for r in Registration.objects.filter(event=event)}
    assert statuses[people[1].pk] == RegistrationStatus.CANCELLED
    assert statuses[people[3].pk] == RegistrationStatus.REGISTERED  # first in the queue
    assert statuses[people[4].pk] == RegistrationStatus.WAITLISTED
    promoted = Registration.objects.get(person=people[3])
    assert promoted.promoted_at is not None


def test_cancelling_a_waiting_place_promotes_nobody(event, person_factory):
    regs = [register(event.pk, person_factory()) for _ in range(5)]
    cancel(regs[3].pk, actor=None)
    assert Registration.objects.get(pk=regs[4].pk).status == RegistrationStatus.WAITLISTED


def test_someone_who_cancelled_and_registers_again_goes_to_the_back_of_the_queue(
    event, person_factory
):
    people = [person_factory() for _ in range(4)]
    regs = [register(event.pk, p) for p in people]
    cancel(regs[0].pk, actor=None)  # person 3 is promoted
    again = register(event.pk, people[0])
    assert again.pk == regs[0].pk
    assert again.status == RegistrationStatus.WAITLISTED


def test_new_registrations_get_a_confirmation_with_a_calendar_file(
    event, person_factory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(event.pk, person_factory("Jane"))
    delivery = Delivery.objects.get(person__first_name="Jane")
    assert delivery.status == DeliveryStatus.SENT
    assert "Your place is booked" in delivery.subject
    assert event.dial_in in delivery.body
    (message,) = mail.outbox
    (name, content, mimetype) = message.attachments[0]
    assert name == "event.ics" and mimetype.startswith("text/calendar")
    text = content.decode() if isinstance(content, bytes) else content
    assert "BEGIN:VEVENT" in text and "Learning event" in text
    assert "TZID=Europe/London" in text
    assert Registration.objects.get().confirmation_sent_at is not None


def test_a_promoted_person_is_told_by_their_own_channel(
    event, person_factory, django_capture_on_commit_callbacks
):
    regs = [register(event.pk, person_factory()) for _ in range(3)]
    jean = person_factory("Jean", channel=Channel.POST, email="")
    register(event.pk, jean)
    with django_capture_on_commit_callbacks(execute=True):
        cancel(regs[0].pk, actor=None)
    letter = Delivery.objects.get(person=jean, subject__startswith="A place has come free")
    assert letter.channel == Channel.POST
    assert letter.status == DeliveryStatus.QUEUED


def test_people_on_the_waiting_list_are_told_they_are_waiting(
    event, person_factory, django_capture_on_commit_callbacks
):
    for _ in range(3):
        register(event.pk, person_factory())
    with django_capture_on_commit_callbacks(execute=True):
        register(event.pk, person_factory("Waiting"))
    delivery = Delivery.objects.get(person__first_name="Waiting")
    assert "waiting list" in delivery.subject
