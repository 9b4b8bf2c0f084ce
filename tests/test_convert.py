"""convert on a saved real export (tests/fixtures/labelstudio/export-small.json): a gold annotation,
a second annotator, a cancelled annotation, a draft and the rule-based prediction of one task."""

import copy
import json
import shutil

import pytest

from whosaidwhat import InvalidDataError, validate
from whosaidwhat.cli import main
from whosaidwhat.convert.pipeline import convert
from whosaidwhat.labelstudio.sources import Source, write_source

from .conftest import FIXTURES, SMALL_ARTICLE_ID

EXPORT = json.loads((FIXTURES / "labelstudio" / "export-small.json").read_text(encoding="utf-8"))
EXPORT_NAME = "export-20260101T000000Z.json"
EXPORT_FILE = f"annotations/labelstudio/fixture/{EXPORT_NAME}"  # problems name files from the repository root


@pytest.fixture
def repo(small_repo):
    shutil.rmtree(small_repo.records)
    (small_repo.labelstudio_exports / "fixture").mkdir(parents=True)
    write_source(small_repo.labelstudio_exports / "fixture", Source("fixture", ""))
    return small_repo


def _write(repo, tasks, name=EXPORT_NAME):
    path = repo.labelstudio_exports / "fixture" / name
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def _records(repo):
    return json.loads(repo.records_path(SMALL_ARTICLE_ID).read_text(encoding="utf-8"))


def _annotation(tasks, index):
    return tasks[0]["annotations"][index]


def _result(annotation, region_id, from_name=None):
    return next(r for r in annotation["result"] if r.get("id") == region_id and (from_name is None or r["from_name"] == from_name))


def test_each_annotation_becomes_its_own_record_set_and_the_output_validates(repo):
    _write(repo, EXPORT)
    report = convert(layout=repo)
    assert (report.tasks, report.annotations, report.predictions, report.cancelled, report.drafts) == (1, 2, 1, 1, 1)
    records = _records(repo)
    sets = {(r["annotator"], r["origin"]) for layer in ("entities", "quotes", "claims") for r in records[layer]}
    assert sets == {("annotator-01", "gold"), ("annotator-02", "human"), ("model:whosaidwhat-rules-1", "model")}
    assert validate(layout=repo).ok


def test_relations_resolve_speaker_cue_and_split_content_into_one_quote(repo):
    _write(repo, EXPORT)
    convert(layout=repo)
    gold = [q for q in _records(repo)["quotes"] if q["origin"] == "gold"]
    she = next(q for q in gold if q["speaker"]["text"] == "she")
    assert [c["text"] for c in she["content"]] == ["We have replaced every cable", "It is safe."]
    assert (she["cue"]["text"], she["kind"], she["speaker_kind"]) == ("told", "direct", "pronoun")
    assert she["speaker_entity_id"] == f"{SMALL_ARTICLE_ID}:ana-ruiz"  # by refers_to
    mayor = next(q for q in gold if q["speaker"]["text"] == "Mayor Ana Ruiz")
    assert mayor["speaker_entity_id"] == f"{SMALL_ARTICLE_ID}:ana-ruiz"  # by the mention inside the speaker span
    engineer = next(q for q in gold if q["speaker"]["text"] == "one engineer")
    assert (engineer["speaker_kind"], engineer["speaker_entity_id"]) == ("anonymous", None)


def test_claims_carry_their_choices_and_quote(repo):
    _write(repo, EXPORT)
    convert(layout=repo)
    records = _records(repo)
    quotes = {q["quote_id"]: q for q in records["quotes"]}
    gold = {c["text"]: c for c in records["claims"] if c["origin"] == "gold"}
    cost = gold["Repairs cost 4 million euros"]
    assert (cost["claim_type"], cost["checkworthiness"]) == ("quantity", "check_worthy")
    assert quotes[cost["quote_id"]]["speaker"]["text"] == "one engineer"  # by made_in
    reopen = gold["the Harbor Bridge would reopen in May"]
    assert quotes[reopen["quote_id"]]["speaker"]["text"] == "Mayor Ana Ruiz"  # inside the quote's content


