"""Versions of the release: what changed between two (``diff``), whether a version number fits
the change (Croissant's semantics: patch = same data re-serialised, minor = additions only, major =
records changed or removed, or articles moved between splits), and the CHANGELOG and DATASHEET
entries a build writes.

A build diffs its new release against the previous one from the rows it writes (``RowDigests``,
gathered as the shards are written); ``diff_releases`` compares two folders, reading both."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from .. import layers
from ..core.io import write_text
from ..core.layout import Layout
from .features import compile_decoder, config_features
from .files import iter_rows, read_sums, shards
from .folders import Version, released_versions

def id_fields() -> dict[str, str]:
    """The configs a diff compares, each with the field that identifies a row: articles and every layer."""
    return {"articles": "article_id", **layers.id_fields()}
STATS_START, STATS_END = "<!-- stats:start -->", "<!-- stats:end -->"


@dataclass
class LayerDiff:
    added: int = 0
    removed: int = 0
    changed: int = 0
    moved: int = 0  # articles only: split changed

    def __str__(self) -> str:
        moved = f", {self.moved} moved between splits" if self.moved else ""
        return f"+{self.added} added, -{self.removed} removed, ~{self.changed} changed{moved}"


@dataclass
class ReleaseDiff:
    layers: dict[str, LayerDiff] = field(default_factory=dict)

    @property
    def level(self) -> str:
        """The smallest version bump this diff allows: patch, minor or major."""
        if any(d.removed or d.changed or d.moved for d in self.layers.values()):
            return "major"
        return "minor" if any(d.added for d in self.layers.values()) else "patch"

    def __str__(self) -> str:
        return "\n".join(f"{layer}: {d}" for layer, d in self.layers.items()) + f"\nsmallest fitting bump: {self.level}"


def row_digest(row: dict) -> bytes:
    """16 bytes of a row but its split (popped): a compact fingerprint, so large versions fit in memory."""
    row.pop("split", None)
    return hashlib.blake2b(orjson.dumps(row, option=orjson.OPT_SORT_KEYS), digest_size=16).digest()


def _digests(folder: Path, config: str, *, decode: bool) -> dict[str, tuple[str, bytes]]:
    """id -> (split, ``row_digest``) of a release folder's rows, hashed as stored (label ids)
    unless ``decode``."""
    key = id_fields()[config]
    return {row[key]: (split, row_digest(row)) for split, row in iter_rows(folder, config, decode=decode)}


@dataclass
class RowDigests:
    """What ``_digests`` gives for a config, gathered from its tables as a build writes them: the
    ids as Arrow strings and the digests 16 bytes each, per split, until the diff asks for the dict
    (a hundred thousand articles have millions of entity rows)."""

    config: str
    decode: bool  # labels decoded to names: the previous version has other Features
    _parts: dict[str, list[tuple[pa.Array, bytes]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._decoder = compile_decoder(config_features(self.config)) if self.decode else None

    def add(self, split: str, table: pa.Table) -> None:
        """Rows of ``split`` as they are written, in order."""
        rows = table.to_pylist()
        if self._decoder is not None:
            rows = map(self._decoder, rows)
        key = id_fields()[self.config]
        ids, digests = [], []
        for row in rows:
            digests.append(row_digest(row))
            ids.append(row[key])
        self._parts.setdefault(split, []).append((pa.array(ids, pa.string()), b"".join(digests)))

    def by_id(self) -> dict[str, tuple[str, bytes]]:
        """id -> (split, digest), splits in name order as ``_digests`` reads a folder's shards."""
        out = {}
        for split in sorted(self._parts):
            for ids, digests in self._parts[split]:
                for i, row_id in enumerate(ids.to_pylist()):
                    out[row_id] = (split, digests[16 * i:16 * i + 16])
        return out


def _features(folder: Path, config: str) -> bytes | None:
    """The Features (label names included) a config's shards were written with."""
    paths = [path for split in shards(folder).get(config, {}).values() for path in split]
    found = {(pq.read_schema(path).metadata or {}).get(b"huggingface") for path in paths}
    return found.pop() if len(found) == 1 else None


def _decoded(old: Path, config: str, new_features: bytes | None) -> bool:
    """Whether rows are compared with labels decoded: unless both versions have the same Features,
    label ids need not mean the same names."""
    features = _features(old, config)
    return features is None or features != new_features


def digest_modes(old: Path) -> dict[str, bool]:
    """config -> whether its rows are hashed decoded, for a build that will be diffed against the
    release ``old``: decided before the build writes, from the Features it writes with."""
    return {config: _decoded(old, config, config_features(config).arrow_schema.metadata[b"huggingface"])
            for config in id_fields()}


def _sums(folder: Path) -> dict[str, str]:
    try:
        return read_sums(folder)
    except FileNotFoundError:
        return {}


def _same_shards(a: dict[str, str], b: dict[str, str], config: str) -> bool:
    """Whether a config's shards are the same files in both versions (``a``, ``b``: their SHA256SUMS)."""
    mine = {name: digest for name, digest in a.items() if name.startswith(f"{config}/")}
    return bool(mine) and mine == {name: digest for name, digest in b.items() if name.startswith(f"{config}/")}


