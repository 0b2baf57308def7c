"""Importing a meeting chat or transcript into the contributions ledger, all or nothing."""

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.contributions.services import record_contributions
from cairn.core import audit, retention
from cairn.events import chat_formats
from cairn.events.models import ChatImport, ChatImportStatus, Event, RegistrationStatus
from cairn.events.services.registration import _lock_event
from cairn.jobs.models import JobStatus
from cairn.jobs.services import start_job
from cairn.jobs.services.uploads import run_kept_upload
from cairn.lib import storage
from cairn.lib.decoding import UndecodableText
from cairn.members.models import ConsentPurpose, Person

MAX_BYTES = 20 * 1024 * 1024
# A check (dry run) of a file up to this size answers in the request: bench/page_work.py
# reads 0.46 s for 3,000 messages (263 KiB) and 1.8 s for 30,000 (2.6 MB). Larger checks,
# and every import that writes, go to the worker.
BACKGROUND_BYTES = 1024 * 1024
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
    # A check: the event's chat and transcript messages when it was made (ledger_mark),
    # to tell whether its figures still hold when it is imported.
    ledger: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ChatImportReport":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


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
    progress: Callable[..., None] | None = None,
    within_write: Callable[[ChatImportReport], None] | None = None,
) -> ChatImportReport:
    """Parse and import; any rejected line means nothing is imported.

    Messages already imported for this event (same speaker, words and time, from
    whatever file) are skipped, so a file that overlaps an earlier one adds only
    what is new. ``recorded_timezone`` is the zone of the computer that saved a
    chat with clock times, when it is not the event's.

    The write holds the event's row lock from the look for earlier messages to the
    commit, so two imports of overlapping files never both add the same message.
    ``within_write(report)`` is called first inside that transaction (a queued
    import marks itself applied there, and raises to write nothing when a second
    run finds it applied); ``progress(done, total, stage)`` hears each stage.
    """
    report = ChatImportReport(filename=filename, dry_run=dry_run)
    tell = progress or (lambda *args: None)
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
    tell(0, None, _("Reading the file"))
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
    if dry_run:
        report.ledger = ledger_mark(event)
        _plan(report, event, parsed, times, keys, zone)
        return report
    # Said before the transaction: a job's progress written inside it would show only
    # once it commits.
    tell(0, None, _("Writing the messages"))
    with transaction.atomic():
        _lock_event(event.pk)
        rows = _plan(report, event, parsed, times, keys, zone)
        if not report.ok:
            return report
        report.imported = len(rows)
        if within_write is not None:
            within_write(report)
        for row in rows:
            row.update(channel=channel, event_id=event.pk, source=filename)
        # In batches: a long transcript has thousands of cues, each was an INSERT of its own.
        record_contributions(rows, entered_by=None)
        audit.record(
            actor,
            "event.chat_imported",
            event,
            f"{len(rows)} messages from {filename}",
            format=parsed.format,
            private_skipped=parsed.private_skipped,
            reactions=parsed.reactions,
            already_imported=report.already_imported,
            matched_speakers=report.matched_speakers,
            content_hash=report.content_hash,
            timezone=zone_name,
        )
    return report


def ledger_mark(event: Event) -> str:
    """A mark of the chat and transcript messages imported for the event so far: another
    import (or a message deleted) changes it, and with it what a check found."""
    seen = Contribution.objects.filter(
        event=event, channel__in=[ContributionChannel.CHAT, ContributionChannel.TRANSCRIPT]
    ).aggregate(n=Count("pk"), last=Max("pk"))
    return f"{seen['n']}:{seen['last'] or 0}"


def _plan(
    report: ChatImportReport,
    event: Event,
    parsed: chat_formats.ParseResult,
    times: list[datetime | None],
    keys: list[str],
    zone: ZoneInfo,
) -> list[dict[str, Any]]:
    """Count what the import would do into the report and return the rows to write (the
    messages not imported before, with their speakers matched); errors go in the report."""
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
        return []
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
                "author": author,
                "author_name": "" if author else (message.speaker or unknown_label()).strip()[:200],
                "author_sector": author.effective_sector if author else "",
                "consent_to_quote": author is not None and author.pk in quote_ok,
                "source_ref": ref,
                "said_at": times[index],
            }
        )
    return rows


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


