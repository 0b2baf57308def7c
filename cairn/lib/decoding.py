"""The text of an uploaded file, whatever tool wrote it: one reading for every importer
(member lists and survey exports as CSV, chats, transcripts, attendance reports, emails
without a declared charset), so a file reads the same everywhere.

In order: a byte order mark decides (UTF-8, UTF-16 LE/BE as Notepad, Excel's "Unicode
text" and Teams write them, UTF-32); UTF-16 without a mark is recognised by its zero
bytes; then UTF-8; a file mixing UTF-8 lines with lines in another encoding is refused
with the lines named (read as one encoding, half its names would be garbled); then an
encoding told apart reliably from Western ones (Shift_JIS, GBK, Big5, EUC-KR, Cyrillic)
by charset-normalizer; else Windows-1252, which Excel on Windows saves. No Django here.
"""

import codecs
import io
from dataclasses import dataclass

# Encodings told apart reliably from Western ones (for which Windows-1252 is the right
# guess, whatever a detector says about a handful of accented letters), with their names.
OTHER_ENCODINGS = {
    "cp932": "Shift_JIS",
    "shift_jis": "Shift_JIS",
    "euc_jp": "EUC-JP",
    "iso2022_jp": "ISO-2022-JP",
    "gb2312": "GB2312",
    "gbk": "GBK",
    "gb18030": "GB18030",
    "big5": "Big5",
    "big5hkscs": "Big5",
    "cp949": "EUC-KR",
    "euc_kr": "EUC-KR",
    "cp1251": "Windows-1251",
    "koi8_r": "KOI8-R",
}
LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "ascii": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "utf-32": "UTF-32",
    "windows-1252": "Windows-1252",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
    **OTHER_ENCODINGS,
}
# How much of a file the detector reads: enough to be sure, little enough to be quick.
DETECT_BYTES = 200_000


class UndecodableText(ValueError):
    """The bytes are not text in any encoding that can be told: binary, or a broken mix."""


class BinaryData(UndecodableText):
    """Zero bytes without a UTF-16 reading: a picture, a PDF, an old .xls, garbage."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the codec it was read with, for reading the bytes again in blocks

    @property
    def label(self) -> str:
        """The encoding's name as people know it: "UTF-16", "Windows-1252", "Shift_JIS"."""
        return encoding_label(self.encoding)

    @property
    def is_utf8(self) -> bool:
        return self.label == "UTF-8"


def encoding_label(codec: str) -> str:
    return LABELS.get(codec.lower(), codec)


