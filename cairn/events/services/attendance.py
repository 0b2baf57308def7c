"""Attendance: check-in by a coordinator, or the video tool's participant report."""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.core import audit
from cairn.events.models import Event, Registration, RegistrationChannel, RegistrationStatus
from cairn.events.services.chat_import import normalise_name
from cairn.lib.decoding import BinaryData, UndecodableText, decode_text
from cairn.members.models import Sector

NAME_COLUMNS = ("name (original name)", "name", "full name", "participant", "display name")
EMAIL_COLUMNS = ("user email", "email", "email address", "attendee email")


def check_in(registration_id: int, *, actor: Any, attended: bool = True) -> Registration:
    with transaction.atomic():
        registration = Registration.objects.select_related("person", "event").get(
            pk=registration_id
        )
        if registration.status == RegistrationStatus.CANCELLED:
            raise ValueError(_("This registration was cancelled."))
        registration.attended = attended
        registration.checked_in_at = timezone.now() if attended else None
        registration.attendance_source = "check-in"
        registration.save(update_fields=["attended", "checked_in_at", "attendance_source"])
        audit.record(
            actor,
            "registration.checked_in" if attended else "registration.absent",
            registration,
            f"{registration.person.full_name} at {registration.event.title}",
        )
    return registration


@dataclass
class AttendanceReport:
    matched: int = 0
    not_registered: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _find_header(rows: list[list[str]]) -> tuple[int, int | None, int | None]:
    """Zoom puts a meeting summary (with the host's email) above the participants;
    the participants' header is the first row with a name column."""
    fallback = (-1, None, None)
    for index, row in enumerate(rows):
        cells = [c.strip().lower() for c in row]
        name_col = next((cells.index(c) for c in NAME_COLUMNS if c in cells), None)
        email_col = next((cells.index(c) for c in EMAIL_COLUMNS if c in cells), None)
        if name_col is not None:
            return index, name_col, email_col
        if email_col is not None and fallback[0] < 0:
            fallback = (index, None, email_col)
    return fallback


def import_participant_report(
    event: Event, data: bytes, filename: str, *, actor: Any
) -> AttendanceReport:
    """Mark as attended everyone the report lists; all rows are checked before any is applied."""
    report = AttendanceReport()
    try:
        # Read as every importer reads text: a report saved as UTF-16 (with its zero
        # bytes) is text; zero bytes with no such reading are binary.
        text = decode_text(data).text
    except BinaryData:
        report.errors.append(
            _("This is not a participant report: the file holds binary data, not CSV text.")
        )
        return report
    except UndecodableText as error:
        report.errors.append(str(error))
        return report
    if "\x00" in text:  # CSV text never holds a NUL character
        report.errors.append(
            _("This is not a participant report: the file holds binary data, not CSV text.")
        )
        return report
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, line_numbers = [], []
    try:
        for row in reader:
            rows.append(row)
            line_numbers.append(reader.line_num)  # a quoted cell may span lines
    except csv.Error as error:
        report.errors.append(
            _("line %(n)s could not be read as CSV: %(error)s")
            % {"n": reader.line_num, "error": error}
        )
        return report
    header_at, name_col, email_col = _find_header(rows)
    if header_at < 0:
        report.errors.append(
            _(
                "line 1: no column for names or emails (expected e.g. “Name (original name)”, “User Email”)"
            )
        )
        return report
    registrations = list(
        Registration.objects.filter(event=event)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("person")
    )
    by_email = {r.person.email.lower(): r for r in registrations if r.person.email}
    by_name: dict[str, Registration | None] = {}
    for r in registrations:
        key = normalise_name(r.person.full_name)
        by_name[key] = None if key in by_name else r
    found: dict[int, Registration] = {}
    for offset, row in zip(line_numbers[header_at + 1 :], rows[header_at + 1 :], strict=True):
        if not any(cell.strip() for cell in row):
            continue
        name = row[name_col].strip() if name_col is not None and name_col < len(row) else ""
        email = (
            row[email_col].strip().lower() if email_col is not None and email_col < len(row) else ""
        )
        if not name and not email:
            report.errors.append(_("line %(n)s: no name or email") % {"n": offset})
            continue
        registration = by_email.get(email) if email else None
        registration = registration or by_name.get(normalise_name(name))
        if registration is None:
            report.not_registered.append(name or email)
            continue
        found[registration.pk] = registration
    if report.errors:
        return report
    with transaction.atomic():
        Registration.objects.filter(pk__in=found).update(
            attended=True, attendance_source=filename[:100]
        )
        audit.record(
            actor,
            "event.attendance_imported",
            event,
            f"{len(found)} attended, from {filename}",
            not_registered=len(report.not_registered),
        )
    report.matched = len(found)
    report.not_registered = sorted(set(report.not_registered))
    return report


def attendance_figures(event: Event) -> dict[str, list[tuple[str, int, int]]]:
    """(label, registered, attended) by sector and by the channel people registered through."""
    registered = list(
        Registration.objects.filter(
            event=event, status=RegistrationStatus.REGISTERED
        ).select_related("person__organisation")
    )
    sector_labels = dict(Sector.choices)
    channel_labels = dict(RegistrationChannel.choices)
    figures: dict[str, list[tuple[str, int, int]]] = {}
    for key, labels, of in (
        ("sector", sector_labels, lambda r: r.person.effective_sector),
        ("channel", channel_labels, lambda r: r.channel),
    ):
        total = Counter(of(r) for r in registered)
        came = Counter(of(r) for r in registered if r.attended)
        figures[key] = [
            (str(labels.get(value, value)), total[value], came[value])
            for value in sorted(total, key=lambda v: (-total[v], v))
        ]
    return figures
