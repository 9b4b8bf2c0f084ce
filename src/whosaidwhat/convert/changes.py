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
from ..core.records import set_of
from ..labelstudio.sources import prefix_of

ADDED, CHANGED, REMOVED = "added", "changed", "removed"


class NotRecords(ValueError):
    """A records file whose record sets cannot be told apart (edited by hand, or broken)."""


def set_key(record, id_field: str) -> str:
    """The record set a record belongs to: the middle part of its id (``article:key:region``)."""
    rid = record.get(id_field) if isinstance(record, dict) else None
    key = set_of(rid) if isinstance(rid, str) else None
    if key is None or not isinstance(record.get("annotator"), str) or not isinstance(record.get("origin"), str):
        raise NotRecords(f"a record has no {id_field} of the form article:set:region, annotator and origin ({rid!r})")
    return key


def _layer_lists(records) -> dict[str, list]:
    if not isinstance(records, dict) or not all(isinstance(records.get(n, []), list) for n in layers.names()):
        raise NotRecords("it is not an object with a list per layer")
    return {n: records.get(n) or [] for n in layers.names()}


def record_sets(records) -> dict[str, dict]:
    """key -> {"annotator", "origin", layer -> [records]} of one records file's content."""
    sets: dict[str, dict] = {}
    lists = _layer_lists(records)
    for layer in layers.registered():
        for record in lists[layer.name]:
            entry = sets.setdefault(set_key(record, layer.id_field), {
                "annotator": record["annotator"], "origin": record["origin"], **{n: [] for n in layers.names()}})
            entry[layer.name].append(record)
    return sets


def without_sources(records, prefixes: set[str]) -> dict[str, list[dict]]:
    """Every layer's records of ``records`` but those of sources with these prefixes."""
    lists = _layer_lists(records)
    return {layer.name: [r for r in lists[layer.name] if prefix_of(set_key(r, layer.id_field)) not in prefixes]
            for layer in layers.registered()}


@dataclass(frozen=True, slots=True)
class Change:
    article_id: str
    kind: str  # added, changed, removed
    key: str  # the record set: its annotation or prediction, with its source's prefix
    annotator: str
    origin: str
    counts: tuple[tuple[str, int], ...]  # (layer, records) after the change (before it, for a removal)
    detail: str = ""  # for a change: how many records differ, and whether only in supported_by

    def __str__(self) -> str:
        counts = ", ".join(f"{n} {layer}" for layer, n in self.counts)
        return f"{self.article_id}: {self.kind} {self.origin} records of {self.annotator} ({self.key}): {counts}{self.detail}"


def _difference(was: dict, now: dict) -> str:
    """How two versions of one record set differ: the records added, removed or changed, and
    whether the changes are only in ``supported_by`` (another annotator now agrees)."""
    def by_id(entry):
        return {r[layer.id_field]: r for layer in layers.registered() for r in entry[layer.name]}
    before, after = by_id(was), by_id(now)
    changed = [i for i in before.keys() & after.keys() if before[i] != after[i]]
    added, removed = len(after.keys() - before.keys()), len(before.keys() - after.keys())
    support_only = all({k: v for k, v in before[i].items() if k != "supported_by"} ==
                       {k: v for k, v in after[i].items() if k != "supported_by"} for i in changed)
    parts = [f"{n} record(s) {what}" for n, what in ((added, "added"), (removed, "removed"), (len(changed), "changed"))
             if n]
    note = " (supported_by only)" if changed and support_only and not added and not removed else ""
    return f"; {', '.join(parts)}{note}" if parts else ""


def article_changes(article_id: str, old: Path, new: Path) -> list[Change]:
    """The changes between an article's records file before (``old``, may be missing) and after."""
    after_bytes = new.read_bytes()
    try:
        before_bytes = old.read_bytes()
    except FileNotFoundError:
        before_bytes = None
    if before_bytes == after_bytes:
        return []  # the common case of a repeated convert: nothing to parse
    try:
        before = record_sets(orjson.loads(before_bytes)) if before_bytes is not None else {}
    except (orjson.JSONDecodeError, NotRecords):
        before = {}  # a broken file replaced: everything in the new one is added
    after = record_sets(orjson.loads(after_bytes))
    names = layers.names()
    changes = []
    for key in sorted(before.keys() | after.keys()):
        was, now = before.get(key), after.get(key)
        if was == now:
            continue
        kind = ADDED if was is None else REMOVED if now is None else CHANGED
        entry = now or was
        changes.append(Change(article_id, kind, key, entry["annotator"], entry["origin"],
                              tuple((n, len(entry[n])) for n in names), _difference(was, now) if kind == CHANGED else ""))
    return changes
