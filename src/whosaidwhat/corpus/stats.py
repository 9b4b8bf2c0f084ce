"""Counts of the annotations, per label set, in taxonomy order (zeros included), for the terminal,
the release card and the datasheet.

>>> corpus_stats(Layout.find())["quote_kind"]
{'direct': 5, 'indirect': 12, 'mixed': 0}
"""

from __future__ import annotations

import json
from collections import Counter

from .. import layers
from ..core.layout import Layout
from ..core.records import iter_articles, iter_record_files, select
from ..core.taxonomy import load_taxonomy


def counted() -> dict[str, tuple[str, str]]:
    """label set -> (records layer, field): what every layer counts (``Layer.counted``)."""
    return {key: (layer.name, name) for layer in layers.registered() for key, name in layer.counted}


def corpus_stats(layout: Layout, *, origin: str | None = "gold") -> dict:
    """Articles, records per layer, and counts per label of the records of ``origin`` (all origins
    when None)."""
    tax = load_taxonomy()
    what = counted()
    counts = {key: Counter() for key in what}
    records_per_layer = Counter({name: 0 for name in layers.names()})
    annotated = set()
    linked = Counter({name: 0 for layer in layers.registered() for name in layer.links([])})
    for records in iter_record_files(layout):
        chosen = select(records, origin=origin)
        for layer in layers.registered():
            records_per_layer[layer.name] += len(chosen[layer.name])
            if chosen[layer.name]:
                annotated.add(records["article_id"])
            linked.update(layer.links(chosen[layer.name]))
        for key, (layer, field) in what.items():
            counts[key].update(record[field] for record in chosen[layer])
    articles = sum(1 for _ in iter_articles(layout))
    return {
        "origin": origin or "all",
        "articles": articles,
        "annotated_articles": len(annotated),
        "records": dict(records_per_layer),
        **dict(linked),
        **{key: {name: counts[key][name] for name in tax.names(key)} for key in what},
    }


def format_stats(stats: dict) -> str:
    """A plain-text table of ``corpus_stats``."""
    lines = [f"origin: {stats['origin']}; {stats['articles']} article(s), {stats['annotated_articles']} annotated",
             "records: " + ", ".join(f"{layer} {n}" for layer, n in stats["records"].items()),
             f"distinct entities {stats['distinct_entities']}, quotes linked to a speaker entity "
             f"{stats['quotes_with_speaker_entity']}, claims made in quotes {stats['claims_in_quotes']}"]
    for key in counted():
        width = max(len(name) for name in stats[key])
        lines.append(f"\n{key}")
        lines.extend(f"  {name:<{width}}  {count:>6}" for name, count in stats[key].items())
    return "\n".join(lines)


def format_stats_json(stats: dict) -> str:
    return json.dumps(stats, indent=2)
