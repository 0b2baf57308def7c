"""Chunked work over every core for large inputs; small inputs stay in-process.

Pure-Python stages (character n-gram analysis, stance rules) run one core at a
time; past ``PARALLEL_MIN`` items the cost of starting worker processes is
repaid. Chunks come back in input order, so results equal a single call.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

PARALLEL_MIN = 50_000
MAX_JOBS = 16

T = TypeVar("T")


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def map_chunks(  # noqa: UP047 - cairn.synthesis still runs on Python 3.11
    fn: Callable[[Sequence[Any]], T], items: Sequence[Any]
) -> list[T] | None:
    """``[fn(chunk) for chunk in chunks]`` over worker processes, or None when not worth it."""
    jobs = min(cores(), MAX_JOBS)
    if len(items) < PARALLEL_MIN or jobs < 2:
        return None
    from joblib import Parallel, delayed

    step = -(-len(items) // (jobs * 4))
    return Parallel(n_jobs=jobs, backend="loky")(
        delayed(fn)(items[s : s + step]) for s in range(0, len(items), step)
    )
