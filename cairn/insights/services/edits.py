"""A coordinator's edits to themes: rename, merge, split, move statements.

Edits are recorded in `ThemeEdit` and replayed after every re-run. A theme is
found again by the statements it held when the edit was made (statement ids
are stable across runs; theme ids are not).
"""

from collections import Counter
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cairn.core import audit
from cairn.insights.models import (
    Assignment,
    EditKind,
    SynthesisRun,
    Theme,
    ThemeEdit,
    ThemeOrigin,
)
from cairn.insights.services.errors import InsightsError


def refresh_theme(theme: Theme) -> None:
    """Recompute size, counts and stances from the theme's statements."""
    rows = list(
        Assignment.objects.filter(theme=theme).values_list(
            "statement_id",
            "contribution_id",
            "contribution__channel",
            "contribution__author_sector",
            "stance",
        )
    )
    ids = {r[0] for r in rows}
    old_counts = theme.counts or {}
    theme.size = len(rows)
    theme.counts = {
        "channel": dict(Counter(r[2] for r in rows).most_common()),
        "sector": dict(Counter(r[3] or "unknown" for r in rows).most_common()),
        "contributions": len({r[1] for r in rows}),
    }
    if "side" in old_counts:
        theme.counts["side"] = old_counts["side"]
    theme.stances = dict(Counter(r[4] for r in rows).most_common())
    theme.quotes = [q for q in theme.quotes if q in ids]
    theme.summary = [q for q in theme.summary if q in ids]
    if not theme.quotes and rows:
        best = (
            Assignment.objects.filter(theme=theme)
            .order_by("-confidence", "id")
            .values_list("statement_id", flat=True)[:3]
        )
        theme.quotes = list(best)
        theme.summary = theme.summary or list(best)
    theme.save(update_fields=["size", "counts", "stances", "quotes", "summary"])


def _ids_of(theme: Theme) -> list[str]:
    return list(theme.assignments.values_list("statement_id", flat=True))


def _record(
    run: SynthesisRun, actor: Any, kind: str, payload: dict[str, Any], summary: str
) -> None:
    ThemeEdit.objects.create(
        run=run,
        kind=kind,
        payload=payload,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        summary=summary[:300],
    )
    audit.record(actor, f"synthesis.{kind}", run, summary)


def _statements(n: int) -> str:
    # Edit summaries are the log's English, like the audit's, not the reader's language.
    return f"{n} statement" if n == 1 else f"{n} statements"


def _check_editable(run: SynthesisRun) -> None:
    # A run whose re-run failed keeps its last themes, and they stay editable: the edit
    # is logged and replayed like any other when the run next succeeds.
    if run.is_active or not run.run_count:
        raise InsightsError(_("Themes can be edited once the synthesis has finished."))


@transaction.atomic
def rename_theme(theme: Theme, label: str, actor: Any) -> Theme:
    label = " ".join((label or "").split())[:200]
    if not label:
        raise InsightsError(_("A theme needs a name."))
    _check_editable(theme.run)
    old = theme.label
    payload = {"key": theme.key, "ids": _ids_of(theme), "label": label}
    _apply_rename(theme, label)
    _record(theme.run, actor, EditKind.RENAME, payload, f"Renamed “{old}” to “{label}”")
    return theme


def _apply_rename(theme: Theme, label: str) -> None:
    theme.label = label
    theme.origin = ThemeOrigin.EDITED if theme.origin != ThemeOrigin.GUIDED else theme.origin
    theme.save(update_fields=["label", "origin"])


@transaction.atomic
def merge_themes(target: Theme, other: Theme, actor: Any) -> Theme:
    if target.pk == other.pk or target.run_id != other.run_id:
        raise InsightsError(_("Choose two different themes of the same synthesis to merge."))
    _check_editable(target.run)
    payload = {
        "into_key": target.key,
        "into_ids": _ids_of(target),
        "from_key": other.key,
        "from_ids": _ids_of(other),
    }
    summary = f"Merged “{other.label}” into “{target.label}”"
    _apply_merge(target, other)
    _record(target.run, actor, EditKind.MERGE, payload, summary)
    return target


def _apply_merge(target: Theme, other: Theme) -> None:
    Assignment.objects.filter(theme=other).update(theme=target)
    target.quotes = target.quotes + [q for q in other.quotes if q not in target.quotes]
    target.summary = target.summary + [q for q in other.summary if q not in target.summary]
    target.keyphrases = target.keyphrases + [
        k for k in other.keyphrases if k not in target.keyphrases
    ]
    if target.origin == ThemeOrigin.DISCOVERED:
        target.origin = ThemeOrigin.EDITED
    target.save(update_fields=["quotes", "summary", "keyphrases", "origin"])
    other.delete()
    refresh_theme(target)


