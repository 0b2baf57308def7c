"""Responses exported by another survey tool: Google Forms, Microsoft Forms (.xlsx or CSV),
SurveyMonkey (two header rows), Typeform, or any CSV/XLSX with one row per response.

On the web the file is kept (`keep_upload`) and its columns shown to the coordinator, who
says what each holds (`columns`: filled with the guess) before the import runs
(`start_import`); the command line imports with the guess. The guess matches columns to
questions by their wording, a little different or cut short too, or "Q1", "Q2"...; a draft
nobody has answered may take new questions from the columns. Choice cells hold the
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
import math
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import timezone as dt_timezone
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cairn.consultations.models import (
    Answer,
    Consultation,
    ImportStatus,
    Question,
    QuestionKind,
    Response,
    ResponseChannel,
    ResponseImport,
    ResponseStatus,
)
from cairn.consultations.services import building
from cairn.consultations.services import columns as matching
from cairn.consultations.services.answering import clean_answer
from cairn.contributions.services import record_contributions
from cairn.core import audit, retention
from cairn.jobs.models import JobStatus
from cairn.jobs.services import start_job
from cairn.jobs.services.uploads import run_kept_upload
from cairn.lib import storage
from cairn.lib.bulk import insert_many, insert_returning_pks, paused_gc
from cairn.lib.decoding import encoding_label
from cairn.members.models import Person, Sector
from cairn.members.tabular import UnreadableFile, read_table

MAX_BYTES = 20 * 1024 * 1024
# Files above this size (about 1,300 rows of a survey export) are imported by a worker
# while the page shows the progress, as member imports are.
BACKGROUND_BYTES = 256 * 1024
PROGRESS_EVERY = 2000  # rows checked between two progress reports
# A queued import keeps this many of its problems for its page (each row's, in order).
MAX_KEPT_ERRORS = 1000


def too_large(size: int) -> str:
    """The size limit, named; the size rounded up so 20 MB and a byte is not "20 MB"."""
    shown = math.ceil(size * 10 / 2**20) / 10
    return f"The file is {shown:,.1f} MB; the limit is {MAX_BYTES // 2**20} MB."


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

    error_count: int = 0  # all the problems, where `errors` keeps only the first ones

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors_left_out(self) -> int:
        return max(0, self.error_count - len(self.errors))

    def as_dict(self) -> dict[str, Any]:
        kept = asdict(self)
        kept["error_count"] = max(self.error_count, len(self.errors))
        kept["errors"] = self.errors[:MAX_KEPT_ERRORS]
        return kept

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ImportReport":
        return cls(**data)


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
    # Pol.is: the comment's number, author, votes, moderation and a second clock.
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "datetime",
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


# The forms the tools write most (Google's "2024/03/01 14:05:09", ISO with a space or a
# T), read without strptime, which costs ten times as much and is tried format by format.
_YMD_HMS = re.compile(r"(\d{4})([-/])(\d{2})\2(\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_EPOCH = re.compile(r"\d{10}(?:\d{3})?")
# A Pol.is conversation's comments.csv: its comments are the answers to one open question.
POLIS_COLUMNS = {"comment-id", "comment-body", "author-id", "moderated"}


def parse_submitted(cell: str, *, utc: bool, day_first: bool) -> datetime:
    """A tool's response time as an aware datetime; ValueError if it cannot be read."""
    if _EPOCH.fullmatch(cell.strip()):
        # Pol.is writes milliseconds since 1970 (UTC); some tools write seconds.
        digits = cell.strip()
        return datetime.fromtimestamp(int(digits) / (1000 if len(digits) == 13 else 1), tz=UTC)
    text, zone = _split_time(cell)
    parsed = None
    quick = _YMD_HMS.fullmatch(text)
    if quick and not (quick.group(2) == "/" and "T" in text):
        try:
            year, _sep, month, day, hour, minute, second = quick.groups()
            parsed = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
        except ValueError:
            parsed = None  # the formats below say the same, or read it another way
    for fmt in _FORMATS if parsed is None else ():
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


def _guess(headers: list[str], questions: list[Question]) -> matching.Guess:
    return matching.guess_columns(
        headers,
        questions,
        submitted_headings=set(SUBMITTED_COLUMNS),
        tool_headings=TOOL_COLUMNS,
        polis={h.strip().lower() for h in headers} >= POLIS_COLUMNS,
    )


