from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from cairn.core.models import AuditEntry
from cairn.events.models import EventStatus, Registration
from cairn.events.services.events import cancel_event
from cairn.events.services.registration import register
from cairn.events.tasks import due_reminders, send_reminder
from cairn.members.models import Channel
from cairn.outreach.models import Delivery


def test_cancelling_an_event_tells_everyone_registered_or_waiting_by_their_channel(
    event, person_factory, alice, django_capture_on_commit_callbacks
):
    email = person_factory("Emma")
    post = person_factory("Jean", channel=Channel.POST)
    phone = person_factory("Bill", channel=Channel.PHONE)
    waiting = [person_factory() for _ in range(2)]
    for p in [email, post, phone, *waiting]:
        register(event.pk, p)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_event(event.pk, actor=alice, reason="The venue flooded.")
    notices = Delivery.objects.filter(subject__startswith="Cancelled")
    assert notices.count() == 5
    channels = {d.person.first_name: d.channel for d in notices}
    assert channels["Emma"] == Channel.EMAIL
    assert channels["Jean"] == Channel.POST
    assert channels["Bill"] == Channel.PHONE
    assert all("The venue flooded." in d.body for d in notices)
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    assert AuditEntry.objects.filter(action="event.cancelled", actor=alice).exists()


def _start_soon(event, hours: float) -> None:
    event.starts_at = timezone.now() + timedelta(hours=hours)
    event.ends_at = event.starts_at + timedelta(hours=2)
    event.save()


def test_reminders_are_due_only_within_a_day_of_the_event(event, person_factory):
    registration = register(event.pk, person_factory())
    assert due_reminders() == []
    _start_soon(event, 20)
    assert due_reminders() == [registration.pk]


def test_the_reminder_command_sends_each_reminder_once(event, person_factory):
    regs = [register(event.pk, person_factory()) for _ in range(4)]  # one waiting
    _start_soon(event, 5)
    call_command("send-reminders")
    call_command("send-reminders")
    reminders = Delivery.objects.filter(subject__startswith="Reminder")
    assert reminders.count() == 3
    assert {d.person_id for d in reminders} == {r.person_id for r in regs[:3]}
    assert not Registration.objects.filter(status="registered", reminder_sent_at=None).exists()


def test_a_reminder_task_run_twice_sends_one_reminder(event, person_factory):
    registration = register(event.pk, person_factory())
    assert send_reminder.call(registration.pk) is True
    assert send_reminder.call(registration.pk) is False
    assert Delivery.objects.filter(subject__startswith="Reminder").count() == 1


def test_no_reminders_go_out_for_a_cancelled_event(event, person_factory, alice):
    register(event.pk, person_factory())
    _start_soon(event, 5)
    cancel_event(event.pk, actor=alice)
    assert due_reminders() == []


def test_notices_give_the_time_in_the_events_own_time_zone_as_they_say(
    event, person_factory, django_capture_on_commit_callbacks
):
    """The confirmation said "(America/New_York)" beside the server's London clock time:
    an event at 14:00 in New York read as 19:00."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    new_york = ZoneInfo("America/New_York")
    event.timezone = "America/New_York"
    event.starts_at = datetime(2030, 3, 20, 14, 0, tzinfo=new_york)
    event.ends_at = datetime(2030, 3, 20, 16, 0, tzinfo=new_york)
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        register(event.pk, person_factory("Emma"))
    body = Delivery.objects.get(person__first_name="Emma").body
    assert "Wednesday 20 March 2030, 14:00–16:00 (America/New_York)" in body


def test_someone_waiting_is_told_when_and_where_but_not_how_to_join(
    event, person_factory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(event.capacity + 1):
            register(event.pk, person_factory())
    waiting = Delivery.objects.get(subject__startswith="You are on the waiting list")
    booked = Delivery.objects.filter(subject__startswith="Your place is booked").first()
    assert "When:" in waiting.body
    assert event.video_link not in waiting.body and "0330 088 0000" not in waiting.body
    assert event.video_link in booked.body and "0330 088 0000" in booked.body
