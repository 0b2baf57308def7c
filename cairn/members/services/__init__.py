"""Writes to people's personal data: details, consent, visibility, export and erasure.

Each function owns its transaction and leaves an audit entry naming who did it,
so the audit log answers "who changed or exported this person's data?".
"""

import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from cairn.core import audit, datarights
from cairn.lib.pdf import render_pdf
from cairn.members.models import Consent, ConsentMethod, ConsentPurpose, Organisation, Person
from cairn.members.signals import person_email_changed

PERSON_DETAIL_FIELDS = [
    "first_name",
    "last_name",
    "organisation",
    "job_title",
    "sector",
    "region",
    "email",
    "phone",
    "address",
    "postcode",
    "preferred_channel",
    "access_needs",
    "access_notes",
    "language",
    "visible_in_directory",
    "listed_publicly",
    "show_email",
    "show_phone",
]
ORGANISATION_FIELDS = [
    "name",
    "sector",
    "region",
    "topics",
    "description",
    "website",
    "how_to_work_with_us",
    "contact_email",
    "contact_phone",
    "listed_publicly",
]
VISIBILITY_FIELDS = ["visible_in_directory", "listed_publicly", "show_email", "show_phone"]
ERASED_NAME = "Erased"


class PersonError(ValueError):
    pass


def _changed(before: dict[str, Any], person: Person, fields: list[str]) -> list[str]:
    return [f for f in fields if before.get(f) != getattr(person, f)]


@transaction.atomic
def update_person(person: Person, changes: dict[str, Any], user: Any) -> list[str]:
    """Apply changed details; the audit entry lists field names, never the values."""
    if person.anonymised_at is not None:
        raise PersonError("This person's details were erased.")
    fields = [f for f in changes if f in PERSON_DETAIL_FIELDS]
    before = {f: getattr(person, f) for f in fields}
    for field in fields:
        setattr(person, field, changes[field])
    changed = _changed(before, person, fields)
    if changed:
        person.save()
        audit.record(
            user, "person.updated", person, "Changed " + ", ".join(changed), fields=changed
        )
        if "email" in changed:
            person_email_changed.send(
                sender=Person, person=person, old=before["email"], new=person.email, actor=user
            )
    return changed


def likely_duplicates(
    *,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    organisation: Organisation | None = None,
    exclude: int | None = None,
) -> QuerySet[Person]:
    """People already on file who are probably the same person: same email, or same name
    and organisation (case-insensitive), the rule the member import uses too."""
    match = Q(pk__in=[])
    if email.strip():
        match |= Q(email__iexact=email.strip())
    if first_name.strip() and organisation is not None:
        match |= Q(
            first_name__iexact=first_name.strip(),
            last_name__iexact=last_name.strip(),
            organisation=organisation,
        )
    qs = Person.objects.filter(match, anonymised_at__isnull=True).select_related("organisation")
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs


@transaction.atomic
def create_person(
    details: dict[str, Any],
    user: Any,
    *,
    consents: list[str] | tuple[str, ...] = (),
    consent_method: str = "",
    consent_date: Any = None,
    source: str = "",
) -> Person:
    """Add a person with the consents they gave (each with its date and method)."""
    fields = {f: details[f] for f in PERSON_DETAIL_FIELDS if f in details}
    if not (fields.get("first_name") or "").strip():
        raise PersonError("A first name is needed.")
    person = Person.objects.create(**fields)
    audit.record(
        user,
        "person.created",
        person,
        f"Added {person.full_name}" + (f" ({source})" if source else ""),
    )
    for purpose in consents:
        set_consent(
            person,
            purpose,
            granted=True,
            method=consent_method or "web",
            user=user,
            when=consent_date,
        )
    return person


