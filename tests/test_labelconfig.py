import json
import sys
from xml.etree import ElementTree as ET

from label_studio_sdk.label_interface import LabelInterface

from whosaidwhat import layers
from whosaidwhat.convert.records import Annotation, records_from_results
from whosaidwhat.core.layout import Layout
from whosaidwhat.core.taxonomy import load_taxonomy
from whosaidwhat.labelstudio.regions import records_to_regions, to_results
from whosaidwhat.labelstudio.config import (PALETTE, instructions, label_colours, label_config, project_settings,
                                            region_choices)

from .conftest import REPO_ROOT

SEED = "wsw-752693cc0e635468"


def test_config_has_every_taxonomy_value_and_nothing_else():
    tax = load_taxonomy()
    li = LabelInterface(label_config())
    assert li.get_control("entity").labels == list(tax.names("entity_label"))
    assert li.get_control("quote").labels == list(tax.names("quote_role"))
    assert li.get_control("claim").labels == ["claim"]
    for name, _, _ in region_choices():
        assert li.get_control(name).labels == list(tax.names(name))
    relations = [r.get("value") for r in ET.fromstring(label_config()).iter("Relation")]
    assert relations == list(tax.names("relation"))
    assert {c.name for c in li.controls} == {"entity", "quote", "claim", "entity_key", *(n for n, _, _ in region_choices())}


def test_layers_are_separate_labels_controls_on_one_text():
    li = LabelInterface(label_config())
    labels = [c for c in li.controls if c.tag == "Labels"]
    assert [c.name for c in labels] == ["entity", "quote", "claim"]
    assert all(c.to_name == ["text"] for c in labels)
    assert [o.name for o in li.objects] == ["text"]


def test_choices_are_per_region_and_shown_only_on_their_region():
    li = LabelInterface(label_config())
    for name, layer, label in region_choices():
        attr = li.get_control(name).attr
        assert attr["perRegion"] == "true"
        assert (attr["visibleWhen"], attr["whenTagName"], attr["whenLabelValue"]) == ("region-selected", layer, label)


def test_labels_carry_their_taxonomy_definition_as_hint():
    tax = load_taxonomy()
    li = LabelInterface(label_config())
    assert li.get_control("entity").labels_attrs["PERSON"].attr["hint"] == tax["entity_label"].definition("PERSON")


def test_whitespace_is_shown_as_stored():
    assert "white-space: pre-wrap" in label_config()


def test_the_text_is_beside_a_side_panel_that_stays_in_view():
    view = ET.fromstring(label_config())
    [page] = [v for v in view.iter("View") if "display: flex" in (v.get("style") or "")]
    text_column, side = list(page)
    assert [t.get("name") for t in text_column.iter("Text")] == ["text"] and "flex: 65%" in text_column.get("style")
    assert "position: sticky" in side.get("style") and "top: 0" in side.get("style")
    in_side = {c.get("name") for c in side.iter() if c.get("toName")}
    assert in_side == {c.name for c in LabelInterface(label_config()).controls}  # every label and per-region control


def test_every_per_region_choice_is_required_on_the_regions_it_belongs_to():
    li = LabelInterface(label_config())
    for name, layer, label in region_choices():
        attr = li.get_control(name).attr
        assert attr["required"] == "true" and attr["perRegion"] == "true"
        assert label in attr["requiredMessage"] and name.replace("_", " ") in attr["requiredMessage"]


def test_a_required_choice_is_one_convert_refuses_to_go_without():
    """The config requires a choice because its layer does: with the choice taken off the regions it
    belongs to in the gold annotation of the seed article, convert reports them. (Label Studio asks
    for it on every region; convert, on each record: one piece of a quote in several pieces may
    carry the quote's kinds for all of them, and a gold quote gives them to every piece.)"""
    layout = Layout(REPO_ROOT)
    article = json.loads(layout.article_path(SEED).read_text(encoding="utf-8"))
    records = json.loads(layout.records_path(SEED).read_text(encoding="utf-8"))
    gold = {name: [r for r in records[name] if r["origin"] == "gold"] for name in layers.names()}
    results = to_results(*records_to_regions(gold, article["text"]), article["text"])
    for name, layer, label in region_choices():
        carriers = {r["id"] for r in results if r.get("from_name") == layer and r["value"]["labels"] == [label]}
        lacking = [r for r in results if not (r.get("id") in carriers and r["from_name"] == name)]
        assert len(lacking) < len(results)
        problems = []
        records_from_results(lacking, Annotation(article, "a1", "annotator-01", "human", "export.json", "task 1", problems), [])
        assert any(name in p.message for p in problems), (name, [p.message for p in problems])


