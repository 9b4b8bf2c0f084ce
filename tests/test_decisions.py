"""Decisions files: an annotator's decisions as data, spans given by their words (and a context
where the words repeat), checked with JSON pointers, then sent through a real Label Studio server
and back through pull and convert, giving exactly the records decided."""

from __future__ import annotations

import json
import shutil

import pytest

from whosaidwhat import Layout, validate
from whosaidwhat.convert.pipeline import convert
from whosaidwhat.labelstudio.client import client, pull
from whosaidwhat.labelstudio.decisions import read_decisions, send_decisions
from whosaidwhat.labelstudio.team import KEY_VARIABLE, PseudonymKey

from .conftest import REPO_ROOT

SEED = "wsw-752693cc0e635468"
DECISIONS = {
    "article_id": SEED,
    "entities": [{"text": "Nicolás Maduro", "label": "PERSON", "key": "maduro"},
                 {"text": "Rubio", "context": "” Rubio said last week", "label": "PERSON", "key": "rubio"}],
    "quotes": [{"id": "q1", "kind": "direct", "speaker_kind": "named_person", "speaker_key": "rubio",
                "content": [{"text": "You have a narco-state in Venezuela run by a cartel"}],
                "speaker": {"text": "Rubio", "context": "” Rubio said last week"},
                "cue": {"text": "said", "context": "” Rubio said last week"}}],
    "claims": [{"text": "You have a narco-state in Venezuela run by a cartel", "claim_type": "other",
                "checkworthiness": "check_worthy", "quote": "q1"}],
    "note": ["a note is kept in the file, not sent"],
}


@pytest.fixture
def repo(tmp_path):
    layout = Layout(tmp_path / "repo")
    shutil.copytree(REPO_ROOT / "corpus", layout.corpus)
    return layout


def write(layout: Layout, name: str, data: dict):
    path = layout.annotations / "decisions" / data["article_id"] / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_spans_are_found_by_their_words_and_context(repo):
    decisions = read_decisions(write(repo, "ann", DECISIONS), repo)
    assert decisions.problems == []
    text = json.loads(repo.article_path(SEED).read_text(encoding="utf-8"))["text"]
    rubio = decisions.records["entities"][1]
    assert text[rubio["start"]:rubio["end"]] == "Rubio" and text[rubio["end"]:rubio["end"] + 5] == " said"
    assert decisions.records["claims"][0]["quote_id"] == decisions.records["quotes"][0]["quote_id"]


def test_every_problem_is_named_by_its_pointer(repo):
    bad = {**DECISIONS, "entities": [{"text": "Maduro", "label": "PERSN"}],
           "claims": [{"text": "no such words", "claim_type": "other", "checkworthiness": "check_worthy", "quote": "q9"}]}
    problems = {p.pointer: p.message for p in read_decisions(write(repo, "ann", bad), repo).problems}
    assert "occurs 7 times in the article" in problems["/entities/0/text"]
    assert "is not one of" in problems["/entities/0/label"] and "/entities/0/key" in problems
    assert "occurs 0 times" in problems["/claims/0/text"] and "'q9' is not the id of a quote" in problems["/claims/0/quote"]


@pytest.mark.labelstudio
def test_decisions_go_through_label_studio_and_come_back_as_the_same_records(repo, ls_env, monkeypatch):
    monkeypatch.setenv(KEY_VARIABLE, "decisions-test-key")
    path = write(repo, "first-reader", DECISIONS)
    ls = client()
    assert send_decisions(repo, [path], ls=ls, title="decisions").sent == 1
    assert send_decisions(repo, [path], ls=ls, title="decisions").already_there == 1  # sent once
    pull(repo, title="decisions", ls=ls)
    convert(layout=repo)
    assert validate(layout=repo).ok
    records = json.loads(repo.records_path(SEED).read_text(encoding="utf-8"))
    expected = read_decisions(path, repo).records
    name = f"annotator-{PseudonymKey(b'decisions-test-key', 't').digest('first-reader@annotators.whosaidwhat.invalid')[:8]}"
    for layer, fields in (("entities", ("start", "end", "label")), ("quotes", ("kind", "content", "cue", "speaker", "speaker_kind")),
                          ("claims", ("start", "end", "claim_type", "checkworthiness"))):
        got = [r for r in records[layer] if r["origin"] == "human"]
        assert {r["annotator"] for r in got} == {name}
        assert [{f: r[f] for f in fields} for r in got] == [{f: r[f] for f in fields} for r in expected[layer]]
    assert [r["quote_id"] is not None for r in records["claims"]] == [True]


def test_a_speaker_whose_span_holds_a_longer_name_keeps_its_entity_through_label_studio(repo):
    """The longest mention inside a speaker span is not always the speaker ("New Zealand's Prime
    Minister John Key" holds "New Zealand"): the regions then say which entity with refers_to, so
    convert gives back the entity decided."""
    from whosaidwhat.convert.records import Annotation, records_from_results
    from whosaidwhat.labelstudio.regions import to_results
    data = {"article_id": SEED,
            "entities": [{"text": "Secretary of State Marco Rubio", "label": "PERSON", "key": "rubio"},
                         {"text": "State", "context": "Secretary of State Marco", "label": "ORG", "key": "state"}],
            "quotes": [{"id": "q1", "kind": "indirect", "speaker_kind": "named_person", "speaker_key": "state",
                        "content": [{"text": "one of the architects of the strategy"}],
                        "speaker": {"text": "Secretary of State Marco Rubio"}, "cue": None}]}
    decisions = read_decisions(write(repo, "ann", data), repo)
    assert decisions.problems == []
    text = json.loads(repo.article_path(SEED).read_text(encoding="utf-8"))["text"]
    article = {"article_id": SEED, "text": text}
    ann = Annotation(article, "a1", "annotator-x", "human", "f", "w", [])
    made = records_from_results(to_results(*decisions.regions(text), text), ann, [])
    assert [q["speaker_entity_id"] for q in made["quotes"]] == [f"{SEED}:state"]
