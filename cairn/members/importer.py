"""Importing a member list: preview row by row, then apply all-or-nothing.

The same function previews (`apply=False`) and applies, so a preview and the
import it confirms can never disagree. Rows are read in chunks and written with
bulk queries, so a 100,000-row file needs neither 100,000 queries nor the whole
file as Python objects. A row that matches someone already on file (same email,
or same name and organisation) is a likely duplicate: merged by default, kept
as a separate person when the coordinator says so; a row that would change
nothing is counted as unchanged, which makes re-importing a file a no-op.
"""

import pickle
import sqlite3
import tempfile
import zlib
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import datetime, time
from functools import cached_property
from itertools import islice
from operator import itemgetter
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from cairn.core import audit
from cairn.members import import_fields as F
from cairn.members.models import (
    Channel,
    ChannelConsent,
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Organisation,
    Person,
    Sector,
)
from cairn.members.tabular import Table, UnreadableFile, read_table

CHUNK = 1000
MERGE, KEEP = "merge", "keep"
MAX_LENGTHS = {
    f.name: f.max_length for f in Person._meta.get_fields() if getattr(f, "max_length", None)
}


@dataclass
class RowError:
    line: int
    reason: str
    preview: str = ""


@dataclass
class Duplicate:
    line: int
    person_id: int
    person_name: str
    matched_by: str
    changes: list[str]
    decision: str = MERGE


@dataclass
class ImportReport:
    filename: str = ""
    kind: str = ""
    encoding: str = ""
    delimiter: str = ""
    headers: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_separate: int = 0
    organisations_created: int = 0
    duplicates: list[Duplicate] = field(default_factory=list)
    rejected: list[RowError] = field(default_factory=list)
    # Rows imported with something to check: a phone number repaired or not a phone number.
    notes: list[RowError] = field(default_factory=list)
    applied: bool = False
    preset: str = ""  # the export recognised from its headers, if any
    header_line: int = 1  # the row the header was found on (title rows above it skipped)
    left_out: int = 0  # rows whose attendee status is cancelled or refunded
    # With collect_ids: everyone the file names, created, merged or unchanged, in file order.
    person_ids: list[int] = field(default_factory=list)
    followup: str = ""  # what another app did with the people, such as registering them

    @property
    def ignored_columns(self) -> list[str]:
        return [h for h in self.headers if not self.mapping.get(h)]

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ImportReport":
        data = dict(data)
        data["duplicates"] = [Duplicate(**d) for d in data.get("duplicates", [])]
        data["rejected"] = [RowError(**r) for r in data.get("rejected", [])]
        data["notes"] = [RowError(**r) for r in data.get("notes", [])]
        return cls(**data)

    @property
    def page_lines(self) -> list[str]:
        """The summary for the web page, which has no --map option to point at."""
        return self.summary_lines(cli=False)

    def summary_lines(self, cli: bool = True) -> list[str]:
        verb = "were" if self.applied else "would be"
        return [
            f"{self.rows} rows read ({self.kind}{', ' + self.encoding if self.encoding else ''})",
            f"people {verb} created: {self.created + self.kept_separate}",
            f"people {verb} updated: {self.updated}",
            f"people unchanged: {self.unchanged}",
            f"likely duplicates flagged: {len(self.duplicates)}"
            f" (merged: {sum(d.decision == MERGE for d in self.duplicates)},"
            f" kept separate: {sum(d.decision == KEEP for d in self.duplicates)})",
            f"organisations {verb} created: {self.organisations_created}",
            f"rows rejected: {len(self.rejected)}",
            *([f"rows imported with a note to check: {len(self.notes)}"] if self.notes else []),
            *([f"rows left out (cancelled or refunded): {self.left_out}"] if self.left_out else []),
            *([f"recognised as: {self.preset}"] if self.preset else []),
            *([self.followup] if self.followup else []),
            *(
                [f"header found on row {self.header_line}; the rows above were skipped"]
                if self.header_line > 1
                else []
            ),
            *(
                [
                    "columns ignored: "
                    + ", ".join(self.ignored_columns)
                    + (" (map one with --map 'COLUMN=field')" if cli else "")
                ]
                if self.ignored_columns
                else []
            ),
        ]


@dataclass
class ParsedRow:
    line: int
    values: dict[str, Any]
    organisation: str
    consents: dict[str, bool]
    consent_date: Any = None
    consent_method: str = ""
    consent_note: str = ""
    refused_channels: tuple[str, ...] = ()
    preview: str = ""  # the row's cells, for the report if it is refused as a repeat
    notes: tuple[str, ...] = ()  # imported, but worth a look (a phone number repaired)

    @cached_property
    def name_key(self) -> str:
        # One string, not a tuple of three: every row's key is kept to find repeats in
        # the file, and at 100,000 rows the tuples were a fifth of the import's memory.
        return _name_key(
            self.values["first_name"], self.values.get("last_name", ""), self.organisation
        )


