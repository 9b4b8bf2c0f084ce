"""The scoring rules of ``preannotate.evaluate``, on small hand-made gold records and proposals (no spaCy)."""

import pytest

from whosaidwhat.preannotate.evaluate import (PRF, Scores, Share, bootstrap_f1, bootstrap_share, gold_of,
                                              score_article, score_many)
from whosaidwhat.preannotate.proposals import ClaimProposal, EntityProposal, Proposals, QuoteProposal, Span

WORDS = " ".join(f"w{i}" for i in range(100))  # token i is "w{i}", each one word


def span(first: int, last: int) -> dict:
    """Tokens first..last (inclusive) of WORDS, as a record span."""
    start = WORDS.index(f"w{first} ") if first < 99 else WORDS.index("w99")
    end = WORDS.index(f"w{last}", start) + len(f"w{last}")
    return {"start": start, "end": end, "text": WORDS[start:end]}


def quote(*pieces, speaker=None, kind="direct", speaker_kind="named_person") -> dict:
    return {"kind": kind, "content": [span(*p) for p in pieces], "speaker": span(*speaker) if speaker else None,
            "cue": None, "speaker_kind": speaker_kind}


def entity(first: int, last: int, label: str) -> dict:
    return {**span(first, last), "label": label}


def claim(first: int, last: int, worthiness: str = "check_worthy") -> dict:
    return {**span(first, last), "claim_type": "other", "checkworthiness": worthiness, "quote_id": None}


def scores(gold=None, proposed=None, text=WORDS) -> Scores:
    layers = ("entities", "quotes", "claims")
    return score_article(text, {k: (gold or {}).get(k, []) for k in layers},
                         {k: (proposed or {}).get(k, []) for k in layers})


# -- quotes ------------------------------------------------------------------------------------------

def test_quote_overlap_divides_by_the_longer_quote_so_a_too_long_proposal_is_not_rewarded():
    gold = [quote((10, 19))]  # 10 tokens
    covers_all_but_long = scores({"quotes": gold}, {"quotes": [quote((10, 49))]}).quotes  # 10/40 = 0.25
    assert covers_all_but_long.at[0.3] == PRF(tp=0, fp=1, fn=1)
    a_bit_long = scores({"quotes": gold}, {"quotes": [quote((10, 39))]}).quotes  # 10/30 = 0.33
    assert a_bit_long.at[0.3] == PRF(tp=1, fp=0, fn=0)
    assert a_bit_long.at[0.8] == PRF(tp=0, fp=1, fn=1)


def test_quote_overlap_divides_by_the_longer_quote_so_a_too_short_proposal_is_not_rewarded():
    gold = [quote((10, 19))]
    assert scores({"quotes": gold}, {"quotes": [quote((10, 11))]}).quotes.at[0.3].tp == 0  # 2/10
    assert scores({"quotes": gold}, {"quotes": [quote((10, 13))]}).quotes.at[0.3].tp == 1  # 4/10


def test_quote_thresholds_are_inclusive_and_counted_separately():
    gold = [quote((10, 19))]
    q = scores({"quotes": gold}, {"quotes": [quote((10, 17))]}).quotes  # 8/10: exactly 0.8
    assert (q.at[0.3].tp, q.at[0.8].tp) == (1, 1)
    q = scores({"quotes": gold}, {"quotes": [quote((10, 16))]}).quotes  # 7/10
    assert (q.at[0.3].tp, q.at[0.8].tp) == (1, 0)
    assert q.at[0.8].precision == 0.0 and q.at[0.3].f1 == 1.0


def test_a_quote_content_is_the_union_of_its_pieces_tokens():
    gold = [quote((10, 14), (20, 24))]  # 10 tokens in two pieces
    q = scores({"quotes": gold}, {"quotes": [quote((10, 14), (20, 24))]}).quotes
    assert q.at[0.8].tp == 1
    one_piece = scores({"quotes": gold}, {"quotes": [quote((10, 14))]}).quotes  # 5/10
    assert (one_piece.at[0.3].tp, one_piece.at[0.8].tp) == (1, 0)
    spanning = scores({"quotes": gold}, {"quotes": [quote((10, 24))]}).quotes  # 10 shared / 15 proposed
    assert (spanning.at[0.3].tp, spanning.at[0.8].tp) == (1, 0)


def test_quotes_match_one_to_one_the_highest_overlap_first():
    gold = [quote((10, 19))]
    twice = scores({"quotes": gold}, {"quotes": [quote((10, 19)), quote((10, 18))]}).quotes
    assert twice.at[0.3] == PRF(tp=1, fp=1, fn=0)
    # the proposal overlaps the second gold quote more (1.0 against 0.8), so it goes there, not to the
    # first in text order, and the first is missed: its speaker is the second's
    gold = [quote((10, 19), speaker=(0, 0)), quote((12, 19), speaker=(1, 1))]
    q = scores({"quotes": gold}, {"quotes": [quote((12, 19), speaker=(1, 1))]}).quotes
    assert q.at[0.3] == PRF(tp=1, fp=0, fn=1)
    assert q.speaker == Share(hits=1, n=1)


