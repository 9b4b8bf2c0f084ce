"""Reading and writing the project's JSON files: explicit UTF-8, stable formatting for reviewable
diffs, and writes that are atomic and, where asked, refuse to replace an existing file.

orjson does the parsing and formatting: at a hundred thousand records files it is several times
faster than the standard library, and its two-space indent is byte for byte ``json.dumps(indent=2,
ensure_ascii=False)`` on this project's data (floats below 1e-4 aside: ``0.00001`` for ``1e-05``,
the same number). The standard library words the errors, which orjson reports less precisely."""

from __future__ import annotations

import errno
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from .errors import AlreadyExistsError, NoSpaceError, UnusableInputError

_UMASK = os.umask(0)
os.umask(_UMASK)


MAX_JSON_BYTES = 256 * 1024 * 1024  # a corpus or records file is kilobytes; an export a few hundred MB at most


def read_json(path: Path, *, max_bytes: int | None = None) -> Any:
    """Parse one JSON file; a missing, oversized, undecodable or malformed file raises
    UnusableInputError naming the file (and the line and column of a syntax error)."""
    return loads(read_bytes(path, max_bytes=max_bytes), path)


def read_bytes(path: Path, *, max_bytes: int | None = None) -> bytes:
    """The bytes of one JSON file; a missing, unreadable or oversized file raises UnusableInputError.
    The size limit keeps memory bounded: a larger file is refused before it is read."""
    max_bytes = max_bytes or MAX_JSON_BYTES
    try:
        with open(path, "rb") as f:  # one open and fstat: a hundred thousand files are read per command
            size = os.fstat(f.fileno()).st_size
            if size > max_bytes:
                raise UnusableInputError(path, f"is {size:,} bytes, over the limit of {max_bytes:,} for one JSON file")
            return f.read()
    except FileNotFoundError:
        raise UnusableInputError(path, "no such file") from None
    except OSError as e:
        raise UnusableInputError(path, f"cannot be read ({e.strerror})") from None


def loads(raw: bytes, path: Path) -> Any:
    """Parse the bytes of ``path``; a problem raises UnusableInputError worded by the standard library."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise UnusableInputError(path, f"not UTF-8 text ({e.reason} at byte {e.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise UnusableInputError(path, f"broken JSON at column {e.colno}: {e.msg}", e.lineno) from None


def dumps(data: Any) -> str:
    """The one JSON formatting of committed files: two-space indent, keys in the order given,
    non-ASCII kept as is, a final newline."""
    return dumpb(data).decode("utf-8")


def dumpb(data: Any) -> bytes:
    """``dumps`` as UTF-8 bytes, for writers that do not need a str."""
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"
    except TypeError:  # what orjson does not take (integers beyond 64 bits, non-str keys)
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def dumps_lines(items: list) -> bytes:
    """A JSON array with one item per line, compact: the layout of Label Studio exports here. JSON
    strings cannot hold a raw line break, so readers can cut such a file at line breaks and parse
    the pieces in parallel (``convert`` does); it is still one ordinary JSON document."""
    if not items:
        return b"[\n]\n"
    return b"[\n" + b",\n".join(map(orjson.dumps, items)) + b"\n]\n"


def disk_full(error: BaseException) -> bool:
    """An OSError of a full disk or quota (pyarrow's carry the errno only in their message)."""
    return isinstance(error, OSError) and (error.errno in (errno.ENOSPC, errno.EDQUOT)
                                           or "No space left on device" in str(error)
                                           or "Disk quota exceeded" in str(error))


@contextmanager
def writing(path: Path | str, what: str) -> Iterator[None]:
    """Turn a full disk while the block writes ``path`` into one line naming the file and what it was."""
    try:
        yield
    except OSError as error:
        if disk_full(error):
            raise NoSpaceError(path, what) from None
        raise


def write_text(path: Path, text: str | bytes, *, overwrite: bool) -> None:
    """Write ``text`` atomically (temporary file, then rename). With ``overwrite=False`` an
    existing file is never replaced, even by a concurrent writer: the final link is exclusive."""
    path = Path(path)
    with writing(path, "it"):
        _write_text(path, text, overwrite)


def _write_text(path: Path, text: str | bytes, overwrite: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; a committed file is readable by all
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8") if isinstance(text, str) else text)
            f.flush()
            os.fsync(f.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise AlreadyExistsError(f"{path}: already exists and is never overwritten") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_json(path: Path, data: Any, *, overwrite: bool) -> None:
    """Write ``data`` as formatted JSON; see ``write_text`` for the overwrite rule."""
    write_text(path, dumpb(data), overwrite=overwrite)
