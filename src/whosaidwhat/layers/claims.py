"""The claim layer: check-worthy or factual statements with a Full Fact claim type and a ClaimBuster
check-worthiness class, linked to the quote they are made in (``quote_id``), so who makes a claim is
recorded; a claim in the article's own voice has no quote."""

from __future__ import annotations

from ..core.matching import greedy_match, span_key, span_score
from ..core.statistics import alpha, fmt, kappa, prf
from . import register
from .base import Choice, Layer, Reference, Role, Tally
from .quotes import content_keys

CLAIM_LABEL = "claim"
LABELLED = ("claim_type", "checkworthiness")
STYLES = {"claim": "outline:1px dashed #888", "claim_check_worthy": "outline:2px solid #c0392b"}


class Claims(Layer):
    name, id_field, control, schema_name = "claims", "claim_id", "claim", "claim"
    title = "Claim"
    description = "A check-worthy or factual statement (Full Fact type, ClaimBuster worthiness)."
    config_description = "one row per gold claim: span, claim type, check-worthiness, the quote it is made in"
    fixed_labels = ((CLAIM_LABEL, "A statement that asserts something checkable, or an opinion "
                                  "an annotator was asked to classify; give its type and worthiness."),)
    choices = (Choice("claim_type", CLAIM_LABEL, "claim_type"), Choice("checkworthiness", CLAIM_LABEL, "checkworthiness"))
    relation_roles = {"made_in": (Role("claim", CLAIM_LABEL), Role("quote", "content"))}
    references = (Reference("quote_id", "quotes", "quote_id", "quote {value} is not among this annotator's quotes of the article"),)
    counted = (("claim_type", "claim_type"), ("checkworthiness", "checkworthiness"))

    def schema_properties(self, tax, kit) -> dict:
        return {**kit.offsets, "claim_type": kit.enum("claim_type"), "checkworthiness": kit.enum("checkworthiness"),
                "quote_id": kit.nullable({**kit.record_id, "description": "The quote the claim is made in, if any."})}

    def example(self, kit) -> dict:
        return {"claim_id": f"{kit.example_id}:a1:c1", **kit.span_of("The bridge will reopen in May"),
                "claim_type": "prediction", "checkworthiness": "check_worthy", "quote_id": f"{kit.example_id}:a1:q1"}

    def features(self, tax, kit) -> dict:
        return {"claim_id": kit.string, **kit.span(), "claim_type": kit.label("claim_type"),
                "checkworthiness": kit.label("checkworthiness"), "quote_id": kit.string}

    def to_records(self, ann) -> list[dict]:
        """Claims; a claim is made in the quote its made_in relation points to, else in the quote whose
        content contains it (the innermost)."""
        text = ann.text
        quote_of = ann.notes.get("quote_of", {})
        made_in = {rel.from_id: quote_of.get(rel.to_id) for rel in ann.relations if rel.label == "made_in"}
        contents = sorted((r for r in ann.of("quote") if r.label == "content"), key=lambda c: c.end - c.start)
        out = []
        for r in sorted(ann.of(self.control), key=lambda r: r.start):
            for name in LABELLED:
                if name not in r.choices:
                    ann.problem(f"region {r.id}: claim {text[r.start:r.end][:40]!r} has no {name}")
            inside = [quote_of[c.id] for c in contents if c.start <= r.start and r.end <= c.end and c.id in quote_of]
            out.append({"claim_id": ann.rid(r.id), "article_id": ann.article_id, "start": r.start, "end": r.end,
                        "text": text[r.start:r.end], "claim_type": r.choices.get("claim_type"),
                        "checkworthiness": r.choices.get("checkworthiness"),
                        "quote_id": made_in.get(r.id) or (inside[0] if inside else None), **ann.provenance})
        return out

    def to_regions(self, records: list[dict], made) -> None:
        """Claims with their choices, and ``made_in`` where a claim does not lie inside its quote's content."""
        content_of = made.notes.get("content_of", {})
        for c in records:
            region = made.region(made.rid(c["claim_id"], "c"), self.control, CLAIM_LABEL, c,
                                 choices={name: c[name] for name in LABELLED})
            pieces = content_of.get(c["quote_id"], [])
            if pieces and not any(p.start <= c["start"] and c["end"] <= p.end for p in pieces):
                made.relations.append(made.relation(region.id, pieces[0].id, "made_in"))

    def keys(self, records: list[dict], same_set: dict) -> list[tuple]:
        """A claim's quote is compared by its content spans, since quote ids differ between annotators."""
        content = content_keys(same_set.get("quotes", []))
        return [(c["start"], c["end"], c["claim_type"], c["checkworthiness"], content.get(c["quote_id"])) for c in records]

    def summary(self, record: dict) -> dict:
        return {k: record[k] for k in ("start", "end", "text", "claim_type", "checkworthiness", "quote_id")}

    def compare(self, a: list[dict], b: list[dict], tokens) -> Tally:
        """Span matches, exact and overlapping; the labels of overlap-matched claims, paired."""
        t = Tally()
        t.n["n", "a"], t.n["n", "b"] = len(a), len(b)
        t.n["exact"] = len({span_key(x) for x in a} & {span_key(y) for y in b})
        pairs = greedy_match(a, b, span_score(None), 0.0)
        t.n["overlap"] = len(pairs)
        for key in LABELLED:
            t.pairs.setdefault(key, ([], []))
        for i, j, _ in pairs:
            for key in LABELLED:
                t.pair(key, a[i][key], b[j][key])
        return t

    def figures(self, tally: Tally, tax, extra: dict) -> dict:
        n = tally.n
        labels = {}
        for key in LABELLED:
            a, b = tally.pairs.get(key, ([], []))
            codes = {name: i for i, name in enumerate(tax.names(key))}
            labels[key] = {"alpha": alpha([[codes[v] for v in a], [codes[v] for v in b]], len(codes)) if a else None,
                           "kappa": kappa(a, b, tax.names(key)), "matched": len(a)}
        return {"exact": prf(n["exact"], n["n", "a"], n["n", "b"]), "overlap": prf(n["overlap"], n["n", "a"], n["n", "b"]),
                **labels}

    def agreement_rows(self, f: dict) -> list[tuple[str, str]]:
        c = f["claims"]
        return [("claims: exact / overlap F1", f"{fmt(c['exact']['f1'])} / {fmt(c['overlap']['f1'])}"),
                ("claims: claim type alpha / kappa", f"{fmt(c['claim_type']['alpha'])} / {fmt(c['claim_type']['kappa'])}"),
                ("claims: check-worthiness alpha / kappa",
                 f"{fmt(c['checkworthiness']['alpha'])} / {fmt(c['checkworthiness']['kappa'])}")]

    def links(self, records: list[dict]) -> dict[str, int]:
        return {"claims_in_quotes": sum(1 for c in records if c["quote_id"])}

    def marks(self, record: dict, name_of) -> list[tuple[int, int, str, str]]:
        worthiness = name_of("checkworthiness", record["checkworthiness"])
        style = STYLES["claim_check_worthy"] if worthiness == "check_worthy" else STYLES["claim"]
        return [(record["start"], record["end"], style,
                 f"claim: {name_of('claim_type', record['claim_type'])}, {worthiness}")]


LAYER = register(Claims())
