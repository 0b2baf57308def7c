"""Starting and running a synthesis: collect the scope's statements, run the engine as a
task, store the result, and fail the runs whose worker died."""

import logging
import time
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cairn.contributions.models import Contribution
from cairn.core import audit
from cairn.events.models import Event
from cairn.insights.engine import GivenTheme, StatementIn, run_synthesis, stage_in_plain_words
from cairn.insights.models import RunMode, RunStatus, SynthesisRun
from cairn.insights.scopes import parse_scope
from cairn.insights.services.errors import InsightsError
from cairn.insights.services.store import store_result
from cairn.jobs.services import beating_row, fail_stale

log = logging.getLogger(__name__)

DEFAULT_OPTIONS: dict[str, Any] = {"n_quotes": 6, "n_summary": 3}
ROOM_NOTES_IN_DESCRIPTION = 8


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

    The same synthesis (scope, mode, options) asked for again while one is still waiting
    or running is that one: a double click or a second coordinator does not queue the
    whole work twice. `inline` runs it here and now instead (the demo loader needs the
    result at once).
    """
    if event is None and not scope and not contribution_ids:
        raise InsightsError(_("Choose an event, a consultation or some contributions."))
    if mode == RunMode.GUIDED and (event is None or not event.breakout_themes.exists()):
        mode = RunMode.DISCOVER
    ids = sorted(set(contribution_ids or []))
    options = {**DEFAULT_OPTIONS, **(options or {})}
    with transaction.atomic():
        if event is not None:
            # Two starts for one event queue behind this lock (PostgreSQL; SQLite's
            # transactions are one at a time already), so the second sees the first.
            Event.objects.select_for_update().filter(pk=event.pk).first()
        waiting = next(
            (
                r
                for r in SynthesisRun.objects.filter(
                    event=event,
                    scope=scope,
                    mode=mode,
                    status__in=(RunStatus.QUEUED, RunStatus.RUNNING),
                )
                if r.contribution_ids == ids and r.options == options
            ),
            None,
        )
        if waiting is not None and not inline:
            return waiting
        run = SynthesisRun.objects.create(
            event=event,
            scope=scope,
            contribution_ids=ids,
            title=title or (event.title if event is not None else _("Synthesis")),
            mode=mode,
            options=options,
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
        # Only an ended run (done, failed, or failed when its worker stopped): a second
        # task beside a waiting or running one would do the same work twice.
        if locked.is_active:
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
    # Local: the task module imports execute_run from here to run it.
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

    with beating_row(SynthesisRun, run_id):
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
                stage=stage_in_plain_words(stage)[:200], progress=min(90, 10 + int(80 * fraction))
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
    """Mark failed the runs whose worker stopped beating, so they can be run again."""
    return fail_stale(
        SynthesisRun.objects.all(),
        running=RunStatus.RUNNING,
        failed=RunStatus.FAILED,
        error=_("The worker running this synthesis stopped before it finished."),
        now=now,
        stage="",
    )


def latest_run_for_event(event: Event) -> SynthesisRun | None:
    """The event's latest synthesis with themes, also while it is re-run or after a re-run
    failed: its last result is still there, and a report should not lose the event's lessons."""
    return (
        SynthesisRun.objects.with_result()
        .filter(event=event)
        .order_by("-finished_at", "-pk")
        .first()
    )
