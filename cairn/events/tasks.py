"""Background work for events. Tasks take ids and re-read the rows, so a task that
runs late or twice sees the current state and sends nothing stale or double."""

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from cairn.events import notices
from cairn.events.models import Event, EventStatus, Registration, RegistrationStatus


def _registration(registration_id: int) -> Registration | None:
    return Registration.objects.select_related("event", "person").filter(pk=registration_id).first()


@task
def send_registration_notice(registration_id: int) -> bool:
    """Confirmation, or the waiting-list notice, for a new registration."""
    registration = _registration(registration_id)
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        return False
    notices.registration_notice(registration)
    if registration.status == RegistrationStatus.REGISTERED:
        Registration.objects.filter(pk=registration_id).update(confirmation_sent_at=timezone.now())
    return True


@task
def send_promotion_notice(registration_id: int) -> bool:
    registration = _registration(registration_id)
    if registration is None or registration.status != RegistrationStatus.REGISTERED:
        return False
    notices.promotion_notice(registration)
    Registration.objects.filter(pk=registration_id).update(confirmation_sent_at=timezone.now())
    return True


@task
def send_reminder(registration_id: int) -> bool:
    """Send one reminder, at most once: the claim on reminder_sent_at is atomic."""
    with transaction.atomic():
        claimed = Registration.objects.filter(
            pk=registration_id,
            status=RegistrationStatus.REGISTERED,
            reminder_sent_at__isnull=True,
        ).update(reminder_sent_at=timezone.now())
    if not claimed:
        return False
    registration = _registration(registration_id)
    if registration.event.status == EventStatus.CANCELLED:
        return False
    notices.reminder(registration)
    return True


def due_reminders(now=None) -> list[int]:
    """Registrations whose event starts within the reminder lead and have had no reminder."""
    now = now or timezone.now()
    return list(
        Registration.objects.filter(
            status=RegistrationStatus.REGISTERED,
            reminder_sent_at__isnull=True,
            event__status__in=[EventStatus.OPEN, EventStatus.CLOSED],
            event__starts_at__gt=now,
            event__starts_at__lte=now + notices.REMINDER_LEAD,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@task
def send_due_reminders() -> int:
    """Enqueue a reminder task per due registration; the timer runs this every few minutes."""
    due = due_reminders()
    for registration_id in due:
        send_reminder.enqueue(registration_id)
    return len(due)


@task
def send_change_notices(event_id: int) -> int:
    """The event's new time, link, dial-in or venue, to everyone registered or waiting."""
    event = Event.objects.get(pk=event_id)
    if event.status == EventStatus.CANCELLED:
        return 0
    sent = 0
    for registration in (
        event.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event", "person")
        .order_by("pk")
    ):
        notices.change_notice(registration)
        sent += 1
    return sent


@task
def send_cancellation_notices(event_id: int, reason: str = "") -> int:
    event = Event.objects.get(pk=event_id)
    sent = 0
    for registration in (
        event.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event", "person")
        .order_by("pk")
    ):
        notices.cancellation(registration, reason)
        sent += 1
    return sent
