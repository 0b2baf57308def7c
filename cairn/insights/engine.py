"""The one place where Cairn calls the Django-free `cairn.synthesis` library.

Everything else in the web app speaks plain dicts (the library's output
contract), so the library can change behind this function without touching
views, tasks or reports.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class StatementIn:
    id: str
    text: str
    contribution_id: int
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class GivenTheme:
    id: str
    label: str
    description: str = ""


def run_synthesis(
    statements: list[StatementIn],
    *,
    themes: list[GivenTheme] | None = None,
    options: dict[str, Any] | None = None,
    progress: Callable[[str, float], None] | None = None,
) -> dict[str, Any]:
    """Synthesise statements; return the library's result dict plus each statement's text.

    Long contributions are split here (by the library) so that the caller can
    store the text of every statement the themes refer to.
    """
    from cairn.synthesis.pipeline import synthesize
    from cairn.synthesis.split import split_statements
    from cairn.synthesis.types import Options, Statement, ThemeSpec

    known = set(Options.__dataclass_fields__)
    opts = Options(**{k: v for k, v in (options or {}).items() if k in known})
    items = split_statements(
        [Statement(s.id, s.text, s.attributes, str(s.contribution_id)) for s in statements],
        opts.split_chars,
    )
    specs = [ThemeSpec(label=t.label, description=t.description, id=t.id) for t in themes or []]
    result = synthesize(items, opts, themes=specs or None, progress=progress)
    out = result.to_dict()
    out["statements"] = [
        {"id": s.id, "text": s.text, "contribution_id": int(s.contribution_id)} for s in items
    ]
    return out
