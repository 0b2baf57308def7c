"""Responses exported by another survey tool: Google Forms, Microsoft Forms (.xlsx or CSV),
SurveyMonkey (two header rows), Typeform, or any CSV/XLSX with one row per response.

Columns are matched to questions by their wording (or "Q1", "Q2"...); choice cells hold the
choice wording, several separated by ";" or ","; scale cells hold the number. An optional
"Email" column links a row to a member and "Name"/"Sector" columns describe anyone else.
The time each tool records a response was sent (Google's Timestamp, Microsoft's Completion
time, Typeform's Submit Date (UTC), SurveyMonkey's End Date) becomes ``submitted_at``.
SurveyMonkey's second header row (Response / option names) is folded into the first, and a
multiple-choice question spread over one column per option is read as one answer.
The import is all or nothing: one bad row and nothing is written, with every problem listed;
``dry_run`` checks everything and writes nothing.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import timezone as dt_timezone
from typing import Any

from django.db import transaction
from django.utils import timezone

from cairn.consultations.models import (
    Answer,
    Consultation,
    Question,
    QuestionKind,
    Response,
    ResponseChannel,
    ResponseStatus,
)
from cairn.consultations.services.answering import AnswerErrors, clean_answers
from cairn.contributions.services import record_contributions
from cairn.core import audit
from cairn.lib.bulk import insert_many, insert_returning_pks
from cairn.members.models import Person, Sector
from cairn.members.tabular import UnreadableFile, read_table

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
    tool: str = ""  # the survey tool recognised from the headers
    would_import: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFailed(ValueError):
    def __init__(self, report: ImportReport):
        super().__init__("; ".join(report.errors[:5]))
        self.report = report


def _norm(text: str) -> str:
    return re.sub(r"[\s?:.*]+", " ", text).strip().lower()


# When the tool says the response was sent: (normalised header, tool, times are UTC).
SUBMITTED_COLUMNS = {
    "timestamp": ("Google Forms", False),
    "completion time": ("Microsoft Forms", False),
    "submit date (utc)": ("Typeform", True),
    "submitted at": ("Typeform", True),
    "end date": ("SurveyMonkey", False),
}
# Bookkeeping columns the tools add, never answers.
TOOL_COLUMNS = {
    "respondent id",
    "collector id",
    "start date",
    "ip address",
    "custom data 1",
    "id",
    "start time",
    "last modified time",
    "total points",
    "quiz feedback",
    "#",
    "start date (utc)",
    "network id",
    "tags",
}
SURVEYMONKEY_SUBHEADERS = {"response", "open-ended response", "other (please specify)"}
_GMT = re.compile(r"\s*(?:GMT|UTC)\s*([+-]\d{1,2})?(?::?(\d{2}))?\s*$", re.IGNORECASE)
_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d",
]


def _fold_surveymonkey(headers: list[str], rows: list[list[str]]) -> tuple[list[str], list]:
    """SurveyMonkey writes the question on row 1 and Response/option names on row 2,
    one column per option for "select all that apply". Give back one header per
    question and each row's cells for it joined (options by ";")."""
    sub = rows[0][1]
    groups: list[tuple[str, list[int]]] = []
    for index, header in enumerate(headers):
        # tabular names a blank header cell "Column N" (its position, from 1).
        blank = not header.strip() or header == f"Column {index + 1}"
        if not blank or not groups:
            groups.append((header, [index]))
        else:
            groups[-1][1].append(index)
    width = max(len(cells) for _, cells in rows)
    if groups:  # blank header cells at the end were trimmed; they belong to the last question
        groups[-1][1].extend(range(len(headers), width))
    folded_rows = []
    for line, cells in rows[1:]:
        folded = []
        for _header, indexes in groups:
            parts = [
                cells[i].strip()
                for i in indexes
                if i < len(cells)
                and cells[i].strip()
                and (i >= len(sub) or sub[i].strip().lower() != "other (please specify)")
            ]
            folded.append(";".join(parts) if len(indexes) > 1 else (parts[0] if parts else ""))
        folded_rows.append((line, folded))
    return [header for header, _ in groups], folded_rows


def _is_surveymonkey_subheader(cells: list[str]) -> bool:
    return any(c.strip().lower() in SURVEYMONKEY_SUBHEADERS for c in cells)


def _split_time(cell: str) -> tuple[str, dt_timezone | None]:
    match = _GMT.search(cell)
    if not match:
        return cell.strip(), None
    hours = int(match.group(1) or 0)
    minutes = int(match.group(2) or 0) * (1 if hours >= 0 else -1)
    return cell[: match.start()].strip(), dt_timezone(timedelta(hours=hours, minutes=minutes))


