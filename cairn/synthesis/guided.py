"""Guided mode: place statements under given themes, discover what fits none.

Each given theme is embedded from "label: description". A statement goes to
the most similar theme when the cosine clears the embedder's threshold; the
theme's vector is then pulled towards the mean of what it received (one
refinement step) so that a terse description does not decide everything.
Statements left over are clustered in discover mode as new themes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cairn.synthesis.cluster import discover
from cairn.synthesis.embed import l2_normalise

REFINE_WEIGHT = 0.5  # share of the refined vector that comes from the statements


@dataclass
class Placement:
    labels: np.ndarray  # given theme index, or len(given) + j for discovered theme j, or -1
    centroids: np.ndarray
    similarity: np.ndarray
    n_given: int


def place(
    x: np.ndarray,
    weights: np.ndarray,
    theme_vecs: np.ndarray,
    threshold: float,
    *,
    seed: int = 0,
    min_size: int = 0,
    max_themes: int = 40,
) -> Placement:
    g = len(theme_vecs)
    n = len(x)
    if n == 0:
        return Placement(np.zeros(0, dtype=np.int64), theme_vecs, np.zeros(0), g)
    sims = x @ theme_vecs.T
    best = sims.argmax(1)
    ok = sims[np.arange(n), best] >= threshold

    refined = theme_vecs.astype(np.float64).copy()
    for t in range(g):
        members = ok & (best == t)
        if members.any():
            mean = (x[members] * weights[members, None]).sum(0) / weights[members].sum()
            mean /= max(float(np.linalg.norm(mean)), 1e-12)
            refined[t] = (1 - REFINE_WEIGHT) * refined[t] + REFINE_WEIGHT * mean
    refined = l2_normalise(refined)
    sims2 = x @ refined.T
    best2 = sims2.argmax(1)
    ok2 = sims2[np.arange(n), best2] >= threshold
    labels = np.where(ok2, best2, -1)
    similarity = sims2[np.arange(n), best2]

    rest = np.where(~ok2)[0]
    centroids = [refined]
    if len(rest) >= 2:
        found = discover(
            x[rest], weights[rest], seed=seed, min_size=min_size, max_themes=max_themes
        )
        keep = found.labels >= 0
        # A leftover cluster must be big enough to report; the rest stay unassigned.
        mass = np.bincount(
            found.labels[keep], weights=weights[rest][keep], minlength=len(found.centroids)
        )
        size_floor = max(2, min_size)
        good = np.where(mass >= size_floor)[0]
        remap = np.full(len(found.centroids), -1)
        remap[good] = np.arange(len(good)) + g
        new_labels = np.where(keep, remap[np.maximum(found.labels, 0)], -1)
        labels[rest] = new_labels
        similarity[rest] = np.where(new_labels >= 0, found.similarity, similarity[rest])
        centroids.append(found.centroids[good])
    return Placement(
        labels=labels, centroids=np.vstack(centroids), similarity=similarity, n_given=g
    )
