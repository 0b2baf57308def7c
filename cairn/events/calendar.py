"""The .ics file sent with confirmations and reminders (RFC 5545, via icalendar)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from cairn.events.models import Event, EventStatus


def _local(moment: datetime, zone: str) -> datetime:
    try:
        return moment.astimezone(ZoneInfo(zone))
    except (KeyError, ValueError):
        return moment


def event_ics(event: Event) -> bytes:
    """One VEVENT in the event's own time zone; a cancelled event is sent as CANCEL."""
    cancelled = event.status == EventStatus.CANCELLED
    cal = Calendar()
    cal.add("prodid", "-//Cairn//Events//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "PUBLISH")
    vevent = CalendarEvent()
    vevent.add("uid", f"event-{event.pk}@{settings.SITE_URL.split('//')[-1]}")
    vevent.add("summary", event.title)
    vevent.add("dtstart", _local(event.starts_at, event.timezone))
    vevent.add("dtend", _local(event.ends_at, event.timezone))
    vevent.add("dtstamp", event.created_at or event.starts_at)
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
    vevent.add("sequence", 1 if cancelled else 0)
    cal.add_component(vevent)
    return cal.to_ical()
