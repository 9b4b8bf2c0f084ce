"""The records folder is replaced whole, never edited in place: convert builds a complete new
``records/`` beside the old one (hard links to the files that do not change) and swaps the two, so
an interrupted or failed convert leaves the previous state or the complete new one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..core.io import writing
from ..core.layout import Layout
from ..core.records import recover_records  # noqa: F401  (convert's own recovery, shared with every reader)


def write_new(path: Path, blob: bytes) -> None:
    """Write ``blob`` as a new file at ``path``, put in place by a rename. The fresh folder starts
    as hard links to the current records files: writing into one would change the committed file as
    well, even when the conversion then fails. Two workers writing one article (two tasks of it)
    each rename a whole file of their own."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with writing(path, "a records file (convert writes a new records folder and swaps it in only when complete)"):
        with open(tmp, "wb") as f:
            f.write(blob)
        os.replace(tmp, path)


def fresh_records(layout: Layout) -> Path:
    """A new records folder holding a copy of the current files, to be completed and swapped in."""
    fresh = layout.annotations / f".records.new-{os.getpid()}"
    shutil.rmtree(fresh, ignore_errors=True)
    if layout.records.exists():  # linked, not copied: files are replaced, never written in place
        shutil.copytree(layout.records, fresh, copy_function=_link_or_copy)
    fresh.mkdir(parents=True, exist_ok=True)
    return fresh


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copy2(source, target)


def swap_records(layout: Layout, fresh: Path) -> None:
    """Put ``fresh`` in the place of ``records/``. Killed between the two renames, the old folder
    waits beside it and ``core.records.recover_records`` (run by convert and by every command that
    reads the records) puts it back."""
    old = layout.annotations / f".records.old-{os.getpid()}"
    if layout.records.exists():
        os.rename(layout.records, old)
    os.rename(fresh, layout.records)
    shutil.rmtree(old, ignore_errors=True)
