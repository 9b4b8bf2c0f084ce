"""Agreement and adjudication on crafted annotations of the small fixture article, every figure
worked out by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import copy
import json

import pytest

from whosaidwhat import Layout, validate
from whosaidwhat.adjudicate import adjudicate
from whosaidwhat.agreement import agreement, format_markdown, format_table
from whosaidwhat.cli import main

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
    from whosaidwhat.agreement import alpha, token_roles
    from whosaidwhat.matching import Tokens
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
