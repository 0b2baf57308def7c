"""Writes for syntheses: start and run one, store its result, and a coordinator's edits.

Edits are recorded in `ThemeEdit` and replayed after every re-run. A theme is
found again by the statements it held when the edit was made (statement ids
are stable across runs; theme ids are not).
"""

import logging
import time
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.contributions.models import Contribution
from cairn.core import audit
from cairn.events.models import Event
from cairn.insights.engine import GivenTheme, StatementIn, run_synthesis
from cairn.insights.models import (
    Assignment,
    EditKind,
    RunMode,
    RunStatus,
    SynthesisRun,
    Theme,
    ThemeEdit,
    ThemeOrigin,
)
from cairn.insights.scopes import parse_scope
from cairn.jobs.services import beating, stale_after

if TYPE_CHECKING:
    from cairn.synthesis.types import Result

log = logging.getLogger(__name__)

DEFAULT_OPTIONS: dict[str, Any] = {"n_quotes": 6, "n_summary": 3}
ROOM_NOTES_IN_DESCRIPTION = 8


class InsightsError(ValueError):
    pass


# --- starting and running -------------------------------------------------------------


def start_synthesis(
    actor: Any,
    *,
    event: Event | None = None,
    contribution_ids: Iterable[int] | None = None,
    scope: str = "",
    mode: str = RunMode.GUIDED,
    title: str = "",
    options: dict[str, Any] | None = None,
    inline: bool = False,
) -> SynthesisRun:
    """Create a synthesis and queue it; the task runs after the transaction commits.

    `inline` runs it here and now instead (the demo loader needs the result at once).
    """
    if event is None and not scope and not contribution_ids:
        raise InsightsError(_("Choose an event, a consultation or some contributions."))
    if mode == RunMode.GUIDED and (event is None or not event.breakout_themes.exists()):
        mode = RunMode.DISCOVER
    with transaction.atomic():
        run = SynthesisRun.objects.create(
            event=event,
            scope=scope,
            contribution_ids=sorted(set(contribution_ids or [])),
            title=title or (event.title if event is not None else _("Synthesis")),
            mode=mode,
            options={**DEFAULT_OPTIONS, **(options or {})},
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if not scope_contributions(run).exists():
            raise InsightsError(_("There are no contributions to synthesise yet."))
        audit.record(actor, "synthesis.started", run, f"Synthesis of {run.title} started")
        if inline:
            execute_run(run.pk)
        else:
            _enqueue(run)
    return SynthesisRun.objects.get(pk=run.pk)


def rerun_synthesis(run: SynthesisRun, actor: Any) -> SynthesisRun:
    """Run again on the current contributions; the edit log is replayed on the new themes."""
    with transaction.atomic():
        locked = SynthesisRun.objects.select_for_update().get(pk=run.pk)
        if locked.is_active and locked.run_count > 0:
            raise InsightsError(_("This synthesis is already running."))
        locked.status = RunStatus.QUEUED
        locked.progress = 0
        locked.stage = ""
        locked.error = ""
        fields = ["status", "progress", "stage", "error"]
        # A scope offered by another app (a consultation) may have new contributions.
        if parsed := parse_scope(locked.scope):
            source, pk = parsed
            locked.contribution_ids = source.contribution_ids(pk)
            fields.append("contribution_ids")
        locked.save(update_fields=fields)
        audit.record(actor, "synthesis.rerun", locked, f"Synthesis of {locked.title} re-run")
        _enqueue(locked)
    return SynthesisRun.objects.get(pk=run.pk)


def _enqueue(run: SynthesisRun) -> None:
    from cairn.insights.tasks import synthesis_task

    run_id = run.pk
    transaction.on_commit(lambda: synthesis_task.enqueue(run_id))


def scope_contributions(run: SynthesisRun) -> QuerySet[Contribution]:
    qs = Contribution.objects.all()
    if run.contribution_ids:
        return qs.filter(pk__in=run.contribution_ids)
    if run.event_id:
        return qs.filter(event_id=run.event_id)
    return qs.none()


def _statements(run: SynthesisRun) -> list[StatementIn]:
    rows = (
        scope_contributions(run)
        .order_by("pk")
        .values_list("pk", "text", "channel", "author_sector", "theme__name")
    )
    return [
        StatementIn(
            id=f"c{pk}",
            text=text,
            contribution_id=pk,
            attributes={
                "channel": channel,
                "sector": sector or "unknown",
                "breakout": breakout or "",
            },
        )
        for pk, text, channel, sector, breakout in rows
    ]


def _given_themes(run: SynthesisRun) -> list[GivenTheme]:
    if run.mode != RunMode.GUIDED or run.event is None:
        return []
    given = []
    for t in run.event.breakout_themes.all():
        # What the room's own note-takers wrote says what the theme meant on the day better
        # than a one-line description, so it guides where everyone else's words belong.
        notes = list(
            Contribution.objects.filter(theme=t, channel="breakout_note")
            .order_by("pk")
            .values_list("text", flat=True)[:ROOM_NOTES_IN_DESCRIPTION]
        )
        description = " ".join([t.description, *notes]).strip()
        given.append(GivenTheme(id=f"bt{t.pk}", label=t.name, description=description))
    return given


def execute_run(run_id: int) -> None:
    """Run a queued synthesis to the end; failures are stored on the run, never raised."""
    run = SynthesisRun.objects.get(pk=run_id)
    run.status = RunStatus.RUNNING
    run.started_at = timezone.now()
    run.heartbeat_at = run.started_at
    run.error = ""
    run.stage = _("Collecting contributions")
    run.progress = 5
    run.save(update_fields=["status", "started_at", "heartbeat_at", "error", "stage", "progress"])

    def touch() -> None:
        SynthesisRun.objects.filter(pk=run_id).update(heartbeat_at=timezone.now())

    with beating(touch):
        _execute(run, run_id)


def _execute(run: SynthesisRun, run_id: int) -> None:
    timings: dict[str, float] = {}
    try:
        t0 = time.perf_counter()
        statements = _statements(run)
        themes = _given_themes(run)
        timings["collect_s"] = round(time.perf_counter() - t0, 3)
        if not statements:
            raise InsightsError(_("There are no contributions to synthesise."))
        last = [0.0]

        def progress(stage: str, fraction: float) -> None:
            # Writing every callback would slow large runs; once a second is plenty.
            now = time.perf_counter()
            if now - last[0] < 1.0:
                return
            last[0] = now
            SynthesisRun.objects.filter(pk=run_id).update(
                stage=stage, progress=min(90, 10 + int(80 * fraction))
            )

        t1 = time.perf_counter()
        result = run_synthesis(statements, themes=themes, options=run.options, progress=progress)
        timings["synthesis_s"] = round(time.perf_counter() - t1, 3)
        SynthesisRun.objects.filter(pk=run_id).update(stage=_("Saving themes"), progress=92)
        t2 = time.perf_counter()
        store_result(run, result)
        timings["store_s"] = round(time.perf_counter() - t2, 3)
    except Exception as exc:  # noqa: BLE001 - any failure must reach the page, not vanish
        log.exception("synthesis %s failed", run_id)
        message = str(exc) or exc.__class__.__name__
        if isinstance(exc, ImportError):
            message = _("The synthesis engine is not installed on this server (%(detail)s).") % {
                "detail": message
            }
        SynthesisRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED,
            error=message,
            finished_at=timezone.now(),
            stage="",
        )
        return
    SynthesisRun.objects.filter(pk=run_id).update(
        status=RunStatus.DONE,
        progress=100,
        stage="",
        timings=timings,
        finished_at=timezone.now(),
    )


