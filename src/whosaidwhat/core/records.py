"""Readers for the corpus and the standoff records, shared by every stage that consumes them."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from .. import layers
from .io import read_json
from .layout import Layout
from .locks import exclusive


def recover_records(layout: Layout) -> None:
    """Undo what an interrupted convert left (``convert.swap``): killed between its two renames, it
    left ``records/`` moved aside as ``.records.old-<pid>``, which is put back (the state before that
    convert: it can be run again from the raw exports, which are never changed); a new folder it was
    writing is dropped. Run under the convert lock."""
    for stale in layout.annotations.glob(".records.new-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for old in sorted(layout.annotations.glob(".records.old-*")):
        if layout.records.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(old, layout.records)


def records_folder(layout: Layout) -> Path:
    """``annotations/records/``, after putting back the folder a convert killed between its two
    renames had moved aside, so that no command ever reads a corpus without its records as if it had
    none (while a convert runs, refused in one line)."""
    if any(layout.annotations.glob(".records.old-*")):
        with exclusive(layout.annotations, "convert"):
            recover_records(layout)
    return layout.records


def iter_articles(layout: Layout) -> Iterator[dict]:
    """Every article of the corpus, in article-id order, one at a time."""
    for path in sorted(layout.corpus.glob("*.json")):
        yield read_json(path)


def iter_record_files(layout: Layout) -> Iterator[dict]:
    """Every article's records file (``{article_id, entities, quotes, claims}``), in id order."""
    for path in sorted(records_folder(layout).glob("*.json")):
        yield read_json(path)


def set_of(record_id: str) -> str | None:
    """The record set a record id belongs to: its middle part (``article:set:region``), the
    annotation or prediction that made it, with its source's prefix; None for another shape."""
    parts = record_id.split(":")
    return parts[1] if len(parts) == 3 else None


def select(records: dict, *, origin: str | None = None, annotator: str | None = None) -> dict:
    """The records of one origin and/or annotator from an article's records file."""
    def keep(record: dict) -> bool:
        return (origin is None or record["origin"] == origin) and (annotator is None or record["annotator"] == annotator)
    return {"article_id": records["article_id"], **{layer: [r for r in records[layer] if keep(r)] for layer in layers.names()}}
