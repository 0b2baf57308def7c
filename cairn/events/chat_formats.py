"""Parsers for the meeting chats and transcripts people actually have. No Django here.

Forms understood (the first message line decides the form; each is shown as
the video tool writes it, with <TAB> for a tab):

- Zoom local save, older:  ``12:03:55<TAB> From  Jane Doe : text``
  (private: ``From  Jane Doe  to  Sam Bell(Privately) : text``)
- Zoom local save, newer:  ``12:03:55 From Jane Doe to Everyone:`` and the message
  on the following lines, each indented with a tab; since 2024 the line may start
  with the date (``2025-12-11 22:04:04 From ...``) and reactions are listed under
  the message as ``<TAB>Ann Lee, Bo Chan:👍``
  (private: ``... to Sam Bell(Direct Message):``)
- Zoom cloud recording:    ``00:02:13<TAB>Jane Doe:<TAB>text``, later lines of a
  message follow without a time
- Zoom saved live transcript: ``[Jane Doe] 11:02:09`` and the words on the next lines
- Google Meet transcript (the Google Doc saved as text): ``<meeting> (2024-11-05 11:02
  GMT-5) - Transcript``, ``Attendees``, their names, ``Transcript``, then ``Name: words``
  paragraphs with ``00:05:00`` marks every five minutes
- Google Meet chat copied from the chat panel: the name, the time (``11:07 AM``), the words
- WebVTT transcripts (read with webvtt-py): cues whose text is ``Name: text`` (Zoom)
  or ``<v Name>text</v>`` (Teams); SubRip (.srt) the same way.
- Microsoft Teams transcript downloaded as .docx: a title, the date, the length,
  ``Ann Lee started transcription``, then ``Ann Lee   0:03`` (name, spaces, minutes and
  seconds from the start) and the words; the older download writes
  ``0:0:5.100 --> 0:0:8.250``, the name and the words.
- Microsoft Teams chat copied from the chat (select, copy, paste into a .txt file): each
  message starts with a preview line ``First words... by Ann Lee``, then the name and the
  time in either order (``2:44 pm``), then the words; reactions follow as a count.

In the chats, Zoom writes a reaction as its own message (``Reacted to "..." with 👍``,
also in Spanish and Dutch) and a reply as ``Replying to "start of the message..."``
before the text. Reactions are counted, never kept as messages; a reply keeps its
text and points at the message it answers (``reply_to``).

Private and direct messages are skipped and counted, never kept. A line that
belongs to no message is reported with its number and the reason; callers
import nothing from a file with any such line. A cue with no speaker is kept with
``speaker=""`` (unknown), never handed to the previous speaker.
"""

from __future__ import annotations

import html
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta

import docx  # python-docx, as for reports
import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from cairn.lib.decoding import Decoded, decode_text

ZOOM_OLD = "zoom-local-old"
ZOOM_NEW = "zoom-local"
ZOOM_CLOUD = "zoom-cloud"
ZOOM_TRANSCRIPT = "zoom-saved-transcript"
MEET_TRANSCRIPT = "google-meet-transcript"
MEET_CHAT = "google-meet-chat"
TEAMS_DOCX = "teams-transcript-docx"
TEAMS_CHAT = "teams-chat"
VTT = "webvtt"
SRT = "subrip"
TRANSCRIPTS = frozenset({VTT, SRT, ZOOM_TRANSCRIPT, MEET_TRANSCRIPT, TEAMS_DOCX})

_TIME = r"(?P<time>\d{1,2}:\d{2}:\d{2})"
_PRIVATE = re.compile(r"\((?:privately|direct message)\)\s*$", re.IGNORECASE)
OLD_LINE = re.compile(_TIME + r"\t ?From {1,2}(?P<who>.+?) : ?(?P<text>.*)$")
NEW_HEADER = re.compile(
    r"(?:(?P<date>\d{4}-\d{2}-\d{2}) )?"
    + _TIME
    + r" From (?P<who>.+?)(?: [Tt]o (?P<to>.+?))?:(?: (?P<text>.*))?$"
)
CLOUD_LINE = re.compile(_TIME + r"\t(?P<who>[^\t]+?):\t(?P<text>.*)$")
SAVED_TRANSCRIPT_HEADER = re.compile(r"^\[(?P<who>[^\]\n]{1,200})\] " + _TIME + r"\s*$")
LOOKS_TIMED = re.compile(r"^(?:\d{4}-\d{2}-\d{2} )?\d{1,2}:\d{2}:\d{2}\b")
SRT_START = re.compile(r"^\d+\s*\n\d{1,2}:\d{2}:\d{2},\d{3} --> ")
CUE_TIMING = re.compile(
    r"^\s*(?P<start>(?:\d+:)?\d{1,2}:\d{1,2}[.,]\d{1,3})\s*-->\s*"
    r"(?P<end>(?:\d+:)?\d{1,2}:\d{1,2}[.,]\d{1,3})"
)

