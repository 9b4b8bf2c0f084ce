"""What an annotation layer is: everything that differs between entities, quotes and claims, in one
class, so that every stage asks the layer instead of knowing it.

A layer declares its records (id field, JSON Schema part, release Features), its Label Studio
controls (the ``<Labels>`` values, per-region choices and text areas, the relations it owns), how
one annotation's regions become its records and back, the spans and references validation checks,
how two annotators' records are compared and measured, and what is counted. Stages loop over
``layers.registered()``; only a layer's own module spells its fields.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only for hints: layers sit below the stages and import none of them
    from ..core.taxonomy import Taxonomy

ORIGIN_ORDER = {"gold": 0, "human": 1, "model": 2}


@dataclass(frozen=True)
class Choice:
    """A per-region choice: the taxonomy label set (and ``<Choices>`` control) ``name``, shown on
    regions labelled ``on``, stored in the record field ``field``."""

    name: str
    on: str
    field: str


@dataclass(frozen=True)
class TextArea:
    """A per-region free-text control (the entity key)."""

    name: str
    header: str
    placeholder: str


@dataclass(frozen=True)
class Role:
    """One end of a relation: a region of the layer whose control is ``control``, with the label
    ``label`` (None: any label of that control)."""

    control: str
    label: str | None = None

    def matches(self, region) -> bool:
        return region.layer == self.control and (self.label is None or region.label == self.label)

    def __str__(self) -> str:
        return self.label or self.control


@dataclass(frozen=True)
class Reference:
    """A record field that names another record of the same annotation set: ``field`` must be one
    of the values of ``target_field`` among the records of layer ``target`` (``message`` says what
    is wrong when it is not, with ``{value}``)."""

    field: str
    target: str
    target_field: str
    message: str


@dataclass
class Tally:
    """What comparing two annotators' records of one layer counts: numbers by name, and paired
    label lists (for alpha and kappa on matched records). Summable over articles and pairs."""

    n: Counter = field(default_factory=Counter)
    pairs: dict[str, tuple[list, list]] = field(default_factory=dict)

    def add(self, other: "Tally") -> None:
        self.n.update(other.n)
        for key, (a, b) in other.pairs.items():
            mine = self.pairs.setdefault(key, ([], []))
            mine[0].extend(a)
            mine[1].extend(b)

    def pair(self, key: str, a, b) -> None:
        mine = self.pairs.setdefault(key, ([], []))
        mine[0].append(a)
        mine[1].append(b)


class Layer:
    """The base of every layer; a layer module subclasses it and registers one instance.

    The defaults fit a layer whose records are one span each (``start``, ``end``, ``text``) with
    labels from choices; override what differs."""

    name: str              # records-file key and release config: "entities"
    id_field: str          # "mention_id"
    control: str           # the Label Studio <Labels> control: "entity"
    schema_name: str       # the JSON Schema's file and $id: "entity"
    title: str             # the schema's title
    description: str       # the schema's description
    config_description: str  # the release card's line for this config
    label_set: str | None = None   # taxonomy set of the <Labels> values; None: ``fixed_labels``
    fixed_labels: tuple[tuple[str, str], ...] = ()  # (value, hint) when there is no label set
    choices: tuple[Choice, ...] = ()
    text_areas: tuple[TextArea, ...] = ()
    relation_roles: dict[str, tuple[Role, Role]] = {}  # relation -> (from, to), for relations this layer owns
    references: tuple[Reference, ...] = ()
    counted: tuple[tuple[str, str], ...] = ()  # (taxonomy label set, record field) counted by stats and the card

    # -- Label Studio --------------------------------------------------------------------------
    def region_labels(self, tax: "Taxonomy") -> list[tuple[str, str]]:
        """(value, hint) of every label of this layer's <Labels> control."""
        if self.label_set is None:
            return list(self.fixed_labels)
        return [(label.name, label.definition) for label in tax[self.label_set].labels]

    # -- records ---------------------------------------------------------------------------------
    def schema_properties(self, tax: "Taxonomy", kit) -> dict:
        """The record's fields (after its id and ``article_id``, before the provenance fields) as
        JSON Schema properties; ``kit`` is ``validation.schema``'s helpers."""
        raise NotImplementedError

    def example(self, kit) -> dict:
        """The fields of the schema's example record, its id first, without ``article_id`` and the
        provenance fields (the schema adds them)."""
        raise NotImplementedError

    def features(self, tax: "Taxonomy", kit) -> dict:
        """The record's release Features, id first, without ``article_id`` and provenance."""
        raise NotImplementedError

    def spans(self, record: dict) -> Iterator[tuple[str, dict]]:
        """(JSON pointer within the record, span) of every span of a record."""
        yield "", record

    def order(self, record: dict) -> tuple:
        """Where a record sits among the records of its annotation set in a records file."""
        return record["start"], record[self.id_field]

    # -- convert ---------------------------------------------------------------------------------
    def to_records(self, annotation) -> list[dict]:
        """This layer's records of one annotation (``convert.records.Annotation``: its checked
        regions and relations, the records earlier layers made, a place for problems)."""
        raise NotImplementedError

    def to_regions(self, records: list[dict], made) -> None:
        """The inverse of ``to_records``: add the regions and relations that convert turns back
        into ``records`` to ``made`` (``labelstudio.regions.RegionSet``)."""
        raise NotImplementedError

    # -- validation --------------------------------------------------------------------------------
    def check_set(self, file: str, good: list[tuple[int, dict]]) -> Iterator[Any]:
        """Problems among this layer's records of one file beyond single records (none by default)."""
        return iter(())

    # -- agreement and adjudication --------------------------------------------------------------
    def keys(self, records: list[dict], same_set: dict[str, list[dict]]) -> list[tuple]:
        """The comparison key of each record: two annotators made the same record when the keys are
        equal (``same_set``: every layer's records of the same annotation set)."""
        raise NotImplementedError

    def summary(self, record: dict) -> dict:
        """What a conflict shows of a record."""
        raise NotImplementedError

    def compare(self, a: list[dict], b: list[dict], tokens) -> Tally:
        """What two annotators' records of one article count toward agreement (``a`` is the
        reference)."""
        raise NotImplementedError

    def figures(self, tally: Tally, tax: "Taxonomy", extra: dict) -> dict:
        """The agreement figures of summed tallies (``extra``: what a layer computed across
        annotators, such as token roles)."""
        raise NotImplementedError

    def agreement_rows(self, figures: dict) -> list[tuple[str, str]]:
        """(measure, value) rows of the agreement table."""
        raise NotImplementedError

    def token_roles(self, records: list[dict], tokens) -> list[int] | None:
        """Each token's role in this layer for one annotator, for an alpha over tokens; None when
        the layer has none."""
        return None

    # -- stats and views ---------------------------------------------------------------------------
    def links(self, records: list[dict]) -> dict[str, int]:
        """Counts of how this layer's records link to others (for ``stats``)."""
        return {}

    def marks(self, record: dict, name_of) -> list[tuple[int, int, str, str]]:
        """(start, end, CSS style, title) of the marks that draw a record on its article's text;
        ``name_of(field, value)`` turns a label id into its name."""
        return []