def test_labels_have_distinct_colours_dealt_from_the_palette():
    tax = load_taxonomy()
    colours = label_colours(tax)
    assert len(set(colours.values())) == len(colours) <= len(PALETTE)
    li = LabelInterface(label_config())
    for control in ("entity", "quote", "claim"):
        for value, attrs in li.get_control(control).labels_attrs.items():
            assert attrs.attr["background"] == colours[control, value]
    # the first round of the deal: the first label of each layer gets the first colours
    assert [colours["entity", "PERSON"], colours["quote", "content"], colours["claim", "claim"]] == list(PALETTE[:3])


def test_the_header_shows_headline_outlet_and_date():
    headers = [h.get("value") for h in ET.fromstring(label_config()).iter("Header")]
    assert headers[:2] == ["$title", "$outlet · $published_date"]


def test_the_style_survives_label_studios_html_sanitiser():
    """Label Studio passes <Style> through sanitize-html, which escapes > and quotes."""
    style = ET.fromstring(label_config()).find("Style").text
    assert ">" not in style and '"' not in style and "'" not in style
    assert "line-height: 2.5" in style  # room for the relation arrows between the lines
    assert "relationItem" in style  # relation badges hidden on the text


def test_the_instructions_are_the_guidelines_rendered():
    html = instructions()
    guidelines = (REPO_ROOT / "annotations" / "GUIDELINES.md").read_text(encoding="utf-8")
    title = guidelines.splitlines()[0].lstrip("# ")
    assert f"<h1>{title}</h1>" in html and "<table>" in html and "<li>" in html
    assert "<code>annotations/GUIDELINES.md</code>" in html
    assert " style=" not in html and "target=" not in html  # attributes Label Studio would strip
    assert "<hr>" in html and "<hr />" not in html  # as Label Studio stores it: pushing again changes nothing
    linked = instructions("# Rules\n\nBe careful.", url="https://example.org/lab/whosaidwhat")
    assert '<a href="https://example.org/lab/whosaidwhat/blob/HEAD/annotations/GUIDELINES.md">' in linked
    assert "<h1>Rules</h1>" in linked and "<p>Be careful.</p>" in linked
    assert "<script>" not in instructions("<script>alert(1)</script>")  # raw HTML in the Markdown is escaped


def test_without_the_guidelines_the_instructions_say_where_they_are(monkeypatch, tmp_path):
    monkeypatch.setattr("whosaidwhat.labelstudio.config.guidelines_path", lambda: tmp_path / "GUIDELINES.md")
    html = instructions()
    assert "not installed" in html and "annotations/GUIDELINES.md" in html


def test_without_a_markdown_renderer_the_instructions_show_the_markdown(monkeypatch):
    monkeypatch.setitem(sys.modules, "markdown_it", None)  # import markdown_it raises ImportError
    html = instructions("# Rules\n\nBe <careful>.")
    assert "markdown-it-py" in html and "<pre># Rules\n\nBe &lt;careful&gt;.</pre>" in html


def test_project_settings_show_the_instructions_before_labeling():
    settings = project_settings()
    assert settings == {"label_config": label_config(), "expert_instruction": instructions(), "show_instruction": True}


def test_a_registered_layer_gets_its_labels_colours_and_required_choices_in_the_side_panel(tmp_path):
    from .extra_layer import LABEL_SETS, LAYER
    taxonomy = json.loads((REPO_ROOT / "schema" / "taxonomy.json").read_text(encoding="utf-8"))
    taxonomy["label_sets"].update(LABEL_SETS)
    (tmp_path / "taxonomy.json").write_text(json.dumps(taxonomy), encoding="utf-8")
    layers.register(LAYER)
    try:
        tax = load_taxonomy(tmp_path / "taxonomy.json")
        config = label_config(tax)
        colours = label_colours(tax)
    finally:
        layers.unregister(LAYER.name)
    [side] = [v for v in ET.fromstring(config).iter("View") if v.get("className") == "wsw-side"]
    [events] = [c for c in side.iter("Labels") if c.get("name") == "event"]
    assert [label.get("background") for label in events] == [colours["event", "reopening"], colours["event", "repair"]]
    assert len(set(colours.values())) == len(colours)
    [status] = [c for c in side.iter("Choices") if c.get("name") == "event_status"]
    assert (status.get("required"), status.get("whenTagName"), status.get("whenLabelValue")) == ("true", "event", "reopening")
    assert "reopening: event status" in config  # what the panel says to select
