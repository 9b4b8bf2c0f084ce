"""Which files a check reads and how problems name them: paths relative to the repository, as
strings (a hundred thousand ``Path`` objects take tens of megabytes, and ``Path`` arithmetic was a
third of a cached validate)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..core.layout import Layout
from ..core.records import records_folder


def relative(path: str | Path, layout: Layout) -> str:
    """``path`` relative to the repository root, as problems name files. A path under the root as
    given is cut as a string (this runs for every file of a hundred thousand; ``Path`` arithmetic
    and ``resolve`` took a third of a cached validate)."""
    text, root = os.fspath(path), os.path.join(layout.root, "")
    if text.startswith(root):
        return text[len(root):]
    path = Path(path)
    for child, root in ((path, layout.root), (path.resolve(), layout.root.resolve())):
        try:
            return str(child.relative_to(root))
        except ValueError:
            pass
    return str(path)


def collect(paths: Iterable[Path] | None, layout: Layout) -> tuple[list[str], list[str]]:
    """Article files and annotation-record files to check, as path strings (a hundred thousand
    ``Path`` objects take tens of megabytes). A path under ``corpus/`` is an article, anything else
    is a records file; folders are searched for ``*.json``."""
    if paths is None:
        return json_files(layout.corpus), json_files(records_folder(layout))
    files: list[Path] = []
    for path in map(Path, paths):
        # sorted in Path's order, the parts of each path computed once (Path's own comparison recomputes them)
        files.extend(sorted(path.rglob("*.json"), key=lambda p: p.parts) if path.is_dir() else [path])
    corpus = layout.corpus.resolve()
    resolved = {parent: parent.resolve() for parent in {p.parent for p in files}}  # once per folder, not per file
    where = [corpus == resolved[p.parent] or corpus in resolved[p.parent].parents for p in files]
    return [str(p) for p, a in zip(files, where) if a], [str(p) for p, a in zip(files, where) if not a]


def json_files(folder: Path) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(".json"))
    except FileNotFoundError:
        return []
    return [os.path.join(folder, name) for name in names]




def article_file(layout: Layout, article_id: str) -> str:
    """The corpus file of a checked article id, as a string (``Layout.article_path`` without the
    Path objects, for the read of every file)."""
    return os.path.join(layout.root, "corpus", f"{article_id}.json")
