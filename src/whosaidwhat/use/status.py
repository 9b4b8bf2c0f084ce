"""Where each article stands: ingested, sent to Label Studio, annotated by whom, adjudicated into
gold, released in which versions. What a newcomer asks after ``ingest`` ("why is my article not in
the release?"), answered from the files alone, with no server.

>>> for row in article_status(Layout.find()): print(row.article_id, row.state)   # doctest: +SKIP

- **in Label Studio**: a task for it in the newest export of a source (``annotations/labelstudio/``):
  what was pushed and then pulled; a task pushed but never pulled is not known to the files.
- **annotated by**: the pseudonyms of the human record sets in ``annotations/records/``.
- **gold**: the article has gold records (it is released by the next ``build``).
- **released in**: the versions under ``releases/`` whose ``articles`` config holds it
  ("withdrawn" when the newest version no longer does).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

import pyarrow as pa
import pyarrow.parquet as pq

from ..convert.exports import iter_tasks
from ..core.errors import UnusableInputError
from ..core.layout import Layout
from ..core.records import iter_articles, iter_record_files
from ..labelstudio.sources import folder_source
from ..release.folders import released_versions

STATES = ("ingested", "in Label Studio", "annotated", "gold", "released", "withdrawn")


@dataclass
class ArticleStatus:
    article_id: str
    title: str | None
    sources: list[str] = field(default_factory=list)  # Label Studio sources with a task for it
    annotators: list[str] = field(default_factory=list)  # pseudonyms of its human record sets
    gold: bool = False
    released_in: list[str] = field(default_factory=list)  # versions, oldest first
    newest_release: str | None = None  # the newest version in releases/

    @property
    def state(self) -> str:
        """The furthest stage the article has reached: "withdrawn" when an earlier version holds it
        and the newest does not."""
        if self.released_in:
            return "released" if self.released_in[-1] == self.newest_release else "withdrawn"
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
        if not exports:
            continue
        source = folder_source(folder).id  # a folder without source.json: one line, as convert says it
        for _, task in iter_tasks(exports[-1]):
            data = task.get("data") if isinstance(task, dict) else None
            article_id = data.get("article_id") if isinstance(data, dict) else None  # a malformed task: convert names it
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
            try:
                ids = pq.read_table(shard, columns=["article_id"]).column("article_id").to_pylist()
            except (pa.ArrowException, OSError) as error:
                raise UnusableInputError(shard, f"cannot be read ({str(error).splitlines()[0]}); "
                                                f"`whosaidwhat verify {version.name}` checks the release") from None
            for article_id in ids:
                found.setdefault(article_id, []).append(version.name)
    return found


def article_status(layout: Layout) -> Iterator[ArticleStatus]:
    """The status of every corpus article, in id order."""
    sources, releases = _sources_of(layout), _releases_of(layout)
    versions = released_versions(layout) if layout.releases.exists() else []
    newest = versions[-1].name if versions else None
    annotated: dict[str, tuple[list[str], bool]] = {}
    for records in iter_record_files(layout):
        if not isinstance(records, dict) or not isinstance(records.get("article_id"), str):
            continue  # not a records file at all: validate names it
        rows = [r for layer in ("entities", "quotes", "claims") for r in (records.get(layer) or []) if isinstance(r, dict)]
        annotated[records["article_id"]] = (sorted({str(r.get("annotator")) for r in rows if r.get("origin") == "human"}),
                                            any(r.get("origin") == "gold" for r in rows))
    for article in iter_articles(layout):
        article_id = article["article_id"]
        annotators, gold = annotated.get(article_id, ([], False))
        yield ArticleStatus(article_id, article.get("title"), sources.get(article_id, []), annotators, gold,
                            releases.get(article_id, []), newest)


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
            where.append("released in " + ", ".join(row.released_in)
                         + ("" if row.state == "released" else f"; not in {row.newest_release}, the newest"))
        lines.append(f"{row.article_id}  {row.state:<15}  {title:<48}  {'; '.join(where)}")
    counts = {state: sum(r.state == state for r in rows) for state in STATES}
    lines.append(f"{len(rows)} article(s): " + ", ".join(f"{n} {state}" for state, n in counts.items() if n))
    return "\n".join(lines)


def format_status_json(rows: list[ArticleStatus]) -> str:
    return json.dumps([{**asdict(r), "state": r.state} for r in rows], ensure_ascii=False, indent=2)
