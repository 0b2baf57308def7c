"""Django-free synthesis: statements in, themes out.

Public entry points: :func:`synthesize` and the typed results in :mod:`.types`.
This package must never import Django, so the web app, the CLI and the
benchmarks all run the same code. Names are imported lazily so that
``import cairn.synthesis.cli`` stays cheap for ``--help`` and error paths.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Options", "Result", "Statement", "Theme", "ThemeSpec", "synthesize"]


def __getattr__(name: str) -> Any:
    if name == "synthesize":
        from cairn.synthesis.pipeline import synthesize

        return synthesize
    if name in {"Options", "Result", "Statement", "Theme", "ThemeSpec"}:
        from cairn.synthesis import types

        return getattr(types, name)
    raise AttributeError(name)
