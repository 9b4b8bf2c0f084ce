"""Adjudication: several annotators' records of an article turned into the candidate gold.

A record is accepted when every annotator of the article made it (the same record: same offsets,
labels, kinds and links, compared by ``record_keys``, each layer's ``Layer.keys``), or, with three or more annotators, when a
majority did. Everything else is a conflict: the records of one layer that overlap in the text are
listed together, each version with the annotators who made it (an annotator with no record there
is listed as ``absent``). Adjudication never deletes or changes an annotator's records.

The accepted records become gold the way all gold does, through Label Studio: ``push_reviews``
creates, for an article without conflicts, its ground-truth annotation from the accepted records,
and for an article with conflicts, a review (predictions: the accepted records and each
annotator's version) that a reviewer resolves and submits as ground truth. ``pull`` and
``convert`` then turn it into ``origin: gold`` records; ``convert`` records which annotators
supported each gold record (``supported_by``).

>>> result = adjudicate(Layout.find())
>>> result.conflicts[0]["layer"]
'quotes'
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .. import layers
from ..core.layout import Layout
from ..core.matching import overlaps
from .measures import human_sets


def _extent(layer: str, record: dict) -> list[dict]:
    """Every span of a record: where in the text it can conflict with another."""
    return [span for _, span in layers.get(layer).spans(record)]


def record_keys(records: dict[str, list[dict]]) -> dict[str, list[tuple]]:
    """The comparison key of every record of one annotation set, layer by layer (``Layer.keys``)."""
    return {layer.name: layer.keys(records[layer.name], records) for layer in layers.registered()}


@dataclass
class Adjudication:
    articles: int = 0
    accepted: dict[str, dict[str, list[dict]]] = field(default_factory=dict)   # article -> layer -> records
    supporters: dict[str, dict[str, list[list[str]]]] = field(default_factory=dict)
    conflicts: list[dict] = field(default_factory=list)

    def summary(self) -> str:
        accepted = sum(len(r) for layers in self.accepted.values() for r in layers.values())
        return (f"{self.articles} article(s) with two or more annotators: {accepted} record(s) accepted, "
                f"{len(self.conflicts)} conflict(s)")


def adjudicate(layout: Layout) -> Adjudication:
    """Accepted records and conflicts of every article annotated by two or more annotators."""
    result = Adjudication()
    for article in human_sets(layout):
        if len(article.sets) < 2:
            continue
        result.articles += 1
        names = sorted(article.sets)
        keys = {name: record_keys(records) for name, records in article.sets.items()}
        needed = len(names) if len(names) == 2 else len(names) // 2 + 1
        accepted, supporters = layers.empty(), layers.empty()
        for layer in layers.names():
            by_key: dict[tuple, list[tuple[str, dict]]] = {}
            for name in names:
                for key, record in zip(keys[name][layer], article.sets[name][layer]):
                    by_key.setdefault(key, []).append((name, record))
            losing = []
            for key, makers in by_key.items():
                if len({n for n, _ in makers}) >= needed:
                    accepted[layer].append(makers[0][1])
                    supporters[layer].append(sorted({n for n, _ in makers}))
                else:
                    losing.append((key, makers))
            if len(names) >= 3:  # a version outvoted where the majority agreed is settled, not a conflict
                won = [span for record in accepted[layer] for span in _extent(layer, record)]
                losing = [(key, makers) for key, makers in losing
                          if not any(overlaps(a, b) for a in _extent(layer, makers[0][1]) for b in won)]
            result.conflicts.extend(_conflicts(article.article_id, layer, losing, names))
        result.accepted[article.article_id] = accepted
        result.supporters[article.article_id] = supporters
    return result


def _conflicts(article_id: str, layer: str, losing: list, names: list[str]) -> list[dict]:
    """Group the versions that were not accepted by overlap in the text: one conflict per group."""
    groups: list[list] = []
    for key, makers in sorted(losing, key=lambda item: min(s["start"] for s in _extent(layer, item[1][0][1]))):
        spans = _extent(layer, makers[0][1])
        for group in groups:
            if any(overlaps(a, b) for _, m in group for a in _extent(layer, m[0][1]) for b in spans):
                group.append((key, makers))
                break
        else:
            groups.append([(key, makers)])
    out = []
    for group in groups:
        versions = [{"annotators": sorted({n for n, _ in makers}), "record": layers.get(layer).summary(makers[0][1]),
                     "_record": makers[0][1]} for _, makers in group]
        present = {n for v in versions for n in v["annotators"]}
        absent = [n for n in names if n not in present]
        if absent:
            versions.append({"annotators": absent, "record": "absent"})
        out.append({"article_id": article_id, "layer": layer, "versions": versions})
    return out


def format_conflicts(result: Adjudication) -> str:
    lines = [result.summary()]
    for conflict in result.conflicts:
        lines.append(f"\n{conflict['article_id']} {conflict['layer']}:")
        for version in conflict["versions"]:
            record = version["record"] if version["record"] == "absent" else json.dumps(version["record"], ensure_ascii=False)
            lines.append(f"  {', '.join(version['annotators'])}: {record}")
    return "\n".join(lines)


def public(conflict: dict) -> dict:
    """A conflict as it is shown and logged: each version's summary, without the full record."""
    return {**conflict, "versions": [{k: v for k, v in version.items() if not k.startswith("_")}
                                     for version in conflict["versions"]]}


def format_json(result: Adjudication) -> str:
    return json.dumps({"articles": result.articles, "accepted": result.accepted,
                       "conflicts": [public(c) for c in result.conflicts]}, ensure_ascii=False, indent=2)
