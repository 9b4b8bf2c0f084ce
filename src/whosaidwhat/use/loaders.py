"""Opening a release the way a researcher does: through ``datasets.load_dataset``, from the
repository's ``releases/``, a downloaded folder, or a Hub repo at a version tag.

>>> quotes = load("quotes", version="0.1.0")            # releases/0.1.0 in this repository
>>> docs = load(source="org/whosaidwhat", version="0.1.0")  # the Hub, at tag v0.1.0
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import datasets

from ..core.layout import Layout
from ..release.folders import release_folder


def release_path(version: str | Path | None = None, layout: Layout | None = None) -> Path:
    """A release folder: a version in the repository's ``releases/``, a folder, or the newest version
    when none is given (``release.folders.release_folder``, under the name scripts import)."""
    return release_folder(version, layout)


def content_cache(folder: Path) -> Path:
    """A datasets cache folder for a local release, named after its content (its SHA256SUMS).
    ``load_dataset`` names the cache of a local folder after the folder's name and its card's YAML
    only: two different releases called 0.1.0 whose row counts and sizes agree would share a cache,
    and the second would be read from the first one's rows."""
    sums = Path(folder) / "SHA256SUMS"
    digest = hashlib.sha256(sums.read_bytes()).hexdigest()[:16] if sums.exists() else "no-sums"
    return Path(datasets.config.HF_DATASETS_CACHE) / "whosaidwhat" / digest


def load(config: str = "documents", version: str | None = None, source: str | Path | None = None,
         split: str | None = None) -> datasets.DatasetDict | datasets.Dataset:
    """A release config as a ``DatasetDict`` (or one split), with its declared Features.

    ``source`` is a release folder, or a Hub dataset repo id (``org/name``, pinned to the tag
    ``v<version>`` when a version is given); by default the repository's own ``releases/``."""
    if source is None or Path(source).is_dir():
        folder = release_path(version) if source is None else Path(source)
        return datasets.load_dataset(str(folder), config, split=split, cache_dir=str(content_cache(folder)))
    revision = f"v{version}" if version else None
    return datasets.load_dataset(str(source), config, split=split, revision=revision)
