"""Parsers for the meeting chats and transcripts people actually have. No Django here.

Forms understood (the first message line decides the form; each is shown as
the video tool writes it, with <TAB> for a tab):

- Zoom local save, older:  ``12:03:55<TAB> From  Jane Doe : text``
  (private: ``From  Jane Doe  to  Sam Bell(Privately) : text``)
- Zoom local save, newer:  ``12:03:55 From Jane Doe to Everyone:`` and the message
  on the following lines, each indented with a tab
  (private: ``... to Sam Bell(Direct Message):``)
- Zoom cloud recording:    ``00:02:13<TAB>Jane Doe:<TAB>text``
- WebVTT transcripts:      cues whose text is ``Name: text`` (Zoom) or
  ``<v Name>text</v>`` (Teams); a cue may run over several lines.

Private and direct messages are skipped and counted, never kept. A line that
belongs to no message is reported with its number and the reason; callers
import nothing from a file with any such line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

ZOOM_OLD = "zoom-local-old"
ZOOM_NEW = "zoom-local"
ZOOM_CLOUD = "zoom-cloud"
VTT = "webvtt"

_TIME = r"(?P<time>\d{1,2}:\d{2}:\d{2})"
_PRIVATE = re.compile(r"\((?:privately|direct message)\)\s*$", re.IGNORECASE)
OLD_LINE = re.compile(_TIME + r"\t ?From {1,2}(?P<who>.+?) : ?(?P<text>.*)$")
NEW_HEADER = re.compile(_TIME + r" From (?P<who>.+?)(?: [Tt]o (?P<to>.+?))?:(?: (?P<text>.*))?$")
CLOUD_LINE = re.compile(_TIME + r"\t(?P<who>[^\t]+?):\t(?P<text>.*)$")
LOOKS_TIMED = re.compile(r"^\d{1,2}:\d{2}:\d{2}\b")
CUE_TIMING = re.compile(
    r"^(?P<start>(?:\d{1,2}:)?\d{2}:\d{2}[.,]\d{3}) --> (?P<end>(?:\d{1,2}:)?\d{2}:\d{2}[.,]\d{3})"
    r"(?:[ \t].*)?$"
)
VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+(?P<who>[^>]+)>(?P<text>.*?)(?:</v>|$)", re.DOTALL)
NAME_PREFIX = re.compile(r"^(?P<who>[^:<>]{1,80}?):\s+(?P<text>.+)$", re.DOTALL)
TAGS = re.compile(r"</?[^>]+>")


@dataclass(frozen=True)
class Message:
    line: int  # where the message starts in the file, from 1
    speaker: str
    text: str
    time: str = ""  # as written: the time of day (local saves) or the offset (cloud, VTT)
    offset: timedelta | None = None  # from the start of the recording, when the form gives it


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
    errors: list[LineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.messages)


class _Draft:
    def __init__(self, line: int, speaker: str, time: str, text: str, private: bool):
        self.line, self.speaker, self.time, self.private = line, speaker, time, private
        self.lines = [text] if text else []


def decode(data: bytes) -> str:
    """Text of an uploaded file: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse(text: str) -> ParseResult:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = next((line for line in lines if line.strip()), "")
    if first.strip().startswith("WEBVTT"):
        return parse_vtt(lines)
    if OLD_LINE.match(first):
        return _parse_chat(lines, ZOOM_OLD)
    if CLOUD_LINE.match(first):
        return _parse_chat(lines, ZOOM_CLOUD)
    if NEW_HEADER.match(first):
        return _parse_chat(lines, ZOOM_NEW)
    number = next((i for i, line in enumerate(lines, start=1) if line.strip()), 1)
    reason = "the file is empty" if not first else "not a Zoom chat or WebVTT transcript line"
    return ParseResult("unknown", errors=[LineError(number, first, reason)])


def _offset(value: str) -> timedelta:
    parts = [float(p.replace(",", ".")) for p in value.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0.0)
    hours, minutes, seconds = parts
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


def _parse_chat(lines: list[str], form: str) -> ParseResult:
    result = ParseResult(form)
    draft: _Draft | None = None

    def close() -> None:
        nonlocal draft
        if draft is None:
            return
        body = "\n".join(draft.lines).strip()
        if draft.private:
            result.private_skipped += 1
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
                )
            )
        draft = None

    for number, raw in enumerate(lines, start=1):
        header = _chat_header(raw, form)
        if header is not None:
            close()
            time, who, to, text = header
            private = bool(to and _PRIVATE.search(to)) or bool(_PRIVATE.search(who))
            who = _PRIVATE.sub("", who).strip()
            draft = _Draft(number, who, time, text.strip(), private)
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


def _chat_header(raw: str, form: str) -> tuple[str, str, str | None, str] | None:
    if form == ZOOM_OLD:
        match = OLD_LINE.match(raw)
        if not match:
            return None
        who = match["who"].strip()
        to = None
        if "  to  " in who:  # "Jane Doe  to  Sam Bell(Privately)"
            who, to = (part.strip() for part in who.split("  to  ", 1))
        return match["time"], who, to, match["text"]
    if form == ZOOM_CLOUD:
        match = CLOUD_LINE.match(raw)
        return (match["time"], match["who"].strip(), None, match["text"]) if match else None
    match = NEW_HEADER.match(raw)
    if not match:
        return None
    return match["time"], match["who"].strip(), match["to"], match["text"] or ""


def parse_vtt(lines: list[str]) -> ParseResult:
    result = ParseResult(VTT)
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    index += 1  # the WEBVTT line
    while index < len(lines) and lines[index].strip():  # header metadata
        index += 1
    last_speaker = ""
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        start = index
        block = []
        while index < len(lines) and lines[index].strip():
            block.append(lines[index])
            index += 1
        head = block[0].strip()
        if head.startswith(("NOTE", "STYLE", "REGION")):
            continue
        timing_at = 0 if "-->" in head else 1
        if timing_at >= len(block) or "-->" not in block[timing_at]:
            result.errors.append(LineError(start + 1, block[0], "a cue without a timing line"))
            continue
        timing = CUE_TIMING.match(block[timing_at].strip())
        if not timing:
            result.errors.append(
                LineError(start + timing_at + 1, block[timing_at], "a cue timing we cannot read")
            )
            continue
        cue_start, cue_end = _offset(timing["start"]), _offset(timing["end"])
        if cue_end < cue_start:
            result.errors.append(
                LineError(
                    start + timing_at + 1, block[timing_at], "a cue that ends before it starts"
                )
            )
            continue
        payload = "\n".join(block[timing_at + 1 :]).strip()
        if not payload:
            result.errors.append(
                LineError(start + timing_at + 1, block[timing_at], "a cue with no text")
            )
            continue
        speaker, text = _cue_speaker(payload)
        speaker = speaker or last_speaker
        text = TAGS.sub("", text)
        text = " ".join(part.strip() for part in text.split("\n") if part.strip())
        if not text:
            result.errors.append(LineError(start + timing_at + 2, payload, "a cue with no text"))
            continue
        last_speaker = speaker
        result.messages.append(
            Message(
                line=start + timing_at + 2,
                speaker=speaker,
                text=text,
                time=timing["start"],
                offset=cue_start,
            )
        )
    return result


def _cue_speaker(payload: str) -> tuple[str, str]:
    voices = list(VOICE.finditer(payload))
    if voices:
        return voices[0]["who"].strip(), "\n".join(v["text"] for v in voices)
    match = NAME_PREFIX.match(payload)
    if match:
        return match["who"].strip(), match["text"]
    return "", payload