def test_entity_keys_group_mentions_and_a_wikidata_key_fills_the_qid(repo):
    _write(repo, EXPORT)
    convert(layout=repo)
    gold = {e["text"]: e for e in _records(repo)["entities"] if e["origin"] == "gold"}
    assert gold["Porto"]["entity_id"].endswith(":Q36433") and gold["Porto"]["wikidata_qid"] == "Q36433"
    assert gold["Harbor Bridge"]["entity_id"] == f"{SMALL_ARTICLE_ID}:harbor-bridge"


def test_the_newest_export_wins_for_a_task(repo):
    _write(repo, EXPORT)
    newer = copy.deepcopy(EXPORT)
    del newer[0]["annotations"][1]
    _write(repo, newer, "export-20260202T000000Z.json")
    report = convert(layout=repo)
    assert report.annotations == 1 and report.exports == 2
    assert {r["annotator"] for r in _records(repo)["entities"]} == {"annotator-01"}


def _convert_problems(repo, tasks):
    _write(repo, tasks)
    with pytest.raises(InvalidDataError) as caught:
        convert(layout=repo)
    assert not repo.records_path(SMALL_ARTICLE_ID).exists()  # nothing written
    return [str(p) for p in caught.value.problems]


def test_a_relation_to_a_missing_region_is_an_error_naming_it(repo):
    tasks = copy.deepcopy(EXPORT)
    gold = _annotation(tasks, 0)
    gold["result"].append({"from_id": "g1", "to_id": "gone", "type": "relation", "direction": "right", "labels": ["refers_to"]})
    [problem] = _convert_problems(repo, tasks)
    assert problem == (f"{EXPORT_FILE}: task {tasks[0]['id']} annotation {gold['id']}: relation g1->gone (refers_to): "
                       "region gone does not exist")


def test_an_unknown_label_is_an_error_naming_the_region(repo):
    tasks = copy.deepcopy(EXPORT)
    gold = _annotation(tasks, 0)
    _result(gold, "g2", "entity")["value"]["labels"] = ["BUILDING"]
    [problem] = _convert_problems(repo, tasks)
    assert problem.startswith(f"{EXPORT_FILE}: task {tasks[0]['id']} annotation {gold['id']}: region g2: /value/labels ['BUILDING']")


def test_unknown_controls_wrong_choices_and_reversed_offsets_are_all_reported(repo):
    tasks = copy.deepcopy(EXPORT)
    gold = _annotation(tasks, 0)
    gold["result"].append({"id": "x1", "from_name": "sentiment", "to_name": "text", "type": "labels",
                           "value": {"start": 0, "end": 5, "labels": ["POS"]}})
    gold["result"].append({"id": "g1", "from_name": "claim_type", "to_name": "text", "type": "choices",
                           "value": {"start": 6, "end": 14, "choices": ["quantity"]}})
    gold["result"].append({"id": "x2", "from_name": "entity", "to_name": "text", "type": "labels",
                           "value": {"start": 9, "end": 3, "labels": ["ORG"]}})
    problems = _convert_problems(repo, tasks)
    assert any("region x1: /from_name 'sentiment' is not a labels control" in p for p in problems)
    assert any("region g1: /from_name claim_type belongs on a claim 'claim' region, not on a entity 'PERSON' region" in p
               for p in problems)
    assert any("region x2 (entity ORG): offsets 9-3 are not a span of the article text" in p for p in problems)


def test_a_relation_between_the_wrong_roles_is_an_error(repo):
    tasks = copy.deepcopy(EXPORT)
    gold = _annotation(tasks, 0)
    gold["result"].append({"from_id": "g1", "to_id": "g2", "type": "relation", "direction": "right", "labels": ["speaker_of"]})
    [problem] = _convert_problems(repo, tasks)
    assert "relation g1->g2: speaker_of must go from a speaker region to a content region, not from PERSON to FAC" in problem


