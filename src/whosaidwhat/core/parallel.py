"""Work spread over processes, results in input order, so output never depends on ``jobs``.

Every stage that scales (convert, validate, build) handles articles independently; the parent
process keeps what crosses articles. Workers are forked (nothing to re-import, as ``datasets``' own
``num_proc`` does; the native threads that numpy and pyarrow start at import have fork handlers);
with ``jobs`` 1, or too little work to pay for the processes, everything runs in the calling process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS_PER_JOB = 500  # below this, starting processes costs more than it saves


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def effective_jobs(jobs: int | None, items: int, per_job: int | None = None) -> int:
    """``jobs`` (None: every CPU), but never more than the work can use (``per_job`` items each,
    default MIN_ITEMS_PER_JOB)."""
    jobs = default_jobs() if jobs is None else jobs
    per_job = per_job or MIN_ITEMS_PER_JOB
    if jobs < 1:
        raise ValueError(f"jobs must be 1 or more, not {jobs}")
    return max(1, min(jobs, items // per_job))


def ordered_map(function: Callable[[T], R], items: Sequence[T], *, jobs: int | None = None,
                chunksize: int = 64, per_job: int | None = None) -> Iterator[R]:
    """``map(function, items)``, over ``jobs`` forked processes when there are at least ``per_job``
    items for each. Items go to the workers ``chunksize`` at a time, and at most two chunks per
    worker are in flight: a slow consumer holds back the workers instead of piling up results."""
    jobs = effective_jobs(jobs, len(items), per_job)
    if jobs == 1:
        yield from map(function, items)
        return
    work = iter(chunks(items, chunksize))
    gc.freeze()  # the collector would otherwise write to every inherited object, copying the parent's pages into each worker
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            in_flight: deque = deque(pool.apply_async(_map_chunk, (function, chunk)) for chunk in islice(work, 2 * jobs))
            while in_flight:
                results = in_flight.popleft().get()
                chunk = next(work, None)
                if chunk is not None:
                    in_flight.append(pool.apply_async(_map_chunk, (function, chunk)))
                yield from results
    finally:
        gc.unfreeze()


def _map_chunk(function: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [function(item) for item in chunk]


def chunks(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
