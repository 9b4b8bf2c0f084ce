"""Agreement and adjudication on crafted annotations of the small fixture article, every figure
worked out by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import copy
import json
import shutil

import pytest

from whosaidwhat import Layout, validate
from whosaidwhat.agreement.adjudicate import adjudicate
from whosaidwhat.agreement.measures import agreement, format_markdown, format_table
from whosaidwhat.cli import main
from whosaidwhat.labelstudio.sources import Source, write_source

from .conftest import SMALL_ARTICLE_ID

AID = SMALL_ARTICLE_ID


def _as(records: dict, annotator: str) -> dict:
    """The fixture's records as one human annotator's, with that annotator's ids."""
    def rename(record_id: str) -> str:
        article, _, region = record_id.split(":")
        return f"{article}:{annotator}:{region}"
    out = copy.deepcopy(records)
    for layer, key in (("entities", "mention_id"), ("quotes", "quote_id"), ("claims", "claim_id")):
        for r in out[layer]:
            r[key] = rename(r[key])
            r.update(annotator=annotator, origin="human")
            if layer == "claims" and r["quote_id"]:
                r["quote_id"] = rename(r["quote_id"])
    return out


def _span(text: str, piece: str) -> dict:
    start = text.index(piece)
    return {"start": start, "end": start + len(piece), "text": piece}


@pytest.fixture
def two(small_repo):
    """(layout, article text, annotator-01's records, a function saving annotator-02's records)."""
    path = small_repo.records_path(AID)
    gold = json.loads(path.read_text(encoding="utf-8"))
    text = json.loads(small_repo.article_path(AID).read_text(encoding="utf-8"))["text"]
    first = _as(gold, "annotator-01")

    def save(second: dict) -> None:
        merged = {"article_id": AID, **{layer: first[layer] + second[layer] for layer in ("entities", "quotes", "claims")}}
        path.write_text(json.dumps(merged, ensure_ascii=False), encoding="utf-8")
        assert validate(layout=small_repo).ok, validate(layout=small_repo).problems
    return small_repo, text, first, save


