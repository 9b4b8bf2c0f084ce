"""Pre-annotations as Label Studio predictions: proposals -> records -> regions, through the layers.

The proposals (``whosaidwhat.preannotate``) carry the records' own fields, so they become records
of a model record set and then regions the way gold does for ``adjudicate --push``
(``records_to_regions``): each layer says once how its records look on the labeling page. Every
mention gets the entity key convert would give it anyway (its text, slugged; with its label where
two forms of one key got two labels), so a pronoun speaker can point at its mention with
``refers_to`` and the prediction passes convert's checks as it stands.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..layers.entities import slug
from ..preannotate import DEFAULT_MODEL, Proposals, propose_texts
from .regions import records_to_regions, to_results

SCORE = 0.5  # Label Studio sorts predictions by score; the rules have no calibrated one


def to_records(proposals: Proposals, article_id: str) -> dict[str, list[dict]]:
    """The proposals as records of one article (ids made from their order, stable for one text)."""
    labels_of: dict[str, set[str]] = {}
    for e in proposals.entities:
        labels_of.setdefault(slug(e.text), set()).add(e.label)

    def entity_id(text: str, label: str) -> str:
        """Convert's own key (the text, slugged), with the label added where two forms of one key got
        two labels ("WASHINGTON" GPE, "Washington" PERSON): an entity has one label (validate)."""
        key = slug(text)
        return f"{article_id}:{key}" if len(labels_of[key]) == 1 else f"{article_id}:{key}-{slug(label)}"

    entities = [{"mention_id": f"{article_id}:e{i}", "start": e.start, "end": e.end, "text": e.text,
                 "label": e.label, "entity_id": entity_id(e.text, e.label)} for i, e in enumerate(proposals.entities, 1)]
    mentioned = {(e["start"], e["end"]): e["entity_id"] for e in entities}
    quotes = []
    for i, q in enumerate(proposals.quotes, 1):
        refers = q.speaker_refers_to
        quotes.append({"quote_id": f"{article_id}:q{i}", "kind": q.kind,
                       "content": [vars(c) for c in q.content],
                       "speaker": vars(q.speaker) if q.speaker else None, "cue": vars(q.cue) if q.cue else None,
                       "speaker_kind": q.speaker_kind,
                       "speaker_entity_id": mentioned.get((refers.start, refers.end)) if refers else None})
    claims = [{"claim_id": f"{article_id}:c{i}", "start": c.start, "end": c.end, "text": c.text,
               "claim_type": c.claim_type, "checkworthiness": c.checkworthiness,
               "quote_id": quotes[c.quote]["quote_id"] if c.quote is not None else None}
              for i, c in enumerate(proposals.claims, 1)]
    return {"entities": entities, "quotes": quotes, "claims": claims}


def prediction_of(proposals: Proposals, text: str, article_id: str) -> dict | None:
    """A Label Studio prediction for one task, or None when nothing is proposed."""
    regions, relations = records_to_regions(to_records(proposals, article_id), text)
    if not regions:
        return None
    return {"model_version": proposals.model_version, "score": SCORE, "result": to_results(regions, relations, text)}


def predictions_for(articles: Iterable[dict], model: str = DEFAULT_MODEL, *, scheduler: str | None = None,
                    workers: int | None = None) -> Iterator[dict | None]:
    """One prediction (or None) per article, the pipeline batched over their texts, here or on a
    Dask cluster (``scheduler`` or ``workers``: ``preannotate.propose_texts``)."""
    articles = list(articles)
    texts = [a["text"] for a in articles]
    for article, proposals in zip(articles, propose_texts(texts, model, scheduler=scheduler, workers=workers)):
        yield prediction_of(proposals, article["text"], article["article_id"])
