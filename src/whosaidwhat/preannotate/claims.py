"""Claim candidates: statements that say something checkable (guidelines §3).

ClaimBuster's check-worthy factual sentences (Arslan et al., 2020) are mostly sentences with
numbers, dates, comparisons and causes; Full Fact's claim types (Konstantinovskiy et al., 2021) name
the same signals. A candidate is a statement (a sentence, a quote's content piece in it, or one of
its independent clauses) whose own words hold:

- a quantity: a number, percentage, amount of money or measure (the model's value entities or a
  digit), or a change in one (rose, fell, doubled, is slipping) -> ``quantity``;
- a cause or link ("because", "due to", "led to", "caused", "affects", "prompted") ->
  ``correlation_causation``;
- a future or hypothetical statement (will, would, could, expects, plans) -> ``prediction``;
- a rule, law or official decision (law, ban, ruling, requires, must, is supposed to ...) ->
  ``rules_laws``;
- a date, a comparison (more than, the first, -est), an absolute (never, always, nobody) or a past
  event of a named person or body
  ("Harry Kane scored", "was elected"; never the "said" of an attribution) -> ``other``.

Bounds (§3.2–3.5): a statement in a quote is cut to its content piece and linked to the quote; an
unattributed quote or one whose content is split by its cue is no statement on its own, so its claim
is the whole clause, hedge included, linked to the quote; independent clauses joined by "and", "but"
or a semicolon are split; a dateline ("PORTLAND —") and a leading "But", "Also," are left out.

Every candidate is proposed as ``check_worthy``: the annotator confirms or changes it (deleting a
region is quicker than finding a missed one). Outside quotes, opinion words alone never make a
candidate; inside one every statement is a claim (§3.4), so a quoted statement with no signal is
proposed as ``non_factual`` (type ``other``): an opinion, a feeling, rhetoric.
"""

from __future__ import annotations

import re

from .proposals import ClaimProposal, QuoteProposal
from .quotes import CUE_LEMMAS

QUANTITY_ENTITIES = {"CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"}  # "the fifth time" counts too
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
                   r"illegal|legal|treaty|constitution|court|sentenced?|stipulations?|order(?:ed)?|must|supposed to|"
                   r"allowed|permitted|prohibit\w*|appl(?:y|ies) to|mandatory|obliged)\b", re.I)
ABSOLUTES = re.compile(r"\b(?:never|ever|always|nobody|no one|none of)\b", re.I)  # "has never before been open"
COMPARISON = re.compile(r"\b(?:more|less|fewer|than|most|least|first|last|largest|biggest|highest|lowest|record)\b",
                        re.I)
DATELINE = re.compile(r"[A-Z][A-Z .,'-]{1,40}\s+[—–-]{1,2}\s+")
LEADING = re.compile(r"(?:But|And|Also|However|Meanwhile|Still|Yet|So|For example|In the end)\b,?\s+")
TRAILING = re.compile(r"[\s,;]+(?:and|but|or|while)$")
MIN_WORDS = 4
EDGE = " \t\r\n,;:.—–-“”\"'’"


def _named_event(tokens) -> bool:
    """Something a named person or body did or underwent, in the past: "Harry Kane scored", "Lam
    Cheuk-ting was elected" (Full Fact's "other"), never the "said" of an attribution."""
    return any(t.dep_ in ("nsubj", "nsubjpass") and t.ent_type_ in NAMED and t.head.tag_ in ("VBD", "VBN")
               and t.head.lemma_.lower() not in CUE_LEMMAS | {"be", "have"} and t.head in tokens for t in tokens)


