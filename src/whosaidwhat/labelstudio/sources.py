"""Where annotations were made: a source is one project on one Label Studio server.

Every folder of exports under ``annotations/labelstudio/`` belongs to one source, described by its
``source.json``: the source id (from the project's creation time and id, which no other server's
project shares, so two fresh servers of two clones are two sources) and the prefix that the record
ids of its annotations carry (``wsw-…:<prefix>.a12:e01``), so that annotation 12 of one server and
annotation 12 of another are different records. A source only speaks for itself: its exports can
update or delete its own annotations, never another source's (``convert``).

Convert reads only folders that say whose they are: a folder without ``source.json`` is refused
(``pull`` writes it), and two sources may not share a prefix. The empty prefix is that of the
exports pulled before sources existed (``annotations/labelstudio/whosaidwhat/``), whose record ids
are published without one.

>>> source = Source.of_project(project)
>>> source.folder_name("whosaidwhat")
'whosaidwhat-ls-1a2b3c4d'
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import CorpusError, UnusableInputError
from ..core.io import read_json, write_json

SOURCE_FILE = "source.json"
PREFIX = re.compile(r"(?:[A-Za-z0-9][A-Za-z0-9_-]*)?")  # no "." or ":", which cut record ids into parts


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
    """The source of a folder of exports, from its ``source.json``."""
    path = folder / SOURCE_FILE
    if not path.exists():
        raise UnusableInputError(folder, f"has no {SOURCE_FILE}, so nothing says whose annotations its exports hold; "
                                         "convert reads exports that `whosaidwhat labelstudio pull` wrote (it writes one)")
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("source"), str) or not isinstance(data.get("record_prefix"), str):
        raise UnusableInputError(path, "needs the strings source and record_prefix")
    if not data["source"] or not PREFIX.fullmatch(data["record_prefix"]):
        raise UnusableInputError(path, f"record_prefix {data['record_prefix']!r} must be letters, digits, - and _ "
                                       "(or empty, for the first project's exports), and source not empty")
    return Source(data["source"], data["record_prefix"], data.get("project"))


def check_distinct(sources: Iterable[Source]) -> None:
    """Refuse two sources that share a record prefix: each would replace the other's records."""
    by_prefix: dict[str, str] = {}
    for source in sources:
        other = by_prefix.setdefault(source.prefix, source.id)
        if other != source.id:
            raise CorpusError(f"sources {other!r} and {source.id!r} both have record prefix {source.prefix!r} in their "
                              f"{SOURCE_FILE}; each would replace the other's records")


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
