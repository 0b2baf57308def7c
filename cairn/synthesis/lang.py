"""Cheap language identification: enough to route and to warn, not to translate.

Stop-word votes for a few European languages and script ranges for the rest.
Short texts without a clear vote are "und" (undetermined) and never trigger
the non-English path on their own.
"""

from __future__ import annotations

import re
from collections import Counter


def _lex(words: str) -> frozenset[str]:
    return frozenset(words.split())


# The first few hundred characters decide; a 2 MB letter need not be read whole.
SAMPLE_CHARS = 400

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": _lex(
        "the and to of a in is that it for was with on be are as not this have you but "
        "they at we by from or i my our an all there would their can been has more what "
        "so very should were will no which just about"
    ),
    "de": _lex(
        "der die das und ist nicht zu ein eine den von mit sich des auf für im dem es "
        "auch an als wird werden sind oder bei nach wie noch man kann aus hier zum zur "
        "sehr dass durch einen einer wäre sollte gibt"
    ),
    "fr": _lex(
        "le la les et est un une des du de pas que qui dans pour sur avec au aux ce il "
        "elle nous vous sont être plus mais ou par très"
    ),
    "es": _lex(
        "el la los las y es un una de del que en por para con no se su al lo como más "
        "pero sus muy está son"
    ),
    "nl": _lex(
        "de het een en is van niet dat op te zijn voor met die er aan ook als maar om "
        "wordt bij nog naar"
    ),
    "it": _lex(
        "il lo la gli le e è un una di del che non per con sono come più ma anche della "
        "nella questo"
    ),
    "pt": _lex(
        "o a os as e é um uma de do da que não em para com por mais como mas se dos das muito"
    ),
}

STOPWORDS = _STOPWORDS  # small lists that vote on the language; label.py adds fuller ones

_SCRIPTS = [
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
]


def _script(sample: str) -> str | None:
    letters = sum(ch.isalpha() for ch in sample)
    if letters == 0:
        return None
    for code, pattern in _SCRIPTS:
        if len(pattern.findall(sample)) >= max(2, letters // 3):
            # Kana outweighs shared Han characters when deciding Japanese.
            if code == "zh" and len(_SCRIPTS[1][1].findall(sample)) >= 2:
                return "ja"
            return code
    return None


def detect(text: str) -> str:
    """Return an ISO 639-1 code, or "und" when the text gives too little to go on."""
    sample = text[:SAMPLE_CHARS]
    if not sample.isascii():
        script = _script(sample)
        if script is not None:
            return script
    words = [w.casefold() for w in _WORD.findall(sample)]
    if not words:
        return "und"
    votes = {code: sum(w in sw for w in words) for code, sw in _STOPWORDS.items()}
    best = max(votes, key=lambda c: (votes[c], c == "en"))
    if votes[best] == 0 or (len(words) >= 4 and votes[best] < 2 and best != "en"):
        return "und"
    ranked = sorted(votes.values(), reverse=True)
    if best != "en" and ranked[0] == ranked[1]:
        return "und"
    return best


def detect_all(texts: list[str]) -> list[str]:
    return [detect(t) for t in texts]


def summarise(codes: list[str], weights: list[int] | None = None) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for i, code in enumerate(codes):
        counts[code] += weights[i] if weights is not None else 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def non_english_share(counts: dict[str, int]) -> float:
    decided = {k: v for k, v in counts.items() if k != "und"}
    total = sum(decided.values())
    if total == 0:
        return 0.0
    return 1.0 - decided.get("en", 0) / total
