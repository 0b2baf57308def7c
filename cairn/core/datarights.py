"""Data rights: each app that holds personal data says how to export and erase it.

The ground floor only keeps the register. Every app that stores something about a
person has a `datarights` module that calls `register` once for each kind of record;
it is found the way Django finds `admin.py`, so this module names no app. A person's
export and erasure (members.services) walk the register, and a test walks every model
with a relation to a person or a login and fails when no entry answers for it.

An entry answers for a relation either by exporting and erasing it, or by saying in
`kept` why the relation stays as it is (a staff action, for example, keeps pointing at
the login, which erasure closes and strips of its name).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.module_loading import autodiscover_modules

# The reason most `kept` relations give: who did something is part of the record of it.
STAFF = (
    "a staff action: it keeps pointing at the login, which erasure closes and strips of its name"
)


@dataclass(frozen=True)
class PersonData:
    """How one kind of record about a person is exported and erased."""

    # Section of the export ("consultation_responses"); unique across apps.
    key: str
    # Heading of that section in the readable (PDF) export.
    title: str
    # Rows for the export, plain JSON-ready dicts; given the person. None: nothing to show.
    export: Callable[[Any], list[dict[str, Any]]] | None = None
    # Removes or anonymises the records, inside the erasure's transaction, before the
    # person's own details are cleared (so the name and sector can still be read);
    # returns how many records it changed. None: nothing to erase.
    erase: Callable[[Any], int] | None = None
    # "app_label.Model.field" relations to a person or login this entry exports and erases.
    relations: tuple[str, ...] = ()
    # "app_label.Model.field" relations left as they are, each with the reason why.
    kept: dict[str, str] = field(default_factory=dict)
    # Export sections and erasures run in this order (lower first), then by key.
    order: int = 100


_registry: dict[str, PersonData] = {}
_discovered = False


def register(entry: PersonData) -> PersonData:
    if entry.key in _registry and _registry[entry.key] != entry:
        raise ValueError(f"data rights: {entry.key!r} is registered twice")
    _registry[entry.key] = entry
    return entry


def registered() -> list[PersonData]:
    """Every entry, after importing each installed app's `datarights` module once."""
    global _discovered
    if not _discovered:
        autodiscover_modules("datarights")
        _discovered = True
    return sorted(_registry.values(), key=lambda e: (e.order, e.key))


def relation_name(model_field: models.Field) -> str:
    return f"{model_field.model._meta.label}.{model_field.name}"


def relations_to(*targets: type[models.Model]) -> list[models.Field]:
    """Every concrete relation field (FK, one-to-one, many-to-many) of an installed model
    that points at one of `targets`, e.g. the person and login models.

    Merging or erasing a person must deal with each of these.
    """
    found = []
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            # Reverse relations are auto-created; a generic relation has no related model.
            if model_field.auto_created or not model_field.is_relation:
                continue
            if model_field.related_model in targets:
                found.append(model_field)
    return found


def uncovered(*targets: type[models.Model]) -> list[str]:
    """Relations to `targets` that no registered entry exports, erases or keeps."""
    covered: set[str] = set()
    for entry in registered():
        covered.update(entry.relations)
        covered.update(entry.kept)
    return sorted(
        name for name in (relation_name(f) for f in relations_to(*targets)) if name not in covered
    )
