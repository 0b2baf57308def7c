"""How often hiding names changes real public feedback, and which words it takes for names.

    .venv/bin/python evals/public_names.py [--data PATH]  (default: ../shared/data, as evals/datasets.py finds it) [--top 25]

Runs `cairn.lib.names.NameFilter` (no members: the shipped first-name lists only) over
NHS patient feedback (Care Opinion, phase 2) and every Polis comments file, and prints,
per source, how many texts it changed and the words it replaced most often, so a reader
can judge the false positives (places, public figures) against the names it hides.
"""

import argparse
import csv
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cairn.lib.names import NameFilter  # noqa: E402
from evals.datasets import DATA  # noqa: E402

WORD = re.compile(r"[^\W\d_]+")


def sources(data: Path) -> dict[str, list[str]]:
    csv.field_size_limit(10**9)
    found: dict[str, list[str]] = {}
    nhs = data / "nhs-pxtextmining/phase_2/v6framework_230831.csv"
    if nhs.exists():
        with nhs.open(encoding="utf-8", errors="ignore") as f:
            found["nhs-pxtextmining"] = [r["FFT answer"] for r in csv.DictReader(f)]
    for path in sorted((data / "polis-opendata").glob("*/comments.csv")):
        with path.open(encoding="utf-8", errors="ignore") as f:
            found[path.parent.name[:30]] = [r.get("comment-body", "") for r in csv.DictReader(f)]
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    names = NameFilter()
    taken: Counter = Counter()
    print(f"{'source':32} {'texts':>7} {'changed':>8} {'share':>7}")
    total = changed = 0
    for source, texts in sources(args.data).items():
        n = 0
        for text in texts:
            hidden = names.hide(text)
            if hidden != text:
                n += 1
                kept = set(WORD.findall(hidden))
                taken.update(w for w in WORD.findall(text) if w not in kept)
        total, changed = total + len(texts), changed + n
        print(f"{source:32} {len(texts):7,} {n:8,} {n / max(1, len(texts)):7.2%}")
    print(f"{'all':32} {total:7,} {changed:8,} {changed / max(1, total):7.2%}")
    print(
        "\nwords replaced most often:",
        ", ".join(f"{w} {n}" for w, n in taken.most_common(args.top)),
    )


if __name__ == "__main__":
    main()