def _day_first(cells: list[str]) -> bool | None:
    """For d/m/y or m/d/y times, which it is, from any part above 12; None if no sign."""
    for cell in cells:
        match = re.match(r"^(\d{1,2})/(\d{1,2})/\d{2,4}", cell.strip())
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            if first > 12:
                return True
            if second > 12:
                return False
    return None


def parse_submitted(cell: str, *, utc: bool, day_first: bool) -> datetime:
    """A tool's response time as an aware datetime; ValueError if it cannot be read."""
    text, zone = _split_time(cell)
    parsed = None
    for fmt in _FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
            break
        except ValueError:
            continue
    if parsed is None:
        match = re.match(
            r"^(\d{1,2})/(\d{1,2})/(\d{2,4})(?:[ ,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$",
            text,
        )
        if not match:
            raise ValueError(f"“{cell}” is not a date and time we can read.")
        a, b, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        day, month = (a, b) if day_first else (b, a)
        year += 2000 if year < 100 else 0
        hour, minute, second = (int(match.group(i) or 0) for i in (4, 5, 6))
        if match.group(7):
            hour = hour % 12 + (12 if match.group(7).lower() == "pm" else 0)
        parsed = datetime(year, month, day, hour, minute, second)
    if zone is not None:
        return parsed.replace(tzinfo=zone)
    if utc:
        return parsed.replace(tzinfo=UTC)
    return timezone.make_aware(parsed)


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
        elif header.strip().lower() in SUBMITTED_COLUMNS and "submitted" not in columns.values():
            columns[index] = "submitted"
            report.tool = report.tool or SUBMITTED_COLUMNS[header.strip().lower()][0]
        else:
            report.ignored_columns.append(header)
    return columns


def _choice_numbers(
    question: Question, cell: str, options: dict[str, int] | None = None
) -> list[str]:
    """Choice wording back to the 1-based numbers the answer checks expect.
    ``options``: normalised wording to number, made once per question by the caller."""
    if question.kind == QuestionKind.SCALE:
        return [cell]
    if options is None:
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


def _sectors() -> dict[str, str]:
    """Normalised sector value or label to the value, made once per import."""
    found = {}
    for value, label in Sector.choices:
        found[_norm(str(label))] = value
        found[_norm(value)] = value
    return found


def _sector(cell: str, sectors: dict[str, str] | None = None) -> str:
    wanted = _norm(cell)
    value = (sectors if sectors is not None else _sectors()).get(wanted)
    if value is None:
        raise ValueError(f"“{cell}” is not a sector this network knows.")
    return value


def _read_rows(data: bytes, filename: str, report: ImportReport) -> tuple[list[str], list]:
    try:
        table = read_table(data, filename)
        rows = list(table.rows())
    except UnreadableFile as exc:
        report.errors.append(str(exc))
        raise ImportFailed(report) from exc
    if table.encoding and table.encoding not in ("utf-8", "utf-8-sig", "ascii"):
        name = table.encoding.replace("windows-", "Windows-").replace("cp1252", "Windows-1252")
        why = " (Excel's default)" if name == "Windows-1252" else ""
        report.notes.append(f"The file is not UTF-8; it was read as {name}{why}.")
    headers = table.headers
    if rows and _is_surveymonkey_subheader(rows[0][1]):
        report.tool = "SurveyMonkey"
        headers, rows = _fold_surveymonkey(headers, rows)
    return headers, rows