# What Zoom writes, in the languages we have seen files in, for a reaction, for
# taking one back, and before a reply.
REACTION = re.compile(
    r"^(?:Reacted to|Se ha reaccionado a|Heeft gereageerd op|A réagi à|Hat auf) "
    r'"(?P<quote>.*)" (?:with|con|met|avec|mit)\s+\S.*$',
    re.DOTALL,
)
REACTION_REMOVED = re.compile(r'^Removed a .{1,40} reaction from ".*"\s*$', re.DOTALL)
REPLY = re.compile(
    r"^(?:Replying to|Respondiendo a|Antwoord op|En réponse à|Antwort auf) "
    r'"(?P<quote>.*?)"(?=[\s:]|$):?[ \t]*\n?(?P<text>.*)$',
    re.DOTALL,
)
# The newest local save lists reactions under the message: "<TAB>Ann Lee, Bo Chan:👍"
INLINE_REACTION = re.compile(
    r"^(?P<who>[^:\n]{0,2000}[^:\s]):(?P<emoji>[^\w\s]*[^\x00-\u1fff\w\s][^\w\s]*)$"
)

_NAME_PARTICLES = {"van", "der", "den", "de", "la", "le", "von", "da", "du", "del", "di", "bin"}
NAME_PREFIX = re.compile(r"^(?P<who>[^:<>\n]{1,60}?):\s+(?P<text>\S.*)$", re.DOTALL)
TAGS = re.compile(r"</?[^>\n]*>")


@dataclass(frozen=True)
class Message:
    line: int  # where the message starts in the file, from 1
    speaker: str  # "" when the file does not say who spoke
    text: str
    time: str = ""  # as written: the time of day (local saves) or the offset (cloud, VTT)
    offset: timedelta | None = None  # from the start of the recording, when the form gives it
    date: str = ""  # YYYY-MM-DD when the file writes it (newest Zoom local save)
    reply_to: int | None = None  # index in ParseResult.messages of the message answered

    @property
    def unknown_speaker(self) -> bool:
        return not self.speaker


@dataclass(frozen=True)
class LineError:
    line: int
    text: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}: {self.text[:80]!r}"


@dataclass
class ParseResult:
    format: str
    messages: list[Message] = field(default_factory=list)
    private_skipped: int = 0
    reactions: int = 0  # reactions counted, never imported
    errors: list[LineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.messages)

    @property
    def is_transcript(self) -> bool:
        return self.format in TRANSCRIPTS


class _Draft:
    def __init__(self, line: int, speaker: str, time: str, text: str, private: bool, date=""):
        self.line, self.speaker, self.time, self.private = line, speaker, time, private
        self.date = date
        self.lines = [text] if text else []


def decode(data: bytes) -> Decoded:
    """Text of an uploaded chat or transcript, read as every importer reads text
    (`cairn.lib.decoding`: byte order marks, UTF-16, UTF-8, Shift_JIS and the like, else
    Windows-1252); UndecodableText says why it cannot be read."""
    return decode_text(data)


# Files people bring that we recognise but cannot read: what they are, and what to do.
def recognise_unsupported(data: bytes) -> str | None:
    """A sentence naming a recognised but unsupported file, or None."""
    head = data[:4096]
    if head.startswith(b"PK\x03\x04"):
        if is_docx(data):
            return None  # read by parse_docx: a Teams transcript, or refused with a reason
        if b"xl/" in data[:65536]:
            return "This is an Excel workbook; a chat or transcript is a .txt or .vtt file."
        return "This is a zip archive; unpack it and import the chat .txt or the .vtt inside."
    if head.startswith(b"%PDF"):
        return "This is a PDF; export the chat as text (.txt) or the transcript as .vtt."
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html")):
        return (
            "This is a web page (HTML), such as a Teams compliance (eDiscovery) export or "
            "a saved chat page; it is not supported. Save the chat as a .txt file instead "
            "(in Teams: select the messages, copy, paste into a text file)."
        )
    if text.startswith((b"{", b"[{")) and any(k in data[:65536] for k in TEAMS_JSON_KEYS):
        return (
            "This is a Microsoft Teams JSON export (from Microsoft Graph or the Teams data "
            "download); it is not supported. Copy the meeting chat from Teams into a .txt "
            "file, or download the transcript as .docx or .vtt."
        )
    if text.startswith((b"{", b"[{")):
        return (
            "This is a JSON export (such as the Zoom or Teams API gives); "
            "it is not supported. Save the meeting chat as .txt or the transcript as .vtt."
        )
    if text.startswith(b"\x00") or b"\x00\x00" in head:
        return "This is a binary file, not a chat or transcript."
    return None


