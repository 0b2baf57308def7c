"""Lines that say nothing about the subject: set aside, counted, never forced into a theme.

A meeting chat and an open answer box carry greetings ("Welcome everyone!"),
thanks ("Thank you all"), logistics ("can you hear me", "the link is in the
chat"), junk (keyboard mash, bare links, filler words) and answers that there is
nothing to add ("Nothing", "Nothing comes to mind"). Clustering would place each
of them somewhere, often with a high confidence, and a "theme" of ten "nothing
to improve" answers reads as a lesson. Each reason gets a named group of its own
with a count instead.

Rules, not a model: a line is noise when, after removing the phrases of its
kind, at most one content word is left. "Thank you, the nurses were kind" keeps
four content words and stays a statement.
"""

from __future__ import annotations

import re


def _split(words: str) -> list[str]:
    return words.split()


NOTHING = "nothing"
GREETING = "greeting"
THANKS = "thanks"
LOGISTICS = "logistics"
JUNK = "junk"
REASONS: tuple[str, ...] = (NOTHING, GREETING, THANKS, LOGISTICS, JUNK)

# English names of the groups; the web app translates them by reason.
GROUP_LABELS: dict[str, str] = {
    NOTHING: "Nothing to add or improve",
    GREETING: "Greetings",
    THANKS: "Thanks",
    LOGISTICS: "Meeting logistics",
    JUNK: "Unreadable or empty",
}

MAX_WORDS = 20  # longer lines always say something of their own

_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|uk|de|ly|gl|io)(?:/\S*)?", re.I)
_TLDS = ("com", "org", "net", "uk", "de", "ly", "gl", "io")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


