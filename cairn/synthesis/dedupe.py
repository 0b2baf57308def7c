"""Group near-duplicate statements so they are counted, not repeated.

Two passes, both linear in the number of statements:
1. a normalised key (case, punctuation, spacing and digits ignored) folds
   "Nothing.", "nothing" and "NOTHING!" together;
2. for texts of 25+ words, MinHash over word 3-shingles with banded LSH finds
   form letters that differ only in a name or an address line.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass

import numpy as np

_NON_WORD = re.compile(r"[\W\d_]+", re.UNICODE)

_MIN_WORDS_FOR_NEAR = 25
_N_HASHES = 32
_BANDS = 8  # 8 bands of 4 rows: pairs with Jaccard >= ~0.8 almost always collide
_JACCARD = 0.8


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NON_WORD.sub(" ", text).split())


@dataclass(frozen=True)
class Groups:
    """``rep[i]`` is the index of the representative of statement ``i``."""

    rep: np.ndarray
    unique: np.ndarray  # indices of representatives, in first-seen order
    counts: np.ndarray  # group size of each representative, aligned with ``unique``

    def inverse(self) -> np.ndarray:
        """Position in ``unique`` of each statement's representative."""
        pos = np.full(len(self.rep), -1, dtype=np.int64)
        pos[self.unique] = np.arange(len(self.unique))
        return pos[self.rep]


def group_duplicates(texts: list[str], near: bool = True) -> Groups:
    n = len(texts)
    rep = np.arange(n, dtype=np.int64)
    first: dict[str, int] = {}
    keys = [normalise(t) for t in texts]
    for i, key in enumerate(keys):
        j = first.setdefault(key, i)
        rep[i] = j

    if near:
        _near_duplicates(keys, rep)

    unique, counts = np.unique(rep, return_counts=True)
    return Groups(rep=rep, unique=unique, counts=counts)


def _near_duplicates(keys: list[str], rep: np.ndarray) -> None:
    """MinHash + LSH over word 3-shingles, vectorised over all long texts at once."""
    cand = [
        i for i, key in enumerate(keys) if rep[i] == i and key.count(" ") >= _MIN_WORDS_FOR_NEAR
    ]
    if len(cand) < 2:
        return
    hashes: list[int] = []
    owner: list[int] = []
    for pos, i in enumerate(cand):
        words = keys[i].split()
        grams = {zlib.crc32(" ".join(words[j : j + 3]).encode()) for j in range(len(words) - 2)}
        hashes.extend(grams)
        owner.extend([pos] * len(grams))
    h = np.asarray(hashes, dtype=np.uint64)
    own = np.asarray(owner, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, own[1:] != own[:-1]])
    rng = np.random.default_rng(12345)
    prime = np.uint64((1 << 61) - 1)
    a = rng.integers(1, 1 << 31, size=_N_HASHES, dtype=np.uint64)
    b = rng.integers(0, 1 << 31, size=_N_HASHES, dtype=np.uint64)
    sig = np.empty((len(cand), _N_HASHES), dtype=np.uint64)
    for j in range(_N_HASHES):
        sig[:, j] = np.minimum.reduceat((h * a[j] + b[j]) % prime, starts)

    rows = _N_HASHES // _BANDS
    sets: dict[int, set[int]] = {}

    def shingles(pos: int) -> set[int]:
        if pos not in sets:
            lo = starts[pos]
            hi = starts[pos + 1] if pos + 1 < len(starts) else len(h)
            sets[pos] = set(h[lo:hi].tolist())
        return sets[pos]

    parent = np.arange(len(cand))
    for band in range(_BANDS):
        block = np.ascontiguousarray(sig[:, band * rows : (band + 1) * rows])
        keyed = block.view(np.dtype((np.void, block.dtype.itemsize * rows))).ravel()
        _, first, inverse = np.unique(keyed, return_index=True, return_inverse=True)
        for pos in np.flatnonzero(first[inverse] != np.arange(len(cand))):
            leader = int(first[inverse[pos]])
            if parent[pos] != pos or parent[leader] != leader:
                continue  # already folded into a group in an earlier band
            sa, sb = shingles(int(pos)), shingles(leader)
            if len(sa & sb) / max(1, len(sa | sb)) >= _JACCARD:
                parent[pos] = leader
    cand_arr = np.asarray(cand)
    rep[cand_arr] = cand_arr[parent]
    # Exact duplicates of a statement that was folded follow it to the new representative.
    rep[:] = rep[rep]