def decode_text(data: bytes, *, partial: bool = False) -> Decoded:
    """The file's text and the codec that read it; UndecodableText says why it cannot be.

    With `partial`, `data` is the first part of a longer file, read to tell its encoding:
    a character or a line cut off at its end is not held against it."""
    if data.startswith(codecs.BOM_UTF8):
        # Marked UTF-8: a stray bad byte becomes a replacement mark, not another reading.
        text = _decode(data[len(codecs.BOM_UTF8) :], "utf-8", partial, errors="replace")
        return Decoded(text, "utf-8-sig")
    # UTF-32's marks begin like UTF-16's, so they are looked at first.
    for bom, codec, name in (
        (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
        (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
    ):
        if data.startswith(bom):
            try:
                return Decoded(_decode(data, codec, partial), codec)
            except UnicodeDecodeError as error:
                raise UndecodableText(f"The file says it is {name} but is not.") from error
    unmarked = _unmarked_utf16(data)
    if unmarked:
        try:
            return Decoded(_decode(data, unmarked, partial), unmarked)
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: the zero bytes below say binary
    if b"\x00" in data[:4096]:
        raise BinaryData("The file holds binary data, not text.")
    try:
        return Decoded(_decode(data, "utf-8", partial), "utf-8")
    except UnicodeDecodeError:
        pass
    refuse_mixed_encodings(data, partial=partial)
    other = other_encoding(data, partial=partial)
    if other:
        return Decoded(_decode(data, other, partial), other)
    try:
        # Excel on Windows saves "CSV" as Windows-1252: £, curly quotes, accented names.
        return Decoded(_decode(data, "cp1252", partial), "windows-1252")
    except UnicodeDecodeError:
        return Decoded(_decode(data, "latin-1", partial), "latin-1")


def _decode(data: bytes, codec: str, partial: bool, errors: str = "strict") -> str:
    if not partial:
        return data.decode(codec, errors)
    # An incremental decoder keeps a character cut at the end back instead of failing on it.
    return codecs.getincrementaldecoder(codec)(errors).decode(data, final=False)


def _unmarked_utf16(data: bytes) -> str:
    """ "utf-16-le"/"utf-16-be" for UTF-16 written without a byte order mark: mostly
    Latin text puts a zero in every other byte, on one side only; "" otherwise."""
    head = data[:4096]
    if len(head) < 8 or len(head) % 2 and len(head) == len(data):
        return ""
    pairs = len(head) // 2
    even, odd = head[0 : pairs * 2 : 2].count(0), head[1 : pairs * 2 : 2].count(0)
    if odd > pairs * 0.6 and even == 0:
        return "utf-16-le"
    if even > pairs * 0.6 and odd == 0:
        return "utf-16-be"
    return ""


def _lines_list(numbers: list[int], total: int, negative: bool = False) -> str:
    """ "line 3 is" / "lines 3, 5 and 9 more are" (with "not" after the verb if negative):
    the first of `total` lines by their numbers."""
    shown = ", ".join(str(n) for n in numbers[:SHOWN_LINES])
    shown += f" and {total - SHOWN_LINES:,} more" if total > SHOWN_LINES else ""
    verb = "is" if total == 1 else "are"
    return f"{'line' if total == 1 else 'lines'} {shown} {verb}" + (" not" if negative else "")


SHOWN_LINES = 8


def refuse_mixed_encodings(data: bytes, *, partial: bool = False) -> None:
    """A file pasted together from two sources: some lines UTF-8 with accents, others in
    another encoding. Read as one encoding, half its names would be garbled silently.

    The lines are looked at one at a time, and only the first few of each kind are kept
    to name, so a long file costs no more memory than a short one; with `partial` (the
    first part of a file) a last line cut off is left out."""
    first: dict[bool, list[int]] = {True: [], False: []}  # by "is UTF-8"
    count = {True: 0, False: 0}
    for number, line in enumerate(io.BytesIO(data), start=1):
        if line.isascii() or partial and not line.endswith(b"\n"):
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            utf8 = False
        else:
            utf8 = True
        count[utf8] += 1
        if len(first[utf8]) < SHOWN_LINES:
            first[utf8].append(number)
    if count[True] and count[False]:
        raise UndecodableText(
            "The file mixes two text encodings, so some names would come out garbled: "
            f"{_lines_list(first[True], count[True])} UTF-8, "
            f"{_lines_list(first[False], count[False], negative=True)} "
            "(perhaps Windows-1252). Open it in an editor or a spreadsheet, check those "
            "lines and save it again as UTF-8 (in Excel, “CSV UTF-8”)."
        )


def other_encoding(data: bytes, *, partial: bool = False) -> str:
    """The codec when the file is plainly in a non-Western encoding such as Shift_JIS,
    which read as Windows-1252 would be garbage; "" otherwise."""
    from charset_normalizer import from_bytes  # a second's import, for non-UTF-8 files only

    best = from_bytes(data[:DETECT_BYTES]).best()
    if best is None or best.encoding not in OTHER_ENCODINGS:
        return ""
    try:
        _decode(data, best.encoding, partial)
    except UnicodeDecodeError:
        return ""
    # The codec's own name: the rows are decoded again with it (Shift_JIS is "cp932" or
    # "shift_jis", Windows' superset or the standard, whichever the detector found).
    return best.encoding
