"""The adjudication log: every conflict of an article decided by a reviewer, with the reason, as
data (``annotations/adjudication/<article_id>.json``), and the gold it makes.

``write_logs`` writes, for each article with conflicts, a log listing them (each version with its
annotators and record, ``decision`` and ``reason`` empty) and never overwrites one. The reviewer
fills in each ``decision`` (the indexes of the versions that are right: none, one, or several that
do not exclude each other) and its ``reason``, and, where no version is right but something else is,
``add``: the records that are, written as in a decisions file (``labelstudio.decisions``: spans by
their words; a claim's ``quote`` is the ``id`` of a quote added in the same log). ``gold_of`` then makes the article's gold: the
records every annotator made (accepted) and the versions chosen, their links carried over to the
gold's own records (an entity by its span, a quote by its content spans). ``push_reviews`` sends
that gold to Label Studio as the article's ground-truth annotation, so it comes back through
``pull`` and ``convert`` like any annotation, with ``supported_by``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import layers
from ..core.io import read_json, write_json
from ..core.layout import Layout
from ..core.matching import span_key
from ..core.problems import Problem
from .adjudicate import Adjudication, public
from .measures import article_sets
from ..validation.records import check_records


def log_path(layout: Layout, article_id: str) -> Path:
    return layout.annotations / "adjudication" / f"{article_id}.json"


def write_logs(layout: Layout, result: Adjudication) -> list[Path]:
    """A log to fill in for each article with conflicts that has none yet; the paths written."""
    written = []
    by_article: dict[str, list[dict]] = {}
    for conflict in result.conflicts:
        by_article.setdefault(conflict["article_id"], []).append(conflict)
    for article_id, conflicts in sorted(by_article.items()):
        path = log_path(layout, article_id)
        if path.exists():
            continue
        entries = [{"layer": c["layer"], "versions": public(c)["versions"], "decision": None, "reason": None} for c in conflicts]
        write_json(path, {"article_id": article_id, "reviewer": None, "conflicts": entries}, overwrite=False)
        written.append(path)
    return written


@dataclass
class Gold:
    """An article's gold as a set of records, or the problems that keep the log from making it."""

    article_id: str
    records: dict | None
    problems: list[Problem] = field(default_factory=list)
    unlinked: list[str] = field(default_factory=list)  # links of chosen versions that had no counterpart in the gold


def gold_of(layout: Layout, result: Adjudication, article_id: str) -> Gold:
    """The gold of one adjudicated article: its accepted records and, if it has conflicts, the
    versions its log chose. A log that is incomplete or no longer matches the conflicts is a
    problem (named by JSON pointer), and makes no gold."""
    conflicts = [c for c in result.conflicts if c["article_id"] == article_id]
    chosen: dict[str, list[dict]] = layers.empty()
    path = log_path(layout, article_id)
    file = str(path.relative_to(layout.root)) if path.is_relative_to(layout.root) else str(path)
    problems: list[Problem] = []
    if conflicts:
        if not path.exists():
            return Gold(article_id, None, [Problem(file, f"{len(conflicts)} conflict(s) and no adjudication log: "
                                                         "write one with `whosaidwhat adjudicate --write-logs`", "")])
        log = read_json(path)
        entries = log.get("conflicts") if isinstance(log, dict) else None
        if not isinstance(entries, list) or [public(c)["versions"] for c in conflicts] != [e.get("versions") for e in entries]:
            return Gold(article_id, None, [Problem(file, "its conflicts are not the article's conflicts now (an annotation "
                                                         "changed since it was written): move it aside and write it again", "/conflicts")])
        for i, (conflict, entry) in enumerate(zip(conflicts, entries)):
            decision, reason = entry.get("decision"), entry.get("reason")
            if not isinstance(decision, list) or not all(isinstance(d, int) and 0 <= d < len(conflict["versions"]) for d in decision):
                problems.append(Problem(file, "needs the list of the versions that are right (indexes; [] for none)",
                                        f"/conflicts/{i}/decision"))
            elif any(conflict["versions"][d]["record"] == "absent" for d in decision) and len(decision) > 1:
                problems.append(Problem(file, "chooses \"absent\" together with a record", f"/conflicts/{i}/decision"))
            else:
                for d in decision:
                    if conflict["versions"][d]["record"] != "absent":
                        chosen[conflict["layer"]].append(conflict["versions"][d]["_record"])
            if not isinstance(reason, str) or not reason.strip():
                problems.append(Problem(file, "needs the reason for the decision", f"/conflicts/{i}/reason"))
    added, add_problems = _added(layout, article_id, entries if conflicts else [], file)
    problems.extend(add_problems)
    if problems:
        return Gold(article_id, None, problems)
    for name in layers.names():
        chosen[name].extend(added.get(name, []))
    accepted = result.accepted[article_id]
    gold = Gold(article_id, None)
    article = read_json(layout.article_path(article_id))
    sets = article_sets(read_json(layout.records_path(article_id)), layout, article["text"])
    annotated = {n: [r for one in (sets.sets.values() if sets else ()) for r in one[n]] for n in layers.names()}
    records = _linked(article_id, {n: list(accepted[n]) + chosen[n] for n in layers.names()}, annotated, gold.unlinked)
    gold.problems = list(check_records(file, records, article))
    gold.records = None if gold.problems else records
    return gold