def import_responses(
    consultation: Consultation,
    data: bytes,
    *,
    filename: str,
    actor: Any,
    dry_run: bool = False,
) -> ImportReport:
    report = ImportReport(filename=filename, dry_run=dry_run)
    if len(data) > MAX_BYTES:
        report.errors.append(f"The file is {len(data) // 1024 // 1024} MB; the limit is 20 MB.")
        raise ImportFailed(report)
    digest = hashlib.sha256(data).hexdigest()[:16]
    if Response.objects.filter(
        consultation=consultation, source__startswith=f"import:{digest}"
    ).exists():
        report.errors.append("This exact file was imported into this consultation before.")
        raise ImportFailed(report)
    headers, rows = _read_rows(data, filename, report)
    if not headers or not any(cell.strip() for cell in headers):
        report.errors.append("The file is empty: expected a header row and one row per response.")
        raise ImportFailed(report)
    questions = list(consultation.questions.all())
    columns = _match_columns(headers, questions, report)
    report.ignored_columns = [
        h for h in report.ignored_columns if h.strip().lower() not in TOOL_COLUMNS
    ] + [h for h in report.ignored_columns if h.strip().lower() in TOOL_COLUMNS]
    if not any(isinstance(c, Question) for c in columns.values()):
        report.errors.append(
            "No column matches a question. Column headings must be the question wording or Q1, Q2..."
        )
        raise ImportFailed(report)
    submitted_at = next((i for i, c in columns.items() if c == "submitted"), None)
    utc = submitted_at is not None and SUBMITTED_COLUMNS[headers[submitted_at].strip().lower()][1]
    day_first = True
    if submitted_at is not None:
        sign = _day_first([cells[submitted_at] for _, cells in rows if submitted_at < len(cells)])
        if sign is None:
            sign = True
            if any(
                submitted_at < len(c) and re.match(r"^\d{1,2}/\d{1,2}/", c[submitted_at])
                for _, c in rows[:1]
            ):
                report.notes.append(
                    "The dates could be day/month or month/day; they were read as day/month."
                )
        day_first = sign
    people = {
        p.email.lower(): p for p in Person.objects.exclude(email="").select_related("organisation")
    }
    choice_maps = {
        q.pk: {_norm(o): i for i, o in enumerate(q.choices, start=1)}
        for q in questions
        if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
    }
    sectors = _sectors()
    # Everything is checked and prepared here, before the write transaction, so the write
    # itself is a few bulk inserts and holds the database for as short a time as it can.
    prepared = []
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        report.rows += 1
        if len(row) > len(headers) and any(c.strip() for c in row[len(headers) :]):
            report.errors.append(f"Row {line}: more cells than headings.")
            continue
        raw: dict[int, list[str]] = {}
        meta: dict[str, Any] = {"email": "", "name": "", "sector": "", "submitted": None}
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
                        else _choice_numbers(target, cell, choice_maps.get(target.pk))
                    )
                elif target == "sector":
                    meta["sector"] = _sector(cell, sectors)
                elif target == "submitted":
                    meta["submitted"] = parse_submitted(cell, utc=utc, day_first=day_first)
                elif cell.lower() != "anonymous":  # Microsoft Forms' anonymous respondents
                    meta[target] = cell
            except ValueError as exc:
                problems.append(str(exc))
        try:
            cleaned = clean_answers(consultation, raw, require=False, questions=questions)
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
    report.would_import = len(prepared)
    if dry_run:
        return report
    _write_all(consultation, questions, prepared, digest=digest, filename=filename, actor=actor)
    report.imported = len(prepared)
    audit.record(
        actor,
        "consultation.responses_imported",
        consultation,
        f"{report.imported} responses from {filename}",
        tool=report.tool,
    )
    return report


@transaction.atomic
def _write_all(
    consultation: Consultation,
    questions: list[Question],
    prepared: list,
    *,
    digest: str,
    filename: str,
    actor: Any,
) -> None:
    """The checked rows in bulk: responses, then the contributions their open answers
    become, then the answers pointing at both. All or nothing."""
    now = timezone.now()
    entered_by = actor if getattr(actor, "is_authenticated", False) else None
    responses = [
        {
            "consultation_id": consultation.pk,
            "person_id": person.pk if person else None,
            "respondent_name": "" if person else meta["name"][:200],
            "sector": person.effective_sector if person else meta["sector"],
            "channel": ResponseChannel.IMPORT,
            "status": ResponseStatus.SUBMITTED,
            "entered_by_id": entered_by.pk if entered_by else None,
            "source": f"import:{digest}:{filename}:row {line}"[:200],
            "submitted_at": meta["submitted"] or now,
        }
        for line, _cleaned, person, meta in prepared
    ]
    response_pks = insert_returning_pks(Response, responses)
    numbers = {q.pk: q.number for q in questions if q.kind == QuestionKind.OPEN}
    channel = ResponseChannel(ResponseChannel.IMPORT).contribution_channel
    source = f"Consultation: {consultation.title}"
    answers, contributions = [], []
    for response_pk, response, (_line, cleaned, person, meta) in zip(
        response_pks, responses, prepared, strict=True
    ):
        for question_id, (text, selected) in cleaned.items():
            if not text and not selected:
                continue
            answer = {"response_id": response_pk, "question_id": question_id}
            answer |= {"text": text, "selected": selected, "contribution": None}
            if question_id in numbers:  # an open question: its answer joins the ledger
                answer["contribution"] = len(contributions)
                contributions.append(
                    {
                        "text": text,
                        "channel": channel,
                        "author": person,
                        "author_name": "" if person else response["respondent_name"].strip(),
                        # Without a person, the sector the respondent gave.
                        "author_sector": person.effective_sector if person else response["sector"],
                        "consent_to_quote": False,
                        "consent_to_name": False,
                        "source": source,
                        # Response.reference of a response without a paper form.
                        "source_ref": f"R{response_pk} Q{numbers[question_id]}",
                        "said_at": meta["submitted"],
                    }
                )
            answers.append(answer)
    contribution_pks = record_contributions(contributions, entered_by=actor)
    for answer in answers:
        index = answer.pop("contribution")
        answer["contribution_id"] = contribution_pks[index] if index is not None else None
    # Thousands of answers whose pks nothing needs: one executemany.
    insert_many(Answer, answers)
