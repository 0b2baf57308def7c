"""Importing a meeting chat or transcript into the contributions ledger, all or nothing."""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.contributions.services import record_contributions
from cairn.core import audit
from cairn.events import chat_formats
from cairn.events.models import Event, RegistrationStatus
from cairn.lib.decoding import UndecodableText
from cairn.members.models import ConsentPurpose, Person

MAX_BYTES = 20 * 1024 * 1024
# Rooms open early and run over; only messages further out than this are worth a warning.
OUTSIDE_MARGIN = timedelta(minutes=30)


@dataclass
class ChatImportReport:
    filename: str
    format: str = ""
    imported: int = 0
    would_import: int = 0
    private_skipped: int = 0
    reactions: int = 0  # counted, never imported
    replies: int = 0  # messages linked to the message they answer
    unknown_speaker: int = 0  # messages whose file does not say who spoke
    already_imported: int = 0  # messages found in an earlier import, skipped
    matched_speakers: int = 0
    unmatched_speakers: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "line N: reason: 'text'"
    warnings: list[str] = field(default_factory=list)
    timezone: str = ""
    content_hash: str = ""
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def normalise_name(name: str) -> str:
    name = unicodedata.normalize("NFKC", name).casefold()
    name = re.sub(r"\(.*?\)", " ", name)  # "Jane Doe (she/her)", "Jane Doe (Eastdale)"
    return " ".join(name.replace(".", " ").split())


def registered_people_by_name(event: Event) -> dict[str, Person]:
    """Registered people by normalised full name; a name two people share matches nobody."""
    index: dict[str, Person | None] = {}
    people = Person.objects.filter(
        registrations__event=event,
        anonymised_at__isnull=True,
    ).exclude(registrations__status=RegistrationStatus.CANCELLED)
    for person in people.select_related("organisation").distinct():
        key = normalise_name(person.full_name)
        index[key] = None if key in index else person
    return {k: v for k, v in index.items() if v is not None}


def unknown_label() -> str:
    """Stored as the author name of words whose file does not say who spoke."""
    return _("Unknown speaker")


def _norm_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def message_key(speaker: str, text: str, said_at: datetime | None) -> str:
    """What makes two imported messages the same, whatever the file was called."""
    when = said_at.astimezone(ZoneInfo("UTC")).replace(microsecond=0).isoformat() if said_at else ""
    who = "" if speaker == unknown_label() else normalise_name(speaker)
    raw = "\x1f".join((who, _norm_text(text), when))
    return hashlib.sha256(raw.encode()).hexdigest()