def signals(tokens) -> tuple[str, ...]:
    """The claim types a statement's own tokens point to, most specific first."""
    text = "".join(t.text_with_ws for t in tokens)
    verbs = [t for t in tokens if t.pos_ == "VERB" and t.lemma_.lower() not in CUE_LEMMAS]
    types = []
    if any(t.ent_type_ in QUANTITY_ENTITIES or (t.text[:1].isdigit() and t.ent_type_ not in DATE_ENTITIES)
           for t in tokens) or any(t.lemma_.lower() in CHANGE_LEMMAS for t in verbs):  # a year is not a quantity
        types.append("quantity")
    if CAUSAL.search(text) or any(t.lemma_.lower() in CAUSAL_LEMMAS for t in verbs):
        types.append("correlation_causation")
    if any(t.lower_ in FUTURE and t.tag_ == "MD" for t in tokens) or \
            any(t.lemma_.lower() in FUTURE_LEMMAS for t in verbs):
        types.append("prediction")
    if RULES.search(text):
        types.append("rules_laws")
    if any(t.ent_type_ in DATE_ENTITIES for t in tokens) or COMPARISON.search(text) or ABSOLUTES.search(text) or \
            any(t.tag_ in ("JJS", "RBS", "JJR", "RBR") for t in tokens) or _named_event(tokens):
        types.append("other")
    return tuple(types)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in EDGE:
        start += 1
    while end > start and text[end - 1] in EDGE:
        end -= 1
    tail = TRAILING.search(text, start, end)
    if tail:
        end = tail.start()
    for pattern in (DATELINE, LEADING):
        m = pattern.match(text, start, end)
        if m:
            start = m.end()
    return start, end


def _clauses(doc, start: int, end: int) -> list[tuple[int, int]]:
    """A statement split at independent clauses (§3.3): before an "and", "but", "while" or ";" that
    joins a verb with its own subject to the one before it."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return [(start, end)]
    cuts = []
    for t in span:
        if t.dep_ == "conj" and t.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
            joint = next((c for c in t.head.children if c.dep_ in ("cc", "punct") and t.head.i < c.i < t.i
                          and c.lower_ in ("and", "but", "while", ";")), None)
            if joint is not None and span.start <= joint.i:
                cuts.append(joint.idx)
    bounds, last = [], start
    for cut in sorted(cuts):
        bounds.append((last, cut))
        last = cut
    bounds.append((last, end))
    return bounds


def _statements(doc, quotes: list[QuoteProposal]) -> list[tuple[int, int, int | None]]:
    """(start, end, quote index or None) of every statement, sentence by sentence."""
    statements = []
    for sentence in doc.sents:
        a, b = sentence.start_char, sentence.end_char
        inside = [(i, q, [p for p in q.content if p.start < b and a < p.end]) for i, q in enumerate(quotes)]
        inside = [(i, q, pieces) for i, q, pieces in inside if pieces]
        if not inside:
            statements.extend((x, y, None) for x, y in _clauses(doc, a, b))
            continue
        for i, quote, pieces in inside:
            if quote.speaker is None or len(pieces) > 1 and quote.kind == "indirect":
                statements.append((a, b, i))  # no statement on its own: the clause with its hedge (§3.5)
                continue
            for piece in pieces:
                statements.extend((x, y, i) for x, y in _clauses(doc, max(a, piece.start), min(b, piece.end)))
    return statements


def claims_of(doc, quotes: list[QuoteProposal]) -> list[ClaimProposal]:
    """Claim candidates of a parsed text, in text order, each linked to the quote it is made in."""
    text = doc.text
    claims, seen = [], set()
    for start, end, quote in _statements(doc, quotes):
        start, end = _trim(text, start, end)
        if len(text[start:end].split()) < MIN_WORDS or (start, end) in seen:
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not any(t.pos_ in ("VERB", "AUX") for t in span):
            continue  # headlines and captions without a verb, datelines
        types = signals(span)
        if types:
            seen.add((start, end))
            claims.append(ClaimProposal(start, end, text[start:end], types[0], "check_worthy", quote))
        elif quote is not None:  # in a quote every statement is a claim (§3.4); with nothing to check, an opinion
            seen.add((start, end))
            claims.append(ClaimProposal(start, end, text[start:end], "other", "non_factual", quote))
    return sorted(claims, key=lambda c: (c.start, c.end))
