"""Describe a theme in words taken from its own statements.

- keyphrases: class-based TF-IDF (c-TF-IDF, as BERTopic does) over unigrams
  and bigrams, a theme being the concatenation of its statements, weighted by
  duplicate counts; a unigram already inside a chosen bigram is skipped;
- label: a claim of 4-12 words taken from the theme's own statements: every
  clause of the most central statements is a candidate, scored by how central
  its statement is, how many of the theme's keyphrase words it carries and
  whether it reads as a claim (it has a verb); keyphrases stay beside it;
- headline: the most central statement, trimmed at a clause boundary to at
  most 25 words;
- summary and quotes: maximal marginal relevance (MMR) over the most central
  statements, so they are central *and* say different things; the summary is
  one or two of them trimmed at clause boundaries (at most 40 words in all).
Stop words come from the sklearn English list and, for other detected
languages, from stopwords-iso (``stopwordsiso``); URLs never become keyphrases.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import numpy as np


def _split(words: str) -> list[str]:
    return words.split()


MAX_DOCS_PER_THEME = 500  # keyphrases from a seeded sample keep 1M statements cheap
MMR_CANDIDATES = 60
MMR_LAMBDA = 0.7
# Keyphrases are words of letters only: numbers and dates make poor labels. A hyphen
# joins parts into one word: "face-to-face" and "co-production" are not "face" and
# "production".
LETTER_WORDS = r"(?u)\b[^\W\d_][^\W\d_]+(?:-[^\W\d_]+)*\b"


# Fragments left by splitting contractions ("don't" -> "don") and filler words
# that make empty labels ("Think, got").
_EXTRA_STOP = frozenset(
    [
        "don",
        "didn",
        "doesn",
        "isn",
        "wasn",
        "aren",
        "weren",
        "couldn",
        "wouldn",
        "shouldn",
        "won",
        "ve",
        "ll",
        "re",
        "just",
        "really",
        "thing",
        "things",
        "lot",
        "bit",
        "think",
        "got",
        "get",
        "getting",
        "nothing",
        "anything",
        "everything",
        "did",
        "does",
        "yes",
        "ok",
        "okay",
    ]
)


_EXTRA_STOP_DE = frozenset(
    _split("mal bitte eigentlich finde denke gibt geben schon einfach halt sowie bzw etc")
)
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|uk|de|ly|gl|io)(?:/\S*)?", re.I)
_URL_BITS = frozenset(_split("http https www com org net html htm php goo gl bit ly amp"))


@lru_cache(maxsize=32)
def stop_words(langs: tuple[str, ...] = ("en",)) -> frozenset[str]:
    """Stop words of every language in ``langs`` (ISO 639-1), English always included.

    English keeps scikit-learn's list (the c-TF-IDF baseline's); other languages
    take stopwords-iso, a maintained list for 50+ languages.
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words = set(ENGLISH_STOP_WORDS | _EXTRA_STOP | _URL_BITS)
    others = [c for c in langs if c not in ("en", "und")]
    if others:
        try:
            import stopwordsiso
        except ImportError:  # a trimmed install: the small lists language detection uses
            stopwordsiso = None
        from cairn.synthesis.lang import STOPWORDS

        for code in others:
            if stopwordsiso is not None and stopwordsiso.has_lang(code):
                words |= set(stopwordsiso.stopwords(code))
            words |= set(STOPWORDS.get(code, ()))
        if "de" in others:
            words |= _EXTRA_STOP_DE
    return frozenset(words)


def strip_urls(text: str) -> str:
    return _URL.sub(" ", text)


# Where a phrase ends: punctuation between words (a hyphen or apostrophe inside a word is not).
_PHRASE_BREAK = re.compile(r"[^\w\s'’-]+|\s[-'’]+|[-'’]+\s")
_LETTER_WORD = re.compile(LETTER_WORDS)