def diff_releases(old: Path, new: Path) -> ReleaseDiff:
    """Articles and annotations (gold) added, removed and changed between two release folders.
    Rows are compared as stored when both versions have the same Features (label ids mean the
    same names), else with labels decoded to their names."""
    return _diff(old, _sums(new), lambda config: _decoded(old, config, _features(new, config)),
                 lambda config, decode: _digests(new, config, decode=decode))


def diff_written(old: Path, shard_sums: dict[str, str], digests: dict[str, RowDigests]) -> ReleaseDiff:
    """``diff_releases`` of the release ``old`` and a release being built, from what its build
    gathered: the sha256 of its shards (relative path -> digest) and the ``digests`` of its rows,
    hashed as ``digest_modes(old)`` decided."""
    return _diff(old, shard_sums, lambda config: digests[config].decode, lambda config, _: digests[config].by_id())


def _diff(old: Path, new_sums: dict[str, str], decoded: Callable[[str], bool],
          new_digests: Callable[[str, bool], dict[str, tuple[str, bytes]]]) -> ReleaseDiff:
    result = ReleaseDiff()
    old_sums = _sums(old)
    for config in id_fields():
        if _same_shards(old_sums, new_sums, config):
            result.layers[config] = LayerDiff()
            continue
        decode = decoded(config)
        a, b = _digests(old, config, decode=decode), new_digests(config, decode)
        d = LayerDiff(added=len(b.keys() - a.keys()), removed=len(a.keys() - b.keys()),
                      changed=sum(1 for k in a.keys() & b.keys() if a[k][1] != b[k][1]))
        if config == "articles":
            d.moved = sum(1 for k in a.keys() & b.keys() if a[k][0] != b[k][0])
        result.layers[config] = d
    return result


def previous_version(layout: Layout, version: str) -> Version | None:
    """The highest released version below ``version``."""
    this = Version.parse(version)
    return max((v for v in released_versions(layout) if v < this), default=None)


def bump_level(old: Version, new: Version) -> str:
    if new.major != old.major:
        return "major"
    return "minor" if new.minor != old.minor else "patch"


def check_bump(previous: Version, diff: ReleaseDiff, version: str) -> list[str]:
    """A warning when the version number does not fit the change (``diff``) from the previous version."""
    needed = diff.level
    given = bump_level(previous, Version.parse(version))
    if given != needed:
        return [f"version {version} is a {given} bump over {previous.name}, but the change calls for a {needed} bump "
                f"(patch: same data; minor: additions only; major: changed or removed records, or split moves)"]
    return []


def changelog_entry(previous: Version | None, rows: dict[str, dict[str, int]], diff: ReleaseDiff | None) -> str:
    """A version's CHANGELOG entry: its row counts (``rows``: config -> split -> rows) for the first
    release, else ``diff``, its changes since ``previous``."""
    if previous is None:
        counts = {c: sum(rows.get(c, {}).values()) for c in id_fields()}
        return "First release: " + ", ".join(f"{c} {n}" for c, n in counts.items()) + "."
    return f"Changes since {previous.name}:\n" + "\n".join(f"- {layer}: {d}" for layer, d in diff.layers.items())


def _changelog(layout: Layout) -> str:
    path = layout.root / "CHANGELOG.md"
    return path.read_text(encoding="utf-8") if path.exists() else "# Changelog\n\nReleases of the corpus, newest first.\n"


def has_changelog_entry(layout: Layout, version: str) -> bool:
    return re.search(rf"^## {re.escape(version)}$", _changelog(layout), re.M) is not None


def update_changelog(layout: Layout, version: str, entry: Callable[[], str]) -> bool:
    """Add the version's entry at the top of CHANGELOG.md unless it is there already."""
    if has_changelog_entry(layout, version):
        return False
    path, text = layout.root / "CHANGELOG.md", _changelog(layout)
    head, sep, rest = text.partition("\n## ")
    text = f"{head.rstrip()}\n\n## {version}\n\n{entry()}\n" + (f"\n## {rest}" if sep else "")
    write_text(path, text, overwrite=True)
    return True


def update_datasheet(layout: Layout, folder: Path, stats: dict) -> None:
    """Regenerate DATASHEET.md's statistics block from a release's statistics
    (``ReleaseDescription.stats``), only for the newest release."""
    path = layout.root / "DATASHEET.md"
    if not path.exists():
        return
    newest = max(released_versions(layout), default=None)
    if newest is None or newest.name != folder.name:
        return
    lines = [STATS_START, f"Statistics of release {folder.name} (regenerated by `whosaidwhat build`):", "",
             f"- articles with gold annotations: {stats['articles']} ({stats['redistributable']} redistributable)"]
    for config, splits in stats["configs"].items():
        lines.append(f"- `{config}`: " + ", ".join(f"{s} {v['rows']} rows" for s, v in splits.items()))
    for key, counts in stats["labels"].items():
        lines.append(f"- {key}: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
    lines.append(STATS_END)
    text = path.read_text(encoding="utf-8")
    block = "\n".join(lines)
    if STATS_START in text:
        text = re.sub(re.escape(STATS_START) + ".*?" + re.escape(STATS_END), lambda _: block, text, flags=re.S)
    else:
        text = text.replace("\n## Collection", f"\n{block}\n\n## Collection", 1)
    write_text(path, text, overwrite=True)