def test_speaker_is_right_when_the_spans_share_a_token_or_both_are_null():
    gold = [quote((10, 19), speaker=(0, 2)), quote((30, 39), speaker=(3, 4)), quote((50, 59)),
            quote((70, 79), speaker=(5, 5))]
    proposed = [quote((10, 19), speaker=(2, 3)),   # shares token 2: right, not exact
                quote((30, 39), speaker=(3, 4)),   # exact
                quote((50, 59)),                   # both null: right and exact
                quote((70, 79))]                   # gold has a speaker, the proposal none: wrong
    q = scores({"quotes": gold}, {"quotes": proposed}).quotes
    assert q.speaker == Share(hits=3, n=4)
    assert q.speaker_exact == Share(hits=2, n=4)


def test_speaker_next_to_the_gold_speaker_sharing_no_token_is_wrong():
    q = scores({"quotes": [quote((10, 19), speaker=(0, 1))]}, {"quotes": [quote((10, 19), speaker=(2, 3))]}).quotes
    assert q.speaker == Share(hits=0, n=1)


def test_speaker_and_kinds_are_scored_only_on_quotes_matched_at_the_lower_threshold():
    gold = [quote((10, 19), speaker=(0, 0), kind="indirect", speaker_kind="pronoun"), quote((30, 39), speaker=(1, 1))]
    proposed = [quote((10, 19), speaker=(0, 0), kind="direct", speaker_kind="pronoun"),
                quote((60, 69), speaker=(1, 1))]  # unmatched: its speaker is not scored
    q = scores({"quotes": gold}, {"quotes": proposed}).quotes
    assert q.speaker == Share(1, 1)
    assert q.kind == Share(0, 1)
    assert q.speaker_kind == Share(1, 1)


# -- entities ----------------------------------------------------------------------------------------

def test_entities_exact_needs_same_offsets_and_label_overlap_needs_same_label_and_shared_characters():
    gold = [entity(0, 1, "PERSON"), entity(5, 5, "ORG"), entity(8, 8, "GPE")]
    proposed = [entity(0, 1, "PERSON"),  # exact
                entity(4, 5, "ORG"),     # overlap only
                entity(8, 8, "LOC")]     # same span, other label: no match
    e = scores({"entities": gold}, {"entities": proposed}).entities
    assert e.exact["PERSON"] == PRF(1, 0, 0) and e.overlap["PERSON"] == PRF(1, 0, 0)
    assert e.exact["ORG"] == PRF(0, 1, 1) and e.overlap["ORG"] == PRF(1, 0, 0)
    assert e.exact["GPE"] == PRF(0, 0, 1) and e.exact["LOC"] == PRF(0, 1, 0)
    assert e.overlap["GPE"] == PRF(0, 0, 1) and e.overlap["LOC"] == PRF(0, 1, 0)
    assert e.exact_all == PRF(1, 2, 2)
    assert e.overlap_all == PRF(2, 1, 1)


def test_entity_overlap_matching_is_one_to_one():
    e = scores({"entities": [entity(0, 3, "ORG")]}, {"entities": [entity(0, 1, "ORG"), entity(2, 3, "ORG")]}).entities
    assert e.overlap["ORG"] == PRF(tp=1, fp=1, fn=0)
    e = scores({"entities": [entity(0, 0, "ORG"), entity(0, 0, "ORG")]}, {"entities": [entity(0, 0, "ORG")]}).entities
    assert e.exact["ORG"] == PRF(tp=1, fp=0, fn=1)


def test_adjacent_entities_do_not_overlap():
    e = scores({"entities": [entity(0, 0, "ORG")]}, {"entities": [entity(1, 1, "ORG")]}).entities
    assert e.overlap["ORG"] == PRF(0, 1, 1)


# -- claims ------------------------------------------------------------------------------------------

def test_a_check_worthy_claim_is_found_when_a_proposal_covers_half_of_its_tokens():
    gold = [claim(0, 9)]
    assert scores({"claims": gold}, {"claims": [claim(5, 20)]}).claims.check_worthy_recall == Share(1, 1)  # 5/10
    assert scores({"claims": gold}, {"claims": [claim(6, 20)]}).claims.check_worthy_recall == Share(0, 1)  # 4/10
    # coverage is of the gold claim's tokens: a long proposal covering it whole finds it
    assert scores({"claims": gold}, {"claims": [claim(0, 60)]}).claims.check_worthy_recall == Share(1, 1)


