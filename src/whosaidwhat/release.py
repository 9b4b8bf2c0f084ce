"""Build a versioned release: ``releases/X.Y.Z/``, a self-contained Hugging Face dataset folder
that ``datasets.load_dataset`` opens with no code.

The build validates first (no release from invalid data), streams article by article into Parquet
shards (memory does not grow with the corpus), writes the dataset card, ``croissant.json`` and
``SHA256SUMS``, all in a temporary folder that becomes ``releases/X.Y.Z`` only when complete. A
released version is immutable: building it again with the same inputs is a no-op, with other
inputs it is refused.

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
from pathlib import Path

from .errors import AlreadyExistsError, CorpusError, InvalidDataError
from .features import config_features
from .io import read_json, write_text
from .layout import Layout
from .locks import exclusive
from .ner import ner_rows
from .records import LAYERS, iter_record_files
from .shards import SplitWriter
from .validate import validate

SPLITS = ("train", "validation", "test")
VERSION = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
ARTICLE_FIELDS = tuple(config_features("articles"))
RECORD_FIELDS = {layer: tuple(config_features("documents")[layer].feature) for layer in LAYERS}


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
    others: dict[tuple[str, str], dict]


def iter_bundles(layout: Layout) -> Iterator[Bundle]:
    """Articles that have gold records, one at a time, in article-id order."""
    for records in iter_record_files(layout):
        sets: dict[tuple[str, str], dict] = {}
        for layer in LAYERS:
            for record in records[layer]:
                key = (record["origin"], record["annotator"])
                sets.setdefault(key, {name: [] for name in LAYERS})[layer].append(record)
        gold = {layer: [] for layer in LAYERS}
        for (origin, _), chosen in sets.items():
            if origin == "gold":
                for layer in LAYERS:
                    gold[layer].extend(chosen[layer])
        if any(gold.values()):
            article = read_json(layout.article_path(records["article_id"]))
            yield Bundle(article, gold, {k: v for k, v in sorted(sets.items()) if k[0] != "gold"})


def _strip(record: dict, layer: str) -> dict:
    return {name: record[name] for name in RECORD_FIELDS[layer]}


def rows_of(bundle: Bundle) -> Iterator[tuple[str, dict]]:
    """(config, row) for every row an article contributes to the release."""
    article = {name: bundle.article.get(name) for name in ARTICLE_FIELDS if name != "split"}
    article["split"] = split_of(article["article_id"])
    gold = {layer: [_strip(r, layer) for r in bundle.gold[layer]] for layer in LAYERS}
    yield "articles", article
    yield "documents", {**article, **gold}
    for layer in LAYERS:
        for record in bundle.gold[layer]:
            yield layer, {"article_id": article["article_id"], **_strip(record, layer),
                          "annotator": record["annotator"], "origin": record["origin"]}
    for (origin, annotator), chosen in bundle.others.items():
        yield "annotator_records", {"article_id": article["article_id"], "annotator": annotator, "origin": origin,
                                    **{layer: [_strip(r, layer) for r in chosen[layer]] for layer in LAYERS}}
    for row in ner_rows(bundle.article, bundle.gold["entities"]):
        yield "ner", row


@dataclass
class BuildResult:
    path: Path
    version: str
    unchanged: bool = False
    rows: dict[str, dict[str, int]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def write_configs(bundles: Iterator[Bundle], folder: Path, *, batch_size: int = 1000,
                  max_shard_bytes: int = 256 * 1024 * 1024) -> dict[str, dict[str, int]]:
    """Stream every bundle into the config/split shards under ``folder``; returns rows per split."""
    writers: dict[tuple[str, str], SplitWriter] = {}
    for bundle in bundles:
        split = split_of(bundle.article["article_id"])
        for config, row in rows_of(bundle):
            key = (config, split)
            if key not in writers:
                writers[key] = SplitWriter(folder / config, split, config_features(config), batch_size, max_shard_bytes)
            writers[key].add(row)
    counts: dict[str, dict[str, int]] = {}
    for (config, split), writer in sorted(writers.items()):
        writer.close()
        counts.setdefault(config, {})[split] = writer.count
    return counts


def build_release(layout: Layout, version: str, *, batch_size: int = 1000,
                  max_shard_bytes: int = 256 * 1024 * 1024) -> BuildResult:
    """Validate, then write ``releases/<version>/`` (see the module docstring)."""
    parse_version(version)
    report = validate(layout=layout)
    if not report.ok:
        raise InvalidDataError(f"{len(report.problems)} validation problem(s); no release built "
                               f"(run `whosaidwhat validate` to see them)", report.problems)
    with exclusive(layout.releases, "build"):
        return _build_locked(layout, version, batch_size, max_shard_bytes)


def _build_locked(layout: Layout, version: str, batch_size: int, max_shard_bytes: int) -> BuildResult:
    from .agreement import agreement, format_json
    from .card import finish_release
    from .versions import changelog_entry, check_bump, previous_version, update_changelog, update_datasheet
    target = layout.releases / version
    for stale in layout.releases.glob(".*.building-*"):  # left by a build that was killed
        shutil.rmtree(stale, ignore_errors=True)
    building = layout.releases / f".{version}.building-{os.getpid()}"
    previous = previous_version(layout, version)
    result = BuildResult(target, version)
    try:
        result.rows = write_configs(iter_bundles(layout), building, batch_size=batch_size, max_shard_bytes=max_shard_bytes)
        if not result.rows:
            raise CorpusError("no article has gold annotations yet; nothing to release")
        write_text(building / "agreement.json", format_json(agreement(layout)) + "\n", overwrite=True)
        stats = finish_release(building, version=version, standoff=False)
        if target.exists():
            if (target / "SHA256SUMS").read_bytes() != (building / "SHA256SUMS").read_bytes():
                raise AlreadyExistsError(
                    f"{target}: version {version} is already released with other content, and a released version "
                    f"never changes; build the new content as a new version")
            result.unchanged = True
        else:
            if previous is not None:
                result.warnings.extend(check_bump(previous, layout.releases / previous.name, building, version))
            os.replace(building, target)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    update_changelog(layout, version, lambda: changelog_entry(previous, target))
    update_datasheet(layout, target, stats)
    return result
