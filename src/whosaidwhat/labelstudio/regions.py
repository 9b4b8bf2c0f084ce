"""Label Studio results <-> regions and relations: the one place that knows the result format.

A Label Studio annotation is a flat list of results: a span result per region (``type: labels``),
a separate result per per-region choice or text area carrying the region's ``id``, and relations
(``type: relation``) that have no id of their own. ``read_results`` groups them back into regions and
relations and checks what Label Studio itself never checks; ``to_results`` writes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .config import ENTITY_KEY, REGION_CHOICES, TEXT_NAME
from ..core.taxonomy import Taxonomy, load_taxonomy

LAYER_LABEL_SETS = {"entity": "entity_label", "quote": "quote_role", "claim": None}
_CHOICE_HOME = {name: (layer, label) for name, layer, label in REGION_CHOICES}


@dataclass
class Region:
    id: str
    layer: str  # the Labels control: entity, quote or claim
    label: str
    start: int
    end: int
    text: str | None = None
    choices: dict[str, str] = field(default_factory=dict)
    entity_key: str | None = None


@dataclass(frozen=True)
class Relation:
    from_id: str
    to_id: str
    label: str


class ResultError(ValueError):
    """A result that cannot be turned into a region or relation; the message names the field."""


def _layer_labels(tax: Taxonomy) -> dict[str, tuple[str, ...]]:
    from .config import CLAIM_LABEL
    return {layer: tax.names(key) if key else (CLAIM_LABEL,) for layer, key in LAYER_LABEL_SETS.items()}


_LABEL_SETS: dict[int, tuple] = {}


def _label_sets(tax: Taxonomy) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], tuple[str, ...]]:
    """The labels of each labels control, the choices of each choices control and the relation
    labels of ``tax``, made once per taxonomy (read_results runs for every annotation)."""
    if id(tax) not in _LABEL_SETS:
        _LABEL_SETS[id(tax)] = (tax, _layer_labels(tax), {name: tax.names(name) for name, _, _ in REGION_CHOICES},
                                tax.names("relation"))
    return _LABEL_SETS[id(tax)][1:]


def read_results(results: Iterable[dict], tax: Taxonomy | None = None) -> tuple[list[Region], list[Relation], list[str]]:
    """Regions and relations of one annotation's results, and a problem message for each result
    that is not acceptable (unknown control or label, bad offsets, a choice or relation whose
    region is missing). Problems name the result id and field."""
    layers, choice_sets, relation_labels = _label_sets(tax or load_taxonomy())
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
            if name not in layers:
                problems.append(f"region {rid}: /from_name {name!r} is not a labels control of the config")
            elif len(labels) != 1 or labels[0] not in layers[name]:
                problems.append(f"region {rid}: /value/labels {labels!r} must be one of {', '.join(layers[name])}")
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
        problems.extend(_attach(result, regions, choice_sets))
    for relation in relations:
        for end in (relation.from_id, relation.to_id):
            if end not in regions:
                problems.append(f"relation {relation.from_id}->{relation.to_id} ({relation.label}): region {end} does not exist")
    good = [r for r in relations if r.from_id in regions and r.to_id in regions]
    return list(regions.values()), good, problems


def _attach(result: dict, regions: dict[str, Region], choice_sets: dict[str, tuple[str, ...]]) -> list[str]:
    rid, name, value = result.get("id"), result.get("from_name"), result.get("value") or {}
    region = regions.get(rid)
    if region is None:
        return [f"{result.get('type')} {name} of region {rid}: the region does not exist"]
    if result["type"] == "textarea":
        if name != ENTITY_KEY:
            return [f"region {rid}: /from_name {name!r} is not a text area of the config"]
        if region.layer != "entity":
            return [f"region {rid}: /from_name {ENTITY_KEY} belongs on an entity region, not on a {region.layer} region"]
        texts = [t.strip() for t in value.get("text") or [] if t and t.strip()]
        region.entity_key = texts[0] if texts else None
        return []
    choices = value.get("choices") or []
    if name not in choice_sets:
        return [f"region {rid}: /from_name {name!r} is not a choices control of the config"]
    layer, label = _CHOICE_HOME[name]
    if (region.layer, region.label) != (layer, label):
        return [f"region {rid}: /from_name {name} belongs on a {layer} '{label}' region, not on a {region.layer} '{region.label}' region"]
    if len(choices) != 1 or choices[0] not in choice_sets[name]:
        return [f"region {rid}: /value/choices {choices!r} of {name} must be one of {', '.join(choice_sets[name])}"]
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
        if region.entity_key:
            results.append({"id": region.id, "from_name": ENTITY_KEY, "to_name": TEXT_NAME, "type": "textarea",
                            "value": {**span, "text": [region.entity_key]}})
    for relation in relations:
        results.append({"type": "relation", "from_id": relation.from_id, "to_id": relation.to_id,
                        "direction": "right", "labels": [relation.label]})
    return results
