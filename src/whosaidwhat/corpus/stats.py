"""Counts of the annotations, per label set, in taxonomy order (zeros included), for the terminal,
the release card and the datasheet.

>>> corpus_stats(Layout.find())["quote_kind"]
{'direct': 5, 'indirect': 12, 'mixed': 0}
"""

from __future__ import annotations

import json
from collections import Counter

from ..core.layout import Layout
from ..core.records import iter_articles, iter_record_files, select
from ..core.taxonomy import load_taxonomy

# label set -> (records layer, field)
COUNTED = {
    "entity_label": ("entities", "label"),
    "quote_kind": ("quotes", "kind"),
    "speaker_kind": ("quotes", "speaker_kind"),
    "claim_type": ("claims", "claim_type"),
    "checkworthiness": ("claims", "checkworthiness"),
}


def corpus_stats(layout: Layout, *, origin: str | None = "gold") -> dict:
    """Articles, records per layer, and counts per label of the records of ``origin`` (all origins
    when None)."""
    tax = load_taxonomy()
    counts = {key: Counter() for key in COUNTED}
    layers = Counter()
    annotated = set()
    linked = Counter()
    for records in iter_record_files(layout):
        chosen = select(records, origin=origin)
        for layer in ("entities", "quotes", "claims"):
            layers[layer] += len(chosen[layer])
            if chosen[layer]:
                annotated.add(records["article_id"])
        for key, (layer, field) in COUNTED.items():
            counts[key].update(record[field] for record in chosen[layer])
        linked["claims_in_quotes"] += sum(1 for c in chosen["claims"] if c["quote_id"])
        linked["quotes_with_speaker_entity"] += sum(1 for q in chosen["quotes"] if q["speaker_entity_id"])
        linked["entities"] += len({m["entity_id"] for m in chosen["entities"] if m["entity_id"]})
    articles = sum(1 for _ in iter_articles(layout))
    return {
        "origin": origin or "all",
        "articles": articles,
        "annotated_articles": len(annotated),
        "records": dict(layers),
        "distinct_entities": linked["entities"],
        "claims_in_quotes": linked["claims_in_quotes"],
        "quotes_with_speaker_entity": linked["quotes_with_speaker_entity"],
        **{key: {name: counts[key][name] for name in tax.names(key)} for key in COUNTED},
    }


def format_stats(stats: dict) -> str:
    """A plain-text table of ``corpus_stats``."""
    lines = [f"origin: {stats['origin']}; {stats['articles']} article(s), {stats['annotated_articles']} annotated",
             "records: " + ", ".join(f"{layer} {n}" for layer, n in stats["records"].items()),
             f"distinct entities {stats['distinct_entities']}, quotes linked to a speaker entity "
             f"{stats['quotes_with_speaker_entity']}, claims made in quotes {stats['claims_in_quotes']}"]
    for key in COUNTED:
        width = max(len(name) for name in stats[key])
        lines.append(f"\n{key}")
        lines.extend(f"  {name:<{width}}  {count:>6}" for name, count in stats[key].items())
    return "\n".join(lines)


def format_stats_json(stats: dict) -> str:
    return json.dumps(stats, indent=2)