def _name_key(first: str, last: str, organisation: str) -> str:
    return f"{first.lower()}\x1f{last.lower()}\x1f{organisation.lower()}"


class LeftOut(str):
    """Why a row is deliberately not imported (not an error): e.g. a refunded attendee."""


# Built once, not per row: a 100,000-row file parses 100,000 rows.
_CELL_PARSERS = {
    "email": F.parse_email,
    "preferred_channel": F.parse_channel,
    "sector": F.parse_sector,
    "visible_in_directory": F.parse_bool,
}
_CHANNEL_NEEDS = {Channel.EMAIL: "email", Channel.PHONE: "phone", Channel.POST: "address"}


# Mailchimp's columns for the emails: when (and from which IP address) the person opted
# in, and when they unsubscribed. Its export of unsubscribed contacts carries both: the
# unsubscribe came after the opt-in and is the choice that stands, so it is read last.
_NEWSLETTER_CHOICES = (
    ("email_optin_time", True, ConsentMethod.WEB),
    ("email_unsub_time", False, ConsentMethod.EMAIL),
)


def _newsletter_note(key: str, raw: dict[str, str], unsub_reasons: list[str]) -> str:
    if key == "email_optin_time":
        note = f"Opted in {raw[key]}"
        if raw.get("email_optin_ip"):
            note += f" from {raw['email_optin_ip']}"
    else:
        note = f"Unsubscribed {raw[key]}"
        if unsub_reasons:
            note += f": {': '.join(unsub_reasons)}"
    return note[:300]


def parse_row(cells: list[str], headers: list[str], mapping: dict[str, str]) -> ParsedRow | str:
    """A row's values, or the reasons it cannot be imported (joined as one sentence)."""
    raw: dict[str, str] = {}
    address_parts: list[str] = []
    home_parts: list[str] = []
    unsub_reasons: list[str] = []
    extra = [c for c in cells[len(headers) :] if c]
    for header, cell in zip(headers, cells, strict=False):
        target = mapping.get(header, "")
        if not target or not cell:
            continue
        if target == "address":
            address_parts.append(cell)
        elif target == "home_address":
            home_parts.append(cell)
        elif target == "email_unsub_reason":
            unsub_reasons.append(cell)
        else:
            raw[target] = cell
    if not raw.get("postcode") and (home_parts or raw.get("home_postcode")):
        # No postcode for the main (business) address: the home address is the one to use.
        address_parts = home_parts
        if raw.get("home_postcode"):
            raw["postcode"] = raw["home_postcode"]
    status = F.normalise_header(raw["attendee_status"]) if "attendee_status" in raw else ""
    if status and status in F.LEFT_OUT_STATUSES:
        return LeftOut(status)
    errors: list[str] = []
    if extra:
        errors.append(f"has {len(cells)} cells but the header has {len(headers)} columns")
    values: dict[str, Any] = {}
    if raw.get("full_name") and not raw.get("first_name"):
        values["first_name"], last = F.split_full_name(raw["full_name"])
        values["last_name"] = raw.get("last_name") or last
    else:
        values["first_name"] = raw.get("first_name", "")
        values["last_name"] = raw.get("last_name", "")
    if not values["first_name"]:
        errors.append("no name")
    for key in ("postcode", "region", "job_title", "language"):
        if raw.get(key):
            values[key] = raw[key]
    notes: list[str] = []
    if raw.get("phone"):
        values["phone"], note = F.parse_phone(raw["phone"])
        if note:
            notes.append(note)
    if address_parts:
        values["address"] = "\n".join(address_parts)
    if raw.get("postcode"):
        values["postcode"] = raw["postcode"].upper()
    for key, parse in _CELL_PARSERS.items():
        if raw.get(key):
            try:
                values[key] = parse(raw[key])
            except F.CellError as error:
                errors.append(str(error))
    if raw.get("access_needs"):
        values["access_needs"], notes = F.parse_access_needs(raw["access_needs"])
        if notes:
            values["access_notes"] = notes
    consents: dict[str, bool] = {}
    for key, purpose in F.CONSENT_FIELDS.items():
        if raw.get(key):
            try:
                answer = F.parse_bool(raw[key])
            except F.CellError as error:
                errors.append(f"{F.FIELDS[key]}: {error}")
                continue
            if answer is not None:
                consents[str(purpose)] = answer
    consent_date = None
    consent_method, consent_note = "", ""
    for key, granted, method in _NEWSLETTER_CHOICES:
        if not raw.get(key):
            continue
        try:
            consent_date = F.parse_date(raw[key][:10])
        except F.CellError as error:
            errors.append(f"{F.FIELDS[key]}: {error}")
            continue
        consents[str(ConsentPurpose.NEWSLETTERS)] = granted
        consent_method = method
        consent_note = _newsletter_note(key, raw, unsub_reasons)
    refused: list[str] = []
    for key, channel in F.REFUSAL_FIELDS.items():
        if raw.get(key):
            try:
                if F.parse_bool(raw[key]):
                    refused.append(str(channel))
            except F.CellError as error:
                errors.append(f"{F.FIELDS[key]}: {error}")
    if raw.get("consent_date") and consent_date is None:
        try:
            consent_date = F.parse_date(raw["consent_date"])
        except F.CellError as error:
            errors.append(str(error))
    for key, value in values.items():
        limit = MAX_LENGTHS.get(key)
        if isinstance(value, str) and limit and len(value) > limit:
            errors.append(f"{key.replace('_', ' ')} is longer than {limit} characters")
    organisation = raw.get("organisation", "")
    if len(organisation) > 200:
        errors.append("organisation is longer than 200 characters")
    channel = values.get("preferred_channel")
    needs = _CHANNEL_NEEDS
    if channel in needs and not (raw.get(needs[channel]) or values.get(needs[channel])):
        errors.append(f"prefers {channel} but has no {needs[channel]}")
    if errors:
        return "; ".join(e.rstrip(".") for e in errors)
    if "preferred_channel" not in values:
        values["_default_channel"] = next(
            (ch for ch, key in needs.items() if values.get(key)), Channel.WEB
        )
    return ParsedRow(
        0,
        values,
        organisation,
        consents,
        consent_date,
        consent_method,
        consent_note,
        tuple(refused),
        notes=tuple(notes),
    )