# --- imports run by a worker ----------------------------------------------------------------


def run_in_request(data: bytes, *, dry_run: bool) -> bool:
    """Whether the page may do this itself: a check of a small file, or a file refused for
    its size (nothing is read then). Anything that writes goes to the worker."""
    return len(data) > MAX_BYTES or (dry_run and len(data) <= BACKGROUND_BYTES)


RUNNER = "cairn.events.services.chat_import.run_queued_chat_import"
# A check keeps its file this long, for "Import these messages"; then the file (private
# messages and all) is let go, and the file has to be chosen and checked again.
CHECK_KEEP = timedelta(hours=24)


def _keep(
    event: Event,
    data: bytes,
    filename: str,
    *,
    actor: Any,
    dry_run: bool,
    recorded_timezone: str,
) -> ChatImport:
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        record = ChatImport.objects.create(
            event=event,
            filename=filename[:255],
            file=storage.as_upload(filename, data),
            recorded_timezone=recorded_timezone,
            dry_run=dry_run,
            created_by=user,
        )
        audit.record(actor, "event.chat_import_queued", event, filename[:200])
    return record


def _start(record: ChatImport, actor: Any) -> ChatImport:
    """Queue the record's check or import for the worker; the record's page follows it."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    title = _("Check %(file)s") if record.dry_run else _("Import %(file)s")
    job = start_job(
        actor,
        title % {"file": record.filename},
        RUNNER,
        {"import_id": record.pk, "user_id": user.pk if user else None},
        next_url=record.get_absolute_url(),
    )
    # Only the job's link: with tasks run in the request the import has finished by now.
    ChatImport.objects.filter(pk=record.pk).update(job=job)
    record.refresh_from_db()
    return record


def queue_chat_import(
    event: Event,
    data: bytes,
    filename: str,
    *,
    actor: Any,
    dry_run: bool = False,
    recorded_timezone: str = "",
) -> ChatImport:
    """Keep the file and queue its import; the import's page follows the job, then shows
    what it found."""
    record = _keep(
        event,
        data,
        filename,
        actor=actor,
        dry_run=dry_run,
        recorded_timezone=recorded_timezone,
    )
    return _start(record, actor)


def _check(record: ChatImport, actor: Any, size: int) -> ChatImport:
    """Check a kept file: a small one here and now, a large one by the worker."""
    if size > BACKGROUND_BYTES:
        return _start(record, actor)
    user = actor if getattr(actor, "is_authenticated", False) else None
    run_queued_chat_import(lambda *args, **kwargs: None, record.pk, user.pk if user else None)
    record.refresh_from_db()
    return record


def check_chat_file(
    event: Event, data: bytes, filename: str, *, actor: Any, recorded_timezone: str = ""
) -> ChatImport:
    """Keep the file and check it, writing nothing. A check that finds no problem keeps
    the file, so its page can import the messages it counted (`import_checked_chat`)
    without the file being chosen again."""
    record = _keep(
        event,
        data,
        filename,
        actor=actor,
        dry_run=True,
        recorded_timezone=recorded_timezone,
    )
    return _check(record, actor, len(data))


class CheckOffer:
    """What a check's page offers: import what it counted, check again, or nothing."""

    IMPORT = "import"
    RECHECK = "recheck"  # messages were imported for the event since: its figures may not hold
    EXPIRED = "expired"  # its file is no longer kept
    USED = "used"  # imported (or being imported) already, or it found problems


def check_offer(record: ChatImport) -> str:
    if record.status != ChatImportStatus.CHECKED or not record.dry_run:
        return CheckOffer.USED
    if not record.file or (record.finished_at and record.finished_at < timezone.now() - CHECK_KEEP):
        return CheckOffer.EXPIRED
    report = ChatImportReport.from_dict(record.report)
    if report.ledger != ledger_mark(record.event):
        return CheckOffer.RECHECK
    return CheckOffer.IMPORT


