"""Build a versioned release: ``releases/X.Y.Z/``, a self-contained Hugging Face dataset folder
that ``datasets.load_dataset`` opens with no code.

The build validates (the corpus first, each records file in the pass that reads it, unless the
cache of checked files knows it unchanged; nothing is released from invalid data), streams article
by article over ``jobs`` processes into Parquet shards (the corpus is never held in memory), writes
the dataset card, ``croissant.json`` and ``SHA256SUMS``, all in a temporary folder that becomes
``releases/X.Y.Z`` only when complete. A released version is immutable: building it again with the
same inputs is a no-op, with other inputs it is refused.

Which articles: those with gold annotations; the item configs hold gold records only, every
annotator's own records and the model pre-annotations go to ``annotator_records``. Splits are by
article: the first 32 bits of sha256(article_id) as a fraction, below 0.8 train, below 0.9
validation, else test; an article never changes split, whatever is added later.

>>> build_release(Layout.find(), "0.1.0").path
PosixPath('releases/0.1.0')
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple
from itertools import accumulate
from pathlib import Path

import pyarrow as pa

from .. import layers
from ..validation import cache as verified
from ..agreement.measures import Agreement, ArticleAgreement, article_agreement, article_sets
from ..core.errors import AlreadyExistsError, CorpusError, InvalidDataError
from .features import config_encoder, config_features
from ..core.io import read_json, write_text
from ..core.layout import Layout
from ..core.locks import exclusive
from .ner import character_classes as ner_classes, ner_table
from ..core.parallel import ordered_map
from .description import ReleaseDescription
from .shards import SplitWriter
from ..core.problems import Problem
from ..validation.checks import validate
from ..core.progress import progress
from ..core.records import records_folder, set_of
from .files import read_sums
from ..validation.records import read_checked_records

VERSION = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
ARTICLE_FIELDS = tuple(config_features("articles"))
PREANNOTATION_FIGURES = "preannotate.json"  # written by benchmarks/preannotate.py --json, committed
PREANNOTATION_FILE = "preannotation.json"  # its copy in a release, which the card quotes


def split_of(article_id: str) -> str:
    """The split of an article: a pure function of its id, so it never changes between versions."""
    fraction = int(hashlib.sha256(article_id.encode("utf-8")).hexdigest()[:8], 16) / 2**32
    return "train" if fraction < 0.8 else "validation" if fraction < 0.9 else "test"


def parse_version(version: str) -> tuple[int, int, int]:
    match = VERSION.match(version)
    if not match:
        raise CorpusError(f"version {version!r} is not a semantic version X.Y.Z")
    return tuple(int(part) for part in match.groups())


@dataclass
class Bundle:
    """One article of the release with its gold records and its other record sets."""

    article: dict
    gold: dict
    others: dict[tuple[str, str, str], dict]  # (origin, annotator, record set) -> its records


def bundle_of(records: dict, layout: Layout, article: dict | None = None) -> Bundle | None:
    """One article's gold records and other record sets (one per annotation or prediction: the same
    model's predictions from two servers are two sets); None when it has no gold records."""
    sets: dict[tuple[str, str, str], dict] = {}
    names = layers.names()
    for layer in layers.registered():
        for record in records[layer.name]:
            key = (record["origin"], record["annotator"], set_of(record[layer.id_field]))
            group = sets.get(key)
            if group is None:  # not setdefault: it would make an empty set for every record
                group = sets[key] = layers.empty()
            group[layer.name].append(record)
    gold = layers.empty()
    for (origin, _, _), chosen in sets.items():
        if origin == "gold":
            for layer in names:
                gold[layer].extend(chosen[layer])
    if not any(gold.values()):
        return None
    article = article or read_json(layout.article_path(records["article_id"]))
    return Bundle(article, gold, {k: v for k, v in sorted(sets.items()) if k[0] != "gold"})


def rows_of(bundle: Bundle) -> Iterator[tuple[str, dict]]:
    """(config, row) for every row an article contributes to the release but those of ``ner``
    (``release.ner.ner_table``) and ``documents`` (``documents_table``), which are made column by column for
    many articles at once. Rows may hold more fields than their config (a record's
    ``supported_by``, say): the encoder reads only the config's fields, so records go in as they
    are, not copied field by field."""
    article = {name: bundle.article.get(name) for name in ARTICLE_FIELDS if name != "split"}
    article["split"] = split_of(article["article_id"])
    yield "articles", article
    for layer in layers.names():
        yield from ((layer, record) for record in bundle.gold[layer])
    for (origin, annotator, _), chosen in bundle.others.items():
        yield "annotator_records", {"article_id": article["article_id"], "annotator": annotator, "origin": origin, **chosen}


