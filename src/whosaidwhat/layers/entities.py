"""The entity layer: named-entity mentions with OntoNotes 5 types, grouped per entity within an
article by the key an annotator types (a Wikidata id such as ``Q36433`` also fills
``wikidata_qid``)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from functools import lru_cache

from ..core.matching import greedy_match, span_key, span_score
from ..core.problems import Problem
from ..core.statistics import fmt, prf
from . import register
from .base import Layer, Tally, TextArea

_QID, _NOT_SLUG = re.compile(r"Q[1-9][0-9]*"), re.compile(r"[^a-z0-9._-]+")
ENTITY_KEY = "entity_key"
# A readable colour per label, for drawing mentions on the text (notebooks, the card's viewers).
COLOURS = {"PERSON": "#1f77b4", "NORP": "#9467bd", "FAC": "#8c564b", "ORG": "#d62728", "GPE": "#2ca02c",
           "LOC": "#17becf", "PRODUCT": "#bcbd22", "EVENT": "#ff7f0e", "WORK_OF_ART": "#e377c2", "LAW": "#7f7f7f",
           "LANGUAGE": "#aec7e8"}


@lru_cache(maxsize=1 << 16)
def slug(value: str) -> str:
    """An entity key (or a model version) as an id part. Remembered: the same names recur in every
    article."""
    if _QID.fullmatch(value):
        return value
    return _NOT_SLUG.sub("-", value.lower()).strip("-.") or "x"


class Entities(Layer):
    name, id_field, control, schema_name = "entities", "mention_id", "entity", "entity"
    title = "Entity mention"
    description = "A mention of a named entity (OntoNotes 5 types)."
    config_description = "one row per gold entity mention"
    label_set = "entity_label"
    text_areas = (TextArea(ENTITY_KEY, "entity key",
                           "the same key for every mention of one entity (a Wikidata id such as Q1234, or a short name)"),)
    counted = (("entity_label", "label"),)

    def schema_properties(self, tax, kit) -> dict:
        return {**kit.offsets, "label": kit.enum("entity_label"),
                "entity_id": kit.nullable({**kit.record_id, "description": "Groups mentions of one entity within an article."}),
                "wikidata_qid": kit.nullable({"type": "string", "pattern": "^Q[1-9][0-9]*$"})}

    def example(self, kit) -> dict:
        return {"mention_id": f"{kit.example_id}:a1:e1", **kit.span_of("Ana Ruiz"), "label": "PERSON",
                "entity_id": f"{kit.example_id}:ana-ruiz", "wikidata_qid": None}

    def features(self, tax, kit) -> dict:
        return {"mention_id": kit.string, **kit.span(), "label": kit.label("entity_label"),
                "entity_id": kit.string, "wikidata_qid": kit.string}

    def to_records(self, annotation) -> list[dict]:
        text, article_id = annotation.text, annotation.article_id
        out = []
        for r in sorted(annotation.of(self.control), key=lambda r: (r.start, r.end)):
            key = slug(r.texts.get(ENTITY_KEY) or r.text or text[r.start:r.end])
            out.append({"mention_id": annotation.rid(r.id), "article_id": article_id, "start": r.start, "end": r.end,
                        "text": text[r.start:r.end], "label": r.label, "entity_id": f"{article_id}:{key}",
                        "wikidata_qid": key if key.startswith("Q") else None, **annotation.provenance})
        return out

    def to_regions(self, records: list[dict], made) -> None:
        mention_of = made.notes.setdefault("mention_of", {})
        for e in records:
            key = (e["entity_id"] or "").split(":", 1)[-1] or None
            region = made.region(made.rid(e["mention_id"], "e"), self.control, e["label"], e,
                                 texts={ENTITY_KEY: key} if key else {})
            mention_of.setdefault(e["entity_id"], region.id)

    def check_set(self, file: str, good: list[tuple[int, dict]]) -> Iterator[Problem]:
        """Mentions grouped under one entity_id (per annotator and origin) must share a label."""
        named = {(r["annotator"], r["origin"], r["entity_id"], r["label"]) for _, r in good if r["entity_id"]}
        if len(named) == len({key[:3] for key in named}):
            return  # one label per entity: the common case, without counting
        labels: dict[tuple, Counter] = defaultdict(Counter)
        for _, record in good:
            if record["entity_id"]:
                labels[(record["annotator"], record["origin"], record["entity_id"])][record["label"]] += 1
        for i, record in good:
            if record["entity_id"]:
                counts = labels[(record["annotator"], record["origin"], record["entity_id"])]
                if len(counts) > 1 and record["label"] != counts.most_common(1)[0][0]:
                    yield Problem(file, f"label {record['label']} differs from the other mentions of entity "
                                        f"{record['entity_id']} ({counts.most_common(1)[0][0]})",
                                  f"/entities/{i}/label", record["mention_id"])

    def keys(self, records: list[dict], same_set: dict) -> list[tuple]:
        """Entity keys are each annotator's own words, so they are not compared."""
        return [(e["start"], e["end"], e["label"]) for e in records]

    def summary(self, record: dict) -> dict:
        return {k: record[k] for k in ("start", "end", "text", "label", "entity_id")}

    def compare(self, a: list[dict], b: list[dict], tokens) -> Tally:
        """Span matches, exact (same offsets and label) and overlapping (same label), per label."""
        t = Tally()
        for side, records in (("a", a), ("b", b)):
            t.n.update(("n", side, e["label"]) for e in records)
        exact_b = {(*span_key(e), e["label"]) for e in b}
        t.n.update(("exact", e["label"]) for e in a if (*span_key(e), e["label"]) in exact_b)
        for i, _, _ in greedy_match(a, b, span_score("label"), 0.0):
            t.n[("overlap", a[i]["label"])] += 1
        return t

    def figures(self, tally: Tally, tax, extra: dict) -> dict:
        n = tally.n
        side = {s: sum(v for k, v in n.items() if k[0] == "n" and k[1] == s) for s in ("a", "b")}
        per_label = {label: {"exact_f1": prf(n[("exact", label)], n[("n", "a", label)], n[("n", "b", label)])["f1"],
                             "overlap_f1": prf(n[("overlap", label)], n[("n", "a", label)], n[("n", "b", label)])["f1"],
                             "a": n[("n", "a", label)], "b": n[("n", "b", label)]}
                     for label in tax.names("entity_label") if n[("n", "a", label)] or n[("n", "b", label)]}
        exact = sum(v for k, v in n.items() if k[0] == "exact")
        overlap = sum(v for k, v in n.items() if k[0] == "overlap")
        return {"exact": prf(exact, side["a"], side["b"]), "overlap": prf(overlap, side["a"], side["b"]),
                "per_label": per_label}

    def agreement_rows(self, f: dict) -> list[tuple[str, str]]:
        e = f["entities"]
        rows = [("entities: exact F1 (P/R)", f"{fmt(e['exact']['f1'])} ({fmt(e['exact']['precision'])}/{fmt(e['exact']['recall'])})"),
                ("entities: overlap F1", fmt(e["overlap"]["f1"]))]
        return rows + [(f"  {label}: exact / overlap F1", f"{fmt(v['exact_f1'])} / {fmt(v['overlap_f1'])}")
                       for label, v in e["per_label"].items()]

    def links(self, records: list[dict]) -> dict[str, int]:
        return {"distinct_entities": len({m["entity_id"] for m in records if m["entity_id"]})}

    def marks(self, record: dict, name_of) -> list[tuple[int, int, str, str]]:
        label = name_of("label", record["label"])
        return [(record["start"], record["end"], f"border-bottom:3px solid {COLOURS.get(label, '#333')}",
                 f"{label} {record['entity_id'] or ''}")]


LAYER = register(Entities())
