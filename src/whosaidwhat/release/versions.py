"""Versions of the release: what changed between two (``diff``), whether a version number fits
the change (Croissant's semantics: patch = same data re-serialised, minor = additions only, major =
records changed or removed, or articles moved between splits), and the CHANGELOG and DATASHEET
entries a build writes."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pyarrow.parquet as pq

from ..core.io import write_text
from ..core.layout import Layout
from .files import count_rows, iter_rows, read_sums, shards

ID_FIELDS = {"articles": "article_id", "entities": "mention_id", "quotes": "quote_id", "claims": "claim_id"}
STATS_START, STATS_END = "<!-- stats:start -->", "<!-- stats:end -->"


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int

    @property
    def name(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    @classmethod
    def parse(cls, text: str) -> "Version | None":
        m = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", text)
        return cls(*map(int, m.groups())) if m else None


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


def _digests(folder: Path, config: str, *, decode: bool) -> dict[str, tuple[str, bytes]]:
    """id -> (split, 16-byte digest of the row but its split): a compact fingerprint, so large
    versions fit in memory. Rows are hashed as stored (label ids) unless ``decode``."""
    out = {}
    key = ID_FIELDS[config]
    for split, row in iter_rows(folder, config, decode=decode):
        row.pop("split", None)
        out[row[key]] = (split, hashlib.blake2b(orjson.dumps(row, option=orjson.OPT_SORT_KEYS), digest_size=16).digest())
    return out


def _features(folder: Path, config: str) -> bytes | None:
    """The Features (label names included) a config's shards were written with."""
    paths = [path for split in shards(folder).get(config, {}).values() for path in split]
    found = {(pq.read_schema(path).metadata or {}).get(b"huggingface") for path in paths}
    return found.pop() if len(found) == 1 else None


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
    result = ReleaseDiff()
    sums = _sums(old), _sums(new)
    for config in ID_FIELDS:
        if _same_shards(*sums, config):
            result.layers[config] = LayerDiff()
            continue
        features = _features(old, config)
        decode = features is None or features != _features(new, config)
        a, b = _digests(old, config, decode=decode), _digests(new, config, decode=decode)
        d = LayerDiff(added=len(b.keys() - a.keys()), removed=len(a.keys() - b.keys()),
                      changed=sum(1 for k in a.keys() & b.keys() if a[k][1] != b[k][1]))
        if config == "articles":
            d.moved = sum(1 for k in a.keys() & b.keys() if a[k][0] != b[k][0])
        result.layers[config] = d
    return result


def previous_version(layout: Layout, version: str) -> Version | None:
    """The highest released version below ``version``."""
    this = Version.parse(version)
    found = [v for p in layout.releases.glob("*") if p.is_dir() and (v := Version.parse(p.name)) and v < this]
    return max(found) if found else None


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


def changelog_entry(previous: Version | None, folder: Path, diff: ReleaseDiff | None = None) -> str:
    if previous is None:
        counts = {c: count_rows(folder, c) for c in ID_FIELDS}
        return "First release: " + ", ".join(f"{c} {n}" for c, n in counts.items()) + "."
    diff = diff or diff_releases(folder.parent / previous.name, folder)
    return f"Changes since {previous.name}:\n" + "\n".join(f"- {layer}: {d}" for layer, d in diff.layers.items())


def update_changelog(layout: Layout, version: str, entry: Callable[[], str]) -> bool:
    """Add the version's entry at the top of CHANGELOG.md unless it is there already."""
    path = layout.root / "CHANGELOG.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Changelog\n\nReleases of the corpus, newest first.\n"
    if re.search(rf"^## {re.escape(version)}$", text, re.M):
        return False
    head, sep, rest = text.partition("\n## ")
    text = f"{head.rstrip()}\n\n## {version}\n\n{entry()}\n" + (f"\n## {rest}" if sep else "")
    write_text(path, text, overwrite=True)
    return True


def update_datasheet(layout: Layout, folder: Path, stats: dict) -> None:
    """Regenerate DATASHEET.md's statistics block from a release's ``release_stats`` (only for the
    newest release)."""
    path = layout.root / "DATASHEET.md"
    if not path.exists():
        return
    newest = max((v for p in layout.releases.glob("*") if p.is_dir() and (v := Version.parse(p.name))), default=None)
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
