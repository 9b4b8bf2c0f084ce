"""Publishing a release: the standoff copy, the upload to the Hugging Face Hub, and rehydration.

Articles that may not be redistributed are published as standoff, as PARC and CoNLL-2003 are: the
copy keeps ``article_id``, ``url``, ``text_sha256``, offsets and annotations, but every article text,
every span text and every ``ner`` token of such an article is null. ``rehydrate`` puts them back from
a user's own copies of the articles and refuses any text whose sha256 differs.

>>> publish(Path("releases/0.1.0"), "org/whosaidwhat", dry_run=Path("upload"))
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .. import layers
from .features import config_features
from ..core.errors import AlreadyExistsError, CorpusError, UnusableInputError
from ..corpus.ingest import normalize_text, text_sha256
from ..core.io import read_json
from .files import iter_rows, release_version, shards
from .shards import WRITE_OPTIONS

def _span_texts(value, text_of: Callable[[int, int], str | None]):
    """A copy of an annotation record (or of anything in one) with the text of each of its spans —
    every struct with ``start``, ``end`` and ``text``, however a layer nests them — set to
    ``text_of(start, end)``."""
    if isinstance(value, list):
        return [_span_texts(item, text_of) for item in value]
    if not isinstance(value, dict):
        return value
    out = {key: _span_texts(item, text_of) for key, item in value.items()}
    if "text" in value and isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
        out["text"] = text_of(value["start"], value["end"])
    return out


def _with_text(config: str, row: dict, text: str | None) -> dict:
    """A row of ``config`` with the article text, every span text and the tokens taken from ``text``
    (all null when ``text`` is None): the one place that knows where a release holds article text."""
    text_of = (lambda start, end: None) if text is None else (lambda start, end: text[start:end])
    row = dict(row)
    if config in ("articles", "documents"):
        row["text"] = text
    if config in layers.names():
        row = _span_texts(row, text_of)
    if config in ("documents", "annotator_records"):
        for layer in layers.names():
            row[layer] = _span_texts(row[layer], text_of)
    if config == "ner":
        row["tokens"] = None if text is None else [text_of(a, b) for a, b in zip(row["token_start"], row["token_end"])]
    return row


def redact(config: str, row: dict) -> dict:
    """The standoff form of a row: no article text, no span text, no tokens."""
    return _with_text(config, row, None)


def _rewrite(source: Path, target: Path, change: Callable[[str, dict], dict]) -> None:
    """Copy a release folder's shards, passing every row through ``change(config, row)``; shard
    names, row order and row groups are kept, and so are agreement.json and preannotation.json (the card
    regenerates the rest)."""
    for name in ("agreement.json", "preannotation.json"):
        if (source / name).exists():
            shutil.copy(source / name, target / name)
    for config, splits in shards(source).items():
        for paths in splits.values():
            for path in paths:
                parquet = pq.ParquetFile(path)
                schema = config_features(config).arrow_schema  # not the file's: Arrow names list items differently on read
                out = target / config / path.name
                out.parent.mkdir(parents=True, exist_ok=True)
                with pq.ParquetWriter(out, schema, **WRITE_OPTIONS) as writer:
                    for i in range(parquet.metadata.num_row_groups):
                        rows = [change(config, row) for row in parquet.read_row_group(i).to_pylist()]
                        writer.write_table(pa.Table.from_pylist(rows, schema=schema))


def _fresh(folder: Path) -> Path:
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise AlreadyExistsError(f"{folder}: exists and is not empty; choose a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def standoff_copy(release: Path, target: Path) -> dict:
    """Write the publishable copy of ``release`` into ``target``; returns its stats."""
    from .card import finish_release
    release, target = Path(release), _fresh(target)
    keep = {row["article_id"] for _, row in iter_rows(release, "articles") if row["redistributable"]}
    _rewrite(release, target, lambda config, row: row if row.get("article_id") in keep else redact(config, row))
    return finish_release(target, version=release_version(release), standoff=len(keep) < _count(release))


def _count(release: Path) -> int:
    return sum(1 for _ in iter_rows(release, "articles"))


@dataclass
class PublishResult:
    folder: Path
    repo_id: str
    tag: str
    uploaded: bool
    commit: str | None = None


def publish(release: Path, repo_id: str, *, dry_run: Path | None = None, api=None, staging: Path | None = None) -> PublishResult:
    """Upload the standoff copy of ``release`` to ``repo_id`` (a dataset repo) and tag it
    ``v<version>``. With ``dry_run`` the copy is written there and nothing is uploaded. ``api`` is a
    ``huggingface_hub.HfApi`` (made from the environment's token when not given)."""
    release = Path(release)
    if not (release / "SHA256SUMS").exists():
        raise CorpusError(f"{release}: not a built release (no SHA256SUMS)")
    version = release_version(release)
    tag = f"v{version}"
    folder = Path(dry_run or staging or release.parent / f".publish-{version}")
    if dry_run is None and folder.exists():
        shutil.rmtree(folder)
    standoff_copy(release, folder)
    if dry_run is not None:
        return PublishResult(folder, repo_id, tag, uploaded=False)
    if api is None:
        from huggingface_hub import HfApi
        api = HfApi()
    try:
        api.create_repo(repo_id=repo_id, repo_type="dataset", exist_ok=True)
        commit = api.upload_folder(repo_id=repo_id, repo_type="dataset", folder_path=str(folder),
                                   commit_message=f"whosaidwhat {version}")
        api.create_tag(repo_id=repo_id, tag=tag, repo_type="dataset", revision=commit.oid,
                       tag_message=f"whosaidwhat release {version}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return PublishResult(folder, repo_id, tag, uploaded=True, commit=commit.oid)


@dataclass
class RehydrateResult:
    folder: Path
    restored: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _user_texts(paths: Iterable[Path]) -> Iterable[tuple[Path, str]]:
    for path in paths:
        path = Path(path)
        for file in sorted(path.rglob("*") if path.is_dir() else [path]):
            if not file.is_file() or file.suffix.lower() not in (".txt", ".json"):
                continue
            if file.suffix.lower() == ".json":
                data = read_json(file)
                if not isinstance(data, dict) or not isinstance(data.get("text"), str):
                    continue
                yield file, normalize_text(data["text"])
            else:
                try:
                    yield file, normalize_text(file.read_text(encoding="utf-8"))
                except UnicodeDecodeError:
                    raise UnusableInputError(file, "not UTF-8 text") from None


def rehydrate(standoff: Path, texts: Iterable[Path], target: Path) -> RehydrateResult:
    """Copy ``standoff`` to ``target`` with the texts restored from the user's files. A file named
    after an article (``<article_id>.txt``) whose normalised text has another sha256 than the
    article's ``text_sha256`` is refused; other files are matched by their sha256."""
    standoff = Path(standoff)
    wanted = {row["article_id"]: row["text_sha256"] for _, row in iter_rows(standoff, "articles") if row["text"] is None}
    by_hash = {digest: article_id for article_id, digest in wanted.items()}
    found: dict[str, str] = {}
    for file, text in _user_texts(texts):
        digest = text_sha256(text)
        if file.stem in wanted and digest != wanted[file.stem]:
            raise CorpusError(f"{file}: its text has sha256 {digest[:12]}..., not the {wanted[file.stem][:12]}... of "
                              f"article {file.stem}; refusing a different text")
        if digest in by_hash:
            found[by_hash[digest]] = text
    target = _fresh(target)
    _rewrite(standoff, target, lambda config, row: _restore(config, row, found))
    from .card import finish_release
    finish_release(target, version=release_version(standoff), standoff=len(found) < len(wanted))
    return RehydrateResult(target, sorted(found), sorted(wanted.keys() - found.keys()))


def _restore(config: str, row: dict, found: dict[str, str]) -> dict:
    text = found.get(row.get("article_id"))
    return row if text is None else _with_text(config, row, text)
