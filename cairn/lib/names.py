"""People's names inside free text, and the sign-offs that end letters and emails.

Used on words that leave Cairn (reports, briefings, consultation summaries):
`NameFilter.hide` replaces the names of people who did not agree to be named,
`strip_sign_off` drops "Best wishes, Jean" and signature blocks. Both work on
words alone; which people agreed is for the caller (the ledger) to say.

First names come from Faker's person providers (MIT licence, released monthly),
which ship a list per locale inside the package, so nothing is fetched at run
time. A name that is also a common word ("Will", "Hope", "Christian") counts only
right after "with", "thanks" or "@", or when it is a member's name mid-sentence.
"""

import functools
import importlib
import pkgutil
import re
from dataclasses import dataclass, field

WORD = re.compile(r"[^\W\d_]+(?:[’'-][^\W\d_]+)*")
POSSESSIVE = re.compile(r"[’']s$", re.IGNORECASE)
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "cllr", "councillor", "herr", "frau"})
# "seen at Stanley", "born in Washington": a first name after these is taken for a place.
PLACE_PREPOSITIONS = frozenset({"in", "at", "near"})
# "San Juan", "St Helen's", "Lake Victoria": a first name after these is part of a place.
PLACE_BEFORE = frozenset(
    {
        "san",
        "santa",
        "st",
        "saint",
        "mount",
        "mt",
        "lake",
        "port",
        "fort",
        "new",
        "puerto",
        "costa",
        "mc",
        "mac",
    }
)
# Words before a name written in lower case in a chat: "agree with fatima", "thanks jean".
CUES = frozenset({"with", "thanks", "thank", "thx", "hi", "hello", "hey", "dear", "cc", "ask"})
# "Victoria Park", "Jordan Road": a name before one of these is a place.
PLACE_WORDS = frozenset(
    """park street road lane avenue close way square gardens hall centre center house court
    church school college university hospital station library bridge hill green terrace
    place drive crescent row walk market estate ward surgery clinic trust foundation
    infirmary hospice practice unit medical health airport county island islands co fest
    days stiftung""".split()  # noqa: SIM905 - a word list reads best as words
)
# Names that are also everyday words, in any language Cairn reads: counted only mid-sentence.
COMMON_WORDS = frozenset(
    """will may hope grace joy faith love peace comfort patience mercy charity honor honour
    justice liberty unity trinity destiny harmony melody precious blessing gift lucky
    innocent purity constant sunny summer autumn winter spring dawn sky river rain storm
    star rose lily daisy iris ivy holly heather hazel olive violet jade ruby pearl amber
    crystal coral ginger honey candy cherry berry bill mark pat sue art guy don chase frank
    rich ray max job lot harm gun man lady ward line floor tea sad odd loan joke forum jail
    wage valid urban harsh mile peer ties lies said made ever else among per till til can us
    my an young long little early general case page haven wells king prince major royal
    baker hunter mason cooper carter taylor parker porter christian august victoria florence
    chelsea jordan paris georgia india china israel sydney austin dallas eden phoenix london
    kent york essex devon bath reading nelson independence premier deputy bishop tory nazi
    leider solange bergen flora nova mio""".split()  # noqa: SIM905 - a word list reads best as words
)
# Never a name alone; part of one only beside another name ("April Jones").
CALENDAR = frozenset(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split()  # noqa: SIM905 - a word list reads best as words
)
SENTENCE_END = re.compile(r"([.!?:;\n\"“(\[]|—|\s-)\s*$")


@functools.cache
def given_names() -> frozenset[str]:
    """First names of many languages, casefolded, from the locales Faker ships."""
    import faker.providers.person as people

    found: set[str] = set()
    for info in pkgutil.iter_modules(people.__path__):
        if info.name == "en":
            continue  # a US census list that also holds "London", "Council" and "Park"
        provider = importlib.import_module(f"{people.__name__}.{info.name}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female"):
            names = provider.__dict__.get(attr)
            if isinstance(names, dict):
                names = list(names)
            if isinstance(names, (tuple, list, set, frozenset)):
                found.update(n.casefold() for n in names if isinstance(n, str))
    return frozenset(n for n in found if len(n) > 1 and WORD.fullmatch(n))


