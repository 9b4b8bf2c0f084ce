"""The Label Studio labeling page, generated from the registered layers and the taxonomy and never
edited by hand: the labeling config, and the project instructions (the annotation guidelines).

The page: the headline, outlet and date of the article on top; the text on the left; on the right a
panel that stays in view while the text scrolls, holding each layer's ``<Labels>`` and, while a
region is selected, the per-region controls of that region (quote kind and speaker kind on quote
content, claim type and check-worthiness on a claim, the entity key on an entity). Layers are
separate ``<Labels>`` controls on one ``<Text>``, so regions of different layers may overlap (a
claim inside a quote, an entity inside a speaker). Relations (the taxonomy's ``relation`` set) tie
speakers and cues to quote content and claims to quotes; their label badges are hidden on the text,
where they covered words, and shown on the relation pointed at in the Relations list.

Every label gets a colour of ``PALETTE`` and shows its one-line definition as a hint. Every
per-region choice a layer declares is required on the regions it belongs to: a layer declares a
choice for a record field that cannot be left empty (its ``to_records`` reports a record without
it), so Label Studio refuses to submit such a region too.

>>> config = label_config()
>>> LabelInterface(config).get_control("entity").labels[:2]
['PERSON', 'NORP']
"""

from __future__ import annotations

import html
import importlib.metadata
from itertools import zip_longest
from pathlib import Path
from xml.etree import ElementTree as ET

from .. import layers
from ..core.layout import SOURCE_SCHEMA_DIR, Layout
from ..core.taxonomy import Taxonomy, load_taxonomy
from .regions import TEXT_NAME

# Colours of maximum contrast, after Trubetskoy's "20 distinct colours", ordered so that the first
# ones differ most. They are dealt to the labels one layer at a time in turn (the first label of
# every layer, then the second of every layer, ...), so each layer's labels draw from the front of
# the list and labels of different layers, which overlap in the text, never share a colour. Label
# Studio fills a region with its colour at 30% opacity, so none is too pale to see.
PALETTE = ("#e6194b", "#3cb44b", "#ffe119", "#911eb4", "#4363d8", "#9a6324", "#f58231", "#f032e6",
           "#42d4f4", "#469990", "#808000", "#000075", "#800000", "#bfef45", "#a9a9a9", "#fabed4",
           "#dcbeff", "#aaffc3", "#ffd8b1", "#000000")

# Label Studio 1.23 renders <Text> as .lsf-htx-richtext with one .lsf-richtext__line per line; the
# older .htx-text class is kept for older versions. pre-wrap shows whitespace runs as stored.
# Relations are drawn in an <svg class="relations-overlay">, one <g> per relation (CSS-module class
# relationItem--<hash>, with _highlighted--<hash> while the relation is pointed at in the Relations
# list, when a <use> also draws a copy of it on top) holding the arrow's paths and, in an inner <g>,
# its label badge. An arrow runs 18 px above its regions, or from a region's left edge out to the
# left margin at mid-line, through the words before it. So: the lines are 2.5 apart (the arrows above
# regions run between the lines); arrows are faint and thin; the badges, which covered words, are
# shown only on the relation pointed at, drawn in full, in 10 px type, moved 5 px down into the
# middle of the gap between two lines and 10 px left, off the first letters of a line when the arrow
# goes round the left margin (measured in tests/test_browser.py: no badge reaches more than 4 px
# into the box of a line of text). The selectors do not start at the <svg>, so that they reach the
# copy in the <use> too. Label Studio passes <Style> through an HTML sanitiser that escapes > and
# quotes, so the CSS uses neither.
STYLE = """
.htx-text, .lsf-htx-richtext, .lsf-richtext__line { white-space: pre-wrap; line-height: 2.5; }
g[class*=relationItem] { opacity: .35; }
g[class*=relationItem] path { stroke-width: 1.5px; }
g[class*=relationItem] g { display: none; }
g[class*=relationItem][class*=_highlighted] { opacity: 1; }
g[class*=relationItem][class*=_highlighted] path { stroke-width: 2px; }
g[class*=relationItem][class*=_highlighted] g { display: inline; translate: -10px 5px; }
g[class*=relationItem] text { font-size: 10px !important; }
"""
PAGE_STYLE = "display: flex; align-items: flex-start; gap: 24px"
# Room left of the text for the relation arrows Label Studio draws around the left of two regions
# one above the other (15 px out from the regions) and for the label badge on such an arrow's middle.
TEXT_STYLE = "flex: 65%; min-width: 0; padding-left: 56px"
SIDE_STYLE = ("flex: 35%; min-width: 0; position: sticky; top: 0; max-height: 100vh; overflow-y: auto; "
              "padding: 0 8px 8px 16px; border-left: 1px solid #e5e5e5")