def _added(layout: Layout, article_id: str, entries: list, file: str) -> tuple[dict, list[Problem]]:
    """The records the log's ``add`` lists make (every entry's together, so an added claim can name an
    added quote), and their problems with pointers into the log."""
    from ..labelstudio.decisions import decided_records
    data: dict = {"article_id": article_id}
    where: dict[tuple[str, int], str] = {}
    for i, entry in enumerate(entries):
        adds = entry.get("add") or []
        if not isinstance(adds, list):
            return {}, [Problem(file, "must be a list of records written as in a decisions file", f"/conflicts/{i}/add")]
        for j, item in enumerate(adds):
            listed = data.setdefault(entry["layer"], [])
            where[(entry["layer"], len(listed))] = f"/conflicts/{i}/add/{j}"
            listed.append(item)
    if len(data) == 1:
        return {}, []
    records, problems = decided_records(data, read_json(layout.article_path(article_id)), file, whole=False)
    def moved(problem: Problem) -> Problem:
        parts = problem.pointer.split("/")
        base = where.get((parts[1], int(parts[2]))) if len(parts) > 2 and parts[2].isdigit() else None
        return Problem(problem.file, problem.message, base + "/" + "/".join(parts[3:]) if base and parts[3:] else base or problem.pointer)
    return records or {}, [moved(p) for p in problems]


def _linked(article_id: str, records: dict[str, list[dict]], annotated: dict[str, list[dict]], unlinked: list[str]) -> dict:
    """One record set made of records from several annotators' sets: every link goes to a record
    of this set (an entity by the span of the linking set's mention, a quote by its content), or,
    where the gold has no such record, is dropped and listed in ``unlinked``."""
    entity_by_span = {span_key(m): m["entity_id"] for m in records["entities"]}
    quote_by_content = {tuple(span_key(p) for p in q["content"]): q["quote_id"] for q in records["quotes"]}
    entity_ids = {m["entity_id"] for m in records["entities"]}
    quote_ids = {q["quote_id"] for q in records["quotes"]}
    sources = _sources(annotated)
    out = {"article_id": article_id, **layers.empty()}
    one_set = {"annotator": "reviewer", "origin": "gold"}  # who sends it to Label Studio becomes its annotator
    for mention in records["entities"]:
        out["entities"].append({**mention, **one_set})
    for quote in records["quotes"]:
        quote = {**quote, **one_set}
        entity = quote.get("speaker_entity_id")
        if entity and entity not in entity_ids:
            spans = [span_key(m) for m in sources["entities"].get(entity, [])]
            quote["speaker_entity_id"] = next((entity_by_span[s] for s in spans if s in entity_by_span), None)
            if quote["speaker_entity_id"] is None:
                unlinked.append(f"quote {quote['quote_id']}: speaker entity {entity}")
        out["quotes"].append(quote)
    for claim in records["claims"]:
        claim = {**claim, **one_set}
        if claim.get("quote_id") and claim["quote_id"] not in quote_ids:
            content = sources["quotes"].get(claim["quote_id"])
            claim["quote_id"] = quote_by_content.get(content) if content else None
            if claim["quote_id"] is None:
                unlinked.append(f"claim {claim['claim_id']}: quote")
        out["claims"].append(claim)
    return _one_set(article_id, out)


def _one_set(article_id: str, records: dict) -> dict:
    """The records renumbered as one set (``<article>:g:e1``, ...), links renumbered with them, as
    the one annotation Label Studio will give back."""
    renamed: dict[str, str] = {}
    for layer in layers.registered():
        for i, record in enumerate(records[layer.name], 1):
            new = f"{article_id}:g:{layer.control[0]}{i}"
            renamed[record[layer.id_field]] = new
            record[layer.id_field] = new
    for claim in records["claims"]:
        if claim.get("quote_id"):
            claim["quote_id"] = renamed.get(claim["quote_id"], claim["quote_id"])
    return records


def _sources(records: dict) -> dict:
    """What the annotators' own sets said of the links' targets, to find their counterparts: the
    mentions of each entity id and the content of each quote id, over every annotator's records."""
    mentions: dict[str, list[dict]] = {}
    for m in records["entities"]:
        mentions.setdefault(m["entity_id"], []).append(m)
    return {"entities": mentions,
            "quotes": {q["quote_id"]: tuple(span_key(p) for p in q["content"]) for q in records["quotes"]}}
