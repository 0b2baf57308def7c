"""Reading the spreadsheets networks really keep: CSV in any common delimiter and
encoding, and XLSX. No models here: bytes in, a header and rows out."""

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice

from cairn.lib.decoding import (
    BinaryData,
    UndecodableText,
    decode_text,
    encoding_label,
    refuse_mixed_encodings,
)

# One cell: a long free-text answer is a few thousand characters; more is a broken file
# (a quote mark never closed) or a hostile one, refused with this limit named.
MAX_FIELD_CHARS = 100_000
DELIMITERS = ",;\t|"
# Hostile or broken files are refused before they hold the server: a member list or a
# survey export has tens of columns, not 16,384; an XLSX of a few MB does not unpack to GBs.
MAX_COLUMNS = 1_000
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_XLSX_RATIO = 200  # unpacked/packed: real sheets are 5-20, zip bombs are thousands
MAX_XLSX_ENTRIES = 10_000

csv.field_size_limit(MAX_FIELD_CHARS)


class UnreadableFile(ValueError):
    """The file as a whole cannot be read: wrong format, empty, or broken."""


@dataclass
class Table:
    headers: list[str]
    encoding: str = ""
    delimiter: str = ""
    kind: str = "csv"
    header_line: int = 1  # row number of the header; rows above it are titles
    _source: bytes = field(default=b"", repr=False)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(row number as the spreadsheet shows it, cells), skipping blank rows."""
        return _data_rows(self._source, self)


def _decode(data: bytes, *, partial: bool = False) -> tuple[str, str]:
    """The text and the codec that read it (cairn.lib.decoding, as every importer)."""
    try:
        decoded = decode_text(data, partial=partial)
    except BinaryData as error:
        raise UnreadableFile(
            "This does not look like a CSV or Excel file (it contains binary data)."
        ) from error
    except UndecodableText as error:
        raise UnreadableFile(str(error)) from error
    return decoded.text, decoded.encoding


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text[:20_000].splitlines()[:30])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        counts = {d: first.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _clean_headers(raw: list[str]) -> list[str]:
    """Names for the columns, each unique, in time linear in the number of columns."""
    if len(raw) > MAX_COLUMNS:
        raise UnreadableFile(
            f"The header has {len(raw):,} columns; at most {MAX_COLUMNS:,} can be read."
        )
    headers: list[str] = []
    used: set[str] = set()
    next_suffix: dict[str, int] = {}
    for index, cell in enumerate(raw, start=1):
        name = " ".join(str(cell or "").split()) or f"Column {index}"
        base, n = name, next_suffix.get(name, 2)
        while name in used:
            name = f"{base} ({n})"
            n += 1
        next_suffix[base] = n
        used.add(name)
        headers.append(name)
    while headers and headers[-1].startswith("Column ") and len(headers) > 1:
        # Trailing empty header cells from spreadsheets with stray formatting.
        headers.pop()
    return headers


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


HEADER_SEARCH_ROWS = 15


def _find_header(
    rows: Iterator[tuple[int, list[str]]], score: Callable[[list[str]], int] | None
) -> tuple[int, list[str]] | None:
    """The header row: the first row, or with ``score``, the best-scoring of the first
    rows (exports put a title, a date or a blank row above their header)."""
    first = next(rows, None)
    if first is None or score is None:
        return first
    best, best_score = first, score(first[1])
    for row in islice(rows, HEADER_SEARCH_ROWS - 1):
        if (value := score(row[1])) > best_score:
            best, best_score = row, value
    return best


def read_table(
    data: bytes, filename: str = "", header_score: Callable[[list[str]], int] | None = None
) -> Table:
    """Open a member list; raise UnreadableFile with a plain reason if it cannot be read."""
    if not data or data.isspace():  # not data.strip(): that copies the whole file
        raise UnreadableFile("The file is empty.")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(
            "This is an old Excel (.xls) file. Save it as .xlsx or CSV and try again."
        )
    if data.startswith(b"PK\x03\x04"):
        table = Table(headers=[], kind="xlsx", _source=data)
        first = _find_header(_xlsx_rows(data), header_score)
        if first is None:
            raise UnreadableFile("The spreadsheet has no rows.")
        table.header_line, table.headers = first[0], _clean_headers(first[1])
        return table
    text, encoding = _detect_encoding(data)
    table = Table(headers=[], encoding=encoding, delimiter=_sniff_delimiter(text), _source=data)
    first = _find_header(_csv_rows_streamed(data, table), header_score)
    if first is None:
        raise UnreadableFile("The file has no header row.")
    table.header_line, table.headers = first[0], _clean_headers(first[1])
    return table


def _read_csv(lines: Iterable[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    quotes = [0]

    def counted(lines: Iterable[str]) -> Iterator[str]:
        # Quote marks seen so far: an odd count at the end means one was never closed.
        for line in lines:
            quotes[0] += line.count('"')
            yield line

    reader = csv.reader(counted(lines), delimiter=delimiter)
    start = 1
    width = 0
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                width = width or len(cells)
                _check_swallowed(cells, start, reader.line_num, width, delimiter)
                yield start, [c.strip() for c in cells]
            start = reader.line_num + 1
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise UnreadableFile(
                f"Line {reader.line_num} has a cell longer than {MAX_FIELD_CHARS:,} characters, "
                "the most one cell may hold. If it should not be that long, a quote mark "
                '(") before it may be missing its partner.'
            ) from error
        raise UnreadableFile(f"Line {reader.line_num} could not be read: {error}.") from error
    if start <= reader.line_num and quotes[0] % 2:
        raise UnreadableFile(
            f'Line {start}: a quote mark (") opened there is never closed, so the rest of '
            f"the file (to line {reader.line_num}) would be read as one cell. Add the missing "
            "quote mark or remove the stray one, and upload it again."
        )


def _check_swallowed(cells: list[str], start: int, end: int, width: int, delimiter: str) -> None:
    """A quote mark left open swallows the next rows into one cell, which then holds line
    breaks followed by whole rows (their delimiters): say so, with the line numbers."""
    if end == start or width < 3:
        return
    for cell in cells:
        if "\n" in cell and any(
            line.count(delimiter) >= width - 1 for line in cell.split("\n")[1:]
        ):
            raise UnreadableFile(
                f'Line {start}: a quote mark (") there is not closed where it should be, so '
                f"lines {start + 1} to {end} were read into one cell. Check the quote marks "
                "on that line, and upload it again."
            )


# How much of a CSV file tells its encoding and delimiter: the rows are then decoded a
# block at a time, so a member list's import never holds its text whole beside its bytes.
SAMPLE_BYTES = 64 * 1024


def _detect_encoding(data: bytes) -> tuple[str, str]:
    """The text of the file's first `SAMPLE_BYTES` and the codec that read it."""
    if len(data) <= SAMPLE_BYTES:
        return _decode(data)
    text, encoding = _decode(data[:SAMPLE_BYTES], partial=True)
    if encoding_label(encoding) not in ("UTF-8", "UTF-16", "UTF-32"):
        # Read in one encoding, UTF-8 lines further down would be garbled, not refused:
        # the whole file is looked at for them, a line at a time.
        try:
            refuse_mixed_encodings(data)
        except UndecodableText as error:
            raise UnreadableFile(str(error)) from error
    return text, encoding


