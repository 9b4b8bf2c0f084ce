"""Reading Label Studio exports: checked before anything is converted (missing, oversized, not a
list, not UTF-8), then read as a stream with ijson (one task in memory at a time), or, when laid
out one task per line as ``pull`` writes them, cut at line breaks into pieces that workers parse in
parallel. The pieces prove that layout as they are read (``Shape``); an export that turns out to be
laid out otherwise is read as a stream instead.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import ijson
import orjson

from ..core.errors import UnusableInputError

MAX_EXPORT_BYTES = 64 * 1024**3  # exports are streamed, so memory does not grow with this; still a clear limit


def _utf8_error(path: Path) -> str | None:
    """Where a file stops being UTF-8, if it does (checked only after a parse error, to name it)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as e:
                return f"not UTF-8 text ({e.reason} at byte {offset + e.start})"
            offset += len(chunk)
    return None


def check_export(path: Path) -> None:
    """Refuse, before anything is converted, an export that is missing, too large or not a list."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UnusableInputError(path, "no such file") from None
    if size > MAX_EXPORT_BYTES:
        raise UnusableInputError(path, f"is {size:,} bytes, over the limit of {MAX_EXPORT_BYTES:,} for one export")
    with open(path, "rb") as f:
        if not f.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
            raise UnusableInputError(path, _utf8_error(path) or "not a Label Studio JSON export (a list of tasks)")


def iter_tasks(path: Path) -> Iterator[tuple[int, dict]]:
    """(position, task) of each task of a Label Studio JSON export, parsed as a stream (ijson's C
    backend): memory holds one task at a time, whatever the size or layout of the export."""
    check_export(path)
    with open(path, "rb") as f:
        try:
            yield from enumerate(ijson.items(f, "item", use_float=True))
        except (ijson.JSONError, UnicodeDecodeError) as e:
            raise UnusableInputError(path, _utf8_error(path) or f"broken JSON: {str(e).splitlines()[0]}") from None


CHUNK_BYTES = 8 * 1024 * 1024  # one piece of an export for one worker (small enough that the workers finish together)


class NotOneTaskPerLine(Exception):
    """The export is not laid out one task per line after all: read it as a general JSON stream."""


@dataclass
class Shape:
    """What one byte range of an export shows of the layout, for the parent to check that the
    ranges together are one JSON array laid out one task per line."""

    first_line: bool = False  # the range starts with the opening "["
    closed: bool = False  # the range ends with the closing "]"
    task_lines: int = 0
    last_has_comma: bool = False
    broken: bool = False  # a line of the range is not a task: the layout is not one task per line


def one_task_per_line(path: Path) -> bool:
    """Whether an export is laid out as ``pull`` writes it: "[" alone on the first line, then one
    task per line. JSON strings cannot hold a raw line break, so such a file can be cut at any line
    break and its pieces parsed in parallel; the pieces prove the layout as they are read."""
    with open(path, "rb") as f:
        first, second = f.readline(64).strip(b"\xef\xbb\xbf \t\r\n"), f.readline().strip()
    return first == b"[" and second.startswith(b"{") and second.endswith((b"}", b"},"))


def task_lines(path: Path, lo: int, hi: int, shape: Shape) -> Iterator[tuple[int, dict]]:
    """(byte offset, task) of the lines that start in [lo, hi)."""
    with open(path, "rb") as f:
        f.seek(lo)
        offset = lo
        for line in f:
            if offset >= hi:
                break
            here, offset = offset, offset + len(line)
            body = line.strip(b"\xef\xbb\xbf \t\r\n") if here == 0 else line.strip()
            if here == 0 and body == b"[":
                shape.first_line = True
                continue
            if body == b"]" and not shape.closed:
                shape.closed = True
                continue
            if shape.closed or (here == 0 and body != b"["):
                if body:
                    raise NotOneTaskPerLine
                continue
            if shape.task_lines and not shape.last_has_comma:
                raise NotOneTaskPerLine
            shape.last_has_comma = body.endswith(b",")
            try:
                task = orjson.loads(body[:-1] if shape.last_has_comma else body)
            except orjson.JSONDecodeError:
                raise NotOneTaskPerLine from None
            shape.task_lines += 1
            yield here, task


def piece_ranges(path: Path) -> list[tuple[int, int]]:
    """Byte ranges of about CHUNK_BYTES, each starting at a line."""
    size = path.stat().st_size
    bounds = [0]
    with open(path, "rb") as f:
        while bounds[-1] + CHUNK_BYTES < size:
            f.seek(bounds[-1] + CHUNK_BYTES)
            f.readline()
            if f.tell() >= size:
                break
            bounds.append(f.tell())
    bounds.append(size)
    return list(zip(bounds, bounds[1:]))


def pieces_are_one_array(pieces: list[Shape]) -> bool:
    """The pieces together are "[", task lines with a comma after all but the last, "]"."""
    lines = [p for p in pieces if p.task_lines]
    return (not any(p.broken for p in pieces) and pieces[0].first_line and pieces[-1].closed and all(not p.closed for p in pieces[:-1])
            and all(p.last_has_comma for p in lines[:-1]) and (not lines or not lines[-1].last_has_comma))
