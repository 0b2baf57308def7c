"""An attendee list from another booking tool (Eventbrite's attendee report) brought in
as people and registrations for one event, all or nothing."""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from cairn.core import audit
from cairn.events.models import Event, Registration, RegistrationStatus
from cairn.events.services.registration import RegistrationError, register
from cairn.members.importer import ImportReport, run_import
from cairn.members.models import Person


@dataclass
class AttendeeImportReport:
    members: ImportReport
    registered: int = 0
    waitlisted: int = 0
    already: int = 0
    errors: list[str] = field(default_factory=list)


def import_attendees(
    event: Event, data: bytes, filename: str, *, actor: Any, dry_run: bool = False
) -> AttendeeImportReport:
    """Add or update the people in the file (cancelled and refunded rows are left out by
    the member import) and register each for ``event``; nothing is kept if any fails."""
    if dry_run:
        return AttendeeImportReport(members=run_import(data, filename, user=actor))
    with transaction.atomic():
        members = run_import(data, filename, apply=True, user=actor, collect_ids=True)
        report = AttendeeImportReport(members=members)
        if members.problems:
            return report
        already = set(
            Registration.objects.filter(event=event, person_id__in=members.person_ids)
            .exclude(status=RegistrationStatus.CANCELLED)
            .values_list("person_id", flat=True)
        )
        people = Person.objects.in_bulk(members.person_ids)
        for person_id in members.person_ids:
            if person_id in already:
                report.already += 1
                continue
            try:
                registration = register(event.pk, people[person_id])
            except RegistrationError as exc:
                report.errors.append(f"{people[person_id].full_name}: {exc}")
                continue
            if registration.status == RegistrationStatus.WAITLISTED:
                report.waitlisted += 1
            else:
                report.registered += 1
        if report.errors:
            transaction.set_rollback(True)
            return report
        audit.record(
            actor,
            "event.attendees_imported",
            event,
            f"{report.registered} registered, {report.waitlisted} waiting from {filename}",
            left_out=members.left_out,
        )
    return report
