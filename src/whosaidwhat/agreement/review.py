"""Records back into Label Studio: the gold of adjudicated articles, and review tasks for conflicts.

``labelstudio.regions.records_to_regions`` is the inverse of ``convert``, layer by layer
(``Layer.to_regions``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .adjudicate import Adjudication
from .decisions import gold_of
from ..labelstudio.client import DEFAULT_PROJECT, client, ensure_project, talking_to
from ..core.layout import Layout
from ..labelstudio.regions import records_to_regions, to_results


@dataclass(frozen=True)
class ReviewResult:
    gold: int  # ground-truth annotations created
    reviews: int
    updated: int = 0  # existing ground-truth annotations given the log's gold (update_gold)


def push_reviews(layout: Layout, result: Adjudication, *, title: str = DEFAULT_PROJECT, ls=None,
                 update_gold: bool = False) -> ReviewResult:
    """For each adjudicated article: with no conflict, or with every conflict decided in its
    adjudication log (``agreement.decisions``), its ground-truth annotation made of the accepted
    records and the versions chosen; with conflicts left, predictions for the reviewer — the
    accepted records (``review:agreed``) and each annotator's own records (``review:<annotator>``).
    An article that already has a ground-truth annotation gets no other; with ``update_gold``, that
    annotation is given the gold the log makes now (a reviewer's corrections), so that pull and
    convert report it as changed."""
    ls = ls or client()
    with talking_to(ls):
        return _push_reviews(layout, result, title, ls, update_gold)


def _push_reviews(layout: Layout, result: Adjudication, title: str, ls, update_gold: bool) -> ReviewResult:
    from .measures import human_sets
    project = ensure_project(ls, title)
    tasks = {t.data.get("article_id"): t for t in ls.tasks.list(project=project.id, page_size=100)}
    sets = {a.article_id: a.sets for a in human_sets(layout)}
    conflicted = {c["article_id"] for c in result.conflicts}
    gold = reviews = updated = 0
    for article_id, accepted in result.accepted.items():
        task = tasks.get(article_id)
        if task is None:
            continue
        existing = [a for a in ls.annotations.list(id=task.id) if a.ground_truth]
        if existing and not update_gold:
            continue
        text = task.data["text"]
        decided = gold_of(layout, result, article_id)
        if decided.records is not None:
            regions = to_results(*records_to_regions(decided.records, text), text)
            if existing:
                ls.annotations.update(id=existing[0].id, result=regions)
                updated += 1
            else:
                ls.annotations.create(id=task.id, result=regions, ground_truth=True, was_cancelled=False)
                gold += 1
            continue
        if existing:
            continue
        versions = [("review:agreed", accepted)] + [(f"review:{name}", records) for name, records in sets[article_id].items()]
        for model_version, records in versions:
            ls.predictions.create(task=task.id, result=to_results(*records_to_regions(records, text), text),
                                  score=1.0, model_version=model_version)
        reviews += 1
    return ReviewResult(gold, reviews, updated)
