"""The registry of layers: a layer registered from outside the package (``tests/extra_layer.py``,
events) goes through every stage with no other change — its schema, its Label Studio control, its
records from an export, their validation, agreement and a release that ``datasets`` loads."""

from __future__ import annotations

import copy
import json
import shutil

import pytest
from datasets import load_dataset
from label_studio_sdk.label_interface import LabelInterface

from whosaidwhat import layers, validate
from whosaidwhat.agreement.measures import agreement, format_table
from whosaidwhat.convert.pipeline import convert
from whosaidwhat.labelstudio.config import label_config
from whosaidwhat.labelstudio.regions import read_results, records_to_regions, to_results
from whosaidwhat.release.build import build_release
from whosaidwhat.validation.schema import build_schemas, schema_drift, write_schemas
from whosaidwhat.labelstudio.sources import Source, write_source

from .conftest import REPO_ROOT, SMALL_ARTICLE_ID
from .extra_layer import LABEL_SETS, LAYER
from .test_convert import EXPORT, EXPORT_NAME


@pytest.fixture
def events(small_repo, tmp_path, monkeypatch):
    """The events layer registered, over a copy of the schema folder whose taxonomy has its label
    sets, regenerated as ``whosaidwhat schema --write`` does; unregistered afterwards."""
    schema = tmp_path / "schema"
    shutil.copytree(REPO_ROOT / "schema", schema)
    taxonomy = json.loads((schema / "taxonomy.json").read_text(encoding="utf-8"))
    taxonomy["label_sets"].update(LABEL_SETS)
    (schema / "taxonomy.json").write_text(json.dumps(taxonomy, indent=2), encoding="utf-8")
    monkeypatch.setattr("whosaidwhat.core.layout.SOURCE_SCHEMA_DIR", schema)
    layers.register(LAYER)
    write_schemas()
    yield small_repo
    layers.unregister(LAYER.name)
    monkeypatch.undo()
    layers.clear_caches()


def _event(annotation: dict, text: str, piece: str, label: str, status: str | None, rid: str) -> None:
    start = text.index(piece)
    value = {"start": start, "end": start + len(piece), "text": piece}
    annotation["result"].append({"id": rid, "from_name": "event", "to_name": "text", "type": "labels",
                                 "value": {**value, "labels": [label]}})
    if status:
        annotation["result"].append({"id": rid, "from_name": "event_status", "to_name": "text", "type": "choices",
                                     "value": {**value, "choices": [status]}})


def _export_with_events(repo) -> list[dict]:
    tasks = copy.deepcopy(EXPORT)
    text = tasks[0]["data"]["text"]
    gold, second = tasks[0]["annotations"][0], tasks[0]["annotations"][1]
    _event(gold, text, "reopen", "reopening", "expected", "v1")
    _event(gold, text, "Repairs", "repair", None, "v2")
    _event(second, text, "reopen", "reopening", "expected", "v9")
    third = {**copy.deepcopy(second), "id": 10, "completed_by": "annotator-03"}  # a second human: agreement is measured
    third["result"] = [r for r in third["result"] if r.get("id") != "v9"]
    _event(third, text, "reopen", "reopening", "happened", "v8")
    tasks[0]["annotations"].append(third)
    shutil.rmtree(repo.records)
    (repo.labelstudio_exports / "fixture").mkdir(parents=True)
    write_source(repo.labelstudio_exports / "fixture", Source("fixture", ""))
    (repo.labelstudio_exports / "fixture" / EXPORT_NAME).write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return tasks


def test_a_registered_layer_has_its_schema_and_label_studio_controls(events):
    assert schema_drift() == []
    schemas = build_schemas()
    assert schemas["event"]["properties"]["label"]["enum"] == ["reopening", "repair"]
    assert schemas["records"]["properties"]["events"] == {"type": "array", "items": {"$ref": "urn:whosaidwhat:schema:event"}}
    interface = LabelInterface(label_config())
    assert interface.get_control("event").labels == ["reopening", "repair"]
    assert {c.name for c in interface.controls} >= {"entity", "quote", "claim", "event", "event_status"}