def test_identical_annotations_agree_perfectly(two):
    layout, _, first, save = two
    save(_as(first, "annotator-02"))
    overall = agreement(layout)["overall"]
    assert overall["entities"]["exact"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert overall["quotes"]["content_f1@0.8"] == 1.0 and overall["quotes"]["whole_attribution_f1"] == 1.0
    assert overall["quotes"]["token_role_alpha"] == 1.0
    assert (overall["claims"]["claim_type"]["alpha"], overall["claims"]["claim_type"]["kappa"]) == (1.0, 1.0)
    # both annotators call both claims check_worthy: one value only, so alpha and kappa are undefined
    assert (overall["claims"]["checkworthiness"]["alpha"], overall["claims"]["checkworthiness"]["kappa"]) == (None, None)
    result = adjudicate(layout)
    assert result.conflicts == [] and [len(result.accepted[AID][k]) for k in ("entities", "quotes", "claims")] == [3, 3, 2]


def test_annotations_with_nothing_in_common_score_zero(two):
    layout, text, first, save = two
    second = {"entities": [{**first["entities"][0], "mention_id": f"{AID}:x:e1", **_span(text, "reporters"), "label": "ORG",
                            "entity_id": f"{AID}:reporters", "annotator": "annotator-02"}],
              "quotes": [{**first["quotes"][0], "quote_id": f"{AID}:x:q1", "content": [_span(text, "Mayor")],
                          "speaker": None, "cue": None, "speaker_entity_id": None, "annotator": "annotator-02"}],
              "claims": [{**first["claims"][0], "claim_id": f"{AID}:x:c1", **_span(text, "she told reporters in Porto"),
                          "quote_id": None, "annotator": "annotator-02"}]}
    save(second)
    overall = agreement(layout)["overall"]
    assert overall["entities"]["exact"]["f1"] == 0.0 and overall["entities"]["overlap"]["f1"] == 0.0
    assert overall["quotes"]["content_f1@0.3"] == 0.0 and overall["quotes"]["same_speaker"] is None
    assert overall["claims"]["overlap"]["f1"] == 0.0 and overall["claims"]["claim_type"]["kappa"] is None


@pytest.fixture
def partial(two):
    """annotator-02: "Mayor Ana Ruiz" for "Ana Ruiz"; misses the engineer's quote; drops "the" from the
    mayor's quote and takes "Mayor Ana Ruiz" as its speaker; keeps only the first piece of the
    direct quote and calls "she" a named person; calls the reopening claim "other" and the cost
    claim unimportant."""
    layout, text, first, save = two
    second = _as(first, "annotator-02")
    second["entities"][0].update(_span(text, "Mayor Ana Ruiz"))
    mayor, direct, engineer = second["quotes"]
    mayor.update(content=[_span(text, "Harbor Bridge would reopen in May")], speaker=_span(text, "Mayor Ana Ruiz"))
    direct.update(content=direct["content"][:1], speaker_kind="named_person")
    second["quotes"] = [mayor, direct]
    reopen, cost = second["claims"]
    reopen.update(claim_type="other")
    cost.update(checkworthiness="unimportant_factual", quote_id=None)
    save(second)
    return layout


def test_partial_agreement_gives_the_hand_computed_figures(partial):
    report = agreement(partial)
    assert report["coverage"] == {"1": 0, "2": 1, "3+": 0}
    f = report["overall"]
    # entities: 3 each; exact: Harbor Bridge and Porto (2 of 3) -> P = R = F1 = 2/3; overlap: all 3 -> 1
    assert f["entities"]["exact"] == {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667}
    assert f["entities"]["overlap"]["f1"] == 1.0
    assert f["entities"]["per_label"]["PERSON"] == {"exact_f1": 0.0, "overlap_f1": 1.0, "a": 1, "b": 1}
    # quotes: 3 vs 2. Mayor: 7 tokens vs 6 shared -> 6/7 = 0.857 (matched at 0.3 and 0.8);
    # direct: 9 tokens ("We have replaced every cable" + "It is safe .") vs 5 -> 5/9 = 0.556 (0.3 only)
    q = f["quotes"]
    assert (q["content_f1@0.3"], q["content_f1@0.8"]) == (0.8, 0.4)  # 2*2/5, 2*1/5
    # on the 2 matched quotes: speaker same for "she" only; cues and kinds same; speaker kind differs once
    assert (q["same_speaker"], q["same_cue"], q["same_kind"], q["same_speaker_kind"]) == (0.5, 1.0, 1.0, 0.5)
    assert q["whole_attribution_f1"] == 0.0  # the only 0.8 match has another speaker
    c = f["claims"]
    assert c["exact"]["f1"] == 1.0 and c["overlap"]["f1"] == 1.0
    # claim type: (prediction, other), (quantity, quantity). kappa: po 0.5, pe 0.5*0.5 = 0.25 -> 1/3.
    # alpha: n = 4 values, Do = 2/4, De = (4^2 - (1+1+4)) / (4*3) = 10/12 -> 1 - 0.6 = 0.4
    assert (c["claim_type"]["kappa"], c["claim_type"]["alpha"]) == (0.3333, 0.4)
    # check-worthiness: (cw, cw), (cw, uf). kappa: po 0.5, pe 1*0.5 -> 0. alpha: Do 2/4, De (16-10)/12 -> 0
    assert (c["checkworthiness"]["kappa"], c["checkworthiness"]["alpha"]) == (0.0, 0.0)
    assert "| entities: exact F1 (P/R) | 0.667 (0.667/0.667) | 0.667 (0.667/0.667) |" in format_markdown(report)
    assert "quotes: content F1 @0.3 / @0.8" in format_table(report)


def test_token_role_alpha_on_a_tiny_article(tmp_path):
    from whosaidwhat.core.matching import Tokens
    from whosaidwhat.core.statistics import alpha
    from whosaidwhat.layers.quotes import LAYER as quotes

    def token_roles(records, tokens):
        return quotes.token_roles(records["quotes"], tokens)
    text = "Bo said: \u201cGo.\u201d"  # tokens: Bo said : " Go . "
    tokens = Tokens.of(text)

    def quote(content):
        return {"quotes": [{"content": [_span(text, content)], "speaker": _span(text, "Bo"), "cue": _span(text, "said")}]}
    a, b = token_roles(quote("Go."), tokens), token_roles(quote("Go"), tokens)
    assert (a, b) == ([2, 3, 0, 0, 1, 1, 0], [2, 3, 0, 0, 1, 0, 0])
    # n = 14 values: O 7, content 3, speaker 2, cue 2; one disagreeing unit: Do = 2/14,
    # De = (14^2 - (49 + 9 + 4 + 4)) / (14 * 13) = 130/182 -> alpha = 1 - (2/14)/(130/182) = 0.8
    assert alpha([a, b], 4) == 0.8


def test_adjudication_accepts_the_agreed_records_and_lists_each_conflict(partial):
    result = adjudicate(partial)
    accepted = result.accepted[AID]
    assert [e["text"] for e in accepted["entities"]] == ["Harbor Bridge", "Porto"]
    assert accepted["quotes"] == [] and accepted["claims"] == []
    layers = [(c["layer"], len(c["versions"])) for c in result.conflicts]
    assert layers == [("entities", 2), ("quotes", 2), ("quotes", 2), ("quotes", 2), ("claims", 2), ("claims", 2)]
    engineer = result.conflicts[3]
    assert engineer["versions"][0]["annotators"] == ["annotator-01"] and engineer["versions"][1] == {
        "annotators": ["annotator-02"], "record": "absent"}
    assert result.supporters[AID]["entities"] == [["annotator-01", "annotator-02"]] * 2


def test_cli_prints_the_table_and_json(partial, monkeypatch, capsys):
    monkeypatch.chdir(partial.root)
    assert main(["agreement"]) == 0
    assert "entities: exact F1 (P/R)" in capsys.readouterr().out
    assert main(["agreement", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["overall"]["quotes"]["content_f1@0.3"] == 0.8
    assert main(["adjudicate"]) == 0
    out = capsys.readouterr().out
    assert "1 article(s) with two or more annotators: 2 record(s) accepted, 6 conflict(s)" in out
    assert "annotator-02: absent" in out


# --- a crafted two-annotator export of the seed article ----------------------------------------------

def _seed_export(layout) -> dict:
    """A Label Studio export of the seed task with two annotators: annotator-01 made exactly the gold;
    annotator-02 disagrees realistically: "White House" as FAC, no "Xi Jinping", no quote "regimes
    accused of ...", the speaker "President Donald Trump" instead of the whole phrase, claim "Maduro’s
    options are running out fast" as a prediction, "The administration’s decision follows ..." as
    check_worthy, and no claim "It would send a direct message ..."."""
    from whosaidwhat.core.records import select
    from whosaidwhat.labelstudio.regions import to_results
    from whosaidwhat.labelstudio.regions import records_to_regions
    from .conftest import REPO_ROOT
    seed = "wsw-752693cc0e635468"
    text = json.loads((REPO_ROOT / "corpus" / f"{seed}.json").read_text(encoding="utf-8"))["text"]
    gold = select(json.loads(Layout(REPO_ROOT).records_path(seed).read_text(encoding="utf-8")), origin="gold")
    second = copy.deepcopy(gold)
    for e in second["entities"]:
        if e["text"] == "White House":
            e["label"] = "FAC"
    second["entities"] = [e for e in second["entities"] if e["text"] != "Xi Jinping"]
    regimes = next(q for q in second["quotes"] if q["cue"]["text"] == "accused of")
    second["quotes"].remove(regimes)
    view = next(q for q in second["quotes"] if q["cue"]["text"] == "view")
    view["speaker"] = _span(text, "President Donald Trump")
    for c in second["claims"]:
        if c["text"] == "Maduro’s options are running out fast":
            c["claim_type"] = "prediction"
        if c["text"].startswith("The administration’s decision"):
            c["checkworthiness"] = "check_worthy"
    second["claims"] = [c for c in second["claims"] if not c["text"].startswith("It would send")]
    annotations = [{"id": n, "completed_by": name, "ground_truth": False, "was_cancelled": False,
                    "result": to_results(*records_to_regions(records, text), text)}
                   for n, (name, records) in enumerate((("annotator-01", gold), ("annotator-02", second)), 1)]
    shutil.copytree(REPO_ROOT / "corpus", layout.corpus, dirs_exist_ok=True)
    task = {"id": 1, "data": {"text": text, "article_id": seed}, "annotations": annotations, "predictions": [], "drafts": []}
    folder = layout.labelstudio_exports / "seed-two"
    folder.mkdir(parents=True)
    write_source(folder, Source("seed-two", ""))
    (folder / "export-20260101T000000Z.json").write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    return {"text": text, "task": task}


@pytest.fixture
def seed_two(tmp_path):
    layout = Layout(tmp_path / "repo")
    layout.corpus.mkdir(parents=True)
    crafted = _seed_export(layout)
    from whosaidwhat.convert.pipeline import convert
    convert(layout=layout)
    assert validate(layout=layout).ok
    return layout, crafted


def test_the_crafted_seed_export_gives_the_hand_computed_figures(seed_two):
    layout, _ = seed_two
    f = agreement(layout)["overall"]
    # entities 49 vs 48; exact and overlap: 47 shared -> P 47/48, R 47/49, F1 94/97
    assert f["entities"]["exact"] == {"precision": 0.9792, "recall": 0.9592, "f1": 0.9691}
    assert f["entities"]["overlap"]["f1"] == 0.9691
    assert f["entities"]["per_label"]["ORG"]["exact_f1"] == 0.9091  # 6 vs 5 ORG, 5 shared: 10/11
    # quotes 17 vs 16, all 16 content identical: F1 32/33 at both thresholds; 15 of 16 same speaker;
    # whole attribution 15 -> 30/33
    q = f["quotes"]
    assert (q["content_f1@0.3"], q["content_f1@0.8"], q["same_speaker"], q["same_cue"]) == (0.9697, 0.9697, 0.9375, 1.0)
    assert (q["same_kind"], q["same_speaker_kind"], q["whole_attribution_f1"]) == (1.0, 1.0, 0.9091)
    c = f["claims"]
    assert c["exact"]["f1"] == 0.9836  # 31 vs 30, 30 shared: 60/61
    # claim type over 30 matched: A quantity 5, correlation 1, prediction 5, other 19; B prediction 6, other 18.
    # kappa: po 29/30, pe (25 + 1 + 30 + 342)/900 = 398/900 -> 0.9402;
    # alpha: n 60 (10, 2, 11, 37), Do 2/60, De (3600 - 1594)/3540 -> 1 - (2/60)/(2006/3540) = 0.9412
    assert (c["claim_type"]["kappa"], c["claim_type"]["alpha"]) == (0.9402, 0.9412)
    # check-worthiness: A cw 16, uf 3, nf 11; B cw 17, uf 2, nf 11. kappa: pe (272 + 6 + 121)/900 -> 0.9401;
    # alpha: n (33, 5, 22), De (3600 - 1598)/3540 -> 1 - (2/60)/(2002/3540) = 0.9411
    assert (c["checkworthiness"]["kappa"], c["checkworthiness"]["alpha"]) == (0.9401, 0.9411)


def test_token_role_alpha_of_the_crafted_seed_matches_the_coincidence_formula(seed_two):
    from collections import Counter as C
    from whosaidwhat.agreement.measures import human_sets
    from whosaidwhat.layers.quotes import LAYER as quotes

    def token_roles(records, tokens):
        return quotes.token_roles(records["quotes"], tokens)
    layout, _ = seed_two
    [article] = human_sets(layout)
    a, b = (token_roles(article.sets[n], article.tokens) for n in ("annotator-01", "annotator-02"))
    # 8 tokens of the missing quote ("regimes", "fueling America ’s drug epidemic", "accused of") and the
    # 5 tokens "and his national security team" cut from a speaker: 13 units disagree
    assert sum(x != y for x, y in zip(a, b)) == 13
    n = C(a) + C(b)
    total = sum(n.values())
    expected = 1 - (2 * 13 / total) / ((total ** 2 - sum(v * v for v in n.values())) / (total * (total - 1)))
    assert agreement(layout)["overall"]["quotes"]["token_role_alpha"] == round(expected, 4)


def test_adjudicating_the_crafted_seed_lists_its_conflicts_and_yields_gold_that_validates(seed_two):
    from whosaidwhat.convert.pipeline import convert
    from whosaidwhat.labelstudio.regions import to_results
    from whosaidwhat.labelstudio.regions import records_to_regions
    layout, crafted = seed_two
    result = adjudicate(layout)
    conflicts = [(c["layer"], [v["record"] if v["record"] == "absent" else v["annotators"] for v in c["versions"]])
                 for c in result.conflicts]
    assert conflicts == [
        ("entities", [["annotator-01"], ["annotator-02"]]),              # White House ORG / FAC
        ("entities", [["annotator-01"], "absent"]),                      # Xi Jinping
        ("quotes", [["annotator-01"], ["annotator-02"]]),                # the "view" speaker
        ("quotes", [["annotator-01"], "absent"]),                        # regimes accused of
        ("claims", [["annotator-01"], ["annotator-02"]]),                # options: other / prediction
        ("claims", [["annotator-01"], ["annotator-02"]]),                # decision: worthiness
        ("claims", [["annotator-01"], "absent"]),                        # It would send ...
    ]
    accepted = result.accepted["wsw-752693cc0e635468"]
    assert [len(accepted[k]) for k in ("entities", "quotes", "claims")] == [47, 15, 28]
    # the reviewer's ground truth: the accepted records, entered as an annotation and converted
    text = crafted["text"]
    gold = {"id": 3, "completed_by": "annotator-03", "ground_truth": True, "was_cancelled": False,
            "result": to_results(*records_to_regions(accepted, text), text)}
    task = {**crafted["task"], "annotations": crafted["task"]["annotations"] + [gold]}
    (layout.labelstudio_exports / "seed-two" / "export-20260102T000000Z.json").write_text(json.dumps([task]), encoding="utf-8")
    convert(layout=layout)
    assert validate(layout=layout).ok
    records = json.loads(layout.records_path("wsw-752693cc0e635468").read_text(encoding="utf-8"))
    golds = [r for layer in ("entities", "quotes", "claims") for r in records[layer] if r["origin"] == "gold"]
    unsupported = [r["text"] for r in golds if r["supported_by"] != ["annotator-01", "annotator-02"]]
    # the one claim made inside the conflicting "view" quote: accepted, but its quote is not gold yet
    assert len(golds) == 90 and unsupported == ["Maduro as a direct threat to U.S. national security"]


def test_with_three_annotators_the_majority_wins(small_repo):
    path = small_repo.records_path(AID)
    gold = json.loads(path.read_text(encoding="utf-8"))
    first, second, third = (_as(gold, f"annotator-0{i}") for i in (1, 2, 3))
    third["entities"][2]["label"] = "LOC"  # Porto: GPE, GPE, LOC
    path.write_text(json.dumps({"article_id": AID, **{k: first[k] + second[k] + third[k] for k in ("entities", "quotes", "claims")}}),
                    encoding="utf-8")
    result = adjudicate(small_repo)
    porto = next(e for e in result.accepted[AID]["entities"] if e["text"] == "Porto")
    assert porto["label"] == "GPE" and result.conflicts == []
    assert agreement(small_repo)["coverage"] == {"1": 0, "2": 0, "3+": 1}


def test_the_release_card_shows_the_agreement_table_when_two_annotators_exist(partial):
    from whosaidwhat.release.build import build_release
    records = json.loads(partial.records_path(AID).read_text(encoding="utf-8"))
    records["claims"].append({**records["claims"][0], "claim_id": f"{AID}:g:c1", "annotator": "annotator-09",
                              "origin": "gold", "quote_id": None})
    partial.records_path(AID).write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    build_release(partial, "0.1.0")
    card = (partial.releases / "0.1.0" / "README.md").read_text(encoding="utf-8")
    assert "| measure | overall | annotator-01 vs annotator-02 |" in card
    assert "| quotes: content F1 @0.3 / @0.8 | 0.800 / 0.400 | 0.800 / 0.400 |" in card


def test_a_reviewers_log_decides_every_conflict_with_a_reason_and_makes_gold_that_goes_through_convert(seed_two):
    """The adjudication log lists each conflict; an undecided or unreasoned one is named by its
    JSON pointer and makes no gold; the decided log makes gold of the accepted records and the
    versions chosen, with their links, which validates after a round trip through an export."""
    from whosaidwhat.agreement.decisions import gold_of, log_path, write_logs
    from whosaidwhat.convert.pipeline import convert
    from whosaidwhat.labelstudio.regions import records_to_regions, to_results
    layout, crafted = seed_two
    seed = "wsw-752693cc0e635468"
    result = adjudicate(layout)
    [path] = write_logs(layout, result)
    assert path == log_path(layout, seed) and write_logs(layout, result) == []  # never written twice
    log = json.loads(path.read_text(encoding="utf-8"))
    assert len(log["conflicts"]) == 7 and all(c["decision"] is None for c in log["conflicts"])
    assert {p.pointer for p in gold_of(layout, result, seed).problems} >= {"/conflicts/0/decision", "/conflicts/0/reason"}
    for i, conflict in enumerate(log["conflicts"]):
        conflict["decision"], conflict["reason"] = [0], f"version 0 follows the guidelines ({i})"
    log["conflicts"][1]["decision"] = []  # Xi Jinping: neither (the reviewer's call, for the test)
    path.write_text(json.dumps(log, ensure_ascii=False), encoding="utf-8")
    gold = gold_of(layout, result, seed)
    assert gold.problems == [] and gold.unlinked == []
    accepted = result.accepted[seed]
    assert [len(gold.records[k]) for k in ("entities", "quotes", "claims")] == [
        len(accepted["entities"]) + 1, len(accepted["quotes"]) + 2, len(accepted["claims"]) + 3]
    assert "Xi Jinping" not in {m["text"] for m in gold.records["entities"]}
    text = crafted["text"]
    ground_truth = {"id": 3, "completed_by": "annotator-03", "ground_truth": True, "was_cancelled": False,
                    "result": to_results(*records_to_regions(gold.records, text), text)}
    task = {**crafted["task"], "annotations": crafted["task"]["annotations"] + [ground_truth]}
    (layout.labelstudio_exports / "seed-two" / "export-20260102T000000Z.json").write_text(json.dumps([task]), encoding="utf-8")
    convert(layout=layout)
    assert validate(layout=layout).ok
    records = json.loads(layout.records_path(seed).read_text(encoding="utf-8"))
    golds = {layer: [r for r in records[layer] if r["origin"] == "gold"] for layer in ("entities", "quotes", "claims")}
    assert [len(golds[k]) for k in golds] == [len(gold.records[k]) for k in ("entities", "quotes", "claims")]
    view = next(q for q in golds["quotes"] if q["speaker"] and q["speaker"]["text"] == "They")
    assert any(c["quote_id"] == view["quote_id"] for c in golds["claims"])  # the claim inside it keeps its link


def test_a_log_that_no_longer_matches_the_conflicts_makes_no_gold(seed_two):
    from whosaidwhat.agreement.decisions import gold_of, write_logs
    layout, _ = seed_two
    result = adjudicate(layout)
    [path] = write_logs(layout, result)
    log = json.loads(path.read_text(encoding="utf-8"))
    log["conflicts"] = log["conflicts"][1:]
    path.write_text(json.dumps(log), encoding="utf-8")
    [problem] = gold_of(layout, result, "wsw-752693cc0e635468").problems
    assert "not the article's conflicts now" in problem.message and problem.pointer == "/conflicts"


def test_a_reviewer_adds_what_neither_annotator_got_right(seed_two):
    """Where no version is right, the log's ``add`` gives the record that is (spans by their words,
    as in a decisions file); a broken one is named by its pointer in the log."""
    from whosaidwhat.agreement.decisions import gold_of, write_logs
    layout, _ = seed_two
    seed = "wsw-752693cc0e635468"
    result = adjudicate(layout)
    [path] = write_logs(layout, result)
    log = json.loads(path.read_text(encoding="utf-8"))
    for conflict in log["conflicts"]:
        conflict["decision"], conflict["reason"] = [0], "version 0 follows the guidelines"
    log["conflicts"][1]["decision"] = []
    log["conflicts"][1]["add"] = [{"text": "Xi Jinping", "label": "PERSN", "key": "xi-jinping"}]
    path.write_text(json.dumps(log, ensure_ascii=False), encoding="utf-8")
    [problem] = gold_of(layout, result, seed).problems
    assert problem.pointer == "/conflicts/1/add/0/label" and "PERSN" in problem.message
    log["conflicts"][1]["add"][0]["label"] = "PERSON"
    path.write_text(json.dumps(log, ensure_ascii=False), encoding="utf-8")
    gold = gold_of(layout, result, seed)
    assert gold.problems == []
    [xi] = [m for m in gold.records["entities"] if m["text"] == "Xi Jinping"]
    assert xi["label"] == "PERSON" and xi["entity_id"] == f"{seed}:xi-jinping"
