import copy
import json

import pytest

from whosaidwhat import validate
from whosaidwhat.cli import main

from .conftest import SMALL_ARTICLE_ID


def _problems(layout):
    return [str(p) for p in validate(layout=layout).problems]


def test_the_small_fixture_is_valid(small_repo):
    report = validate(layout=small_repo)
    assert report.problems == [] and report.exit_code == 0
    assert (report.files, report.records) == (2, 9)


def test_an_edited_start_offset_names_the_record_and_start(small_repo, edit_records):
    edit_records(lambda d: d["entities"][0].update(start=d["entities"][0]["start"] + 1))
    [problem] = validate(layout=small_repo).problems
    assert problem.record_id == f"{SMALL_ARTICLE_ID}:a1:e1"
    assert problem.pointer == "/entities/0/start"
    assert "records/" + SMALL_ARTICLE_ID + ".json" in problem.file
    assert "text[7:14] is 'na Ruiz', not the span's text 'Ana Ruiz'" in str(problem)


def test_an_edited_end_offset_in_a_quote_names_the_content_span_end(small_repo, edit_records):
    edit_records(lambda d: d["quotes"][1]["content"][1].update(end=d["quotes"][1]["content"][1]["end"] - 1))
    [problem] = validate(layout=small_repo).problems
    assert (problem.record_id, problem.pointer) == (f"{SMALL_ARTICLE_ID}:a1:q2", "/quotes/1/content/1/end")


def test_offsets_beyond_the_text_or_reversed_are_errors(small_repo, edit_records):
    def change(d):
        d["claims"][0].update(end=10_000)
        d["quotes"][0]["cue"].update(start=30, end=20)
    edit_records(change)
    problems = _problems(small_repo)
    assert any("/claims/0/end: end 10000 is beyond the article text" in p for p in problems)
    assert any("/quotes/0/cue/start: start 30 is not before end 20" in p for p in problems)


def test_a_label_outside_the_taxonomy_names_the_field(small_repo, edit_records):
    edit_records(lambda d: d["entities"][1].update(label="BUILDING"))
    [problem] = validate(layout=small_repo).problems
    assert problem.pointer == "/entities/1/label" and "'BUILDING' is not one of" in problem.message
    assert problem.record_id == f"{SMALL_ARTICLE_ID}:a1:e2"


def test_every_problem_is_reported_not_just_the_first(small_repo, edit_records):
    def change(d):
        d["claims"][1]["claim_type"] = "gossip"
        d["claims"][0]["checkworthiness"] = "maybe"
        del d["quotes"][2]["speaker_kind"]
        d["entities"][0]["confidence"] = 0.9
    edit_records(change)
    problems = validate(layout=small_repo).problems
    assert {p.pointer for p in problems} == {"/claims/1/claim_type", "/claims/0/checkworthiness", "/quotes/2", "/entities/0"}
    assert any("'speaker_kind' is missing" in p.message for p in problems)
    assert any("unknown field(s) ('confidence' was unexpected)" in p.message for p in problems)


def test_references_must_resolve_within_the_annotator_set(small_repo, edit_records):
    def change(d):
        d["quotes"][0]["speaker_entity_id"] = f"{SMALL_ARTICLE_ID}:nobody"
        d["claims"][1]["quote_id"] = f"{SMALL_ARTICLE_ID}:a1:q9"
        d["quotes"][2]["annotator"] = "annotator-02"  # claim c2 (annotator-01) now cites another set's quote
        d["claims"][1]["quote_id"] = f"{SMALL_ARTICLE_ID}:a1:q3"
    edit_records(change)
    problems = _problems(small_repo)
    assert any("/quotes/0/speaker_entity_id: entity" in p and ":nobody has no mention" in p for p in problems)
    assert any("/claims/1/quote_id: quote" in p and "a1:q3 is not among" in p for p in problems)


def test_a_record_of_another_article_in_the_file_is_an_error(small_repo, edit_records):
    edit_records(lambda d: d["claims"][0].update(article_id="wsw-ffffffffffffffff"))
    assert any("/claims/0/article_id: is wsw-ffffffffffffffff, but this file holds article" in p for p in _problems(small_repo))


def test_duplicate_ids_and_unknown_articles_are_errors(small_repo, edit_records):
    edit_records(lambda d: d["entities"][1].update(mention_id=d["entities"][0]["mention_id"]))
    stray = dict(json.loads(small_repo.records_path(SMALL_ARTICLE_ID).read_text()), article_id="wsw-ffffffffffffffff")
    stray = {**stray, "entities": [], "quotes": [], "claims": []}
    small_repo.records_path("wsw-ffffffffffffffff").write_text(json.dumps(stray))
    problems = _problems(small_repo)
    assert any("/entities/1/mention_id: mention_id" in p and "is not unique" in p for p in problems)
    assert any("wsw-ffffffffffffffff.json: /article_id: article wsw-ffffffffffffffff is not in the corpus" in p
               for p in problems)