@transaction.atomic
def split_theme(theme: Theme, statement_ids: list[str], label: str, actor: Any) -> Theme:
    """Move the chosen statements of a theme into a new theme with its own name."""
    label = " ".join((label or "").split())[:200]
    if not label:
        raise InsightsError(_("Give the new theme a name."))
    _check_editable(theme.run)
    chosen = set(statement_ids) & set(_ids_of(theme))
    if not chosen:
        raise InsightsError(_("Tick at least one statement to move into the new theme."))
    payload = {"from_ids": _ids_of(theme), "ids": sorted(chosen), "label": label}
    new = _apply_split(theme.run, sorted(chosen), label)
    refresh_theme(theme)
    _record(
        theme.run,
        actor,
        EditKind.SPLIT,
        payload,
        f"Split {_statements(len(chosen))} from “{theme.label}” into “{label}”",
    )
    return new


def _apply_split(run: SynthesisRun, ids: list[str], label: str) -> Theme:
    last = run.themes.order_by("-position").values_list("position", flat=True).first() or 0
    new = Theme.objects.create(
        run=run,
        key=f"edit-{ThemeEdit.objects.filter(run=run).count() + 1}",
        label=label,
        origin=ThemeOrigin.EDITED,
        position=last + 1,
    )
    Assignment.objects.filter(run=run, statement_id__in=ids).update(theme=new, moved_by_hand=True)
    refresh_theme(new)
    return new


@transaction.atomic
def move_statements(
    run: SynthesisRun, statement_ids: list[str], to: Theme | None, actor: Any
) -> int:
    """Move statements to another theme (or to "fits no theme" when `to` is None)."""
    _check_editable(run)
    if to is not None and to.run_id != run.pk:
        raise InsightsError(_("That theme belongs to another synthesis."))
    rows = Assignment.objects.filter(run=run, statement_id__in=statement_ids)
    if not rows.exists():
        raise InsightsError(_("Choose at least one statement to move."))
    sources = set(rows.values_list("theme_id", flat=True))
    payload = {
        "ids": sorted(rows.values_list("statement_id", flat=True)),
        "to_key": to.key if to else None,
        "to_ids": _ids_of(to) if to else None,
    }
    # Placed by a person now, not set aside by the synthesis: moved back to "no theme",
    # it fits none rather than counting again as, say, thanks.
    moved = rows.update(theme=to, moved_by_hand=True, set_aside="")
    for theme in Theme.objects.filter(pk__in=[s for s in sources if s] + ([to.pk] if to else [])):
        refresh_theme(theme)
    target = to.label if to else _("no theme")
    _record(run, actor, EditKind.MOVE, payload, f"Moved {_statements(moved)} to “{target}”")
    return moved


def _find(
    run: SynthesisRun, ids: list[str] | None, key: str | None, exclude: int | None = None
) -> Theme | None:
    """The theme of this run that holds most of `ids`; else the one with the same key."""
    qs = Assignment.objects.filter(run=run, statement_id__in=ids or [], theme__isnull=False)
    if exclude:
        qs = qs.exclude(theme_id=exclude)
    overlap = Counter(qs.values_list("theme_id", flat=True))
    if overlap:
        best = min(overlap, key=lambda pk: (-overlap[pk], pk))
        return Theme.objects.get(pk=best)
    if key:
        return run.themes.exclude(pk=exclude or 0).filter(key=key).first()
    return None


def replay(run: SynthesisRun, edit: ThemeEdit) -> None:
    p = edit.payload
    if edit.kind == EditKind.RENAME:
        theme = _find(run, p.get("ids"), p.get("key"))
        if theme:
            _apply_rename(theme, p["label"])
    elif edit.kind == EditKind.MERGE:
        target = _find(run, p.get("into_ids"), p.get("into_key"))
        other = _find(
            run, p.get("from_ids"), p.get("from_key"), exclude=target.pk if target else None
        )
        if target and other:
            _apply_merge(target, other)
    elif edit.kind == EditKind.SPLIT:
        if Assignment.objects.filter(run=run, statement_id__in=p["ids"]).exists():
            new = _apply_split(run, p["ids"], p["label"])
            new.key = f"edit-{edit.pk}"
            new.save(update_fields=["key"])
    elif edit.kind == EditKind.MOVE:
        to = _find(run, p.get("to_ids"), p.get("to_key")) if p.get("to_ids") is not None else None
        if p.get("to_ids") is not None and to is None:
            return
        Assignment.objects.filter(run=run, statement_id__in=p["ids"]).update(
            theme=to, moved_by_hand=True, set_aside=""
        )