def phrase_terms(stop: frozenset[str]) -> Callable[[str], list[str]]:
    """Words and two-word phrases of a text, as they stand in it, for ``CountVectorizer``.

    scikit-learn's n-grams join the words left after stop words are taken out, so
    "we could act in days, not months" gave "act days" and "days months": phrases
    nobody said. Here a stop word or punctuation ends a phrase.
    """

    def analyse(text: str) -> list[str]:
        terms: list[str] = []
        for part in _PHRASE_BREAK.split(text.lower()):
            prev = None
            for word in _LETTER_WORD.findall(part):
                if word in stop:
                    prev = None
                    continue
                terms.append(word)
                if prev is not None and prev != word:
                    terms.append(f"{prev} {word}")
                prev = word
        return terms

    return analyse


def keyphrases(
    docs_by_theme: list[list[str]],
    weights_by_theme: list[list[float]],
    n: int = 5,
    english: bool = True,
    langs: tuple[str, ...] = ("en",),
) -> list[list[str]]:
    """c-TF-IDF top phrases for each theme, without stop words of ``langs`` or URL parts."""
    from sklearn.feature_extraction.text import CountVectorizer

    k = len(docs_by_theme)
    flat = [strip_urls(d) for docs in docs_by_theme for d in docs]
    if k == 0 or not flat:
        return [[] for _ in range(k)]
    owner = np.repeat(np.arange(k), [len(d) for d in docs_by_theme])
    w = np.concatenate([np.asarray(x, dtype=np.float64) for x in weights_by_theme])
    vec = CountVectorizer(analyzer=phrase_terms(stop_words(tuple(langs))), min_df=1)
    try:
        x = vec.fit_transform(flat)
    except ValueError:
        return [[] for _ in range(k)]
    from scipy import sparse

    mix = sparse.csr_matrix((w, (owner, np.arange(len(flat)))), shape=(k, len(flat)))
    tf = (mix @ x).toarray()
    total = tf.sum(axis=1, keepdims=True)
    total[total == 0] = 1.0
    freq = tf.sum(axis=0)
    avg = tf.sum() / k
    ctfidf = (tf / total) * np.log1p(avg / np.maximum(freq, 1e-12))
    vocab = np.asarray(vec.get_feature_names_out())
    out: list[list[str]] = []
    for t in range(k):
        order = np.lexsort((vocab, -ctfidf[t]))
        chosen: list[str] = []
        for j in order[: n * 6]:
            if ctfidf[t, j] <= 0:
                break
            term = str(vocab[j])
            if any(term in c.split() or c in term.split() for c in chosen if " " in c):
                continue
            if any(" " in term and term.split()[i] == c for c in chosen for i in (0, 1)):
                # a bigram that extends a chosen unigram replaces it
                chosen = [c for c in chosen if c not in term.split()]
            chosen.append(term)
            if len(chosen) >= n:
                break
        out.append(chosen)
    return out


def keyphrase_label(phrases: list[str], fallback: str) -> str:
    """The labeller before claims: the first two keyphrases (kept for comparison)."""
    if not phrases:
        words = fallback.split()
        return " ".join(words[:6]) + ("…" if len(words) > 6 else "")
    label = ", ".join(phrases[:2])
    return label[:1].upper() + label[1:]


def mmr_ranking(
    x: np.ndarray, centroid: np.ndarray, lengths: np.ndarray, k: int, lam: float = MMR_LAMBDA
) -> list[int]:
    """Indices of ``k`` central and mutually different members, most central first.

    Very short statements ("Nothing.") are central in their theme but say
    little; they only lead when the theme has nothing longer.
    """
    if len(x) == 0:
        return []
    central = x @ centroid
    informative = lengths >= 4
    score = central - np.where(informative, 0.0, 1.0) if informative.any() else central
    cand = np.lexsort((np.arange(len(x)), -score))[:MMR_CANDIDATES]
    chosen = [int(cand[0])]
    while len(chosen) < min(k, len(cand)):
        rest = [int(c) for c in cand if int(c) not in chosen]
        sim_to_chosen = x[rest] @ x[chosen].T
        mmr = lam * score[rest] - (1 - lam) * sim_to_chosen.max(axis=1)
        # Near-identical wording adds nothing to a summary.
        mmr = np.where(sim_to_chosen.max(axis=1) > 0.97, -np.inf, mmr)
        best = int(np.argmax(mmr))
        if not np.isfinite(mmr[best]):
            break
        chosen.append(rest[best])
    return chosen


