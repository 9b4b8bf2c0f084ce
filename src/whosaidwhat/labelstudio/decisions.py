"""An annotator's decisions as data: one file per article and annotator
(``annotations/decisions/<article_id>/<name>.json``), sent to Label Studio as that annotator's
annotation by ``scripts/annotate/send_decisions.py``, then pulled and converted like any other.

A decisions file is the records of one annotation set, with each span written as the words it covers
and, where those words occur more than once, a ``context`` that occurs exactly once in the article and
contains them (the span is their first occurrence in it). Spans get their offsets here, never by hand:

    {"article_id": "wsw-…",
     "entities": [{"text": "Jacinda Ardern", "label": "PERSON", "key": "ardern"}],
     "quotes": [{"id": "q1", "kind": "direct", "speaker_kind": "named_person", "speaker_key": "ardern",
                 "content": [{"text": "We are …", "context": "“We are …"}],
                 "speaker": {"text": "Ardern"}, "cue": {"text": "said", "context": "Ardern said"}}],
     "claims": [{"text": "…", "claim_type": "quantity", "checkworthiness": "check_worthy", "quote": "q1"}]}

``key`` groups the mentions of one entity (the entity key); ``speaker_key`` is the key of the
speaker's entity, if any; a claim's ``quote`` is the id of the quote it is said in. Every problem is
reported with its JSON pointer, all at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import layers
from ..core.errors import CorpusError
from ..core.io import read_json
from ..core.layout import Layout
from ..core.problems import Problem
from ..core.taxonomy import load_taxonomy
from ..validation.records import check_records
from .regions import Region, Relation, records_to_regions

SET_KEY = "d"  # the middle part of the record ids made here, before Label Studio gives the annotation its own


@dataclass
class Decisions:
    """A decisions file turned into records (``None`` if it has problems) and its problems."""

    path: Path
    article_id: str | None
    records: dict | None
    problems: list[Problem]

    def regions(self, text: str) -> tuple[list[Region], list[Relation]]:
        return records_to_regions(self.records, text)


def _locate(span, text: str, pointer: str, problems: list, file: str) -> dict | None:
    if not isinstance(span, dict) or not isinstance(span.get("text"), str) or not span["text"]:
        problems.append(Problem(file, "must be an object with the words of the span as text", pointer))
        return None
    piece, context = span["text"], span.get("context")
    if piece != piece.strip():
        problems.append(Problem(file, f"{piece!r} starts or ends with a space: select exactly the words", f"{pointer}/text"))
    if context is None:
        if text.count(piece) != 1:
            problems.append(Problem(file, f"{piece!r} occurs {text.count(piece)} times in the article: add a context "
                                          "that occurs once and contains it", f"{pointer}/text"))
            return None
        start = text.index(piece)
    else:
        if not isinstance(context, str) or text.count(context) != 1:
            n = text.count(context) if isinstance(context, str) else 0
            problems.append(Problem(file, f"context {context!r} occurs {n} times in the article, not once", f"{pointer}/context"))
            return None
        if piece not in context:
            problems.append(Problem(file, f"context {context!r} does not contain {piece!r}", f"{pointer}/context"))
            return None
        start = text.index(context) + context.index(piece)
    return {"start": start, "end": start + len(piece), "text": piece}


def read_decisions(path: Path, layout: Layout) -> Decisions:
    """A decisions file, checked against its article and the taxonomy, as records of the annotator
    ``decisions`` (the real annotator is whoever sends it)."""
    file = str(path)
    data = read_json(path)
    article_id = data.get("article_id") if isinstance(data, dict) else None
    try:
        article = read_json(layout.article_path(article_id)) if isinstance(article_id, str) else None
    except CorpusError:  # not an article id, or not in the corpus
        article = None
    if article is None:
        return Decisions(path, article_id, None, [Problem(file, f"{article_id!r} is not an article of the corpus", "/article_id")])
    records, problems = decided_records(data, article, file)
    return Decisions(path, article_id, records, problems)


def decided_records(data: dict, article: dict, file: str, *, whole: bool = True) -> tuple[dict | None, list[Problem]]:
    """The records a decisions dict makes of one article (None if it has problems), and every
    problem, named by JSON pointer into ``data``. ``whole``: the dict is a whole annotation, checked
    as validate checks records (records added to others are checked with them instead)."""
    problems: list[Problem] = []
    article_id = article["article_id"]
    text, tax = article["text"], load_taxonomy()
    unknown = set(data) - {"article_id", "entities", "quotes", "claims", "note"}
    if unknown:
        problems.append(Problem(file, f"unknown field(s) {sorted(unknown)}", ""))

    def items(name: str) -> Iterator[tuple[int, dict, str]]:
        for i, item in enumerate(data.get(name) or []):
            if isinstance(item, dict):
                yield i, item, f"/{name}/{i}"
            else:
                problems.append(Problem(file, "must be an object", f"/{name}/{i}"))

    def label(item: dict, field: str, label_set: str, pointer: str) -> str | None:
        value = item.get(field)
        if value not in tax[label_set].names:
            problems.append(Problem(file, f"{field} {value!r} is not one of {tax[label_set].names}", f"{pointer}/{field}"))
        return value

    base = {"article_id": article_id, "annotator": "decisions", "origin": "human"}
    entity = lambda key: f"{article_id}:{key}" if key else None  # noqa: E731
    records: dict = {"article_id": article_id, **layers.empty()}
    for i, item, at in items("entities"):
        span = _locate(item, text, at, problems, file)
        lab = label(item, "label", "entity_label", at)
        if not isinstance(item.get("key"), str) or not item["key"]:
            problems.append(Problem(file, "needs the entity key that groups the mentions of one entity", f"{at}/key"))
        if span:
            records["entities"].append({"mention_id": f"{article_id}:{SET_KEY}:e{i + 1}", **span, "label": lab,
                                        "entity_id": entity(item.get("key")), "wikidata_qid": None, **base})
    quote_ids = {}
    for i, item, at in items("quotes"):
        content = [_locate(piece, text, f"{at}/content/{j}", problems, file) for j, piece in enumerate(item.get("content") or [])]
        if not content:
            problems.append(Problem(file, "a quote needs its content", f"{at}/content"))
        cue, speaker = (_locate(item[role], text, f"{at}/{role}", problems, file) if item.get(role) else None
                        for role in ("cue", "speaker"))
        quote_id = f"{article_id}:{SET_KEY}:q{i + 1}"
        quote_ids[item.get("id")] = quote_id
        records["quotes"].append({"quote_id": quote_id, "kind": label(item, "kind", "quote_kind", at),
                                  "content": [c for c in content if c], "cue": cue, "speaker": speaker,
                                  "speaker_kind": label(item, "speaker_kind", "speaker_kind", at),
                                  "speaker_entity_id": entity(item.get("speaker_key")), **base})
    for i, item, at in items("claims"):
        span = _locate(item, text, at, problems, file)
        if item.get("quote") is not None and item["quote"] not in quote_ids:
            problems.append(Problem(file, f"quote {item['quote']!r} is not the id of a quote of this file", f"{at}/quote"))
        if span:
            records["claims"].append({"claim_id": f"{article_id}:{SET_KEY}:c{i + 1}", **span,
                                      "claim_type": label(item, "claim_type", "claim_type", at),
                                      "checkworthiness": label(item, "checkworthiness", "checkworthiness", at),
                                      "quote_id": quote_ids.get(item.get("quote")), **base})
    if not problems and whole:
        problems.extend(check_records(file, records, article))
    return (None if problems else records), problems


def iter_decisions(layout: Layout) -> Iterator[Path]:
    yield from sorted((layout.annotations / "decisions").glob("wsw-*/*.json"))


ANNOTATOR_DOMAIN = "annotators.whosaidwhat.invalid"  # made-up addresses: the annotators of decisions files are not people with e-mail


@dataclass(frozen=True)
class SendResult:
    sent: int
    already_there: int


def send_decisions(layout: Layout, paths: list[Path], *, ls, title: str) -> SendResult:
    """Send each decisions file as the annotation of its annotator (the file's name: a user
    ``<name>@annotators.whosaidwhat.invalid`` of the server, made if missing) on its article's task
    of project ``title``, which ``push`` makes without pre-annotations if needed. A file whose
    annotator already annotated the task is not sent again. Every file is checked before any is
    sent; a problem in any of them stops everything."""
    from ..core.errors import InvalidDataError
    from .client import push, talking_to
    from .regions import to_results
    decided = [read_decisions(path, layout) for path in paths]
    problems = [p for d in decided for p in d.problems]
    if problems:
        raise InvalidDataError(f"{len(problems)} problem(s) in the decisions files; nothing sent", problems)
    with talking_to(ls):
        project_id = push(layout, title=title, ls=ls, predictions=False).project_id
        tasks = {t.data.get("article_id"): t for t in ls.tasks.list(project=project_id, page_size=100)}
        users = {u.email: u.id for u in ls.users.list()}
        sent = there = 0
        for d in decided:
            email = f"{d.path.stem}@{ANNOTATOR_DOMAIN}"
            if email not in users:
                users[email] = ls.users.create(username=email, email=email).id
            task = tasks[d.article_id]
            done = {a.completed_by for a in ls.annotations.list(id=task.id)}
            if users[email] in done:
                there += 1
                continue
            text = task.data["text"]
            ls.annotations.create(id=task.id, result=to_results(*d.regions(text), text), completed_by=users[email],
                                  was_cancelled=False, ground_truth=False)
            sent += 1
    return SendResult(sent, there)
