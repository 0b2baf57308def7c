"""Merge fields: `{first_name}` in a message becomes each person's own value.

The person's fields come from the person; `{event}` and `{event_date}` come from what
the message is about, as a context the sending app passes in (events.notices.merge_context).
"""

import re
from collections.abc import Mapping

from django.utils.html import escape

from cairn.core.network import network
from cairn.members.models import Person

FIELD = re.compile(r"\{(\w+)\}")
MERGE_FIELDS = (
    "first_name",
    "last_name",
    "full_name",
    "organisation",
    "event",
    "event_date",
    "network",
)

# Filled from the record a message is about (the event of "Registered for event"): with
# no record chosen they would go out blank.
ABOUT_FIELDS = ("event", "event_date")


def merge_values(person: Person, context: Mapping[str, str] | None = None) -> dict[str, str]:
    """The person's values, then the caller's context for the fields about the subject."""
    values = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "full_name": person.full_name,
        "organisation": person.organisation.name if person.organisation_id else "",
        "network": network().name,
        "event": "",
        "event_date": "",
    }
    if context:
        values.update({key: context[key] for key in MERGE_FIELDS if key in context})
    return values


def fill(template: str, values: dict[str, str], *, html: bool = False) -> str:
    """Replace known fields; leave unknown braces alone so `{this}` in prose survives."""

    def replace(match: re.Match) -> str:
        key = match.group(1)
        if key not in values:
            return match.group(0)
        return escape(values[key]) if html else values[key]

    return FIELD.sub(replace, template)


def unknown_fields(template: str) -> list[str]:
    return sorted({m for m in FIELD.findall(template) if m not in MERGE_FIELDS})


def about_fields(template: str) -> list[str]:
    """The fields about the message's record that ``template`` uses, in their order."""
    used = set(FIELD.findall(template))
    return [name for name in ABOUT_FIELDS if name in used]