@functools.cache
def stop_words() -> frozenset[str]:
    """English and German function words ("an", "will", "einer"): a name only mid-sentence."""
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords("en") | stopwordsiso.stopwords("de"))


def _capitalised(word: str) -> bool:
    # "Fatima", "O'Neil", "J"; not "NHS" or "COVID", which are written in capitals.
    return word[:1].isupper() and not (len(word) > 1 and word.isupper())


def _common(key: str) -> bool:
    return key in COMMON_WORDS or key in CALENDAR or key in stop_words()


def may_be_name(word: str) -> bool:
    """Whether a capitalised word could be someone's first name, so must keep its capital."""
    key = POSSESSIVE.sub("", word).casefold()
    return key in given_names() and not _common(key)


@dataclass
class NameFilter:
    """Which names to hide, and what to write instead.

    `members`: first names (casefolded) of the network's members who did not agree to be
    named; `surnames`: their last names, hidden after a first name or a title ("Mrs Khan"),
    never alone, since many are also words ("Park", "Young"). `keep`: names of members who agreed, kept unless an unconsenting
    member shares them. `others`: names written beside words by people who are not members
    (a chat's display names). These and any other first name are hidden as `other_label`.
    """

    members: frozenset[str] = frozenset()
    surnames: frozenset[str] = frozenset()
    keep: frozenset[str] = frozenset()
    others: frozenset[str] = frozenset()
    member_label: str = "[a member]"
    other_label: str = "[someone]"
    given: frozenset[str] = field(default_factory=given_names, repr=False)

    def _kind(self, word: str, mid_sentence: bool, after_cue: bool) -> str:
        """ "member", "other", or "" for a word that is no name to hide."""
        key = POSSESSIVE.sub("", word).casefold()
        if key in self.keep and key not in self.members:
            return ""
        if not _capitalised(word):
            # Lower case only right after "with", "thanks", "@": chat writes names that way.
            if not after_cue or _common(key):
                return ""
        elif key in CALENDAR:
            return ""
        elif _common(key) and not (after_cue or (mid_sentence and key in self.members)):
            # "progressive Christian", "Will there be": a word, unless "with Will" or a member.
            return ""
        if key in self.members:
            return "member"
        return "other" if key in self.given or key in self.others else ""

    def hide(self, text: str) -> str:
        """The text with each hidden name (and its surname or title) replaced by a label."""
        words = list(WORD.finditer(text or ""))
        out: list[str] = []
        pos = i = 0
        while i < len(words):
            m = words[i]
            previous = words[i - 1] if i else None
            prev_key = previous.group().casefold() if previous else ""
            mid = m.start() > 0 and not SENTENCE_END.search(text[max(0, m.start() - 4) : m.start()])
            after_cue = prev_key in CUES or text[m.start() - 1 : m.start()] == "@"
            kind = self._kind(m.group(), mid, after_cue)
            key = POSSESSIVE.sub("", m.group()).casefold()
            after_title = prev_key in TITLES and _capitalised(m.group())
            if after_title and (key in self.surnames or key in self.members):
                kind = "member"
            place_before = kind == "other" and (
                prev_key in PLACE_PREPOSITIONS or prev_key in PLACE_BEFORE
            )
            if not kind or place_before:
                i += 1
                continue
            start, end = m.start(), m.end()
            if previous is not None and prev_key in TITLES:
                start = previous.start()
            # A surname or an initial right after the first name goes with it.
            j = i + 1
            while j < len(words) and j <= i + 2 and not POSSESSIVE.search(text[start:end]):
                word = words[j].group()
                wkey = word.casefold()
                if text[end : words[j].start()] != " " or not _capitalised(word):
                    break
                if wkey in PLACE_WORDS or (len(word) > 1 and _common(wkey)):
                    break
                if wkey in self.surnames or wkey in self.members:
                    kind = "member"
                end = words[j].end()
                if len(word) == 1 and text[end : end + 1] == ".":
                    end += 1
                j += 1
            after = words[j] if j < len(words) else None
            if (
                after is not None
                and text[end : after.start()] == " "
                and after.group().casefold() in PLACE_WORDS
            ):
                i = j + 1  # a place named after someone: "Victoria Park", "James Cook Hospital"
                continue
            tail = POSSESSIVE.search(text[start:end])
            label = self.member_label if kind == "member" else self.other_label
            out.append(text[pos:start] + label + (tail.group() if tail else ""))
            pos = end
            i = j
        out.append((text or "")[pos:])
        return "".join(out)


