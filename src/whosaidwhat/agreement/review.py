"""Records back into Label Studio: the gold of adjudicated articles, and review tasks for conflicts.

``labelstudio.regions.records_to_regions`` is the inverse of ``convert``, layer by layer
(``Layer.to_regions``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .adjudicate import Adjudication
from ..labelstudio.client import DEFAULT_PROJECT, client, ensure_project, talking_to
from ..core.layout import Layout
from ..labelstudio.regions import records_to_regions, to_results


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