TEAMS_JSON_KEYS = (b'"messageType"', b'"@odata.', b'"createdDateTime"', b'"imdisplayname"')


def is_docx(data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04") and b"word/" in data[:65536]


# One line of a chat or transcript: a long message is a few thousand characters; a
# line of megabytes is not a chat, and is refused with the limit named.
MAX_LINE_CHARS = 100_000
# What is left of a message's first line when a file is cut short in the middle of it:
# part of a time (``12:04``, ``00:02:3``), a date, or ``[Name`` of a saved transcript.
_CUT_HEADER = re.compile(r"^(?:\d{4}-[\d-]*(?: [\d:]*)?|\d{1,2}(?::\d{0,2}){0,2}|\[[^\]]*)$")


def parse(text: str) -> ParseResult:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_CHARS:
            reason = (
                f"this line is {len(line):,} characters long; one line of a chat or "
                f"transcript may hold at most {MAX_LINE_CHARS:,}"
            )
            return ParseResult("unknown", errors=[LineError(number, line[:80], reason)])
    result = _parse(text, lines)
    last = lines[-1].strip()
    if last and _CUT_HEADER.match(last) and not any(e.line == len(lines) for e in result.errors):
        # No line break at the end and half a time: the file was cut short. Without this the
        # fragment would be glued to the previous message as one more line of its text.
        result.errors.append(
            LineError(
                len(lines),
                last,
                "the file ends in the middle of this line (it looks cut short); "
                "export or copy the chat again",
            )
        )
    return result


def _parse(text: str, lines: list[str]) -> ParseResult:
    first = next((line for line in lines if line.strip()), "")
    if first.strip().startswith("WEBVTT"):
        return parse_vtt(text)
    if SRT_START.match(text.lstrip("\n")):
        return parse_vtt(text, srt=True)
    if OLD_LINE.match(first):
        return _link_replies(_parse_chat(lines, ZOOM_OLD))
    if CLOUD_LINE.match(first):
        return _link_replies(_parse_chat(lines, ZOOM_CLOUD))
    if NEW_HEADER.match(first):
        return _link_replies(_parse_chat(lines, ZOOM_NEW))
    if SAVED_TRANSCRIPT_HEADER.match(first):
        return _parse_saved_transcript(lines)
    filled = [line.strip() for line in lines if line.strip()]
    if MEET_TITLE.search(first) and len(filled) > 1 and filled[1] == "Attendees":
        return _parse_meet_transcript(lines)
    if len(filled) > 1 and MEET_CHAT_TIME.match(filled[1]) and not MEET_CHAT_TIME.match(filled[0]):
        return _parse_meet_chat(lines)
    if _teams_chat_starts(lines):
        return _parse_teams_chat(lines)
    number = next((i for i, line in enumerate(lines, start=1) if line.strip()), 1)
    reason = (
        "the file is empty"
        if not first
        else (
            "not a line of a Zoom, Teams or Google Meet chat, a Zoom saved transcript "
            "or a WebVTT/SubRip transcript"
        )
    )
    return ParseResult("unknown", errors=[LineError(number, first, reason)])


def _offset(value: str) -> timedelta:
    parts = [float(p.replace(",", ".")) for p in value.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0.0)
    hours, minutes, seconds = parts
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


def _strip_inline_reactions(lines: list[str]) -> tuple[list[str], int]:
    """Drop the newest local save's reaction lines from the end of a message."""
    count = 0
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    while lines and (match := INLINE_REACTION.match(lines[-1].strip())):
        count += len([n for n in match["who"].split(",") if n.strip()])
        lines = lines[:-1]
        while lines and not lines[-1].strip():
            lines = lines[:-1]
    return lines, count


def _parse_chat(lines: list[str], form: str) -> ParseResult:
    result = ParseResult(form)
    draft: _Draft | None = None

    def close() -> None:
        nonlocal draft
        if draft is None:
            return
        body_lines = draft.lines
        if form == ZOOM_NEW:
            body_lines, reacted = _strip_inline_reactions(body_lines)
            result.reactions += reacted
        body = "\n".join(body_lines).strip()
        if draft.private:
            result.private_skipped += 1
        elif REACTION.match(body) or REACTION_REMOVED.match(body):
            result.reactions += 1
        elif not body:
            result.errors.append(LineError(draft.line, draft.speaker, "a message with no text"))
        else:
            result.messages.append(
                Message(
                    line=draft.line,
                    speaker=draft.speaker,
                    text=body,
                    time=draft.time,
                    offset=_offset(draft.time) if form == ZOOM_CLOUD else None,
                    date=draft.date,
                )
            )
        draft = None

    for number, raw in enumerate(lines, start=1):
        header = _chat_header(raw, form)
        if header is not None:
            close()
            date, time, who, to, text = header
            private = bool(to and _PRIVATE.search(to)) or bool(_PRIVATE.search(who))
            who = _PRIVATE.sub("", who).strip()
            draft = _Draft(number, who, time, text.strip(), private, date)
            continue
        if not raw.strip():
            # Blank lines inside a message are kept; trailing ones are trimmed at close.
            if draft is not None and draft.lines:
                draft.lines.append("")
            continue
        if LOOKS_TIMED.match(raw):
            result.errors.append(LineError(number, raw, f"a timed line not in the {form} form"))
            continue
        if draft is None:
            result.errors.append(LineError(number, raw, "text before the first message"))
            continue
        if form == ZOOM_NEW and not raw.startswith("\t"):
            result.errors.append(
                LineError(number, raw, "message text should be indented with a tab")
            )
            continue
        draft.lines.append(raw[1:] if raw.startswith("\t") else raw)
    close()
    result.errors.sort(key=lambda e: e.line)
    return result


def _chat_header(raw: str, form: str) -> tuple[str, str, str, str | None, str] | None:
    if form == ZOOM_OLD:
        match = OLD_LINE.match(raw)
        if not match:
            return None
        who = match["who"].strip()
        to = None
        if "  to  " in who:  # "Jane Doe  to  Sam Bell(Privately)"
            who, to = (part.strip() for part in who.split("  to  ", 1))
        return "", match["time"], who, to, match["text"]
    if form == ZOOM_CLOUD:
        match = CLOUD_LINE.match(raw)
        return ("", match["time"], match["who"].strip(), None, match["text"]) if match else None
    match = NEW_HEADER.match(raw)
    if not match:
        return None
    return (
        match["date"] or "",
        match["time"],
        match["who"].strip(),
        match["to"],
        match["text"] or "",
    )


def _quote_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"(?:\.\.\.|…)\s*$", "", text.strip())
    return " ".join(text.split())


