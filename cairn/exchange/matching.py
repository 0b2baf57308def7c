"""Suggested matches between needs and offers, with the reasons why. No Django here.

A match scores text similarity (TF-IDF cosine over title, description and topics), shared
topics, the same region and the same kind of help. Each part is kept so the page can say
why a match was suggested; the evaluation in `evals/match_offers_needs.py` uses this module
as it is.
"""

from dataclasses import dataclass, field

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

WEIGHTS = {"text": 0.6, "topics": 0.2, "region": 0.1, "category": 0.1}


@dataclass(frozen=True)
class Item:
    id: int
    kind: str  # "offer" or "need"
    category: str
    title: str
    description: str
    topics: tuple[str, ...] = ()
    region: str = ""

    @property
    def text(self) -> str:
        return " ".join([self.title, self.title, self.description, " ".join(self.topics)])


@dataclass
class Match:
    need: Item
    offer: Item
    score: float
    parts: dict[str, float]
    shared_words: list[str] = field(default_factory=list)
    shared_topics: list[str] = field(default_factory=list)

    def reasons(self) -> list[str]:
        why = []
        if self.shared_topics:
            why.append("Both are about " + ", ".join(self.shared_topics) + ".")
        if self.parts["category"]:
            why.append("The offer is the kind of help needed.")
        if self.parts["region"] == 1.0:
            why.append(f"Both are in {self.need.region}.")
        elif self.parts["region"]:
            why.append("One of them covers the whole network.")
        if self.shared_words:
            why.append("Similar words: " + ", ".join(self.shared_words) + ".")
        return why


def _norm_topics(topics) -> set[str]:
    return {t.strip().lower() for t in topics if t.strip()}


def region_score(a: str, b: str) -> float:
    a, b = a.strip().lower(), b.strip().lower()
    if a and a == b:
        return 1.0
    if not a or not b:  # empty means anywhere in the network
        return 0.5
    return 0.0


def suggest(
    needs: list[Item],
    offers: list[Item],
    *,
    top: int = 5,
    weights: dict[str, float] | None = None,
    corpus: list[Item] | None = None,
) -> dict[int, list[Match]]:
    """For each need, the best `top` offers (score > 0), best first, ties broken by id."""
    weights = weights or WEIGHTS
    if not needs or not offers:
        return {n.id: [] for n in needs}
    fit_on = corpus or (needs + offers)
    vectorizer = TfidfVectorizer(
        stop_words="english",
        sublinear_tf=True,
        ngram_range=(1, 1),
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z]+\b",  # noqa: S106 -- a regex, not a password: words only, no numbers
    )
    vectorizer.fit([i.text for i in fit_on])
    vocab = vectorizer.get_feature_names_out()
    need_m = vectorizer.transform([n.text for n in needs])
    offer_m = vectorizer.transform([o.text for o in offers])
    cosine = (need_m @ offer_m.T).toarray()
    # Offer-side features once, as arrays, so scoring a need is a few vector operations.
    offer_topics = [_norm_topics(o.topics) for o in offers]
    offer_ids = np.array([o.id for o in offers])
    result: dict[int, list[Match]] = {}
    for i, need in enumerate(needs):
        need_topics = _norm_topics(need.topics)
        shared_n = np.array([len(need_topics & t) for t in offer_topics], dtype=float)
        union_n = np.array([len(need_topics | t) for t in offer_topics], dtype=float)
        parts = {
            "text": cosine[i],
            "topics": np.divide(shared_n, union_n, out=np.zeros_like(shared_n), where=union_n > 0),
            "region": np.array([region_score(need.region, o.region) for o in offers]),
            "category": np.array([1.0 if need.category == o.category else 0.0 for o in offers]),
        }
        score = np.round(sum(weights[k] * v for k, v in parts.items()), 4)
        # Nothing in common but place or kind: not worth suggesting.
        candidates = np.flatnonzero((parts["text"] > 0) | (shared_n > 0))
        ranked = candidates[np.lexsort((offer_ids[candidates], -score[candidates]))][:top]
        row_n = need_m[i].toarray()[0]
        matches = []
        for j in ranked:
            offer = offers[j]
            product = row_n * offer_m[j].toarray()[0]
            best = [k for k in product.argsort()[::-1][:4] if product[k] > 0]
            matches.append(
                Match(
                    need,
                    offer,
                    float(score[j]),
                    {k: float(v[j]) for k, v in parts.items()},
                    shared_words=[str(vocab[k]) for k in best],
                    shared_topics=sorted(need_topics & offer_topics[j]),
                )
            )
        result[need.id] = matches
    return result