# --- claims, headlines and summaries ------------------------------------------------

LABEL_MIN_WORDS = 4
LABEL_MAX_WORDS = 12
CLEAN_CUT_MIN_WORDS = 6  # a shorter start of a long clause drops too much of it
HEADLINE_MAX_WORDS = 25
SUMMARY_MAX_WORDS = 40
LABEL_CANDIDATES = 12  # statements whose clauses compete for the label

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
# Where a clause ends: strong punctuation, a dash, or a comma / word that opens a
# reason, a contrast or a relative clause.
_CLAUSE = re.compile(
    r"\s*[;:()\[\]–—]\s*|\s+-\s+|"
    r",\s*(?=(?:but|because|as|which|who|so|since|while|although|though|whereas|however|"
    r"and|or|if|when|especially|e\.g|i\.e|weil|aber|denn|da|und|oder|sodass|damit|obwohl|"
    r"wenn|dass|was|die|der|das|wobei|z\.b)\b)|"
    r"\s+(?=(?:because|although|whereas|however|weil|obwohl|denn|sodass)\b)",
    re.I,
)
_LEAD = re.compile(
    r"^(?:(?:i|we) (?:think|feel|believe|agree|would say|guess)(?: that)?|in my (?:opinion|view)|"
    r"personally|overall|also|and|but|so|however|well|yes|no|because|therefore|"
    r"ich finde(?:,? dass)?|ich denke(?:,? dass)?|meiner meinung nach|außerdem|und|aber|"
    r"deshalb|daher)\b[,\s]*",
    re.I,
)
# Finite verbs and auxiliaries that make a clause a claim ("X is dangerous",
# "Y protects children"); English and German. Words ending in n't count too.
_VERBS = frozenset(
    _split("""is are was were be been being am has have had do does did can could should would
    will shall must may might need needs needed make makes made help helps helped cause
    causes caused lead leads reduce reduces increase increases protect protects allow
    allows give gives gave take takes took keep keeps kept provide provides harm harms
    prevent prevents improve improves improved create creates save saves cost costs
    want wants wanted feel feels felt know knows knew seem seems become becomes get gets
    got go goes went come comes came let lets run runs work works worked leave leaves left
    listen listened treat treated explain explained wait waited see saw put puts bring
    brings encourage encourages support supports ensure ensures teach teaches lose loses
    ist sind war waren wird werden wurde wurden hat haben hatte kann können könnte könnten
    soll sollte sollten muss müssen müsste darf dürfen gibt gab fehlt fehlen braucht
    brauchen macht machen führt führen bringt bringen wäre wären geht gehen fahren fährt
    liegt stehen steht""")
)
_DANGLING = frozenset(
    _split("""a an the and or but of to in on at for with by from as that which who this these
    those is are was were be my our your their its it i we they he she than very more
    der die das den dem des ein eine einen einem und oder aber zu im in am an auf für
    mit von bei als dass ist sind""")
)
_PRONOUNS = frozenset(
    _split("it they this that these those which he she them its there es sie das dies diese er")
)
_LABEL_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)


def has_verb(words: list[str]) -> bool:
    return any(
        w in _VERBS or w.endswith("n't") or (len(w) > 4 and w.endswith("ed"))
        for w in (x.casefold().strip(",.;:!?") for x in words)
    )


_WRAPPED_LINE = 60  # an email wraps near 72 characters; a title is shorter


def _lines(text: str) -> list[str]:
    """Lines that stand alone: a title or list item on its own line. A long line
    without an end mark was wrapped mid-sentence (email) and runs on into the next."""
    out: list[str] = []
    for line in (" ".join(ln.split()) for ln in text.splitlines()):
        if not line:
            continue
        if out and len(out[-1]) >= _WRAPPED_LINE and out[-1][-1] not in ".!?:;":
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def sentences(text: str) -> list[str]:
    """Sentences by their end marks and by line: a title on a line of its own (a form's
    title above its text) is not run into the sentence under it."""
    return [p.strip() for line in _lines(text) for p in _SENTENCE.split(line) if p.strip()]