def _preview(cells: list[str]) -> str:
    return " | ".join(filter(None, cells))[:120]


class _Keys:
    """Keys the import looks rows up by, kept in a private temporary SQLite file instead
    of Python dicts: who is on file (by email, by name and organisation) and what the
    file named already (for "same email as line 12"). Dicts of 100,000 keys were most of
    a large import's memory and grew with every row; this stays within SQLite's small
    page cache however long the file or the member list. Deleted when closed.
    """

    TABLES = ("on_file_email", "on_file_name", "seen_email", "seen_name", "seen_person")

    def __init__(self) -> None:
        # "": a private on-disk database of SQLite's own, gone when it is closed.
        self.db = sqlite3.connect("")
        self.db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-2048;"
        )
        for table in self.TABLES:
            self.db.execute(f"CREATE TABLE {table} (k PRIMARY KEY, v INTEGER) WITHOUT ROWID")

    def close(self) -> None:
        self.db.close()

    def add(self, table: str, pairs: Iterable[tuple[Hashable, int]]) -> None:
        """Keep each key's first value: a key already there keeps the one it has."""
        self.db.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?, ?)", pairs)  # noqa: S608

    def get(self, table: str, keys: Iterable[Hashable]) -> dict[Any, int]:
        found: dict[Any, int] = {}
        wanted = list(set(keys))
        for start in range(0, len(wanted), 900):  # under SQLite's limit on parameters
            part = wanted[start : start + 900]
            marks = ", ".join("?" * len(part))
            found.update(
                self.db.execute(f"SELECT k, v FROM {table} WHERE k IN ({marks})", part)  # noqa: S608
            )
        return found


class _Existing:
    """Who is already on file, by email and by name and organisation."""

    def __init__(self, keys: _Keys) -> None:
        self.keys = keys
        rows = Person.objects.filter(anonymised_at__isnull=True).values_list(
            "pk", "email", "first_name", "last_name", "organisation__name"
        )
        for chunk in _chunks(rows.iterator(chunk_size=5000), 5000):
            keys.add("on_file_email", ((e.lower(), pk) for pk, e, _f, _l, _o in chunk if e))
            keys.add(
                "on_file_name", ((_name_key(f, la, o or ""), pk) for pk, _e, f, la, o in chunk)
            )
        self.organisations: dict[str, int] = {
            name.lower(): pk for pk, name in Organisation.objects.values_list("pk", "name")
        }

    def matcher(self, chunk: list["ParsedRow"]) -> "Callable[[ParsedRow], tuple[int | None, str]]":
        """Matches for one chunk's rows, looked up together."""
        by_email = self.keys.get(
            "on_file_email", (r.values["email"] for r in chunk if r.values.get("email"))
        )
        by_name = self.keys.get("on_file_name", (r.name_key for r in chunk))

        def match(row: ParsedRow) -> tuple[int | None, str]:
            email = row.values.get("email")
            if email and email in by_email:
                return by_email[email], "email"
            pk = by_name.get(row.name_key)
            if pk is not None:
                return pk, "name and organisation"
            return None, ""

        return match


