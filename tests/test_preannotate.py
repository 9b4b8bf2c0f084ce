import json

from label_studio_sdk.label_interface import LabelInterface

from whosaidwhat import Layout
from whosaidwhat.labelstudio.config import label_config
from whosaidwhat.labelstudio.preannotate import KnownEntity, preannotate, sentences, speaker_kind
from whosaidwhat.labelstudio.regions import to_results

from .conftest import REPO_ROOT


def _seed_text() -> str:
    [path] = [p for p in Layout(REPO_ROOT).corpus.glob("*.json") if "000_06a31232bc44767b" in p.read_text()]
    return json.loads(path.read_text(encoding="utf-8"))["text"]


def _quotes(text, known=()):
    regions, relations = preannotate(text, known)
    by_id = {r.id: r for r in regions}
    quotes = []
    for content in (r for r in regions if r.label == "content"):
        speaker = [by_id[x.from_id].text for x in relations if x.to_id == content.id and x.label == "speaker_of"]
        cue = [by_id[x.from_id].text for x in relations if x.to_id == content.id and x.label == "cue_of"]
        quotes.append((content.text, speaker[0], cue[0], content.choices["quote_kind"], content.choices["speaker_kind"]))
    return quotes


def test_direct_quotes_get_their_speaker_and_cue_after_or_before_the_quote():
    quotes = _quotes(_seed_text())
    assert ("You have a narco-state in Venezuela run by a cartel", "Rubio", "said", "direct", "named_person") in quotes
    assert any(q[1:] == ("one defense official", "put it", "direct", "anonymous") and q[0].startswith("This time")
               for q in quotes)
    assert any(q[1:3] == ("spokeswoman Anna Kelly", "said") and q[0].startswith("The president is prepared") for q in quotes)


def test_a_quote_split_by_one_attribution_gets_both_pieces():
    source = [q for q in _quotes(_seed_text()) if q[1] == "the source"]
    assert [q[0][:12] for q in source] == ["He’s about t", "What’s worse"]


def test_indirect_quotes_with_according_to_and_said_that():
    quotes = _quotes(_seed_text())
    assert any(q[1:3] == ("the Miami Herald", "According to") and q[0].startswith("U.S. officials have") for q in quotes)
    assert any(q[1:3] == ("Trending Politics", "according to") and q[0].endswith("Maduro’s rule") for q in quotes)
    assert any(q[1:4] == ("Sources", "told", "indirect") for q in quotes)


def test_sentences_do_not_end_at_abbreviations():
    assert [s for s in sentences("The U.S. Army left. Sen. Lee said so.")] == [(0, 19), (20, 37)]


def test_speaker_kinds():
    assert [speaker_kind(s) for s in ("she", "one defense official", "the Miami Herald", "Rubio", "Sources")] == [
        "pronoun", "anonymous", "named_organization", "named_person", "anonymous"]


def test_known_gold_entities_are_marked_whole_word_longest_first():
    text = "Marco Rubio met Rubios fans. Rubio left."
    regions, _ = preannotate(text, [KnownEntity("Rubio", "PERSON", "rubio"), KnownEntity("Marco Rubio", "PERSON", "rubio")])
    assert sorted((r.text, r.start, r.texts.get("entity_key")) for r in regions if r.layer == "entity") == [
        ("Marco Rubio", 0, "rubio"), ("Rubio", 29, "rubio")]


def test_the_prediction_fits_the_generated_config():
    text = _seed_text()
    regions, relations = preannotate(text, [KnownEntity("Maduro", "PERSON", "maduro")])
    prediction = {"model_version": "x", "result": to_results(regions, relations, text)}
    assert LabelInterface(label_config()).validate_prediction(prediction, return_errors=True) == []
    assert len(regions) > 30