def documents_table(articles: pa.Table, tables: dict[str, pa.Table], counts: dict[str, list[int]]) -> pa.Table:
    """The ``documents`` rows of some articles, from what the other configs already hold: their
    ``articles`` rows, and their gold records in the ``entities``, ``quotes`` and ``claims`` tables
    (in article order, ``counts[layer]`` of them per article), made into each row's lists."""
    schema = config_encoder("documents").schema
    columns = []
    for column in schema:
        if column.name not in layers.names():
            columns.append(articles.column(column.name).combine_chunks())
            continue
        item = column.type.value_type
        records = tables.get(column.name)
        values = (pa.StructArray.from_arrays([records.column(f.name).combine_chunks() for f in item], fields=list(item))
                  if records is not None else pa.array([], item))
        offsets = pa.array(list(accumulate(counts[column.name], initial=0)), pa.int32())
        columns.append(pa.ListArray.from_arrays(offsets, values, type=column.type))
    return pa.Table.from_arrays(columns, schema=schema)


@dataclass
class BuildResult:
    path: Path
    version: str
    unchanged: bool = False
    rows: dict[str, dict[str, int]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (article_id, why) of corpus articles not released


ARTICLES_PER_CHUNK = 100  # the unit of work of a build worker; output never depends on it or on jobs


@dataclass(frozen=True)
class _Chunk:
    layout: Layout
    names: tuple[str, ...]  # records file names: a hundred thousand Path objects take tens of megabytes
    cache: bool = True


@dataclass
class _Encoded:
    """One chunk of articles made into rows: an Arrow table per (config, split), and what the
    released articles (those with gold) add to the release's agreement figures."""

    tables: dict[tuple[str, str], pa.Table]
    agreement: list[ArticleAgreement]
    problems: list[Problem]
    passed: verified.Passed  # cache keys of the records files that passed every check, new to the cache
    left_out: list[tuple[str, str]] = field(default_factory=list)  # articles with records but no gold, and why


def _why_not_released(records: dict) -> str:
    """Why an article with a records file is not in the release: it has no gold records yet."""
    annotators = {r["annotator"] for layer in layers.names() for r in records.get(layer, []) if r.get("origin") == "human"}
    if annotators:
        return f"no gold yet: annotated by {len(annotators)} annotator(s), not adjudicated"
    return "no gold yet: only pre-annotations, not annotated"


def _encode_chunk(chunk: _Chunk) -> _Encoded:
    """Read, check, split and encode the rows of a chunk of articles (in a build worker). Records
    are validated here, in the pass that reads them, as ``validate`` would check them."""
    rows: dict[tuple[str, str], list[dict]] = {}
    ner: dict[str, list[tuple[dict, list[dict]]]] = {}  # split -> (article, gold mentions)
    counts: dict[str, dict[str, list[int]]] = {}  # split -> layer -> gold records of each article
    agreement, problems, passed, left_out = [], [], verified.Passed(), []
    entries = verified.entries(chunk.layout) if chunk.cache else verified.NO_ENTRIES
    folder = os.fspath(chunk.layout.records)
    for name in chunk.names:
        checked = read_checked_records(os.path.join(folder, name), chunk.layout, cache=chunk.cache, entries=entries)
        problems.extend(checked.problems)
        if checked.key is not None and not checked.cached:  # the parent keeps only what the cache lacks
            passed.add_records(checked.key, checked.records)
        if problems:
            continue  # no release will be built: only the checking goes on
        records, article = checked.data, checked.article
        bundle = bundle_of(records, chunk.layout, article)
        if bundle is None:  # not released (no gold yet): nor counted in the release's agreement report
            left_out.append((records["article_id"], _why_not_released(records)))
            continue
        sets = article_sets(records, chunk.layout, article["text"])
        if sets is not None:
            agreement.append(article_agreement(sets))
        split = split_of(article["article_id"])
        for config, row in rows_of(bundle):
            rows.setdefault((config, split), []).append(row)
        ner.setdefault(split, []).append((bundle.article, bundle.gold["entities"]))
        for layer in layers.names():
            if split not in counts:
                counts[split] = layers.empty()
            counts[split][layer].append(len(bundle.gold[layer]))
    tables = {key: config_encoder(key[0])(items) for key, items in rows.items()}
    for split, articles in ner.items():
        tables[("documents", split)] = documents_table(tables[("articles", split)], {
            layer: tables[(layer, split)] for layer in layers.names() if (layer, split) in tables}, counts[split])
        table = ner_table(articles)
        if table.num_rows:
            tables[("ner", split)] = table
    return _Encoded(tables, agreement, problems, passed, left_out)


class Written(NamedTuple):
    """What ``write_configs`` gathered: the release's description, its agreement report, and the
    corpus articles it left out (not part of the release, so not of its description), with why."""

    description: ReleaseDescription
    agreement: dict
    left_out: list[tuple[str, str]]


def write_configs(layout: Layout, folder: Path, *, jobs: int | None = 1, batch_size: int = 1000,
                  max_shard_bytes: int = 256 * 1024 * 1024, cache: bool = True,
                  digest_modes: dict[str, bool] | None = None) -> Written:
    """Stream every article with gold records into the config/split shards under ``folder``, chunks
    of articles encoded over ``jobs`` processes and written here in article order; returns the
    release's description and the agreement report, both gathered in the same pass (the rows of
    the configs in ``digest_modes`` hashed for a diff too). With ``cache``, records files that
    passed the checks before, unchanged, are not checked again (``validation.cache``)."""
    names = sorted(path.name for path in records_folder(layout).glob("*.json"))
    annotated = {name[:-len(".json")] for name in names}
    work = [_Chunk(layout, tuple(names[i:i + ARTICLES_PER_CHUNK]), cache) for i in range(0, len(names), ARTICLES_PER_CHUNK)]
    writers: dict[tuple[str, str], SplitWriter] = {}
    description = ReleaseDescription(digest_modes=dict(digest_modes or {}))
    left_out = [(path.stem, "not annotated yet: no records file") for path in layout.corpus.glob("*.json")
                if path.stem not in annotated]
    total = Agreement()
    problems: list[Problem] = []
    passed = verified.Passed()
    if cache:
        verified.code_digest()  # computed once here: forked workers share it
    ner_classes()  # made once here, shared by the forked workers as well
    for encoded in progress(ordered_map(_encode_chunk, work, jobs=jobs, chunksize=1, per_job=2), len(work),
                            f"build: chunks of {ARTICLES_PER_CHUNK} articles"):
        problems.extend(encoded.problems)
        passed.update(encoded.passed)
        if problems:
            continue
        left_out.extend(encoded.left_out)
        for article in encoded.agreement:
            total.add(article)
        for (config, split), table in encoded.tables.items():
            if (config, split) not in writers:
                writers[(config, split)] = SplitWriter(folder / config, split, config_features(config), batch_size, max_shard_bytes)
            description.add_table(config, split, table, writers[(config, split)].features)
            writers[(config, split)].add_table(table)
    if cache:
        verified.remember(layout, passed)
    if problems:
        raise _refused(problems)
    for (config, split), writer in sorted(writers.items()):
        writer.close()
        description.add_shards(config, split, writer.files)
    return Written(description, total.report(), sorted(left_out))


def _refused(problems: list[Problem]) -> InvalidDataError:
    """The error of a build over invalid data, whichever check found the problems."""
    return InvalidDataError(f"{len(problems)} validation problem(s); no release built "
                            f"(run `whosaidwhat validate` to see them)", problems)


VERSIONED = ("README.md", "croissant.json")  # name the version in their text: the same data reads differently


def _same_data(previous: Path, building: Path) -> bool:
    """Whether a new version would hold what the previous one holds: the same files with the same
    sha256, the card and croissant.json (which name the version) aside."""
    def sums(folder: Path) -> dict[str, str]:
        return {name: digest for name, digest in read_sums(folder).items() if name not in VERSIONED}
    if not (previous / "SHA256SUMS").is_file():
        return False  # not a finished release (a build writes SHA256SUMS last): nothing to compare with
    return sums(previous) == sums(building)


LISTED = 10  # articles named one by one before "and N more"


def left_out_line(left_out: list[tuple[str, str]]) -> str:
    """The articles a release leaves out, and why, in one line."""
    shown = "; ".join(f"{article_id} ({why})" for article_id, why in left_out[:LISTED])
    more = f"; and {len(left_out) - LISTED} more" if len(left_out) > LISTED else ""
    return f"left out: {len(left_out)} article(s) of the corpus, not released: {shown}{more}"


def build_release(layout: Layout, version: str, *, batch_size: int = 1000,
                  max_shard_bytes: int = 256 * 1024 * 1024, jobs: int | None = 1, cache: bool = True) -> BuildResult:
    """Validate, then write ``releases/<version>/`` (see the module docstring), over ``jobs``
    processes (None: every CPU); the release is the same, byte for byte, whatever ``jobs`` is, and
    with or without the ``cache`` of records files that passed the checks before."""
    parse_version(version)
    report = validate([layout.corpus], layout=layout, jobs=jobs, cache=cache)  # the records are checked as they are read
    if not report.ok:
        raise _refused(report.problems)
    with exclusive(layout.releases, "build"):
        return _build_locked(layout, version, batch_size, max_shard_bytes, jobs, cache)


def _build_locked(layout: Layout, version: str, batch_size: int, max_shard_bytes: int, jobs: int | None,
                  cache: bool) -> BuildResult:
    """The build under the releases lock. Everything the card, croissant.json, SHA256SUMS, the
    CHANGELOG and the DATASHEET say about the new release is gathered as its shards are written;
    only the previous release is read, for the diff, and only when a CHANGELOG entry needs it."""
    from ..agreement.measures import format_json
    from .card import finish_release
    from .versions import (changelog_entry, check_bump, diff_written, digest_modes, has_changelog_entry,
                           previous_version, update_changelog, update_datasheet)
    target = layout.releases / version
    for stale in layout.releases.glob(".*.building-*"):  # left by a build that was killed
        shutil.rmtree(stale, ignore_errors=True)
    building = layout.releases / f".{version}.building-{os.getpid()}"
    previous = previous_version(layout, version)
    diffed = previous is not None and not (target.exists() and has_changelog_entry(layout, version))
    result = BuildResult(target, version)
    diff = None
    try:
        description, agreement, left_out = write_configs(
            layout, building, jobs=jobs, batch_size=batch_size, max_shard_bytes=max_shard_bytes, cache=cache,
            digest_modes=digest_modes(layout.releases / previous.name) if diffed else None)
        result.rows = description.rows
        result.left_out = left_out
        if not result.rows:
            raise CorpusError("no article has gold annotations yet; nothing to release")
        annotators = layout.annotations / "ANNOTATORS.md"
        if agreement["overall"] is not None and annotators.is_file():  # who made the annotations measured
            agreement = {**agreement, "who_annotated": annotators.read_text(encoding="utf-8").strip()}
        write_text(building / "agreement.json", format_json(agreement) + "\n", overwrite=True)
        figures = layout.root / "benchmarks" / PREANNOTATION_FIGURES
        if figures.is_file():  # how the pre-annotator annotators were shown scores against this gold
            shutil.copyfile(figures, building / PREANNOTATION_FILE)
        stats = finish_release(building, version=version, standoff=False, description=description)
        if previous is not None and not target.exists() and _same_data(layout.releases / previous.name, building):
            raise CorpusError(
                f"version {version} would hold the same data as {previous.name} (every file but the card and "
                f"croissant.json); nothing written" + (f"; {left_out_line(result.left_out)}" if result.left_out else ""))
        if target.exists():
            if (target / "SHA256SUMS").read_bytes() != (building / "SHA256SUMS").read_bytes():
                raise AlreadyExistsError(
                    f"{target}: version {version} is already released with other content, and a released version "
                    f"never changes; build the new content as a new version")
            result.unchanged = True
        if diffed:
            diff = diff_written(layout.releases / previous.name, description.shard_sums, description.digests)
        if not result.unchanged:
            if previous is not None:
                result.warnings.extend(check_bump(previous, diff, version))
            os.replace(building, target)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    update_changelog(layout, version, lambda: changelog_entry(previous, result.rows, diff))
    update_datasheet(layout, target, stats)
    return result
