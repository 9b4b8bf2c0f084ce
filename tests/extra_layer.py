"""A small extra annotation layer, registered only by the tests that need it: events (what
happens in an article: a reopening, a repair), each a span with an event type from the taxonomy's
``event_type`` set and a required per-region choice of its ``event_status``.

It is the whole of what a new layer costs in the package: this one module (records, schema part,
Features, Label Studio control, regions to records and back, agreement measures, view), plus its
label sets in the taxonomy. ``tests/test_layers.py`` registers it and sends it through schema,
Label Studio config, convert, validate, agreement and build.
"""

from __future__ import annotations

from whosaidwhat.core.matching import greedy_match, span_score
from whosaidwhat.core.statistics import fmt, prf
from whosaidwhat.layers import Choice, Layer, Tally

LABEL_SETS = {
    "event_type": {"description": "What kind of event a span reports.", "source": "tests", "values": [
        {"name": "reopening", "definition": "Something closed opens again."},
        {"name": "repair", "definition": "Something broken is mended."},
    ]},
    "event_status": {"description": "Whether the event has happened.", "source": "tests", "values": [
        {"name": "happened", "definition": "The article reports it as done."},
        {"name": "expected", "definition": "The article reports it as to come."},
    ]},
}


class Events(Layer):
    name, id_field, control, schema_name = "events", "event_id", "event", "event"
    title, description = "Event", "Something that happens, as an article reports it."
    config_description = "one row per gold event"
    label_set = "event_type"
    choices = (Choice("event_status", "reopening", "status"),)
    counted = (("event_type", "label"), ("event_status", "status"))

    def schema_properties(self, tax, kit) -> dict:
        return {**kit.offsets, "label": kit.enum("event_type"), "status": kit.nullable(kit.enum("event_status"))}

    def example(self, kit) -> dict:
        return {"event_id": f"{kit.example_id}:a1:v1", **kit.span_of("reopen"), "label": "reopening", "status": "expected"}

    def features(self, tax, kit) -> dict:
        return {"event_id": kit.string, **kit.span(), "label": kit.label("event_type"), "status": kit.label("event_status")}

    def to_records(self, ann) -> list[dict]:
        out = []
        for r in sorted(ann.of(self.control), key=lambda r: (r.start, r.end)):
            if r.label == "reopening" and "event_status" not in r.choices:
                ann.problem(f"region {r.id}: event {ann.text[r.start:r.end]!r} has no event_status")
            out.append({"event_id": ann.rid(r.id), "article_id": ann.article_id, **ann.span(r), "label": r.label,
                        "status": r.choices.get("event_status"), **ann.provenance})
        return out

    def to_regions(self, records, made) -> None:
        for e in records:
            made.region(made.rid(e["event_id"], "v"), self.control, e["label"], e,
                        choices={"event_status": e["status"]} if e["status"] else {})

    def keys(self, records, same_set) -> list[tuple]:
        return [(e["start"], e["end"], e["label"], e["status"]) for e in records]

    def summary(self, record) -> dict:
        return {k: record[k] for k in ("start", "end", "text", "label", "status")}

    def compare(self, a, b, tokens) -> Tally:
        t = Tally()
        t.n["n", "a"], t.n["n", "b"] = len(a), len(b)
        t.n["overlap"] = len(greedy_match(a, b, span_score("label"), 0.0))
        return t

    def figures(self, tally, tax, extra) -> dict:
        return {"overlap": prf(tally.n["overlap"], tally.n["n", "a"], tally.n["n", "b"])}

    def agreement_rows(self, f) -> list[tuple[str, str]]:
        return [("events: overlap F1", fmt(f["events"]["overlap"]["f1"]))]

    def marks(self, record, name_of) -> list[tuple[int, int, str, str]]:
        return [(record["start"], record["end"], "text-decoration:underline wavy", name_of("label", record["label"]))]


LAYER = Events()
