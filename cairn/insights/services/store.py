"""Storing a synthesis result: the run's themes and assignments, replaced whole, then the
coordinator's edits replayed on them."""

from typing import TYPE_CHECKING, Any

from django.db import transaction

from cairn.insights.models import Assignment, SynthesisRun, Theme, ThemeOrigin
from cairn.insights.services.edits import refresh_theme, replay

if TYPE_CHECKING:
    from cairn.synthesis.types import Result


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
    aside = {i: g.reason for g in result.set_aside for i in g.statement_ids}
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
                set_aside=aside.get(s.id, ""),
            )
            for s in result.statements
        ],
        batch_size=2000,
    )
    run.warnings = list(result.warnings)
    run.stats = {
        **result.stats,
        "set_aside": {g.reason: g.size for g in result.set_aside},
        "set_aside_on_rows": True,  # runs stored before kept only the counts above
    }
    run.options = {**run.options, **{"used": result.options}}
    run.run_count += 1
    run.save(update_fields=["warnings", "stats", "options", "run_count"])
    edits = list(run.edits.all())
    for edit in edits:
        replay(run, edit)
    if edits:
        for theme in run.themes.all():
            refresh_theme(theme)
