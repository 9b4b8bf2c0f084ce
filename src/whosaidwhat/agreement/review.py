"""Records back into Label Studio: the gold of adjudicated articles, and review tasks for conflicts.

``records_to_regions`` is the inverse of ``convert``: entity mentions with their entity keys, quote
content pieces with their kinds, speakers and cues linked by relations (``refers_to`` where the
speaker's entity has no mention inside the speaker span), claims with their choices (``made_in``
where the claim does not lie inside its quote's content).
"""

from __future__ import annotations

from dataclasses import dataclass

from .adjudicate import Adjudication
from ..labelstudio.client import DEFAULT_PROJECT, client, ensure_project, talking_to
from ..core.layout import Layout
from ..labelstudio.regions import Region, Relation, to_results


def _rid(record_id: str, prefix: str = "") -> str:
    """A region id from a record id (its last part), prefixed by the layer once."""
    last = record_id.rsplit(":", 1)[-1]
    return last if last.startswith(prefix) else prefix + last


def records_to_regions(records: dict[str, list[dict]], text: str) -> tuple[list[Region], list[Relation]]:
    """Regions and relations that ``convert`` turns back into the same records."""
    regions: list[Region] = []
    relations: list[Relation] = []
    mention_of: dict[str, str] = {}
    for e in records["entities"]:
        key = (e["entity_id"] or "").split(":", 1)[-1] or None
        region = Region(_rid(e["mention_id"], "e"), "entity", e["label"], e["start"], e["end"], text[e["start"]:e["end"]],
                        entity_key=key)
        regions.append(region)
        mention_of.setdefault(e["entity_id"], region.id)
    content_of: dict[str, list[Region]] = {}
    for q in records["quotes"]:
        base = _rid(q["quote_id"], "q")
        pieces = [Region(f"{base}c{i}", "quote", "content", p["start"], p["end"], p["text"],
                         {"quote_kind": q["kind"], "speaker_kind": q["speaker_kind"]}) for i, p in enumerate(q["content"])]
        regions.extend(pieces)
        content_of[q["quote_id"]] = pieces
        for role in ("speaker", "cue"):
            if q[role]:
                region = Region(f"{base}{role[0]}", "quote", role, q[role]["start"], q[role]["end"], q[role]["text"])
                regions.append(region)
                relations.extend(Relation(region.id, p.id, f"{role}_of") for p in pieces)
        entity = q["speaker_entity_id"]
        if q["speaker"] and entity and entity in mention_of:
            inside = any(e["entity_id"] == entity and q["speaker"]["start"] <= e["start"] and e["end"] <= q["speaker"]["end"]
                         for e in records["entities"])
            if not inside or q["speaker_kind"] not in ("named_person", "named_organization"):
                relations.append(Relation(f"{base}s", mention_of[entity], "refers_to"))
    for c in records["claims"]:
        region = Region(_rid(c["claim_id"], "c"), "claim", "claim", c["start"], c["end"], c["text"],
                        {"claim_type": c["claim_type"], "checkworthiness": c["checkworthiness"]})
        regions.append(region)
        pieces = content_of.get(c["quote_id"], [])
        if pieces and not any(p.start <= c["start"] and c["end"] <= p.end for p in pieces):
            relations.append(Relation(region.id, pieces[0].id, "made_in"))
    return regions, relations


@dataclass(frozen=True)
class ReviewResult:
    gold: int
    reviews: int


def push_reviews(layout: Layout, result: Adjudication, *, title: str = DEFAULT_PROJECT, ls=None) -> ReviewResult:
    """For each adjudicated article: with no conflict, its ground-truth annotation made of the accepted
    records; with conflicts, predictions for the reviewer — the accepted records
    (``review:agreed``) and each annotator's own records (``review:<annotator>``)."""
    ls = ls or client()
    with talking_to(ls):
        return _push_reviews(layout, result, title, ls)


def _push_reviews(layout: Layout, result: Adjudication, title: str, ls) -> ReviewResult:
    from .measures import human_sets
    project = ensure_project(ls, title)
    tasks = {t.data.get("article_id"): t for t in ls.tasks.list(project=project.id, page_size=100)}
    sets = {a.article_id: a.sets for a in human_sets(layout)}
    conflicted = {c["article_id"] for c in result.conflicts}
    gold = reviews = 0
    for article_id, accepted in result.accepted.items():
        task = tasks.get(article_id)
        if task is None:
            continue
        text = task.data["text"]
        if article_id not in conflicted:
            ls.annotations.create(id=task.id, result=to_results(*records_to_regions(accepted, text), text),
                                  ground_truth=True, was_cancelled=False)
            gold += 1
            continue
        versions = [("review:agreed", accepted)] + [(f"review:{name}", records) for name, records in sets[article_id].items()]
        for model_version, records in versions:
            ls.predictions.create(task=task.id, result=to_results(*records_to_regions(records, text), text),
                                  score=1.0, model_version=model_version)
        reviews += 1
    return ReviewResult(gold, reviews)
