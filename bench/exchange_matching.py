"""How long suggested matches take as a network grows, against a plain topic filter.

Run: .venv/bin/python bench/exchange_matching.py [--sizes 100,1000,10000]

Offers are generated from the hand-written evaluation set (evals/data/offers_needs.json),
varied in region and wording. "topic filter" is what a coordinator would otherwise do:
list the offers that share a topic with the need. Times are the median of 5 runs.
"""

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cairn.exchange.matching import Item, suggest  # noqa: E402

REGIONS = ["Eastdale", "Westbrook", "Glenmore", "Northshire", ""]
EXTRA = ["weekly", "free", "local", "trained", "small", "community", "evening", "support"]


def make_offers(n: int, seed: int = 7) -> tuple[list[Item], Item]:
    data = json.loads((ROOT / "evals" / "data" / "offers_needs.json").read_text())
    rng = random.Random(seed)
    offers = []
    for i in range(n):
        row = data["offers"][i % len(data["offers"])]
        words = " ".join(rng.sample(EXTRA, 3))
        offers.append(
            Item(
                id=i + 1,
                kind="offer",
                category=row["category"],
                title=row["title"],
                description=f"{row['description']} {words}",
                topics=tuple(row["topics"]),
                region=rng.choice(REGIONS),
            )
        )
    need_row = data["needs"][0]
    need = Item(
        0,
        "need",
        need_row["category"],
        need_row["title"],
        need_row["description"],
        tuple(need_row["topics"]),
        need_row["region"],
    )
    return offers, need


def median_seconds(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    args = parser.parse_args()
    print(f"{'offers':>8} {'Cairn suggest (ms)':>20} {'topic filter (ms)':>18} {'filter hits':>12}")
    for n in [int(s) for s in args.sizes.split(",")]:
        offers, need = make_offers(n)
        cairn = median_seconds(lambda offers=offers, need=need: suggest([need], offers, top=5))
        topics = set(need.topics)
        hits = [o for o in offers if topics & set(o.topics)]
        plain = median_seconds(
            lambda offers=offers, topics=topics: [o for o in offers if topics & set(o.topics)]
        )
        print(f"{n:>8} {cairn * 1000:>20.1f} {plain * 1000:>18.2f} {len(hits):>12}")
    print(
        "The topic filter is faster but leaves a person to read every hit; Cairn ranks and explains five."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
