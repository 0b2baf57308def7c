"""Importing a meeting chat or transcript into the contributions ledger, all or nothing."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.contributions.services import record_contribution
from cairn.core import audit
from cairn.events import chat_formats
from cairn.events.models import Event, RegistrationStatus
from cairn.members.models import ConsentPurpose, Person

MAX_BYTES = 20 * 1024 * 1024


@dataclass
class ChatImportReport:
    filename: str
    format: str = ""
    imported: int = 0
    would_import: int = 0
    private_skipped: int = 0
    matched_speakers: int = 0
    unmatched_speakers: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "line N: reason: 'text'"
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


def _said_at(event: Event, message: chat_formats.Message, form: str) -> datetime | None:
    if message.offset is not None:
        return event.starts_at + message.offset
    if message.time:
        try:
            hours, minutes, seconds = (int(p) for p in message.time.split(":"))
            zone = ZoneInfo(event.timezone)
            day = event.starts_at.astimezone(zone).date()
            return datetime.combine(day, time(hours % 24, minutes, seconds), tzinfo=zone)
        except (ValueError, KeyError):
            return None
    return None


def import_chat(
    event: Event, data: bytes, filename: str, *, actor: Any, dry_run: bool = False
) -> ChatImportReport:
    """Parse and import; any rejected line means nothing is imported."""
    report = ChatImportReport(filename=filename, dry_run=dry_run)
    if len(data) > MAX_BYTES:
        report.errors.append(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": len(data) // 1_000_000, "limit": MAX_BYTES // 1_000_000}
        )
        return report
    parsed = chat_formats.parse(chat_formats.decode(data))
    report.format = parsed.format
    report.private_skipped = parsed.private_skipped
    report.errors = [str(e) for e in parsed.errors]
    if not parsed.errors and not parsed.messages:
        report.errors.append(_("The file holds no messages."))
    if report.errors:
        return report
    if Contribution.objects.filter(event=event, source=filename[:200]).exists():
        report.errors.append(
            _("A file named %(name)s was already imported for this event; nothing was imported.")
            % {"name": filename}
        )
        return report
    people = registered_people_by_name(event)
    quote_ok = set(
        Person.objects.filter(
            pk__in=[p.pk for p in people.values()],
            consents__purpose=ConsentPurpose.QUOTE,
            consents__granted=True,
        ).values_list("pk", flat=True)
    )
    speakers: dict[str, Person | None] = {}
    for message in parsed.messages:
        key = normalise_name(message.speaker)
        speakers.setdefault(message.speaker, people.get(key))
    report.matched_speakers = sum(1 for p in speakers.values() if p is not None)
    report.unmatched_speakers = sorted(s for s, p in speakers.items() if p is None and s)
    report.would_import = len(parsed.messages)
    if dry_run:
        return report
    channel = (
        ContributionChannel.TRANSCRIPT
        if parsed.format == chat_formats.VTT
        else ContributionChannel.CHAT
    )
    with transaction.atomic():
        for message in parsed.messages:
            author = speakers.get(message.speaker)
            record_contribution(
                text=message.text,
                channel=channel,
                event=event,
                author=author,
                author_name=message.speaker,
                consent_to_quote=author is not None and author.pk in quote_ok,
                source=filename[:200],
                source_ref=f"line {message.line}",
                said_at=_said_at(event, message, parsed.format),
            )
        audit.record(
            actor,
            "event.chat_imported",
            event,
            f"{len(parsed.messages)} messages from {filename}",
            format=parsed.format,
            private_skipped=parsed.private_skipped,
            matched_speakers=report.matched_speakers,
        )
    report.imported = len(parsed.messages)
    return report