def _link_replies(result: ParseResult) -> ParseResult:
    """Take 'Replying to "..."' off the text and point the reply at the message it answers."""
    linked: list[Message] = []
    for message in result.messages:
        match = REPLY.match(message.text)
        if not match:
            linked.append(message)
            continue
        text = match["text"].strip()
        if not text:
            result.errors.append(LineError(message.line, message.text, "a reply with no text"))
            continue
        quote = _quote_key(match["quote"])
        answered = None
        if quote:
            for index in range(len(linked) - 1, -1, -1):
                if _quote_key(linked[index].text).startswith(quote):
                    answered = index
                    break
        linked.append(_replace(message, text=text, reply_to=answered))
    result.messages = linked
    result.errors.sort(key=lambda e: e.line)
    return result


def _replace(message: Message, **changes) -> Message:
    values = {**message.__dict__, **changes}
    return Message(**values)


def _parse_saved_transcript(lines: list[str]) -> ParseResult:
    """Zoom's saved live transcript: ``[Name] 11:02:09`` then the words."""
    result = ParseResult(ZOOM_TRANSCRIPT)
    draft: _Draft | None = None

    def close() -> None:
        nonlocal draft
        if draft is None:
            return
        body = "\n".join(draft.lines).strip()
        if not body:
            result.errors.append(LineError(draft.line, draft.speaker, "a passage with no words"))
        else:
            text = " ".join(body.split())
            result.messages.append(Message(draft.line, draft.speaker, text, draft.time))
        draft = None

    for number, raw in enumerate(lines, start=1):
        header = SAVED_TRANSCRIPT_HEADER.match(raw)
        if header:
            close()
            draft = _Draft(number, header["who"].strip(), header["time"], "", False)
            continue
        if not raw.strip():
            continue
        if LOOKS_TIMED.match(raw) or raw.startswith("["):
            result.errors.append(
                LineError(number, raw, "a line that looks like a speaker line but is not one")
            )
            continue
        if draft is None:
            result.errors.append(LineError(number, raw, "text before the first speaker"))
            continue
        draft.lines.append(raw)
    close()
    return result