def region_choices() -> list[tuple[str, str, str]]:
    """(choices control = taxonomy label set, the <Labels> control it describes, the label whose
    regions carry it) of every layer's per-region choices."""
    return [(c.name, layer.control, c.on) for layer in layers.registered() for c in layer.choices]


def label_colours(tax: Taxonomy | None = None) -> dict[tuple[str, str], str]:
    """(control, label) -> colour for every label of every layer: ``PALETTE`` dealt in turns, one
    label of each layer (in registration order) per round, labels in taxonomy order; it starts over
    when there are more labels than colours."""
    tax = tax or load_taxonomy()
    rows = [[(layer.control, value) for value, _ in layer.region_labels(tax)] for layer in layers.registered()]
    dealt = [label for round_ in zip_longest(*rows) for label in round_ if label is not None]
    return {label: PALETTE[i % len(PALETTE)] for i, label in enumerate(dealt)}


def _title(name: str) -> str:
    return name.replace("_", " ")


def _header(parent: ET.Element, value: str, size: str, style: str | None = None) -> None:
    ET.SubElement(parent, "Header", value=value, size=size, **({"style": style} if style else {}))


def _task_header(view: ET.Element) -> None:
    """The article's headline, and its outlet and date under it."""
    _header(view, "$title", "3", "margin: 4px 0 0")
    _header(view, "$outlet · $published_date", "5", "margin: 2px 0 12px; color: #666; font-weight: normal")


def _labels(side: ET.Element, tax: Taxonomy) -> None:
    colours = label_colours(tax)
    for layer in layers.registered():
        _header(side, layer.title.lower(), "5", "margin: 10px 0 4px")
        labels = ET.SubElement(side, "Labels", name=layer.control, toName=TEXT_NAME)
        for value, hint in layer.region_labels(tax):
            ET.SubElement(labels, "Label", value=value, hint=hint, background=colours[layer.control, value])


def _region_controls(side: ET.Element, tax: Taxonomy) -> None:
    """The per-region text areas and choices, each shown while a region it belongs to is selected,
    and a line saying what to select while none is."""
    wanted: dict[str, list[str]] = {}
    for layer in layers.registered():
        for choice in layer.choices:
            wanted.setdefault(choice.on, []).append(_title(choice.name))
        for area in layer.text_areas:
            wanted.setdefault(layer.title.lower(), []).append(_title(area.name))
    if wanted:
        what = "; ".join(f"{on}: {', '.join(names)}" for on, names in wanted.items())
        idle = ET.SubElement(side, "View", visibleWhen="no-region-selected", style="margin-top: 16px")
        _header(idle, f"Select a region to give its details here ({what}).", "5",
                "font-size: 14px; line-height: 1.5; font-weight: normal; color: #666")
    for layer in layers.registered():
        for area in layer.text_areas:
            # A per-region TextArea ignores its own whenTagName (it showed for every region), so a
            # View carries the condition.
            keys = ET.SubElement(side, "View", visibleWhen="region-selected", whenTagName=layer.control)
            _header(keys, _title(area.header), "4", "margin: 16px 0 4px")
            ET.SubElement(keys, "TextArea", name=area.name, toName=TEXT_NAME, perRegion="true", editable="true",
                          maxSubmissions="1", visibleWhen="region-selected", whenTagName=layer.control,
                          placeholder=area.placeholder)
    for name, tag, label in region_choices():
        # The condition sits on the Choices itself (the frontend checks it there before submitting a
        # per-region result, and so checks required only on the regions it belongs to) and on the
        # View that holds its header.
        shown = {"visibleWhen": "region-selected", "whenTagName": tag, "whenLabelValue": label}
        block = ET.SubElement(side, "View", **shown)
        _header(block, _title(name), "4", "margin: 16px 0 4px")
        choices = ET.SubElement(block, "Choices", name=name, toName=TEXT_NAME, perRegion="true", required="true",
                                requiredMessage=f"Every {label} needs its {_title(name)}: choose it for the "
                                                f"{label} now selected, then submit again.",
                                choice="single-radio", **shown)
        for choice in tax[name].labels:
            ET.SubElement(choices, "Choice", value=choice.name, hint=choice.definition)


