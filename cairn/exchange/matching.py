"""Suggested matches between needs and offers, with the reasons why. No Django here.

A match scores text similarity (TF-IDF cosine over title, description and topics), shared
topics, the same region and the same kind of help. Each part is kept so the page can say
why a match was suggested; the evaluation in `evals/match_offers_needs.py` uses this module
as it is.
"""

from dataclasses import dataclass, field

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
    result: dict[int, list[Match]] = {}
    for i, need in enumerate(needs):
        need_topics = _norm_topics(need.topics)
        matches = []
        for j, offer in enumerate(offers):
            shared = sorted(need_topics & _norm_topics(offer.topics))
            union = need_topics | _norm_topics(offer.topics)
            parts = {
                "text": float(cosine[i, j]),
                "topics": len(shared) / len(union) if union else 0.0,
                "region": region_score(need.region, offer.region),
                "category": 1.0 if need.category == offer.category else 0.0,
            }
            score = sum(weights[k] * v for k, v in parts.items())
            if parts["text"] == 0 and not shared:
                continue  # nothing in common but place or kind: not worth suggesting
            matches.append((j, Match(need, offer, round(score, 4), parts, shared_topics=shared)))
        matches.sort(key=lambda jm: (-jm[1].score, jm[1].offer.id))
        row_n = need_m[i].toarray()[0]
        for j, match in matches[:top]:
            product = row_n * offer_m[j].toarray()[0]
            best = [k for k in product.argsort()[::-1][:4] if product[k] > 0]
            match.shared_words = [str(vocab[k]) for k in best]
        result[need.id] = [m for _, m in matches[:top]]
    return result