MEET_TITLE = re.compile(r"\s[-–]\s*Transcript\s*$")
MEET_MARK = re.compile(r"^(\d{1,2}:\d{2}:\d{2})$")
MEET_END = re.compile(r"^Meeting ended after \d{1,2}:\d{2}:\d{2}$")
MEET_NOTICE = "This editable transcript was computer generated"
MEET_CHAT_TIME = re.compile(r"^\d{1,2}:\d{2}(?:\s?[AaPp]\.?[Mm]\.?)?$")


def _parse_meet_transcript(lines: list[str]) -> ParseResult:
    """Google Meet's transcript document; speakers are the names under Attendees."""
    result = ParseResult(MEET_TRANSCRIPT)
    index = 0
    while index < len(lines) and lines[index].strip() != "Attendees":
        index += 1
    index += 1
    names: list[str] = []
    while index < len(lines) and lines[index].strip() != "Transcript":
        names += [n.strip() for n in lines[index].split(",") if n.strip()]
        index += 1
    index += 1
    known = sorted(set(names), key=len, reverse=True)  # "Ann Lee's Presentation" before "Ann Lee"
    mark = timedelta(0)
    for number in range(index + 1, len(lines) + 1):
        line = lines[number - 1].strip()
        if not line or line.startswith(MEET_NOTICE) or MEET_END.match(line):
            continue
        if MEET_MARK.match(line):
            mark = _offset(line)
            continue
        speaker = next((n for n in known if line.startswith(n + ":")), "")
        text = line[len(speaker) + 1 :].strip() if speaker else line
        if not text:
            continue  # Meet writes "Name: " for a sound with no words
        result.messages.append(Message(number, speaker, text, time=str(mark), offset=mark))
    if not names:
        result.errors.append(LineError(1, lines[0], "a Meet transcript with no Attendees"))
    return result


def _parse_meet_chat(lines: list[str]) -> ParseResult:
    """The Google Meet chat panel copied as text: name, time, then the words."""
    result = ParseResult(MEET_CHAT)
    filled = [(n, line.strip()) for n, line in enumerate(lines, start=1) if line.strip()]
    starts = [
        i
        for i in range(len(filled) - 1)
        if MEET_CHAT_TIME.match(filled[i + 1][1]) and not MEET_CHAT_TIME.match(filled[i][1])
    ]
    if not starts or starts[0] != 0:
        result.errors.append(LineError(filled[0][0], filled[0][1], "text before the first message"))
        return result
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(filled)
        body = [text for _, text in filled[start + 2 : end]]
        if body[-2:] == ["keep", "Pinned"]:  # the pin icon's name and label, not words
            body = body[:-2]
        line, speaker = filled[start]
        if not body:
            result.errors.append(LineError(line, speaker, "a message with no text"))
            continue
        time = _clock(filled[start + 1][1])
        result.messages.append(Message(line, speaker, "\n".join(body), time=time))
    return result


def _clock(text: str) -> str:
    """'11:07 AM' as '11:07:00' (24-hour), the form the importer reads."""
    match = re.match(r"^(\d{1,2}):(\d{2})\s?([AaPp])?", text)
    hours, minutes = int(match.group(1)), int(match.group(2))
    if match.group(3):
        hours = hours % 12 + (12 if match.group(3).lower() == "p" else 0)
    return f"{hours:02d}:{minutes:02d}:00"


