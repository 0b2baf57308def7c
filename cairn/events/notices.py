"""What we tell people about their registrations, sent through outreach by their channel.

Outreach decides how each message travels (email with the .ics attached, a
letter in the print run, an entry on the phone list); this module only says what
the message is. Called from tasks, never from a request.
"""

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.events.calendar import event_ics
from cairn.events.links import own_link
from cairn.events.models import Event, Registration, RegistrationStatus
from cairn.members.models import ConsentPurpose
from cairn.outreach.services import notify

REMINDER_LEAD = timedelta(hours=24)


def _when(event: Event) -> str:
    # In the zone the line names: the server's clock would move an event abroad by hours.
    start = timezone.localtime(event.starts_at, event.zone)
    end = timezone.localtime(event.ends_at, event.zone)
    return f"{start:%A %-d %B %Y, %H:%M}–{end:%H:%M} ({event.timezone})"


def _how_to_join(event: Event, *, waiting: bool = False) -> str:
    """When and where; the video link and dial-in only for someone with a place. Someone
    waiting gets them when a place comes free (promotion_notice), as the event page shows
    them only to the registered: with them, a full event's room filled past its capacity."""
    lines = [_("When: %(when)s") % {"when": _when(event)}]
    if event.video_link and not waiting:
        lines.append(_("Join online: %(link)s") % {"link": event.video_link})
    if event.dial_in and not waiting:
        lines.append(_("Join by phone: %(dial)s") % {"dial": event.dial_in})
    if event.venue:
        lines.append(_("Venue: %(venue)s") % {"venue": event.venue.replace("\n", ", ")})
    return "\n".join(lines)


def _attachments(event: Event, person: Any = None) -> tuple[tuple[str, bytes, str], ...]:
    return (("event.ics", event_ics(event, attendee=person), "text/calendar"),)


def merge_context(event: Event) -> dict[str, str]:
    """Outreach's merge fields about an event: `{event}` and `{event_date}`."""
    return {
        "event": event.title,
        "event_date": f"{timezone.localtime(event.starts_at, event.zone):%A %-d %B %Y, %H:%M}",
    }


def _send(
    registration: Registration, subject: str, body: str, *, calendar: bool, more: str = ""
) -> Any:
    """Send one notice: ``subject`` and ``body`` are translated texts that may name the
    event's %(title)s, the person's %(name)s, %(when)s it is and %(join)s (how to join);
    ``more`` (a cancellation's reason, typed by a person) is added as it is."""
    event = registration.event
    values = {
        "name": registration.person.first_name,
        "title": event.title,
        "when": _when(event),
        "join": _how_to_join(event, waiting=registration.status == RegistrationStatus.WAITLISTED),
    }
    body = body % values
    if more:
        body += "\n\n" + more
    return notify(
        registration.person,
        subject=subject % values,
        body=body,
        purpose=ConsentPurpose.EVENT_INVITATIONS,
        about=event,
        merge=merge_context(event),
        attachments=_attachments(event, registration.person) if calendar else (),
    )


def _own_link(registration: Registration) -> str:
    return _("Can no longer come? Cancel here: %(link)s") % {"link": own_link(registration)}


def registration_notice(registration: Registration) -> Any:
    if registration.status == RegistrationStatus.WAITLISTED:
        subject = _("You are on the waiting list: %(title)s")
        body = _(
            "Dear %(name)s,\n\n%(title)s is full, so we have put you on the waiting list. "
            "If a place comes free it goes to the next person on the list and we will tell you "
            "straight away.\n\n%(join)s"
        )
        return _send(registration, subject, body, calendar=False, more=_own_link(registration))
    subject = _("Your place is booked: %(title)s")
    body = _(
        "Dear %(name)s,\n\nYou have a place at %(title)s.\n\n%(join)s\n\n"
        "If you can no longer come, please tell us so we can offer your place to someone else."
    )
    return _send(registration, subject, body, calendar=True, more=_own_link(registration))


def promotion_notice(registration: Registration) -> Any:
    subject = _("A place has come free for you: %(title)s")
    body = _(
        "Dear %(name)s,\n\nGood news: a place has come free at %(title)s and it is yours. "
        "You do not need to do anything.\n\n%(join)s"
    )
    return _send(registration, subject, body, calendar=True)


def reminder(registration: Registration) -> Any:
    subject = _("Reminder: %(title)s")
    body = _("Dear %(name)s,\n\nA reminder that %(title)s is coming up.\n\n%(join)s")
    return _send(registration, subject, body, calendar=True)


def change_notice(registration: Registration) -> Any:
    subject = _("Changed: %(title)s")
    body = _(
        "Dear %(name)s,\n\nThe details of %(title)s have changed. This is how it is now:"
        "\n\n%(join)s"
    )
    more = ""
    if registration.status == RegistrationStatus.WAITLISTED:
        more = _("You are still on the waiting list; we will tell you if a place comes free.")
    # The calendar entry (same UID, a higher SEQUENCE) replaces the one they saved.
    return _send(
        registration,
        subject,
        body,
        calendar=registration.status == RegistrationStatus.REGISTERED,
        more=more,
    )


def cancellation(registration: Registration, reason: str = "") -> Any:
    subject = _("Cancelled: %(title)s")
    body = _("Dear %(name)s,\n\nWe are sorry: %(title)s on %(when)s has been cancelled.")
    return _send(registration, subject, body, calendar=True, more=reason)
