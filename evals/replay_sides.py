"""Replay only the sides step (``refine.refine_sides``) on cached clusters, in a second.

    python evals/replay_sides.py --capture   # once (minutes): run score_labels' jobs, cache them
    python evals/replay_sides.py             # replay today's refine_sides: AMI, mixed
    python evals/replay_sides.py --oracle    # the same with some sides taken from the gold

``evals/score_labels.py`` takes minutes because every run embeds, clusters and
labels. The sides step sees only what clustering left it, so ``--capture``
runs score_labels' AMI and sides jobs (ArgKP topic x stance, ArgKP topics
with both stances pooled, NHS, CIMT; not the junk jobs) once and keeps, per
run, the inputs of ``refine_sides`` (vectors, weights, clusters, sides,
proposals, which statements name the subject), the texts it saw and how each
input statement reached it (deduplicated, set aside). A replay then gives
AMI and "mixed" as score_labels computes them, for today's ``refine_sides``
or any function with its signature (import ``replay`` from here). The cache
holds the clusters of the code that captured it: capture again after a
change before the refine step; a replay of today's step gives
score_labels' figures.

``--oracle`` measures how side accuracy limits mixing on ArgKP: the
statements of one kind (explicit proposals, cue words only, no side) take
their gold side, or a random share of all wrong sides is put right.
``--accuracy`` prints the rules' side accuracy per kind on ArgKP (each topic
oriented to agree with the rules; a side-less statement counts as wrong).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import score_labels as S  # noqa: E402

from cairn.synthesis import refine as refine_mod  # noqa: E402

CACHE = Path.home() / ".cache" / "cairn-evals" / "sides.pkl"
SOURCES = ("argkp", "nhs", "cimt")
SidesFn = Callable[..., tuple]


def capture(path: Path) -> None:
    """Run score_labels' AMI and sides jobs once; keep what refine_sides saw in each."""
    from cairn.synthesis import noise as noise_mod
    from cairn.synthesis import pipeline as pipeline_mod
    from cairn.synthesis.split import split_statements
    from cairn.synthesis.types import Options, Statement

    seen: dict = {}
    real_refine, real_subject = refine_mod.refine_sides, refine_mod.on_main_subject
    real_dedupe = pipeline_mod.group_duplicates

    # The pipeline's own stages, wrapped to keep their inputs and outputs: the
    # mapping from statements to refine's rows is the pipeline's, not a copy.
    def refine_sides(x, w, labels, centroids, sides, proposals, first=0, on_subject=None):  # noqa: ANN001, ANN202
        seen.update(
            x=x, w=w, labels=labels, centroids=centroids, sides=list(sides),
            proposals=list(proposals), first=first, on_subject=on_subject,
        )  # fmt: skip
        return real_refine(x, w, labels, centroids, sides, proposals, first, on_subject)

    def on_main_subject(texts, stop):  # noqa: ANN001, ANN202
        seen["texts"] = list(texts)
        return real_subject(texts, stop)

    def group_duplicates(texts, near=True):  # noqa: ANN001, ANN202
        seen["groups"] = real_dedupe(texts, near=near)
        return seen["groups"]

    def split(statements, chars):  # noqa: ANN001, ANN202
        seen["items"] = split_statements(statements, chars)
        return seen["items"]

    def noise(texts):  # noqa: ANN001, ANN202
        seen["reasons"] = noise_mod.reasons(texts)
        return seen["reasons"]

    refine_mod.refine_sides, refine_mod.on_main_subject = refine_sides, on_main_subject
    pipeline_mod.group_duplicates = group_duplicates
    out = {}
    t0 = time.perf_counter()
    try:
        for kind, name, texts in S._jobs(list(SOURCES)):
            if kind == "junk":
                continue
            seen.clear()
            pipeline_mod.synthesize(
                [Statement(str(i), t) for i, t in enumerate(texts)],
                Options(embedder="hybrid", seed=S.SEED),
                stages=pipeline_mod.Stages(split=split, noise=noise),
            )
            out[f"{kind}|{name}"] = _run_record(seen)
    finally:
        refine_mod.refine_sides, refine_mod.on_main_subject = real_refine, real_subject
        pipeline_mod.group_duplicates = real_dedupe
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    print(f"captured {len(out)} runs in {time.perf_counter() - t0:.0f} s -> {path}")


