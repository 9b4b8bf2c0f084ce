"""Where things live in a whosaidwhat repository. Every stage takes a ``Layout`` (or finds one from
the working directory), so tests and notebooks can point the package at any folder."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import CorpusError

ARTICLE_ID = re.compile(r"^wsw-[0-9a-f]{16}$")
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")  # a BCP-47 tag: the schema's pattern and ingest's check
PACKAGE_SCHEMA_DIR = Path(__file__).resolve().parents[1] / "_schema"
SOURCE_SCHEMA_DIR = Path(__file__).resolve().parents[3] / "schema"


def schema_dir() -> Path:
    """The taxonomy and JSON Schemas the package was built with: the repository's ``schema/`` in a
    development install, the copy packed into the wheel otherwise."""
    if (SOURCE_SCHEMA_DIR / "taxonomy.json").is_file():
        return SOURCE_SCHEMA_DIR
    return PACKAGE_SCHEMA_DIR


def checked_id(article_id: str) -> str:
    """``article_id`` if it is one (``wsw-`` and 16 hex digits); ids come from exports and files, so
    nothing else, such as ``../`` in a crafted export, ever becomes part of a path."""
    if not isinstance(article_id, str) or not ARTICLE_ID.match(article_id):
        raise CorpusError(f"{article_id!r} is not an article id (wsw- and 16 hex digits)")
    return article_id


@dataclass(frozen=True)
class Layout:
    """The folders of a corpus repository rooted at ``root``."""

    root: Path

    @property
    def corpus(self) -> Path:
        return self.root / "corpus"

    @property
    def annotations(self) -> Path:
        return self.root / "annotations"

    @property
    def records(self) -> Path:
        """Standoff records converted from Label Studio exports, one file per article."""
        return self.annotations / "records"

    @property
    def labelstudio_exports(self) -> Path:
        """Raw Label Studio exports, one folder per project; never rewritten."""
        return self.annotations / "labelstudio"

    @property
    def releases(self) -> Path:
        return self.root / "releases"

    def article_path(self, article_id: str) -> Path:
        return self.corpus / f"{checked_id(article_id)}.json"

    def records_path(self, article_id: str) -> Path:
        return self.records / f"{checked_id(article_id)}.json"

    def load_dotenv(self) -> None:
        """Set variables from the repository's ``.env`` (ignored by git) that the environment does
        not already set: the place for Label Studio credentials besides the environment itself."""
        path = self.root / ".env"
        if not path.is_file():
            return
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, value = line.removeprefix("export ").split("=", 1)
            os.environ.setdefault(key.strip(), value.strip().strip("'\""))

    @classmethod
    def find(cls, start: Path | None = None) -> "Layout":
        """The repository holding ``start`` (default: ``$WHOSAIDWHAT_ROOT`` or the working
        directory): the nearest folder upwards that has a ``corpus/`` folder."""
        env = os.environ.get("WHOSAIDWHAT_ROOT")
        here = Path(start or env or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "corpus").is_dir():
                return cls(folder)
        raise CorpusError(f"{here}: not inside a whosaidwhat repository (no corpus/ folder found upwards)")