def guess_targets(headers: list[str], questions: list[Question]) -> list[str]:
    """Each column's target (see `columns`) as the import guesses it from the headings."""
    return _guess(headers, questions).targets


def _column_values(rows: list, index: int) -> list[str]:
    return [cells[index] for _, cells in rows if index < len(cells)]


def _new_questions(
    headers: list[str],
    targets: list[str],
    rows: list,
    questions: list[Question],
    report: ImportReport,
    wordings: list[str],
) -> dict[int, tuple[Question, matching.NewQuestion]]:
    """The questions to make from columns, checked, as unsaved questions with a stand-in
    pk (below 0) the rows are checked against; made for real in the write."""
    made: dict[int, tuple[Question, matching.NewQuestion]] = {}
    for index, target in enumerate(targets):
        kind = matching.new_kind(target)
        if not kind:
            continue
        wording = wordings[index] if index < len(wordings) else ""
        spec = matching.new_question(kind, headers[index], _column_values(rows, index), wording)
        try:
            if not spec.text:
                raise building.BuildError(_("A question needs some words."))
            building.check_question(kind, spec.choices_text, spec.scale_min, spec.scale_max)
        except building.BuildError as exc:
            report.errors.append(
                _("Column “%(h)s” cannot become a question: %(why)s")
                % {"h": headers[index], "why": exc}
            )
            continue
        question = Question(
            consultation_id=None,
            position=len(questions) + len(made),
            kind=kind,
            text=spec.text,
            choices_text=spec.choices_text,
            scale_min=spec.scale_min,
            scale_max=spec.scale_max,
        )
        question.pk = -1 - len(made)
        made[index] = (question, spec)
    return made


def _resolve_columns(
    headers: list[str],
    targets: list[str],
    questions: list[Question],
    made: dict[int, tuple[Question, "matching.NewQuestion"]],
    report: ImportReport,
) -> dict[int, Any]:
    """Column index to what it fills: a question (a new one unsaved) or a detail's name;
    the report says which columns went where."""
    by_target = {matching.question_target(q): q for q in questions}
    resolved: dict[int, Any] = {}
    for index, (header, target) in enumerate(zip(headers, targets, strict=True)):
        question = made[index][0] if index in made else by_target.get(target)
        if question is not None:
            resolved[index] = question
            report.matched_columns[header] = f"Q{question.number}"
        elif target in matching.DETAILS:
            resolved[index] = target
            if target == "submitted" and header.strip().lower() in SUBMITTED_COLUMNS:
                report.tool = report.tool or SUBMITTED_COLUMNS[header.strip().lower()][0]
        else:
            report.ignored_columns.append(header)
    if made:
        report.notes.append(
            ngettext(
                "%(n)d question is made from the file's columns.",
                "%(n)d questions are made from the file's columns.",
                len(made),
            )
            % {"n": len(made)}
        )
    return resolved


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
    # A choice's own wording may hold a comma ("Yes, by phone"): split on ";" first.
    parts = [p for p in cell.split(";") if p.strip()]
    if len(parts) > 1 and all(_norm(p) in options for p in parts):
        return [str(options[_norm(p)]) for p in parts]
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
    name = encoding_label(table.encoding) if table.encoding else "UTF-8"
    if name != "UTF-8":
        why = " (Excel's default)" if name == "Windows-1252" else ""
        report.notes.append(f"The file is not UTF-8; it was read as {name}{why}.")
    headers = table.headers
    if rows and _is_surveymonkey_subheader(rows[0][1]):
        report.tool = "SurveyMonkey"
        headers, rows = _fold_surveymonkey(headers, rows)
    return headers, rows