def _run_record(seen: dict) -> dict:
    items, reasons = seen["items"], seen["reasons"]
    kept = [i for i, s in enumerate(items) if s.text.strip()]
    inverse = seen["groups"].inverse()
    active = [u for u, r in enumerate(reasons) if r is None]
    row_of = {u: n for n, u in enumerate(active)}
    # Each piece: its row in refine's input, "aside:<reason>", or None (empty).
    row: list = [None] * len(items)
    for pos, i in enumerate(kept):
        u = int(inverse[pos])
        row[i] = row_of[u] if u in row_of else f"aside:{reasons[u]}"
    record = {"row": row, "contribution": [s.contribution_id or s.id for s in items]}
    if "x" in seen:  # no refine step ran (too few themes): nothing to replay
        record.update({k: seen[k] for k in seen if k not in ("items", "reasons", "groups")})
    return record


def predictions(run: dict, labels: np.ndarray | None) -> list:
    """Per input statement, as score_labels' ``_run``: theme, ``aside:<reason>`` or -1."""
    rank: dict[int, int] = {}
    if labels is not None and (labels >= 0).any():
        # The pipeline lists themes by weight, then by first row; a statement
        # split into pieces takes the theme most pieces took, a tie the one listed first.
        mass = np.bincount(labels[labels >= 0], weights=run["w"][labels >= 0])
        first = {int(t): i for i, t in reversed(list(enumerate(labels))) if t >= 0}
        order = sorted(first, key=lambda t: (-mass[t], first[t]))
        rank = {t: n for n, t in enumerate(order)}
    votes: dict[str, list] = {}
    aside: dict[str, str] = {}
    for r, c in zip(run["row"], run["contribution"], strict=True):
        theme = None
        if isinstance(r, str):
            aside[c] = r
        elif r is not None and labels is not None and labels[r] >= 0:
            theme = int(labels[r])
        votes.setdefault(c, []).append(theme)
    out = []
    for c, vs in votes.items():
        won = min(
            set(vs),
            key=lambda v: (-vs.count(v), rank.get(v, len(rank)) if v is not None else len(rank)),
        )
        out.append(won if won is not None else aside.get(c, -1))
    return out


def today(run: dict) -> np.ndarray:
    return refine_mod.refine_sides(
        run["x"], run["w"], run["labels"], run["centroids"], run["sides"],
        run["proposals"], run["first"], run["on_subject"],
    )[0]  # fmt: skip


def replay(cache: dict, sides_fn: Callable[[dict], np.ndarray] = today) -> dict[str, dict]:
    """AMI and mixed per source with ``sides_fn(run) -> labels`` as the sides step."""
    from sklearn.metrics import adjusted_mutual_info_score

    data = S._load(list(SOURCES))
    nhs_gold = S.nhs_sides()
    out = {}
    for src, consultations in data.items():
        amis, mixed, judged = [], 0, 0
        for c in consultations:
            run = cache[f"ami|{src}|{c.name}"]
            pred = predictions(run, sides_fn(run) if "x" in run else None)
            amis.append(adjusted_mutual_info_score(c.gold, [str(p) for p in pred]))
            if src == "nhs" and c.name in nhs_gold:
                m, j = S.mixed_share(pred, nhs_gold[c.name])
                mixed, judged = mixed + m, judged + j
        if src == "argkp":
            for name, _, gold in S.argkp_by_topic():
                run = cache[f"sides|argkp-topic|{name}"]
                m, j = S.mixed_share(predictions(run, sides_fn(run)), gold)
                mixed, judged = mixed + m, judged + j
        out[src] = {"AMI": float(np.mean(amis)), "mixed": mixed, "judged": judged}
    return out


def _print(title: str, rows: dict[str, dict]) -> None:
    cells = "  ".join(
        f"{s} AMI {r['AMI']:.4f} mixed {r['mixed'] / max(r['judged'], 1):.3f} "
        f"({r['mixed']}/{r['judged']})"
        for s, r in rows.items()
    )
    print(f"{title:28} {cells}", flush=True)


# --- how side accuracy limits mixing (ArgKP, where every argument has a gold side) ----


