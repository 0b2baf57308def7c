"""Describe a theme in words taken from its own statements.

- keyphrases: class-based TF-IDF (c-TF-IDF, as BERTopic does) over unigrams
  and bigrams, a theme being the concatenation of its statements, weighted by
  duplicate counts; a unigram already inside a chosen bigram is skipped;
- label: the first two keyphrases;
- headline: the most central statement (closest to the theme centroid);
- summary and quotes: maximal marginal relevance (MMR) over the most central
  statements, so they are central *and* say different things.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_DOCS_PER_THEME = 500  # keyphrases from a seeded sample keep 1M statements cheap
MMR_CANDIDATES = 60
MMR_LAMBDA = 0.7
# Keyphrases are words of letters only: numbers and dates make poor labels.
LETTER_WORDS = r"(?u)\b[^\W\d_][^\W\d_]+\b"


@dataclass
class Description:
    label: str
    keyphrases: list[str]
    ranking: list[int]  # indices into the theme's members, headline first


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


def _stop_words() -> list[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return sorted(ENGLISH_STOP_WORDS | _EXTRA_STOP)


def keyphrases(
    docs_by_theme: list[list[str]],
    weights_by_theme: list[list[float]],
    n: int = 5,
    english: bool = True,
) -> list[list[str]]:
    """c-TF-IDF top phrases for each theme."""
    from sklearn.feature_extraction.text import CountVectorizer

    k = len(docs_by_theme)
    flat = [d for docs in docs_by_theme for d in docs]
    if k == 0 or not flat:
        return [[] for _ in range(k)]
    owner = np.repeat(np.arange(k), [len(d) for d in docs_by_theme])
    w = np.concatenate([np.asarray(x, dtype=np.float64) for x in weights_by_theme])
    vec = CountVectorizer(
        ngram_range=(1, 2),
        stop_words=_stop_words() if english else None,
        token_pattern=LETTER_WORDS,
        min_df=1,
        lowercase=True,
    )
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


def make_label(phrases: list[str], fallback: str) -> str:
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
