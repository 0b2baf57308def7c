"""Typed inputs and outputs of the synthesis pipeline.

Plain dataclasses (no pydantic) keep the library light; ``Result.to_dict``
follows the output contract of issue 5 exactly and adds a few extra fields.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Stance = Literal["positive", "challenge", "idea", "question", "other"]
STANCES: tuple[str, ...] = ("positive", "challenge", "idea", "question", "other")


@dataclass(frozen=True)
class Statement:
    """One thing somebody said; long contributions become several statements."""

    id: str
    text: str
    attributes: dict[str, str] = field(default_factory=dict)
    contribution_id: str | None = None


@dataclass(frozen=True)
class ThemeSpec:
    """A theme given in guided mode, e.g. one of an event's breakout themes."""

    label: str
    description: str = ""
    id: str | None = None


@dataclass
class Options:
    """Everything that changes the output; recorded in the result for traceability."""

    embedder: str = "auto"  # auto | hybrid | minilm-hybrid | static | tfidf | tfidf-char | minilm
    seed: int = 0
    min_theme_size: int = 0  # 0: chosen from the number of statements
    max_themes: int = 40
    split_chars: int = 1000  # texts longer than this are split into statements
    dedupe: bool = True
    n_keyphrases: int = 5
    n_quotes: int = 3
    n_summary: int = 3
    guided_threshold: float = 0.0  # 0: the embedder's own default
    set_aside_noise: bool = True  # greetings, thanks, junk, "nothing" in groups of their own
    refine: bool = True  # merge near-synonym themes, split themes that argue both ways
    labels: str = "claims"  # claims | keyphrases (the labeller before claims)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Theme:
    id: str
    label: str  # a claim of 4-12 words from the theme's statements (or the given label)
    keyphrases: list[str]
    headline: str  # the most central statement, at most 25 words
    summary: list[str]  # one or two sentences, at most 40 words in all
    quotes: list[dict[str, str]]
    size: int
    counts: dict[str, dict[str, int]]
    statement_ids: list[str]
    description: str = ""
    guided: bool = False
    stances: dict[str, int] = field(default_factory=dict)
    # The statements the headline and each summary sentence came from.
    headline_id: str = ""
    summary_ids: list[str] = field(default_factory=list)
    # "positive" or "challenge" when the theme is one side of a split argument.
    side: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SetAside:
    """Lines that say nothing about the subject, by reason, counted (``noise.py``)."""

    reason: str  # nothing | greeting | thanks | logistics | junk
    label: str
    size: int
    statement_ids: list[str]
    examples: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Result:
    themes: list[Theme]
    assignments: dict[str, str | None]
    confidences: dict[str, float]
    stances: dict[str, str]
    unassigned: list[str]
    duplicates: list[dict[str, Any]]
    languages: dict[str, int]
    warnings: list[str]
    options: dict[str, Any]
    stats: dict[str, Any] = field(default_factory=dict)
    # Input id -> the theme most of its statements went to: a long contribution
    # split into "<id>#1", "<id>#2"... still answers under its own id.
    contributions: dict[str, str | None] = field(default_factory=dict)
    set_aside: list[SetAside] = field(default_factory=list)
    # The statements as synthesised (long texts split into "<id>#1", ...), so a
    # caller stores the very texts the themes refer to without splitting again.
    statements: list[Statement] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "themes": [t.to_dict() for t in self.themes],
            "assignments": dict(self.assignments),
            "confidences": dict(self.confidences),
            "stances": dict(self.stances),
            "unassigned": list(self.unassigned),
            "duplicates": list(self.duplicates),
            "languages": dict(self.languages),
            "warnings": list(self.warnings),
            "options": dict(self.options),
            "stats": dict(self.stats),
            "contributions": dict(self.contributions),
            "set_aside": [g.to_dict() for g in self.set_aside],
        }
