"""Evaluate offer/need matching on a hand-labelled set: precision@5 and recall@5.

Run: .venv/bin/python evals/match_offers_needs.py [--data evals/data/offers_needs.json]

Compares Cairn's matcher (text + topics + region + kind of help) with what a coordinator
might do instead: filter by shared topic and region, or text similarity alone. The
"ceiling" is the best precision@5 possible, since most needs have fewer than five good offers.
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cairn.exchange.matching import WEIGHTS, Item, suggest  # noqa: E402

K = 5
DATA = Path(__file__).resolve().parent / "data" / "offers_needs.json"


def load(path: Path) -> tuple[list[Item], list[Item], dict[int, set[int]]]:
    data = json.loads(path.read_text())

    def item(row: dict, kind: str) -> Item:
        return Item(
            id=row["id"],
            kind=kind,
            category=row["category"],
            title=row["title"],
            description=row["description"],
            topics=tuple(row["topics"]),
            region=row["region"],
        )

    offers = [item(r, "offer") for r in data["offers"]]
    needs = [item(r, "need") for r in data["needs"]]
    labels = {r["id"]: set(r["relevant"]) for r in data["needs"]}
    return needs, offers, labels


def topic_region_baseline(needs: list[Item], offers: list[Item]) -> dict[int, list[int]]:
    """A directory filter: offers sharing a topic, same region first."""
    ranked = {}
    for need in needs:
        hits = [o for o in offers if set(o.topics) & set(need.topics)]
        hits.sort(key=lambda o: (o.region != need.region, o.id))
        ranked[need.id] = [o.id for o in hits[:K]]
    return ranked


def evaluate(ranked: dict[int, list[int]], labels: dict[int, set[int]]) -> tuple[float, float]:
    precision = [len(set(ranked[n][:K]) & rel) / K for n, rel in labels.items()]
    recall = [len(set(ranked[n][:K]) & rel) / len(rel) for n, rel in labels.items()]
    return sum(precision) / len(precision), sum(recall) / len(recall)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    needs, offers, labels = load(args.data)

    def cairn(weights):
        found = suggest(needs, offers, top=K, weights=weights)
        return {n: [m.offer.id for m in ms] for n, ms in found.items()}

    text_only = {"text": 1.0, "topics": 0.0, "region": 0.0, "category": 0.0}
    rows = [
        ("topic + region filter (directory)", topic_region_baseline(needs, offers)),
        ("TF-IDF text only", cairn(text_only)),
        ("Cairn: text + topics + region + kind", cairn(WEIGHTS)),
    ]
    ceiling = sum(min(len(r), K) / K for r in labels.values()) / len(labels)
    print(
        f"{len(needs)} needs, {len(offers)} offers, {sum(map(len, labels.values()))} labelled matches"
    )
    print(f"{'method':<40} {'P@5':>6} {'R@5':>6}")
    for name, ranked in rows:
        p, r = evaluate(ranked, labels)
        print(f"{name:<40} {p:>6.3f} {r:>6.3f}")
    print(f"{'ceiling (best possible P@5)':<40} {ceiling:>6.3f} {1.0:>6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
