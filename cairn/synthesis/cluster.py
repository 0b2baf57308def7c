"""Discover themes without being told how many there are.

Cost grows gently with the number of statements:
0. up to ``SMOOTH_MAX`` statements, move each a step towards the mean of its
   nearest neighbours (``SMOOTH_K``, fewer for small inputs), so themes follow
   the local shape of the data as UMAP does for BERTopic (evals/: +0.01 to
   +0.02 mean AMI on each labelled source); above that the exact neighbour
   search would cost more than the rest;
1. over-cluster the unique statements into at most ``MAX_MICRO`` micro-clusters
   (spherical k-means fitted on a sample), weighting each statement by its
   duplicate count; below that size every statement is its own micro-cluster;
2. build a weighted Ward tree over the micro-clusters (Lance-Williams updates,
   so a micro-cluster of 500 "Nothing"s weighs 500);
3. cut the tree at a resolution of about sqrt(n) themes for n unique
   statements (capped by ``max_themes``): the resolution human coders of
   consultations work at, which evals/ confirmed against cutting at the
   largest jump in merge cost (kept as ``STRATEGY = "jump"``);
4. polish with a few weighted spherical k-means steps from the cut, then fold
   themes smaller than ``min_size`` (1 % of statements by default) into their
   nearest neighbour: how many themes remain is decided by the data.
Everything is seeded, so the same input and seed give the same themes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cairn.synthesis.embed import l2_normalise

MAX_MICRO = 400
MIN_MICRO = 200
LLOYD_ITERS = 12
OUTLIER_RATIO = 0.0  # 0: every statement joins its nearest theme
POLISH_ITERS = 5
MIN_SHARE = 0.01  # themes below this share of statements fold into a neighbour
FIT_SAMPLE = 32_768
WINDOW = (0.5, 2.0)
STRATEGY = "sqrt"
SCALE = 1.0
SMOOTH_K = 10
SMOOTH_MAX = 5_000


@dataclass
class Clustering:
    labels: np.ndarray  # theme index per point, -1 for unassigned
    centroids: np.ndarray  # L2-normalised, one row per theme
    similarity: np.ndarray  # cosine of each point to its own (or nearest) centroid


def _micro_clusters(
    x: np.ndarray, w: np.ndarray, m: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return (micro label per point, micro centroid matrix).

    Spherical k-means (cosine, unit centres) from a seeded random choice of
    points, fitted on at most FIT_SAMPLE points and then applied to all: plain
    float32 matrix products, so 100,000 statements take seconds, not minutes
    (scikit-learn's k-means++ seeding alone took minutes here).
    """
    n = len(x)
    if n <= m:
        return np.arange(n), x.copy()
    rng = np.random.default_rng(seed)
    idx = np.sort(rng.choice(n, size=min(n, FIT_SAMPLE), replace=False))
    xs, ws = x[idx], w[idx]
    centres = xs[np.sort(rng.choice(len(xs), size=m, replace=False))].copy()
    for _ in range(LLOYD_ITERS):
        labels = _nearest(xs, centres)
        sums = weighted_sums(xs, labels, ws, m)
        norms = np.linalg.norm(sums, axis=1)
        filled = norms > 0
        new = centres.copy()
        new[filled] = (sums[filled] / norms[filled, None]).astype(np.float32)
        if np.allclose(new, centres, atol=1e-6):
            break
        centres = new
    labels = _nearest(x, centres)
    centroids = weighted_sums(x, labels, w, m)
    mass = np.bincount(labels, weights=w, minlength=m)
    keep = mass > 0
    remap = np.cumsum(keep) - 1
    centroids = centroids[keep] / mass[keep, None]
    return remap[labels], centroids.astype(np.float32)


def smooth_neighbours(x: np.ndarray, k: int = SMOOTH_K, chunk: int = 1024) -> np.ndarray:
    """Each unit row plus the mean of its ``k`` nearest other rows, re-normalised.

    Exact cosine neighbours, computed in row chunks so memory stays at
    ``chunk x n``; meant for up to a few thousand rows.
    """
    n = len(x)
    k = min(k, n - 1)
    if k < 1:
        return x
    out = np.empty_like(x)
    for s in range(0, n, chunk):
        sims = x[s : s + chunk] @ x.T
        rows = np.arange(len(sims))
        sims[rows, s + rows] = -np.inf
        nb = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        out[s : s + chunk] = x[s : s + chunk] + x[nb].mean(1)
    return l2_normalise(out)