def fail_stale_runs(now: Any = None) -> int:
    """Mark failed the runs whose worker stopped beating, so they can be run again.

    The worker timeout is doubled: by then a live worker would have taken the
    re-queued task and beaten again, so a stale run has nobody left to finish it.
    """
    now = now or timezone.now()
    cutoff = now - 2 * stale_after()
    return (
        SynthesisRun.objects.filter(status=RunStatus.RUNNING)
        .filter(Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff))
        .update(
            status=RunStatus.FAILED,
            error=_("The worker running this synthesis stopped before it finished."),
            finished_at=now,
            stage="",
        )
    )


@transaction.atomic
def store_result(run: SynthesisRun, result: "Result") -> None:
    """Replace the run's themes and assignments with a fresh result, then replay edits.

    Sizes, counts and stances are the pipeline's own; they are recounted from the
    stored assignments only for themes a replayed edit changed.
    """
    run = SynthesisRun.objects.select_for_update().get(pk=run.pk)
    run.assignments.all().delete()
    run.themes.all().delete()
    given = {f"bt{t.pk}": t for t in run.event.breakout_themes.all()} if run.event else {}
    contribution_of = {s.id: int(s.contribution_id or 0) for s in result.statements}
    themes: dict[str, Theme] = {}
    for position, data in enumerate(result.themes):
        breakout = given.get(data.id) if data.guided else None
        quote_ids = [q["id"] for q in data.quotes]
        counts: dict[str, Any] = {
            "channel": dict(data.counts.get("channel", {})),
            "sector": dict(data.counts.get("sector", {})),
            "contributions": len({contribution_of.get(i) for i in data.statement_ids}),
        }
        if data.side:
            counts["side"] = data.side
        themes[data.id] = Theme.objects.create(
            run=run,
            key=data.id,
            label=data.label[:200],
            keyphrases=list(data.keyphrases),
            headline=data.headline,
            # Statement ids: the headline's, then each summary sentence's, then the quotes'.
            summary=list(
                dict.fromkeys(
                    [data.headline_id, *data.summary_ids] if data.headline_id else data.summary_ids
                )
            )
            or quote_ids[:3],
            quotes=quote_ids,
            position=position,
            origin=ThemeOrigin.GUIDED if breakout else ThemeOrigin.DISCOVERED,
            breakout_theme=breakout,
            size=data.size,
            counts=counts,
            stances=dict(sorted(data.stances.items(), key=lambda kv: (-kv[1], kv[0]))),
        )
    Assignment.objects.bulk_create(
        [
            Assignment(
                run=run,
                statement_id=s.id,
                contribution_id=int(s.contribution_id or 0),
                text=s.text,
                theme=themes.get(result.assignments.get(s.id) or ""),
                confidence=float(result.confidences.get(s.id, 0.0)),
                stance=result.stances.get(s.id, "other"),
            )
            for s in result.statements
        ],
        batch_size=2000,
    )
    run.warnings = list(result.warnings)
    run.stats = {
        **result.stats,
        "set_aside": {g.reason: g.size for g in result.set_aside},
    }
    run.options = {**run.options, **{"used": result.options}}
    run.run_count += 1
    run.save(update_fields=["warnings", "stats", "options", "run_count"])
    edits = list(run.edits.all())
    for edit in edits:
        _replay(run, edit)
    if edits:
        for theme in run.themes.all():
            refresh_theme(theme)


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


# --- a coordinator's edits ----------------------------------------------------------------


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


def _check_editable(run: SynthesisRun) -> None:
    if run.status != RunStatus.DONE:
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
        f"Split {len(chosen)} statements from “{theme.label}” into “{label}”",
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
    moved = rows.update(theme=to, moved_by_hand=True)
    for theme in Theme.objects.filter(pk__in=[s for s in sources if s] + ([to.pk] if to else [])):
        refresh_theme(theme)
    target = to.label if to else _("no theme")
    _record(run, actor, EditKind.MOVE, payload, f"Moved {moved} statements to “{target}”")
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


def _replay(run: SynthesisRun, edit: ThemeEdit) -> None:
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
            theme=to, moved_by_hand=True
        )


def latest_run_for_event(event: Event) -> SynthesisRun | None:
    return (
        SynthesisRun.objects.filter(event=event, status=RunStatus.DONE)
        .order_by("-finished_at", "-pk")
        .first()
    )
