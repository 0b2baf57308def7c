"""Score the stance rules against human sentiment codes on NHS patient feedback.

    python evals/score_stance.py

Phase 2 (NEAS) codes each answer's sentiment 1 (very positive) to 5 (very
negative); phase 1 gives a criticality, below 0 critical and above 0
positive. A "positive" stance should land on the positive side, a
"challenge" or an "idea" (what to change) on the critical side. Printed: the
share of each stance per human code, and balanced accuracy on the polar rows
(stance "other" and "question" count as misses, so saying nothing earns nothing).

ArgKP: the side rules (``stance.side``) against each argument's stance on its
motion, on the dev topics (and train with ``--train``). A side is for or
against the statement's own subject, so each topic is oriented by the side
the rules give its motion ("We should ban X" is against X: a pro argument
should read as against); printed: accuracy on the arguments given a side, and
the share given none.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datasets import DATA  # noqa: E402

from cairn.synthesis.stance import classify  # noqa: E402
from cairn.synthesis.stance import side as side_of  # noqa: E402

STANCES = ("positive", "challenge", "idea", "question", "other")


def phase2() -> list[tuple[str, str]]:
    path = DATA / "nhs-pxtextmining" / "phase_2" / "v6framework_230831.csv"
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            text = (r["FFT answer"] or "").strip()
            s = (r["Comment sentiment"] or "").strip()
            if text and text.lower() != "did not answer" and s in "12345":
                side = "positive" if s in "12" else "critical" if s in "45" else "mixed"
                out.append((side, text))
    return out


def phase1() -> list[tuple[str, str]]:
    path = DATA / "nhs-pxtextmining" / "phase_1" / "text_data.csv"
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            try:
                c = int(r["criticality"])
            except ValueError:
                continue
            side = "positive" if c > 0 else "critical" if c < 0 else "mixed"
            out.append((side, (r["feedback"] or "").strip()))
    return out


def report(name: str, rows: list[tuple[str, str]]) -> float:
    table = Counter((side, classify(text)) for side, text in rows)
    print(f"\n{name}: share of each stance by human code")
    print(f"{'code':9} {'n':>5} " + " ".join(f"{s:>9}" for s in STANCES))
    for side in ("positive", "mixed", "critical"):
        n = sum(v for (a, _), v in table.items() if a == side)
        if n:
            cells = " ".join(f"{table[(side, s)] / n:9.2f}" for s in STANCES)
            print(f"{side:9} {n:5d} {cells}")
    pos_n = sum(v for (a, _), v in table.items() if a == "positive")
    crit_n = sum(v for (a, _), v in table.items() if a == "critical")
    recall_pos = table[("positive", "positive")] / max(pos_n, 1)
    recall_crit = (table[("critical", "challenge")] + table[("critical", "idea")]) / max(crit_n, 1)
    bacc = (recall_pos + recall_crit) / 2
    print(f"balanced accuracy on polar rows: {bacc:.3f}")
    return bacc


def argkp_sides(split: str) -> tuple[float, float]:
    """(accuracy on arguments given a side, share given none) over one ArgKP split."""
    path = DATA / "ibm-argkp-2021" / "kpm_data" / f"arguments_{split}.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    topics: dict[str, list[tuple[int, int]]] = {}
    for r in rows:
        topics.setdefault(r["topic"], []).append((int(r["stance"]), side_of(r["argument"])))
    right = polar = total = 0
    for topic, pairs in topics.items():
        orient = side_of(topic)
        if not orient:  # the motion reads as no side: the orientation that fits best
            fit = sum(s == g for g, s in pairs) - sum(s == -g for g, s in pairs)
            orient = 1 if fit >= 0 else -1
        right += sum(1 for g, s in pairs if s and s == orient * g)
        polar += sum(1 for _, s in pairs if s)
        total += len(pairs)
    return right / max(polar, 1), 1 - polar / max(total, 1)


def main() -> None:
    a = report("NHS phase 2 (sentiment 1-2 positive, 4-5 critical)", phase2())
    b = report("NHS phase 1 (criticality > 0 positive, < 0 critical)", phase1())
    print(f"\nmean balanced accuracy: {(a + b) / 2:.3f}")
    print("\nArgKP sides (stance on the motion, topics oriented by the motion's side)")
    for split in ("dev", "train") if "--train" in sys.argv else ("dev",):
        acc, none = argkp_sides(split)
        print(f"{split:5} accuracy on arguments given a side: {acc:.3f}; given none: {none:.3f}")


if __name__ == "__main__":
    main()
