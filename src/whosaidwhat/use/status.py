"""Where each article stands: ingested, sent to Label Studio, annotated by whom, adjudicated into
gold, released in which versions. What a newcomer asks after ``ingest`` ("why is my article not in
the release?"), answered from the files alone, with no server.

>>> for row in article_status(Layout.find()): print(row.article_id, row.state)   # doctest: +SKIP

- **in Label Studio**: a task for it in the newest export of a source (``annotations/labelstudio/``):
  what was pushed and then pulled; a task pushed but never pulled is not known to the files.
- **annotated by**: the pseudonyms of the human record sets in ``annotations/records/``.
- **gold**: the article has gold records (it is released by the next ``build``).
- **released in**: the versions under ``releases/`` whose ``articles`` config holds it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

import pyarrow.parquet as pq

from ..convert.exports import iter_tasks
from ..core.layout import Layout
from ..core.records import iter_articles, iter_record_files
from ..labelstudio.sources import folder_source
from ..release.folders import released_versions

STATES = ("ingested", "in Label Studio", "annotated", "gold", "released")


@dataclass
class ArticleStatus:
    article_id: str
    title: str | None
    sources: list[str] = field(default_factory=list)  # Label Studio sources with a task for it
    annotators: list[str] = field(default_factory=list)  # pseudonyms of its human record sets
    gold: bool = False
    released_in: list[str] = field(default_factory=list)  # versions, oldest first

    @property
    def state(self) -> str:
        """The furthest stage the article has reached."""
        if self.released_in:
            return "released"
        if self.gold:
            return "gold"
        if self.annotators:
            return "annotated"
        if self.sources:
            return "in Label Studio"
        return "ingested"


def _sources_of(layout: Layout) -> dict[str, list[str]]:
    """article_id -> the sources whose newest export has a task for it."""
    found: dict[str, list[str]] = {}
    if not layout.labelstudio_exports.exists():
        return found
    for folder in sorted(p for p in layout.labelstudio_exports.iterdir() if p.is_dir()):
        exports = sorted(folder.glob("export-*.json"))
        if not exports or not (folder / "source.json").exists():
            continue
        source = folder_source(folder).id
        for _, task in iter_tasks(exports[-1]):
            article_id = (task.get("data") or {}).get("article_id")
            if article_id and source not in found.setdefault(article_id, []):
                found[article_id].append(source)
    return found


def _releases_of(layout: Layout) -> dict[str, list[str]]:
    """article_id -> the versions that hold it, oldest first."""
    found: dict[str, list[str]] = {}
    if not layout.releases.exists():
        return found
    for version in released_versions(layout):
        for shard in sorted((layout.releases / version.name / "articles").glob("*.parquet")):
            for article_id in pq.read_table(shard, columns=["article_id"]).column("article_id").to_pylist():
                found.setdefault(article_id, []).append(version.name)
    return found


def article_status(layout: Layout) -> Iterator[ArticleStatus]:
    """The status of every corpus article, in id order."""
    sources, releases = _sources_of(layout), _releases_of(layout)
    annotated: dict[str, tuple[list[str], bool]] = {}
    for records in iter_record_files(layout):
        rows = [r for layer in ("entities", "quotes", "claims") for r in records.get(layer, [])]
        annotated[records["article_id"]] = (sorted({r["annotator"] for r in rows if r.get("origin") == "human"}),
                                            any(r.get("origin") == "gold" for r in rows))
    for article in iter_articles(layout):
        article_id = article["article_id"]
        annotators, gold = annotated.get(article_id, ([], False))
        yield ArticleStatus(article_id, article.get("title"), sources.get(article_id, []), annotators, gold,
                            releases.get(article_id, []))


def format_status(rows: list[ArticleStatus]) -> str:
    """A line per article, then how many are at each stage."""
    lines = []
    for row in rows:
        title = (row.title or "(no title)")[:48]
        where = []
        if row.sources:
            where.append("in Label Studio (" + ", ".join(row.sources) + ")")
        if row.annotators:
            where.append(f"annotated by {len(row.annotators)}")
        where.append("gold" if row.gold else "no gold yet")
        if row.released_in:
            where.append("released in " + ", ".join(row.released_in))
        lines.append(f"{row.article_id}  {row.state:<15}  {title:<48}  {'; '.join(where)}")
    counts = {state: sum(r.state == state for r in rows) for state in STATES}
    lines.append(f"{len(rows)} article(s): " + ", ".join(f"{n} {state}" for state, n in counts.items() if n))
    return "\n".join(lines)


def format_status_json(rows: list[ArticleStatus]) -> str:
    return json.dumps([{**asdict(r), "state": r.state} for r in rows], ensure_ascii=False, indent=2)