class _RowChecker:
    """Checks a row's answers as `clean_answers` does, with what a cell gives kept per
    distinct cell: a choice column holds a handful of different values in 100,000 rows,
    each read once instead of once a row."""

    def __init__(
        self,
        questions: list[Question],
        choice_maps: dict[int, dict[str, int]],
        sectors: dict[str, str],
    ) -> None:
        self.questions = [(q, q.pk, q.kind == QuestionKind.OPEN) for q in questions]
        self.choice_maps = choice_maps
        self.sectors = sectors
        self.seen: dict[tuple[int, str], tuple[tuple[str, list[str]] | None, str, str]] = {}
        self.seen_sectors: dict[str, tuple[str, str]] = {}
        self.empty: tuple[str, list[str]] = ("", [])

    def sector(self, cell: str) -> tuple[str, str]:
        """(sector value, "") or ("", the problem)."""
        found = self.seen_sectors.get(cell)
        if found is None:
            try:
                found = (_sector(cell, self.sectors), "")
            except ValueError as exc:
                found = ("", str(exc))
            if len(self.seen_sectors) < 10_000:
                self.seen_sectors[cell] = found
        return found

    def _choice(self, question: Question, cell: str) -> tuple:
        """(cleaned, cell problem, answer problem) for a choice or scale cell."""
        try:
            numbers = _choice_numbers(question, cell, self.choice_maps.get(question.pk))
        except ValueError as exc:
            return None, str(exc), ""
        try:
            return clean_answer(question, numbers), "", ""
        except ValueError as exc:
            return None, "", f"Question {question.number}: {exc}"

    def cell(self, question: Question, pk: int, cell: str, problems: list[str]) -> Any:
        """What `answers` needs of a question's cell: an open answer's text, or a choice or
        scale cell read (a problem with the cell itself is appended to ``problems``)."""
        if question.kind == QuestionKind.OPEN:
            return cell
        key = (pk, cell)
        found = self.seen.get(key)
        if found is None:
            found = self._choice(question, cell)
            if len(self.seen) < 50_000:
                self.seen[key] = found
        if found[1]:
            problems.append(found[1])
        return found

    def answers(self, raw: dict[int, Any], problems: list[str]) -> dict[int, tuple]:
        """Each question's (text, selected), as `clean_answers` gives them; the answers'
        problems are appended in question order, as AnswerErrors lists them."""
        cleaned: dict[int, tuple[str, list[str]]] = {}
        for question, pk, is_open in self.questions:
            cell = raw.get(pk)
            if cell is None:
                cleaned[pk] = self.empty
            elif is_open:
                try:
                    cleaned[pk] = clean_answer(question, [cell])
                except ValueError as exc:
                    problems.append(f"Question {question.number}: {exc}")
            else:
                result, cell_problem, answer_problem = cell
                if answer_problem:
                    problems.append(answer_problem)
                else:
                    cleaned[pk] = result if not cell_problem else self.empty
        return cleaned


