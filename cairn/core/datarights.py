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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.module_loading import autodiscover_modules
from django.utils.text import capfirst

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
    # What the readable export calls each of export's keys (a model field's verbose name);
    # a key without one is shown as words ("name_given": "Name given").
    labels: Mapping[str, str] = field(default_factory=dict)
    # What the readable export shows for a coded value, by key ("channel": {"phone":
    # "Phone call"}): a model field's choices.
    choices: Mapping[str, Mapping[Any, str]] = field(default_factory=dict)
    # The records, where they are one model's rows about the person (see Rows): the
    # export, its labels and the relation are then the rows' own unless given.
    rows: "Rows | None" = None

    def __post_init__(self) -> None:
        if self.rows is None:
            return
        # Frozen once made: the rows' defaults are filled in here, once.
        if self.export is None:
            object.__setattr__(self, "export", self.rows.export)
        if not self.labels:
            object.__setattr__(self, "labels", self.rows.labels)
        if not self.choices:
            object.__setattr__(self, "choices", self.rows.choices)
        if not self.relations:
            object.__setattr__(self, "relations", (self.rows.relation,))


@dataclass(frozen=True)
class Rows:
    """The records of one model about a person, the shape most entries share: export reads
    the same fields from each, erasure deletes them or blanks some of their fields.

    The records are those of `model` whose `person_field` is the person. `fields` names
    what the export reads, in order: a field ("created_at"), or an export key and the
    attribute it reads (("thread", "thread.title"), dotted through relations; a relation
    that is empty reads ""). A time or a date is exported as ISO text.
    """

    model: type[models.Model]
    person_field: str
    fields: Sequence[str | tuple[str, str]]

    @property
    def relation(self) -> str:
        """The relation to a person these rows answer for ("accounts.Invite.person")."""
        return f"{self.model._meta.label}.{self.person_field}"

    def query(self, person: Any) -> models.QuerySet:
        return self.model._default_manager.filter(**{self.person_field: person})

    def export(self, person: Any) -> list[dict[str, Any]]:
        paths = _paths(self.fields)
        related = {p.rsplit(".", 1)[0].replace(".", "__") for p in paths.values() if "." in p}
        rows = self.query(person)
        if related:
            rows = rows.select_related(*sorted(related))
        return [{key: _read(row, path) for key, path in paths.items()} for row in rows]

    def delete(self, person: Any) -> int:
        deleted, _counts = self.query(person).delete()
        return deleted

    def anonymise(self, **blanks: Any) -> Callable[[Any], int]:
        """An erasure that keeps the records but sets these fields (person=None, text="")."""

        def erase(person: Any) -> int:
            return self.query(person).update(**blanks)

        return erase

    @property
    def labels(self) -> dict[str, str]:
        return field_labels(self.model, self.fields)

    @property
    def choices(self) -> dict[str, dict[Any, str]]:
        return field_choices(self.model, self.fields)


def _paths(fields: Sequence[str | tuple[str, str]]) -> dict[str, str]:
    return dict((name, name) if isinstance(name, str) else name for name in fields)


def field_labels(
    model: type[models.Model], fields: Sequence[str | tuple[str, str]]
) -> dict[str, str]:
    """Each export key's field's verbose name (of the first step of a dotted path), given
    `fields` as `Rows` takes them; for an entry that writes its own export."""
    labels = {}
    for key, path in _paths(fields).items():
        try:
            model_field = model._meta.get_field(path.split(".", 1)[0])
        except FieldDoesNotExist:
            continue
        # A reverse relation (a response's answers) has no verbose name of its own.
        if getattr(model_field, "verbose_name", None):
            labels[key] = capfirst(model_field.verbose_name)
    return labels


def field_choices(
    model: type[models.Model], fields: Sequence[str | tuple[str, str]]
) -> dict[str, dict[Any, str]]:
    """Each export key's field's choices, code to words, where it has choices."""
    found = {}
    for key, path in _paths(fields).items():
        if "." in path:
            continue
        try:
            model_field = model._meta.get_field(path)
        except FieldDoesNotExist:
            continue
        if getattr(model_field, "choices", None):
            found[key] = {code: words for code, words in model_field.flatchoices}
    return found


def _read(row: models.Model, path: str) -> Any:
    value: Any = row
    for name in path.split("."):
        if value is None:
            return ""
        value = getattr(value, name)
    return value.isoformat() if isinstance(value, date) else value


def label(labels: Mapping[str, str], key: str) -> str:
    """What the readable export calls a key: its label, or the key as words."""
    return str(labels.get(key) or capfirst(key.replace("_", " ")))


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
