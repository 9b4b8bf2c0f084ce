"""The quote layer: attributions in the PARC 3.0 model. A quote is its content (one span per
contiguous piece), the cue that introduces it and the speaker it is attributed to, with the quote
kind and the speaker kind; ``speaker_entity_id`` links the speaker to an entity of the same set.

In Label Studio a quote is regions of the ``quote`` control (content, speaker, cue) joined by
``speaker_of`` and ``cue_of`` relations: content pieces that share a cue are one quote.
"""

from __future__ import annotations

from collections import defaultdict

from ..core.matching import greedy_match, same_span, span_key
from ..core.statistics import alpha, fmt, prf
from . import register
from .base import Choice, Layer, Reference, Role, Tally

ROLES = {"O": 0, "content": 1, "speaker": 2, "cue": 3}
THRESHOLDS = (0.3, 0.8)
NAMED = ("named_person", "named_organization")
STYLES = {"content": "background:#fff3b0", "speaker": "font-weight:bold", "cue": "font-style:italic;color:#555"}


def _span(span: dict | None) -> tuple | None:
    return None if span is None else span_key(span)


def longest_inside(start: int, end: int, mentions: list[dict]) -> str | None:
    """The entity of the longest mention inside [start, end): a named speaker's entity when no
    refers_to relation says otherwise."""
    inside = [m for m in mentions if start <= m["start"] and m["end"] <= end]
    return max(inside, key=lambda m: m["end"] - m["start"])["entity_id"] if inside else None


def content_keys(quotes: list[dict]) -> dict[str, tuple]:
    """quote id -> its content spans, the key by which other layers compare a link to a quote (quote
    ids differ between annotators)."""
    return {q["quote_id"]: tuple(_span(p) for p in q["content"]) for q in quotes}