def _nearest(x: np.ndarray, centres: np.ndarray, chunk: int = 65536) -> np.ndarray:
    out = np.empty(len(x), dtype=np.int64)
    for s in range(0, len(x), chunk):
        out[s : s + chunk] = (x[s : s + chunk] @ centres.T).argmax(1)
    return out


def weighted_sums(
    x: np.ndarray, labels: np.ndarray, w: np.ndarray, k: int, chunk: int = 65536
) -> np.ndarray:
    """Row sums of ``x`` weighted by ``w`` per label (a sparse product, not np.add.at).

    Each chunk is summed in ``x``'s own precision and the chunks in float64, so a
    million rows never need a float64 copy of ``x`` (4 GB at 512 dimensions).
    """
    from scipy import sparse

    out = np.zeros((k, x.shape[1]), dtype=np.float64)
    for s in range(0, len(x), chunk):
        xs = x[s : s + chunk]
        m = len(xs)
        onehot = sparse.csr_matrix(
            (w[s : s + m].astype(xs.dtype), (labels[s : s + m], np.arange(m))), shape=(k, m)
        )
        out += onehot @ xs
    return out


def ward_tree(c: np.ndarray, sizes: np.ndarray) -> list[tuple[int, int, float]]:
    """Weighted Ward merges over centroids ``c`` of clusters with ``sizes``.

    Returns merges as (a, b, cost) with the new cluster taking index ``a``.
    """
    m = len(c)
    sizes = sizes.astype(np.float64).copy()
    sq = (c.astype(np.float64) ** 2).sum(1)
    d2 = np.maximum(sq[:, None] + sq[None, :] - 2.0 * (c @ c.T).astype(np.float64), 0.0)
    d = (sizes[:, None] * sizes[None, :] / (sizes[:, None] + sizes[None, :])) * d2
    np.fill_diagonal(d, np.inf)
    alive = np.ones(m, dtype=bool)
    merges: list[tuple[int, int, float]] = []
    for _ in range(m - 1):
        flat = int(np.argmin(d))
        a, b = divmod(flat, m)
        if a > b:
            a, b = b, a
        cost = float(d[a, b])
        na, nb = sizes[a], sizes[b]
        nk = sizes
        # Lance-Williams update for Ward on the merged cluster (kept at index a).
        new = ((nk + na) * d[a] + (nk + nb) * d[b] - nk * cost) / (nk + na + nb)
        d[a, :] = new
        d[:, a] = new
        d[b, :] = np.inf
        d[:, b] = np.inf
        d[a, a] = np.inf
        d[~alive, :] = np.inf
        d[:, ~alive] = np.inf
        sizes[a] = na + nb
        alive[b] = False
        merges.append((a, b, cost))
    return merges


def cut_tree(merges: list[tuple[int, int, float]], m: int, k: int) -> np.ndarray:
    """Micro-cluster -> theme index for the cut that leaves ``k`` clusters."""
    parent = np.arange(m)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b, _ in merges[: max(0, m - k)]:
        parent[find(b)] = find(a)
    roots = np.array([find(i) for i in range(m)])
    _, labels = np.unique(roots, return_inverse=True)
    return labels


def _kmeans_polish(
    x: np.ndarray, w: np.ndarray, labels: np.ndarray, k: int, iters: int = 5
) -> tuple[np.ndarray, np.ndarray]:
    for _ in range(iters):
        c = weighted_sums(x, labels, w, k).astype(np.float32)
        norms = np.linalg.norm(c, axis=1, keepdims=True)
        empty = norms[:, 0] == 0
        norms[empty] = 1.0
        c = c / norms
        sims = _chunked_sims(x, c)
        sims[:, empty] = -np.inf
        new = sims.argmax(1)
        if np.array_equal(new, labels):
            break
        labels = new
    return labels, c


def _chunked_sims(x: np.ndarray, c: np.ndarray, chunk: int = 65536) -> np.ndarray:
    out = np.empty((len(x), len(c)), dtype=np.float32)
    for s in range(0, len(x), chunk):
        out[s : s + chunk] = x[s : s + chunk] @ c.T
    return out


