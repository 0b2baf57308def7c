"""An attendee list from another booking tool (Eventbrite's attendee report) brought in
as people and registrations for one event, all or nothing: by `cairn register-attendees`
and by the member import's preview (events/import_followups.py)."""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from cairn.core import audit
from cairn.events.models import Event, Registration, RegistrationStatus
from cairn.events.services.registration import RegistrationError, register
from cairn.members.importer import ImportReport, apply_prepared, prepare_import, run_import
from cairn.members.models import Person


@dataclass
class Registered:
    registered: int = 0
    waitlisted: int = 0
    already: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class AttendeeImportReport:
    members: ImportReport
    registered: int = 0
    waitlisted: int = 0
    already: int = 0
    errors: list[str] = field(default_factory=list)


def register_people(
    event: Event, person_ids: list[int], *, actor: Any, filename: str, left_out: int = 0
) -> Registered:
    """Register each person for ``event`` in file order: a place while there are places,
    then the waiting list. Call inside a transaction and roll it back on ``errors``."""
    done = Registered()
    already = set(
        Registration.objects.filter(event=event, person_id__in=person_ids)
        .exclude(status=RegistrationStatus.CANCELLED)
        .values_list("person_id", flat=True)
    )
    people = Person.objects.in_bulk(person_ids)
    for person_id in dict.fromkeys(person_ids):  # someone on two rows is registered once
        if person_id in already:
            done.already += 1
            continue
        try:
            registration = register(event.pk, people[person_id])
        except RegistrationError as exc:
            done.errors.append(f"{people[person_id].full_name}: {exc}")
            continue
        if registration.status == RegistrationStatus.WAITLISTED:
            done.waitlisted += 1
        else:
            done.registered += 1
    if not done.errors:
        audit.record(
            actor,
            "event.attendees_imported",
            event,
            f"{done.registered} registered, {done.waitlisted} waiting from {filename}",
            left_out=left_out,
        )
    return done


def import_attendees(
    event: Event, data: bytes, filename: str, *, actor: Any, dry_run: bool = False
) -> AttendeeImportReport:
    """Add or update the people in the file (cancelled and refunded rows are left out by
    the member import) and register each for ``event``; nothing is kept if any fails."""
    if dry_run:
        return AttendeeImportReport(members=run_import(data, filename, user=actor))
    # Every row read and checked before the write transaction opens.
    prepared = prepare_import(data, filename)
    if prepared.report.problems:
        return AttendeeImportReport(members=prepared.report)
    with transaction.atomic():
        members = apply_prepared(prepared, user=actor, collect_ids=True)
        report = AttendeeImportReport(members=members)
        if members.problems:
            return report
        done = register_people(
            event, members.person_ids, actor=actor, filename=filename, left_out=members.left_out
        )
        report.registered, report.waitlisted = done.registered, done.waitlisted
        report.already, report.errors = done.already, done.errors
        if report.errors:
            transaction.set_rollback(True)
    return report