# --- sign-offs ----------------------------------------------------------------------------

# Closings that end a letter with or without a name after them.
CLOSING = (
    r"(?:(?:with\s+)?(?:kind(?:est)?|best|warm(?:est)?)\s+(?:regards|wishes)|regards"
    r"|all\s+the\s+best|yours\s+(?:sincerely|faithfully|truly)|sincerely|take\s+care"
    r"|speak\s+soon|(?:mit\s+)?(?:freundlichen|viele|liebe|beste)\s+grü(?:ß|ss)e|lg|mfg)"
)
# Words of thanks are part of what someone says, unless a name follows: "Many thanks, Jean".
THANKS = r"(?:(?:many|with)\s+thanks|thanks(?:\s+again)?|thank\s+you|cheers|best|(?:with\s+)?love)"
# Capitalised words or initials, case-sensitive inside patterns that otherwise ignore case.
NAME_WORD = r"[A-Z](?:[a-z’'-][\w’'-]*|\.)?"
SIGN_NAME = rf"(?-i:(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?{NAME_WORD}(?:\s+{NAME_WORD}){{0,2}})"
# "... for everyone. Many thanks, Jean" and "... Best wishes, Jean Smith" at the end of a line.
INLINE_SIGN_OFF = re.compile(
    rf"(?<=[.!?])\s+(?:{CLOSING}[\s,.!-]*(?:{SIGN_NAME})?|{THANKS}[\s,.!-]*{SIGN_NAME})[\s.!]*$",
    re.IGNORECASE,
)
DASH_NAME = re.compile(rf"\s+[-–—~]\s*{SIGN_NAME}\s*$")
CLOSING_LINE = re.compile(rf"^\s*{CLOSING}\b[\s,.!-]*(?:{SIGN_NAME})?[\s.!]*$", re.IGNORECASE)
THANKS_LINE = re.compile(rf"^\s*{THANKS}\b[\s,.!-]*(?:{SIGN_NAME})?[\s.!]*$", re.IGNORECASE)
SIGNATURE_START = re.compile(r"^(?:--\s*|__+\s*|sent from my\b.*|get outlook for\b.*)$", re.I)


def strip_sign_off(text: str) -> str:
    """Words without the sign-off and signature that end a letter or an email."""
    lines = text.replace("\r\n", "\n").rstrip().split("\n")
    for n, line in enumerate(lines):
        if n and SIGNATURE_START.match(line.strip()):
            lines = lines[:n]
            break
    # A closing on its own line near the end starts the signature block; so do thanks
    # when a short signature (a name, an organisation) follows them.
    for n in range(len(lines) - 1, max(0, len(lines) - 6), -1):
        rest = lines[n + 1 :]
        short = all(len(line) <= 60 for line in rest)
        if short and (CLOSING_LINE.match(lines[n]) or (rest and THANKS_LINE.match(lines[n]))):
            lines = lines[:n]
            break
    while len(lines) > 1 and _is_bare_name(lines[-1]):
        lines.pop()
    out = "\n".join(lines).rstrip()
    out = INLINE_SIGN_OFF.sub("", out)
    dash = DASH_NAME.search(out)
    if dash and _is_bare_name(dash.group().strip(" -–—~")):
        out = out[: dash.start()]
    return out.rstrip() or text.strip()


def _is_bare_name(line: str) -> bool:
    words = line.strip().rstrip(".").split()
    if not 1 <= len(words) <= 3 or not all(_capitalised(w) for w in words):
        return False
    first = words[0].casefold().rstrip(".")
    if first in TITLES and len(words) > 1:
        first = words[1].casefold()
    return first in given_names() and first not in stop_words()
