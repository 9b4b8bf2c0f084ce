"""Ingest: raw articles (plain text, or JSON with metadata) into ``corpus/``, one reviewable JSON
file per article.

The text is normalised once, here, so every offset in the project counts code points of the same
string: Unicode NFC, ``\\r\\n`` and ``\\r`` turned into ``\\n``, a byte-order mark and surrounding
whitespace removed. The article id is derived from the normalised text's sha256, so an exact
duplicate is recognised and refused, and an article never changes id.

Example::

    ingest_files([Path("story.txt")], ArticleMetadata(outlet="Daily Planet"), layout=Layout.find())
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path

from ..core.errors import AlreadyExistsError, CorpusError, DuplicateArticleError, InvalidDataError, UnusableInputError
from ..core.io import read_json, write_json
from ..core.layout import Layout
from .metadata import metadata_problems, text_problems

ID_PREFIX = "wsw-"
MAX_ARTICLE_BYTES = 5 * 1024 * 1024  # news articles are kilobytes; a larger file is not one article


@dataclass
class ArticleMetadata:
    """What is known about an article besides its text. ``None`` means unknown, never guessed."""

    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    author: str | None = None
    published_date: str | None = None
    published_date_source: str | None = None
    language: str = "en"
    license: str | None = None
    redistributable: bool = False
    note: str | None = None

    def merged(self, other: dict) -> "ArticleMetadata":
        """These values, with the ones ``other`` sets (not None) taking precedence."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(other) - known - {"text"})
        if unknown:
            raise CorpusError(f"unknown metadata field(s): {', '.join(unknown)}")
        values = asdict(self)
        values.update({k: v for k, v in other.items() if k in known and v is not None})
        return ArticleMetadata(**values)


def normalize_text(text: str) -> str:
    """NFC, ``\\n`` newlines, no byte-order mark, no leading or trailing whitespace."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text).strip()


def text_sha256(text: str) -> str:
    # "surrogatepass": a lone surrogate (only a hand-edited file can hold one) gets a digest and is
    # reported by corpus.metadata.text_problems, instead of stopping validate with a traceback
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def article_id_for(text: str) -> str:
    return ID_PREFIX + text_sha256(text)[:16]


def make_article(text: str, meta: ArticleMetadata, *, source_file: str | None,
                 ingested_at: datetime | None = None) -> dict:
    """The article record for ``text`` (normalised here) and its metadata."""
    text = normalize_text(text)
    if not text:
        raise CorpusError(f"{source_file}: the article text is empty")
    if meta.published_date is not None and meta.published_date_source is None:
        meta = ArticleMetadata(**{**asdict(meta), "published_date_source": "recorded"})
    when = (ingested_at or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return {
        "article_id": article_id_for(text),
        "text": text,
        "text_sha256": text_sha256(text),
        "title": meta.title,
        "outlet": meta.outlet,
        "url": meta.url,
        "author": meta.author,
        "published_date": meta.published_date,
        "published_date_source": meta.published_date_source if meta.published_date else None,
        "language": meta.language,
        "license": meta.license,
        "redistributable": meta.redistributable,
        "ingested_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "source_file": source_file,
        "note": meta.note,
    }


def _read_source(path: Path, meta: ArticleMetadata) -> tuple[str, ArticleMetadata]:
    """Text and metadata of one input file: ``.json`` carries ``text`` and metadata fields, any
    other file is UTF-8 text. Metadata given on the command line fills what the file leaves out."""
    if path.suffix.lower() == ".json":
        data = read_json(path, max_bytes=MAX_ARTICLE_BYTES)
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise UnusableInputError(path, "/text: a JSON article needs a string field 'text'")
        return data["text"], ArticleMetadata(**asdict(meta)).merged(data)
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise UnusableInputError(path, f"is {size:,} bytes, over the limit of {MAX_ARTICLE_BYTES:,} for one article")
        return path.read_text(encoding="utf-8"), meta
    except UnicodeDecodeError as e:
        raise UnusableInputError(path, f"not UTF-8 text ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise UnusableInputError(path, f"cannot be read ({e.strerror})") from None


def read_text(path: Path) -> str:
    """The normalised text of an article file as ``ingest`` would store it (``.txt``, or ``.json``
    with ``text``), without adding it to the corpus: what ``preannotate`` reads."""
    text, _ = _read_source(Path(path), ArticleMetadata())
    return normalize_text(text)


def _existing_hashes(layout: Layout) -> dict[str, str]:
    hashes = {}
    for path in sorted(layout.corpus.glob("*.json")):
        record = read_json(path)
        hashes[record.get("text_sha256")] = record.get("article_id")
    return hashes


def ingest_file(path: Path, meta: ArticleMetadata, *, layout: Layout,
                ingested_at: datetime | None = None) -> dict:
    """Add one article to the corpus and return its record. Refuses an exact duplicate and never
    overwrites an existing article file."""
    return ingest_files([path], meta, layout=layout, ingested_at=ingested_at)[0]


def ingest_files(paths: list[Path], meta: ArticleMetadata, *, layout: Layout,
                 ingested_at: datetime | None = None) -> list[dict]:
    """Add several articles. Every file is read and checked before the first one is written, so a
    duplicate or unreadable file leaves the corpus untouched."""
    seen = _existing_hashes(layout)
    articles = []
    for path in map(Path, paths):
        text, file_meta = _read_source(path, meta)
        article = make_article(text, file_meta, source_file=path.name, ingested_at=ingested_at)
        problems = [*metadata_problems(article), *text_problems(article["text"])]
        if problems:  # what validate would refuse later is refused now, with what to write instead
            raise InvalidDataError(f"{path}: " + "; ".join(f"{pointer}: {message}" for pointer, message in problems)
                                   + "; nothing was added", problems)
        if article["text_sha256"] in seen:
            raise DuplicateArticleError(
                f"{path}: same text (sha256 {article['text_sha256'][:12]}...) as article "
                f"{seen[article['text_sha256']]} already in the corpus; not added")
        seen[article["text_sha256"]] = article["article_id"]
        articles.append(article)
    for article in articles:
        target = layout.article_path(article["article_id"])
        if target.exists():
            raise AlreadyExistsError(f"{target}: already exists and is never overwritten")
    for article in articles:
        write_json(layout.article_path(article["article_id"]), article, overwrite=False)
    return articles
