"""The checks of one article's records file: each record against its schema, then integrity
against the article text and among the records, layer by layer as the layers declare them
(``Layer.spans``, ``Layer.references``, ``Layer.check_set``). Record ids must start with the article
id, which makes them unique across files once they are unique within one."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import layers
from ..core.errors import UnusableInputError
from ..core.io import loads, read_bytes
from ..core.layout import ARTICLE_ID, Layout
from ..core.problems import Problem
from ..core.records import set_of
from . import cache as verified
from .articles import corpus_article_bytes
from .files import article_file, relative
from .schema import schema_problems


def _record_id(data, parts: list) -> str | None:
    """The id of the record a schema error sits in, if the error is inside one."""
    id_fields = layers.id_fields()
    if len(parts) >= 2 and parts[0] in id_fields and isinstance(data, dict):
        try:
            record = data[parts[0]][parts[1]]
            return record.get(id_fields[parts[0]]) if isinstance(record, dict) else None
        except (IndexError, KeyError, TypeError):
            return None
    return None


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
    files knows (``validation.cache``; ``entries``: the cache, if already opened) is not checked again, and
    not even parsed unless ``parse``. Paths are strings here: this runs for every file."""
    path = os.fspath(path)
    file = relative(path, layout)
    try:
        raw = read_bytes(path)
    except UnusableInputError as e:
        return RecordsFile(None, None, [Problem.of_unusable(file, e)])
    name = os.path.basename(path)
    stem = os.path.splitext(name)[0]
    article_raw, key = None, None
    if cache and ARTICLE_ID.match(stem):
        article_path = article_file(layout, stem)
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
        return RecordsFile(None, None, [Problem.of_unusable(file, e)])
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


def record_count(data) -> int:
    """The annotation records of a records file (of every layer)."""
    return sum(len(data[layer]) for layer in layers.names() if isinstance(data, dict) and isinstance(data.get(layer), list))


@layers.cached  # asked once per records file: a hundred thousand times in a validate
def _targets() -> dict[str, set[str]]:
    """layer -> the fields of its records that other records refer to (entity_id, quote_id)."""
    out: dict[str, set[str]] = defaultdict(set)
    for layer in layers.registered():
        for ref in layer.references:
            out[ref.target].add(ref.target_field)
    return out


def check_records(file: str, data, article: dict | None, stem: str | None = None) -> Iterator[Problem]:
    """Every problem of one article's records: schema, then integrity against the article text
    (``None``: the article is not in the corpus) and among the records."""
    schema_found = list(schema_problems(file, data, "records", lambda parts: _record_id(data, parts)))
    yield from schema_found
    if not isinstance(data, dict) or any(p.pointer.count("/") < 3 for p in schema_found):
        return  # the file's own shape is wrong: record-level checks would only add noise
    broken = {tuple(p.pointer.split("/")[1:3]) for p in schema_found}
    article_id = data["article_id"]
    if article is None:
        yield Problem(file, f"article {article_id} is not in the corpus", "/article_id")
    elif stem is not None and stem != article_id:
        yield Problem(file, f"file name must be {article_id}.json, after the article_id", "/article_id")
    targets = _targets()
    sets: dict[tuple, dict[tuple, set]] = defaultdict(lambda: defaultdict(set))
    good: dict[str, list[tuple[int, dict]]] = {}
    ids_seen: set[str] = set()
    set_keys: dict[tuple, dict[str, tuple]] = defaultdict(dict)  # (annotator, origin) -> record set -> its first record
    prefix = f"{article_id}:"
    for layer in layers.registered():
        id_key, mine = layer.id_field, good.setdefault(layer.name, [])
        for i, record in enumerate(data[layer.name]):
            if broken and (layer.name, str(i)) in broken:
                continue
            mine.append((i, record))
            rid = record[id_key]
            if rid in ids_seen:
                yield Problem(file, f"{id_key} {rid} is not unique (also in {file})", f"/{layer.name}/{i}/{id_key}", rid)
            elif not rid.startswith(prefix):
                yield Problem(file, f"{id_key} {rid} must start with the article id ({prefix})", f"/{layer.name}/{i}/{id_key}", rid)
            ids_seen.add(rid)
            key = set_of(rid)
            if key is not None:
                set_keys[(record["annotator"], record["origin"])].setdefault(key, (layer.name, i))
            in_set = sets[(record["annotator"], record["origin"])]
            for target_field in targets.get(layer.name, ()):
                if record[target_field]:
                    in_set[(layer.name, target_field)].add(record[target_field])
    text = article["text"] if article is not None else None
    for layer in layers.registered():
        for i, record in good[layer.name]:
            in_set = sets[(record["annotator"], record["origin"])]
            if not record_ok(layer, record, article_id, text, in_set):
                yield from check_record(file, layer, i, record, article_id, article, in_set)
    for layer in layers.registered():
        yield from layer.check_set(file, good[layer.name])
    yield from _one_set_each(file, article_id, set_keys)


def _one_set_each(file: str, article_id: str, set_keys: dict[tuple, dict[str, tuple]]) -> Iterator[Problem]:
    """An article has one gold record set, and one record set per human annotator: a second one
    (the same annotation pulled from two servers, or a person who annotated the article twice) would
    be counted twice by agreement and released twice as gold. Which one to keep is a decision:
    delete the other in its source."""
    gold = [key for (_, origin), keys in set_keys.items() if origin == "gold" for key in keys]
    if len(gold) > 1:
        yield Problem(file, f"article {article_id} has {len(gold)} gold record sets ({', '.join(sorted(gold))}); an "
                            "article has one: delete the others in their source", "/article_id")
    for (annotator, origin), keys in sorted(set_keys.items()):
        if origin == "human" and len(keys) > 1:
            layer, i = next(iter(keys.values()))
            yield Problem(file, f"{annotator} has {len(keys)} record sets of article {article_id} ({', '.join(sorted(keys))}); "
                                "agreement needs one per annotator: delete the others in their source", f"/{layer}/{i}/annotator")


def record_ok(layer, record: dict, article_id: str, text: str | None, in_set: dict[tuple, set]) -> bool:
    """Whether ``check_record`` finds nothing, tested without making pointers and messages: the
    common case, and convert checks every one of five million records."""
    if record["article_id"] != article_id:
        return False
    if text is not None:
        for _, span in layer.spans(record):
            start, end = span["start"], span["end"]
            if not (start < end <= len(text) and text[start:end] == span["text"]):
                return False
    return all(not record[ref.field] or record[ref.field] in in_set[(ref.target, ref.target_field)] for ref in layer.references)


def check_record(file, layer, i, record, article_id, article, in_set) -> Iterator[Problem]:
    """Every problem of one record: its article, its spans against the text, its references within
    its annotation set (``in_set``: (layer, field) -> the values the set's records hold)."""
    rid = record[layer.id_field]
    base = f"/{layer.name}/{i}"
    if record["article_id"] != article_id:
        yield Problem(file, f"is {record['article_id']}, but this file holds article {article_id}", f"{base}/article_id", rid)
    if article is not None:
        for pointer, span in layer.spans(record):
            yield from _check_span(file, f"{base}{pointer}", span, article["text"], rid)
    for ref in layer.references:
        value = record[ref.field]
        if value and value not in in_set[(ref.target, ref.target_field)]:
            yield Problem(file, ref.message.format(value=value), f"{base}/{ref.field}", rid)


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
