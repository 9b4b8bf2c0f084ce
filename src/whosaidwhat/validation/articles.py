"""The checks of one corpus article file (schema, file name, text digest, normalisation, dates),
and the reading of the article a records file refers to."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass

from ..core.errors import UnusableInputError
from ..core.io import loads, read_bytes
from ..core.layout import Layout, checked_id
from ..core.problems import Problem
from ..corpus.ingest import text_sha256
from ..corpus.metadata import metadata_problems, text_problems
from . import cache as verified
from .files import article_file, relative
from .schema import fast_validator, schema_problems


@dataclass
class Checked:
    """What checking one file found; the parent adds the checks that compare files."""

    problems: list[Problem]
    records: int = 0
    article_id: str | None = None
    text_sha256: bytes | None = None
    key: bytes | None = None  # the file's key in the cache of checked files, if it passed its own checks


def check_article_file(path: str, layout: Layout, cache: bool = False) -> Checked:
    """An article file's own checks; with ``cache``, none for a file that passed them unchanged
    (its id is then its file name, and its text digest comes from the cache)."""
    file = relative(path, layout)
    try:
        raw = read_bytes(path)
    except UnusableInputError as e:
        return Checked([Problem.of_unusable(file, e)])
    name = os.path.basename(path)
    key = verified.article_key(name, raw) if cache else None
    digest = verified.entries(layout).article(key) if cache else None
    if digest is not None:
        return Checked([], 1, os.path.splitext(name)[0], digest, key)
    try:
        data = loads(raw, path)
    except UnusableInputError as e:
        return Checked([Problem.of_unusable(file, e)])
    article_id = data.get("article_id") if isinstance(data, dict) else None
    problems = list(schema_problems(file, data, "article", lambda _: article_id))
    if problems:
        return Checked(problems, 1)
    if name != f"{article_id}.json":
        problems.append(Problem(file, f"file name must be {article_id}.json, after the article_id", "/article_id", article_id))
    text = data["text"]
    if data["text_sha256"] != text_sha256(text):
        problems.append(Problem(file, "does not match the sha256 of the text", "/text_sha256", article_id))
    if "\r" in text or not unicodedata.is_normalized("NFC", text):
        problems.append(Problem(file, "text must be Unicode NFC with \\n newlines (run it through ingest)", "/text", article_id))
    for pointer, message in (*metadata_problems(data), *text_problems(text)):
        problems.append(Problem(file, message, pointer, article_id))
    if (data["published_date"] is None) != (data["published_date_source"] is None):
        problems.append(Problem(file, "must be null exactly when published_date is null", "/published_date_source", article_id))
    return Checked(problems, 1, article_id, bytes.fromhex(data["text_sha256"]), key if not problems else None)


def corpus_article_bytes(article_id: str, layout: Layout, raw: bytes | None = None) -> tuple[dict | None, bytes | None]:
    """The article a records file refers to (its corpus file, if readable and valid) and the bytes
    of that file (if readable; ``raw``: already read)."""
    path = article_file(layout, checked_id(article_id))
    try:
        raw = raw or read_bytes(path)
        data = loads(raw, path)
    except (UnusableInputError, ValueError):
        return None, None
    if not isinstance(data, dict) or data.get("article_id") != article_id or not fast_validator("article").is_valid(data):
        return None, raw
    return data, raw


