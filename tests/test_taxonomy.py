from dataclasses import replace

from jsonschema import Draft202012Validator

from whosaidwhat.validation.schema import build_schemas, schema_names, load_schemas, schema_drift, validator
from whosaidwhat.core.taxonomy import Label, load_taxonomy, required_sets


def _enums(node):
    if isinstance(node, dict):
        if "enum" in node:
            yield tuple(node["enum"])
        for value in node.values():
            yield from _enums(value)
    elif isinstance(node, list):
        for value in node:
            yield from _enums(value)


def test_taxonomy_defines_every_label_set_with_one_line_definitions():
    tax = load_taxonomy()
    for key in required_sets():
        assert tax[key].labels, key
        assert all(label.definition and "\n" not in label.definition for label in tax[key].labels)


def test_label_sets_hold_the_values_the_corpus_is_designed_around():
    tax = load_taxonomy()
    assert {"PERSON", "NORP", "ORG", "GPE", "LOC", "FAC", "EVENT", "LAW"} <= set(tax.names("entity_label"))
    assert tax.names("quote_kind") == ("direct", "indirect", "mixed")
    assert tax.names("speaker_kind") == ("named_person", "named_organization", "anonymous", "pronoun", "unattributed")
    assert tax.names("claim_type") == ("quantity", "correlation_causation", "rules_laws", "prediction",
                                       "personal_experience", "other")
    assert tax.names("checkworthiness") == ("check_worthy", "unimportant_factual", "non_factual")
    assert tax.names("quote_role") == ("content", "speaker", "cue")


def test_committed_schemas_match_what_the_taxonomy_generates():
    assert schema_drift() == []


def test_every_schema_enum_is_a_taxonomy_label_set():
    tax = load_taxonomy()
    label_sets = {tax.names(key) for key in tax.label_sets}
    enums = {enum for body in load_schemas().values() for enum in _enums(body)}
    assert enums and enums <= label_sets
    used = {key for key in tax.label_sets if tax.names(key) in enums}
    assert used == set(tax.label_sets) - {"quote_role", "relation"}  # Label Studio structure, not fields


def test_a_new_taxonomy_label_reaches_the_generated_schema():
    tax = load_taxonomy()
    claim_type = tax["claim_type"]
    more = replace(claim_type, labels=claim_type.labels + (Label("satire", "A joke."),))
    changed = replace(tax, label_sets={**tax.label_sets, "claim_type": more})
    assert "satire" in build_schemas(changed)["claim"]["properties"]["claim_type"]["enum"]
    assert "satire" not in build_schemas(tax)["claim"]["properties"]["claim_type"]["enum"]


def test_every_schema_is_valid_draft_2020_12_with_id_version_and_closed_objects():
    for name, body in load_schemas().items():
        Draft202012Validator.check_schema(body)
        assert body["$id"].endswith(name) and body["version"]
        assert body["additionalProperties"] is False


def test_every_schema_example_validates():
    for name in schema_names():
        examples = load_schemas()[name]["examples"]
        assert examples
        for example in examples:
            assert list(validator(name).iter_errors(example)) == []


def test_schema_example_span_text_matches_its_offsets():
    article = load_schemas()["article"]["examples"][0]
    quote = load_schemas()["quote"]["examples"][0]
    for span in [*quote["content"], quote["cue"], quote["speaker"]]:
        assert article["text"][span["start"]:span["end"]] == span["text"]


def test_the_compiled_validator_agrees_with_the_reference_on_valid_and_invalid_records():
    import copy
    import json
    from whosaidwhat.validation.schema import fast_validator
    from .conftest import FIXTURES, SMALL_ARTICLE_ID
    records = json.loads((FIXTURES / "small_repo" / "annotations" / "records" / f"{SMALL_ARTICLE_ID}.json").read_text())
    broken = copy.deepcopy(records)
    broken["entities"][0]["label"] = "BOGUS"
    broken["entities"][1]["start"] = -1
    del broken["quotes"][0]["kind"]
    broken["quotes"][1]["content"] = []
    broken["claims"][0]["origin"] = "oracle"
    broken["claims"][1]["annotator"] = "Someone@Example.org"
    broken["claims"][1]["extra"] = True
    for data in (records, broken, {"article_id": 1}, []):
        reference = sorted(tuple(e.absolute_path) for e in validator("records").iter_errors(data))
        compiled = sorted(tuple(e.instance_path) for e in fast_validator("records").iter_errors(data))
        assert reference == compiled
        assert fast_validator("records").is_valid(data) == (reference == [])
    assert len(list(validator("records").iter_errors(broken))) == 7  # every change above is one error