@paused_gc()
def import_responses(
    consultation: Consultation,
    data: bytes,
    *,
    filename: str,
    actor: Any,
    dry_run: bool = False,
    progress: Callable[..., None] | None = None,
    within_write: Callable[[ImportReport], None] | None = None,
    targets: list[str] | None = None,
    wordings: list[str] | None = None,
) -> ImportReport:
    """Check every row, then write them all in one short transaction, or nothing.

    ``progress(done, total, stage)`` hears how far the checking is (a job's page shows
    it); ``within_write(report)`` runs first inside the write transaction, so whatever
    it records (a queued import marked done) commits with the rows or not at all.
    ``targets``: what each column holds, as the coordinator matched them (see
    `columns`); without them the import guesses from the headings. ``wordings``: the
    wording of each column made a new question ("" or none: its heading).
    """
    report = ImportReport(filename=filename, dry_run=dry_run)
    if len(data) > MAX_BYTES:
        report.errors.append(too_large(len(data)))
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
    if {h.strip().lower() for h in headers} >= POLIS_COLUMNS:
        report.tool = "Pol.is"
    if targets is None:
        guess = _guess(headers, questions)
        targets = guess.targets
        numbers = {matching.question_target(q): q.number for q in questions}
        # Nobody saw the guess (the command line): say which columns were taken loosely.
        report.notes += [
            _("“%(h)s” was taken for Q%(n)s, its wording a little different.")
            % {"h": headers[index], "n": numbers[targets[index]]}
            for index in sorted(guess.scores)
        ]
    else:
        report.errors += matching.mapping_problems(
            headers,
            targets,
            questions,
            new_allowed=matching.can_make_questions(consultation),
        )
        if report.errors:
            raise ImportFailed(report)
    made = _new_questions(headers, targets, rows, questions, report, wordings or [])
    if report.errors:
        raise ImportFailed(report)
    columns = _resolve_columns(headers, targets, questions, made, report)
    report.ignored_columns = [
        h for h in report.ignored_columns if h.strip().lower() not in TOOL_COLUMNS
    ] + [h for h in report.ignored_columns if h.strip().lower() in TOOL_COLUMNS]
    if not any(isinstance(c, Question) for c in columns.values()):
        report.errors.append(
            "No column matches a question. Column headings must be the question wording or Q1, Q2..."
        )
        raise ImportFailed(report)
    new_questions = [question for question, _spec in made.values()]
    submitted_at = next((i for i, c in columns.items() if c == "submitted"), None)
    utc = (
        submitted_at is not None
        and SUBMITTED_COLUMNS.get(headers[submitted_at].strip().lower(), ("", False))[1]
    )
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
        for q in questions + new_questions
        if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
    }
    sectors = _sectors()
    # Everything is checked and prepared here, before the write transaction, so the write
    # itself is a few bulk inserts and holds the database for as short a time as it can.
    check = _RowChecker(questions + new_questions, choice_maps, sectors)
    mapped = [(i, t, t.pk if isinstance(t, Question) else None) for i, t in sorted(columns.items())]
    width = len(headers)
    prepared = []
    total = len(rows)
    now = timezone.now()
    entered_by = actor.pk if getattr(actor, "is_authenticated", False) else None
    response_channel, response_status = str(ResponseChannel.IMPORT), str(ResponseStatus.SUBMITTED)
    source = f"import:{digest}:{filename}:row "
    lowered = [h.strip().lower() for h in headers]
    # Pol.is keeps the comments its moderators rejected (spam, off topic) as -1.
    moderated = lowered.index("moderated") if report.tool == "Pol.is" else None
    rejected = 0
    for done, (line, row) in enumerate(rows):
        if progress is not None and not done % PROGRESS_EVERY:
            progress(done, total, _("Checking the rows"))
        if not any(cell.strip() for cell in row):
            continue
        if moderated is not None and moderated < len(row) and row[moderated].strip() == "-1":
            rejected += 1
            continue
        report.rows += 1
        if len(row) > width and any(c.strip() for c in row[width:]):
            report.errors.append(f"Row {line}: more cells than headings.")
            continue
        raw: dict[int, Any] = {}
        meta: dict[str, Any] = {"email": "", "name": "", "sector": "", "submitted": None}
        problems = []
        cells = len(row)
        for index, target, pk in mapped:
            if index >= cells:
                break
            cell = row[index].strip()
            if not cell:
                continue
            if pk is not None:
                raw[pk] = check.cell(target, pk, cell, problems)
            elif target == "sector":
                sector = check.sector(cell)
                if sector[1]:
                    problems.append(sector[1])
                else:
                    meta["sector"] = sector[0]
            elif target == "submitted":
                try:
                    meta["submitted"] = parse_submitted(cell, utc=utc, day_first=day_first)
                except ValueError as exc:
                    problems.append(str(exc))
            elif cell.lower() != "anonymous":  # Microsoft Forms' anonymous respondents
                meta[target] = cell
        cleaned = check.answers(raw, problems)
        if not problems and not any(t or s for t, s in cleaned.values()):
            problems.append("no answers in this row.")
        if problems:
            report.errors += [f"Row {line}: {p}" for p in problems]
            continue
        person = people.get(meta["email"].lower()) if meta["email"] else None
        # The response row as the database takes it, made here, before the transaction.
        response = {
            "consultation_id": consultation.pk,
            "person_id": person.pk if person else None,
            "respondent_name": "" if person else meta["name"][:200],
            "sector": person.effective_sector if person else meta["sector"],
            "channel": response_channel,
            "status": response_status,
            "entered_by_id": entered_by,
            "source": f"{source}{line}"[:200],
            "submitted_at": meta["submitted"] or now,
        }
        prepared.append((cleaned, person, meta["submitted"], response))
    if rejected:
        report.notes.append(
            f"{rejected} comments the conversation's moderators rejected were left out."
        )
    if report.errors:
        raise ImportFailed(report)
    report.would_import = len(prepared)
    if dry_run:
        return report
    if progress is not None:
        progress(total, total, _("Saving the responses"))
    report.imported = len(prepared)
    with transaction.atomic():
        if within_write is not None:
            within_write(report)
        if made:
            questions = questions + _make_questions(consultation, made, prepared, actor, report)
        _write_all(consultation, questions, prepared, actor=actor)
        audit.record(
            actor,
            "consultation.responses_imported",
            consultation,
            f"{report.imported} responses from {filename}",
            tool=report.tool,
        )
    return report


