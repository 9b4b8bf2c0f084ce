from xml.etree import ElementTree as ET

from label_studio_sdk.label_interface import LabelInterface

from whosaidwhat.labelstudio.config import label_config, region_choices
from whosaidwhat.core.taxonomy import load_taxonomy


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