@dataclass
class _Known:
    """A person on file as the comparison needs them: stored values, organisation, consents.

    Read with two plain queries per chunk instead of building model instances (with their
    organisation and consents prefetched) for every matched row: re-importing a file whose
    rows are mostly unchanged then costs a comparison of dicts, not 100,000 ORM objects.
    """

    values: dict[str, Any]
    organisation_name: str
    consents: dict[str, bool]
    refused_channels: set[str] = field(default_factory=set)
    withdrawn: dict[str, Any] = field(default_factory=dict)  # purpose -> when

    @property
    def full_name(self) -> str:
        return f"{self.values['first_name']} {self.values['last_name']}".strip()


# What a row can set, and no timestamps (converting those was a third of the read).
_PERSON_COLUMNS = [
    f.attname
    for f in Person._meta.concrete_fields
    if f.get_internal_type() not in ("DateTimeField", "DateField")
]


def _known_people(ids: list[int]) -> dict[int, _Known]:
    if not ids:
        return {}
    consents: dict[int, dict[str, bool]] = {pk: {} for pk in ids}
    withdrawn: dict[int, dict[str, Any]] = {pk: {} for pk in ids}
    # The same order as person.consents.all(), so a repeated purpose resolves the same way.
    for person_id, purpose, granted, recorded_at in Consent.objects.filter(
        person_id__in=ids
    ).values_list("person_id", "purpose", "granted", "recorded_at"):
        consents[person_id][purpose] = granted
        if not granted:
            withdrawn[person_id][purpose] = recorded_at
    refused: dict[int, set[str]] = {pk: set() for pk in ids}
    for person_id, channel in ChannelConsent.objects.filter(
        person_id__in=ids, granted=False
    ).values_list("person_id", "channel"):
        refused[person_id].add(channel)
    return {
        row["id"]: _Known(
            row,
            row.pop("organisation__name") or "",
            consents[row["id"]],
            refused[row["id"]],
            withdrawn[row["id"]],
        )
        for row in Person.objects.filter(pk__in=ids).values(*_PERSON_COLUMNS, "organisation__name")
    }


def _changes(person: _Known, row: ParsedRow) -> list[str]:
    changes = []
    stored = person.values
    for key, value in row.values.items():
        if key.startswith("_"):
            continue
        current = stored[key]
        if key == "access_needs":
            if set(value) != set(current or []):
                changes.append(f"access needs: {', '.join(value)}")
        elif key == "email":
            if value != (current or "").lower():
                changes.append(f"email: {current or '—'} → {value}")
        elif value != current:
            changes.append(f"{key.replace('_', ' ')}: {current or '—'} → {value}")
    current_org = person.organisation_name if stored["organisation_id"] else ""
    if row.organisation and row.organisation.lower() != current_org.lower():
        changes.append(f"organisation: {current_org or '—'} → {row.organisation}")
    granted = person.consents
    for purpose, answer in row.consents.items():
        if _keeps_withdrawal(row, answer, person.withdrawn.get(purpose)):
            continue
        if granted.get(purpose) != answer:
            changes.append(f"consent {purpose}: {'yes' if answer else 'no'}")
    for channel in row.refused_channels:
        if channel not in person.refused_channels:
            changes.append(f"refuses contact by {channel}")
    return changes


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass
class PreparedImport:
    """A file read and every row checked, ready for `apply_prepared`'s short write."""

    report: ImportReport
    decisions: dict[int, str]
    default: str
    # The parsed rows, frozen a chunk at a time into a temporary file: held in memory they
    # grew with the file (5.6 MiB compressed at 100,000 rows), on disk they do not.
    spill: Any = None
    sizes: list[int] = field(default_factory=list)

    def keep(self, chunk: list[ParsedRow]) -> None:
        if self.spill is None:
            self.spill = tempfile.TemporaryFile()  # noqa: SIM115 - closed by apply_prepared
        frozen = _freeze(chunk)
        self.spill.write(frozen)
        self.sizes.append(len(frozen))

    def chunks(self) -> Iterator[list[ParsedRow]]:
        if self.spill is None:
            return
        self.spill.seek(0)
        for size in self.sizes:
            yield _thaw(self.spill.read(size))

    def close(self) -> None:
        if self.spill is not None:
            self.spill.close()
            self.spill = None