def test_an_entity_group_with_mixed_labels_is_an_error(small_repo, edit_records):
    def change(d):
        d["entities"][1]["entity_id"] = d["entities"][0]["entity_id"]
    edit_records(change)
    assert any("/entities/1/label: label FAC differs from the other mentions" in p for p in _problems(small_repo))


def test_article_text_must_match_its_hash_and_be_normalised(small_repo):
    path = small_repo.article_path(SMALL_ARTICLE_ID)
    article = json.loads(path.read_text())
    article["text"] = article["text"].replace("Mayor", "Mayor\r")
    path.write_text(json.dumps(article))
    problems = _problems(small_repo)
    assert any("/text_sha256: does not match the sha256 of the text" in p for p in problems)
    assert any("/text: text must be Unicode NFC with \\n newlines" in p for p in problems)


def test_broken_json_is_unusable_input_with_exit_2_naming_file_and_line(small_repo):
    path = small_repo.records_path(SMALL_ARTICLE_ID)
    path.write_text('{\n  "article_id": "x",\n  "entities": [,]\n}')
    report = validate(layout=small_repo)
    assert report.exit_code == 2
    [problem] = report.problems
    assert problem.file.endswith(f"{SMALL_ARTICLE_ID}.json") and problem.line == 3 and "broken JSON" in problem.message


def test_validating_one_file_still_resolves_references_against_the_corpus(small_repo):
    report = validate([small_repo.records_path(SMALL_ARTICLE_ID)], layout=small_repo)
    assert report.ok and report.files == 1


def test_cli_reports_json_and_exit_status(small_repo, edit_records, monkeypatch, capsys):
    monkeypatch.chdir(small_repo.root)
    assert main(["validate"]) == 0
    assert "valid" in capsys.readouterr().out
    edit_records(lambda d: d["entities"][0].update(end=d["entities"][0]["end"] + 2))
    assert main(["validate", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["problems"][0]["pointer"] == "/entities/0/end"
    assert report["problems"][0]["record_id"] == f"{SMALL_ARTICLE_ID}:a1:e1"


@pytest.mark.parametrize("argv", [["validate", "nonexistent.json"]])
def test_cli_exit_2_on_a_missing_file(small_repo, monkeypatch, capsys, argv):
    monkeypatch.chdir(small_repo.root)
    assert main(argv) == 2
    assert "nonexistent.json: no such file" in capsys.readouterr().out


def _first_span(record: dict) -> dict:
    return record["content"][0] if "content" in record else record


@pytest.mark.parametrize("break_record", [
    lambda r: None,
    lambda r: r.update(article_id="wsw-ffffffffffffffff"),
    lambda r: _first_span(r).update(start=_first_span(r)["start"] + 1),
    lambda r: _first_span(r).update(end=10**6),
    lambda r: _first_span(r).update(start=_first_span(r)["end"]),
    lambda r: _first_span(r).update(text="not the text"),
    lambda r: r.get("cue") and r["cue"].update(text="not the cue"),
    lambda r: "speaker_entity_id" in r and r.update(speaker_entity_id="wsw-e8a2c3319847e2e6:nobody"),
    lambda r: "quote_id" in r and r.update(quote_id="wsw-e8a2c3319847e2e6:a1:q9"),
])
def test_the_quick_record_test_agrees_with_the_worded_checks(small_repo, break_record):
    """check_records words a record's problems only when the quick test fails it: the two must agree."""
    from whosaidwhat import layers
    from whosaidwhat.validation.records import check_record, record_ok
    records = json.loads(small_repo.records_path(SMALL_ARTICLE_ID).read_text(encoding="utf-8"))
    article = json.loads(small_repo.article_path(SMALL_ARTICLE_ID).read_text(encoding="utf-8"))
    in_set = {("entities", "entity_id"): {r["entity_id"] for r in records["entities"]},
              ("quotes", "quote_id"): {r["quote_id"] for r in records["quotes"]}}
    for layer in layers.registered():
        for i, record in enumerate(records[layer.name]):
            broken = copy.deepcopy(record)
            break_record(broken)
            worded = list(check_record("f", layer, i, broken, SMALL_ARTICLE_ID, article, in_set))
            assert record_ok(layer, broken, SMALL_ARTICLE_ID, article["text"], in_set) == (not worded), (layer.name, i, worded)
