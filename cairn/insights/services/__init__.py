"""Writes for syntheses, by feature: `runs` (start, run, re-run, fail stale runs),
`store` (a result into themes and assignments), `edits` (a coordinator's changes to
themes, replayed after every re-run). Everything public is importable from here."""

from cairn.insights.services.edits import (
    merge_themes,
    move_statements,
    refresh_theme,
    rename_theme,
    split_theme,
)
from cairn.insights.services.errors import InsightsError
from cairn.insights.services.runs import (
    DEFAULT_OPTIONS,
    execute_run,
    fail_stale_runs,
    latest_run_for_event,
    rerun_synthesis,
    scope_contributions,
    start_synthesis,
)
from cairn.insights.services.store import store_result

__all__ = [
    "DEFAULT_OPTIONS",
    "InsightsError",
    "execute_run",
    "fail_stale_runs",
    "latest_run_for_event",
    "merge_themes",
    "move_statements",
    "refresh_theme",
    "rename_theme",
    "rerun_synthesis",
    "scope_contributions",
    "split_theme",
    "start_synthesis",
    "store_result",
]