def test_a_registered_layer_goes_through_convert_validate_agreement_and_build(events):
    repo = events
    tasks = _export_with_events(repo)
    report = convert(layout=repo)
    assert not report.problems
    records = json.loads(repo.records_path(SMALL_ARTICLE_ID).read_text(encoding="utf-8"))
    gold = [e for e in records["events"] if e["origin"] == "gold"]
    assert [(e["text"], e["label"], e["status"]) for e in gold] == [("reopen", "reopening", "expected"), ("Repairs", "repair", None)]
    assert gold[0]["supported_by"] == ["annotator-02"] and gold[1]["supported_by"] == []  # annotator-03: another status
    assert validate(layout=repo).ok

    regions, relations = records_to_regions({name: [r for r in records[name] if r["origin"] == "gold"] for name in layers.names()})
    text = tasks[0]["data"]["text"]
    back, _, problems = read_results(to_results(regions, relations, text))
    assert not problems and sorted((text[r.start:r.end], r.label, r.choices) for r in back if r.layer == "event") == [
        ("Repairs", "repair", {}), ("reopen", "reopening", {"event_status": "expected"})]

    report = agreement(repo)
    assert report["overall"]["events"] == {"overlap": {"precision": 1.0, "recall": 1.0, "f1": 1.0}}
    assert "events: overlap F1" in format_table(report)

    build_release(repo, "0.1.0")
    folder = repo.releases / "0.1.0"
    [events_config] = load_dataset(str(folder), "events").values()
    names = events_config.features["label"].names
    assert [(row["text"], names[row["label"]]) for row in events_config] == [("reopen", "reopening"), ("Repairs", "repair")]
    [documents] = load_dataset(str(folder)).values()
    assert [e["text"] for e in documents[0]["events"]] == ["reopen", "Repairs"]
    card = (folder / "README.md").read_text(encoding="utf-8")
    assert "config_name: events" in card and "one row per gold event" in card


def test_a_registered_layer_is_validated_like_the_others(events):
    repo = events
    _export_with_events(repo)
    convert(layout=repo)
    path = repo.records_path(SMALL_ARTICLE_ID)
    records = json.loads(path.read_text(encoding="utf-8"))
    records["events"][0]["end"] += 1
    records["events"][1]["label"] = "strike"
    path.write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")
    problems = {(p.pointer, p.record_id) for p in validate(layout=repo).problems}
    ids = records["events"][0]["event_id"], records["events"][1]["event_id"]
    assert problems == {("/events/0/end", ids[0]), ("/events/1/label", ids[1])}


def test_a_required_choice_of_a_registered_layer_is_checked_by_convert(events):
    repo = events
    tasks = _export_with_events(repo)
    gold = tasks[0]["annotations"][0]
    gold["result"] = [r for r in gold["result"] if r.get("from_name") != "event_status"]
    (repo.labelstudio_exports / "fixture" / EXPORT_NAME).write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    from whosaidwhat import InvalidDataError
    with pytest.raises(InvalidDataError) as caught:
        convert(layout=repo)
    assert [str(p).split(": ", 2)[-1] for p in caught.value.problems] == ["region v1: event 'reopen' has no event_status"]


def test_a_layer_registered_from_outside_the_package_is_part_of_the_checking_code(small_repo, monkeypatch):
    """The cache of checked files keys on the code that decides validity: a layer module outside
    the package counts, so files checked without it are checked again with it."""
    from whosaidwhat.validation.cache import code_digest
    before = code_digest()
    layers.register(LAYER)
    try:
        assert code_digest() != before
    finally:
        layers.unregister(LAYER.name)
    assert code_digest() == before


def test_the_built_in_layers_are_back_after_the_extra_one(small_repo):
    assert layers.names() == ("entities", "quotes", "claims") and schema_drift() == []
