"""Convert raw Label Studio exports into standoff records (``annotations/records/``).

Label Studio accepts anything (start > end, unknown labels, unknown controls, relations to nowhere),
so nothing is trusted that was not checked here: regions against the config's labels, per-region
choices against the region they sit on, relations against the roles they join, offsets against the
article text. All problems are collected, each naming the export file, task, annotation and region;
if there is any, nothing is written.

Offsets: ``<Text>`` counts code points, as Python does. When a region's text differs from
``text[start:end]``, the stored offsets win if the difference is whitespace Label Studio collapsed;
UTF-16 offsets (from older tools) are converted when that makes the text match; both are reported.
Any other mismatch is an error, never silently shifted.

>>> report = convert(layout=Layout.find())
>>> report.annotations, report.cancelled
(3, 1)
"""

from __future__ import annotations

import codecs
import os
import re
import shutil
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import ijson
import orjson

from ..validation import cache as verified
from ..core.errors import InvalidDataError, UnusableInputError
from ..core.io import dumpb
from ..core.layout import ARTICLE_ID, Layout
from ..core.locks import exclusive
from ..core.parallel import ordered_map
from ..agreement.matching import record_keys
from ..core.records import LAYERS
from ..labelstudio.regions import Region, Relation, read_results
from ..validation.schema import ANNOTATOR_PATTERN
from ..core.taxonomy import load_taxonomy
from ..validation.checks import check_records, corpus_article_bytes, record_count

ORIGIN_ORDER = {"gold": 0, "human": 1, "model": 2}
RELATION_ROLES = {  # relation -> ((layer, label or None), (layer, label or None))
    "speaker_of": (("quote", "speaker"), ("quote", "content")),
    "cue_of": (("quote", "cue"), ("quote", "content")),
    "made_in": (("claim", "claim"), ("quote", "content")),
    "refers_to": (("quote", "speaker"), ("entity", None)),
}