@transaction.atomic
def archive_person(person: Person, user: Any, *, archived: bool = True) -> Person:
    """Archive (or bring back) a person: they leave lists, pickers and audiences."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if (person.archived_at is not None) == archived:
        return person
    person.archived_at = timezone.now() if archived else None
    person.save(update_fields=["archived_at", "updated_at"])
    audit.record(
        user,
        "person.archived" if archived else "person.restored",
        person,
        ("Archived " if archived else "Restored ") + person.full_name,
    )
    return person


@transaction.atomic
def set_consent(
    person: Person,
    purpose: str,
    *,
    granted: bool,
    method: str,
    user: Any,
    note: str = "",
    when: Any = None,
) -> Consent:
    if purpose not in ConsentPurpose.values:
        raise PersonError(f"Unknown purpose {purpose!r}.")
    consent, _ = Consent.objects.update_or_create(
        person=person,
        purpose=purpose,
        defaults={
            "granted": granted,
            "method": method,
            "recorded_at": when or timezone.now(),
            "recorded_by": user if getattr(user, "is_authenticated", False) else None,
            "note": note[:300],
        },
    )
    audit.record(
        user,
        "consent.granted" if granted else "consent.withdrawn",
        person,
        f"{ConsentPurpose(purpose).label}: {'yes' if granted else 'no'} ({method})",
    )
    return consent


@transaction.atomic
def update_organisation(org: Organisation, changes: dict[str, Any], user: Any) -> list[str]:
    fields = ORGANISATION_FIELDS
    before = {f: getattr(org, f) for f in fields}
    for field in fields:
        if field in changes:
            setattr(org, field, changes[field])
    changed = [f for f in fields if before[f] != getattr(org, f)]
    if changed:
        org.save()
        audit.record(user, "organisation.updated", org, "Changed " + ", ".join(changed))
    return changed


@transaction.atomic
def create_organisation(details: dict[str, Any], user: Any) -> Organisation:
    name = (details.get("name") or "").strip()
    if not name:
        raise PersonError("An organisation needs a name.")
    if Organisation.objects.filter(name__iexact=name).exists():
        raise PersonError(f"An organisation called {name!r} is already on file.")
    org = Organisation.objects.create(
        **{f: details[f] for f in ORGANISATION_FIELDS if f in details} | {"name": name}
    )
    audit.record(user, "organisation.created", org, f"Added {org.name}")
    return org


@transaction.atomic
def archive_organisation(org: Organisation, user: Any, *, archived: bool = True) -> Organisation:
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    if (org.archived_at is not None) == archived:
        return org
    org.archived_at = timezone.now() if archived else None
    org.save(update_fields=["archived_at"])
    audit.record(
        user,
        "organisation.archived" if archived else "organisation.restored",
        org,
        ("Archived " if archived else "Restored ") + org.name,
    )
    return org


# --- export -------------------------------------------------------------------------------


def person_data(person: Person) -> dict[str, Any]:
    """Everything Cairn holds about one person, as plain JSON-ready data.

    The person's own details are read here; every other app's records come from its
    entry in the data-rights register (cairn.core.datarights).
    """
    details = {f: getattr(person, f) for f in PERSON_DETAIL_FIELDS if f != "organisation"}
    details["organisation"] = person.organisation.name if person.organisation_id else ""
    details["login"] = person.user.get_username() if person.user_id else ""
    details["created_at"] = person.created_at.isoformat()
    details["updated_at"] = person.updated_at.isoformat()
    data: dict[str, Any] = {"exported_at": timezone.now().isoformat(), "person": details}
    for entry in datarights.registered():
        if entry.export is not None:
            data[entry.key] = entry.export(person)
    return data


def export_person(person: Person, user: Any, *, fmt: str = "json") -> tuple[dict, bytes | None]:
    """The person's data, and for fmt="pdf" a readable PDF of it; the export is audited."""
    data = person_data(person)
    pdf = None
    if fmt == "pdf":
        from django.conf import settings

        from cairn.members.models import AccessNeed

        sections = [
            (entry.key, entry.title, _readable_section(data[entry.key]))
            for entry in datarights.registered()
            if entry.export is not None
        ]
        pdf = render_pdf(
            "members/export_pdf.html",
            {
                "data": data,
                "details": _readable_section(data["person"]),
                "exported_at": _readable(data["exported_at"]),
                "person": person,
                "sections": sections,
                "network_name": settings.NETWORK_NAME,
                # Printed for the person it describes: in large print if they need it.
                "large_print": person.has_access_need(AccessNeed.LARGE_PRINT),
            },
        )
    audit.record(user, "person.exported", person, f"Personal data exported as {fmt.upper()}")
    return data, pdf


