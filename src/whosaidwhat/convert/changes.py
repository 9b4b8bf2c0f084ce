"""What a convert changes, per article and record set, and the removals it may not make alone.

A record set is what one annotation (or prediction) of one source gave: the records of every layer
that share the middle part of their ids (``a12``, ``ls-1a2b3c4d.a12``), with its annotator and
origin. Convert compares each article's records before and after, set by set: added, changed,
removed. A removal happens only when the set's own source shows it deleted (``labelstudio.sources``)
and is written only when asked for (``--allow-removal``): nothing disappears without a word.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import orjson

from .. import layers
from ..labelstudio.sources import prefix_of

ADDED, CHANGED, REMOVED = "added", "changed", "removed"


def set_key(record: dict, id_field: str) -> str:
    """The record set a record belongs to: the middle part of its id."""
    return record[id_field].split(":")[1]


def record_sets(records: dict | None) -> dict[str, dict]:
    """key -> {"annotator", "origin", layer -> [records]} of one records file's content."""
    sets: dict[str, dict] = {}
    if not records:
        return sets
    for layer in layers.registered():
        for record in records.get(layer.name) or []:
            entry = sets.setdefault(set_key(record, layer.id_field), {
                "annotator": record["annotator"], "origin": record["origin"], **{n: [] for n in layers.names()}})
            entry[layer.name].append(record)
    return sets


def without_sources(records: dict, prefixes: set[str]) -> dict[str, list[dict]]:
    """Every layer's records of ``records`` but those of sources with these prefixes."""
    return {layer.name: [r for r in records.get(layer.name) or [] if prefix_of(set_key(r, layer.id_field)) not in prefixes]
            for layer in layers.registered()}


@dataclass(frozen=True, slots=True)
class Change:
    article_id: str
    kind: str  # added, changed, removed
    key: str  # the record set: its annotation or prediction, with its source's prefix
    annotator: str
    origin: str
    counts: tuple[tuple[str, int], ...]  # (layer, records) after the change (before it, for a removal)

    def __str__(self) -> str:
        counts = ", ".join(f"{n} {layer}" for layer, n in self.counts)
        return f"{self.article_id}: {self.kind} {self.origin} records of {self.annotator} ({self.key}): {counts}"


def article_changes(article_id: str, old: Path, new: Path) -> list[Change]:
    """The changes between an article's records file before (``old``, may be missing) and after."""
    before = record_sets(orjson.loads(old.read_bytes())) if old.exists() else {}
    after = record_sets(orjson.loads(new.read_bytes()))
    names = layers.names()
    changes = []
    for key in sorted(before.keys() | after.keys()):
        was, now = before.get(key), after.get(key)
        if was == now:
            continue
        kind = ADDED if was is None else REMOVED if now is None else CHANGED
        entry = now or was
        changes.append(Change(article_id, kind, key, entry["annotator"], entry["origin"],
                              tuple((n, len(entry[n])) for n in names)))
    return changes
