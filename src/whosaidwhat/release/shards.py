"""Parquet shards written in batches with an explicit schema and cut by size, named the way the
Hugging Face Hub names them: ``<config>/<split>-0000i-of-0000n.parquet``.

Rows arrive as Arrow tables (encoded by ``features.RowEncoder``, in build workers) and are written
every ``batch_size`` rows, so memory holds at most a row group per open shard, whatever the corpus
size. Writing with the Features' Arrow schema keeps a shard whose lists are all empty typed
(``list<struct>``, not ``list<null>``) and stores the Features in the file's metadata. What the
release's description needs of a shard (rows, bytes, size, sha256) is taken as it is closed, from
the writer's own footer and the file just written, so the release is never read back.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from datasets import Features

from ..core.io import writing

from .files import sha256_of

WRITE_OPTIONS = {"compression": "zstd", "write_page_index": True, "use_content_defined_chunking": True}


@dataclass(frozen=True)
class ShardFile:
    """One shard as the card, croissant.json and SHA256SUMS describe it."""

    path: str  # relative to the release folder, POSIX: <config>/<split>-0000i-of-0000n.parquet
    size: int
    sha256: str
    rows: int
    row_bytes: int  # its row groups' total_byte_size: what ``dataset_info`` gives as a split's num_bytes


def shard_file(path: Path, relative: str, metadata: pq.FileMetaData, sha256: str | None = None) -> ShardFile:
    """A closed shard's description, from its footer's ``metadata``; ``sha256`` when already known."""
    row_bytes = sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
    return ShardFile(relative, os.path.getsize(path), sha256 or sha256_of(path), metadata.num_rows, row_bytes)


@dataclass
class SplitWriter:
    """Writes one split of one config into ``folder`` (``<release>/<config>``); ``close`` names the
    shards, returns them and leaves their descriptions in ``files``.

    Tables of any size are written in row groups of exactly ``batch_size`` rows, so the bytes of a
    shard depend only on its rows, never on how they were handed over."""

    folder: Path
    split: str
    features: Features
    batch_size: int = 1000
    max_shard_bytes: int = 256 * 1024 * 1024
    _pending: list[pa.Table] = field(default_factory=list)
    _pending_rows: int = 0
    _writer: pq.ParquetWriter | None = None
    _parts: list[Path] = field(default_factory=list)
    _closed: list[tuple[pq.FileMetaData, str]] = field(default_factory=list)  # per part: footer, sha256
    files: list[ShardFile] = field(default_factory=list)

    def add_table(self, table: pa.Table) -> None:
        """Rows already encoded, as a table with this split's Arrow schema."""
        self._pending.append(table)
        self._pending_rows += table.num_rows
        self._write(final=False)

    def _write(self, *, final: bool) -> None:
        """Write every full row group pending (and, when ``final``, the rest)."""
        if self._pending_rows < (1 if final else self.batch_size):
            return
        table = pa.concat_tables(self._pending).combine_chunks() if len(self._pending) > 1 else self._pending[0]
        done = table.num_rows if final else table.num_rows - table.num_rows % self.batch_size
        for start in range(0, done, self.batch_size):
            self._write_group(table.slice(start, min(self.batch_size, done - start)))
        rest = table.slice(done)
        self._pending, self._pending_rows = ([rest] if rest.num_rows else []), rest.num_rows

    def _write_group(self, table: pa.Table) -> None:
        index = len(self._parts) - 1 if self._writer is not None else len(self._parts)  # the part being written
        with writing(self.folder / f".{self.split}-part{index:05d}.parquet",
                     f"a Parquet shard of {self.folder.name}/{self.split} (the release is written in a temporary "
                     f"folder, which is removed)"):
            self._write_group_to_disk(table)

    def _write_group_to_disk(self, table: pa.Table) -> None:
        if self._writer is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            part = self.folder / f".{self.split}-part{len(self._parts):05d}.parquet"
            self._parts.append(part)
            self._writer = pq.ParquetWriter(part, self.features.arrow_schema, **WRITE_OPTIONS)
        self._writer.write_table(table, row_group_size=self.batch_size)
        if os.path.getsize(self._parts[-1]) >= self.max_shard_bytes:
            self._close_part()

    def _close_part(self) -> None:
        """Close the open part and keep its footer and sha256, hashed while the file is fresh."""
        with writing(self._parts[-1], f"the footer of a Parquet shard of {self.folder.name}/{self.split}"):
            self._writer.close()
        self._closed.append((self._writer.writer.metadata, sha256_of(self._parts[-1])))
        self._writer = None

    def close(self) -> list[Path]:
        """Finish the last shard and rename the parts ``<split>-0000i-of-0000n.parquet``; a split with
        no rows writes no file (``datasets`` cannot load an empty Parquet split)."""
        self._write(final=True)
        if self._writer is not None:
            self._close_part()
        total = len(self._parts)
        names = []
        for i, (part, (metadata, sha256)) in enumerate(zip(self._parts, self._closed)):
            name = self.folder / f"{self.split}-{i:05d}-of-{total:05d}.parquet"
            part.rename(name)
            names.append(name)
            self.files.append(shard_file(name, f"{self.folder.name}/{name.name}", metadata, sha256))
        return names