@dataclass(kw_only=True, slots=True)
class Tally:
    """Counts, offset corrections and problems: of one task, or summed over a conversion."""

    tasks: int = 0
    annotations: int = 0
    predictions: int = 0
    cancelled: int = 0
    drafts: int = 0
    corrections: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for name in ("tasks", "annotations", "predictions", "cancelled", "drafts"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.corrections.extend(other.corrections)
        self.problems.extend(other.problems)


@dataclass(kw_only=True, slots=True)
class ConvertReport(Tally):
    exports: int = 0
    written: list[str] = field(default_factory=list)  # the articles whose records files were written

    def summary(self) -> str:
        return (f"{self.exports} export(s), {self.tasks} task(s): {self.annotations} annotation(s) and "
                f"{self.predictions} prediction(s) converted, {self.cancelled} cancelled and {self.drafts} "
                f"draft(s) skipped, {len(self.corrections)} offset correction(s), {len(self.written)} file(s) written")


_QID, _NOT_SLUG, _NOT_ID = re.compile(r"Q[1-9][0-9]*"), re.compile(r"[^a-z0-9._-]+"), re.compile(r"[^A-Za-z0-9._-]")
_ANNOTATOR = re.compile(ANNOTATOR_PATTERN)


@lru_cache(maxsize=1 << 16)
def _slug(value: str) -> str:
    """An entity key as an id part. Remembered: the same names recur in every article."""
    if _QID.fullmatch(value):
        return value
    return _NOT_SLUG.sub("-", value.lower()).strip("-.") or "x"


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


def check_offsets(region: Region, text: str, where: str) -> tuple[str | None, str | None]:
    """(correction, problem) for one region; a correction updates the region in place."""
    start, end = region.start, region.end
    label = f"{where} region {region.id} ({region.layer} {region.label})"
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
class _Set:
    """One annotation (or prediction) being turned into records."""

    article: dict
    key: str
    annotator: str
    origin: str
    where: str
    problems: list[str]

    def rid(self, region_id: str) -> str:
        safe = region_id if region_id.isascii() and region_id.isalnum() else _NOT_ID.sub("_", region_id)
        return f"{self.article['article_id']}:{self.key}:{safe}"

    def provenance(self) -> dict:
        return {"annotator": self.annotator, "origin": self.origin}


def _check_relations(s: _Set, regions: dict[str, Region], relations: list[Relation]) -> list[Relation]:
    good = []
    for rel in relations:
        source, target = regions[rel.from_id], regions[rel.to_id]
        (from_layer, from_label), (to_layer, to_label) = RELATION_ROLES[rel.label]
        if (source.layer, source.label if from_label else None) != (from_layer, from_label) or \
                (target.layer, target.label if to_label else None) != (to_layer, to_label):
            s.problems.append(f"{s.where} relation {rel.from_id}->{rel.to_id}: {rel.label} must go from a "
                              f"{from_label or from_layer} region to a {to_label or to_layer} region, not from "
                              f"{source.label} to {target.label}")
        else:
            good.append(rel)
    return good


def _entities(s: _Set, regions: list[Region]) -> list[dict]:
    article_id = s.article["article_id"]
    out = []
    for r in regions:
        key = _slug(r.entity_key or r.text or s.article["text"][r.start:r.end])
        out.append({"mention_id": s.rid(r.id), "article_id": article_id, "start": r.start, "end": r.end,
                    "text": s.article["text"][r.start:r.end], "label": r.label, "entity_id": f"{article_id}:{key}",
                    "wikidata_qid": key if key.startswith("Q") else None, **s.provenance()})
    return out


def _span(region: Region | None, text: str) -> dict | None:
    return None if region is None else {"start": region.start, "end": region.end, "text": text[region.start:region.end]}


def _quotes(s: _Set, regions: dict[str, Region], relations: list[Relation], mentions: list[dict]) -> tuple[list[dict], dict[str, str]]:
    """Quotes, and the quote id of each content region. Content regions sharing a cue are one quote."""
    text = s.article["text"]
    incoming: dict[str, dict[str, list[Region]]] = defaultdict(lambda: defaultdict(list))
    for rel in relations:
        incoming[rel.to_id][rel.label].append(regions[rel.from_id])
    linked = {rel.from_id for rel in relations if rel.label in ("speaker_of", "cue_of")}
    for r in regions.values():
        if r.layer == "quote" and r.label in ("speaker", "cue") and r.id not in linked:
            s.problems.append(f"{s.where} region {r.id}: {r.label} {r.text!r} is not linked to any content ({r.label}_of)")
    contents = sorted((r for r in regions.values() if r.layer == "quote" and r.label == "content"), key=lambda r: r.start)
    groups: dict[str, list[Region]] = {}
    for c in contents:
        cues = incoming[c.id]["cue_of"]
        if len(cues) > 1:
            s.problems.append(f"{s.where} region {c.id}: content has {len(cues)} cues; a quote has one")
        groups.setdefault(cues[0].id if cues else c.id, []).append(c)
    quotes, quote_of = [], {}
    for pieces in groups.values():
        quote_id = s.rid(pieces[0].id)
        speakers = {r.id: r for c in pieces for r in incoming[c.id]["speaker_of"]}
        cues = {r.id: r for c in pieces for r in incoming[c.id]["cue_of"]}
        kinds = {name: {c.choices[name] for c in pieces if name in c.choices} for name in ("quote_kind", "speaker_kind")}
        for name, values in kinds.items():
            if len(values) != 1:
                s.problems.append(f"{s.where} region {pieces[0].id}: quote {text[pieces[0].start:pieces[0].end][:40]!r} needs "
                                  f"one {name}, has {sorted(values) or 'none'}")
        if len(speakers) > 1:
            s.problems.append(f"{s.where} region {pieces[0].id}: quote has {len(speakers)} speakers; a quote has one")
        speaker = next(iter(speakers.values()), None)
        for c in pieces:
            quote_of[c.id] = quote_id
        quotes.append({
            "quote_id": quote_id, "article_id": s.article["article_id"],
            "kind": next(iter(kinds["quote_kind"]), None), "content": [_span(c, text) for c in pieces],
            "cue": _span(next(iter(cues.values()), None), text), "speaker": _span(speaker, text),
            "speaker_kind": next(iter(kinds["speaker_kind"]), None),
            "speaker_entity_id": _speaker_entity(speaker, next(iter(kinds["speaker_kind"]), None), relations, mentions, s),
            **s.provenance()})
    return quotes, quote_of


def _speaker_entity(speaker: Region | None, kind: str | None, relations, mentions: list[dict], s: _Set) -> str | None:
    """The entity a speaker is: by a refers_to relation, else, for a named speaker, the longest
    entity mention inside the speaker span. An anonymous speaker's affiliation ("White House
    officials") is not the speaker, so it is not linked unless the annotator says so."""
    if speaker is None:
        return None
    targets = [rel.to_id for rel in relations if rel.label == "refers_to" and rel.from_id == speaker.id]
    if targets:
        mention_id = s.rid(targets[0])
        return next(m["entity_id"] for m in mentions if m["mention_id"] == mention_id)
    if kind not in ("named_person", "named_organization"):
        return None
    inside = [m for m in mentions if speaker.start <= m["start"] and m["end"] <= speaker.end]
    return max(inside, key=lambda m: m["end"] - m["start"])["entity_id"] if inside else None


def _claims(s: _Set, regions: dict[str, Region], relations: list[Relation], quote_of: dict[str, str]) -> list[dict]:
    """Claims; a claim is made in the quote its made_in relation points to, else in the quote whose
    content contains it."""
    text = s.article["text"]
    made_in = {rel.from_id: quote_of.get(rel.to_id) for rel in relations if rel.label == "made_in"}
    contents = sorted((r for r in regions.values() if r.layer == "quote" and r.label == "content"),
                      key=lambda c: c.end - c.start)  # innermost first
    out = []
    for r in sorted((r for r in regions.values() if r.layer == "claim"), key=lambda r: r.start):
        for name in ("claim_type", "checkworthiness"):
            if name not in r.choices:
                s.problems.append(f"{s.where} region {r.id}: claim {text[r.start:r.end][:40]!r} has no {name}")
        inside = [quote_of[c.id] for c in contents if c.start <= r.start and r.end <= c.end and c.id in quote_of]
        out.append({"claim_id": s.rid(r.id), "article_id": s.article["article_id"], "start": r.start, "end": r.end,
                    "text": text[r.start:r.end], "claim_type": r.choices.get("claim_type"),
                    "checkworthiness": r.choices.get("checkworthiness"),
                    "quote_id": made_in.get(r.id) or (inside[0] if inside else None), **s.provenance()})
    return out


def records_from_results(results: Iterable[dict], s: _Set, corrections: list[str]) -> dict[str, list[dict]]:
    """The entities, quotes and claims of one annotation's results."""
    region_list, relations, problems = read_results(results, load_taxonomy())
    s.problems.extend(f"{s.where} {p}" for p in problems)
    regions = {}
    for region in region_list:
        correction, problem = check_offsets(region, s.article["text"], s.where)
        if correction:
            corrections.append(correction)
        if problem:
            s.problems.append(problem)
        else:
            regions[region.id] = region
    relations = _check_relations(s, regions, [r for r in relations if r.from_id in regions and r.to_id in regions])
    entities = _entities(s, sorted((r for r in regions.values() if r.layer == "entity"), key=lambda r: (r.start, r.end)))
    quotes, quote_of = _quotes(s, regions, relations, entities)
    return {"entities": entities, "quotes": quotes, "claims": _claims(s, regions, relations, quote_of)}


MAX_EXPORT_BYTES = 64 * 1024**3  # exports are streamed, so memory does not grow with this; still a clear limit


def _utf8_error(path: Path) -> str | None:
    """Where a file stops being UTF-8, if it does (checked only after a parse error, to name it)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as e:
                return f"not UTF-8 text ({e.reason} at byte {offset + e.start})"
            offset += len(chunk)
    return None


def _check_export(path: Path) -> None:
    """Refuse, before anything is converted, an export that is missing, too large or not a list."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UnusableInputError(path, "no such file") from None
    if size > MAX_EXPORT_BYTES:
        raise UnusableInputError(path, f"is {size:,} bytes, over the limit of {MAX_EXPORT_BYTES:,} for one export")
    with open(path, "rb") as f:
        if not f.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
            raise UnusableInputError(path, _utf8_error(path) or "not a Label Studio JSON export (a list of tasks)")


def iter_tasks(path: Path) -> Iterator[tuple[int, dict]]:
    """(position, task) of each task of a Label Studio JSON export, parsed as a stream (ijson's C
    backend): memory holds one task at a time, whatever the size or layout of the export."""
    _check_export(path)
    with open(path, "rb") as f:
        try:
            yield from enumerate(ijson.items(f, "item", use_float=True))
        except (ijson.JSONError, UnicodeDecodeError) as e:
            raise UnusableInputError(path, _utf8_error(path) or f"broken JSON: {e}") from None


CHUNK_BYTES = 8 * 1024 * 1024  # one piece of an export for one worker (small enough that the workers finish together)


class _NotOneTaskPerLine(Exception):
    """The export is not laid out one task per line after all: read it as a general JSON stream."""


@dataclass(kw_only=True, slots=True)
class _Outcome(Tally):  # slots: the parent keeps one per article until the end
    """What converting one task gave, and whether its records file was written."""

    article_id: str | None
    order: tuple[int, int]  # (export number, position or byte offset): the newest version wins
    written: bool = False
    key: bytes | None = None  # the written file's key in the cache of checked files (it passed every check)
    records: int = 0


@dataclass
class _Piece:
    """The outcomes of one byte range of an export laid out one task per line, and what the parent
    needs to check that the ranges together are one JSON array."""

    outcomes: list[_Outcome]
    first_line: bool = False  # the range starts with the opening "["
    closed: bool = False  # the range ends with the closing "]"
    task_lines: int = 0
    last_has_comma: bool = False


def one_task_per_line(path: Path) -> bool:
    """Whether an export is laid out as ``pull`` writes it: "[" alone on the first line, then one
    task per line. JSON strings cannot hold a raw line break, so such a file can be cut at any line
    break and its pieces parsed in parallel; the pieces prove the layout as they are read."""
    with open(path, "rb") as f:
        first, second = f.readline(64).strip(b"\xef\xbb\xbf \t\r\n"), f.readline().strip()
    return first == b"[" and second.startswith(b"{") and second.endswith((b"}", b"},"))


def _task_lines(path: Path, lo: int, hi: int, piece: _Piece) -> Iterator[tuple[int, dict]]:
    """(byte offset, task) of the lines that start in [lo, hi)."""
    with open(path, "rb") as f:
        f.seek(lo)
        offset = lo
        for line in f:
            if offset >= hi:
                break
            here, offset = offset, offset + len(line)
            body = line.strip(b"\xef\xbb\xbf \t\r\n") if here == 0 else line.strip()
            if here == 0 and body == b"[":
                piece.first_line = True
                continue
            if body == b"]" and not piece.closed:
                piece.closed = True
                continue
            if piece.closed or (here == 0 and body != b"["):
                if body:
                    raise _NotOneTaskPerLine
                continue
            if piece.task_lines and not piece.last_has_comma:
                raise _NotOneTaskPerLine
            piece.last_has_comma = body.endswith(b",")
            try:
                task = orjson.loads(body[:-1] if piece.last_has_comma else body)
            except orjson.JSONDecodeError:
                raise _NotOneTaskPerLine from None
            piece.task_lines += 1
            yield here, task


def _pieces(path: Path) -> list[tuple[int, int]]:
    """Byte ranges of about CHUNK_BYTES, each starting at a line."""
    size = path.stat().st_size
    bounds = [0]
    with open(path, "rb") as f:
        while bounds[-1] + CHUNK_BYTES < size:
            f.seek(bounds[-1] + CHUNK_BYTES)
            f.readline()
            if f.tell() >= size:
                break
            bounds.append(f.tell())
    bounds.append(size)
    return list(zip(bounds, bounds[1:]))


def _pieces_are_one_array(pieces: list[_Piece]) -> bool:
    """The pieces together are "[", task lines with a comma after all but the last, "]"."""
    lines = [p for p in pieces if p.task_lines]
    return (pieces[0].first_line and pieces[-1].closed and all(not p.closed for p in pieces[:-1])
            and all(p.last_has_comma for p in lines[:-1]) and (not lines or not lines[-1].last_has_comma))


@dataclass(frozen=True)
class _Job:
    """Everything a worker needs to convert one range of one export."""

    layout: Layout
    fresh: Path
    path: Path
    number: int
    lo: int
    hi: int


def _convert_piece(job: _Job) -> _Piece:
    piece = _Piece([])
    try:
        for offset, task in _task_lines(job.path, job.lo, job.hi, piece):
            piece.outcomes.append(_convert_task(task, job.layout, job.fresh, job.path, (job.number, offset), f"task at byte {offset}"))
    except _NotOneTaskPerLine:
        piece.first_line = False  # makes the layout check fail: the export is read as a stream instead
    return piece


def _convert_task(task, layout: Layout, fresh: Path, path: Path, order: tuple[int, int], at: str) -> _Outcome:
    """Convert one task and write its records file into the fresh folder (if it has no problem)."""
    data = task.get("data") if isinstance(task, dict) else None
    article_id = data.get("article_id") if isinstance(data, dict) else None
    if not isinstance(article_id, str) or not ARTICLE_ID.match(article_id):
        return _Outcome(article_id=None, order=order, problems=[f"{path}: {at}/data/article_id {article_id!r} is not an article id "
                                               f"(wsw- and 16 hex digits)"])
    outcome = _Outcome(article_id=article_id, order=order)
    records, article_raw = _task_records(task, article_id, path, layout, outcome)
    if records is not None and not outcome.problems:
        name, blob = f"{article_id}.json", dumpb(records)
        _write_new(fresh / name, blob)
        outcome.written = True
        outcome.key = verified.records_key(name, blob, article_raw)
        outcome.records = record_count(records)
    return outcome


def _write_new(path: Path, blob: bytes) -> None:
    """Write ``blob`` as a new file at ``path``. The fresh folder starts as hard links to the current
    records files: writing into one would change the committed file as well, even when the
    conversion then fails."""
    with suppress(FileNotFoundError):
        os.unlink(path)
    with open(path, "xb") as f:
        f.write(blob)


def _outcomes(path: Path, number: int, layout: Layout, fresh: Path, jobs: int | None) -> Iterator[_Outcome]:
    """The outcome of every task of one export: in parallel pieces when it is laid out one task per
    line (a later duplicate of an article is converted again at the end, so the newest version's
    file is the one left), else from one stream."""
    if one_task_per_line(path):
        ranges = _pieces(path)
        work = [_Job(layout, fresh, path, number, lo, hi) for lo, hi in ranges]
        pieces = list(ordered_map(_convert_piece, work, jobs=jobs, chunksize=1, per_job=1))
        if _pieces_are_one_array(pieces):
            seen: dict[str, int] = {}
            for piece in pieces:
                for outcome in piece.outcomes:
                    seen[outcome.article_id] = seen.get(outcome.article_id, 0) + 1
            for piece in pieces:
                for outcome in piece.outcomes:
                    if seen.get(outcome.article_id, 0) > 1 and outcome.written:
                        with open(path, "rb") as f:  # rewrite it in order: the last version wins
                            f.seek(outcome.order[1])
                            _convert_task(orjson.loads(f.readline().strip().rstrip(b",")), layout, fresh, path, outcome.order,
                                          f"task at byte {outcome.order[1]}")
                    yield outcome
            return
    for position, task in iter_tasks(path):
        yield _convert_task(task, layout, fresh, path, (number, position), f"/{position}")


def convert(paths: Iterable[Path] | None = None, *, layout: Layout, jobs: int | None = 1, cache: bool = True) -> ConvertReport:
    """Turn exports (default: every ``export-*.json`` under ``annotations/labelstudio/``) into one
    records file per article, from the newest version of its task (exports are named by UTC time).
    Exports are read as streams, in pieces over ``jobs`` processes (None: every CPU) when laid out
    one task per line, and records are written as they are made into a new folder that replaces
    ``records/`` only if every export converted cleanly: nothing is written otherwise. Every file
    written is checked as validate checks it; with ``cache`` it is entered in the cache of checked
    files (``verified``), so validate and build do not check it again."""
    report = ConvertReport()
    files = sorted((Path(p) for p in paths) if paths is not None else layout.labelstudio_exports.rglob("export-*.json"),
                   key=lambda p: p.name)
    for path in files:
        _check_export(path)
    with exclusive(layout.annotations, "convert"):
        recover_records(layout)
        fresh = _fresh_records(layout)
        try:
            latest: dict[str, _Outcome] = {}
            unplaced: list[_Outcome] = []
            for number, path in enumerate(files):
                report.exports += 1
                for outcome in _outcomes(path, number, layout, fresh, jobs):
                    if outcome.article_id is None:
                        unplaced.append(outcome)
                    else:
                        latest.pop(outcome.article_id, None)
                        latest[outcome.article_id] = outcome
            for outcome in [*unplaced, *latest.values()]:
                report.add(outcome)
                if outcome.written:
                    report.written.append(outcome.article_id)
            if report.problems:
                raise InvalidDataError(f"{len(report.problems)} problem(s) in the Label Studio exports; no records written",
                                       report.problems)
            os.sync()  # the files were written without a flush each; all reach the disk before the swap
            _swap_records(layout, fresh)
            if cache:
                passed = verified.Passed()
                for o in latest.values():
                    if o.written and o.key:
                        passed.add_records(o.key, o.records)
                verified.remember(layout, passed)
        finally:
            shutil.rmtree(fresh, ignore_errors=True)
    return report


def _sets_of(task: dict, article: dict, where: str, report: Tally):
    """(results, _Set) for every annotation and prediction of a task that becomes records."""
    for ann in task.get("annotations") or []:
        if ann.get("was_cancelled"):
            report.cancelled += 1
            continue
        annotator = ann.get("completed_by")
        here = f"{where} annotation {ann.get('id')}"
        if not isinstance(annotator, str) or not _ANNOTATOR.fullmatch(annotator):
            report.problems.append(f"{here}: /completed_by is not a pseudonym; pull exports with `whosaidwhat labelstudio pull`")
            continue
        report.annotations += 1
        yield ann.get("result") or [], _Set(article, f"a{ann.get('id')}", annotator,
                                             "gold" if ann.get("ground_truth") else "human", here, report.problems)
    for pred in task.get("predictions") or []:
        if not isinstance(pred, dict):
            continue  # an id only: exported without prediction details
        report.predictions += 1
        yield pred.get("result") or [], _Set(article, f"p{pred.get('id')}", f"model:{_slug(str(pred.get('model_version') or 'unknown'))}",
                                             "model", f"{where} prediction {pred.get('id')}", report.problems)
    report.drafts += len(task.get("drafts") or [])


def _task_records(task: dict, article_id: str, path: Path, layout: Layout, outcome: _Outcome) -> tuple[dict | None, bytes]:
    """The records file of one task, or None (with the problem reported), and the bytes of its
    article's corpus file."""
    where = f"{path.name} task {task.get('id')}"
    article, article_raw = corpus_article_bytes(article_id, layout)
    if article is None:
        outcome.problems.append(f"{where}: article {article_id} is not in the corpus")
        return None, b""
    if task["data"].get("text") != article["text"]:
        outcome.problems.append(f"{where}: /data/text differs from the text of article {article_id} in the corpus")
        return None, b""
    outcome.tasks += 1
    records = {layer: [] for layer in LAYERS}
    for results, s in _sets_of(task, article, where, outcome):
        for layer, items in records_from_results(results, s, outcome.corrections).items():
            records[layer].extend(items)
    _mark_support(records)
    records = {"article_id": article_id, **{layer: sorted(items, key=_order) for layer, items in records.items()}}
    if not outcome.problems:  # made from checked regions; the records themselves are checked too
        outcome.problems.extend(f"{where}: {problem}" for problem in check_records("records", records, article))
    return records, article_raw


def _fresh_records(layout: Layout) -> Path:
    """A new records folder holding a copy of the current files, to be completed and swapped in."""
    fresh = layout.annotations / f".records.new-{os.getpid()}"
    shutil.rmtree(fresh, ignore_errors=True)
    if layout.records.exists():  # linked, not copied: files are replaced, never written in place
        shutil.copytree(layout.records, fresh, copy_function=_link_or_copy)
    fresh.mkdir(parents=True, exist_ok=True)
    return fresh


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copy2(source, target)


def _swap_records(layout: Layout, fresh: Path) -> None:
    """Put ``fresh`` in the place of ``records/``. Killed between the two renames, the old folder
    waits beside it and ``recover_records`` puts it back."""
    old = layout.annotations / f".records.old-{os.getpid()}"
    if layout.records.exists():
        os.rename(layout.records, old)
    os.rename(fresh, layout.records)
    shutil.rmtree(old, ignore_errors=True)


def recover_records(layout: Layout) -> None:
    """After an interrupted convert: put back a records folder moved aside, drop a half-written one."""
    for stale in layout.annotations.glob(".records.new-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for old in sorted(layout.annotations.glob(".records.old-*")):
        if layout.records.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(old, layout.records)


def _mark_support(records: dict[str, list[dict]]) -> None:
    """Give each gold record of a task that human annotators also annotated ``supported_by``: the
    annotators who made the same record (compared as adjudication compares them)."""
    humans = sorted({r["annotator"] for layer in LAYERS for r in records[layer] if r["origin"] == "human"})
    if not humans:
        return
    def set_of(annotator: str, origin: str) -> dict:
        return {layer: [r for r in records[layer] if r["annotator"] == annotator and r["origin"] == origin] for layer in LAYERS}
    made = {name: {layer: set(keys) for layer, keys in record_keys(set_of(name, "human")).items()} for name in humans}
    for annotator in sorted({r["annotator"] for layer in LAYERS for r in records[layer] if r["origin"] == "gold"}):
        gold = set_of(annotator, "gold")
        for layer, keys in record_keys(gold).items():
            for record, key in zip(gold[layer], keys):
                record["supported_by"] = [name for name in humans if key in made[name][layer]]


def _order(record: dict) -> tuple:
    if "content" in record:
        return ORIGIN_ORDER[record["origin"]], record["annotator"], record["content"][0]["start"], record["quote_id"]
    rid = record["mention_id"] if "mention_id" in record else record["claim_id"]
    return ORIGIN_ORDER[record["origin"]], record["annotator"], record["start"], rid