def clauses(text: str) -> list[str]:
    """Main clauses of a text, leading fillers ("I think that") removed."""
    out = []
    for sentence in sentences(strip_urls(text)):
        for part in _CLAUSE.split(sentence):
            part = _LEAD.sub("", part.strip(" ,.;:!?\"'“”‘’")).strip(" ,.;:!?\"'“”‘’")
            part = _LEAD.sub("", part).strip(" ,.;:!?\"'“”‘’")
            if part:
                out.append(part)
    return out


def _cut(words: list[str], limit: int) -> list[str]:
    words = words[:limit]
    while len(words) > 1 and words[-1].casefold().strip(",.;:") in _DANGLING:
        words = words[:-1]
    return words


# Words that open what hangs off a clause ("hours so ...", "policy and police ...",
# "a level that matches ..."): a label cut just before one ends where a phrase ends.
# A cut before a joining word is tried first; "to", "than" and the like only after.
_JOINS = frozenset(
    _split("""but because so which who whose while although whereas and or since unless
    until where when whether if weil dass wenn ob und oder aber damit sodass bis""")
)
_OPENS_PART = _JOINS | frozenset(_split("that to than rather as such als"))
# "... needs | to increase" would leave the verb hanging.
_WANTS_TO = frozenset(_split("able unable likely unlikely going used ought trying want wants"))


def _clean_cut(words: list[str], limit: int, least: int) -> list[str] | None:
    """The shortest start of ``words`` of ``least``..``limit`` words that stops before a
    word opening a dependent part (a joining word if there is one); None when none.

    The first such place, not the last: in "income is above $100,000 per year but less
    than or equal to ..." the clause ends at "but", not at "or"."""
    for opens in (_JOINS, _OPENS_PART):
        for end in range(least, min(limit, len(words) - 1) + 1):
            word, before = words[end].casefold(), words[end - 1].casefold().strip(",")
            if word not in opens:
                continue
            if word == "to" and (before in _VERBS or before in _WANTS_TO):
                continue
            kept = _cut(words[:end], end)
            while len(kept) > least and kept[-1].casefold().strip(",") in _OPENS_PART:
                kept = _cut(kept[:-1], len(kept) - 1)
            if len(kept) >= least:
                kept[-1] = kept[-1].rstrip(",;:")
                return kept
    return None


def _balance_quotes(text: str) -> str:
    """A label cut from '"The EU" as a concept ...' keeps one quote mark: drop them."""
    for left, right in (('"', '"'), ("“", "”")):
        opened = text.count(left) if left == right else text.count(left) - text.count(right)
        if (left == right and opened % 2) or (left != right and opened):
            text = text.replace(left, "").replace(right, "")
    return " ".join(text.split())


def _capitalise(text: str) -> str:
    text = re.sub(r"[,;:]+([\"”’])$", r"\1", text.strip(" ,.;:"))
    return text[:1].upper() + text[1:]


