"""The Label Studio labeling config, generated from the taxonomy and never edited by hand.

Layers are separate ``<Labels>`` controls on one ``<Text>``, so regions of different layers may
overlap (a claim inside a quote, an entity inside a speaker). Relations (from the taxonomy's
``relation`` set) tie speakers and cues to quote content and claims to quotes; per-region choices
carry the quote kind and speaker kind (on content regions) and the claim type and check-worthiness
(on claim regions). Every label shows its one-line definition as a hint.

>>> config = label_config()
>>> LabelInterface(config).get_control("entity").labels[:2]
['PERSON', 'NORP']
"""

from __future__ import annotations

import hashlib
from xml.etree import ElementTree as ET

from .. import layers
from ..core.taxonomy import Taxonomy, load_taxonomy
from .regions import TEXT_NAME

# Label Studio 1.23 renders <Text> as .lsf-htx-richtext with one .lsf-richtext__line per line; the
# older .htx-text class is kept for older versions. pre-wrap shows whitespace runs as stored.
STYLE = ".htx-text, .lsf-htx-richtext, .lsf-richtext__line { white-space: pre-wrap; line-height: 1.7; }"


def region_choices() -> list[tuple[str, str, str]]:
    """(choices control = taxonomy label set, the <Labels> control it describes, the label whose
    regions carry it) of every layer's per-region choices."""
    return [(c.name, layer.control, c.on) for layer in layers.registered() for c in layer.choices]


def _color(name: str) -> str:
    """A stable, readable background colour per label."""
    digest = hashlib.sha256(name.encode()).digest()
    return "#%02x%02x%02x" % tuple(128 + b // 2 for b in digest[:3])


def _labels(parent: ET.Element, name: str, values: list[tuple[str, str]]) -> None:
    labels = ET.SubElement(parent, "Labels", name=name, toName=TEXT_NAME)
    for value, hint in values:
        ET.SubElement(labels, "Label", value=value, hint=hint, background=_color(f"{name}:{value}"))


def label_config(tax: Taxonomy | None = None) -> str:
    """The XML config for the project, from the registered layers and the taxonomy."""
    tax = tax or load_taxonomy()
    view = ET.Element("View")
    ET.SubElement(view, "Style").text = STYLE
    header = ET.SubElement(view, "Header", value="$article_id", size="6")
    header.tail = None
    for layer in layers.registered():
        _labels(view, layer.control, layer.region_labels(tax))
    ET.SubElement(view, "Text", name=TEXT_NAME, value="$text", granularity="symbol")
    relations = ET.SubElement(view, "Relations")
    for label in tax["relation"].labels:
        ET.SubElement(relations, "Relation", value=label.name, hint=label.definition)
    for layer in layers.registered():
        for area in layer.text_areas:
            # A per-region TextArea ignores its own whenTagName (it showed for every region), so a
            # View carries the condition.
            keys = ET.SubElement(view, "View", visibleWhen="region-selected", whenTagName=layer.control)
            ET.SubElement(keys, "Header", value=area.header, size="5")
            ET.SubElement(keys, "TextArea", name=area.name, toName=TEXT_NAME, perRegion="true", editable="true",
                          maxSubmissions="1", visibleWhen="region-selected", whenTagName=layer.control,
                          placeholder=area.placeholder)
    for name, tag, label in region_choices():
        # The condition sits on the Choices itself (the frontend checks it there before submitting a
        # per-region result) and on the View that holds its header.
        shown = {"visibleWhen": "region-selected", "whenTagName": tag, "whenLabelValue": label}
        block = ET.SubElement(view, "View", **shown)
        ET.SubElement(block, "Header", value=name.replace("_", " "), size="5")
        choices = ET.SubElement(block, "Choices", name=name, toName=TEXT_NAME, perRegion="true",
                                choice="single-radio", **shown)
        for choice in tax[name].labels:
            ET.SubElement(choices, "Choice", value=choice.name, hint=choice.definition)
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"


def instructions(tax: Taxonomy | None = None) -> str:
    """The project's instructions (HTML), shown before labeling: what each layer is, and where the
    full guidelines are."""
    items = "".join(f"<li><b>{layer.title}</b>: {layer.description}</li>" for layer in layers.registered())
    return (f"<p>Label every layer of the article, then Submit.</p><ul>{items}</ul>"
            "<p>The full guidelines: annotations/GUIDELINES.md in the repository.</p>")


def project_settings(tax: Taxonomy | None = None) -> dict:
    """The project fields that belong to the labeling page: its config and its instructions."""
    return {"label_config": label_config(tax), "expert_instruction": instructions(tax), "show_instruction": True}
