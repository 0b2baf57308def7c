"""After clustering: one theme per idea, one side per theme.

- ``merge_near_synonyms``: two discovered themes whose centres are very close,
  or close and described by the same keyphrase words, become one ("freedom of
  speech" four times over is one theme with its sub-points);
- ``split_sides``: a theme whose statements argue both ways (enough positive
  signs *and* enough challenges) becomes two themes, one per side; statements
  with no side (ideas, questions) join the side whose centre they are nearer.

Both work on theme indices from ``first`` on, so given themes (guided mode)
keep their place; both return fresh labels and unit centroids.
"""

from __future__ import annotations

import re

import numpy as np

from cairn.synthesis.embed import l2_normalise

# Two themes are one idea when their keyphrase words overlap (Jaccard) *and*
# their centres are among the closest pairs of this run. Centre similarity
# alone is no guide: general themes sit close to every other (evals/, NHS and
# CIMT lost 0.04-0.09 AMI when close centres alone merged).
MERGE_WORDS = 0.5
MERGE_PAIR_QUANTILE = 0.9
SIDE_SHARE = 0.25  # each side holds at least this share of the theme's polar statements
# A run not argued with proposals (feedback on a service: "the staff were kind",
# "the wait was long") has sides only from cue words, which read a statement's
# own subject: there a theme splits only when each side holds this share. At
# the argued runs' 25 % such runs lost topic coherence (NHS AMI 0.1664 ->
# 0.1635, CIMT 0.2152 -> 0.2143 in evals/score_labels.py) for little less mixing.
SIDE_SHARE_PLAIN = 0.4
SIDE_MIN = 3  # and at least this many statements (weighted by duplicates)
# A dissenter moves to the nearest theme of its own side when that theme's
# centre is at most this much less similar than its own theme's.
DISSENT_MARGIN = 0.1
# In a run argued with explicit proposals on both sides, sides are surer (the
# prototypes are seeded from them) and a dissenter may go further.
DISSENT_MARGIN_ARGUED = 0.2
# Explicit proposals ("we should (not) ban X") tell which sides a run has.
# When there are enough of them (this many, and this share of the run) and
# nearly all point one way, everyone argues one side: cue words that seem to
# disagree inside a theme follow each statement's own subject ("students should
# be free" and "uniforms restrict them" argue alike), so no theme is split.
PROPOSALS_MIN = 15
PROPOSALS_SHARE = 0.1
ONE_SIDED = 0.25  # the minority of proposals holds less than this share
# Side prototypes, seeded from proposals: a statement with no side takes the
# prototype's when its score lies this many deviations from the middle, and a
# cue-word side (not a proposal) yields to it past OVERRIDE_Z.
FILL_Z = 0.5
OVERRIDE_Z = 1.0

SIDE_OF = {"positive": 1, "challenge": -1}