def parse_vtt(text: str, srt: bool = False) -> ParseResult:
    """A WebVTT (or SubRip) transcript through webvtt-py; speakers from voice tags or prefixes."""
    result = ParseResult(SRT if srt else VTT)
    lines = text.split("\n")
    try:
        captions = _read_captions(text, srt)
    except (MalformedFileError, MalformedCaptionError, ValueError) as exc:
        number = _line_of(lines, str(exc))
        result.errors.append(LineError(number, lines[number - 1] if lines else "", _why(exc)))
        return result
    result.errors.extend(_blocks_without_timing(lines))
    timing_lines = [i for i, line in enumerate(lines, start=1) if "-->" in line]
    readable = [i for i in timing_lines if CUE_TIMING.match(lines[i - 1])]
    for number in timing_lines:
        if number not in readable:
            result.errors.append(
                LineError(number, lines[number - 1], "a cue timing we cannot read")
            )
    if result.errors:
        return result
    if len(readable) != len(captions):
        result.errors.append(
            LineError(1, lines[0], "some cues could not be read; check the file is complete")
        )
        return result
    # A cue written with no blank line before the next one gets that cue's
    # identifier as its last line of text; give it back.
    glued = {
        number: lines[number - 2].strip()
        for number in readable
        if number >= 2 and lines[number - 2].strip() and "-->" not in lines[number - 2]
    }
    cues = []
    for position, (number, caption) in enumerate(zip(readable, captions, strict=True)):
        start, end = _offset(caption.start), _offset(caption.end)
        if end < start:
            result.errors.append(
                LineError(number, lines[number - 1], "a cue that ends before it starts")
            )
            continue
        raw = caption.raw_text if hasattr(caption, "raw_text") else caption.text
        following = readable[position + 1] if position + 1 < len(readable) else None
        if following in glued and raw.rstrip().endswith("\n" + glued[following]):
            raw = raw.rstrip()[: -len(glued[following])]
        if not raw.strip():
            result.errors.append(LineError(number, lines[number - 1], "a cue with no text"))
            continue
        cues.append((number, caption, start, raw))
    if result.errors:
        return result
    prefixes = [_name_prefix(raw) for _, _, _, raw in cues]
    repeated = {p for p in prefixes if p and prefixes.count(p) > 1}
    # Zoom writes "Name: " before every cue; there a one-word lower-case name
    # ("terence: ...") is still a name, while in other files it is more likely text.
    if cues and sum(1 for p in prefixes if p) >= 0.8 * len(cues):
        repeated |= {p for p in prefixes if p and len(p.split()) == 1}
    for (number, caption, start, raw), prefix in zip(cues, prefixes, strict=True):
        speaker, body = _cue_speaker(raw, prefix, repeated)
        body = html.unescape(TAGS.sub("", body))
        body = " ".join(part.strip() for part in body.split("\n") if part.strip())
        if not body:
            result.errors.append(LineError(number + 1, raw, "a cue with no text"))
            continue
        result.messages.append(
            Message(
                line=number + 1,
                speaker=html.unescape(speaker).strip(),
                text=body,
                time=caption.start,
                offset=start,
            )
        )
    return result


