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


def _shingle_hashes(words: list[str]) -> np.ndarray:
    grams = {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}
    return np.fromiter((zlib.crc32(g.encode()) for g in grams), dtype=np.uint64, count=len(grams))


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
    rng = np.random.default_rng(12345)
    prime = np.uint64((1 << 61) - 1)
    a = rng.integers(1, 1 << 31, size=_N_HASHES, dtype=np.uint64)
    b = rng.integers(0, 1 << 31, size=_N_HASHES, dtype=np.uint64)
    rows = _N_HASHES // _BANDS
    buckets: dict[tuple[int, bytes], int] = {}
    shingles: dict[int, set[int]] = {}
    for i, key in enumerate(keys):
        if rep[i] != i:
            continue
        words = key.split()
        if len(words) < _MIN_WORDS_FOR_NEAR:
            continue
        h = _shingle_hashes(words)
        sig = ((h[:, None] * a[None, :] + b[None, :]) % prime).min(axis=0)
        match = -1
        for band in range(_BANDS):
            bkey = (band, sig[band * rows : (band + 1) * rows].tobytes())
            j = buckets.get(bkey)
            if j is None:
                buckets[bkey] = i
            elif match < 0:
                match = j
        if match >= 0:
            sa = shingles.setdefault(i, set(h.tolist()))
            sb = shingles.get(match, set())
            if sb and len(sa & sb) / max(1, len(sa | sb)) >= _JACCARD:
                rep[i] = rep[match]
                continue
        shingles[i] = set(h.tolist())
    # Statements that pointed at a representative which itself moved are re-pointed.
    rep[:] = rep[rep]
