"""Progress on long work: a bar with counts and time left on a terminal, a few plain lines elsewhere.

tqdm comes with ``datasets``; on a terminal it draws the bar on stderr. Logs and CI get one line per
tenth of the work instead of a bar redrawn in place, which a log file would keep every frame of.
Nothing is shown for work shorter than two seconds.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
DELAY = 2.0  # seconds of work before the first report


def progress(items: Iterable[T], total: int, what: str, *, stream=None, delay: float = DELAY) -> Iterator[T]:
    """``items``, reporting how many of ``total`` are done to ``stream`` (default stderr), once the
    work has taken ``delay`` seconds: a short run stays silent, a long one never looks stuck."""
    stream = stream or sys.stderr
    if total <= 1:
        yield from items
        return
    if stream.isatty():
        from tqdm import tqdm

        yield from tqdm(items, total=total, desc=what, unit="", file=stream, leave=False, delay=delay)
        return
    started, done, tenth = time.monotonic(), 0, 1
    for item in items:
        yield item
        done += 1
        if done * 10 < tenth * total and done != total:
            continue
        while tenth * total <= done * 10:  # the next tenth still to report
            tenth += 1
        elapsed = time.monotonic() - started
        if elapsed >= delay:
            left = max(0.0, elapsed / done * (total - done))
            print(f"{what}: {done:,}/{total:,} ({elapsed:.0f} s, about {left:.0f} s left)", file=stream, flush=True)
