"""What an article's metadata and text must be, checked once here for ``ingest``, ``edit`` and
``validate`` alike, so a value ingest accepts is never one validate later refuses.

- ``published_date``: a real calendar date in ISO 8601, ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``
  (optionally with a time and offset, as the schema allows): ``2025-13-45`` and ``31/10/2025`` are not.
- ``url``: an absolute ``http`` or ``https`` address with a host.
- ``language``: a BCP-47 tag (the schema's pattern, ``core.layout.LANGUAGE_TAG``);
  ``published_date_source``: one of the taxonomy's; ``redistributable``: true or false.
- ``license``: an SPDX licence expression, written as SPDX writes it (``CC-BY-2.5``, ``MIT OR
  Apache-2.0``), or ``unknown``; null means the same as ``unknown``. Checked with
  ``license-expression``'s SPDX licence list rather than a list of our own.
- ``text``: no NUL or other control characters except newline and tab, no lone surrogates (text
  that cannot be written as UTF-8); each is named with its code-point position.

Every function yields ``(JSON pointer, message)`` pairs; the caller says which file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from functools import lru_cache
from urllib.parse import urlsplit

from ..core.layout import LANGUAGE_TAG
from ..core.taxonomy import load_taxonomy

UNKNOWN_LICENSE = "unknown"
DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(T.+)?)?)?")
# Unicode's control characters (Cc) but newline and tab, and the surrogates (Cs)
NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
MAX_LISTED = 5  # characters named one by one before "and N more"


def date_problem(value: str) -> str | None:
    """Why ``value`` is not a calendar date in ISO 8601, or None."""
    m = DATE.fullmatch(value)
    if not m:
        return f"{value!r} is not an ISO 8601 date: write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2025-10-31)"
    year, month, day, time = m.groups()
    try:
        if time:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        else:
            date(int(year), int(month or 1), int(day or 1))
    except ValueError as error:
        return f"{value!r} is not a calendar date ({error})"
    return None


def url_problem(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        return f"{value!r} is not an absolute http(s) URL"
    return None


@lru_cache(maxsize=1)
def _spdx():
    from license_expression import get_spdx_licensing
    return get_spdx_licensing()


@lru_cache(maxsize=1024)  # a corpus has a handful of licences and validate checks every article
def license_problem(value: str) -> str | None:
    if value == UNKNOWN_LICENSE:
        return None
    result = _spdx().validate(value, strict=True)
    if result.errors or result.normalized_expression is None:
        return f"{value!r} is not an SPDX licence expression (e.g. CC-BY-2.5, MIT) or 'unknown'"
    if result.normalized_expression != value:
        return f"{value!r}: write it as SPDX does, {result.normalized_expression!r}"
    return None


TEXT_FIELDS = ("title", "outlet", "url", "author", "published_date", "language", "license", "note")


def language_problem(value: str) -> str | None:
    if not LANGUAGE_TAG.match(value):
        return f"{value!r} is not a BCP-47 language tag (en, en-GB, pt-BR)"
    return None


def metadata_problems(meta: Mapping) -> Iterator[tuple[str, str]]:
    """Problems of the metadata fields that are set (None is always allowed: unknown): each string
    holds text only (as ``text_problems`` says of the article); the date, URL, licence and language
    have their own forms, the date's source is one of the taxonomy's, ``redistributable`` a boolean."""
    for field in TEXT_FIELDS:
        value = meta.get(field)
        if isinstance(value, str):
            for _, problem in text_problems(value):
                yield f"/{field}", problem
    for field, check in (("published_date", date_problem), ("url", url_problem), ("license", license_problem),
                         ("language", language_problem)):
        value = meta.get(field)
        if isinstance(value, str) and not NOT_TEXT.search(value):
            problem = check(value)
            if problem:
                yield f"/{field}", problem
    source = meta.get("published_date_source")
    if source is not None and source not in load_taxonomy().names("published_date_source"):
        yield "/published_date_source", f"{source!r} is not one of {', '.join(load_taxonomy().names('published_date_source'))}"
    if "redistributable" in meta and not isinstance(meta["redistributable"], bool):
        yield "/redistributable", f"{meta['redistributable']!r} is not true or false"


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, None)
    if name is None:
        name = "a lone surrogate" if unicodedata.category(ch) == "Cs" else "a control character"
    return f"U+{ord(ch):04X} ({name})"


def text_problems(text: str) -> Iterator[tuple[str, str]]:
    """Characters an article text must not hold, each with its code-point position."""
    if not NOT_TEXT.search(text):  # one scan in C: validate runs this over every article
        return
    bad = [(m.start(), m.group()) for m in NOT_TEXT.finditer(text)]
    named = ", ".join(f"{_describe(ch)} at position {i}" for i, ch in bad[:MAX_LISTED])
    more = f" and {len(bad) - MAX_LISTED} more" if len(bad) > MAX_LISTED else ""
    yield "/text", (f"holds {named}{more}: control characters other than newline and tab, and lone "
                    f"surrogates, are not text")
