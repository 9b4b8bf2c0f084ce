"""The taxonomy: every label set of the corpus, read from ``schema/taxonomy.json``.

It is the one source of truth. The JSON Schema enums (``schema.py``), the Label Studio config
(``labelstudio``) and the release's ``ClassLabel`` names all call ``load_taxonomy()``; nothing else
spells a label.

>>> tax = load_taxonomy()
>>> tax["quote_kind"].names
('direct', 'indirect', 'mixed')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import CorpusError
from .io import read_json
from .layout import schema_dir

REQUIRED_SETS = (
    "entity_label",
    "quote_role",
    "relation",
    "quote_kind",
    "speaker_kind",
    "claim_type",
    "checkworthiness",
    "origin",
    "published_date_source",
)


@dataclass(frozen=True)
class Label:
    name: str
    definition: str


@dataclass(frozen=True)
class LabelSet:
    key: str
    description: str
    source: str
    labels: tuple[Label, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(label.name for label in self.labels)

    def definition(self, name: str) -> str:
        for label in self.labels:
            if label.name == name:
                return label.definition
        raise KeyError(name)


@dataclass(frozen=True)
class Taxonomy:
    version: str
    label_sets: dict[str, LabelSet]

    def __getitem__(self, key: str) -> LabelSet:
        return self.label_sets[key]

    def names(self, key: str) -> tuple[str, ...]:
        return self.label_sets[key].names


def taxonomy_path() -> Path:
    return schema_dir() / "taxonomy.json"


@lru_cache(maxsize=4)
def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Read and check the taxonomy: every required set present, names unique and non-empty, each
    with a one-line definition."""
    path = Path(path or taxonomy_path())
    raw = read_json(path)
    sets: dict[str, LabelSet] = {}
    for key, body in raw.get("label_sets", {}).items():
        labels = tuple(Label(v["name"], v["definition"]) for v in body.get("values", []))
        names = [label.name for label in labels]
        if not labels or len(set(names)) != len(names) or not all(names):
            raise CorpusError(f"{path}: /label_sets/{key}/values: names must be non-empty and unique")
        for i, label in enumerate(labels):
            if not label.definition.strip() or "\n" in label.definition:
                raise CorpusError(f"{path}: /label_sets/{key}/values/{i}/definition: needs one line of text")
        sets[key] = LabelSet(key, body.get("description", ""), body.get("source", ""), labels)
    missing = [key for key in REQUIRED_SETS if key not in sets]
    if missing:
        raise CorpusError(f"{path}: /label_sets: missing label sets {', '.join(missing)}")
    return Taxonomy(raw.get("version", "0"), sets)
