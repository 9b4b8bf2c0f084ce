"""The taxonomy: every label set of the corpus, read from ``schema/taxonomy.json``.

It is the one source of truth. The JSON Schema enums (``validation.schema``), the Label Studio config
(``labelstudio.config``) and the release's ``ClassLabel`` names all call ``load_taxonomy()``; which
sets a taxonomy must have comes from the registered layers (``required_sets``).

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

BASE_SETS = ("relation", "origin", "published_date_source")  # the layers' own sets are added to these


def required_sets() -> tuple[str, ...]:
    """Every label set the taxonomy must have: the base sets and those each registered layer uses
    (its <Labels> values, its per-region choices, what it counts)."""
    from .. import layers
    needed = list(BASE_SETS)
    for layer in layers.registered():
        needed += [layer.label_set] if layer.label_set else []
        needed += [c.name for c in layer.choices] + [key for key, _ in layer.counted]
    return tuple(dict.fromkeys(needed))


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
    missing = [key for key in required_sets() if key not in sets]
    if missing:
        raise CorpusError(f"{path}: /label_sets: missing label sets {', '.join(missing)}")
    return Taxonomy(raw.get("version", "0"), sets)