def import_checked_chat(record: ChatImport, *, actor: Any) -> tuple[ChatImport, str]:
    """Import the messages a check counted, from the file it kept; returns the record and
    what was done (a CheckOffer value: IMPORT queued the import).

    The check is claimed by one conditional update, so a second press (a double click,
    another tab) finds it used and imports nothing. A check whose figures no longer hold
    (messages were imported for the event since) is checked again instead, for the
    coordinator to look at before importing; an expired one imports nothing.
    """
    offer = check_offer(record)
    if offer in (CheckOffer.USED, CheckOffer.EXPIRED):
        return record, offer
    unused = ChatImport.objects.filter(
        pk=record.pk, status=ChatImportStatus.CHECKED, dry_run=True
    ).exclude(file="")
    changes: dict[str, Any] = {"status": ChatImportStatus.WAITING, "report": {}}
    if offer == CheckOffer.IMPORT:
        changes["dry_run"] = False
    with transaction.atomic():
        if not unused.update(**changes, finished_at=None):
            record.refresh_from_db()
            return record, CheckOffer.USED
        action = (
            "event.chat_import_confirmed" if offer == CheckOffer.IMPORT else "event.chat_rechecked"
        )
        audit.record(actor, action, record.event, record.filename[:200])
    record.refresh_from_db()
    if offer == CheckOffer.IMPORT:
        return _start(record, actor), offer
    return _check(record, actor, record.file.size), offer


def run_queued_chat_import(
    progress: Callable[..., None], import_id: int, user_id: int | None
) -> dict[str, Any]:
    """The job's runner. Run again (a killed worker's retry, "Run it again"), it finds the
    import done and writes nothing: marking it done commits with its messages."""

    def read(record: ChatImport, actor: Any, data: bytes, within_write: Callable) -> tuple:
        # within_write runs first in the write transaction: a second run waits on the
        # event's lock, then finds the import applied and rolls back without writing.
        report = import_chat(
            record.event,
            data,
            record.filename,
            actor=actor,
            dry_run=record.dry_run,
            recorded_timezone=record.recorded_timezone,
            progress=progress,
            within_write=within_write,
        )
        return report, report.ok

    record = run_kept_upload(ChatImport, import_id, user_id, read, keep_checked=True)
    return {"message": chat_import_outcome(record), "next_url": record.get_absolute_url()}


def chat_import_outcome(record: ChatImport) -> str:
    """One line saying how a queued import ended, for the job's page and the messages."""
    report = ChatImportReport.from_dict(record.report) if record.report else None
    if record.status == ChatImportStatus.APPLIED and report:
        return ngettext(
            "%(n)s message imported from %(file)s.",
            "%(n)s messages imported from %(file)s.",
            report.imported,
        ) % {"n": f"{report.imported:,}", "file": record.filename}
    if record.status == ChatImportStatus.CHECKED and report:
        return ngettext(
            "%(n)s message would be imported from %(file)s (nothing was written).",
            "%(n)s messages would be imported from %(file)s (nothing was written).",
            report.would_import,
        ) % {"n": f"{report.would_import:,}", "file": record.filename}
    if record.status == ChatImportStatus.REFUSED:
        return _("Nothing was imported from %(file)s.") % {"file": record.filename}
    return str(record.get_status_display())


def prune_finished_chat_imports() -> int:
    """Delete chat imports finished more than CAIRN_IMPORT_KEEP_DAYS ago, and those whose
    job failed and was never run again, with their files. Their reports name speakers who
    matched nobody; the messages imported are kept as contributions. Run by the worker."""
    let_go_of_old_checks()
    cutoff = retention.import_cutoff()
    stuck = Q(job__isnull=True) | Q(job__status=JobStatus.FAILED)
    old = ChatImport.objects.filter(
        Q(finished_at__lt=cutoff) & ~Q(status=ChatImportStatus.WAITING)
        | Q(status=ChatImportStatus.WAITING, created_at__lt=cutoff) & stuck
    )
    return retention.delete_old_imports(old, "event.chat_imports_pruned", "chat imports")


def let_go_of_old_checks(older_than: timedelta = CHECK_KEEP) -> int:
    """Delete the files checks kept and nobody imported within `older_than` (all of them
    with no time given as zero); the checks' reports stay. Returns how many went."""
    old = ChatImport.objects.filter(
        status=ChatImportStatus.CHECKED, finished_at__lt=timezone.now() - older_than
    ).exclude(file="")
    count = 0
    with transaction.atomic():
        for record in old.select_for_update():
            storage.delete_after_commit(record.file.name)
            count += ChatImport.objects.filter(pk=record.pk).update(file="")
    return count
