"""Responses exported by another survey tool (Google Forms, Microsoft Forms, SurveyMonkey...).

Columns are matched to questions by their wording (or "Q1", "Q2"...); choice cells hold the
choice wording, several separated by ";" or ","; scale cells hold the number. An optional
"Email" column links a row to a member and "Name"/"Sector" columns describe anyone else.
The import is all or nothing: one bad row and nothing is written, with every problem listed.
"""

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from cairn.consultations.models import (
    Consultation,
    Question,
    QuestionKind,
    Response,
    ResponseChannel,
)
from cairn.consultations.services.answering import (
    AnswerErrors,
    _finish,
    _write,
    clean_answers,
)
from cairn.core import audit
from cairn.members.models import Person, Sector

MAX_BYTES = 20 * 1024 * 1024


@dataclass
class ImportReport:
    filename: str
    rows: int = 0
    imported: int = 0
    matched_columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFailed(ValueError):
    def __init__(self, report: ImportReport):
        super().__init__("; ".join(report.errors[:5]))
        self.report = report


def _norm(text: str) -> str:
    return re.sub(r"[\s?:.*]+", " ", text).strip().lower()


def _decode(data: bytes, report: ImportReport) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.notes.append("The file is not UTF-8; it was read as Windows-1252 (Excel's default).")
        return data.decode("cp1252", errors="replace")


def _match_columns(headers: list[str], questions: list[Question], report: ImportReport) -> dict:
    by_text = {_norm(q.text): q for q in questions}
    by_number = {f"q{q.number}": q for q in questions}
    columns: dict[int, Any] = {}
    for index, header in enumerate(headers):
        key = _norm(header)
        numbered = re.match(r"^(q?\d+)[ .)]", key + " ")
        question = by_text.get(key)
        if question is None and numbered:
            label = numbered.group(1)
            question = by_number.get(label if label.startswith("q") else f"q{label}")
        if question is None:
            question = by_text.get(re.sub(r"^q?\d+[ .)]+", "", key))
        if question is not None:
            columns[index] = question
            report.matched_columns[header] = f"Q{question.number}"
        elif key in ("email", "email address", "e-mail"):
            columns[index] = "email"
        elif key in ("name", "full name", "your name"):
            columns[index] = "name"
        elif key in ("sector", "organisation type", "type of organisation"):
            columns[index] = "sector"
        else:
            report.ignored_columns.append(header)
    return columns


def _choice_numbers(question: Question, cell: str) -> list[str]:
    """Choice wording back to the 1-based numbers the answer checks expect."""
    if question.kind == QuestionKind.SCALE:
        return [cell]
    options = {_norm(o): i for i, o in enumerate(question.choices, start=1)}
    if _norm(cell) in options:
        return [str(options[_norm(cell)])]
    numbers = []
    for part in re.split(r"[;,]", cell):
        if not part.strip():
            continue
        if _norm(part) not in options:
            raise ValueError(f"“{part.strip()}” is not one of the choices of Q{question.number}.")
        numbers.append(str(options[_norm(part)]))
    return numbers


def _sector(cell: str) -> str:
    wanted = _norm(cell)
    for value, label in Sector.choices:
        if wanted in (_norm(value), _norm(str(label))):
            return value
    raise ValueError(f"“{cell}” is not a sector this network knows.")


def import_responses(
    consultation: Consultation, data: bytes, *, filename: str, actor: Any
) -> ImportReport:
    report = ImportReport(filename=filename)
    if len(data) > MAX_BYTES:
        report.errors.append(f"The file is {len(data) // 1024 // 1024} MB; the limit is 20 MB.")
        raise ImportFailed(report)
    digest = hashlib.sha256(data).hexdigest()[:16]
    if Response.objects.filter(
        consultation=consultation, source__startswith=f"import:{digest}"
    ).exists():
        report.errors.append("This exact file was imported into this consultation before.")
        raise ImportFailed(report)
    text = _decode(data, report)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        report.errors.append(f"The file is not a readable CSV: {exc}.")
        raise ImportFailed(report) from exc
    if not rows or not any(cell.strip() for cell in rows[0]):
        report.errors.append("The file is empty: expected a header row and one row per response.")
        raise ImportFailed(report)
    questions = list(consultation.questions.all())
    columns = _match_columns(rows[0], questions, report)
    if not any(isinstance(c, Question) for c in columns.values()):
        report.errors.append(
            "No column matches a question. Column headings must be the question wording or Q1, Q2..."
        )
        raise ImportFailed(report)
    people = {p.email.lower(): p for p in Person.objects.exclude(email="")}
    prepared = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        report.rows += 1
        if len(row) > len(rows[0]):
            report.errors.append(f"Row {line}: more cells than headings.")
            continue
        raw: dict[int, list[str]] = {}
        meta = {"email": "", "name": "", "sector": ""}
        problems = []
        for index, cell in enumerate(row):
            target = columns.get(index)
            cell = cell.strip()
            if target is None or not cell:
                continue
            try:
                if isinstance(target, Question):
                    raw[target.pk] = (
                        [cell]
                        if target.kind == QuestionKind.OPEN
                        else _choice_numbers(target, cell)
                    )
                elif target == "sector":
                    meta["sector"] = _sector(cell)
                else:
                    meta[target] = cell
            except ValueError as exc:
                problems.append(str(exc))
        try:
            cleaned = clean_answers(consultation, raw, require=False)
        except AnswerErrors as exc:
            problems += list(exc.errors.values())
            cleaned = {}
        if not problems and not any(t or s for t, s in cleaned.values()):
            problems.append("no answers in this row.")
        person = people.get(meta["email"].lower()) if meta["email"] else None
        if problems:
            report.errors += [f"Row {line}: {p}" for p in problems]
        else:
            prepared.append((line, cleaned, person, meta))
    if report.errors:
        raise ImportFailed(report)
    with transaction.atomic():
        for line, cleaned, person, meta in prepared:
            response = Response.objects.create(
                consultation=consultation,
                person=person,
                respondent_name="" if person else meta["name"][:200],
                sector=person.effective_sector if person else meta["sector"],
                channel=ResponseChannel.IMPORT,
                entered_by=actor if getattr(actor, "is_authenticated", False) else None,
                source=f"import:{digest}:{filename}:row {line}"[:200],
                submitted_at=timezone.now(),
            )
            _write(response, cleaned)
            _finish(response, partial=False)
            report.imported += 1
        audit.record(
            actor,
            "consultation.responses_imported",
            consultation,
            f"{report.imported} responses from {filename}",
        )
    return report
