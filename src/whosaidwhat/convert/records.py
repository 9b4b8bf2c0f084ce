"""One Label Studio task turned into the records file of its article: each annotation and
prediction is read into regions and relations (``labelstudio.regions``), their offsets checked
against the article text, the relations against the roles they join, and then every layer, in
registration order, makes its records from them (``Layer.to_records``).

Offsets: ``<Text>`` counts code points, as Python does. When a region's text differs from
``text[start:end]``, the stored offsets win if the difference is whitespace Label Studio collapsed;
UTF-16 offsets (from older tools) are converted when that makes the text match; both are reported.
Any other mismatch is an error, never silently shifted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .. import layers
from ..core.problems import Problem
from ..core.taxonomy import load_taxonomy
from ..labelstudio.regions import Region, Relation, read_results
from ..labelstudio.sources import Source
from ..layers.entities import slug
from ..validation.articles import corpus_article_bytes
from ..validation.records import check_records
from ..validation.schema import ANNOTATOR_PATTERN

_NOT_ID = re.compile(r"[^A-Za-z0-9._-]")
_ANNOTATOR = re.compile(ANNOTATOR_PATTERN)


def _utf16_to_code_points(text: str, offset: int) -> int | None:
    units = 0
    for i, char in enumerate(text):
        if units == offset:
            return i
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text) if units == offset else None


def _collapse(text: str) -> str:
    """Whitespace as Label Studio shows it without ``white-space: pre-wrap``: each run one space."""
    return re.sub(r"\s+", " ", text)


def check_offsets(region: Region, text: str, where: str = "") -> tuple[str | None, str | None]:
    """(correction, problem) for one region, each a message that starts with ``where`` (if any) and
    the region; a correction updates the region in place."""
    start, end = region.start, region.end
    label = " ".join(filter(None, (where, f"region {region.id} ({region.layer} {region.label})")))
    in_text = 0 <= start < end <= len(text)
    actual = text[start:end] if in_text else None
    if in_text and (region.text is None or region.text == actual):
        return None, None
    cp_start, cp_end = _utf16_to_code_points(text, start), _utf16_to_code_points(text, end)
    if region.text and cp_start is not None and cp_end is not None and text[cp_start:cp_end] == region.text:
        region.start, region.end = cp_start, cp_end
        return f"{label}: UTF-16 offsets {start}-{end} converted to code points {cp_start}-{cp_end}", None
    if in_text and actual != _collapse(actual) and region.text == _collapse(actual):
        return f"{label}: region text has collapsed whitespace; offsets {start}-{end} kept", None
    if in_text and "\n" in actual and region.text.replace("\\n", "\n") == actual:
        return f"{label}: region text has its line break written as \\n (Label Studio 1.23); offsets {start}-{end} kept", None
    if not in_text:
        return None, f"{label}: offsets {start}-{end} are not a span of the article text (length {len(text)})"
    return None, f"{label}: text[{start}:{end}] is {actual!r}, not the region text {region.text!r}"


@dataclass
class Annotation:
    """One annotation (or prediction) being turned into records: what every layer's ``to_records``
    reads (the checked regions and relations, the records of the layers before it, ``notes`` they
    left) and where it reports problems (``file``: the export; ``where``: task and annotation)."""

    article: dict
    key: str  # "a<annotation id>" or "p<prediction id>": the middle part of every record id
    annotator: str
    origin: str
    file: str
    where: str
    problems: list[Problem]
    regions: dict[str, Region] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    made: dict[str, list[dict]] = field(default_factory=dict)
    notes: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.article["text"]

    @property
    def article_id(self) -> str:
        return self.article["article_id"]

    @property
    def provenance(self) -> dict:
        return {"annotator": self.annotator, "origin": self.origin}

    def of(self, control: str) -> list[Region]:
        """The regions of one <Labels> control, in the order the annotation gave them."""
        return [r for r in self.regions.values() if r.layer == control]

    def rid(self, region_id: str) -> str:
        safe = region_id if region_id.isascii() and region_id.isalnum() else _NOT_ID.sub("_", region_id)
        return f"{self.article_id}:{self.key}:{safe}"

    def span(self, region: Region | None) -> dict | None:
        return None if region is None else {"start": region.start, "end": region.end, "text": self.text[region.start:region.end]}

    def problem(self, message: str) -> None:
        self.problems.append(Problem(self.file, message, record_id=self.where))


def _check_relations(ann: Annotation, relations: list[Relation]) -> list[Relation]:
    """The relations that join the roles their label allows; a problem for each other one."""
    roles = layers.relation_roles()
    good = []
    for rel in relations:
        source, target = ann.regions[rel.from_id], ann.regions[rel.to_id]
        start, end = roles[rel.label]
        if start.matches(source) and end.matches(target):
            good.append(rel)
        else:
            ann.problem(f"relation {rel.from_id}->{rel.to_id}: {rel.label} must go from a {start} region to a "
                        f"{end} region, not from {source.label} to {target.label}")
    return good


def records_from_results(results: Iterable[dict], ann: Annotation, corrections: list[str]) -> dict[str, list[dict]]:
    """Every layer's records of one annotation's results."""
    region_list, relations, problems = read_results(results, load_taxonomy())
    for problem in problems:
        ann.problem(problem)
    for region in region_list:
        correction, problem = check_offsets(region, ann.text)
        if correction:
            corrections.append(f"{ann.file}: {ann.where}: {correction}")
        if problem:
            ann.problem(problem)
        else:
            ann.regions[region.id] = region
    ann.relations = _check_relations(ann, [r for r in relations if r.from_id in ann.regions and r.to_id in ann.regions])
    for layer in layers.registered():
        ann.made[layer.name] = layer.to_records(ann)
    return ann.made


def annotations_of(task: dict, article: dict, file: str, where: str, tally, source: Source) -> Iterator[tuple[list, Annotation]]:
    """(results, Annotation) for every annotation and prediction of a task that becomes records,
    keyed within their source; cancelled annotations and drafts are counted in ``tally``, not
    converted."""
    for ann in task.get("annotations") or []:
        if ann.get("was_cancelled"):
            tally.cancelled += 1
            continue
        annotator = ann.get("completed_by")
        here = f"{where} annotation {ann.get('id')}"
        if not isinstance(annotator, str) or not _ANNOTATOR.fullmatch(annotator):
            tally.problems.append(Problem(file, "is not a pseudonym; pull exports with `whosaidwhat labelstudio pull`",
                                          "/completed_by", here))
            continue
        tally.annotations += 1
        yield ann.get("result") or [], Annotation(article, source.record_key(f"a{ann.get('id')}"), annotator,
                                                  "gold" if ann.get("ground_truth") else "human", file, here, tally.problems)
    for pred in task.get("predictions") or []:
        if not isinstance(pred, dict):
            continue  # an id only: exported without prediction details
        tally.predictions += 1
        yield pred.get("result") or [], Annotation(article, source.record_key(f"p{pred.get('id')}"), f"model:{slug(str(pred.get('model_version') or 'unknown'))}",
                                                   "model", file, f"{where} prediction {pred.get('id')}", tally.problems)
    tally.drafts += len(task.get("drafts") or [])


def mark_support(records: dict[str, list[dict]]) -> None:
    """Give each gold record of an article that human annotators also annotated ``supported_by``:
    the annotators who made the same record (compared as adjudication compares them,
    ``Layer.keys``), whichever source their annotations come from."""
    names = layers.names()
    for layer in names:
        for record in records[layer]:
            if record["origin"] == "gold":
                record.pop("supported_by", None)
    humans = sorted({r["annotator"] for layer in names for r in records[layer] if r["origin"] == "human"})
    if not humans:
        return

    def set_of(annotator: str, origin: str) -> dict:
        return {layer: [r for r in records[layer] if r["annotator"] == annotator and r["origin"] == origin] for layer in names}

    def keys(chosen: dict) -> dict[str, list[tuple]]:
        return {layer.name: layer.keys(chosen[layer.name], chosen) for layer in layers.registered()}
    made = {name: {layer: set(k) for layer, k in keys(set_of(name, "human")).items()} for name in humans}
    for annotator in sorted({r["annotator"] for layer in names for r in records[layer] if r["origin"] == "gold"}):
        gold = set_of(annotator, "gold")
        for layer, layer_keys in keys(gold).items():
            for record, key in zip(gold[layer], layer_keys):
                record["supported_by"] = [name for name in humans if key in made[name][layer]]


def sorted_records(article_id: str, records: dict[str, list[dict]]) -> dict:
    """A records file's content: each layer's records by origin (gold, human, model), annotator,
    then the layer's own order."""
    out: dict = {"article_id": article_id}
    for layer in layers.registered():
        out[layer.name] = sorted(records[layer.name], key=lambda r, order=layer.order: (
            layers.ORIGIN_ORDER[r["origin"]], r["annotator"], *order(r)))
    return out


