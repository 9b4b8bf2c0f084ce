"""Claim candidates: sentences that state something checkable (guidelines §3).

ClaimBuster's check-worthy factual sentences (Arslan et al., 2020) are mostly sentences with
numbers, dates, comparisons and causes; Full Fact's claim types (Konstantinovskiy et al., 2021) name
the same signals. So a sentence with a verb is a candidate when it holds:

- a quantity: a number, percentage, amount of money or measure (the model's value entities or a
  digit), or a change in one (rose, fell, doubled, is slipping) -> ``quantity``;
- a cause or link ("because", "due to", "led to", "caused", "affects", "prompted") ->
  ``correlation_causation``;
- a future or hypothetical statement (will, would, could, expects, plans) -> ``prediction``;
- a rule, law or official decision (law, ban, ruling, requires ...) -> ``rules_laws``;
- a date, a comparison (more than, the first, -est) or a past event of a named person or body
  ("Harry Kane scored", "was elected") -> ``other``.

Every candidate is proposed as ``check_worthy``: the annotator confirms or changes it (deleting a
region is quicker than finding a missed one). A candidate inside a quote's content is cut to that
content and linked to the quote (§3.4). Opinion words alone never make a candidate.
"""

from __future__ import annotations

import re

from .proposals import ClaimProposal, QuoteProposal

QUANTITY_ENTITIES = {"CARDINAL", "PERCENT", "MONEY", "QUANTITY"}
DATE_ENTITIES = {"DATE", "TIME"}
CAUSAL = re.compile(r"\b(?:because|due to|caused?|causing|led to|leads? to|lead to|result(?:ed|s)? in|as a result|"
                    r"linked to|responsible for|blamed? (?:on|for)|thanks to|so that)\b", re.I)
CHANGE_LEMMAS = {"increase", "decrease", "rise", "fall", "drop", "grow", "gain", "slip", "double", "triple", "halve",
                 "reduce", "exceed", "surge", "decline", "climb", "shrink", "plunge", "soar"}
CAUSAL_LEMMAS = {"cause", "affect", "prompt", "trigger", "lead", "contribute", "fuel", "spark", "result"}
NAMED = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
FUTURE = {"will", "would", "could", "might", "may", "shall"}
FUTURE_LEMMAS = {"expect", "plan", "predict", "forecast", "project", "intend"}
RULES = re.compile(r"\b(?:law|laws|act|bill|ban(?:s|ned)?|rul(?:e|es|ing)|regulations?|polic(?:y|ies)|requir(?:e|es|ed)|"
                   r"illegal|legal|treaty|constitution|court|sentenced?|stipulations?|order(?:ed)?)\b", re.I)
COMPARISON = re.compile(r"\b(?:more|less|fewer|than|most|least|first|last|largest|biggest|highest|lowest|record)\b",
                        re.I)
MIN_WORDS = 5
EDGE = " \t\n,;:.—–-“”\"'’"


def _named_event(sentence) -> bool:
    """Something a named person or body did or underwent, in the past: "Harry Kane scored", "Lam
    Cheuk-ting was elected" (Full Fact's "other": an event happened, a person did something)."""
    return any(t.dep_ in ("nsubj", "nsubjpass") and t.ent_type_ in NAMED and t.head.tag_ in ("VBD", "VBN")
               and t.head.lemma_.lower() not in ("be", "have") for t in sentence)


def _signals(sentence) -> tuple[str, ...]:
    """The claim types a sentence's signals point to, most specific first."""
    text = sentence.text
    types = []
    verbs = [t for t in sentence if t.pos_ == "VERB"]
    if any(t.ent_type_ in QUANTITY_ENTITIES or (t.text[:1].isdigit() and t.ent_type_ not in DATE_ENTITIES)
           for t in sentence) or any(t.lemma_.lower() in CHANGE_LEMMAS for t in verbs):  # a year is not a quantity
        types.append("quantity")
    if CAUSAL.search(text) or any(t.lemma_.lower() in CAUSAL_LEMMAS for t in verbs):
        types.append("correlation_causation")
    if any(t.lower_ in FUTURE and t.tag_ == "MD" for t in sentence) or \
            any(t.lemma_.lower() in FUTURE_LEMMAS and t.pos_ == "VERB" for t in sentence):
        types.append("prediction")
    if RULES.search(text):
        types.append("rules_laws")
    if any(t.ent_type_ in DATE_ENTITIES for t in sentence) or COMPARISON.search(text) or \
            any(t.tag_ in ("JJS", "RBS", "JJR", "RBR") for t in sentence) or _named_event(sentence):
        types.append("other")
    return tuple(types)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in EDGE:
        start += 1
    while end > start and text[end - 1] in EDGE:
        end -= 1
    return start, end


def claims_of(doc, quotes: list[QuoteProposal]) -> list[ClaimProposal]:
    """Claim candidates of a parsed text, in text order, each linked to the quote it is made in."""
    text = doc.text
    pieces = [(i, piece) for i, quote in enumerate(quotes) for piece in quote.content]
    claims = []
    for sentence in doc.sents:
        if not any(t.pos_ in ("VERB", "AUX") for t in sentence):
            continue  # headlines and captions without a verb, datelines
        types = _signals(sentence)
        if not types:
            continue
        start, end = sentence.start_char, sentence.end_char
        quote = None
        for i, piece in pieces:
            if piece.start < end and start < piece.end:
                start, end, quote = max(start, piece.start), min(end, piece.end), i
                break
        start, end = _trim(text, start, end)
        if len(text[start:end].split()) < MIN_WORDS:
            continue
        claims.append(ClaimProposal(start, end, text[start:end], types[0], "check_worthy", quote))
    return claims
