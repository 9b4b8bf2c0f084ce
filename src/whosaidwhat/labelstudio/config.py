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

from ..core.taxonomy import Taxonomy, load_taxonomy

TEXT_NAME = "text"
ENTITY, QUOTE, CLAIM = "entity", "quote", "claim"
ENTITY_KEY = "entity_key"
CLAIM_LABEL = "claim"
# Per-region choices: (control name = taxonomy label set, the Labels layer it describes, the label
# whose regions carry it).
REGION_CHOICES = (
    ("quote_kind", QUOTE, "content"),
    ("speaker_kind", QUOTE, "content"),
    ("claim_type", CLAIM, CLAIM_LABEL),
    ("checkworthiness", CLAIM, CLAIM_LABEL),
)
# Label Studio 1.23 renders <Text> as .lsf-htx-richtext with one .lsf-richtext__line per line; the
# older .htx-text class is kept for older versions. pre-wrap shows whitespace runs as stored.
STYLE = ".htx-text, .lsf-htx-richtext, .lsf-richtext__line { white-space: pre-wrap; line-height: 1.7; }"


def _color(name: str) -> str:
    """A stable, readable background colour per label."""
    digest = hashlib.sha256(name.encode()).digest()
    return "#%02x%02x%02x" % tuple(128 + b // 2 for b in digest[:3])


def _labels(parent: ET.Element, name: str, values: list[tuple[str, str]]) -> None:
    labels = ET.SubElement(parent, "Labels", name=name, toName=TEXT_NAME)
    for value, hint in values:
        ET.SubElement(labels, "Label", value=value, hint=hint, background=_color(f"{name}:{value}"))


def label_config(tax: Taxonomy | None = None) -> str:
    """The XML config for the project, from the taxonomy."""
    tax = tax or load_taxonomy()
    view = ET.Element("View")
    ET.SubElement(view, "Style").text = STYLE
    header = ET.SubElement(view, "Header", value="$article_id", size="6")
    header.tail = None
    _labels(view, ENTITY, [(l.name, l.definition) for l in tax["entity_label"].labels])
    _labels(view, QUOTE, [(l.name, l.definition) for l in tax["quote_role"].labels])
    _labels(view, CLAIM, [(CLAIM_LABEL, "A statement that asserts something checkable, or an opinion "
                                         "an annotator was asked to classify; give its type and worthiness.")])
    ET.SubElement(view, "Text", name=TEXT_NAME, value="$text", granularity="symbol")
    relations = ET.SubElement(view, "Relations")
    for label in tax["relation"].labels:
        ET.SubElement(relations, "Relation", value=label.name, hint=label.definition)
    # A per-region TextArea ignores its own whenTagName (it showed for every region), so a View
    # carries the condition.
    keys = ET.SubElement(view, "View", visibleWhen="region-selected", whenTagName=ENTITY)
    ET.SubElement(keys, "Header", value="entity key", size="5")
    ET.SubElement(keys, "TextArea", name=ENTITY_KEY, toName=TEXT_NAME, perRegion="true", editable="true",
                  maxSubmissions="1", visibleWhen="region-selected", whenTagName=ENTITY,
                  placeholder="the same key for every mention of one entity (a Wikidata id such as Q1234, or a short name)")
    for name, tag, label in REGION_CHOICES:
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
