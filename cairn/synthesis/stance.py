"""Stance of a statement: positive sign, challenge, idea, question or other.

Rules over small lexicons (English and German), checked in a fixed order:
a question mark or an opening question word wins, then suggestion cues
("should", "could we", "it would help"), then the balance of positive and
challenge cues. Good enough to sort a report into what went well and what to
do next; a person reviews it.
"""

from __future__ import annotations

import re

from cairn.synthesis.types import Stance


def _lex(words: str) -> frozenset[str]:
    return frozenset(words.split())


_WORD = re.compile(r"[^\W\d_]+(?:'[a-z]+)?", re.UNICODE)

_QUESTION_OPENERS = _lex(
    "how why what when where who which whom whose is are can could would will do does did "
    "should shall may wie warum was wann wo wer welche welcher kann können könnte soll "
    "sollte gibt"
)
_IDEA_PHRASES = (
    "should",
    "could be",
    "could we",
    "could have",
    "would be good",
    "would be nice",
    "would be great",
    "would be better",
    "would help",
    "it would",
    "suggest",
    "recommend",
    "idea",
    "propose",
    "need to",
    "needs to",
    "must",
    "ought",
    "why not",
    "more ",
    "better ",
    "let's",
    "please",
    "wish",
    "sollte",
    "könnte",
    "wäre",
    "vorschlag",
    "müsste",
    "bitte",
    "wünsche",
)
_POSITIVE = _lex(
    "good great excellent helpful positive well brilliant fantastic thank thanks thankyou "
    "kind friendly caring professional lovely amazing happy pleased wonderful efficient "
    "supportive success successful worked works improved best outstanding exceptional "
    "appreciated appreciate reassuring clean quick prompt nice perfect love loved enjoyed "
    "gut super toll prima danke hilfreich freundlich schön"
)
_CHALLENGE = _lex(
    "not no never problem problems issue issues difficult difficulty hard lack lacking "
    "barrier barriers poor bad worse worst rude slow delay delays delayed late wait waiting "
    "unable cannot can't couldn't didn't don't wasn't isn't won't struggle struggled "
    "struggling concern concerns concerned worried worry unfortunately however cost costs "
    "expensive unsafe dangerous broken missing lost confusing confused disappointed "
    "frustrating frustrated rather nothing none cold dirty noisy lonely isolated risk "
    "nicht kein keine problem gefährlich schlecht fehlt leider zu eng gefahr"
)
# Answers such as "Nothing" or "No" say there is nothing to improve: not a challenge.
_NOTHING = frozenset(["nothing", "no", "none", "n/a", "na", "nil", "nothing really"])


def classify(text: str) -> Stance:
    stripped = text.strip()
    if not stripped:
        return "other"
    # Stance shows in the opening; long texts are judged on their first part.
    lowered = stripped[:600].casefold()
    words = _WORD.findall(lowered)
    if lowered.strip(" .!") in _NOTHING:
        return "other"
    if stripped.endswith("?") or (words and words[0] in _QUESTION_OPENERS and "?" in stripped):
        return "question"
    if any(p in lowered for p in _IDEA_PHRASES):
        return "idea"
    pos = sum(w in _POSITIVE for w in words)
    neg = sum(w in _CHALLENGE for w in words)
    if pos == 0 and neg == 0:
        return "other"
    return "positive" if pos > neg else "challenge"


def classify_all(texts: list[str]) -> list[Stance]:
    return [classify(t) for t in texts]
