"""Label Studio results <-> regions and relations: the one place that knows the result format.

A Label Studio annotation is a flat list of results: a span result per region (``type: labels``),
a separate result per per-region choice or text area carrying the region's ``id``, and relations
(``type: relation``) that have no id of their own. ``read_results`` groups them back into regions and
relations and checks what Label Studio itself never checks; ``to_results`` writes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .. import layers
from ..core.taxonomy import Taxonomy, load_taxonomy

TEXT_NAME = "text"  # the config's one <Text>, which every control labels


@dataclass
class Region:
    id: str
    layer: str  # the Labels control: entity, quote or claim
    label: str
    start: int
    end: int
    text: str | None = None
    choices: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # per-region text areas (the entity key)


@dataclass(frozen=True)
class Relation:
    from_id: str
    to_id: str
    label: str


class ResultError(ValueError):
    """A result that cannot be turned into a region or relation; the message names the field."""


@dataclass(frozen=True)
class _Controls:
    """What the config's controls accept, made once per taxonomy and set of layers (``read_results``
    runs for every annotation): each <Labels> control's labels, each per-region <Choices>'s
    choices and the (control, label) of the regions it sits on, the text areas and their
    control, and the relation labels."""

    labels: dict[str, tuple[str, ...]]
    choices: dict[str, tuple[str, ...]]
    choice_home: dict[str, tuple[str, str]]
    text_areas: dict[str, str]
    relations: tuple[str, ...]


@layers.cached
def _controls(tax: Taxonomy) -> _Controls:
    registered = layers.registered()
    return _Controls(
        labels={layer.control: tuple(value for value, _ in layer.region_labels(tax)) for layer in registered},
        choices={c.name: tax.names(c.name) for layer in registered for c in layer.choices},
        choice_home={c.name: (layer.control, c.on) for layer in registered for c in layer.choices},
        text_areas={t.name: layer.control for layer in registered for t in layer.text_areas},
        relations=tax.names("relation"))


def read_results(results: Iterable[dict], tax: Taxonomy | None = None) -> tuple[list[Region], list[Relation], list[str]]:
    """Regions and relations of one annotation's results, and a problem message for each result
    that is not acceptable (unknown control or label, bad offsets, a choice or relation whose
    region is missing). Problems name the result id and field."""
    controls = _controls(tax or load_taxonomy())
    labels_of, relation_labels = controls.labels, controls.relations
    regions: dict[str, Region] = {}
    extras: list[dict] = []
    relations: list[Relation] = []
    problems: list[str] = []
    for result in results:
        kind, name, rid = result.get("type"), result.get("from_name"), result.get("id")
        if kind == "relation":
            labels = result.get("labels") or []
            if len(labels) != 1 or labels[0] not in relation_labels:
                problems.append(f"relation {result.get('from_id')}->{result.get('to_id')}: /labels {labels!r} must be one of {', '.join(relation_labels)}")
                continue
            source, target = result.get("from_id"), result.get("to_id")
            if result.get("direction") == "left":
                source, target = target, source
            relations.append(Relation(source, target, labels[0]))
        elif kind == "labels":
            value = result.get("value") or {}
            labels = value.get("labels") or []
            if name not in labels_of:
                problems.append(f"region {rid}: /from_name {name!r} is not a labels control of the config")
            elif len(labels) != 1 or labels[0] not in labels_of[name]:
                problems.append(f"region {rid}: /value/labels {labels!r} must be one of {', '.join(labels_of[name])}")
            elif not isinstance(value.get("start"), int) or not isinstance(value.get("end"), int):
                problems.append(f"region {rid}: /value/start and /value/end must be integers")
            elif rid in regions:
                problems.append(f"region {rid}: /id is used by two regions")
            else:
                regions[rid] = Region(rid, name, labels[0], value["start"], value["end"], value.get("text"))
        elif kind in ("choices", "textarea"):
            extras.append(result)
        else:
            problems.append(f"result {rid}: /type {kind!r} is not used by the whosaidwhat config")
    for result in extras:
        problems.extend(_attach(result, regions, controls))
    for relation in relations:
        for end in (relation.from_id, relation.to_id):
            if end not in regions:
                problems.append(f"relation {relation.from_id}->{relation.to_id} ({relation.label}): region {end} does not exist")
    good = [r for r in relations if r.from_id in regions and r.to_id in regions]
    return list(regions.values()), good, problems


def _attach(result: dict, regions: dict[str, Region], controls: _Controls) -> list[str]:
    rid, name, value = result.get("id"), result.get("from_name"), result.get("value") or {}
    region = regions.get(rid)
    if region is None:
        return [f"{result.get('type')} {name} of region {rid}: the region does not exist"]
    if result["type"] == "textarea":
        if name not in controls.text_areas:
            return [f"region {rid}: /from_name {name!r} is not a text area of the config"]
        if region.layer != controls.text_areas[name]:
            return [f"region {rid}: /from_name {name} belongs on an {controls.text_areas[name]} region, not on a {region.layer} region"]
        texts = [t.strip() for t in value.get("text") or [] if t and t.strip()]
        if texts:
            region.texts[name] = texts[0]
        return []
    choices = value.get("choices") or []
    if name not in controls.choices:
        return [f"region {rid}: /from_name {name!r} is not a choices control of the config"]
    layer, label = controls.choice_home[name]
    if (region.layer, region.label) != (layer, label):
        return [f"region {rid}: /from_name {name} belongs on a {layer} '{label}' region, not on a {region.layer} '{region.label}' region"]
    if len(choices) != 1 or choices[0] not in controls.choices[name]:
        return [f"region {rid}: /value/choices {choices!r} of {name} must be one of {', '.join(controls.choices[name])}"]
    region.choices[name] = choices[0]
    return []


def to_results(regions: Iterable[Region], relations: Iterable[Relation], text: str) -> list[dict]:
    """Label Studio results for regions and relations (as a prediction or an annotation)."""
    results: list[dict] = []
    for region in regions:
        span = {"start": region.start, "end": region.end, "text": text[region.start:region.end]}
        results.append({"id": region.id, "from_name": region.layer, "to_name": TEXT_NAME, "type": "labels",
                        "value": {**span, "labels": [region.label]}})
        for name, choice in region.choices.items():
            results.append({"id": region.id, "from_name": name, "to_name": TEXT_NAME, "type": "choices",
                            "value": {**span, "choices": [choice]}})
        for name, value in region.texts.items():
            results.append({"id": region.id, "from_name": name, "to_name": TEXT_NAME, "type": "textarea",
                            "value": {**span, "text": [value]}})
    for relation in relations:
        results.append({"type": "relation", "from_id": relation.from_id, "to_id": relation.to_id,
                        "direction": "right", "labels": [relation.label]})
    return results


@dataclass
class RegionSet:
    """Regions and relations being made from one annotation set's records, layer by layer
    (``Layer.to_regions``); ``notes`` carries what a layer leaves for the ones after it (the region
    of each entity, the content regions of each quote)."""

    records: dict[str, list[dict]]
    text: str | None = None  # the article text regions are cut from; None: the records' own span texts
    regions: list[Region] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    notes: dict = field(default_factory=dict)

    def region(self, rid: str, control: str, label: str, span: dict, *, choices: dict | None = None,
               texts: dict | None = None) -> Region:
        start, end = span["start"], span["end"]
        region = Region(rid, control, label, start, end, span["text"] if self.text is None else self.text[start:end],
                        dict(choices or {}), dict(texts or {}))
        self.regions.append(region)
        return region

    @staticmethod
    def relation(from_id: str, to_id: str, label: str) -> Relation:
        return Relation(from_id, to_id, label)

    @staticmethod
    def rid(record_id: str, prefix: str = "") -> str:
        """A region id from a record id (its last part), prefixed by the layer once."""
        last = record_id.rsplit(":", 1)[-1]
        return last if last.startswith(prefix) else prefix + last


def records_to_regions(records: dict[str, list[dict]], text: str | None = None) -> tuple[list[Region], list[Relation]]:
    """Regions and relations that ``convert`` turns back into the same records: the inverse of
    convert, for gold and review tasks (``text``: the article's, for records whose span texts are
    null, as in a standoff copy)."""
    made = RegionSet(records, text)
    for layer in layers.registered():
        layer.to_regions(records.get(layer.name, []), made)
    return made.regions, made.relations