def choose_k(merges: list[tuple[int, int, float]], m: int, n: int, max_k: int) -> int:
    """Number of clusters at which to cut the Ward tree.

    Human coders of consultations use roughly sqrt(n) themes for n answers
    (10 for 100, 30 for 1,000). "sqrt" cuts there; "jump" cuts at the largest
    relative jump in Ward cost within [sqrt(n)/2, 2 sqrt(n)]. Small themes are
    folded afterwards, so the final count is lower and depends on the data.
    """
    if m <= 2:
        return m
    root = np.sqrt(n)
    lo = int(max(2, min(max_k, np.floor(root * WINDOW[0]))))
    hi = int(max(lo, min(max_k, m, np.ceil(root * WINDOW[1]))))
    if STRATEGY == "sqrt":
        return int(min(max(lo, round(root * SCALE)), hi))
    costs = np.array([c for _, _, c in merges], dtype=np.float64)
    best_k, best = lo, -np.inf
    for k in range(lo, hi + 1):
        # merging from k to k-1 clusters costs costs[m - k]; from k+1 to k, costs[m - k - 1]
        if m - k - 1 < 0 or m - k >= len(costs):
            continue
        jump = np.log(max(costs[m - k], 1e-12)) - np.log(max(costs[m - k - 1], 1e-12))
        if jump > best + 1e-9:
            best, best_k = jump, k
    return best_k


def discover(
    x: np.ndarray,
    weights: np.ndarray | None = None,
    *,
    seed: int = 0,
    min_size: int = 0,
    max_themes: int = 40,
    outlier_sim: float | None = None,
) -> Clustering:
    """Cluster L2-normalised rows of ``x`` into a number of themes found from the data."""
    n = len(x)
    w = np.ones(n, dtype=np.float64) if weights is None else weights.astype(np.float64)
    if n == 0:
        return Clustering(np.zeros(0, dtype=np.int64), np.zeros((0, x.shape[1])), np.zeros(0))
    total = float(w.sum())
    if min_size <= 0:
        min_size = max(2, int(round(MIN_SHARE * total)))
    if n < 3 or total < 2 * min_size:
        c = x.mean(0, keepdims=True)
        c /= max(float(np.linalg.norm(c)), 1e-12)
        return Clustering(np.zeros(n, dtype=np.int64), c, (x @ c.T)[:, 0])

    # Neighbours reach at most half a typical theme (themes hold ~sqrt(n) each),
    # so a small input is not blurred across its themes; below ~36 statements
    # neighbourhoods are too sparse to show any shape.
    k_near = min(SMOOTH_K, int(np.sqrt(n) / 2))
    if n <= SMOOTH_MAX and k_near >= 3:
        x = smooth_neighbours(x, k_near)

    # Micro-clusters several times finer than the sqrt(n) themes expected.
    m = min(n, MAX_MICRO, max(MIN_MICRO, int(4 * np.sqrt(n))))
    micro, mc = _micro_clusters(x, w, m, seed)
    m = len(mc)
    msizes = np.bincount(micro, weights=w, minlength=m)
    merges = ward_tree(mc, msizes)
    k = choose_k(merges, m, n, max_themes)
    labels = cut_tree(merges, m, k)[micro]
    labels, c = _kmeans_polish(x, w, labels, k, iters=POLISH_ITERS)

    # Fold themes too small to report into their nearest neighbour.
    while True:
        mass = np.bincount(labels, weights=w, minlength=len(c))
        small = np.where(mass < min_size)[0]
        if len(small) == 0 or len(c) - len(small) < 1:
            break
        keep = np.setdiff1d(np.arange(len(c)), small)
        sims = _chunked_sims(x, c[keep])
        labels = sims.argmax(1)
        labels, c = _kmeans_polish(x, w, labels, len(keep), iters=2)

    sims = _chunked_sims(x, c)
    own = sims[np.arange(n), labels]
    if outlier_sim is not None:
        labels = np.where(own < outlier_sim, -1, labels)
    elif OUTLIER_RATIO > 0:
        # A statement much further from its theme's centre than the theme's
        # typical member fits no theme: it is listed as unassigned.
        typical = np.array(
            [np.median(own[labels == t]) if (labels == t).any() else 0.0 for t in range(len(c))]
        )
        labels = np.where(own < OUTLIER_RATIO * typical[labels], -1, labels)
    return Clustering(labels=labels, centroids=c, similarity=own)