def _read(data: bytes, filename: str, mapping: dict[str, str] | None) -> tuple[Table, ImportReport]:
    table = read_table(data, filename, header_score=F.header_score)
    report = ImportReport(
        filename=filename,
        kind=table.kind,
        encoding=table.encoding,
        delimiter=table.delimiter,
        headers=table.headers,
        header_line=table.header_line,
        preset=F.detect_preset(table.headers),
    )
    guessed = F.guess_mapping(table.headers)
    if mapping:
        unknown = [h for h in mapping if h not in table.headers]
        report.problems += [f"There is no column called {h!r}." for h in unknown]
        guessed.update({h: f for h, f in mapping.items() if h in table.headers})
    report.mapping = guessed
    if not any(guessed.values()):
        # Most often another file than the member list, or one whose first row is a
        # person rather than the column names: say that rather than only "no name".
        shown = ", ".join(table.headers[:6]) + (", …" if len(table.headers) > 6 else "")
        report.problems.append(
            f"None of the columns was recognised (the first row reads: {shown}). Check that "
            "this is the member list and that its first row names the columns (First name, "
            "Email, Phone…); or choose below which column holds what."
        )
    report.problems += F.mapping_problems(guessed)
    return table, report


def prepare_import(
    data: bytes,
    filename: str = "",
    *,
    mapping: dict[str, str] | None = None,
    decisions: dict[int, str] | None = None,
    keep_duplicates: bool = False,
) -> PreparedImport:
    """Read the file and check every row, outside any transaction; raises UnreadableFile
    when the file cannot be opened at all. A row broken further down is a problem on
    the report, and then nothing is applied."""
    table, report = _read(data, filename, mapping)
    prepared = PreparedImport(report, decisions or {}, KEEP if keep_duplicates else MERGE)
    if report.problems:
        return prepared
    try:
        for chunk in _parsed_chunks(table, report):
            prepared.keep(chunk)
    except UnreadableFile as error:
        # A row further down is broken (a quote never closed, a huge cell): the header
        # read fine, so this comes up here, before anything was written.
        report.problems.append(str(error))
    return prepared


def apply_prepared(
    prepared: PreparedImport, *, user: Any = None, collect_ids: bool = False
) -> ImportReport:
    """Write a prepared import in one transaction: match the rows against the people on
    file, then create and update them in bulk. Only this part holds the database."""
    report = prepared.report
    if report.problems:
        prepared.close()
        return report
    with closing(prepared), transaction.atomic():
        _lock_imports()
        _process(
            prepared.chunks(),
            report,
            prepared.decisions,
            prepared.default,
            apply=True,
            user=user,
            collect_ids=collect_ids,
        )
        report.applied = True
        audit.record(
            user,
            "members.imported",
            None,
            f"Imported {report.filename}: {report.created + report.kept_separate} created, "
            f"{report.updated} updated",
            filename=report.filename,
            created=report.created + report.kept_separate,
            updated=report.updated,
            rejected=len(report.rejected),
        )
    return report


def run_import(
    data: bytes,
    filename: str = "",
    *,
    mapping: dict[str, str] | None = None,
    decisions: dict[int, str] | None = None,
    keep_duplicates: bool = False,
    apply: bool = False,
    user: Any = None,
    collect_ids: bool = False,
) -> ImportReport:
    """Preview (apply=False) or apply an import; raises UnreadableFile for unreadable files.

    Applying reads and checks every row before the write transaction opens
    (`prepare_import`), so the database is held only for the matching and the writes
    (`apply_prepared`): other writers (a board post on SQLite) never wait behind the
    parsing of a big file. ``collect_ids`` lists in ``report.person_ids`` everyone the
    applied file names (for registering an attendee list for an event)."""
    if apply:
        prepared = prepare_import(
            data, filename, mapping=mapping, decisions=decisions, keep_duplicates=keep_duplicates
        )
        return apply_prepared(prepared, user=user, collect_ids=collect_ids)
    table, report = _read(data, filename, mapping)
    if report.problems:
        return report
    default = KEEP if keep_duplicates else MERGE
    try:
        # A preview writes nothing: the rows stream through, a chunk at a time.
        _process(
            _parsed_chunks(table, report), report, decisions or {}, default, apply=False, user=user
        )
    except UnreadableFile as error:
        report.problems.append(str(error))
    return report


IMPORT_LOCK_KEY = 0x4361697231  # any fixed number: one import applies at a time


