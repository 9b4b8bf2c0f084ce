"""Validate: the corpus and every annotation file, first each record against its JSON Schema, then
integrity across records. Every problem is reported, none stops the run. A records file that
passed before, unchanged, with its article and the checking code unchanged, is not checked again
(``verified``, the cache of checked files).

A ``Problem`` names the file, the record id and the JSON pointer of the field, so a report reads
``annotations/records/wsw-....json: wsw-...:a3:q2 /content/0/end: ...``.

>>> report = validate()            # the whole repository
>>> report.ok, report.exit_code
(True, 0)
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from jsonschema.exceptions import ValidationError

from . import cache as verified
from ..core.errors import UnusableInputError
from ..core.problems import Problem
from ..corpus.ingest import text_sha256
from ..core.io import loads, read_bytes
from ..core.layout import ARTICLE_ID, Layout, checked_id
from ..core.parallel import ordered_map
from .schema import fast_validator, validator

LAYERS = {"entities": "mention_id", "quotes": "quote_id", "claims": "claim_id"}


@dataclass
class Report:
    files: int = 0
    records: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def exit_code(self) -> int:
        """0 clean, 1 invalid data, 2 a file could not be used at all."""
        if any(p.unusable for p in self.problems):
            return 2
        return 1 if self.problems else 0


def format_human(report: Report) -> str:
    lines = [str(p) for p in report.problems]
    verdict = "valid" if report.ok else f"{len(report.problems)} problem(s)"
    lines.append(f"{report.files} file(s), {report.records} record(s): {verdict}")
    return "\n".join(lines)


def format_json(report: Report) -> str:
    return json.dumps({"ok": report.ok, "files": report.files, "records": report.records,
                       "problems": [asdict(p) for p in report.problems]}, ensure_ascii=False, indent=2)


FORMATTERS = {"human": format_human, "json": format_json}


def _pointer(parts: Iterable) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _rel(path: str | Path, layout: Layout) -> str:
    """``path`` relative to the repository root, as problems name files. A path under the root as
    given is cut as a string (this runs for every file of a hundred thousand; ``Path`` arithmetic
    and ``resolve`` took a third of a cached validate)."""
    text, root = os.fspath(path), os.path.join(layout.root, "")
    if text.startswith(root):
        return text[len(root):]
    path = Path(path)
    for child, root in ((path, layout.root), (path.resolve(), layout.root.resolve())):
        try:
            return str(child.relative_to(root))
        except ValueError:
            pass
    return str(path)


def _schema_problems(file: str, data, schema: str, id_of) -> Iterator[Problem]:
    """Every schema error of ``data``, each with the id of the record it is in. The compiled
    validator clears valid data; the reference one words the errors of invalid data."""
    if fast_validator(schema).is_valid(data):
        return
    for error in sorted(validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path)):
        yield Problem(file, _schema_message(error), _pointer(error.absolute_path), id_of(list(error.absolute_path)))


def _schema_message(error: ValidationError) -> str:
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown field(s)")
    if error.validator == "required":
        return error.message.replace("is a required property", "is missing")
    return error.message


def _collect(paths: Iterable[Path] | None, layout: Layout) -> tuple[list[str], list[str]]:
    """Article files and annotation-record files to check, as path strings (a hundred thousand
    ``Path`` objects take tens of megabytes). A path under ``corpus/`` is an article, anything else
    is a records file; folders are searched for ``*.json``."""
    if paths is None:
        return _json_files(layout.corpus), _json_files(layout.records)
    files: list[Path] = []
    for path in map(Path, paths):
        # sorted in Path's order, the parts of each path computed once (Path's own comparison recomputes them)
        files.extend(sorted(path.rglob("*.json"), key=lambda p: p.parts) if path.is_dir() else [path])
    corpus = layout.corpus.resolve()
    resolved = {parent: parent.resolve() for parent in {p.parent for p in files}}  # once per folder, not per file
    where = [corpus == resolved[p.parent] or corpus in resolved[p.parent].parents for p in files]
    return [str(p) for p, a in zip(files, where) if a], [str(p) for p, a in zip(files, where) if not a]


def _json_files(folder: Path) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(".json"))
    except FileNotFoundError:
        return []
    return [os.path.join(folder, name) for name in names]


def validate(paths: Iterable[Path] | None = None, *, layout: Layout | None = None, jobs: int | None = 1,
             cache: bool = True) -> Report:
    """Check ``paths`` (default: the corpus and every records file of the repository), over
    ``jobs`` processes (None: every CPU); the report is the same whatever ``jobs`` is, and with or
    without the ``cache`` of files that passed before."""
    layout = layout or Layout.find()
    report = Report()
    for problem in iter_problems(paths, layout=layout, report=report, jobs=jobs, cache=cache):
        report.problems.append(problem)
    return report


@dataclass
class _Checked:
    """What checking one file found; the parent adds the checks that compare files."""

    problems: list[Problem]
    records: int = 0
    article_id: str | None = None
    text_sha256: bytes | None = None
    key: bytes | None = None  # the file's key in the cache of checked files, if it passed its own checks


def iter_problems(paths: Iterable[Path] | None = None, *, layout: Layout,
                  report: Report | None = None, jobs: int | None = 1, cache: bool = True) -> Iterator[Problem]:
    """Yield every problem of the given files, file by file. Each file is checked on its own (an
    article against the corpus file it names), so memory holds one file at a time; only article
    ids and text digests are kept, to find duplicates across files. With ``cache``, records files
    that passed before, unchanged and with their article unchanged, are not checked again
    (``verified``); those that pass are entered."""
    report = report or Report()
    article_files, record_files = _collect(paths, layout)
    ids_seen: dict[str, int] = {}
    texts_seen: dict[bytes, str] = {}
    if cache:
        verified.code_digest()  # computed once here: forked workers share it
    passed = verified.Passed()
    for i, checked in enumerate(ordered_map(partial(_check_article_file, layout=layout, cache=cache), article_files, jobs=jobs)):
        report.files += 1
        report.records += checked.records
        yield from checked.problems
        if checked.article_id is None:
            continue
        if checked.key is not None:
            passed.add_article(checked.key, checked.text_sha256)
        article_id = checked.article_id
        if ids_seen.setdefault(article_id, i) != i:
            yield Problem(_rel(Path(article_files[i]), layout), f"article_id {article_id} is also used by "
                          f"{_rel(Path(article_files[ids_seen[article_id]]), layout)}", "/article_id", article_id)
        other = texts_seen.setdefault(checked.text_sha256, article_id)
        if other != article_id:
            yield Problem(_rel(Path(article_files[i]), layout), f"same text as article {other}", "/text_sha256", article_id)
    for checked in ordered_map(partial(_check_records_file, layout=layout, cache=cache), record_files, jobs=jobs):
        report.files += 1
        report.records += checked.records
        if checked.key is not None:
            passed.add_records(checked.key, checked.records)
        yield from checked.problems
    if cache:
        verified.remember(layout, passed, only=paths is None)


def _unusable(file: str, error: UnusableInputError) -> Problem:
    return Problem(file, error.detail, line=error.line, unusable=True)


def _check_article_file(path: str, layout: Layout, cache: bool = False) -> _Checked:
    """An article file's own checks; with ``cache``, none for a file that passed them unchanged
    (its id is then its file name, and its text digest comes from the cache)."""
    file = _rel(path, layout)
    try:
        raw = read_bytes(path)
    except UnusableInputError as e:
        return _Checked([_unusable(file, e)])
    name = os.path.basename(path)
    key = verified.article_key(name, raw) if cache else None
    digest = verified.entries(layout).article(key) if cache else None
    if digest is not None:
        return _Checked([], 1, os.path.splitext(name)[0], digest, key)
    try:
        data = loads(raw, path)
    except UnusableInputError as e:
        return _Checked([_unusable(file, e)])
    article_id = data.get("article_id") if isinstance(data, dict) else None
    problems = list(_schema_problems(file, data, "article", lambda _: article_id))
    if problems:
        return _Checked(problems, 1)
    if name != f"{article_id}.json":
        problems.append(Problem(file, f"file name must be {article_id}.json, after the article_id", "/article_id", article_id))
    text = data["text"]
    if data["text_sha256"] != text_sha256(text):
        problems.append(Problem(file, "does not match the sha256 of the text", "/text_sha256", article_id))
    if "\r" in text or not unicodedata.is_normalized("NFC", text):
        problems.append(Problem(file, "text must be Unicode NFC with \\n newlines (run it through ingest)", "/text", article_id))
    if (data["published_date"] is None) != (data["published_date_source"] is None):
        problems.append(Problem(file, "must be null exactly when published_date is null", "/published_date_source", article_id))
    return _Checked(problems, 1, article_id, bytes.fromhex(data["text_sha256"]), key if not problems else None)


def corpus_article_bytes(article_id: str, layout: Layout, raw: bytes | None = None) -> tuple[dict | None, bytes | None]:
    """The article a records file refers to (its corpus file, if readable and valid) and the bytes
    of that file (if readable; ``raw``: already read)."""
    path = _article_file(layout, checked_id(article_id))
    try:
        raw = raw or read_bytes(path)
        data = loads(raw, path)
    except (UnusableInputError, ValueError):
        return None, None
    if not isinstance(data, dict) or data.get("article_id") != article_id or not fast_validator("article").is_valid(data):
        return None, raw
    return data, raw


def _record_id(data, parts: list) -> str | None:
    """The id of the record a schema error sits in, if the error is inside one."""
    if len(parts) >= 2 and parts[0] in LAYERS and isinstance(data, dict):
        try:
            record = data[parts[0]][parts[1]]
            return record.get(LAYERS[parts[0]]) if isinstance(record, dict) else None
        except (IndexError, KeyError, TypeError):
            return None
    return None


def _check_records_file(path: str, layout: Layout, cache: bool) -> _Checked:
    checked = read_checked_records(path, layout, cache=cache, parse=False)
    return _Checked(checked.problems, checked.records, key=checked.key)


@dataclass
class RecordsFile:
    """A records file as read and checked: its data (None if unreadable or not parsed), its corpus
    article, every problem, its number of records and, if it passed, its key in the cache."""

    data: object
    article: dict | None
    problems: list[Problem]
    records: int = 0
    key: bytes | None = None
    cached: bool = False  # known to the cache, not checked here


def read_checked_records(path: str | Path, layout: Layout, *, cache: bool = False, parse: bool = True,
                         entries: verified.Entries | None = None) -> RecordsFile:
    """A records file, the corpus article it refers to, and every problem of the file (for build,
    which checks each file in the pass that reads it). With ``cache``, a file the cache of checked
    files knows (``verified``; ``entries``: the cache, if already opened) is not checked again, and
    not even parsed unless ``parse``. Paths are strings here: this runs for every file."""
    path = os.fspath(path)
    file = _rel(path, layout)
    try:
        raw = read_bytes(path)
    except UnusableInputError as e:
        return RecordsFile(None, None, [_unusable(file, e)])
    name = os.path.basename(path)
    stem = os.path.splitext(name)[0]
    article_raw, key = None, None
    if cache and ARTICLE_ID.match(stem):
        article_path = _article_file(layout, stem)
        try:
            article_raw = read_bytes(article_path)
        except UnusableInputError:
            pass
        key = article_raw and verified.records_key(name, raw, article_raw)
        records = (entries or verified.entries(layout)).records(key) if key else None
        if records is not None:
            if not parse:
                return RecordsFile(None, None, [], records, key, cached=True)
            return RecordsFile(loads(raw, path), loads(article_raw, article_path), [], records, key, cached=True)
    try:
        data = loads(raw, path)
    except UnusableInputError as e:
        return RecordsFile(None, None, [_unusable(file, e)])
    article_id = data.get("article_id") if isinstance(data, dict) else None
    article, article_raw = (corpus_article_bytes(article_id, layout, article_raw if article_id == stem else None)
                            if isinstance(article_id, str) and ARTICLE_ID.match(article_id) else (None, None))
    problems = list(check_records(file, data, article, stem))
    records = record_count(data)
    if not cache or problems or not article_raw:
        key = None
    elif not key or article_id != stem:  # the key above was made with the article the file's name gives
        key = verified.records_key(name, raw, article_raw)
    return RecordsFile(data, article, problems, records, key)


def _article_file(layout: Layout, article_id: str) -> str:
    """The corpus file of a checked article id, as a string (``Layout.article_path`` without the
    Path objects, for the read of every file)."""
    return os.path.join(layout.root, "corpus", f"{article_id}.json")


def record_count(data) -> int:
    """The annotation records of a records file (of every layer)."""
    return sum(len(data[layer]) for layer in LAYERS if isinstance(data, dict) and isinstance(data.get(layer), list))


def check_records(file: str, data, article: dict | None, stem: str | None = None) -> Iterator[Problem]:
    """Every problem of one article's records: schema, then integrity against the article text
    (``None``: the article is not in the corpus) and among the records. Record ids must start with
    the article id, which makes them unique across files once they are unique within one."""
    schema_problems = list(_schema_problems(file, data, "records", lambda parts: _record_id(data, parts)))
    yield from schema_problems
    if not isinstance(data, dict) or any(p.pointer.count("/") < 3 for p in schema_problems):
        return  # the file's own shape is wrong: record-level checks would only add noise
    broken = {tuple(p.pointer.split("/")[1:3]) for p in schema_problems}
    article_id = data["article_id"]
    if article is None:
        yield Problem(file, f"article {article_id} is not in the corpus", "/article_id")
    elif stem is not None and stem != article_id:
        yield Problem(file, f"file name must be {article_id}.json, after the article_id", "/article_id")
    sets: dict[tuple, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    good: list[tuple[str, int, dict]] = []
    ids_seen: set[str] = set()
    prefix = f"{article_id}:"
    for layer, id_key in LAYERS.items():
        for i, record in enumerate(data[layer]):
            if broken and (layer, str(i)) in broken:
                continue
            good.append((layer, i, record))
            rid = record[id_key]
            if rid in ids_seen:
                yield Problem(file, f"{id_key} {rid} is not unique (also in {file})", f"/{layer}/{i}/{id_key}", rid)
            elif not rid.startswith(prefix):
                yield Problem(file, f"{id_key} {rid} must start with the article id ({prefix})", f"/{layer}/{i}/{id_key}", rid)
            ids_seen.add(rid)
            key = (record["annotator"], record["origin"])
            if layer == "entities" and record["entity_id"]:
                sets[key]["entity_ids"].add(record["entity_id"])
            if layer == "quotes":
                sets[key]["quote_ids"].add(rid)
    text = article["text"] if article is not None else None
    for layer, i, record in good:
        in_set = sets[(record["annotator"], record["origin"])]
        if not _record_ok(layer, record, article_id, text, in_set):
            yield from _check_record(file, layer, i, record, article_id, article, in_set)
    yield from _check_entity_groups(file, good)


def _record_ok(layer: str, record: dict, article_id: str, text: str | None, in_set: dict[str, set]) -> bool:
    """Whether ``_check_record`` finds nothing, tested without making pointers and messages: the
    common case, and convert checks every one of five million records."""
    if record["article_id"] != article_id:
        return False
    if text is not None:
        for span in (*record["content"], record["cue"], record["speaker"]) if layer == "quotes" else (record,):
            if span is None:
                continue
            start, end = span["start"], span["end"]
            if not (start < end <= len(text) and text[start:end] == span["text"]):
                return False
    if layer == "quotes":
        return not record["speaker_entity_id"] or record["speaker_entity_id"] in in_set["entity_ids"]
    return layer != "claims" or not record["quote_id"] or record["quote_id"] in in_set["quote_ids"]


def _check_record(file, layer, i, record, article_id, article, in_set) -> Iterator[Problem]:
    rid = record[LAYERS[layer]]
    base = f"/{layer}/{i}"
    if record["article_id"] != article_id:
        yield Problem(file, f"is {record['article_id']}, but this file holds article {article_id}", f"{base}/article_id", rid)
    if article is not None:
        for pointer, span in _spans(layer, record):
            yield from _check_span(file, f"{base}{pointer}", span, article["text"], rid)
    if layer == "quotes" and record["speaker_entity_id"] and record["speaker_entity_id"] not in in_set["entity_ids"]:
        yield Problem(file, f"entity {record['speaker_entity_id']} has no mention by the same annotator and origin",
                      f"{base}/speaker_entity_id", rid)
    if layer == "claims" and record["quote_id"] and record["quote_id"] not in in_set["quote_ids"]:
        yield Problem(file, f"quote {record['quote_id']} is not among this annotator's quotes of the article",
                      f"{base}/quote_id", rid)


def _spans(layer: str, record: dict) -> Iterator[tuple[str, dict]]:
    if layer != "quotes":
        yield "", record
        return
    for j, span in enumerate(record["content"]):
        yield f"/content/{j}", span
    for role in ("cue", "speaker"):
        if record[role] is not None:
            yield f"/{role}", record[role]


def _check_span(file, pointer, span, text, rid) -> Iterator[Problem]:
    start, end = span["start"], span["end"]
    if start >= end:
        yield Problem(file, f"start {start} is not before end {end}", f"{pointer}/start", rid)
        return
    if end > len(text):
        yield Problem(file, f"end {end} is beyond the article text (length {len(text)})", f"{pointer}/end", rid)
        return
    if text[start:end] != span["text"]:
        wrong = "/end" if text.startswith(span["text"], start) else "/start"
        yield Problem(file, f"article text[{start}:{end}] is {text[start:end]!r}, not the span's text "
                            f"{span['text']!r}", f"{pointer}{wrong}", rid)


def _check_entity_groups(file, good) -> Iterator[Problem]:
    """Mentions grouped under one entity_id (per annotator and origin) must share a label."""
    named = {(r["annotator"], r["origin"], r["entity_id"], r["label"])
             for layer, _, r in good if layer == "entities" and r["entity_id"]}
    if len(named) == len({key[:3] for key in named}):
        return  # one label per entity: the common case, without counting
    labels: dict[tuple, Counter] = defaultdict(Counter)
    for layer, _, record in good:
        if layer == "entities" and record["entity_id"]:
            labels[(record["annotator"], record["origin"], record["entity_id"])][record["label"]] += 1
    for layer, i, record in good:
        if layer == "entities" and record["entity_id"]:
            counts = labels[(record["annotator"], record["origin"], record["entity_id"])]
            if len(counts) > 1 and record["label"] != counts.most_common(1)[0][0]:
                yield Problem(file, f"label {record['label']} differs from the other mentions of entity "
                                    f"{record['entity_id']} ({counts.most_common(1)[0][0]})",
                              f"/entities/{i}/label", record["mention_id"])
