"""The new words of an emailed reply, whatever client wrote it. No Django here.

Plain text goes through mail-parser-reply (a maintained parser that knows the
"On ... wrote:" and "From: / Sent:" headers of many languages), then what it
leaves is cleaned: quoted ``>`` lines and the header line above them are dropped
wherever they are (so a reply written below the quote, as Thunderbird users often
do, survives), Russian and "Original Message" headers cut, and the signature.

HTML-only mail is turned into text first, leaving out the blocks mail clients
put quotes in: ``<blockquote>`` (Apple Mail, Thunderbird, Gmail), Gmail's
``gmail_quote``, GMX and web.de's ``<div name="quote">``, Yahoo and AOL's
``yahoo_quoted``, Thunderbird's ``moz-cite-prefix``, and everything from Outlook's
``divRplyFwdMsg``/``appendonsend`` onwards.
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from html.parser import HTMLParser

from mailparser_reply import EmailReplyParser

from cairn.lib.decoding import UndecodableText, decode_text

LANGUAGES = ["en", "de", "fr", "es", "nl", "it", "pl", "sv", "da", "cs"]

_VOID = {"br", "hr", "img", "meta", "link", "input", "wbr", "col", "area", "base", "source"}
_BLOCK = {"p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre"}
_QUOTE_CLASSES = (
    "gmail_quote",
    "yahoo_quoted",
    "moz-cite-prefix",
    "gmail_attr",
    "protonmail_quote",
)

# A header line that introduces a quote below it, in the languages we expect.
WROTE = re.compile(
    r"(?:wrote|schrieb|a écrit|escribió|schreef|ha scritto|skrev|napisał|"
    r"написал|написала|написал\(а\)|пишет)\s*:\s*$",
    re.IGNORECASE,
)
WROTE_WORD = re.compile(
    r"\b(?:wrote|schrieb|a écrit|escribió|schreef|ha scritto|skrev|napisał)\b|написал|пишет",
    re.IGNORECASE,
)
_HEADER_START = re.compile(r"^(?:On|Am|Le|El|Op|Il|Den|W dniu|\d)\b")
# Lines from which everything below is the earlier message.
CUT_FROM = [
    re.compile(
        r"^-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Original-Nachricht|"
        r"Исходное сообщение|Message d'origine|Mensaje original)\s*-{2,}",
        re.I,
    ),
    re.compile(r"^_{10,}\s*$"),
]
# A forwarded-message header block: a From line and a Sent/Date line near each other,
# in either order and with blank lines between (Outlook's HTML puts each in a paragraph).
FROM_FIELD = re.compile(r"^\**(?:From|Von|От|De|Van|Da|Od|Fra|Från)\s*:", re.IGNORECASE)
SENT_FIELD = re.compile(
    r"^\**(?:Sent|Date|Gesendet|Datum|Отправлено|Дата|Envoyé|Enviado|Verzonden|Inviato|"
    r"Wysłane|Sendt|Skickat)\s*:",
    re.IGNORECASE,
)
# "26.06.2014, 14:41, "A" <a@example.org>:" with nothing under it once the quote is gone.
TRAILING_INTRO = re.compile(r"(?:<[^<>\s]+@[^<>\s]+>|\bот\b).{0,40}:\s*$", re.IGNORECASE)
SIGNATURE_STARTS = [
    re.compile(r"^-- ?$"),
    re.compile(r"^(?:Sent from my |Get Outlook for |Von meinem .{1,40} gesendet)", re.I),
    re.compile(r"^(?:Gesendet von meinem |Envoyé de mon |Enviado desde mi |Отправлено с )", re.I),
]


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[str] = []
        self.skip_at: int | None = None  # depth of the quote block being left out
        self.stopped = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.stopped:
            return
        values = {k: (v or "") for k, v in attrs}
        if values.get("id", "") in ("divRplyFwdMsg", "appendonsend"):
            self.stopped = True  # Outlook: the earlier message follows, not nested
            return
        if tag in _VOID:
            if tag in ("br", "hr") and self.skip_at is None:
                self.parts.append("\n")
            return
        self.stack.append(tag)
        if self.skip_at is not None:
            return
        classes = values.get("class", "")
        if (
            tag in ("blockquote", "script", "style", "head", "title")
            or values.get("name") == "quote"
            or any(name in classes for name in _QUOTE_CLASSES)
            or values.get("id", "").startswith("yahoo_quoted")
        ):
            self.skip_at = len(self.stack)
        elif tag in _BLOCK:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if self.stopped or tag in _VOID:
            return
        if tag not in self.stack:
            return  # a stray end tag
        while self.stack:
            open_tag = self.stack.pop()
            if self.skip_at is not None and len(self.stack) < self.skip_at:
                self.skip_at = None
            if open_tag == tag:
                break
        if self.skip_at is None and tag in _BLOCK:
            self._newline()

    def _newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.stopped and self.skip_at is None:
            self.parts.append(data)


def html_to_text(content: str) -> str:
    """The visible text of an HTML mail body, without its quote blocks."""
    parser = _HtmlText()
    parser.feed(content)
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _drop_quotes(lines: list[str]) -> list[str]:
    """Leave out ``>`` lines and the header line(s) that introduce them."""
    kept: list[str] = []
    for line in lines:
        if line.lstrip().startswith(">"):
            # Take back a "... wrote:" header above this quote (it may wrap onto two lines).
            while kept and not kept[-1].strip():
                kept.pop()
            last = kept[-1].strip() if kept else ""
            if WROTE.search(last) or TRAILING_INTRO.search(last):
                header = kept.pop().strip()
                before = kept[-1].strip() if kept else ""
                if not _HEADER_START.match(header) and (
                    _HEADER_START.match(before) or WROTE_WORD.search(before)
                ):
                    kept.pop()  # the first half of a header wrapped onto two lines
            continue
        kept.append(line)
    return kept


def _header_block_at(lines: list[str], index: int) -> bool:
    first = lines[index].strip()
    other = (
        SENT_FIELD if FROM_FIELD.match(first) else FROM_FIELD if SENT_FIELD.match(first) else None
    )
    if other is None:
        return False
    return any(other.match(line.strip()) for line in lines[index + 1 : index + 12])


def _cut(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        stripped = line.strip()
        if any(p.match(stripped) for p in CUT_FROM):
            return lines[:index]
        if _header_block_at(lines, index):
            return lines[:index]
        nothing_below = not any(part.strip() for part in lines[index + 1 :])
        if nothing_below and (WROTE.search(stripped) or TRAILING_INTRO.search(stripped)):
            return lines[:index]  # a header whose quote was left out
        if any(p.match(stripped) for p in SIGNATURE_STARTS):
            return lines[:index]
    return lines


def reply_from_text(text: str) -> str:
    """The new words of a plain-text reply: above or below the quote, without signature."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    try:
        latest = EmailReplyParser(languages=LANGUAGES).parse_reply(text)
    except Exception:  # the parser's regexes on odd input; fall back to our own cuts
        latest = None
    lines = (latest if latest and latest.strip() else text).split("\n")
    lines = _cut(_drop_quotes(lines))
    if not any(line.strip() for line in lines) and latest:
        # The parser kept only a header; try the whole text (bottom-posted reply).
        lines = _cut(_drop_quotes(text.split("\n")))
    body = "\n".join(line.rstrip() for line in lines)
    return re.sub(r"\n{3,}", "\n\n", body).strip()


def new_text(message: EmailMessage) -> str:
    """The new words of an email message; ``ValueError`` when it has no readable text."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        raise ValueError("The message has no text in it that could be read.")
    content = _part_text(part)
    if part.get_content_subtype() == "html":
        content = html_to_text(content)
    return reply_from_text(content)


def _part_text(part: EmailMessage) -> str:
    """A text part's words: by its declared charset; by the reading every importer uses
    (`cairn.lib.decoding`) when it declares none, an unknown one or a wrong one (mail
    clients send Windows-1252 or UTF-16 without saying so, or call it UTF-8)."""
    raw = part.get_payload(decode=True) or b""
    if part.get_content_charset() is not None or raw.isascii():
        try:
            return part.get_content()
        except (LookupError, UnicodeError):
            pass
    try:
        text = decode_text(raw).text
    except UndecodableText as exc:
        raise ValueError(f"The message's text could not be decoded ({exc}).") from exc
    return text.replace("\r\n", "\n")