ISO_TIME = re.compile(r"^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)?$")


def _readable(value: Any) -> Any:
    """A value as a person reads it on paper: times to the minute, and a nested list of
    records (a response's answers) as lines of text rather than Python's notation."""
    if isinstance(value, str):
        match = ISO_TIME.match(value)
        return f"{match[1]} {match[2]}" if match else value
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_readable(v)}" for k, v in value.items() if v not in ("", None))
    if isinstance(value, list | tuple):
        if value and all(isinstance(v, dict) for v in value):
            return "\n".join(
                " — ".join(str(_readable(x)) for x in v.values() if x not in ("", None, []))
                for v in value
            )
        return ", ".join(str(_readable(v)) for v in value)
    return value


def _readable_section(rows: Any) -> Any:
    """A section of the export: its records stay rows, their values become readable."""
    if isinstance(rows, dict):
        return {k: _readable(v) for k, v in rows.items()}
    if isinstance(rows, list):
        return [_readable_section(r) if isinstance(r, dict) else _readable(r) for r in rows]
    return _readable(rows)


# --- erasure ------------------------------------------------------------------------------


@transaction.atomic
def erase_person(person: Person, user: Any) -> Person:
    """Remove who the person is; keep what they said, anonymised, so counts stay true.

    Each app's records go through its entry in the data-rights register, before the
    person's own details are cleared so an entry can still read the name and sector.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.anonymised_at is not None:
        raise PersonError("This person's details were already erased.")
    sector = person.effective_sector
    changed = {
        entry.key: entry.erase(person)
        for entry in datarights.registered()
        if entry.erase is not None
    }
    n_contributions = changed.get("contributions", 0)
    if person.user_id:
        account = person.user
        account.username = f"erased-{person.pk}"
        account.first_name = account.last_name = account.email = ""
        account.is_active = False
        account.set_unusable_password()
        account.save()
        person.user = None
    person.first_name = ERASED_NAME
    person.last_name = ""
    person.sector = sector
    person.organisation = None
    for field in ("job_title", "region", "email", "phone", "address", "postcode"):
        setattr(person, field, "")
    person.access_needs = []
    person.access_notes = person.language = ""
    person.visible_in_directory = person.show_email = person.show_phone = False
    person.listed_publicly = False
    person.anonymised_at = timezone.now()
    person.save()
    audit.record(
        user,
        "person.erased",
        person,
        f"Identity erased; {n_contributions} contributions kept anonymously",
        **({"contributions": n_contributions} | {key: n for key, n in changed.items() if n}),
    )
    return person


@transaction.atomic
def update_own_details(
    person: Person, changes: dict[str, Any], consents: Iterable[str], user: Any
) -> list[str]:
    """A person's own "My details": their details, and their ticks per purpose, each
    purpose whose answer changed recorded as given on the web. All or nothing; the names
    of what changed are returned."""
    changed = update_person(person, changes, user)
    wanted = set(consents)
    current = {c.purpose: c.granted for c in person.consents.all()}
    for purpose in ConsentPurpose.values:
        if current.get(purpose, False) != (purpose in wanted):
            set_consent(
                person, purpose, granted=purpose in wanted, method=ConsentMethod.WEB, user=user
            )
            changed.append(purpose)
    return changed
