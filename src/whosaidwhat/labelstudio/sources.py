"""Where annotations were made: a source is one project on one Label Studio server.

Every folder of exports under ``annotations/labelstudio/`` belongs to one source, described by its
``source.json``: the source id (from the project's creation time and id, which no other server's
project shares, so two fresh servers of two clones are two sources) and the prefix that the record
ids of its annotations carry (``wsw-…:<prefix>.a12:e01``), so that annotation 12 of one server and
annotation 12 of another are different records. A source only speaks for itself: its exports can
update or delete its own annotations, never another source's (``convert``).

A folder without ``source.json``, or with an empty prefix, holds record ids without a prefix: the
exports pulled before sources existed, whose record ids are published.

>>> source = Source.of_project(project)
>>> source.folder_name("whosaidwhat")
'whosaidwhat-ls-1a2b3c4d'
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import UnusableInputError
from ..core.io import read_json, write_json

SOURCE_FILE = "source.json"


@dataclass(frozen=True)
class Source:
    id: str
    prefix: str  # the record-id prefix of its annotations; "" for exports from before sources
    project: str | None = None

    @classmethod
    def of_project(cls, project) -> "Source":
        """The source of a Label Studio project (an SDK project: ``id``, ``title``, ``created_at``)."""
        created = project.created_at.isoformat() if hasattr(project.created_at, "isoformat") else str(project.created_at)
        short = hashlib.sha256(f"{created}|{project.id}".encode()).hexdigest()[:8]
        return cls(f"ls-{short}", f"ls-{short}", project.title)

    def folder_name(self, slug: str) -> str:
        return f"{slug}-{self.id}"

    def record_key(self, key: str) -> str:
        """A record id's middle part: the annotation (``a12``) or prediction (``p3``) key, prefixed."""
        return f"{self.prefix}.{key}" if self.prefix else key


def prefix_of(record_key: str) -> str:
    """The source prefix of a record id's middle part (``ls-1a2b3c4d.a12`` -> ``ls-1a2b3c4d``)."""
    return record_key.rpartition(".")[0]


def folder_source(folder: Path) -> Source:
    """The source of a folder of exports, from its ``source.json`` (a folder without one: the
    folder's name, no prefix)."""
    path = folder / SOURCE_FILE
    if not path.exists():
        return Source(folder.name, "")
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("source"), str) or not isinstance(data.get("record_prefix"), str):
        raise UnusableInputError(path, "needs the strings source and record_prefix")
    return Source(data["source"], data["record_prefix"], data.get("project"))


def write_source(folder: Path, source: Source) -> None:
    """Describe a new folder of exports; an existing description is never changed."""
    path = folder / SOURCE_FILE
    if path.exists():
        return
    write_json(path, {"source": source.id, "record_prefix": source.prefix, "project": source.project,
                      "description": "One Label Studio project on one server; record ids of its annotations "
                                     "carry the prefix. See annotations/README.md."}, overwrite=False)


def find_folder(root: Path, source: Source) -> Path | None:
    """The folder under ``root`` that holds this source's exports, if one does."""
    for path in sorted(root.glob(f"*/{SOURCE_FILE}")):
        if folder_source(path.parent).id == source.id:
            return path.parent
    return None
