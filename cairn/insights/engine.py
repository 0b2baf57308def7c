"""The one place where Cairn calls the Django-free `cairn.synthesis` library.

The library's typed :class:`~cairn.synthesis.types.Result` crosses this seam
as it is: `store_result` reads its attributes, not a dict by string keys, so a
renamed field fails loudly in a test instead of silently storing blanks.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from cairn.synthesis.types import Result


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
) -> "Result":
    """Synthesise statements; the result carries every statement as synthesised.

    The library splits long contributions once (``Result.statements`` holds the
    pieces with their ``contribution_id``), so the caller stores the very texts
    the themes refer to.
    """
    # Local: the library loads numpy, scikit-learn and the model; pages never need them.
    from cairn.synthesis.pipeline import synthesize
    from cairn.synthesis.types import Options, Statement, ThemeSpec

    known = set(Options.__dataclass_fields__)
    opts = Options(**{k: v for k, v in (options or {}).items() if k in known})
    items = [Statement(s.id, s.text, s.attributes, str(s.contribution_id)) for s in statements]
    specs = [ThemeSpec(label=t.label, description=t.description, id=t.id) for t in themes or []]
    return synthesize(items, opts, themes=specs or None, progress=progress)


# The library's stages as it reports its progress (`cairn.synthesis.pipeline`), as the run's
# page shows them: "Running: cluster" told a coordinator nothing.
_STAGE_WORDS = {
    "split": _("Splitting long contributions into statements"),
    "dedupe": _("Finding statements said more than once"),
    "language": _("Finding the language of each statement"),
    "noise": _("Setting aside greetings, thanks and empty lines"),
    "stance": _("Reading whether each statement is positive, a challenge or an idea"),
    "embed": _("Reading the meaning of each statement"),
    "cluster": _("Grouping statements into themes"),
    "refine": _("Joining themes that say the same and splitting two-sided ones"),
    "label": _("Naming the themes and choosing quotes"),
    "done": _("Themes found"),
}


def stage_in_plain_words(stage: str) -> str:
    """A stage the library reports, as words for the run's page; an unknown one as is."""
    return str(_STAGE_WORDS.get(stage, stage))


# The library's embedder names (`cairn.synthesis.embed`), as a coordinator reads them.
_METHOD_WORDS = {
    "static": _("the meaning of words (Cairn's built-in language model)"),
    "minilm": _("the meaning of sentences (the full MiniLM language model)"),
    "tfidf-char": _("shared wording"),
    "tfidf": _("shared words"),
}


def method_in_plain_words(embedder_name: str) -> str:
    """How a run's themes were found, for its page: `hybrid(static:minilm-static+tfidf-char)`
    reads "the meaning of words (...) and shared wording". An unknown name is shown as is."""
    name = embedder_name.strip()
    if name.startswith("hybrid(") and name.endswith(")"):
        parts = name[len("hybrid(") : -1].split("+")
    else:
        parts = [name]
    words = [_METHOD_WORDS.get(part.split(":", 1)[0]) for part in parts]
    if not name or not all(words):
        return name
    return str(_(" and ")).join(str(w) for w in words)