def _alt(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b", re.I)


_PATTERNS: dict[str, re.Pattern[str]] = {
    LOGISTICS: _alt(
        r"can (?:you|everyone|everybody|anyone) (?:hear|see) (?:me|us|my screen)",
        r"(?:you'?re|you are|i'?m|i am|still) (?:on )?mute[d]?",
        r"un-?mute",
        r"mute",
        r"(?:the |a )?link (?:is )?(?:in|into|to) the chat",
        r"in the chat",
        r"(?:share|sharing) (?:my |your |the )?screen",
        r"sorry (?:i'?m|i am|for being) late",
        r"running late",
        r"(?:have|need|got) to (?:leave|go|drop off|dash)",
        r"dropping off",
        r"back in a (?:minute|sec|moment)",
        r"brb",
        r"(?:please )?add your names?",
        r"(?:please )?(?:put|type) your names?",
        r"breakout rooms?",
        r"(?:my |your |the )?(?:audio|camera|connection|wifi|wi-fi) (?:is )?"
        r"(?:not working|dropped|froze|frozen|keeps dropping)",
        r"(?:zoom|teams) (?:link|call|meeting)",
        r"hören sie mich",
        r"(?:der )?link (?:ist )?im chat",
        r"stumm(?:geschaltet)?",
    ),
    THANKS: _alt(
        r"thank(?:s| you)(?: (?:so|very) much)?(?: (?:all|everyone|everybody|again|both))?"
        r"(?: for (?:having|hosting|organising|organizing|today|this|coming|joining|listening"
        r"|your time|the session|the meeting))?",
        r"many thanks",
        r"cheers",
        r"ta",
        r"thx",
        r"danke(?: schön| sehr)?(?: euch| ihnen)?",
        r"vielen dank",
        r"merci",
    ),
    GREETING: _alt(
        r"hi+",
        r"hello",
        r"hey",
        r"hiya",
        r"welcome",
        r"good (?:morning|afternoon|evening)",
        r"morning",
        r"evening",
        r"bye",
        r"goodbye",
        r"see you(?: all)?(?: soon| next time)?",
        r"nice to (?:meet|see) you(?: all)?",
        r"hallo",
        r"moin",
        r"servus",
        r"guten (?:morgen|tag|abend)",
        r"willkommen",
        r"tschüss",
        r"bis bald",
    ),
}
# A line is only matched against the phrases above when it is short and holds
# one of these words: the phrase search is the costly part at 100,000 lines.
PHRASE_MAX_WORDS = 14
_TRIGGERS = frozenset(
    _split(
        "can you you're youre i'm im i still mute muted unmute link chat share sharing screen "
        "sorry running have need got dropping back brb please add put type breakout rooms "
        "room audio camera connection wifi wi zoom teams hören stumm stummgeschaltet thank "
        "thanks many cheers ta thx danke vielen merci hi hii hiii hello hey hiya welcome good "
        "morning evening bye goodbye see nice hallo moin servus guten willkommen tschüss bis"
    )
)
# Words a greeting or thanks line may carry without saying anything.
_FILLER = frozenset(
    _split(
        "everyone everybody all folks guys team there you again both so much very today "
        "this and to the a i i'm im am here from is are be with us we our it great lovely "
        "nice good please your name names zusammen alle ihr euch und ich bin hier"
    )
)
_NOTHING_START = re.compile(
    r"^(?:nothing|none|nil|nope|n/?a|no|not really|nichts|nein|keine?s?)\b(.*)$", re.I | re.S
)
# What may follow "nothing" in an answer that there is nothing to add.
_NOTHING_TAIL = re.compile(
    r"^\W*(?:$|to (?:add|improve|say|report|change|mention|suggest)|really|else|at all|"
    r"everything|all (?:was|is|good|fine)|it was (?:all )?(?:good|great|fine)|better|"
    r"(?:that )?(?:comes|springs) to mind|i can think of|that i can think of|more|further|"
    r"needed|needs? (?:to be )?(?:improving|improved|changing|changed)|"
    r"(?:could|can|would) (?:be )?(?:improved|better|change)|"
    r"comments?|improvements?|suggestions?|complaints?|changes?|ideas?|thanks|"
    r"hinzuzufügen|zu verbessern|weiter)",
    re.I,
)
_NOTHING_WHOLE = re.compile(
    r"^\W*(?:(?:i )?(?:can'?t|cannot|can not|could not|couldn'?t) (?:think of|fault) "
    r"(?:anything|it)(?: else)?|"
    r"(?:i )?can (?:think|thing) of nothing|"
    r"no(?:thing| one)? (?:comment|comments|improvements?|suggestions?|complaints?)|"
    r"(?:there (?:was|is) )?no(?:thing| one)? (?:that )?(?:could|can) (?:have )?(?:be(?:en)? )?"
    r"(?:do(?:ne)? )?(?:any )?better|"
    r"(?:i )?couldn'?t (?:do|be|ask for) (?:any )?better|"
    r"not (?:that i can think of|sure|applicable|really)|alles gut|passt so)\b",
    re.I,
)
# "Nothing, all was good": a no-change answer with a few words of praise.
NOTHING_PRAISE_WORDS = 10
_FILLER_WORDS = frozenset(
    _split("test testing ok okay yes no yeah yep lol hmm hm um uh er ja nein na gut fine")
)
_VOWELS = set("aeiouyäöüéèáàóòíìú")
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertzuiop", "yxcvbnm")


def _is_mash(word: str) -> bool:
    w = word.casefold()
    if len(w) < 3:
        return False
    if not (_VOWELS & set(w)):
        return True
    if len(set(w)) <= 2 and len(w) >= 4:
        return True
    # Four or more letters in keyboard order ("asdf", "qwer", "jkl;").
    return any(w[:4] in row for row in _KEYBOARD_ROWS)


def reason(text: str) -> str | None:
    """Why a line is set aside (one of :data:`REASONS`), or None when it says something."""
    tokens = text.split()
    if len(tokens) > 2 * MAX_WORDS:
        return None  # cheap exit: most statements are long enough to say something
    stripped = " ".join(tokens)
    low_all = stripped.casefold()
    has_link = "http" in low_all or "www." in low_all or any(f".{d}" in low_all for d in _TLDS)
    without_links = _URL.sub(" ", stripped) if has_link else stripped
    words = _WORD.findall(without_links)
    if not words:
        return JUNK  # bare links, numbers, emoji, punctuation
    if len(words) > MAX_WORDS:
        return None
    low = without_links.strip().casefold().replace("’", "'")
    start = _NOTHING_START.match(low)
    if (
        (_NOTHING_WHOLE.match(low) and len(words) <= 12)
        or (start and (_NOTHING_TAIL.match(start.group(1)) or len(words) <= 2))
        or (
            start
            # "No, the nurse was rude" says something; "Nothing, all good" does not.
            and low.startswith(("nothing", "none", "nil", "nichts", "not really"))
            and re.match(r"^\s*[,.!;:-]", start.group(1))
            and len(words) <= NOTHING_PRAISE_WORDS
        )
    ):
        return NOTHING
    if len(words) == 1:
        w = words[0]
        if w.casefold() in _FILLER_WORDS or _is_mash(w) or len(w) <= 2:
            return JUNK
    if all(_is_mash(w) or w.casefold() in _FILLER_WORDS for w in words):
        return JUNK
    if len(words) > PHRASE_MAX_WORDS or not {w.casefold() for w in words} & _TRIGGERS:
        return None
    best, best_len = None, 0
    rest = low
    for kind, pattern in _PATTERNS.items():
        found = pattern.findall(rest)
        if found:
            size = sum(len(f) for f in found)
            rest = pattern.sub(" ", rest)
            if best is None or size > best_len:
                best, best_len = kind, size
    if best is None:
        return None
    content = [
        w for w in _WORD.findall(rest) if w not in _FILLER and not _is_capitalised(w, stripped)
    ]
    return best if len(content) <= 1 else None


def _is_capitalised(word: str, original: str) -> bool:
    """A name after a greeting ("Hi Priya") is no content of its own."""
    name = re.escape(word[:1].upper() + word[1:])
    return re.search(r"[\w,]\s+" + name + r"\b", original) is not None


def _reasons_chunk(texts: list[str]) -> list[str | None]:
    return [reason(t) for t in texts]


def reasons(texts: list[str]) -> list[str | None]:
    from cairn.synthesis import parallel

    chunks = parallel.map_chunks(_reasons_chunk, texts)
    if chunks is None:
        return _reasons_chunk(texts)
    return [r for chunk in chunks for r in chunk]
