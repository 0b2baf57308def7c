"""The .ics files people get for an event (RFC 5545 and, for invitations, RFC 5546), via
icalendar.

- every TZID used comes with its VTIMEZONE (``add_missing_timezones``);
- notices sent to a person are ``METHOD:REQUEST`` (or ``CANCEL`` once the event is
  cancelled) with the network as ORGANIZER and the person as ATTENDEE, so calendar
  programs file them as invitations and later updates replace them;
- the "Add to calendar" download is ``METHOD:PUBLISH``;
- DTSTAMP is when the file is made, SEQUENCE is the event's ``calendar_sequence``,
  which goes up each time the event changes in a way a calendar shows.
"""

from datetime import UTC, datetime
from email.utils import parseaddr
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as CalendarEvent

from cairn.core.network import network
from cairn.events.models import Event, EventStatus

REQUEST, CANCEL, PUBLISH = "REQUEST", "CANCEL", "PUBLISH"


def _local(moment: datetime, zone: str) -> datetime:
    try:
        return moment.astimezone(ZoneInfo(zone))
    except (KeyError, ValueError):
        return moment


def _organizer(name: str) -> vCalAddress:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "cairn@localhost"
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(name)
    return organizer


def _attendee(person: Any) -> vCalAddress | None:
    email = getattr(person, "email", "")
    if not email:
        return None
    attendee = vCalAddress(f"mailto:{email}")
    attendee.params["cn"] = vText(person.full_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("ACCEPTED")
    return attendee


def event_ics(event: Event, *, attendee: Any = None, method: str = "", now: Any = None) -> bytes:
    """One VEVENT in the event's own time zone, with that zone's VTIMEZONE.

    ``method`` defaults to REQUEST for a notice to ``attendee`` (CANCEL once the event is
    cancelled) and PUBLISH for a plain download.
    """
    cancelled = event.status == EventStatus.CANCELLED
    if not method:
        method = (CANCEL if cancelled else REQUEST) if attendee is not None else PUBLISH
    name = network().name
    cal = Calendar()
    cal.add("prodid", f"-//{name}//Cairn events//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    vevent = CalendarEvent()
    vevent.add("uid", f"event-{event.pk}@{settings.SITE_URL.split('//')[-1]}")
    vevent.add("summary", event.title)
    vevent.add("dtstart", _local(event.starts_at, event.timezone))
    vevent.add("dtend", _local(event.ends_at, event.timezone))
    vevent.add("dtstamp", now or datetime.now(UTC))
    vevent.add("sequence", event.calendar_sequence)
    lines = [event.summary or event.description[:500]]
    if event.video_link:
        lines.append(f"Join online: {event.video_link}")
    if event.dial_in:
        lines.append(f"Join by phone: {event.dial_in}")
    vevent.add("description", "\n\n".join(line for line in lines if line))
    location = event.venue.replace("\n", ", ") if event.venue else event.video_link
    if location:
        vevent.add("location", location)
    if event.video_link:
        vevent.add("url", event.video_link)
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if method in (REQUEST, CANCEL):
        vevent.add("organizer", _organizer(name))
        person = _attendee(attendee) if attendee is not None else None
        if person is not None:
            vevent.add("attendee", person)
    cal.add_component(vevent)
    cal.add_missing_timezones()
    return cal.to_ical()