def task_records(task: dict, article_id: str, file: str, layout, tally, source: Source,
                 kept: dict[str, list[dict]] | None = None) -> tuple[dict | None, bytes]:
    """The records file of one task of ``source``, or None (with the problem reported in
    ``tally``), and the bytes of its article's corpus file. The records are made from checked
    regions, joined to ``kept`` (the article's records from other sources, which this task does not
    speak for), and then checked as validate checks a records file."""
    where = f"task {task.get('id')}"
    article, article_raw = corpus_article_bytes(article_id, layout)
    if article is None:
        tally.problems.append(Problem(file, f"article {article_id} is not in the corpus", "/data/article_id", where))
        return None, b""
    if task["data"].get("text") != article["text"]:
        tally.problems.append(Problem(file, f"differs from the text of article {article_id} in the corpus", "/data/text", where))
        return None, b""
    tally.tasks += 1
    records = layers.empty()
    for layer, items in (kept or {}).items():
        records[layer].extend(items)
    for results, ann in annotations_of(task, article, file, where, tally, source):
        for layer, items in records_from_results(results, ann, tally.corrections).items():
            records[layer].extend(items)
    mark_support(records)
    records = sorted_records(article_id, records)
    if not tally.problems:
        tally.problems.extend(Problem(file, p.message, p.pointer, f"{where} record {p.record_id}" if p.record_id else where)
                              for p in check_records("records", records, article))
    return records, article_raw