def _lock_imports() -> None:
    """Serialise concurrent imports so two of the same file cannot both create a person.

    SQLite already does (transactions begin IMMEDIATE, and the existing people are read
    inside the transaction); PostgreSQL needs a lock, released at commit.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])


def _parsed_chunks(table: Table, report: ImportReport) -> Iterator[list[ParsedRow]]:
    """The rows that parse, in chunks; the others counted (left out) or rejected."""
    for chunk in _chunks(table.rows(), CHUNK):
        parsed: list[ParsedRow] = []
        for line, cells in chunk:
            report.rows += 1
            result = parse_row(cells, table.headers, report.mapping)
            if isinstance(result, LeftOut):
                report.left_out += 1
            elif isinstance(result, str):
                report.rejected.append(RowError(line, result, _preview(cells)))
            else:
                result.line = line
                result.preview = _preview(cells)
                report.notes += [RowError(line, note, result.preview) for note in result.notes]
                parsed.append(result)
        if parsed:
            yield parsed
    # A byte past the part that told the encoding may have told another (tabular.py).
    report.encoding = table.encoding


def _freeze(rows: list[ParsedRow]) -> bytes:
    """A chunk of parsed rows kept as compressed bytes until the write: 100,000 rows as
    objects would be ten times the memory of the whole import."""
    return zlib.compress(pickle.dumps([astuple_row(r) for r in rows], protocol=5), 1)


def _thaw(frozen: bytes) -> list[ParsedRow]:
    return [ParsedRow(*fields) for fields in pickle.loads(zlib.decompress(frozen))]  # noqa: S301 - our own bytes


def astuple_row(row: ParsedRow) -> tuple:
    # By hand: dataclasses.astuple deep-copies every value.
    return (
        row.line,
        row.values,
        row.organisation,
        row.consents,
        row.consent_date,
        row.consent_method,
        row.consent_note,
        row.refused_channels,
        row.preview,
        row.notes,
    )


def _process(
    chunks: Iterable[list[ParsedRow]],
    report: ImportReport,
    decisions: dict[int, str],
    default: str,
    *,
    apply: bool,
    user: Any,
    collect_ids: bool = False,
) -> None:
    keys = _Keys()
    try:
        _process_chunks(chunks, report, decisions, default, keys, apply, user, collect_ids)
    finally:
        keys.close()
    # Rows refused while parsing and while matching, in the file's order.
    report.rejected.sort(key=lambda rejected: rejected.line)
    # A note is about a row that is imported: one refused later (a repeat) has its reason.
    refused = {rejected.line for rejected in report.rejected}
    report.notes = [note for note in report.notes if note.line not in refused]


def _process_chunks(
    chunks: Iterable[list[ParsedRow]],
    report: ImportReport,
    decisions: dict[int, str],
    default: str,
    keys: _Keys,
    apply: bool,
    user: Any,
    collect_ids: bool,
) -> None:
    existing = _Existing(keys)
    new_orgs: dict[str, str] = {}
    now = timezone.now()
    for chunk in chunks:
        match = existing.matcher(chunk)
        matches = [match(result) for result in chunk]
        # What earlier chunks named, looked up once for this chunk; this chunk's own
        # rows are added as they are accepted, and stored with the chunk.
        seen_email = keys.get(
            "seen_email", (r.values["email"] for r in chunk if r.values.get("email"))
        )
        seen_name = keys.get("seen_name", (r.name_key for r in chunk))
        seen_person = keys.get("seen_person", (pk for pk, _ in matches if pk is not None))
        new_email: dict[str, int] = {}
        new_name: dict[str, int] = {}
        new_person: dict[int, int] = {}
        parsed: list[tuple[ParsedRow, int | None, str]] = []
        for result, (pk, matched_by) in zip(chunk, matches, strict=True):
            line = result.line
            email = result.values.get("email")
            if email and email in seen_email:
                report.rejected.append(
                    RowError(line, f"same email as line {seen_email[email]}", result.preview)
                )
                continue
            if not email and result.name_key in seen_name:
                report.rejected.append(
                    RowError(
                        line,
                        f"same name and organisation as line {seen_name[result.name_key]}",
                        result.preview,
                    )
                )
                continue
            if pk is not None and pk in seen_person:
                report.rejected.append(
                    RowError(line, f"same person as line {seen_person[pk]}", result.preview)
                )
                continue
            if email:
                seen_email[email] = new_email[email] = line
            if result.name_key not in seen_name:
                seen_name[result.name_key] = new_name[result.name_key] = line
            if pk is not None:
                seen_person[pk] = new_person[pk] = line
            parsed.append((result, pk, matched_by))
        keys.add("seen_email", new_email.items())
        keys.add("seen_name", new_name.items())
        keys.add("seen_person", new_person.items())
        matched = _known_people([pk for _, pk, _ in parsed if pk is not None])
        creates: list[ParsedRow] = []
        merging: list[tuple[int, ParsedRow]] = []
        for row, pk, matched_by in parsed:
            if row.organisation and row.organisation.lower() not in existing.organisations:
                new_orgs.setdefault(row.organisation.lower(), row.organisation)
            if pk is None:
                creates.append(row)
                report.created += 1
                continue
            person = matched[pk]
            changes = _changes(person, row)
            if not changes:
                report.unchanged += 1
                if collect_ids:
                    report.person_ids.append(pk)
                continue
            decision = decisions.get(row.line, default)
            decision = decision if decision in (MERGE, KEEP) else default
            report.duplicates.append(
                Duplicate(row.line, pk, person.full_name, matched_by, changes, decision)
            )
            if decision == MERGE:
                merging.append((pk, row))
                report.updated += 1
                if collect_ids:
                    report.person_ids.append(pk)
            else:
                creates.append(row)
                report.kept_separate += 1
        if apply:
            # Model instances only for the people who change.
            people = Person.objects.select_related("organisation").prefetch_related(
                "consents", "channel_consents"
            )
            loaded = people.in_bulk([pk for pk, _ in merging])
            merges = [(loaded[pk], row) for pk, row in merging]
            _create_organisations(existing, new_orgs, creates + [r for _, r in merges])
            created_ids = _write(existing, creates, merges, now, user)
            if collect_ids:
                report.person_ids.extend(created_ids)
    report.organisations_created = len(new_orgs)


def _create_organisations(
    existing: _Existing, new_orgs: dict[str, str], rows: list[ParsedRow]
) -> None:
    wanted: dict[str, ParsedRow] = {}
    for row in rows:
        key = row.organisation.lower()
        if row.organisation and key not in existing.organisations:
            wanted.setdefault(key, row)
    if not wanted:
        return
    created = Organisation.objects.bulk_create(
        Organisation(
            name=new_orgs.get(key, row.organisation),
            sector=row.values.get("sector") or Sector.COMMUNITY,
            region=row.values.get("region", ""),
        )
        for key, row in wanted.items()
    )
    for org in created:
        existing.organisations[org.name.lower()] = org.pk


def _keeps_withdrawal(row: ParsedRow, answer: bool, withdrawn_at: Any) -> bool:
    """Whether a consent the person withdrew stays withdrawn although the row grants it.

    A list exported before someone unsubscribed (Mailchimp's audience keeps its old
    opt-in times) must not sign them up again: only a grant dated after the withdrawal
    overturns it; an undated one never does.
    """
    if not answer or withdrawn_at is None:
        return False
    return row.consent_date is None or row.consent_date <= timezone.localdate(withdrawn_at)


def _consent_time(row: ParsedRow, now: Any) -> Any:
    if row.consent_date is None:
        return now
    return timezone.make_aware(datetime.combine(row.consent_date, time(12)))


_PREPARED_TYPES = {
    "DateTimeField",
    "DateField",
    "TimeField",
    "JSONField",
    "DecimalField",
    "UUIDField",
}


def _insert(model: Any, rows: list[dict[str, Any]], now: Any) -> list[int]:
    """INSERT ... RETURNING id in batches, straight from dicts of field values.

    Building model instances and letting the ORM prepare every field of every row
    was most of a 100,000-row import; only dates, JSON and the like need preparing,
    strings, numbers and booleans go to the driver as they are. Fields a row does
    not give take their default; auto_now fields take ``now``.
    """
    if not rows:
        return []
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {
        f.attname: now
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else f.get_default()
        for f in fields
    }
    prepared = {f.attname: f for f in fields if f.get_internal_type() in _PREPARED_TYPES}
    attnames = [f.attname for f in fields]
    # Defaults prepared once; a row's own values for such fields prepared as they come.
    base = {
        name: prepared[name].get_db_prep_save(value, connection) if name in prepared else value
        for name, value in defaults.items()
    }
    # One C-level call per row picks every column's value in order.
    pick = itemgetter(*attnames) if len(attnames) > 1 else lambda v: (v[attnames[0]],)
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    returning = qn(model._meta.pk.column)
    batch = max(1, connection.ops.bulk_batch_size(fields, rows))
    ids: list[int] = []
    memo: dict[tuple[str, Any], Any] = {}
    given = [name for name in prepared if any(name in r for r in rows)]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            part = rows[start : start + batch]
            params: list[Any] = []
            for row in part:
                values = {**base, **row}
                for name in given:
                    if name in row:
                        # Most rows share these values (now, a date): prepare each once.
                        value = row[name]
                        key = (name, value if isinstance(value, Hashable) else repr(value))
                        if key not in memo:
                            memo[key] = prepared[name].get_db_prep_save(value, connection)
                        values[name] = memo[key]
                params.extend(pick(values))
            # Table and column names come from the model, every value is a parameter.
            cursor.execute(
                f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
                f"{', '.join([row_sql] * len(part))} RETURNING {returning}",
                params,
            )
            ids.extend(r[0] for r in cursor.fetchall())
    return ids


def _write(
    existing: _Existing,
    creates: list[ParsedRow],
    merges: list[tuple[Person, ParsedRow]],
    now: Any,
    user: Any,
) -> list[int]:
    new_people = []
    for row in creates:
        values = row.values.copy()
        default_channel = values.pop("_default_channel", Channel.EMAIL)
        values.setdefault("preferred_channel", default_channel)
        values["organisation_id"] = existing.organisations.get(row.organisation.lower())
        new_people.append(values)
    created_ids = _insert(Person, new_people, now)
    recorded_by = user.pk if getattr(user, "is_authenticated", False) else None
    new_consents = [
        {
            "person_id": person_id,
            "purpose": purpose,
            "granted": granted,
            "method": row.consent_method or ConsentMethod.IMPORT,
            "recorded_at": _consent_time(row, now),
            "recorded_by_id": recorded_by,
            "note": row.consent_note,
        }
        for person_id, row in zip(created_ids, creates, strict=True)
        for purpose, granted in row.consents.items()
    ]
    _insert(Consent, new_consents, now)
    _insert(
        ChannelConsent,
        [
            _refusal(person_id, channel, now, recorded_by)
            for person_id, row in zip(created_ids, creates, strict=True)
            for channel in row.refused_channels
        ],
        now,
    )
    refusals: list[ChannelConsent] = []
    consents: list[Consent] = []
    changed_fields: set[str] = set()
    updated_people = []
    consent_updates = []
    for person, row in merges:
        for key, value in row.values.items():
            if not key.startswith("_") and getattr(person, key) != value:
                setattr(person, key, value)
                changed_fields.add(key)
        if row.organisation:
            org_id = existing.organisations.get(row.organisation.lower())
            if org_id != person.organisation_id:
                person.organisation_id = org_id
                changed_fields.add("organisation")
        updated_people.append(person)
        already = {c.channel: c for c in person.channel_consents.all()}
        for channel in row.refused_channels:
            if channel not in already:
                refusals.append(ChannelConsent(**_refusal(person.pk, channel, now, recorded_by)))
            elif already[channel].granted:
                refused = already[channel]
                refused.granted, refused.method, refused.recorded_at = (
                    False,
                    ConsentMethod.IMPORT,
                    now,
                )
                refused.save(update_fields=["granted", "method", "recorded_at"])
        current = {c.purpose: c for c in person.consents.all()}
        for purpose, granted in row.consents.items():
            consent = current.get(purpose)
            if consent is None:
                consents.append(
                    Consent(
                        person=person,
                        purpose=purpose,
                        granted=granted,
                        method=row.consent_method or ConsentMethod.IMPORT,
                        recorded_at=_consent_time(row, now),
                        note=row.consent_note,
                    )
                )
            elif consent.granted != granted and not _keeps_withdrawal(
                row, granted, None if consent.granted else consent.recorded_at
            ):
                consent.granted = granted
                consent.method = row.consent_method or ConsentMethod.IMPORT
                consent.recorded_at = _consent_time(row, now)
                consent.note = row.consent_note
                consent_updates.append(consent)
    if updated_people and changed_fields:
        for person in updated_people:
            person.updated_at = now
        Person.objects.bulk_update(updated_people, [*changed_fields, "updated_at"])
    if consent_updates:
        Consent.objects.bulk_update(consent_updates, ["granted", "method", "recorded_at", "note"])
    Consent.objects.bulk_create(consents)
    ChannelConsent.objects.bulk_create(refusals)
    return created_ids


def _refusal(person_id: int, channel: str, now: Any, recorded_by: int | None) -> dict[str, Any]:
    """A "do not contact by this channel" flag from the file, as a recorded refusal."""
    return {
        "person_id": person_id,
        "channel": channel,
        "granted": False,
        "method": ConsentMethod.IMPORT,
        "recorded_at": now,
        "recorded_by_id": recorded_by,
        "note": "Imported flag: do not contact by this channel",
    }


__all__ = [
    "ImportReport",
    "PreparedImport",
    "UnreadableFile",
    "apply_prepared",
    "prepare_import",
    "run_import",
    "MERGE",
    "KEEP",
]