class Quotes(Layer):
    name, id_field, control, schema_name = "quotes", "quote_id", "quote", "quote"
    title = "Quote"
    description = "An attribution in the PARC 3.0 model: content, cue and speaker."
    config_description = "one row per gold quote: content spans, cue, speaker, kinds"
    label_set = "quote_role"
    choices = (Choice("quote_kind", "content", "kind"), Choice("speaker_kind", "content", "speaker_kind"))
    relation_roles = {"speaker_of": (Role("quote", "speaker"), Role("quote", "content")),
                      "cue_of": (Role("quote", "cue"), Role("quote", "content")),
                      "refers_to": (Role("quote", "speaker"), Role("entity"))}
    references = (Reference("speaker_entity_id", "entities", "entity_id",
                            "entity {value} has no mention by the same annotator and origin"),)
    counted = (("quote_kind", "kind"), ("speaker_kind", "speaker_kind"))

    def schema_properties(self, tax, kit) -> dict:
        return {"kind": kit.enum("quote_kind"),
                "content": {"type": "array", "items": kit.ref("span"), "minItems": 1,
                            "description": "One span per contiguous piece of the quote, in text order."},
                "cue": kit.nullable(kit.ref("span")), "speaker": kit.nullable(kit.ref("span")),
                "speaker_kind": kit.enum("speaker_kind"),
                "speaker_entity_id": kit.nullable({**kit.record_id, "description": "entity_id of the speaker's mentions in the same record set."})}

    def example(self, kit) -> dict:
        return {"quote_id": f"{kit.example_id}:a1:q1", "kind": "direct",
                "content": [kit.span_of("The bridge will reopen in May,")], "cue": kit.span_of("said"),
                "speaker": kit.span_of("Ana Ruiz"), "speaker_kind": "named_person",
                "speaker_entity_id": f"{kit.example_id}:ana-ruiz"}

    def features(self, tax, kit) -> dict:
        return {"quote_id": kit.string, "kind": kit.label("quote_kind"), "content": kit.List(kit.span()),
                "cue": kit.span(), "speaker": kit.span(), "speaker_kind": kit.label("speaker_kind"),
                "speaker_entity_id": kit.string}

    def spans(self, record: dict):
        for j, span in enumerate(record["content"]):
            yield f"/content/{j}", span
        for role in ("cue", "speaker"):
            if record[role] is not None:
                yield f"/{role}", record[role]

    def order(self, record: dict) -> tuple:
        return record["content"][0]["start"], record["quote_id"]

    # -- convert -------------------------------------------------------------------------------
    def to_records(self, ann) -> list[dict]:
        """Quotes; content regions sharing a cue are one quote. Notes each content region's quote
        id (``quote_of``) for the layers after this one."""
        incoming: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for rel in ann.relations:
            incoming[rel.to_id][rel.label].append(ann.regions[rel.from_id])
        linked = {rel.from_id for rel in ann.relations if rel.label in ("speaker_of", "cue_of")}
        for r in ann.of(self.control):
            if r.label in ("speaker", "cue") and r.id not in linked:
                ann.problem(f"region {r.id}: {r.label} {r.text!r} is not linked to any content ({r.label}_of)")
        groups: dict[str, list] = {}
        for c in sorted((r for r in ann.of(self.control) if r.label == "content"), key=lambda r: r.start):
            cues = incoming[c.id]["cue_of"]
            if len(cues) > 1:
                ann.problem(f"region {c.id}: content has {len(cues)} cues; a quote has one")
            groups.setdefault(cues[0].id if cues else c.id, []).append(c)
        quote_of = ann.notes.setdefault("quote_of", {})
        out = []
        for pieces in groups.values():
            quote = self._quote(ann, pieces, incoming)
            quote_of.update((c.id, quote["quote_id"]) for c in pieces)
            out.append(quote)
        return out

    def _quote(self, ann, pieces: list, incoming) -> dict:
        text = ann.text
        speakers = {r.id: r for c in pieces for r in incoming[c.id]["speaker_of"]}
        cues = {r.id: r for c in pieces for r in incoming[c.id]["cue_of"]}
        kinds = {choice.name: {c.choices[choice.name] for c in pieces if choice.name in c.choices} for choice in self.choices}
        for name, values in kinds.items():
            if len(values) != 1:
                ann.problem(f"region {pieces[0].id}: quote {text[pieces[0].start:pieces[0].end][:40]!r} needs "
                            f"one {name}, has {sorted(values) or 'none'}")
        if len(speakers) > 1:
            ann.problem(f"region {pieces[0].id}: quote has {len(speakers)} speakers; a quote has one")
        speaker = next(iter(speakers.values()), None)
        speaker_kind = next(iter(kinds["speaker_kind"]), None)
        return {"quote_id": ann.rid(pieces[0].id), "article_id": ann.article_id,
                "kind": next(iter(kinds["quote_kind"]), None), "content": [ann.span(c) for c in pieces],
                "cue": ann.span(next(iter(cues.values()), None)), "speaker": ann.span(speaker),
                "speaker_kind": speaker_kind, "speaker_entity_id": self._speaker_entity(ann, speaker, speaker_kind),
                **ann.provenance}

    def _speaker_entity(self, ann, speaker, kind: str | None) -> str | None:
        """The entity a speaker is: by a refers_to relation, else, for a named speaker, the longest
        entity mention inside the speaker span. An anonymous speaker's affiliation ("White House
        officials") is not the speaker, so it is not linked unless the annotator says so."""
        if speaker is None:
            return None
        mentions = ann.made.get("entities", [])
        targets = [rel.to_id for rel in ann.relations if rel.label == "refers_to" and rel.from_id == speaker.id]
        if targets:
            mention_id = ann.rid(targets[0])
            return next(m["entity_id"] for m in mentions if m["mention_id"] == mention_id)
        if kind not in NAMED:
            return None
        return longest_inside(speaker.start, speaker.end, mentions)

    def to_regions(self, records: list[dict], made) -> None:
        """Content pieces with their kinds, speakers and cues linked by relations, and ``refers_to``
        wherever convert would not find the speaker's entity by itself (``_derived``)."""
        mention_of = made.notes.get("mention_of", {})
        content_of = made.notes.setdefault("content_of", {})
        for q in records:
            base = made.rid(q["quote_id"], "q")
            pieces = [made.region(f"{base}c{i}", self.control, "content", p,
                                  choices={"quote_kind": q["kind"], "speaker_kind": q["speaker_kind"]})
                      for i, p in enumerate(q["content"])]
            content_of[q["quote_id"]] = pieces
            for role in ("speaker", "cue"):
                if q[role]:
                    region = made.region(f"{base}{role[0]}", self.control, role, q[role])
                    made.relations.extend(made.relation(region.id, p.id, f"{role}_of") for p in pieces)
            entity = q["speaker_entity_id"]
            if q["speaker"] and entity and entity in mention_of and self._derived(q, made.records.get("entities", [])) != entity:
                made.relations.append(made.relation(f"{base}s", mention_of[entity], "refers_to"))

    @staticmethod
    def _derived(quote: dict, mentions: list[dict]) -> str | None:
        """The speaker entity convert finds without a refers_to relation (``_speaker_entity``). Where
        it would find another ("New Zealand" in "New Zealand's Prime Minister John Key"), the
        regions say which with refers_to."""
        if quote["speaker_kind"] not in NAMED:
            return None
        return longest_inside(quote["speaker"]["start"], quote["speaker"]["end"], mentions)

    # -- agreement -------------------------------------------------------------------------------
    def keys(self, records: list[dict], same_set: dict) -> list[tuple]:
        content = content_keys(records)
        return [(content[q["quote_id"]], _span(q["speaker"]), _span(q["cue"]), q["kind"], q["speaker_kind"])
                for q in records]

    def summary(self, record: dict) -> dict:
        return {"content": [p["text"] for p in record["content"]], "speaker": (record["speaker"] or {}).get("text"),
                "cue": (record["cue"] or {}).get("text"), "kind": record["kind"], "speaker_kind": record["speaker_kind"]}

    def compare(self, a: list[dict], b: list[dict], tokens) -> Tally:
        """Content matched by token overlap at each threshold; on matches at the lower one, the same
        speaker, cue, kind and speaker kind; whole attribution (content at the higher threshold,
        same speaker and cue)."""
        t = Tally()
        t.n["n", "a"], t.n["n", "b"] = len(a), len(b)

        def score(x: dict, y: dict) -> float:
            tx, ty = tokens.of_spans(x["content"]), tokens.of_spans(y["content"])
            return len(tx & ty) / max(len(tx), len(ty)) if tx and ty else 0.0
        for threshold in THRESHOLDS:
            pairs = greedy_match(a, b, score, threshold)
            t.n["matched", threshold] += len(pairs)
            for i, j, _ in pairs:
                qa, qb = a[i], b[j]
                speaker, cue = same_span(qa["speaker"], qb["speaker"]), same_span(qa["cue"], qb["cue"])
                if threshold == THRESHOLDS[0]:
                    t.n.update({("same", "speaker"): speaker, ("same", "cue"): cue, ("same", "kind"): qa["kind"] == qb["kind"],
                                ("same", "speaker_kind"): qa["speaker_kind"] == qb["speaker_kind"]})
                elif speaker and cue:
                    t.n["whole"] += 1
        return t

    def figures(self, tally: Tally, tax, extra: dict) -> dict:
        n = tally.n
        matched = n["matched", THRESHOLDS[0]]
        on_matched = {f"same_{k}": round(n["same", k] / matched, 4) if matched else None
                      for k in ("speaker", "cue", "kind", "speaker_kind")}
        roles = extra.get("token_roles")
        return {**{f"content_f1@{t}": prf(n["matched", t], n["n", "a"], n["n", "b"])["f1"] for t in THRESHOLDS},
                **on_matched, "whole_attribution_f1": prf(n["whole"], n["n", "a"], n["n", "b"])["f1"],
                "token_role_alpha": alpha(roles, len(ROLES)) if roles and roles[0] else None,
                "a": n["n", "a"], "b": n["n", "b"]}

    def agreement_rows(self, f: dict) -> list[tuple[str, str]]:
        q = f["quotes"]
        return [("quotes: content F1 @0.3 / @0.8", f"{fmt(q['content_f1@0.3'])} / {fmt(q['content_f1@0.8'])}"),
                ("quotes: same speaker / cue (matched)", f"{fmt(q['same_speaker'])} / {fmt(q['same_cue'])}"),
                ("quotes: same kind / speaker kind", f"{fmt(q['same_kind'])} / {fmt(q['same_speaker_kind'])}"),
                ("quotes: whole attribution F1", fmt(q["whole_attribution_f1"])),
                ("quotes: token role alpha", fmt(q["token_role_alpha"]))]

    def token_roles(self, records: list[dict], tokens) -> list[int]:
        """Each token's quote role for one annotator: cue over speaker over content over O (as
        PolNeAR reports its alpha)."""
        roles = [ROLES["O"]] * len(tokens.starts)
        for role in ("content", "speaker", "cue"):
            for quote in records:
                spans = quote["content"] if role == "content" else [quote[role]] if quote[role] else []
                for span in spans:
                    for i in tokens.inside(span["start"], span["end"]):
                        roles[i] = ROLES[role]
        return roles

    # -- stats and views -------------------------------------------------------------------------
    def links(self, records: list[dict]) -> dict[str, int]:
        return {"quotes_with_speaker_entity": sum(1 for q in records if q["speaker_entity_id"])}

    def marks(self, record: dict, name_of) -> list[tuple[int, int, str, str]]:
        kind, speaker_kind = name_of("kind", record["kind"]), name_of("speaker_kind", record["speaker_kind"])
        title = f"{kind} quote, speaker {speaker_kind}: {(record['speaker'] or {}).get('text') or '-'}"
        marks = [(p["start"], p["end"], STYLES["content"], title) for p in record["content"]]
        return marks + [(record[role]["start"], record[role]["end"], STYLES[role], f"{role}: {title}")
                        for role in ("speaker", "cue") if record[role]]


LAYER = register(Quotes())
