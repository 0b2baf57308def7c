"""Merging two records of one person.

Everything that points at the person who goes (registrations, contributions, consents,
messages, responses, follows, breakout groups, and whatever relation an app adds later)
moves to the person who stays. Relations are found through the model's `_meta`, not
listed by hand, so a new app's foreign key to Person is merged without touching this file.

Where the database allows only one row per person (one registration per event, one
consent per purpose, one follow per thread) the two rows are compared and one is kept:
the better registration (attended, then registered, then waiting, then cancelled), the
latest consent, otherwise the row of the person who stays. The other row is deleted,
which the preview shows before anything is done.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.dispatch import Signal

from cairn.core import audit
from cairn.core.models import AuditEntry
from cairn.members.models import Person
from cairn.members.services import PERSON_DETAIL_FIELDS, PersonError

# Sent after a merge commits, with kept=Person and removed=[rows deleted as duplicates]
# (unsaved copies, their fields intact), so an app can react: events refills freed places.
people_merged = Signal()

# Details never copied from the person who goes: choosing to be shown is the kept person's.
NOT_FILLED = {"visible_in_directory", "listed_publicly", "show_email", "show_phone"}


@dataclass
class Relation:
    label: str
    model: type[models.Model]
    fk: str  # the field on `model` that points at Person
    unique_sets: list[tuple[str, ...]]  # other fields that, with fk, must be unique
    singular: str = ""  # "1 registration", not "1 registrations"


@dataclass
class Conflict:
    label: str
    kept_row: models.Model
    dropped_row: models.Model
    keep_dropped: bool  # True when the row of the person who goes is the better one
    kept_text: str = ""  # what is kept, worded while both records still exist

    @property
    def description(self) -> str:
        return f"{self.label}: {self.kept_text}"


@dataclass
class MergePlan:
    kept: Person
    dropped: Person
    moves: list[tuple[str, int]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)
    login: str = ""

    singulars: dict[str, str] = field(default_factory=dict)

    def add_moves(self, label: str, n: int, singular: str = "") -> None:
        if singular:
            self.singulars[label] = singular
        for i, (known, count) in enumerate(self.moves):
            if known == label:
                self.moves[i] = (label, count + n)
                return
        self.moves.append((label, n))

    @property
    def move_lines(self) -> list[str]:
        """ "1 registration", "3 contributions": each kind of record with its count."""
        return [
            f"{n} {self.singulars.get(label, label) if n == 1 else label}"
            for label, n in self.moves
        ]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.moves)


def _unique_sets(model: type[models.Model], fk: models.Field) -> list[tuple[str, ...]]:
    sets: list[tuple[str, ...]] = []
    if fk.unique:
        sets.append(())
    for together in model._meta.unique_together:
        if fk.name in together:
            sets.append(tuple(f for f in together if f != fk.name))
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if isinstance(constraint, models.UniqueConstraint) and fk.name in fields:
            sets.append(tuple(f for f in fields if f != fk.name))
    return sets


def person_relations() -> list[Relation]:
    """Every table with a foreign key to Person, including many-to-many link tables.

    Hidden relations (related_name="+") count too: a response or a post without a
    reverse accessor still belongs to its person."""
    relations = []
    for rel in Person._meta.get_fields(include_hidden=True):
        # Many-to-many links show up a second time as the link table's foreign key.
        if not (rel.auto_created and not rel.concrete and rel.is_relation) or rel.many_to_many:
            continue
        model = rel.related_model
        owner = model._meta.auto_created or model  # a link table is named after its owner
        relations.append(
            Relation(
                str(owner._meta.verbose_name_plural),
                model,
                rel.field.name,
                _unique_sets(model, rel.field),
                str(owner._meta.verbose_name),
            )
        )
    return relations


def _describe(row: models.Model) -> str:
    status = getattr(row, "get_status_display", None)
    text = str(row)
    return f"{text} ({status()})" if status else text


def _registration_rank(row: Any) -> tuple:
    order = {"registered": 2, "waitlisted": 1, "cancelled": 0}
    return (row.attended is True, order.get(row.status, 0), row.pk * -1)


def _prefer_dropped(kept_row: Any, dropped_row: Any) -> bool:
    """Which of two rows that cannot both exist is the better one to keep."""
    label = kept_row._meta.label_lower
    if label == "events.registration":
        return _registration_rank(dropped_row) > _registration_rank(kept_row)
    if label in ("members.consent", "members.channelconsent"):
        return dropped_row.recorded_at > kept_row.recorded_at
    return False


def plan_merge(kept: Person, dropped: Person) -> MergePlan:
    """What a merge would move, which duplicates it would resolve and how; changes nothing."""
    if kept.pk == dropped.pk:
        raise PersonError("Choose two different people.")
    if kept.anonymised_at or dropped.anonymised_at:
        raise PersonError("An erased person cannot be merged.")
    plan = MergePlan(kept=kept, dropped=dropped)
    for relation in person_relations():
        rows = list(relation.model._default_manager.filter(**{relation.fk: dropped}))
        if not rows:
            continue
        plan.add_moves(relation.label, len(rows), relation.singular)
        for row in rows:
            for others in relation.unique_sets:
                match = {relation.fk: kept} | {
                    f: getattr(row, relation.model._meta.get_field(f).attname) for f in others
                }
                kept_row = relation.model._default_manager.filter(**match).first()
                if kept_row is not None:
                    keep_dropped = _prefer_dropped(kept_row, row)
                    winner = row if keep_dropped else kept_row
                    plan.conflicts.append(
                        Conflict(relation.label, kept_row, row, keep_dropped, _describe(winner))
                    )
                    break
    for name in PERSON_DETAIL_FIELDS:
        if name in NOT_FILLED:
            continue
        mine, theirs = getattr(kept, name), getattr(dropped, name)
        if name == "access_needs":
            if set(theirs or []) - set(mine or []):
                plan.filled.append(name)
        elif not mine and theirs:
            plan.filled.append(name)
    if dropped.user_id and not kept.user_id:
        plan.login = "moved"
    elif dropped.user_id:
        plan.login = "deactivated"
    return plan


@transaction.atomic
def merge_people(kept: Person, dropped: Person, user: Any) -> MergePlan:
    """Move everything of `dropped` to `kept` in one transaction, then delete `dropped`."""
    kept = Person.objects.select_for_update().get(pk=kept.pk)
    dropped = Person.objects.select_for_update().get(pk=dropped.pk)
    plan = plan_merge(kept, dropped)
    removed: list[models.Model] = []
    try:
        for conflict in plan.conflicts:
            loser = conflict.kept_row if conflict.keep_dropped else conflict.dropped_row
            loser.delete()
            removed.append(loser)
    except ProtectedError as error:
        raise PersonError(f"Cannot merge: {error.args[0]}") from error
    for relation in person_relations():
        relation.model._default_manager.filter(**{relation.fk: dropped}).update(
            **{relation.fk: kept}
        )
    for name in plan.filled:
        if name == "access_needs":
            kept.access_needs = list(kept.access_needs or []) + [
                n for n in dropped.access_needs if n not in (kept.access_needs or [])
            ]
        else:
            setattr(kept, name, getattr(dropped, name))
    account = dropped.user
    if account is not None:
        dropped.user = None
        dropped.save(update_fields=["user"])
        if plan.login == "moved":
            kept.user = account
        else:
            account.is_active = False
            account.save(update_fields=["is_active"])
    kept.save()
    # The history of the person who goes now belongs to the person who stays.
    AuditEntry.objects.filter(object_type="members.person", object_id=str(dropped.pk)).update(
        object_id=str(kept.pk)
    )
    dropped_name, dropped_pk = dropped.full_name, dropped.pk
    dropped.delete()
    audit.record(
        user,
        "person.merged",
        kept,
        f"Merged {dropped_name} (#{dropped_pk}) into {kept.full_name}: "
        + ", ".join(plan.move_lines)
        + (f"; {len(plan.conflicts)} duplicates resolved" if plan.conflicts else ""),
        dropped=dropped_pk,
        moved=dict(plan.moves),
        filled=plan.filled,
        conflicts=[c.description for c in plan.conflicts],
        login=plan.login,
    )
    transaction.on_commit(lambda: people_merged.send(sender=Person, kept=kept, removed=removed))
    return plan
