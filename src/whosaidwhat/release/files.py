"""Reading a release folder back: its configs, splits and rows, with pyarrow, batch by batch."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
from datasets import Features

from .features import compile_decoder

SHARD = re.compile(r"^(?P<split>[a-z]+)-(?P<index>\d{5})-of-(?P<total>\d{5})\.parquet$")


def shards(folder: Path) -> dict[str, dict[str, list[Path]]]:
    """config -> split -> shard paths, from the files present."""
    found: dict[str, dict[str, list[Path]]] = {}
    for path in sorted(Path(folder).glob("*/*.parquet")):
        match = SHARD.match(path.name)
        if match:
            found.setdefault(path.parent.name, {}).setdefault(match["split"], []).append(path)
    return found


def iter_rows(folder: Path, config: str, *, decode: bool = True, batch_size: int = 2000) -> Iterator[tuple[str, dict]]:
    """(split, row) of every row of a config; labels as names when ``decode``."""
    for split, paths in shards(folder).get(config, {}).items():
        for path in paths:
            parquet = pq.ParquetFile(path)
            convert = compile_decoder(Features.from_arrow_schema(parquet.schema_arrow)) if decode else (lambda row: row)
            for batch in parquet.iter_batches(batch_size=batch_size):
                for row in batch.to_pylist():
                    yield split, convert(row)


def release_version(folder: Path) -> str:
    """The version a release folder was built as (from its croissant.json), whatever the folder is called."""
    return json.loads((Path(folder) / "croissant.json").read_text(encoding="utf-8"))["version"]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_sums(folder: Path) -> dict[str, str]:
    """relative path -> sha256 from a release's SHA256SUMS."""
    sums = {}
    for line in (Path(folder) / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        sums[name] = digest
    return sums


def verify_release(folder: Path) -> list[str]:
    """Every difference between a release folder and its SHA256SUMS: changed, missing or extra files."""
    folder = Path(folder)
    sums = read_sums(folder)
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != "SHA256SUMS"}
    problems = [f"{folder / name}: missing" for name in sorted(sums.keys() - present)]
    problems += [f"{folder / name}: not listed in SHA256SUMS" for name in sorted(present - sums.keys())]
    problems += [f"{folder / name}: sha256 differs from SHA256SUMS (the file was changed)"
                 for name in sorted(sums.keys() & present) if sha256_of(folder / name) != sums[name]]
    return problems
