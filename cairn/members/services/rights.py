"""A person's data rights: export everything held about them, and erasure."""

import re
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext

from cairn.core import audit, datarights
from cairn.core.network import network
from cairn.lib.pdf import render_pdf
from cairn.members.models import AccessNeed, Person
from cairn.members.services.errors import PersonError
from cairn.members.services.people import PERSON_DETAIL_FIELDS
from cairn.members.signals import person_erasing

# Marked for translation, written in the language of the moment: it stands for the name.
ERASED_NAME = gettext_noop("Erased")


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
        sections = []
        for entry in datarights.registered():
            if entry.export is None:
                continue
            rows = _readable_section(_in_words(data[entry.key], entry.choices))
            # Each row also as (what the field is called, value) for the sections drawn as
            # a table of fields, so the page says "First name", never first_name.
            labelled = [
                [(datarights.label(entry.labels, k), v) for k, v in row.items()]
                for row in rows
                if isinstance(row, dict)
            ]
            sections.append((entry.key, entry.title, rows, labelled))
        pdf = render_pdf(
            "members/export_pdf.html",
            {
                "data": data,
                "details": [
                    (datarights.label(DETAIL_LABELS, k), v)
                    for k, v in _readable_section(_in_words(data["person"], DETAIL_CHOICES)).items()
                ],
                "exported_at": _readable(data["exported_at"]),
                "person": person,
                "sections": sections,
                "network_name": network().name,
                # Printed for the person it describes: in large print if they need it.
                "large_print": person.has_access_need(AccessNeed.LARGE_PRINT),
            },
        )
    audit.record(
        user,
        "person.exported",
        person,
        gettext("Personal data exported as %(format)s") % {"format": fmt.upper()},
    )
    return data, pdf


DETAIL_LABELS = datarights.field_labels(Person, [*PERSON_DETAIL_FIELDS, "created_at", "updated_at"])

DETAIL_CHOICES = datarights.field_choices(Person, PERSON_DETAIL_FIELDS)

ISO_TIME = re.compile(r"^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)?$")


def _readable(value: Any) -> Any:
    """A value as a person reads it on paper: times to the minute, and a nested list of
    records (a response's answers) as lines of text rather than Python's notation, and yes
    or no rather than True and False."""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
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


def _in_words(rows: Any, choices: Mapping[str, Mapping[Any, str]]) -> Any:
    """A section's coded values (a channel, a purpose) in the words the pages use."""
    if not choices:
        return rows

    def in_words(row: Any) -> Any:
        if not isinstance(row, dict):
            return row
        return {
            k: str(choices[k].get(v, v)) if k in choices and isinstance(v, str) else v
            for k, v in row.items()
        }

    return [in_words(row) for row in rows] if isinstance(rows, list) else in_words(rows)


def _readable_section(rows: Any) -> Any:
    """A section of the export: its records stay rows, their values become readable."""
    if isinstance(rows, dict):
        return {k: _readable(v) for k, v in rows.items()}
    if isinstance(rows, list):
        return [_readable_section(r) if isinstance(r, dict) else _readable(r) for r in rows]
    return _readable(rows)


@transaction.atomic
def erase_person(person: Person, user: Any) -> Person:
    """Remove who the person is; keep what they said, anonymised, so counts stay true.

    Each app's records go through its entry in the data-rights register, before the
    person's own details are cleared so an entry can still read the name and sector.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.anonymised_at is not None:
        raise PersonError(gettext("This person's details were already erased."))
    person_erasing.send(sender=Person, person=person, actor=user)
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
    person.first_name = gettext(ERASED_NAME)
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
        ngettext(
            "Identity erased; %(n)d contribution kept anonymously",
            "Identity erased; %(n)d contributions kept anonymously",
            n_contributions,
        )
        % {"n": n_contributions},
        **({"contributions": n_contributions} | {key: n for key, n in changed.items() if n}),
    )
    return person
