"""One writer at a time: an advisory lock file per resource (the releases folder, a Label Studio
export folder, the records folder), so a second concurrent build, pull or convert fails at once
with a clear message instead of interleaving its writes with the first."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import CorpusError
from .io import writing

_HELD: set[int] = set()  # descriptors of the locks this process holds


def _close_in_child() -> None:
    """A forked worker must not keep its parent's lock alive: a flock lasts while any descriptor of
    it is open, so workers orphaned by a killed build would hold ``releases/.lock`` after it died.
    Closing the child's copies leaves the parent's lock as it is."""
    for fd in _HELD:
        os.close(fd)
    _HELD.clear()


os.register_at_fork(after_in_child=_close_in_child)


@contextmanager
def exclusive(folder: Path, what: str) -> Iterator[None]:
    """Hold ``<folder>/.lock`` while the block runs; raise if another process holds it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ".lock"
    with writing(path, f"the lock file of {what}"):
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CorpusError(f"another {what} is running ({path} is locked); try again when it has finished") from None
        with writing(path, f"the lock file of {what}"):
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
        _HELD.add(fd)
        yield
    finally:
        _HELD.discard(fd)
        os.close(fd)
