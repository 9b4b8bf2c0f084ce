"""Parquet shards written in batches with an explicit schema and cut by size, named the way the
Hugging Face Hub names them: ``<config>/<split>-0000i-of-0000n.parquet``.

Rows arrive one at a time and are written every ``batch_size`` rows, so memory holds one batch per
open shard, whatever the corpus size. Writing with the Features' Arrow schema keeps a shard whose
lists are all empty typed (``list<struct>``, not ``list<null>``) and stores the Features in the
file's metadata.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features

from .features import compile_encoder

WRITE_OPTIONS = {"compression": "zstd", "write_page_index": True, "use_content_defined_chunking": True}


@dataclass
class SplitWriter:
    """Writes one split of one config into ``folder``; ``close`` names the shards and returns them."""

    folder: Path
    split: str
    features: Features
    batch_size: int = 1000
    max_shard_bytes: int = 256 * 1024 * 1024
    rows: list[dict] = field(default_factory=list)
    count: int = 0
    num_bytes: int = 0
    _writer: pq.ParquetWriter | None = None
    _parts: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._encode = compile_encoder(self.features)

    def add(self, row: dict) -> None:
        self.rows.append(self._encode(row))
        if len(self.rows) >= self.batch_size:
            self._flush()

    def _flush(self) -> None:
        if not self.rows:
            return
        table = pa.Table.from_pylist(self.rows, schema=self.features.arrow_schema)
        self.rows.clear()
        if self._writer is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            part = self.folder / f".{self.split}-part{len(self._parts):05d}.parquet"
            self._parts.append(part)
            self._writer = pq.ParquetWriter(part, self.features.arrow_schema, **WRITE_OPTIONS)
        self._writer.write_table(table, row_group_size=self.batch_size)
        self.count += table.num_rows
        self.num_bytes += table.nbytes
        if os.path.getsize(self._parts[-1]) >= self.max_shard_bytes:
            self._writer.close()
            self._writer = None

    def close(self) -> list[Path]:
        """Finish the last shard and rename the parts ``<split>-0000i-of-0000n.parquet``; a split with
        no rows writes no file (``datasets`` cannot load an empty Parquet split)."""
        self._flush()
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        total = len(self._parts)
        names = []
        for i, part in enumerate(self._parts):
            name = self.folder / f"{self.split}-{i:05d}-of-{total:05d}.parquet"
            part.rename(name)
            names.append(name)
        return names