def centroids_of(x: np.ndarray, w: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    from cairn.synthesis.cluster import weighted_sums

    ok = labels >= 0
    if not ok.any():
        return np.zeros((k, x.shape[1]), dtype=np.float32)
    sums = weighted_sums(x[ok], labels[ok], w[ok], k)
    return l2_normalise(sums.astype(np.float32))


def _words(phrases: list[str]) -> set[str]:
    return {w for p in phrases[:5] for w in p.split()}


def merge_near_synonyms(
    x: np.ndarray,
    w: np.ndarray,
    labels: np.ndarray,
    centroids: np.ndarray,
    phrases: list[list[str]],
    first: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    k = len(centroids)
    if k - first < 2:
        return labels, centroids
    parent = list(range(k))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sims = centroids @ centroids.T
    upper = sims[np.triu_indices(k, 1)]
    close = float(np.quantile(upper, MERGE_PAIR_QUANTILE))
    pairs = []
    for a in range(first, k):
        for b in range(a + 1, k):
            s = float(sims[a, b])
            if s < close:
                continue
            wa, wb = _words(phrases[a]), _words(phrases[b])
            if len(wa & wb) / max(1, len(wa | wb)) >= MERGE_WORDS:
                pairs.append((-s, a, b))
    if not pairs:
        return labels, centroids
    for _, a, b in sorted(pairs):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    roots = np.array([find(i) for i in range(k)])
    keep = np.unique(roots)
    remap = np.full(k, -1)
    remap[keep] = np.arange(len(keep))
    new_labels = np.where(labels >= 0, remap[roots[np.maximum(labels, 0)]], -1)
    new_c = centroids_of(x, w, new_labels, len(keep))
    # A given theme keeps its own (refined) vector.
    new_c[:first] = centroids[:first]
    return new_labels, new_c


def split_sides(
    x: np.ndarray,
    w: np.ndarray,
    labels: np.ndarray,
    centroids: np.ndarray,
    stances: list[str] | list[int],
    first: int = 0,
    split: bool = True,
    share: float = SIDE_SHARE,
) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
    """Split two-sided themes; return labels, centroids and each split theme's side.

    ``stances`` are stance names (positive / challenge count) or sides
    (+1 for, -1 against, 0 none; ``stance.side``). With ``split`` false, themes
    only say which side most of their statements take.
    """
    side = np.array(
        [SIDE_OF.get(s, 0) if isinstance(s, str) else int(s) for s in stances], dtype=np.int8
    )
    labels = labels.copy()
    k = len(centroids)
    sides: dict[int, str] = {}
    new_k = k
    for t in range(first, k):
        m = np.where(labels == t)[0]
        if len(m) == 0:
            continue
        pos = float(w[m][side[m] > 0].sum())
        neg = float(w[m][side[m] < 0].sum())
        polar = pos + neg
        if not split or min(pos, neg) < max(SIDE_MIN, share * polar):
            # Too few on one side to split: say which side the theme takes, when
            # most statements take one (``move_dissenters`` then moves the others).
            if polar >= 0.5 * float(w[m].sum()) and pos != neg:
                sides[t] = "positive" if pos > neg else "challenge"
            continue
        cp = l2_normalise(x[m][side[m] > 0].mean(0, keepdims=True))[0]
        cn = l2_normalise(x[m][side[m] < 0].mean(0, keepdims=True))[0]
        neutral = m[side[m] == 0]
        to_neg = np.concatenate([m[side[m] < 0], neutral[(x[neutral] @ cn) > (x[neutral] @ cp)]])
        # The larger side keeps the theme's place; the other becomes a new theme.
        minority, majority = (-1, 1) if neg <= pos else (1, -1)
        if minority == -1:
            labels[to_neg] = new_k
        else:
            labels[np.setdiff1d(m, to_neg)] = new_k
        sides[t] = "positive" if majority > 0 else "challenge"
        sides[new_k] = "positive" if minority > 0 else "challenge"
        new_k += 1
    if new_k == k:
        return labels, centroids, sides
    new_c = centroids_of(x, w, labels, new_k)
    new_c[:first] = centroids[:first]
    return labels, new_c, sides


def move_dissenters(
    x: np.ndarray,
    w: np.ndarray,
    labels: np.ndarray,
    centroids: np.ndarray,
    stances: list[str] | list[int],
    sides: dict[int, str],
    first: int = 0,
    margin: float = DISSENT_MARGIN,
) -> tuple[np.ndarray, np.ndarray]:
    """Statements arguing against their one-sided theme join the nearest theme of their side.

    A theme too lopsided to split ("8 for, 2 against") still should not show
    its 2 under a "for" headline: each goes to the closest theme of its own
    side, when that one is nearly as close as its own theme; else it stays.
    """
    side = np.array(
        [SIDE_OF.get(s, 0) if isinstance(s, str) else int(s) for s in stances], dtype=np.int8
    )
    tag = np.zeros(len(centroids), dtype=np.int8)
    for t, s in sides.items():
        if t >= first:
            tag[t] = SIDE_OF[s]
    own = np.where(labels >= 0, tag[np.maximum(labels, 0)], 0)
    labels = labels.copy()
    moved = False
    for v in (1, -1):
        targets = np.where(tag == v)[0]
        movers = np.where((own == -v) & (side == v))[0]
        if not len(targets) or not len(movers):
            continue
        sims = x[movers] @ centroids[targets].T
        best = sims.argmax(1)
        mine = np.einsum("ij,ij->i", x[movers], centroids[labels[movers]])
        ok = sims[np.arange(len(movers)), best] >= mine - margin
        labels[movers[ok]] = targets[best[ok]]
        moved = moved or bool(ok.any())
    if not moved:
        return labels, centroids
    new_c = centroids_of(x, w, labels, len(centroids))
    new_c[:first] = centroids[:first]
    return labels, new_c


SUBJECT_SAMPLE = 5_000  # statements read to find the run's subject word
_SUBJECT_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


def on_main_subject(texts: list[str], stop: frozenset[str]) -> np.ndarray:
    """Which statements name the run's subject: its most widespread content word.

    Which way the run leans is read from the proposals about that subject
    ("school uniforms should be abandoned"), not from those about something
    else ("students should be free to dress as they like"), which point the
    other way while arguing the same.
    """
    n = len(texts)
    if n == 0:
        return np.zeros(0, dtype=bool)
    step = max(1, n // SUBJECT_SAMPLE)
    df: dict[str, int] = {}
    for t in texts[::step]:
        # Singular and plural count as one word: "uniform" and "uniforms".
        words = {w for w in _SUBJECT_WORD.findall(t[:600].casefold()) if w not in stop}
        for stem in {w[:-1] if w.endswith("s") and len(w) > 4 else w for w in words}:
            df[stem] = df.get(stem, 0) + 1
    if not df:
        return np.ones(n, dtype=bool)
    # The most widespread word; ties go to the first in alphabetical order, so
    # the same statements always give the same subject.
    stem = min(df, key=lambda v: (-df[v], v))
    found = re.compile(rf"\b{re.escape(stem)}", re.UNICODE)
    return np.array([found.search(t[:600].casefold()) is not None for t in texts], dtype=bool)


def _enough_proposals(proposals: np.ndarray, w: np.ndarray) -> bool:
    made = float(w[proposals != 0].sum())
    return made >= max(PROPOSALS_MIN, PROPOSALS_SHARE * float(w.sum()))


def one_sided(proposals: list[int] | np.ndarray, w: np.ndarray) -> bool:
    """Whether the run's explicit proposals nearly all point one way (see ONE_SIDED)."""
    p = np.asarray(proposals)
    if not len(p) or not _enough_proposals(p, w):
        return False
    pos, neg = float(w[p > 0].sum()), float(w[p < 0].sum())
    return min(pos, neg) < ONE_SIDED * (pos + neg)


def fill_sides(
    x: np.ndarray, w: np.ndarray, sides: list[int] | np.ndarray, proposals: list[int] | np.ndarray
) -> np.ndarray:
    """Sides completed by two prototypes, the weighted means of each side's proposals.

    Within one run, what people argue for and against differs in its words
    ("jobs", "skills" beside "we should fund it"; "taxpayers", "afford" beside
    "we should not"): a statement without a cue of its own takes the side whose
    proposals it reads like, when clearly so; a cue-word side (weaker than a
    proposal: it follows the statement's own subject) yields when the
    prototypes clearly say otherwise. Proposals themselves are kept.
    """
    s = np.asarray(sides, dtype=np.int64).copy()
    p = np.asarray(proposals, dtype=np.int64)
    if not _enough_proposals(p, w) or min((p > 0).sum(), (p < 0).sum()) < SIDE_MIN:
        return s
    wp, wn = w[p > 0], w[p < 0]
    cp = (x[p > 0] * wp[:, None]).sum(0) / wp.sum()
    cn = (x[p < 0] * wn[:, None]).sum(0) / wn.sum()
    d = (cp - cn).astype(x.dtype)
    # x @ d first: no (n, dims) temporary on 100,000 statements.
    score = x @ d - float((cp + cn) @ d) / 2
    spread = float(score.std())
    if spread <= 0:
        return s
    z = score / spread
    lean = np.sign(z).astype(np.int64)
    fill = (s == 0) & (np.abs(z) > FILL_Z)
    override = (p == 0) & (s != 0) & (np.abs(z) > OVERRIDE_Z) & (lean != s)
    s[fill | override] = lean[fill | override]
    return s


def refine_sides(
    x: np.ndarray,
    w: np.ndarray,
    labels: np.ndarray,
    centroids: np.ndarray,
    sides: list[int],
    proposals: list[int],
    first: int = 0,
    on_subject: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
    """Split two-sided themes and move dissenters, unless the run argues one side.

    ``on_subject`` (``on_main_subject``): the run also argues one side when
    the proposals naming its subject nearly all point one way.
    """
    p = np.asarray(proposals)
    if one_sided(p, w) or (on_subject is not None and one_sided(np.where(on_subject, p, 0), w)):
        return split_sides(x, w, labels, centroids, sides, first=first, split=False)
    filled = fill_sides(x, w, sides, proposals)
    argued = _enough_proposals(np.asarray(proposals), w)
    share = SIDE_SHARE if argued else SIDE_SHARE_PLAIN
    labels, centroids, tags = split_sides(x, w, labels, centroids, filled, first=first, share=share)
    margin = DISSENT_MARGIN_ARGUED if argued else DISSENT_MARGIN
    labels, centroids = move_dissenters(
        x, w, labels, centroids, filled, tags, first=first, margin=margin
    )
    return labels, centroids, tags