def said_times(
    event: Event, parsed: chat_formats.ParseResult, zone: ZoneInfo
) -> list[datetime | None]:
    """When each message was said: offsets from the event start, or clock times on its day.

    Clock times are read in ``zone`` (the computer that saved the file) on the
    event's date there; a time earlier than the one before by over 12 hours
    has passed midnight.
    """
    day = event.starts_at.astimezone(zone).date()
    times: list[datetime | None] = []
    previous: datetime | None = None
    for message in parsed.messages:
        if message.offset is not None:
            times.append(event.starts_at + message.offset)
            continue
        try:
            hours, minutes, seconds = (int(p) for p in message.time.split(":"))
            on = datetime.strptime(message.date, "%Y-%m-%d").date() if message.date else day
            when = datetime.combine(on, time(hours % 24, minutes, seconds), tzinfo=zone)
        except ValueError:
            times.append(None)
            continue
        if not message.date and previous is not None and when < previous - timedelta(hours=12):
            when += timedelta(days=1)
            day += timedelta(days=1)
        previous = when
        times.append(when)
    return times


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def import_chat(
    event: Event,
    data: bytes,
    filename: str,
    *,
    actor: Any,
    dry_run: bool = False,
    recorded_timezone: str = "",
) -> ChatImportReport:
    """Parse and import; any rejected line means nothing is imported.

    Messages already imported for this event (same speaker, words and time, from
    whatever file) are skipped, so a file that overlaps an earlier one adds only
    what is new. ``recorded_timezone`` is the zone of the computer that saved a
    chat with clock times, when it is not the event's.
    """
    report = ChatImportReport(filename=filename, dry_run=dry_run)
    if len(data) > MAX_BYTES:
        report.errors.append(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": len(data) // 1_000_000, "limit": MAX_BYTES // 1_000_000}
        )
        return report
    zone_name = recorded_timezone or event.timezone
    zone = _zone(zone_name)
    if zone is None:
        report.errors.append(_("Unknown time zone %(tz)s.") % {"tz": zone_name})
        return report
    report.timezone = zone_name
    unsupported = chat_formats.recognise_unsupported(data)
    if unsupported:
        report.errors.append(unsupported)
        return report
    if chat_formats.is_docx(data):
        parsed = chat_formats.parse_docx(data)
    else:
        try:
            decoded = chat_formats.decode(data)
        except UndecodableText as error:
            report.errors.append(str(error))
            return report
        parsed = chat_formats.parse(decoded.text)
        if not decoded.is_utf8:
            report.warnings.append(
                _("The file is not UTF-8; it was read as %(encoding)s.")
                % {"encoding": decoded.label}
            )
    report.format = parsed.format
    report.private_skipped = parsed.private_skipped
    report.reactions = parsed.reactions
    report.errors = [str(e) for e in parsed.errors]
    if not parsed.errors and not parsed.messages:
        report.errors.append(_("The file holds no messages."))
    if report.errors:
        return report
    times = said_times(event, parsed, zone)
    keys = [message_key(m.speaker, m.text, t) for m, t in zip(parsed.messages, times, strict=True)]
    report.content_hash = hashlib.sha256("\n".join(keys).encode()).hexdigest()
    channel = ContributionChannel.TRANSCRIPT if parsed.is_transcript else ContributionChannel.CHAT
    earlier = {
        message_key(c.author.full_name if c.author else c.author_name, c.text, c.said_at)
        for c in Contribution.objects.filter(
            event=event, channel__in=[ContributionChannel.CHAT, ContributionChannel.TRANSCRIPT]
        )
        .select_related("author")
        .only("author_name", "text", "said_at", "author__first_name", "author__last_name")
    }
    new = [i for i, key in enumerate(keys) if key not in earlier]
    report.already_imported = len(keys) - len(new)
    if not new:
        report.errors.append(
            _(
                "All %(n)s messages in this file were imported for this event before; "
                "nothing was imported."
            )
            % {"n": len(keys)}
        )
        return report
    _warn_outside(report, event, [times[i] for i in new], zone)
    people = registered_people_by_name(event)
    quote_ok = set(
        Person.objects.filter(
            pk__in=[p.pk for p in people.values()],
            consents__purpose=ConsentPurpose.QUOTE,
            consents__granted=True,
        ).values_list("pk", flat=True)
    )
    speakers: dict[str, Person | None] = {}
    for index in new:
        message = parsed.messages[index]
        if message.speaker:
            speakers.setdefault(message.speaker, people.get(normalise_name(message.speaker)))
    report.matched_speakers = sum(1 for p in speakers.values() if p is not None)
    report.unmatched_speakers = sorted(s for s, p in speakers.items() if p is None)
    report.unknown_speaker = sum(1 for i in new if not parsed.messages[i].speaker)
    report.replies = sum(1 for i in new if parsed.messages[i].reply_to is not None)
    report.would_import = len(new)
    if dry_run:
        return report
    rows = []
    for index in new:
        message = parsed.messages[index]
        author = speakers.get(message.speaker)
        ref = f"line {message.line}"
        if message.reply_to is not None:
            ref += f", replying to line {parsed.messages[message.reply_to].line}"
        rows.append(
            {
                "text": message.text,
                "channel": channel,
                "event_id": event.pk,
                "author": author,
                "author_name": "" if author else (message.speaker or unknown_label()).strip()[:200],
                "author_sector": author.effective_sector if author else "",
                "consent_to_quote": author is not None and author.pk in quote_ok,
                "source": filename,
                "source_ref": ref,
                "said_at": times[index],
            }
        )
    with transaction.atomic():
        # In batches: a long transcript has thousands of cues, each was an INSERT of its own.
        record_contributions(rows, entered_by=None)
        audit.record(
            actor,
            "event.chat_imported",
            event,
            f"{len(new)} messages from {filename}",
            format=parsed.format,
            private_skipped=parsed.private_skipped,
            reactions=parsed.reactions,
            already_imported=report.already_imported,
            matched_speakers=report.matched_speakers,
            content_hash=report.content_hash,
            timezone=zone_name,
        )
    report.imported = len(new)
    return report


def _warn_outside(
    report: ChatImportReport, event: Event, times: list[datetime | None], zone: ZoneInfo
) -> None:
    start, end = event.starts_at - OUTSIDE_MARGIN, event.ends_at + OUTSIDE_MARGIN
    outside = [t for t in times if t is not None and not start <= t <= end]
    if not outside:
        return
    local = event.starts_at.astimezone(ZoneInfo(event.timezone))
    report.warnings.append(
        ngettext(
            "%(n)s message falls outside the event (%(day)s %(start)s–%(end)s %(tz)s); "
            "check the file is from this event and the time zone it was saved in.",
            "%(n)s messages fall outside the event (%(day)s %(start)s–%(end)s %(tz)s); "
            "check the file is from this event and the time zone it was saved in.",
            len(outside),
        )
        % {
            "n": len(outside),
            "day": local.date().isoformat(),
            "start": local.strftime("%H:%M"),
            "end": event.ends_at.astimezone(ZoneInfo(event.timezone)).strftime("%H:%M"),
            "tz": event.timezone,
        }
    )
