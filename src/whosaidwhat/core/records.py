"""Readers for the corpus and the standoff records, shared by every stage that consumes them."""

from __future__ import annotations

from collections.abc import Iterator

from .. import layers
from .io import read_json
from .layout import Layout


def iter_articles(layout: Layout) -> Iterator[dict]:
    """Every article of the corpus, in article-id order, one at a time."""
    for path in sorted(layout.corpus.glob("*.json")):
        yield read_json(path)


def iter_record_files(layout: Layout) -> Iterator[dict]:
    """Every article's records file (``{article_id, entities, quotes, claims}``), in id order."""
    for path in sorted(layout.records.glob("*.json")):
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
