"""What a release says about itself (the card's statistics and examples, croissant.json's files and
date, SHA256SUMS, the CHANGELOG and DATASHEET figures), gathered in one pass over its rows.

A build gathers it from the Arrow tables as it writes them (``ReleaseDescription.add_table``) and
from each shard as it is closed (``add_shards``), so it never reads its own Parquet back;
``describe_folder`` gathers the same from a release folder (a standoff copy, a rehydrated one),
feeding the same methods with what it reads, so both ways give one description.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from datasets import Features

from .. import layers
from .features import compile_decoder, config_features
from .files import shards
from .shards import ShardFile, shard_file
from .versions import RowDigests

def label_counts() -> dict[str, tuple[str, ...]]:
    """config -> its label columns counted in the card (what each layer counts, ``Layer.counted``)."""
    return {layer.name: tuple(name for _, name in layer.counted) for layer in layers.registered()}


def counted() -> dict[str, tuple[str, ...]]:
    """The columns ``count`` reads, per config."""
    return {**label_counts(), "articles": ("redistributable", "text", "ingested_at", *ATTRIBUTION),
            "annotator_records": ("annotator", "origin")}


ATTRIBUTION = ("article_id", "title", "outlet", "author", "url", "license")  # what a licence that asks for attribution needs


@dataclass
class ReleaseDescription:
    """A release as its card, croissant.json and SHA256SUMS describe it. ``digest_modes`` (config ->
    labels decoded) names the configs whose rows are also hashed for a diff with the previous version."""

    digest_modes: dict[str, bool] = field(default_factory=dict)
    shards: dict[str, dict[str, list[ShardFile]]] = field(default_factory=dict)  # config -> split -> shards
    first_rows: dict[tuple[str, str], dict] = field(default_factory=dict)  # (config, split) -> its first row, decoded
    label_counts: dict[str, Counter] = field(default_factory=lambda: {
        f"{config}.{name}": Counter() for config, names in label_counts().items() for name in names})
    articles: int = 0
    redistributable: int = 0
    with_text: int = 0
    human_annotators: set[str] = field(default_factory=set)
    attributions: list[dict] = field(default_factory=list)  # the articles under a licence of their own (CC BY ...)
    newest_ingested: str | None = None  # the newest ``ingested_at`` date: croissant.json's datePublished
    label_columns: dict[str, tuple[str, ...]] = field(default_factory=lambda: label_counts())  # config -> its label columns (the function, not the field above)
    digests: dict[str, RowDigests] = field(init=False)  # config -> its rows' digests, for each of ``digest_modes``

    def __post_init__(self) -> None:
        self.digests = {config: RowDigests(config, decode) for config, decode in self.digest_modes.items()}

    def add_table(self, config: str, split: str, table: pa.Table, features: Features) -> None:
        """Rows of a config's split as they are written, in order (``features``: the shards')."""
        if (config, split) not in self.first_rows and table.num_rows:
            self.add_first_row(config, split, table, features)
        self.count(config, table)
        if config in self.digests:
            self.digests[config].add(split, table)

    def add_first_row(self, config: str, split: str, table: pa.Table | pa.RecordBatch, features: Features) -> None:
        self.first_rows[(config, split)] = compile_decoder(features)(table.slice(0, 1).to_pylist()[0])

    def count(self, config: str, table: pa.Table | pa.RecordBatch) -> None:
        """Add a table's rows to the statistics; it needs only the config's ``counted()`` columns."""
        for name in self.label_columns.get(config, ()):
            self.label_counts[f"{config}.{name}"].update(
                {c["values"]: c["counts"] for c in pc.value_counts(table[name]).to_pylist() if c["values"] is not None})
        if config == "articles":
            self.articles += table.num_rows
            self.redistributable += pc.sum(table["redistributable"]).as_py() or 0
            self.with_text += table.num_rows - table["text"].null_count
            dates = {value[:10] for value in table["ingested_at"].to_pylist()} | (
                {self.newest_ingested} if self.newest_ingested is not None else set())
            self.newest_ingested = max(dates, default=None)
            licensed = table.select(list(ATTRIBUTION)).filter(pc.is_valid(table["license"]))
            self.attributions.extend(licensed.to_pylist())
        if config == "annotator_records":
            human = config_features(config)["origin"].str2int("human")
            self.human_annotators.update(pc.unique(table["annotator"].filter(pc.equal(table["origin"], human))).to_pylist())

    def add_shards(self, config: str, split: str, files: list[ShardFile]) -> None:
        """The closed shards of a config's split; a split with no rows has none and is not described."""
        if files:
            self.shards.setdefault(config, {})[split] = list(files)

    @property
    def rows(self) -> dict[str, dict[str, int]]:
        """config -> split -> rows, in name order."""
        return {config: {split: sum(f.rows for f in self.shards[config][split]) for split in sorted(self.shards[config])}
                for config in sorted(self.shards)}

    @property
    def shard_sums(self) -> dict[str, str]:
        """Relative path -> sha256 of every shard."""
        return {f.path: f.sha256 for splits in self.shards.values() for files in splits.values() for f in files}

    def example(self, config: str) -> dict | None:
        """The first row of a config: of its first split in name order, as a folder lists its shards."""
        return next((self.first_rows[(config, split)] for split in sorted(self.shards.get(config, {}))
                     if (config, split) in self.first_rows), None)

    @property
    def stats(self) -> dict:
        """Rows and bytes per config and split, and label counts of the gold records (the DATASHEET's figures)."""
        configs = {config: {split: {"rows": sum(f.rows for f in files), "bytes": sum(f.row_bytes for f in files)}
                            for split, files in sorted(self.shards[config].items())} for config in sorted(self.shards)}
        labels = {}
        for key, counts in self.label_counts.items():
            config, column = key.split(".")
            names = config_features(config)[column].names
            labels[key] = dict(sorted((names[value], n) for value, n in counts.items()))
        return {"configs": configs, "labels": labels, "articles": self.articles, "redistributable": self.redistributable,
                "with_text": self.with_text, "human_annotators": len(self.human_annotators)}


def describe_folder(folder: Path) -> ReleaseDescription:
    """The description of the shards in ``folder``, read back: the first row of each split, only the
    ``counted()`` columns of the rest, a batch at a time (memory stays flat whatever the size of the
    release), and each shard's footer and sha256."""
    folder = Path(folder)
    description = ReleaseDescription()
    columns = counted()
    for config, splits in shards(folder).items():
        for split, paths in sorted(splits.items()):
            files = []
            for path in paths:
                with pq.ParquetFile(path) as parquet:
                    if (config, split) not in description.first_rows and parquet.metadata.num_rows:
                        description.add_first_row(config, split, next(parquet.iter_batches(batch_size=1)),
                                                  Features.from_arrow_schema(parquet.schema_arrow))
                    if config in columns:
                        for batch in parquet.iter_batches(batch_size=1_000, columns=list(columns[config])):
                            description.count(config, batch)
                    files.append(shard_file(path, path.relative_to(folder).as_posix(), parquet.metadata))
            description.add_shards(config, split, files)
    return description