def _oriented_gold(cache: dict) -> None:
    """Each pooled ArgKP run's gold sides, oriented to agree with the rules' (sides are
    for or against a statement's subject, the gold for or against the motion)."""
    for name, _, gold in S.argkp_by_topic():
        run = cache[f"sides|argkp-topic|{name}"]
        g = np.zeros(len(run["x"]), dtype=np.int64)
        for r, s in zip(run["row"], gold, strict=True):
            if isinstance(r, int):
                g[r] = s
        filled = refine_mod.fill_sides(run["x"], run["w"], run["sides"], run["proposals"])
        told = filled != 0
        run["gold"] = g if (filled[told] == g[told]).mean() >= 0.5 else -g


def _with_sides(change: Callable[[dict, np.ndarray], np.ndarray]) -> Callable[[dict], np.ndarray]:
    """refine_sides with the filled sides of ArgKP pooled runs changed by ``change``."""

    def sides_fn(run: dict) -> np.ndarray:
        r = refine_mod
        x, w, p = run["x"], run["w"], np.asarray(run["proposals"])
        if (
            "gold" not in run
            or r.one_sided(p, w)
            or r.one_sided(np.where(run["on_subject"], p, 0), w)
        ):
            return today(run)
        filled = change(run, r.fill_sides(x, w, run["sides"], p))
        argued = r._enough_proposals(p, w)
        labels, centroids, tags = r.split_sides(
            x, w, run["labels"], run["centroids"], filled, first=run["first"],
            share=r.SIDE_SHARE if argued else r.SIDE_SHARE_PLAIN,
        )  # fmt: skip
        margin = r.DISSENT_MARGIN_ARGUED if argued else r.DISSENT_MARGIN
        return r.move_dissenters(
            x, w, labels, centroids, filled, tags, first=run["first"], margin=margin
        )[0]

    return sides_fn


def _kinds(run: dict) -> dict[str, np.ndarray]:
    s, p = np.asarray(run["sides"]), np.asarray(run["proposals"])
    return {"proposals": p != 0, "cue words": (p == 0) & (s != 0), "no side": s == 0}


def oracle(cache: dict) -> None:
    _oriented_gold(cache)
    _print("rules (today)", replay(cache, _with_sides(lambda run, f: f)))
    for kind in ("proposals", "cue words", "no side"):

        def true_kind(run: dict, f: np.ndarray, kind: str = kind) -> np.ndarray:
            f = f.copy()
            m = _kinds(run)[kind]
            f[m] = run["gold"][m]
            return f

        _print(f"gold sides for {kind}", replay(cache, _with_sides(true_kind)))
    for share in (0.25, 0.5, 0.75):
        rng = np.random.default_rng(0)

        def fix_some(
            run: dict, f: np.ndarray, share: float = share, rng: np.random.Generator = rng
        ) -> np.ndarray:
            f = f.copy()
            wrong = np.where(f != run["gold"])[0]
            fix = wrong[rng.random(len(wrong)) < share]
            f[fix] = run["gold"][fix]
            return f

        _print(f"{share:.0%} of wrong sides right", replay(cache, _with_sides(fix_some)))
    _print("gold sides for all", replay(cache, _with_sides(lambda run, f: run["gold"].copy())))


def accuracy(cache: dict) -> None:
    _oriented_gold(cache)
    right: dict[str, int] = {}
    total: dict[str, int] = {}
    for name, _, _ in S.argkp_by_topic():
        run = cache[f"sides|argkp-topic|{name}"]
        s = np.asarray(run["sides"])
        filled = refine_mod.fill_sides(run["x"], run["w"], s, run["proposals"])
        for kind, m in _kinds(run).items():
            for how, v in (("rules", s), ("after prototypes", filled)):
                key = f"{kind}, {how}"
                right[key] = right.get(key, 0) + int(((v == run["gold"]) & m).sum())
                total[key] = total.get(key, 0) + int(m.sum())
    for key in right:
        print(f"{key:32} {right[key] / max(total[key], 1):.3f} of {total[key]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--cache", type=Path, default=CACHE)
    ap.add_argument("--capture", action="store_true", help="run the jobs and cache them")
    ap.add_argument("--oracle", action="store_true")
    ap.add_argument("--accuracy", action="store_true")
    args = ap.parse_args()
    if args.capture or not args.cache.exists():
        capture(args.cache)
    cache = pickle.loads(args.cache.read_bytes())
    if args.accuracy:
        accuracy(cache)
    elif args.oracle:
        oracle(cache)
    else:
        _print("refine_sides (today)", replay(cache))


if __name__ == "__main__":
    main()