def _csv_rows_streamed(data: bytes, table: Table) -> Iterator[tuple[int, list[str]]]:
    """The rows decoded a block at a time with the encoding the file's first bytes told.

    A byte further down that this encoding cannot read (a Windows-1252 "é" after 64 KiB
    of plain English) sends the whole file to the detection, as before sampling: it
    refuses a file mixing two encodings, naming the lines, or names the encoding, and the
    rows go on in it. The rows already given are never given twice or left out."""
    given = 0
    plain = [True]  # every line read so far is ASCII, the same in any encoding but UTF-16/32
    try:
        for number, cells in _read_csv(_text_lines(data, table.encoding, plain), table.delimiter):
            given = number
            yield number, cells
        return
    except UnicodeDecodeError:
        first_encoding = table.encoding
    table.encoding = _decode(data)[1]
    if not plain[0]:
        line = _first_unreadable_line(data, first_encoding)
        raise UnreadableFile(
            f"Line {line:,} cannot be read as {encoding_label(first_encoding)}, the encoding "
            "of the lines above it, so the file mixes two text encodings. Open it in an "
            "editor or a spreadsheet, check that line and save it again as UTF-8 (in Excel, "
            "“CSV UTF-8”)."
        )
    for number, cells in _read_csv(_text_lines(data, table.encoding, plain), table.delimiter):
        if number > given:
            yield number, cells


