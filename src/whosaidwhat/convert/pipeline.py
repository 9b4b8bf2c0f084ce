"""Convert raw Label Studio exports into standoff records (``annotations/records/``).

Label Studio accepts anything (start > end, unknown labels, unknown controls, relations to nowhere),
so nothing is trusted that was not checked (``records``): regions against the config's labels,
per-region choices against the region they sit on, relations against the roles they join, offsets
against the article text. Every problem is a ``Problem`` naming the export file, the task and
annotation, the region or field; if there is any, nothing is written.

Exports come from sources (``labelstudio.sources``: one project on one server), and a source only
speaks for itself: an article's records are the union of what each source's newest export of it
says, and an export replaces only its own source's records. What changed is reported per article
and record set (``changes``); a removal is written only with ``allow_removal``.

>>> report = convert(layout=Layout.find())
>>> report.annotations, report.cancelled
(3, 1)
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from ..core.errors import CorpusError, InvalidDataError
from ..core.io import dumpb
from ..core.layout import ARTICLE_ID, Layout
from ..core.locks import exclusive
from ..core.parallel import ordered_map
from ..core.progress import progress
from ..core.problems import Problem
from ..validation import cache as verified
from ..validation.records import record_count
from ..validation.files import relative
from .exports import (NotOneTaskPerLine, Shape, check_export, iter_tasks, one_task_per_line, piece_ranges,
                      pieces_are_one_array, task_lines)
from ..labelstudio.sources import SOURCE_FILE, Source, check_distinct, folder_source
from .changes import ADDED, CHANGED, REMOVED, Change, NotRecords, article_changes, without_sources
from .records import mark_support, sorted_records, task_records
from .swap import fresh_records, recover_records, swap_records, write_new


@dataclass(kw_only=True, slots=True)
class Tally:
    """Counts, offset corrections and problems: of one task, or summed over a conversion."""

    tasks: int = 0
    annotations: int = 0
    predictions: int = 0
    cancelled: int = 0
    drafts: int = 0
    corrections: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for name in ("tasks", "annotations", "predictions", "cancelled", "drafts"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.corrections.extend(other.corrections)
        self.problems.extend(other.problems)


@dataclass(kw_only=True, slots=True)
class ConvertReport(Tally):
    exports: int = 0
    sources: int = 0
    written: list[str] = field(default_factory=list)  # the articles whose records files were written
    changes: list[Change] = field(default_factory=list)  # per article and record set: added, changed, removed

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    def summary(self) -> str:
        return (f"{self.exports} export(s) from {self.sources} source(s), {self.tasks} task(s): {self.annotations} "
                f"annotation(s) and {self.predictions} prediction(s) converted, {self.cancelled} cancelled and "
                f"{self.drafts} draft(s) skipped, {len(self.corrections)} offset correction(s), {len(self.written)} "
                f"file(s) written; record sets {self.count(ADDED)} added, {self.count(CHANGED)} changed, "
                f"{self.count(REMOVED)} removed")


class RemovalRefused(InvalidDataError):
    """Records would disappear; ``problems`` lists each removal. Nothing was written."""


@dataclass(kw_only=True, slots=True)
class _Outcome(Tally):  # slots: the parent keeps one per article until the end
    """What converting one task gave, and whether its records file was written."""

    article_id: str | None
    order: tuple[int, int]  # (export number, position or byte offset): the newest version wins
    task_id: object = None
    written: bool = False
    key: bytes | None = None  # the written file's key in the cache of checked files (it passed every check)
    records: int = 0


@dataclass
class _Piece:
    """The outcomes of one byte range of an export laid out one task per line, and its shape."""

    outcomes: list[_Outcome]
    shape: Shape = field(default_factory=Shape)


@dataclass(frozen=True)
class _Job:
    """Everything a worker needs to convert one range of one export."""

    layout: Layout
    fresh: Path
    path: Path
    source: Source
    number: int
    lo: int
    hi: int


def _convert_piece(job: _Job) -> _Piece:
    piece = _Piece([])
    try:
        for offset, task in task_lines(job.path, job.lo, job.hi, piece.shape):
            piece.outcomes.append(_convert_task(task, job.layout, job.fresh, job.path, job.source, (job.number, offset), offset,
                                                False))
    except NotOneTaskPerLine:
        piece.shape.broken = True  # fails the layout check: the export is read as a stream instead
    return piece


def _convert_task(task, layout: Layout, fresh: Path, path: Path, source: Source, order: tuple[int, int],
                  byte: int | None, joined: bool) -> _Outcome:
    """Convert one task of ``source`` and write its article's records file into the fresh folder
    (if it has no problem), keeping the records of other sources that the file holds, and with
    ``joined`` (another task of the article in the same export came first) this source's records
    too. ``byte``: where the task's line starts, in an export read in pieces (else its position, in
    ``order``, gives the JSON pointer)."""
    file = relative(path, layout)
    data = task.get("data") if isinstance(task, dict) else None
    article_id = data.get("article_id") if isinstance(data, dict) else None
    if not isinstance(article_id, str) or not ARTICLE_ID.match(article_id):
        at = (f"task at byte {byte}", "/data/article_id") if byte is not None else (None, f"/{order[1]}/data/article_id")
        return _Outcome(article_id=None, order=order, problems=[
            Problem(file, f"{article_id!r} is not an article id (wsw- and 16 hex digits)", at[1], at[0])])
    outcome = _Outcome(article_id=article_id, order=order, task_id=task.get("id"))
    name = f"{article_id}.json"
    try:
        existing = orjson.loads((fresh / name).read_bytes())
        kept = without_sources(existing, set() if joined else {source.prefix})
    except FileNotFoundError:
        kept = None
    except (orjson.JSONDecodeError, NotRecords) as e:
        outcome.problems.append(Problem(relative(layout.records_path(article_id), layout),
                                        f"cannot keep the records of other sources: {e} (run `whosaidwhat validate`)"))
        return outcome
    records, article_raw = task_records(task, article_id, file, layout, outcome, source, kept)
    if records is not None and not outcome.problems:
        blob = dumpb(records)
        write_new(fresh / name, blob)
        outcome.written = True
        outcome.key = verified.records_key(name, blob, article_raw)
        outcome.records = record_count(records)
    return outcome


def _outcomes(path: Path, source: Source, number: int, layout: Layout, fresh: Path, jobs: int | None) -> Iterator[_Outcome]:
    """The outcome of every task of one export: in parallel pieces when it is laid out one task per
    line, else from one stream. An article with several tasks in one export (pushed twice) gets the
    records of all of them: in pieces, its tasks are converted again at the end, one after the
    other, each joined to the ones before (of a task given twice, its last version)."""
    if one_task_per_line(path):
        work = [_Job(layout, fresh, path, source, number, lo, hi) for lo, hi in piece_ranges(path)]
        pieces = list(progress(ordered_map(_convert_piece, work, jobs=jobs, chunksize=1, per_job=1), len(work),
                               f"convert: pieces of {path.name}"))
        if pieces_are_one_array([piece.shape for piece in pieces]):
            seen: dict[str | None, int] = {}
            for piece in pieces:
                for outcome in piece.outcomes:
                    seen[outcome.article_id] = seen.get(outcome.article_id, 0) + 1
            again: dict[str, list[_Outcome]] = {}
            for piece in pieces:
                for outcome in piece.outcomes:
                    if outcome.article_id is not None and seen[outcome.article_id] > 1:
                        again.setdefault(outcome.article_id, []).append(outcome)
                    else:
                        yield outcome
            for outcomes in again.values():
                last = {o.task_id: o for o in outcomes}  # of the same task given twice, its last version
                with open(path, "rb") as f:
                    for i, outcome in enumerate(o for o in outcomes if last[o.task_id] is o):
                        f.seek(outcome.order[1])
                        yield _convert_task(orjson.loads(f.readline().strip().rstrip(b",")), layout, fresh, path, source,
                                            outcome.order, outcome.order[1], i > 0)
            return
    here: dict[str, set] = {}  # article -> ids of its tasks converted from this export
    for position, task in iter_tasks(path):
        others = here.get(_article_of(task), set()) - {task.get("id") if isinstance(task, dict) else None}
        outcome = _convert_task(task, layout, fresh, path, source, (number, position), None, bool(others))
        if outcome.article_id is not None:
            here.setdefault(outcome.article_id, set()).add(outcome.task_id)
        yield outcome


def _article_of(task) -> str | None:
    data = task.get("data") if isinstance(task, dict) else None
    return data.get("article_id") if isinstance(data, dict) else None


def convert(paths: Iterable[Path] | None = None, *, layout: Layout, jobs: int | None = 1, cache: bool = True,
            allow_removal: bool = False) -> ConvertReport:
    """Turn exports (default: every ``export-*.json`` under ``annotations/labelstudio/``) into one
    records file per article: for each source (the folder of an export), the newest version of the
    article's task (exports are named by UTC time), joined to what other sources say of it. Exports
    are read as streams, in pieces over ``jobs`` processes (None: every CPU) when laid out one task
    per line, and records are written as they are made into a new folder that replaces ``records/``
    only if every export converted cleanly and nothing is removed that ``allow_removal`` does not
    allow: nothing is written otherwise. Every file written from a task is checked as validate
    checks it; with ``cache`` it is entered in the cache of checked files (``validation.cache``), so
    validate and build do not check it again (a file that only lost a deleted task's records is left
    for validate to check)."""
    report = ConvertReport()
    files = sorted((Path(p) for p in paths) if paths is not None else layout.labelstudio_exports.rglob("export-*.json"),
                   key=lambda p: p.name)
    for path in files:
        check_export(path)
    sources = {folder: folder_source(folder) for folder in sorted({path.parent for path in files})}
    check_distinct([*sources.values(), *(folder_source(f.parent) for f in sorted(layout.labelstudio_exports.glob(f"*/{SOURCE_FILE}"))
                                         if f.parent not in sources)])
    _refuse_older_alone(files)
    report.sources = len({s.id for s in sources.values()})
    with exclusive(layout.annotations, "convert"):
        recover_records(layout)
        fresh = fresh_records(layout)
        try:
            final, gone = _latest(files, sources, layout, fresh, jobs, report)
            if not report.problems:
                _drop_deleted_tasks(gone, fresh, final, report)
            if report.problems:
                raise InvalidDataError(f"{len(report.problems)} problem(s) in the Label Studio exports; no records written",
                                       report.problems)
            report.changes = _changes(report.written, layout, fresh, jobs)
            removals = [c for c in report.changes if c.kind == REMOVED]
            if removals and not allow_removal:
                raise RemovalRefused(
                    f"{len(removals)} record set(s) would be removed (deleted in their own source); nothing written. "
                    "Run again with --allow-removal to remove them", [_removal_problem(c, layout) for c in removals])
            os.sync()  # the files were written without a flush each; all reach the disk before the swap
            swap_records(layout, fresh)
            if cache:
                passed = verified.Passed()
                for o in final.values():
                    if o.written and o.key:
                        passed.add_records(o.key, o.records)
                verified.remember(layout, passed)
        finally:
            shutil.rmtree(fresh, ignore_errors=True)
    return report


def _refuse_older_alone(files: list[Path]) -> None:
    """Refuse an export given without the newer ones of its source: converting it would roll back
    what the source changed since."""
    given = set(files)
    for folder in sorted({path.parent for path in files}):
        exports = sorted(folder.glob("export-*.json"), key=lambda p: p.name)
        oldest_given = min((p for p in files if p.parent == folder), key=lambda p: p.name)
        newer = [p for p in exports if p.name > oldest_given.name and p not in given]
        if newer:
            raise CorpusError(f"{oldest_given} is older than {newer[-1].name} of the same source, which was not given: "
                              "converting it would undo what changed since; give the newest exports too, or none "
                              "(`whosaidwhat convert` reads them all)")


def _drop_deleted_tasks(gone: list[tuple[Source, str]], fresh: Path, final: dict[str, _Outcome],
                        report: ConvertReport) -> None:
    """A source's newest export is all of its project: an article whose task an older export of
    that source held and the newest does not (``gone``) was deleted there, and loses that source's
    records (a removal, so written only when allowed)."""
    for source, article_id in gone:
        path = fresh / f"{article_id}.json"
        if not path.exists():
            continue
        records = orjson.loads(path.read_bytes())
        kept = without_sources(records, {source.prefix})
        if kept == {layer: records[layer] for layer in kept}:
            continue
        mark_support(kept)
        write_new(path, dumpb(sorted_records(article_id, kept)))
        final.pop(article_id, None)  # not entered in the cache: validate checks it
        if article_id not in report.written:
            report.written.append(article_id)


def _removal_problem(change: Change, layout: Layout) -> Problem:
    return Problem(relative(layout.records_path(change.article_id), layout),
                   f"{change} would be removed: its source no longer has this annotation or task", record_id=change.key)


def _article_changes(item: tuple[str, Path, Path]) -> list[Change]:
    return article_changes(*item)


def _changes(written: list[str], layout: Layout, fresh: Path, jobs: int | None) -> list[Change]:
    """What changed in each written article, set by set (over ``jobs`` processes)."""
    items = [(a, layout.records_path(a), fresh / f"{a}.json") for a in written]
    return [c for changes in ordered_map(_article_changes, items, jobs=jobs, chunksize=256) for c in changes]


def _latest(files: list[Path], sources: dict[Path, Source], layout: Layout, fresh: Path, jobs: int | None,
            report: ConvertReport) -> tuple[dict[str, _Outcome], list[tuple[Source, str]]]:
    """Convert every export in turn; the outcome of each source's newest task of each article, all
    added to ``report``. Returns the last outcome of each article (its file as written), and the
    (source, article) whose task an older export of the source held and its newest does not."""
    latest: dict[tuple[str, str], tuple[int, dict]] = {}  # per source and article: its newest export's tasks, by id
    final: dict[str, _Outcome] = {}
    unplaced: list[_Outcome] = []
    for number, path in enumerate(files):
        report.exports += 1
        source = sources[path.parent]
        for outcome in _outcomes(path, source, number, layout, fresh, jobs):
            if outcome.article_id is None:
                unplaced.append(outcome)
                continue
            known = latest.get((source.id, outcome.article_id))
            if known is not None and known[0] == number:
                known[1].pop(outcome.task_id, None)
                known[1][outcome.task_id] = outcome  # of a task given twice, its last version
            else:
                latest.pop((source.id, outcome.article_id), None)
                latest[(source.id, outcome.article_id)] = (number, {outcome.task_id: outcome})
            final[outcome.article_id] = outcome
    for outcome in unplaced:
        report.add(outcome)
    for _, outcomes in latest.values():
        for outcome in outcomes.values():
            report.add(outcome)
    report.written = [a for a, o in final.items() if o.written]
    newest = {sources[path.parent].id: number for number, path in enumerate(files)}  # files are in time order
    by_id = {source.id: source for source in sources.values()}
    gone = sorted(((by_id[source_id], article_id) for (source_id, article_id), (number, _) in latest.items()
                   if number < newest[source_id]), key=lambda pair: (pair[0].id, pair[1]))
    return final, gone
