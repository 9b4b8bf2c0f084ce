"""The files known to be valid: a content-addressed cache of the checks, so that ``convert``,
``validate`` and ``build`` do not check the same unchanged file three times (as ruff and mypy
cache their results).

An entry is the digest of the file's name and bytes, for a records file also its corpus article's
bytes, and of the checking code itself (every module of this package and every committed schema):
change any of them and the file is checked again. Only files that passed every check of their own
are entered, so a cache can only skip work, never hide a problem; a file that fails is checked
(and worded) every time. An article's entry keeps its text digest, so the checks that compare
articles (no two with the same text) still run over every article, cached or not.
The cache lives in ``<root>/.whosaidwhat_cache/`` (SQLite; it ignores itself in git; delete it at
any time), and ``--no-cache`` on the commands bypasses it. Each process looks keys up in it as it
goes (``entries``) rather than loading it whole, and what passed is kept 16 bytes a key until it is
entered (``Passed``), so neither a command nor its workers hold a copy of the cache.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import sqlite3
from array import array
from collections.abc import Iterator
from contextlib import closing, suppress
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .. import layers
from ..core.layout import Layout, schema_dir

FOLDER = ".whosaidwhat_cache"
NAME = "verified.sqlite3"


@layers.cached  # the layers and the taxonomy decide validity too: a change to them is a change of code
def code_digest() -> bytes:
    """A digest of what decides validity: the package's source, the modules of layers registered
    from outside it, and the committed schemas."""
    from importlib.metadata import version
    digest = hashlib.sha256(version("jsonschema-rs").encode())
    package = Path(__file__).resolve().parents[1]
    outside = {Path(inspect.getsourcefile(type(layer))).resolve() for layer in layers.registered()} - set(package.rglob("*.py"))
    for path in sorted(package.rglob("*.py")) + sorted(outside) + sorted(schema_dir().glob("*.json")):
        digest.update(path.relative_to(package).as_posix().encode() if path.is_relative_to(package) else path.name.encode())
        digest.update(path.read_bytes())
    return digest.digest()


def _key(*parts: bytes) -> bytes:
    """A digest of the checking code and ``parts``, each prefixed with its length. SHA-256, cut to
    16 bytes: with the CPU's SHA instructions it hashes twice as fast as BLAKE2 here, and every
    command hashes every file it reads (gigabytes at a hundred thousand articles)."""
    digest = hashlib.sha256(code_digest())
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.digest()[:16]


def records_key(name: str, records: bytes, article: bytes) -> bytes:
    """The cache key of a records file (``name`` is its file name) checked against ``article``."""
    return _key(name.encode(), records, article)


def article_key(name: str, article: bytes) -> bytes:
    """The cache key of a corpus article file (``name`` is its file name)."""
    return _key(b"article", name.encode(), article)


def cache_path(layout: Layout) -> Path:
    return Path(_cache_file(layout))


@lru_cache(maxsize=4)
def _cache_file(layout: Layout) -> str:
    return os.path.join(layout.root, FOLDER, NAME)  # a string: looked up for every file read


class Entries:
    """The cache as one process reads it: a key looked up in SQLite when asked, not the whole
    cache loaded into a dict (forked workers that look up every key of a shared dict copy its
    pages one by one: tens of megabytes each at a hundred thousand files)."""

    def __init__(self, path: str | None):
        self._db: sqlite3.Connection | None = None
        if path is None:
            return
        try:
            self._db = sqlite3.connect(f"{Path(path).as_uri()}?mode=ro", uri=True, timeout=60)
            self._db.execute("SELECT key, records, text_sha256 FROM checked LIMIT 0").fetchall()
        except sqlite3.Error:
            self._db = None  # an unreadable cache is an empty one (not retried per file)

    def _get(self, key: bytes | None):
        if self._db is None or key is None:
            return None
        try:  # fetchall: the statement runs to its end, so no read lock outlives the lookup
            rows = self._db.execute("SELECT records, text_sha256 FROM checked WHERE key = ?", (key,)).fetchall()
        except sqlite3.Error:
            self._db = None
            return None
        return rows[0] if rows else None

    def records(self, key: bytes | None) -> int | None:
        """The number of records of a records file known to be valid, or None."""
        row = self._get(key)
        return row[0] if row is not None and row[1] is None else None

    def article(self, key: bytes | None) -> bytes | None:
        """The text sha256 (32 bytes) of an article file known to be valid, or None."""
        row = self._get(key)
        return row[1] if row is not None else None


NO_ENTRIES = Entries(None)  # what --no-cache reads: nothing


def entries(layout: Layout) -> Entries:
    """The cache of this process, opened once per process and cache file (a file replaced by a
    new cache is opened again); an absent or broken cache has no entries."""
    code_digest()  # computed once here, not in every worker
    path = _cache_file(layout)
    try:
        stat = os.stat(path)
    except OSError:
        return NO_ENTRIES  # no cache yet: everything is checked
    return _open(path, os.getpid(), (stat.st_ino, stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=4)
def _open(path: str, pid: int, version: tuple[int, int, int]) -> Entries:
    return Entries(path)


@dataclass
class Passed:
    """Keys of files that passed every check of their own, kept compactly (16 bytes a key)."""

    record_keys: bytearray = field(default_factory=bytearray)
    record_counts: array = field(default_factory=lambda: array("q"))
    article_keys: bytearray = field(default_factory=bytearray)
    article_digests: bytearray = field(default_factory=bytearray)

    def add_records(self, key: bytes, records: int) -> None:
        self.record_keys += key
        self.record_counts.append(records)

    def add_article(self, key: bytes, text_sha256: bytes) -> None:
        self.article_keys += key
        self.article_digests += text_sha256

    def update(self, other: "Passed") -> None:
        self.record_keys += other.record_keys
        self.record_counts.extend(other.record_counts)
        self.article_keys += other.article_keys
        self.article_digests += other.article_digests

    def rows(self) -> Iterator[tuple[bytes, int, bytes | None]]:
        for i, records in enumerate(self.record_counts):
            yield bytes(self.record_keys[16 * i:16 * i + 16]), records, None
        for i in range(len(self.article_keys) // 16):
            yield bytes(self.article_keys[16 * i:16 * i + 16]), 1, bytes(self.article_digests[32 * i:32 * i + 32])


def remember(layout: Layout, passed: Passed, *, only: bool = False) -> None:
    """Enter the files that ``passed``; ``only``: and forget every other entry (after a check of
    the whole repository, so the cache does not outgrow it). A cache that cannot be written is
    left alone (it only costs time); a file that is not a database at all is removed, so the next
    run starts a new one. Nothing is written when nothing changes."""
    if not only and not len(passed.record_keys) and not len(passed.article_keys):
        return
    path = cache_path(layout)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore = path.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# whosaidwhat's cache of checked files, never committed\n*\n", encoding="utf-8")
        with closing(sqlite3.connect(path, timeout=60)) as db, db:
            db.execute("DROP TABLE IF EXISTS verified")  # the table of earlier versions, records files only
            db.execute("CREATE TABLE IF NOT EXISTS checked (key BLOB PRIMARY KEY, records INTEGER NOT NULL, "
                       "text_sha256 BLOB) WITHOUT ROWID")
            db.executemany("INSERT OR IGNORE INTO checked VALUES (?, ?, ?)", passed.rows())
            if only:
                db.execute("CREATE TEMP TABLE keep (key BLOB PRIMARY KEY) WITHOUT ROWID")
                db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((key,) for key, _, _ in passed.rows()))
                db.execute("DELETE FROM checked WHERE key NOT IN (SELECT key FROM keep)")
    except sqlite3.DatabaseError as e:
        if not isinstance(e, sqlite3.OperationalError):  # not a database (locked, read-only, full: left alone)
            with suppress(OSError):
                path.unlink(missing_ok=True)
    except OSError:
        pass
