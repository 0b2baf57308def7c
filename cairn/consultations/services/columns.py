"""Which column of a survey export is which: the guess, and the checks on a choice.

A column's target is one string: "" (ignored), ``q:<question pk>``, one of the
respondent's details (``email``, ``name``, ``sector``, ``submitted``), or ``new:<kind>``,
a question made from the column (its heading the wording, its values the choices) for a
draft that has no answers yet. The guess reads headings the way the members' import does
(`normalise_header`, the synonyms people use for email, name and sector) and tolerates
the wording of a form written before the consultation was: a question's text cut short,
punctuation added, a word or two changed.
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils.translation import gettext as _

from cairn.consultations.models import Consultation, ConsultationStatus, Question, QuestionKind
from cairn.members.import_fields import field_for_header, normalise_header

IGNORE = ""
DETAILS = ("email", "name", "sector", "submitted")
NEW_KINDS = (QuestionKind.OPEN, QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE)
# How alike a heading and a question's wording must be for the guess to match them
# (difflib's ratio, or the share of words they have in common): 0.8 takes "How supported
# did you feel" for "How well supported did you feel?" but not "What helped?" for
# "What hindered?" (0.75).
SIMILAR = 0.8
# A heading this long that begins a question's wording is that question cut short.
TRUNCATED_AT_LEAST = 15
# A column offered as a choice question: at most this many distinct values, this short,
# each given twice or more on average.
CHOICES_AT_MOST = 10
CHOICE_LENGTH = 60
QUESTION_LENGTH = 500  # Question.text

# The details' headings beyond what the members' import knows.
_DETAIL_HEADINGS = {
    "email": "email",
    "e mail": "email",
    "email address": "email",
    "name": "name",
    "full name": "name",
    "your name": "name",
    "sector": "sector",
    "organisation type": "sector",
    "type of organisation": "sector",
}
_MEMBER_FIELDS = {"email": "email", "full_name": "name", "sector": "sector"}
_NUMBERED = re.compile(r"^(?:q(?:uestion)?\s*)?(\d+)\s*[.):-]?\s+", re.IGNORECASE)
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)\s*$")
# A hint the form added to the question: "(tick all that apply)", "[1-5]".
_HINT = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def question_target(question: Question) -> str:
    return f"q:{question.pk}"


def new_target(kind: str) -> str:
    return f"new:{kind}"


def new_kind(target: str) -> str:
    """The kind of question a ``new:`` target makes, or ""."""
    kind = target[4:] if target.startswith("new:") else ""
    return kind if kind in NEW_KINDS else ""


def can_make_questions(consultation: Consultation) -> bool:
    """A draft nobody has answered yet may take new questions from a file."""
    return (
        consultation.status == ConsultationStatus.DRAFT
        and not consultation.responses.exclude(status="draft").exists()
    )


def _wording(text: str) -> str:
    """A heading or question as compared: no numbering, no ellipsis, no punctuation."""
    text = _ELLIPSIS.sub("", text.strip())
    return normalise_header(_HINT.sub(" ", _NUMBERED.sub("", text))) or normalise_header(text)


def similarity(heading: str, question: str) -> float:
    """1 for the same wording; near 1 for wording a little different; 0.95 for a
    heading the tool cut short."""
    a, b = _wording(heading), _wording(question)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if len(a) >= TRUNCATED_AT_LEAST and b.startswith(a):
        return 0.95
    words_a, words_b = set(a.split()), set(b.split())
    overlap = len(words_a & words_b) / len(words_a | words_b)
    return max(SequenceMatcher(None, a, b).ratio(), overlap)


def _detail(heading: str) -> str:
    """The respondent's detail a heading names, by the names the members' import knows too."""
    return _DETAIL_HEADINGS.get(normalise_header(heading)) or _MEMBER_FIELDS.get(
        field_for_header(heading), ""
    )


@dataclass
class Guess:
    targets: list[str]
    scores: dict[int, float] = field(default_factory=dict)  # column -> how alike, if fuzzy


def guess_columns(
    headers: list[str],
    questions: list[Question],
    *,
    submitted_headings: set[str] = frozenset(),
    tool_headings: set[str] = frozenset(),
    polis: bool = False,
) -> Guess:
    """Each column's target, each question and detail taken by one column at most.

    A heading with a question's number ("Q3", "3. What...") or its wording is that
    question; the other headings are matched to the question most like them, best
    pairs first, when they are alike enough (`SIMILAR`).
    """
    targets = [IGNORE] * len(headers)
    taken: set[str] = set()
    by_number = {q.number: q for q in questions}
    open_questions = [q for q in questions if q.kind == QuestionKind.OPEN]
    guess = Guess(targets)

    def take(index: int, target: str) -> None:
        targets[index] = target
        taken.add(target)

    left = []
    for index, header in enumerate(headers):
        lowered = header.strip().lower()
        if polis and lowered == "comment-body" and len(open_questions) == 1:
            take(index, question_target(open_questions[0]))
            continue
        # The number first, as the import always read it: "Q3", "3. What...", "3) ...".
        numbered = _NUMBERED.match(header.strip() + " ")
        exact = by_number.get(int(numbered.group(1))) if numbered else None
        if exact is None:
            exact = next((q for q in questions if _wording(q.text) == _wording(header)), None)
        if exact is not None and question_target(exact) not in taken:
            take(index, question_target(exact))
            continue
        detail = _detail(header)
        if lowered in submitted_headings and "submitted" not in taken:
            take(index, "submitted")
        elif detail and detail not in taken:
            take(index, detail)
        elif lowered not in tool_headings and lowered not in submitted_headings:
            left.append(index)
    pairs = sorted(
        (
            (similarity(headers[index], q.text), index, q)
            for index in left
            for q in questions
            if question_target(q) not in taken
        ),
        key=lambda pair: (-pair[0], pair[1], pair[2].position),
    )
    for score, index, question in pairs:
        target = question_target(question)
        if score < SIMILAR:
            break
        if targets[index] or target in taken:
            continue
        take(index, target)
        guess.scores[index] = score
    return guess


def suggest_kind(values: list[str]) -> str:
    """The kind of question a column's values look like: a scale for small whole
    numbers, a choice for a few short values given again and again (several choices
    when cells join them with ";"), open text otherwise."""
    cells = [v.strip() for v in values if v.strip()]
    if not cells:
        return QuestionKind.OPEN
    if all(c.isdigit() and int(c) <= 10 for c in cells) and len(set(cells)) > 1:
        return QuestionKind.SCALE
    several = any(";" in c for c in cells)
    parts = [p.strip() for c in cells for p in (c.split(";") if several else [c]) if p.strip()]
    distinct = {p.lower() for p in parts}
    if (
        2 <= len(distinct) <= CHOICES_AT_MOST
        and all(len(p) <= CHOICE_LENGTH and "\n" not in p for p in parts)
        and len(parts) >= 2 * len(distinct)
    ):
        return QuestionKind.MULTIPLE if several else QuestionKind.SINGLE
    return QuestionKind.OPEN


@dataclass
class NewQuestion:
    """A question to make from a column, checked before anything is written."""

    kind: str
    text: str
    choices: list[str] = field(default_factory=list)
    scale_min: int = 1
    scale_max: int = 5

    @property
    def choices_text(self) -> str:
        return "\n".join(self.choices)


def question_wording(heading: str) -> str:
    """A new question's wording as first offered: the heading, less the "..." a tool
    added where it cut it short (the coordinator finishes the sentence)."""
    return _ELLIPSIS.sub("", heading.strip())[:QUESTION_LENGTH].strip()


def new_question(kind: str, heading: str, values: list[str], wording: str = "") -> NewQuestion:
    """The question a column becomes: the wording given (the heading without one), and
    for a choice its distinct values (a cell's parts for several choices) in the order
    first given."""
    text = wording.strip()[:QUESTION_LENGTH] or question_wording(heading)
    made = NewQuestion(kind=kind, text=text)
    cells = [v.strip() for v in values if v.strip()]
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        seen: dict[str, str] = {}
        for cell in cells:
            parts = cell.split(";") if kind == QuestionKind.MULTIPLE else [cell]
            for part in parts:
                # Choices are told apart as the import reads them: case and spacing aside.
                seen.setdefault(normalise_header(part), part.strip())
        made.choices = [c for key, c in seen.items() if key]
    elif kind == QuestionKind.SCALE:
        numbers = [int(c) for c in cells if c.isdigit()]
        made.scale_min = 0 if numbers and min(numbers) == 0 else 1
        made.scale_max = max(5, *numbers) if numbers else 5
    return made


class ColumnProblem(str):
    """A problem with the choice for one column: the page shows it beside that column."""

    column: int | None = None

    @classmethod
    def at(cls, column: int | None, message: str) -> "ColumnProblem":
        problem = cls(message)
        problem.column = column
        return problem


def mapping_problems(
    headers: list[str],
    targets: list[str],
    questions: list[Question],
    *,
    new_allowed: bool,
) -> list[str]:
    """What stops an import with these targets: a target chosen twice, a question gone,
    new questions where they cannot be made, no question at all. Each problem with one
    column says which (`ColumnProblem.column`)."""
    problems: list[str] = []
    if len(targets) != len(headers):
        return [_("The file's columns have changed; match them again.")]
    by_target = {question_target(q): q for q in questions}
    labels = {
        "email": _("Email"),
        "name": _("Name"),
        "sector": _("Sector"),
        "submitted": _("Time sent"),
    }
    first: dict[str, str] = {}
    for index, (header, target) in enumerate(zip(headers, targets, strict=True)):
        if not target:
            continue
        if new_kind(target):
            if not new_allowed:
                problems.append(
                    ColumnProblem.at(
                        index,
                        _(
                            "Column “%(h)s” cannot become a new question: questions are made "
                            "from a file only while the consultation is a draft nobody has answered."
                        )
                        % {"h": header},
                    )
                )
            continue
        if target not in by_target and target not in labels:
            problems.append(
                ColumnProblem.at(
                    index,
                    _("Column “%(h)s” is matched to a question that is no longer there.")
                    % {"h": header},
                )
            )
            continue
        if target in first:
            question = by_target.get(target)
            what = f"Q{question.number}" if question else labels[target]
            problems.append(
                ColumnProblem.at(
                    index,
                    _("Columns “%(a)s” and “%(b)s” are both matched to %(what)s: choose one.")
                    % {"a": first[target], "b": header, "what": what},
                )
            )
        first.setdefault(target, header)
    if not any(t in by_target or new_kind(t) for t in targets):
        problems.append(
            _("No column is matched to a question: choose a question for a column of answers.")
        )
    return problems


def unmatched_required(targets: list[str], questions: list[Question]) -> list[Question]:
    """Required questions no column answers: the responses imported will leave them empty."""
    chosen = set(targets)
    return [q for q in questions if q.required and question_target(q) not in chosen]