def _make_questions(
    consultation: Consultation, made: dict, prepared: list, actor: Any, report: ImportReport
) -> list[Question]:
    """The new questions, saved (with their audit) in the import's transaction; the
    checked answers move from each stand-in pk to the question's own."""
    saved = {}
    for question, spec in made.values():
        try:
            saved[question.pk] = building.add_question(
                consultation,
                actor=actor,
                kind=spec.kind,
                text=spec.text,
                choices_text=spec.choices_text,
                scale_min=spec.scale_min,
                scale_max=spec.scale_max,
            )
        except building.BuildError as exc:  # answered meanwhile: nothing is kept
            report.errors.append(str(exc))
            raise ImportFailed(report) from exc
    for cleaned, *_rest in prepared:
        for stand_in, question in saved.items():
            if stand_in in cleaned:
                cleaned[question.pk] = cleaned.pop(stand_in)
    return list(saved.values())


WRITE_BATCH = 5000  # responses written, with their answers and contributions, at a time


def _write_all(
    consultation: Consultation, questions: list[Question], prepared: list, *, actor: Any
) -> None:
    """The checked rows in bulk: responses, then the contributions their open answers
    become, then the answers pointing at both, a batch of responses at a time so the
    answers of 100,000 responses are never all in memory. The caller holds the
    transaction: all or nothing."""
    numbers = {q.pk: q.number for q in questions if q.kind == QuestionKind.OPEN}
    channel = ResponseChannel(ResponseChannel.IMPORT).contribution_channel
    source = f"Consultation: {consultation.title}"
    for start in range(0, len(prepared), WRITE_BATCH):
        batch = prepared[start : start + WRITE_BATCH]
        response_pks = insert_returning_pks(Response, [row[3] for row in batch])
        answers, contributions = [], []
        # Each open answer with the index of its contribution, replaced by its pk later.
        linked: list[tuple[dict[str, Any], int]] = []
        for response_pk, (cleaned, person, said_at, response) in zip(
            response_pks, batch, strict=True
        ):
            for question_id, (text, selected) in cleaned.items():
                if not text and not selected:
                    continue
                answer = {
                    "response_id": response_pk,
                    "question_id": question_id,
                    "text": text,
                    "selected": selected,
                    "contribution_id": None,
                }
                if question_id in numbers:  # an open question: its answer joins the ledger
                    linked.append((answer, len(contributions)))
                    contributions.append(
                        {
                            "text": text,
                            "channel": channel,
                            "author": person,
                            "author_name": "" if person else response["respondent_name"].strip(),
                            # Without a person, the sector the respondent gave.
                            "author_sector": response["sector"],
                            "consent_to_quote": False,
                            "consent_to_name": False,
                            "source": source,
                            # Response.reference of a response without a paper form.
                            "source_ref": f"R{response_pk} Q{numbers[question_id]}",
                            "said_at": said_at,
                        }
                    )
                answers.append(answer)
        contribution_pks = record_contributions(contributions, entered_by=actor)
        for answer, index in linked:
            answer["contribution_id"] = contribution_pks[index]
        insert_many(Answer, answers)


# --- a kept file: its columns matched, then imported (by a worker when large) -----------


SAMPLES = 3  # values shown beside each column on the matching page
SAMPLE_ROWS = 1000  # rows read to suggest what kind of question a column would make


@dataclass
class ColumnView:
    index: int
    header: str
    samples: list[str]
    target: str
    kind: str  # the kind of question the column's values suggest, were one made of it
    wording: str  # the wording of the question it would become
    score: float = 0.0  # how alike the heading and its question, when guessed loosely


@dataclass
class Overview:
    """What the matching page shows of a kept file."""

    columns: list[ColumnView]
    tool: str = ""
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    new_allowed: bool = False
    rows: int = 0