def label_config(tax: Taxonomy | None = None) -> str:
    """The XML config for the project, from the registered layers and the taxonomy."""
    tax = tax or load_taxonomy()
    view = ET.Element("View")
    ET.SubElement(view, "Style").text = STYLE
    _task_header(view)
    page = ET.SubElement(view, "View", style=PAGE_STYLE)
    ET.SubElement(ET.SubElement(page, "View", style=TEXT_STYLE), "Text", name=TEXT_NAME, value="$text",
                  granularity="symbol")
    side = ET.SubElement(page, "View", className="wsw-side", style=SIDE_STYLE)
    _labels(side, tax)
    _region_controls(side, tax)
    relations = ET.SubElement(view, "Relations")
    for label in tax["relation"].labels:
        ET.SubElement(relations, "Relation", value=label.name, hint=label.definition)
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"


# -- the instructions --------------------------------------------------------------------------------

GUIDELINES = "annotations/GUIDELINES.md"  # the guidelines' path in a whosaidwhat repository


def guidelines_path() -> Path:
    """The guidelines of the repository this package runs from (a development install), as the
    taxonomy is read from its ``schema/``."""
    return Layout(SOURCE_SCHEMA_DIR.parent).annotations / Path(GUIDELINES).name


def repository_url() -> str | None:
    """The package's declared source repository (``[project.urls]`` Repository or Source), if any."""
    try:
        urls = importlib.metadata.metadata("whosaidwhat").get_all("Project-URL") or []
    except importlib.metadata.PackageNotFoundError:
        return None
    found = dict(entry.split(", ", 1) for entry in urls if ", " in entry)
    return next((found[key].rstrip("/") for key in ("Repository", "Source") if key in found), None)


# Label Studio keeps only some attributes of the instructions' HTML (class and href, not style or
# target) and resets the look of lists, paragraphs and tables, so the guidelines carry their own
# <style>, scoped to their block. Its rules use no > and no quotes, which the sanitisers on the way
# would escape. white-space: normal, because the dialog of the Instructions button is pre-wrap.
GUIDELINES_STYLE = """
.wsw-guidelines { white-space: normal; line-height: 1.5; }
.wsw-guidelines h1 { font-size: 22px; margin: 12px 0 8px; }
.wsw-guidelines h2 { font-size: 19px; margin: 16px 0 6px; }
.wsw-guidelines h3 { font-size: 16px; margin: 12px 0 4px; }
.wsw-guidelines p { margin: 0 0 8px; }
.wsw-guidelines ul, .wsw-guidelines ol { margin: 0 0 8px; padding-left: 22px; }
.wsw-guidelines ul li { list-style: disc; }
.wsw-guidelines ol li { list-style: decimal; }
.wsw-guidelines table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
.wsw-guidelines th, .wsw-guidelines td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }
.wsw-guidelines code { font-size: 90%; background: #f3f3f3; padding: 0 2px; }
.wsw-guidelines hr { margin: 12px 0; }
"""


def _markdown_to_html(text: str) -> str:
    """Markdown (CommonMark with tables) to HTML, raw HTML in the text escaped; written as Label
    Studio stores it (``<hr>``, not ``<hr />``), so that pushing the same text again changes nothing.
    Without markdown-it-py, the Markdown itself, saying so."""
    try:
        from markdown_it import MarkdownIt
    except ImportError:
        return (f"<p>(Shown as Markdown: markdown-it-py, which renders it, is not installed.)</p>\n"
                f"<pre>{html.escape(text)}</pre>\n")
    return MarkdownIt("commonmark", {"html": False, "xhtmlOut": False}).enable("table").render(text)


def instructions(guidelines: str | None = None, *, url: str | None = None) -> str:
    """The project's instructions (HTML, shown before labeling): the annotation guidelines
    (``guidelines``, Markdown; default: ``annotations/GUIDELINES.md`` of the repository the package
    runs from) under a line naming the file, linked when the repository's ``url`` is known (default:
    the package's declared source repository)."""
    if guidelines is None:
        path = guidelines_path()
        guidelines = path.read_text(encoding="utf-8") if path.is_file() else None
    url = url or repository_url()
    name = f'<a href="{url}/blob/HEAD/{GUIDELINES}">{GUIDELINES}</a>' if url else f"<code>{GUIDELINES}</code>"
    if guidelines is None:
        body = (f"<p>The guidelines are not installed with this copy of the package: read {name} in the "
                f"whosaidwhat repository before labeling.</p>")
    else:
        body = (f"<p><i>The annotation guidelines, from {name} in the whosaidwhat repository, as the project "
                f"was last pushed.</i></p>\n" + _markdown_to_html(guidelines))
    return f'<div class="wsw-guidelines"><style>{GUIDELINES_STYLE}</style>\n{body}</div>'


def project_settings(tax: Taxonomy | None = None) -> dict:
    """The project fields that belong to the labeling page: its config and its instructions, shown
    before labeling."""
    return {"label_config": label_config(tax), "expert_instruction": instructions(), "show_instruction": True}