def test_a_quote_without_its_kind_is_an_error(repo):
    tasks = copy.deepcopy(EXPORT)
    gold = _annotation(tasks, 0)
    gold["result"] = [r for r in gold["result"] if r.get("from_name") != "quote_kind"]
    problems = _convert_problems(repo, tasks)
    assert len(problems) == 3 and all("needs one quote_kind, has none" in p for p in problems)


def test_collapsed_whitespace_keeps_the_offsets_and_is_reported(repo):
    tasks = copy.deepcopy(EXPORT)
    text = tasks[0]["data"]["text"]
    start = text.index("May.\n")
    end = start + len("May.\n\u201cWe")
    _annotation(tasks, 0)["result"].append({  # Label Studio without pre-wrap shows the newline as a space
        "id": "w1", "from_name": "claim", "to_name": "text", "type": "labels",
        "value": {"start": start, "end": end, "text": "May. \u201cWe", "labels": ["claim"]}})
    for name, choice in (("claim_type", "other"), ("checkworthiness", "non_factual")):
        _annotation(tasks, 0)["result"].append({"id": "w1", "from_name": name, "to_name": "text", "type": "choices",
                                                "value": {"start": start, "end": end, "choices": [choice]}})
    _write(repo, tasks)
    report = convert(layout=repo)
    assert report.corrections == [f"{EXPORT_FILE}: task {tasks[0]['id']} annotation {_annotation(tasks, 0)['id']}: "
                                  f"region w1 (claim claim): region text has collapsed whitespace; offsets {start}-{end} kept"]
    claim = next(c for c in _records(repo)["claims"] if c["claim_id"].endswith(":w1"))
    assert claim["text"] == "May.\n\u201cWe"  # the stored text, not Label Studio's display of it


def test_a_region_that_does_not_match_the_text_is_an_error_never_shifted(repo):
    tasks = copy.deepcopy(EXPORT)
    region = _result(_annotation(tasks, 0), "g1", "entity")
    region["value"].update(start=7, end=15)
    [problem] = _convert_problems(repo, tasks)
    assert problem.endswith("region g1 (entity PERSON): text[7:15] is 'na Ruiz ', not the region text 'Ana Ruiz'")


def test_utf16_offsets_are_converted_and_reported(tmp_path):
    from whosaidwhat.convert.records import check_offsets
    from whosaidwhat.labelstudio.regions import Region
    text = "\U0001F600 Hi said Bob"
    region = Region("r1", "entity", "PERSON", 11, 14, "Bob")  # UTF-16: the emoji counts two
    correction, problem = check_offsets(region, text, "e.json task 1 annotation 1")
    assert problem is None and (region.start, region.end) == (10, 13) and "UTF-16 offsets 11-14" in correction


def test_an_export_that_was_not_pseudonymised_is_refused(repo):
    tasks = copy.deepcopy(EXPORT)
    _annotation(tasks, 1)["completed_by"] = {"id": 2, "email": "someone@lab.example.org"}
    [problem] = _convert_problems(repo, tasks)
    assert "/completed_by: is not a pseudonym" in problem


def test_a_task_whose_text_differs_from_the_corpus_is_refused(repo):
    tasks = copy.deepcopy(EXPORT)
    tasks[0]["data"]["text"] = tasks[0]["data"]["text"].replace("Mayor", "Major")
    [problem] = _convert_problems(repo, tasks)
    assert "/data/text: differs from the text of article" in problem


def test_cli_prints_every_problem_and_exits_1(repo, monkeypatch, capsys):
    tasks = copy.deepcopy(EXPORT)
    _result(_annotation(tasks, 0), "g2", "entity")["value"]["labels"] = ["BUILDING"]
    _result(_annotation(tasks, 1), "s1", "entity")["value"]["labels"] = ["HUMAN"]
    _write(repo, tasks)
    monkeypatch.chdir(repo.root)
    assert main(["convert"]) == 1
    captured = capsys.readouterr()
    assert "region g2: /value/labels ['BUILDING']" in captured.out and "region s1: /value/labels ['HUMAN']" in captured.out
    assert "2 problem(s) in the Label Studio exports; no records written" in captured.err
