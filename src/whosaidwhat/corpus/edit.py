"""Correct an article's metadata without touching its text or id: the way out of a bad date, a
wrong outlet or a missing licence that ``ingest`` (which refuses a text it already has) cannot give.

>>> edit_article(Layout.find(), "wsw-752693cc0e635468", {"published_date": "2025-10-31"})   # doctest: +SKIP
{'published_date': (None, '2025-10-31'), 'published_date_source': (None, 'recorded')}

A value of ``""`` clears a field (unknown). The edited record is checked as ``ingest`` and
``validate`` check it (``corpus.metadata``) before it replaces the file, in one atomic rename; an
article file that is broken JSON is refused, never guessed at.
"""

from __future__ import annotations

from ..core.errors import CorpusError, InvalidDataError, UnusableInputError
from ..core.io import read_json, write_json
from ..core.layout import Layout, checked_id
from .ingest import ArticleMetadata
from .metadata import metadata_problems

EDITABLE = tuple(f for f in ArticleMetadata.__dataclass_fields__)  # never text, ids, digests, ingest times


def edit_article(layout: Layout, article_id: str, changes: dict) -> dict[str, tuple]:
    """Set the metadata fields in ``changes`` (``""``: unknown) and return ``{field: (old, new)}`` of
    what changed; an empty dict when nothing did (the file is then not written)."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise CorpusError(f"not metadata that can be edited: {', '.join(unknown)} (editable: {', '.join(EDITABLE)})")
    path = layout.article_path(checked_id(article_id))
    if not path.exists():
        raise UnusableInputError(path, f"no article {article_id} in the corpus")
    record = read_json(path)
    if not isinstance(record, dict) or record.get("article_id") != article_id:
        raise UnusableInputError(path, f"is not the article record of {article_id}")
    if changes.get("language") == "" or changes.get("redistributable") == "":
        raise CorpusError("language and redistributable always have a value: give one instead of clearing them")
    new = {**record, **{k: (None if v == "" else v) for k, v in changes.items()}}
    if new.get("published_date") is None:
        new["published_date_source"] = None
    elif new.get("published_date_source") is None:
        new["published_date_source"] = "recorded"  # as ingest sets it for a date given with the article
    problems = list(metadata_problems(new))
    if problems:
        raise InvalidDataError(f"{path}: " + "; ".join(f"{p}: {m}" for p, m in problems) + "; nothing was changed",
                               problems)
    changed = {k: (record.get(k), new[k]) for k in EDITABLE if record.get(k) != new.get(k)}
    if changed:
        write_json(path, new, overwrite=True)  # an explicit correction of this file, in one rename
    return changed