def keep_upload(
    consultation: Consultation, data: bytes, *, filename: str, actor: Any, dry_run: bool = False
) -> ResponseImport:
    """Keep an uploaded file for its columns to be matched; nothing is imported yet.

    A file over the size limit, one that cannot be read, or one without a header row is
    refused here (ImportFailed), before it is kept.
    """
    report = ImportReport(filename=filename, dry_run=dry_run)
    if len(data) > MAX_BYTES:
        report.errors.append(too_large(len(data)))
        raise ImportFailed(report)
    headers, _rows = _read_rows(data, filename, report)
    if not headers or not any(cell.strip() for cell in headers):
        report.errors.append("The file is empty: expected a header row and one row per response.")
        raise ImportFailed(report)
    record = ResponseImport.objects.create(
        consultation=consultation,
        filename=filename[:255],
        file=storage.as_upload(filename, data),
        dry_run=dry_run,
        status=ImportStatus.MATCHING,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(actor, "consultation.import_uploaded", consultation, filename[:200])
    return record


def overview(record: ResponseImport, *, make_questions: bool = False) -> Overview:
    """The kept file's columns: each heading, its first values and the guess of what it
    holds. ``make_questions``: a column the guess matches to nothing becomes a new
    question (of the kind its values suggest), where the consultation may take them;
    a consultation with no questions at all is offered that from the start."""
    consultation = record.consultation
    report = ImportReport(filename=record.filename)
    try:
        headers, rows = _read_rows(storage.read(record.file.name), record.filename, report)
    except ImportFailed:
        return Overview(columns=[], errors=report.errors)
    questions = list(consultation.questions.all())
    guessed = _guess(headers, questions)
    new_allowed = matching.can_make_questions(consultation)
    sampled = rows[:SAMPLE_ROWS]
    views = []
    for index, header in enumerate(headers):
        values = _column_values(sampled, index)
        target = guessed.targets[index]
        kind = matching.suggest_kind(values)
        lowered = header.strip().lower()
        if (
            not target
            and new_allowed
            and (make_questions or not questions)
            and lowered not in TOOL_COLUMNS
            and any(v.strip() for v in values)
        ):
            target = matching.new_target(kind)
        views.append(
            ColumnView(
                index=index,
                header=header,
                samples=[v.strip() for v in values if v.strip()][:SAMPLES],
                target=target,
                kind=kind,
                wording=matching.question_wording(header),
                score=guessed.scores.get(index, 0.0),
            )
        )
    if {h.strip().lower() for h in headers} >= POLIS_COLUMNS:
        report.tool = "Pol.is"
    if not report.tool:
        report.tool = next(
            (
                SUBMITTED_COLUMNS[h.strip().lower()][0]
                for h in headers
                if h.strip().lower() in SUBMITTED_COLUMNS
            ),
            "",
        )
    return Overview(
        columns=views,
        tool=report.tool,
        notes=report.notes,
        new_allowed=new_allowed,
        rows=sum(1 for _, cells in rows if any(c.strip() for c in cells)),
    )


def column_problems(record: ResponseImport, targets: list[str]) -> list[str]:
    """What stops these column choices; nothing is written either way. A problem with
    one column is a `columns.ColumnProblem`, which says which."""
    report = ImportReport(filename=record.filename)
    try:
        headers, _rows = _read_rows(storage.read(record.file.name), record.filename, report)
    except ImportFailed:
        return report.errors
    consultation = record.consultation
    return matching.mapping_problems(
        headers,
        targets,
        list(consultation.questions.all()),
        new_allowed=matching.can_make_questions(consultation),
    )


def start_import(
    record: ResponseImport, targets: list[str], *, actor: Any, wordings: list[str] | None = None
) -> ResponseImport:
    """Import the kept file with the columns as matched (``wordings``: of the columns
    made new questions): a small file now, in the request, a large one by a worker. Raises ImportFailed, writing nothing, when the
    choices cannot be used (a question chosen twice, no question at all)."""
    problems = column_problems(record, targets)
    if problems:
        report = ImportReport(filename=record.filename, dry_run=record.dry_run)
        report.errors += problems
        raise ImportFailed(report)
    matched = ResponseImport.objects.filter(pk=record.pk, status=ImportStatus.MATCHING).update(
        columns=list(targets), wordings=list(wordings or []), status=ImportStatus.WAITING
    )
    record.refresh_from_db()
    if not matched:
        return record  # a second click on Import: the first one has it
    audit.record(actor, "consultation.import_columns_matched", record.consultation, record.filename)
    if record.file.size > BACKGROUND_BYTES:
        return _queue(record, actor)
    user = actor if getattr(actor, "is_authenticated", False) else None
    run_queued_import(lambda *args, **kwargs: None, record.pk, user.pk if user else None)
    record.refresh_from_db()
    return record


def queue_import(
    consultation: Consultation, data: bytes, *, filename: str, actor: Any, dry_run: bool = False
) -> ResponseImport:
    """Keep the file and queue its import, the columns guessed from the headings; the
    page follows the job and shows the result.

    A file over the size limit is refused here with the limit named, before it is kept.
    """
    if len(data) > MAX_BYTES:
        report = ImportReport(filename=filename, dry_run=dry_run)
        report.errors.append(too_large(len(data)))
        raise ImportFailed(report)
    user = actor if getattr(actor, "is_authenticated", False) else None
    record = ResponseImport.objects.create(
        consultation=consultation,
        filename=filename[:255],
        file=storage.as_upload(filename, data),
        dry_run=dry_run,
        created_by=user,
    )
    return _queue(record, actor)


def _queue(record: ResponseImport, actor: Any) -> ResponseImport:
    user = actor if getattr(actor, "is_authenticated", False) else None
    consultation, filename, dry_run = record.consultation, record.filename, record.dry_run
    audit.record(actor, "consultation.import_queued", consultation, filename[:200])
    title = _("Check %(file)s") if dry_run else _("Import %(file)s")
    job = start_job(
        actor,
        title % {"file": filename},
        "cairn.consultations.services.importing.run_queued_import",
        {"import_id": record.pk, "user_id": user.pk if user else None},
        next_url=record.get_absolute_url(),
    )
    # Only the job's link: with tasks run in the request the import has finished by now.
    ResponseImport.objects.filter(pk=record.pk).update(job=job)
    record.refresh_from_db()
    return record


def run_queued_import(
    progress: Callable[..., None], import_id: int, user_id: int | None
) -> dict[str, Any]:
    """The job's runner. Run again (a killed worker's retry, "Run it again"), it finds the
    import done and writes nothing: marking it done commits with its rows."""

    def read(record: ResponseImport, actor: Any, data: bytes, within_write: Callable) -> tuple:
        # within_write runs first in the write transaction: a second run waits on this
        # row, then finds it applied and rolls back without writing.
        try:
            report = import_responses(
                record.consultation,
                data,
                filename=record.filename,
                actor=actor,
                dry_run=record.dry_run,
                progress=progress,
                within_write=within_write,
                targets=record.columns or None,
                wordings=record.wordings,
            )
        except ImportFailed as exc:
            return exc.report, False
        return report, True

    record = run_kept_upload(ResponseImport, import_id, user_id, read)
    return {"message": import_outcome(record), "next_url": record.get_absolute_url()}


def import_outcome(record: ResponseImport) -> str:
    """One line saying how a queued import ended, for the job's page and the messages."""
    report = ImportReport.from_dict(record.report) if record.report else None
    if record.status == ImportStatus.APPLIED and report:
        return _("%(n)s responses imported from %(file)s.") % {
            "n": f"{report.imported:,}",
            "file": record.filename,
        }
    if record.status == ImportStatus.CHECKED and report:
        return _("%(n)s responses would be imported from %(file)s (nothing was written).") % {
            "n": f"{report.would_import:,}",
            "file": record.filename,
        }
    if record.status == ImportStatus.REFUSED and report:
        return _("Nothing was imported from %(file)s: %(n)s problems found.") % {
            "n": f"{max(report.error_count, len(report.errors)):,}",
            "file": record.filename,
        }
    return str(record.get_status_display())


def prune_finished_response_imports() -> int:
    """Delete response imports finished more than CAIRN_IMPORT_KEEP_DAYS ago, and those
    whose job failed and was never run again or whose columns were never matched, with
    their files. Their reports quote the rows refused; the responses imported are kept.
    Run by the worker."""
    cutoff = retention.import_cutoff()
    stuck = Q(job__isnull=True) | Q(job__status=JobStatus.FAILED)
    old = ResponseImport.objects.filter(
        Q(finished_at__lt=cutoff) & ~Q(status__in=[ImportStatus.WAITING, ImportStatus.MATCHING])
        | Q(status=ImportStatus.WAITING, created_at__lt=cutoff) & stuck
        # Uploaded, then left on the matching page.
        | Q(status=ImportStatus.MATCHING, created_at__lt=cutoff)
    )
    return retention.delete_old_imports(
        old, "consultation.response_imports_pruned", "response imports"
    )