def _text_lines(data: bytes, encoding: str, plain: list[bool]) -> Iterator[str]:
    errors = "replace" if encoding == "utf-8-sig" else "strict"
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors=errors, newline="")
    for line in stream:
        plain[0] = plain[0] and line.isascii()
        yield line


def _first_unreadable_line(data: bytes, encoding: str) -> int:
    for number, line in enumerate(io.BytesIO(data), start=1):
        try:
            line.decode(encoding)
        except UnicodeDecodeError:
            return number
    return 0


def check_xlsx_package(data: bytes) -> None:
    """Refuse a workbook whose parts would unpack too large, before unpacking anything.

    The sizes come from the zip's own directory; a lying directory is caught by
    zipfile itself, which stops reading an entry at its declared size.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            entries = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnreadableFile("The file could not be read as an Excel workbook.") from error
    if len(entries) > MAX_XLSX_ENTRIES:
        raise UnreadableFile(f"The workbook has {len(entries):,} parts; a spreadsheet has tens.")
    unpacked = sum(e.file_size for e in entries)
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise UnreadableFile(
            f"The workbook would unpack to {unpacked // 2**20:,} MB; at most "
            f"{MAX_XLSX_UNPACKED_BYTES // 2**20:,} MB can be read. Save it as CSV and try again."
        )
    packed = sum(e.compress_size for e in entries) or 1
    if unpacked > 1024 * 1024 and unpacked / packed > MAX_XLSX_RATIO:
        raise UnreadableFile(
            "The workbook unpacks to far more than a spreadsheet would (a zip bomb?)."
        )


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    # openpyxl parses the sheet XML with defusedxml when it is installed: no entity
    # expansion ("billion laughs"), no external entities. Without it, refuse.
    if not DEFUSEDXML:
        raise UnreadableFile("XLSX files cannot be read safely here (defusedxml is missing).")
    check_xlsx_package(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # any parse failure of an untrusted file is "unreadable"
        raise UnreadableFile("The file could not be read as an Excel workbook.") from error
    try:
        sheet = workbook.worksheets[0]
        # The sheet's declared size (A1:XFD1048576 in a 5 KB file) is not believed:
        # rows are as long as their cells, not padded to the declared width.
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if len(values) > MAX_COLUMNS:
                raise UnreadableFile(
                    f"Row {number} has {len(values):,} columns; at most {MAX_COLUMNS:,} "
                    "can be read."
                )
            cells = [_cell(v) for v in values]
            if any(cells):
                yield number, cells
    except UnreadableFile:
        raise
    except Exception as error:  # malformed sheet XML surfaces while iterating
        raise UnreadableFile(f"The workbook's sheet could not be read: {error}.") from error
    finally:
        workbook.close()


def _data_rows(data: bytes, table: Table) -> Iterator[tuple[int, list[str]]]:
    rows = _xlsx_rows(data) if table.kind == "xlsx" else _csv_rows_streamed(data, table)
    for number, cells in rows:
        if number > table.header_line:  # the header and any title rows above it
            yield number, cells