def claim_label(
    texts: list[str],
    centrality: list[float],
    phrases: list[str],
    stop: frozenset[str] = frozenset(),
) -> str:
    """A 4-12 word claim from the theme's own words, or "" when none reads as one.

    ``texts`` are the theme's most central statements (most central first) and
    ``centrality`` their cosine to the theme's centre.
    """
    key_words: dict[str, float] = {}
    for rank, p in enumerate(phrases):
        for w in p.split():
            key_words.setdefault(w, 1.0 / (1 + rank))
    key_total = sum(key_words.values()) or 1.0
    best, best_score = "", -np.inf
    for pos, (text, cent) in enumerate(zip(texts, centrality, strict=False)):
        for nth, clause in enumerate(clauses(text)[:6]):
            words = clause.split()
            if len(words) < LABEL_MIN_WORDS:
                continue
            cut = len(words) > LABEL_MAX_WORDS
            if cut:
                clean = _clean_cut(words, LABEL_MAX_WORDS, CLEAN_CUT_MIN_WORDS)
                # A cut where a phrase ends reads whole; one mid-phrase only if nothing
                # better is there ("... would give the least well off").
                cut = clean is None
                words = clean or _cut(words, LABEL_MAX_WORDS)
                if len(words) < LABEL_MIN_WORDS:
                    continue
            lowered = {w.casefold() for w in _LABEL_WORD.findall(" ".join(words))}
            content = [w for w in lowered if w not in stop]
            cover = sum(key_words.get(w, 0.0) for w in lowered) / key_total
            score = (
                float(cent)
                + 0.6 * cover
                + (0.15 if has_verb(words) else 0.0)
                - (0.3 if cut else 0.0)
                - 0.01 * pos
                - 0.01 * abs(len(words) - 8)
                - (0.2 if len(content) < 2 else 0.0)
                # "It protects children" leans on a clause before it.
                - (0.12 if words[0].casefold() in _PRONOUNS else 0.0)
                - 0.03 * nth
            )
            if score > best_score + 1e-9:
                best, best_score = " ".join(words), score
    return _capitalise(_balance_quotes(best)) if best else ""


def make_label(
    phrases: list[str],
    fallback: str,
    texts: list[str] | None = None,
    centrality: list[float] | None = None,
    stop: frozenset[str] = frozenset(),
) -> str:
    """The claim when there is one, else the keyphrases, else the fallback's first words."""
    if texts:
        claim = claim_label(texts, centrality or [0.0] * len(texts), phrases, stop)
        if claim:
            return claim
    return keyphrase_label(phrases, fallback)


def trim(text: str, max_words: int) -> str:
    """Whole sentences, then whole clauses, up to ``max_words``; a cut word-wise ends in "…"."""
    kept: list[str] = []
    n = 0
    for sentence in sentences(text):
        words = sentence.split()
        if n + len(words) <= max_words:
            kept.append(sentence)
            n += len(words)
            continue
        if not kept:
            parts: list[str] = []
            for clause in _CLAUSE.split(sentence):
                cw = clause.split()
                if n + len(cw) > max_words:
                    break
                parts.append(clause.strip(" ,;:"))
                n += len(cw)
            if parts:
                kept.append(", ".join(parts).rstrip(".!?,;:") + ".")
            else:
                kept.append(" ".join(_cut(words, max_words)).rstrip(",;:") + "…")
        break
    return " ".join(kept)


def _overlap(a: str, b: str) -> float:
    wa = {w.casefold() for w in _LABEL_WORD.findall(a)}
    wb = {w.casefold() for w in _LABEL_WORD.findall(b)}
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def summarise(
    ranked: list[tuple[str, str]], headline: str, max_words: int = SUMMARY_MAX_WORDS
) -> tuple[list[str], list[str]]:
    """One or two sentences (and their statement ids) that each add to the headline.

    ``ranked`` holds (id, text) in MMR order, the headline's statement first; a
    sentence that mostly repeats what is already said is skipped.
    """
    out: list[str] = []
    ids: list[str] = []
    said = [headline]
    used = 0
    for sid, text in ranked[1:]:
        if len(out) == 2:
            break
        room = max_words - used
        if room < 6:
            break
        sentence = trim(text, min(room, max_words // 2 if not out else room))
        words = len(sentence.split())
        if words < 3 or any(_overlap(sentence, s) > 0.6 for s in said):
            continue
        if sentence[-1] not in ".!?…":
            sentence += "."
        out.append(sentence[:1].upper() + sentence[1:])
        ids.append(sid)
        said.append(sentence)
        used += words
    if not out and ranked:
        # A theme of one statement, or of near-identical ones: the headline says it.
        sid, text = ranked[0]
        first = trim(text, max_words)
        out, ids = [first[:1].upper() + first[1:]], [sid]
    return out, ids
