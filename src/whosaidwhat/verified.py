"""The records files known to be valid: a content-addressed cache of the checks, so that ``convert``,
``validate`` and ``build`` do not check the same unchanged file three times (as ruff and mypy
cache their results).

An entry is the digest of the records file's name and bytes, its corpus article's bytes and the
checking code itself (every module of this package and every committed schema): change any of
them and the file is checked again. Only files that passed every check are entered, so a cache
can only skip work, never hide a problem; a file that fails is checked (and worded) every time.
The cache lives in ``<root>/.whosaidwhat_cache/`` (it ignores itself in git; delete it at any
time), and ``--no-cache`` on the commands bypasses it.
"""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing, suppress
from functools import lru_cache
from pathlib import Path

from .layout import Layout, schema_dir

FOLDER = ".whosaidwhat_cache"
NAME = "verified.sqlite3"


@lru_cache(maxsize=1)
def code_digest() -> bytes:
    """A digest of what decides validity: the package's source and the committed schemas."""
    from importlib.metadata import version
    digest = hashlib.blake2b(version("jsonschema-rs").encode(), digest_size=16)
    for path in sorted(Path(__file__).parent.glob("*.py")) + sorted(schema_dir().glob("*.json")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.digest()


def records_key(name: str, records: bytes, article: bytes) -> bytes:
    """The cache key of a records file (``name`` is its file name) checked against ``article``."""
    digest = hashlib.blake2b(code_digest(), digest_size=16)
    for part in (name.encode(), records, article):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.digest()


def cache_path(layout: Layout) -> Path:
    return layout.root / FOLDER / NAME


@lru_cache(maxsize=4)
def _load(path: Path, stamp: tuple[int, int]) -> dict[bytes, int]:
    try:
        with closing(sqlite3.connect(path, timeout=60)) as db:
            return dict(db.execute("SELECT key, records FROM verified"))
    except sqlite3.Error:
        return {}  # an unreadable cache is an empty one (remembered, so it is not retried per file)


def known(layout: Layout) -> dict[bytes, int]:
    """Key -> number of records of every file known to be valid. Read once per process and
    version of the cache file; called before workers are forked, they share it."""
    code_digest()  # computed once here, not in every worker
    path = cache_path(layout)
    try:
        stat = path.stat()
    except OSError:
        return {}  # no cache yet: everything is checked
    return _load(path, (stat.st_mtime_ns, stat.st_size))


def remember(layout: Layout, entries: dict[bytes, int], *, only: bool = False) -> None:
    """Enter files that passed every check; ``only``: and forget every other entry (after a
    check of the whole repository, so the cache does not outgrow it). Only the difference is
    written. A cache that cannot be written is left alone (it only costs time); a file that is not
    a database at all is removed, so the next run starts a new one."""
    current = known(layout)
    new = [(key, records) for key, records in entries.items() if key not in current]
    stale = [(key,) for key in current if key not in entries] if only else []
    if not new and not stale:
        return
    path = cache_path(layout)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore = path.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# whosaidwhat's cache of checked files, never committed\n*\n", encoding="utf-8")
        with closing(sqlite3.connect(path, timeout=60)) as db, db:
            db.execute("CREATE TABLE IF NOT EXISTS verified (key BLOB PRIMARY KEY, records INTEGER NOT NULL) WITHOUT ROWID")
            db.executemany("DELETE FROM verified WHERE key = ?", stale)
            db.executemany("INSERT OR IGNORE INTO verified VALUES (?, ?)", new)
    except sqlite3.DatabaseError as e:
        if not isinstance(e, sqlite3.OperationalError):  # not a database (locked, read-only, full: left alone)
            with suppress(OSError):
                path.unlink(missing_ok=True)
    except OSError:
        pass
    finally:
        _load.cache_clear()