def _blocks_without_timing(lines: list[str]) -> list[LineError]:
    """Blocks after the header that are neither a cue nor a note: webvtt-py skips them."""
    errors, block, start = [], [], 0
    blocks = []
    for number, line in enumerate([*lines, ""], start=1):
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            blocks.append((start, block))
            block = []
    for start, block in blocks[1:]:  # the first block is the WEBVTT header (or SRT's first cue)
        if any("-->" in line for line in block) or block[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        at = next((i for i, line in enumerate(block) if LOOKS_TIMED.match(line.strip())), 0)
        errors.append(LineError(start + at, block[at], "a cue without a timing line"))
    return errors


def _read_captions(text: str, srt: bool) -> list:
    if srt:
        return list(webvtt.from_buffer(io.StringIO(text), format="srt").captions)
    return list(webvtt.from_string(text).captions)


def _why(exc: Exception) -> str:
    message = str(exc)
    if "Invalid format" in message or isinstance(exc, MalformedFileError):
        return "not a well-formed WebVTT/SubRip file"
    return f"a cue we cannot read ({message[:80]})"


def _line_of(lines: list[str], message: str) -> int:
    for number, line in enumerate(lines, start=1):
        if line.strip() and line.strip() in message:
            return number
    return 1


def _looks_like_name(candidate: str) -> bool:
    words = re.sub(r"\([^)]*\)", " ", candidate).split()
    if not words or len(words) > 5:
        return False
    for word in words:
        if word.casefold() in _NAME_PARTICLES:
            continue
        if not word[0].isupper():
            return False
    return True


def _name_prefix(raw: str) -> str:
    if "<v" in raw:
        return ""
    match = NAME_PREFIX.match(raw.strip())
    return match["who"].strip() if match else ""


def _cue_speaker(raw: str, prefix: str, repeated: set[str]) -> tuple[str, str]:
    """Who spoke: a voice tag; else a ``Name:`` prefix that is a name, not a sentence."""
    voices = list(_voices(raw))
    if voices:
        return voices[0][0], "\n".join(text for _, text in voices)
    if prefix and (prefix in repeated or _looks_like_name(prefix)):
        return prefix, NAME_PREFIX.match(raw.strip())["text"]
    return "", raw


VOICE = re.compile(r"<v(?:\.[\w.-]+)*\s+(?P<who>[^>\n]+)>(?P<text>.*?)(?:</v>|(?=<v[\s.])|$)", re.S)


def _voices(raw: str):
    for match in VOICE.finditer(raw):
        yield match["who"].strip(), match["text"]


# Microsoft Teams transcript downloaded as a Word document.
DOCX_MAX_XML = 50 * 1024 * 1024  # the document's text part, unpacked
TEAMS_SPEAKER = re.compile(r"^(?P<who>\S.{0,119}?)\s+(?P<time>(?:\d{1,2}:)?\d{1,2}:\d{2})$")
TEAMS_OLD_TIMING = re.compile(
    r"^(?P<start>\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d{1,3})?)\s*-->\s*\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d{1,3})?$"
)
TEAMS_EVENT = re.compile(r"^.{1,120} (?:started|stopped) transcription$")
# Title, date and length above the first speaker; a little slack for a renamed title.
TEAMS_PREAMBLE_MAX = 6


class UnreadableDocument(ValueError):
    """A .docx that cannot be opened; the message says why, for the person importing."""


def docx_lines(data: bytes) -> list[str]:
    """The text of a Word document, one entry per line (paragraphs and line breaks)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > DOCX_MAX_XML:
                raise UnreadableDocument(
                    "This Word document's text is over 50 MB unpacked; it is not a transcript."
                )
        document = docx.Document(io.BytesIO(data))
    except UnreadableDocument:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise UnreadableDocument(
            "This Word document (.docx) could not be opened; it may be cut short or damaged. "
            "Download the transcript again, as .docx or .vtt."
        ) from exc
    except Exception as exc:  # lxml's XMLSyntaxError and kin from a garbled part
        raise UnreadableDocument(
            "This Word document (.docx) could not be read (its XML is damaged). "
            "Download the transcript again, as .docx or .vtt."
        ) from exc
    lines: list[str] = []
    for paragraph in document.paragraphs:
        lines.extend(paragraph.text.replace("\r", "\n").replace("\v", "\n").split("\n"))
    return lines


def parse_docx(data: bytes) -> ParseResult:
    """A Microsoft Teams transcript downloaded as .docx; any other document is refused."""
    try:
        lines = docx_lines(data)
    except UnreadableDocument as exc:
        return ParseResult(TEAMS_DOCX, errors=[LineError(1, "", str(exc))])
    return parse_teams_transcript_lines(lines)


def parse_teams_transcript_lines(lines: list[str]) -> ParseResult:
    result = ParseResult(TEAMS_DOCX)
    lines = [line.strip() for line in lines]
    old = [i for i, line in enumerate(lines) if TEAMS_OLD_TIMING.match(line)]
    if old and old[0] <= TEAMS_PREAMBLE_MAX:
        return _teams_old_docx(lines, old, result)
    candidates = [
        (i, m) for i, line in enumerate(lines) if (m := TEAMS_SPEAKER.match(line)) is not None
    ]
    whos = [m["who"] for _, m in candidates]
    # A sentence that ends with a time ("we meet at 10:30") is not a speaker line:
    # a speaker's name looks like a name or comes back more than once.
    speakers = {
        i: m for i, m in candidates if whos.count(m["who"]) > 1 or _looks_like_name(m["who"])
    }
    if not speakers:
        first = next((i for i, line in enumerate(lines) if line), 0)
        result.errors.append(
            LineError(
                first + 1,
                lines[first] if lines else "",
                "this Word document is not a Microsoft Teams transcript (no 'Name   0:03' "
                "speaker lines); import the transcript as Teams downloads it (.docx or .vtt)",
            )
        )
        return result
    start = min(speakers)
    preamble = [line for line in lines[:start] if line and not TEAMS_EVENT.match(line)]
    if len(preamble) > TEAMS_PREAMBLE_MAX:
        number = next(i for i, line in enumerate(lines) if line) + 1
        result.errors.append(LineError(number, lines[number - 1], "text before the first speaker"))
        return result
    order = sorted(speakers)
    for position, index in enumerate(order):
        end = order[position + 1] if position + 1 < len(order) else len(lines)
        words = [line for line in lines[index + 1 : end] if line and not TEAMS_EVENT.match(line)]
        if not words:
            continue  # Teams writes a name with no words for a sound it did not catch
        match = speakers[index]
        offset = _offset(match["time"])
        result.messages.append(
            Message(index + 1, match["who"].strip(), " ".join(words), match["time"], offset)
        )
    return result


def _teams_old_docx(lines: list[str], timings: list[int], result: ParseResult) -> ParseResult:
    """The older Teams .docx: a timing line, the speaker's name, the words."""
    for position, index in enumerate(timings):
        end = timings[position + 1] if position + 1 < len(timings) else len(lines)
        block = [line for line in lines[index + 1 : end] if line]
        if not block:
            result.errors.append(LineError(index + 1, lines[index], "a cue with no text"))
            continue
        speaker, words = (block[0], block[1:]) if len(block) > 1 else ("", block)
        start = TEAMS_OLD_TIMING.match(lines[index])["start"]
        result.messages.append(Message(index + 1, speaker, " ".join(words), start, _offset(start)))
    return result


# Microsoft Teams chat copied from the chat pane.
TEAMS_PREVIEW = re.compile(r"^(?P<preview>.*?) by (?P<who>[^\n]{1,120}?)\s*$")
TEAMS_CHAT_TIME = re.compile(
    r"^(?:(?:\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{4}-\d{2}-\d{2}),? )?"
    r"\d{1,2}:\d{2}(?:\s?[AaPp]\.?[Mm]\.?)?$"
)
TEAMS_CHROME = re.compile(
    r"^(?:Has context menu|Last read|Edited|Today|Yesterday|"
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day(?: \d{1,2} \w+| \w+ \d{1,2})?(?:,? \d{4})?|"
    r"\d{1,2}/\d{1,2}/\d{2,4})$",
    re.IGNORECASE,
)
TEAMS_REACTION_LINE = re.compile(r"^(?P<n>\d+) [\w -]{1,30} reactions?\.?$", re.IGNORECASE)


def _teams_header(lines: list[str], i: int) -> tuple[str, str] | None:
    """(who, time) when line i starts a copied Teams message."""
    match = TEAMS_PREVIEW.match(lines[i])
    if not match or i + 2 >= len(lines):
        return None
    who = match["who"].strip()
    pair = (lines[i + 1].strip(), lines[i + 2].strip())
    for name, time in (pair, pair[::-1]):
        if name == who and TEAMS_CHAT_TIME.match(time):
            return who, time
    return None


def _teams_chat_starts(lines: list[str]) -> bool:
    filled = [line.strip() for line in lines if line.strip()]
    head = [line for line in filled[:8] if not TEAMS_CHROME.match(line)]
    return bool(head) and _teams_header(head, 0) is not None


def _parse_teams_chat(lines: list[str]) -> ParseResult:
    result = ParseResult(TEAMS_CHAT)
    stripped = [line.strip() for line in lines]
    starts: list[tuple[int, str, str]] = []
    index = 0
    while index < len(stripped):
        header = _teams_header(stripped, index) if stripped[index] else None
        if header:
            starts.append((index, *header))
            index += 3
        else:
            index += 1
    first = starts[0][0]
    for number, line in enumerate(stripped[:first], start=1):
        if line and not TEAMS_CHROME.match(line):
            result.errors.append(LineError(number, line, "text before the first message"))
    for position, (index, who, time) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else len(stripped)
        body = [line.rstrip() for line in lines[index + 3 : end]]
        body = [line for line in body if not TEAMS_CHROME.match(line.strip())]
        kept: list[str] = []
        for line in body:
            reaction = TEAMS_REACTION_LINE.match(line.strip())
            if reaction:
                result.reactions += int(reaction["n"])
            else:
                kept.append(line)
        while kept and not kept[-1].strip():
            kept.pop()
        # A count alone on the last line, after a blank one, is the reactions' count.
        if len(kept) >= 3 and kept[-1].strip().isdigit() and not kept[-2].strip():
            result.reactions += int(kept[-1].strip()[:6])
            kept = kept[:-2]
        text = "\n".join(kept).strip()
        if not text:
            result.reactions += 1  # a message of emoji pictures only: counted, not words
            continue
        # A date before the time is left out: 03/04 is March or April by the copier's locale.
        clock = re.search(r"\d{1,2}:\d{2}(?:\s?[AaPp]\.?[Mm]\.?)?$", time).group(0)
        result.messages.append(Message(index + 1, who, text, time=_clock(clock)))
    if not result.messages and not result.errors:
        # Every message was emoji or empty (or the copy stopped right after a name): say so
        # rather than import nothing without a word.
        result.errors.append(
            LineError(
                first + 1,
                stripped[first],
                "no message in this Teams chat has any words to import "
                f"({result.reactions} reaction(s) or emoji-only message(s) counted)",
            )
        )
    return result
