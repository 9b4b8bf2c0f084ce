"""The files known to be valid: a content-addressed cache of the checks, so that ``convert``,
``validate`` and ``build`` do not check the same unchanged file three times (as ruff and mypy
cache their results).

An entry is the digest of the file's name and bytes, for a records file also its corpus article's
bytes, and of the checking code itself (every module of this package and every committed schema):
change any of them and the file is checked again. Only files that passed every check of their own
are entered, so a cache can only skip work, never hide a problem; a file that fails is checked
(and worded) every time. An article's entry keeps its text digest, so the checks that compare
articles (no two with the same text) still run over every article, cached or not.
The cache lives in ``<root>/.whosaidwhat_cache/`` (it ignores itself in git; delete it at any
time), and ``--no-cache`` on the commands bypasses it.
"""

from __future__ import annotations

import hashlib
import os
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
    digest = hashlib.sha256(version("jsonschema-rs").encode())
    for path in sorted(Path(__file__).parent.glob("*.py")) + sorted(schema_dir().glob("*.json")):
        digest.update(path.name.encode())
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


@lru_cache(maxsize=4)
def _load(path: str, stamp: tuple[int, int]) -> tuple[dict[bytes, int], dict[bytes, bytes]]:
    records: dict[bytes, int] = {}
    articles: dict[bytes, bytes] = {}
    try:
        with closing(sqlite3.connect(path, timeout=60)) as db:
            for key, count, text_sha256 in db.execute("SELECT key, records, text_sha256 FROM checked"):
                if text_sha256 is None:
                    records[key] = count
                else:
                    articles[key] = text_sha256
    except sqlite3.Error:
        return {}, {}  # an unreadable cache is an empty one (remembered, so it is not retried per file)
    return records, articles


def _entries(layout: Layout) -> tuple[dict[bytes, int], dict[bytes, bytes]]:
    code_digest()  # computed once here, not in every worker
    path = _cache_file(layout)
    try:
        stat = os.stat(path)
    except OSError:
        return {}, {}  # no cache yet: everything is checked
    return _load(path, (stat.st_mtime_ns, stat.st_size))


def known(layout: Layout) -> dict[bytes, int]:
    """Key -> number of records of every records file known to be valid. Read once per process
    and version of the cache file; called before workers are forked, they share it."""
    return _entries(layout)[0]


def known_articles(layout: Layout) -> dict[bytes, bytes]:
    """Key -> text sha256 (32 bytes) of every corpus article file known to be valid."""
    return _entries(layout)[1]


def remember(layout: Layout, entries: dict[bytes, int], *, articles: dict[bytes, bytes] | None = None,
             only: bool = False) -> None:
    """Enter records files (key -> records) and ``articles`` (key -> text sha256) that passed
    every check of their own; ``only``: and forget every other entry (after a check of the whole
    repository, so the cache does not outgrow it). Only the difference is written. A cache that
    cannot be written is left alone (it only costs time); a file that is not a database at all is
    removed, so the next run starts a new one."""
    current_records, current_articles = _entries(layout)
    articles = articles or {}
    new = [(key, records, None) for key, records in entries.items() if key not in current_records]
    new += [(key, 1, digest) for key, digest in articles.items() if key not in current_articles]
    stale = [(key,) for current, now in ((current_records, entries), (current_articles, articles))
             for key in current if key not in now] if only else []
    if not new and not stale:
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
            db.executemany("DELETE FROM checked WHERE key = ?", stale)
            db.executemany("INSERT OR IGNORE INTO checked VALUES (?, ?, ?)", new)
    except sqlite3.DatabaseError as e:
        if not isinstance(e, sqlite3.OperationalError):  # not a database (locked, read-only, full: left alone)
            with suppress(OSError):
                path.unlink(missing_ok=True)
    except OSError:
        pass
    finally:
        _load.cache_clear()