def test_claim_recall_counts_only_check_worthy_gold_and_precision_any_gold_or_check_worthy_gold():
    gold = [claim(0, 9), claim(20, 29, "unimportant_factual"), claim(40, 49, "non_factual")]
    proposed = [claim(0, 9), claim(20, 29), claim(60, 69)]
    c = scores({"claims": gold}, {"claims": proposed}).claims
    assert c.check_worthy_recall == Share(1, 1)
    assert c.recall == Share(2, 3)
    assert c.precision == Share(2, 3)
    assert c.precision_check_worthy == Share(1, 3)


def test_one_proposal_may_find_two_gold_claims():
    c = scores({"claims": [claim(0, 3), claim(4, 9)]}, {"claims": [claim(0, 9)]}).claims
    assert c.check_worthy_recall == Share(2, 2) and c.precision == Share(1, 1)


# -- inputs, pooling, intervals ------------------------------------------------------------------------

def test_empty_inputs_give_zeros_not_division_errors():
    for s in (scores(), score_many([]), score_article("", {}, Proposals())):
        assert s.quotes.at[0.3].f1 == 0.0 and s.quotes.at[0.8].precision == 0.0 and s.quotes.at[0.3].recall == 0.0
        assert s.quotes.speaker.value == 0.0 and s.quotes.speaker.n == 0
        assert s.entities.exact_all.f1 == 0.0 and s.entities.overlap_all.precision == 0.0
        assert s.claims.check_worthy_recall.value == 0.0 and s.claims.precision.value == 0.0
        assert s.intervals() == {"quote_f1@0.3": (0.0, 0.0), "speaker_accuracy": (0.0, 0.0),
                                 "check_worthy_claim_recall": (0.0, 0.0)}
        s.to_dict()


def test_only_gold_records_of_a_records_file_count():
    records = {"article_id": "x", "entities": [{**entity(0, 0, "ORG"), "origin": "gold"},
                                               {**entity(1, 1, "ORG"), "origin": "human"}],
               "quotes": [{**quote((10, 19)), "origin": "model"}], "claims": []}
    assert [e["start"] for e in gold_of(records)["entities"]] == [0]
    s = score_article(WORDS, records, Proposals())
    assert s.entities.exact["ORG"] == PRF(0, 0, 1) and s.quotes.at[0.3] == PRF(0, 0, 0)


def test_proposals_objects_score_as_their_json():
    text = WORDS
    sp = lambda f, l: Span(span(f, l)["start"], span(f, l)["end"], span(f, l)["text"])  # noqa: E731
    proposals = Proposals(entities=[EntityProposal(**entity(0, 1, "PERSON"))],
                          quotes=[QuoteProposal("direct", [sp(10, 19)], sp(0, 1), None, "named_person")],
                          claims=[ClaimProposal(**{k: v for k, v in claim(10, 19).items() if k != "quote_id"})])
    gold = {"entities": [entity(0, 1, "PERSON")], "quotes": [quote((10, 19), speaker=(1, 1))], "claims": [claim(10, 19)]}
    s = score_article(text, gold, proposals)
    assert s.to_dict() == score_article(text, gold, proposals.to_json()).to_dict()
    assert s.entities.exact_all.f1 == 1.0 and s.quotes.at[0.8].f1 == 1.0 and s.quotes.speaker == Share(1, 1)
    assert s.quotes.speaker_exact == Share(0, 1) and s.claims.check_worthy_recall == Share(1, 1)


def test_articles_are_pooled_by_summing_counts_not_averaging_figures():
    one = (WORDS, {"quotes": [quote((10, 19))]}, {"quotes": [quote((10, 19))]})                       # F1 1.0
    other = (WORDS, {"quotes": [quote((i, i + 4)) for i in range(0, 50, 5)]}, {"quotes": []})         # F1 0.0, 10 quotes
    pooled = score_many([one, other])
    assert pooled.articles == 2
    assert pooled.quotes.at[0.3] == PRF(tp=1, fp=0, fn=10)
    assert pooled.quotes.at[0.3].f1 == pytest.approx(2 / 12)  # not the mean of 1.0 and 0.0


def test_bootstrap_intervals_are_deterministic_and_hold_the_figure():
    counts = PRF(tp=40, fp=10, fn=15)
    low, high = bootstrap_f1(counts)
    assert bootstrap_f1(counts) == (low, high)
    assert low < counts.f1 < high and 0.0 <= low and high <= 1.0
    assert bootstrap_share(Share(20, 20)) == (1.0, 1.0)
    low, high = bootstrap_share(Share(5, 10))
    assert low < 0.5 < high
    assert bootstrap_share(Share(50, 100))[1] - bootstrap_share(Share(50, 100))[0] < high - low  # more items, narrower
