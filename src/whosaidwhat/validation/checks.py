"""Validate: the corpus and every annotation file, first each record against its JSON Schema, then
integrity across records. Every problem is reported, none stops the run. A records file that
passed before, unchanged, with its article and the checking code unchanged, is not checked again
(``cache``, the cache of checked files).

A ``Problem`` names the file, the record id and the JSON pointer of the field, so a report reads
``annotations/records/wsw-....json: wsw-...:a3:q2 /content/0/end: ...``.

>>> report = validate()            # the whole repository
>>> report.ok, report.exit_code
(True, 0)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from ..core.layout import Layout
from ..core.parallel import ordered_map
from ..core.progress import progress
from ..core.problems import Problem
from . import cache as verified
from .articles import Checked, check_article_file
from .files import collect, relative
from .records import read_checked_records


@dataclass
class Report:
    files: int = 0
    records: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def exit_code(self) -> int:
        """0 clean, 1 invalid data, 2 a file could not be used at all."""
        if any(p.unusable for p in self.problems):
            return 2
        return 1 if self.problems else 0


def format_human(report: Report) -> str:
    lines = [str(p) for p in report.problems]
    verdict = "valid" if report.ok else f"{len(report.problems)} problem(s)"
    lines.append(f"{report.files} file(s), {report.records} record(s): {verdict}")
    return "\n".join(lines)


def format_json(report: Report) -> str:
    return json.dumps({"ok": report.ok, "files": report.files, "records": report.records,
                       "problems": [asdict(p) for p in report.problems]}, ensure_ascii=False, indent=2)


FORMATTERS = {"human": format_human, "json": format_json}


def validate(paths: Iterable[Path] | None = None, *, layout: Layout | None = None, jobs: int | None = 1,
             cache: bool = True) -> Report:
    """Check ``paths`` (default: the corpus and every records file of the repository), over
    ``jobs`` processes (None: every CPU); the report is the same whatever ``jobs`` is, and with or
    without the ``cache`` of files that passed before."""
    layout = layout or Layout.find()
    report = Report()
    for problem in iter_problems(paths, layout=layout, report=report, jobs=jobs, cache=cache):
        report.problems.append(problem)
    return report


def iter_problems(paths: Iterable[Path] | None = None, *, layout: Layout,
                  report: Report | None = None, jobs: int | None = 1, cache: bool = True) -> Iterator[Problem]:
    """Yield every problem of the given files, file by file. Each file is checked on its own (an
    article against the corpus file it names), so memory holds one file at a time; only article
    ids and text digests are kept, to find duplicates across files. With ``cache``, records files
    that passed before, unchanged and with their article unchanged, are not checked again
    (``validation.cache``); those that pass are entered."""
    report = report or Report()
    article_files, record_files = collect(paths, layout)
    ids_seen: dict[str, int] = {}
    texts_seen: dict[bytes, str] = {}
    if cache:
        verified.code_digest()  # computed once here: forked workers share it
    passed = verified.Passed()
    for i, checked in enumerate(progress(ordered_map(partial(check_article_file, layout=layout, cache=cache), article_files,
                                                     jobs=jobs), len(article_files), "validate: articles")):
        report.files += 1
        report.records += checked.records
        yield from checked.problems
        if checked.article_id is None:
            continue
        if checked.key is not None:
            passed.add_article(checked.key, checked.text_sha256)
        article_id = checked.article_id
        if ids_seen.setdefault(article_id, i) != i:
            yield Problem(relative(article_files[i], layout), f"article_id {article_id} is also used by "
                          f"{relative(article_files[ids_seen[article_id]], layout)}", "/article_id", article_id)
        other = texts_seen.setdefault(checked.text_sha256, article_id)
        if other != article_id:
            yield Problem(relative(article_files[i], layout), f"same text as article {other}", "/text_sha256", article_id)
    for checked in progress(ordered_map(partial(_check_records_file, layout=layout, cache=cache), record_files, jobs=jobs),
                            len(record_files), "validate: records files"):
        report.files += 1
        report.records += checked.records
        if checked.key is not None:
            passed.add_records(checked.key, checked.records)
        yield from checked.problems
    if cache:
        verified.remember(layout, passed, only=paths is None)


def _check_records_file(path: str, layout: Layout, cache: bool) -> Checked:
    checked = read_checked_records(path, layout, cache=cache, parse=False)
    return Checked(checked.problems, checked.records, key=checked.key)
