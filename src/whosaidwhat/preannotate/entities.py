"""Entity proposals: the pipeline's OntoNotes entities, cut to the taxonomy's conventions.

The statistical model and the taxonomy share OntoNotes 5's name types; its value types (DATE, MONEY,
CARDINAL ...) are not annotated here (numbers that matter are claims), so they are dropped. The
guidelines leave a leading "the" and a possessive "'s" outside the mention ("the Miami Herald's" ->
`Miami Herald`), and so does this.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from ..core.taxonomy import load_taxonomy
from .proposals import EntityProposal

_LEADING = re.compile(r"(?:the|The|THE)\s+|[a-z]+-(?=[A-Z])")  # "the", and "pro-" in "pro-Beijing"
_TRAILING = re.compile(r"(?:\s*[’']s|[’'])$|(?<!\b[A-Z])(?<!\bInc)(?<!\bCorp)(?<!\bLtd)(?<!\bCo)(?<!\bJr)(?<!\bSr)"
                       r"[\s.,;:!?\"“”()\-–—]+$")  # keeps U.S., Apple Inc., Martin Luther King Jr.


# Titles and roles are not part of a PERSON mention (guidelines §1): "Councillor Ahmed Memon" -> `Ahmed Memon`.
TITLES = frozenset("""mr mrs ms miss dr prof professor sir dame lord lady sen senator rep representative gov governor
    president vice prime minister mayor councillor councilor chancellor secretary general gen lt col captain capt sgt
    judge justice coach chief director chairman chairwoman spokesman spokeswoman spokesperson king queen prince
    princess pope rev father saint st mp""".split())


def _without_title(text: str, start: int, end: int) -> int:
    """The start of a PERSON mention after its leading titles (kept when nothing would be left)."""
    words = list(re.finditer(r"[\w’'-]+\.?", text[start:end]))
    i = 0
    while i < len(words) - 1 and words[i].group().rstrip(".").lower() in TITLES:
        i += 1
    return start + words[i].start() if i else start


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without a leading "the", a possessive "'s" and surrounding punctuation."""
    lead = _LEADING.match(text, start, end)
    if lead:
        start = lead.end()
    while end > start:
        tail = _TRAILING.search(text, start, end)
        if not tail or tail.start() == tail.end():
            break
        end = tail.start()
    while start < end and not text[start].isalnum():
        start += 1
    return start, end


def _pieces(text: str, start: int, end: int) -> tuple[int, int]:
    """A mention never crosses a line break (a caption and the next line are two things): the
    longest line of the span."""
    best, offset = (start, start), start
    for line in text[start:end].split("\n"):
        if len(line) > best[1] - best[0]:
            best = (offset, offset + len(line))
        offset += len(line) + 1
    return best


def _consistent(found: list[EntityProposal]) -> dict[str, str]:
    """One label per surface form in a document (the model often types one name two ways): the most
    frequent, where a single word that ends a PERSON mention ("Wilkins" after "Anne Wilkins") is a
    PERSON."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for e in found:
        votes[e.text][e.label] += 1
    surnames = {e.text.split()[-1] for e in found if e.label == "PERSON" and len(e.text.split()) > 1}
    return {form: "PERSON" if form in surnames and counts.keys() <= {"PERSON", "ORG"} else counts.most_common(1)[0][0]
            for form, counts in votes.items()}  # a place named like a surname ("Jordan") stays a place


# A country or city that plays is its team, an organisation (guidelines §1: "Sweden the team"; OntoNotes).
MATCH_LEMMAS = frozenset({"beat", "defeat", "draw", "lose", "win", "play", "face", "score", "concede", "tie", "qualify",
                          "trail", "host", "meet", "eliminate", "equalise", "equalize", "thrash", "edge"})
SCORE = re.compile(r"\s*\d+\s*[–—-]\s*\d+")
SPORT_WORDS = frozenset({"goal", "match", "game", "cup", "tournament", "league", "championship", "penalty", "kick",
                         "striker", "goalkeeper", "coach", "team", "squad", "final", "semifinal", "innings", "set"})


def _playing(ent) -> bool:
    """A GPE that, in a sentence about sport (a score, a goal, a match), is the subject or object of a
    match verb or stands next to a score ("Sweden 1 – 0"); never "Japan will host the summit"."""
    head = ent.root
    verb = head.head if head.dep_ in ("nsubj", "dobj", "nsubjpass") else head.head.head if head.dep_ == "pobj" else None
    doc_text = ent.doc.text
    sentence = ent.sent
    sporting = SCORE.search(sentence.text) or any(t.lemma_.lower() in SPORT_WORDS for t in sentence)
    return bool(sporting) and ((verb is not None and verb.lemma_.lower() in MATCH_LEMMAS)
                               or bool(SCORE.match(doc_text, ent.end_char)))


def entities_of(doc) -> list[EntityProposal]:
    """The name-type entities of a parsed text, in text order: the model's, cut to the conventions,
    with one label per surface form. (Marking a form's other occurrences that the model missed was
    tried: on the development articles it spread the model's mistakes more than its finds.)"""
    labels = set(load_taxonomy().names("entity_label"))
    text = doc.text
    found = []
    for ent in doc.ents:
        if ent.label_ not in labels:
            continue
        start, end = trimmed(text, *_pieces(text, ent.start_char, ent.end_char))
        if ent.label_ == "PERSON":
            start = _without_title(text, start, end)
        mention = text[start:end]
        if end > start and any(c.isupper() for c in mention):  # names are capitalised; "vehicle miles" is not one
            label = "ORG" if ent.label_ == "GPE" and _playing(ent) else ent.label_
            found.append(EntityProposal(start, end, mention, label))
    label_of = _consistent(found)
    return [EntityProposal(e.start, e.end, e.text, label_of[e.text]) for e in found]
