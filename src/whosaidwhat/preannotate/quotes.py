"""Quote proposals from quotation marks and the dependency parse (guidelines §2).

How a quote is found, in the order the rules run:

1. **Cues** are verbs of saying and thinking, by lemma (said, told, added, believes ...), outside
   quotation marks, plus "according to". A cue's **speaker** is its grammatical subject wherever it
   stands ("X said", inverted "said X", "X, who asked not to be named, said"), the noun a relative
   "who" stands for, the subject of the verb it is coordinated with, or the object of "according to";
   a passive cue with no "by" phrase has none (unattributed).
2. **Indirect and mixed quotes**: the clause a cue governs (its ``ccomp``), without "that" and the
   final full stop; with quoted words inside it, the quote is mixed. "According to X" reports the rest
   of its sentence.
3. **Direct quotes**: each quoted piece of a paragraph goes to the cue of its own sentence, or of the
   next or previous sentence of the paragraph when that one is only an attribution; further pieces of
   the paragraph without a cue continue the same quote, and so does a paragraph that opens with a
   quotation mark right after a quote (or an unclosed one). Quoted words with no cue anywhere near
   are titles or scare quotes, not quotes (§2.5).

The speaker kind comes from the speaker phrase's head (§2.3): a pronoun; a PERSON name (or an
apposition naming one); an organisation or place speaking as such; otherwise an anonymous
description. A pronoun speaker refers to the nearest earlier mention it can stand for.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .proposals import EntityProposal, QuoteProposal, Span

# Verbs of saying, writing and thinking that attribute a content (lemmas; guidelines §2.2).
CUE_LEMMAS = frozenset("""
    say tell add state explain note warn write ask reply claim insist argue declare continue recall admit
    acknowledge announce believe think report describe suggest estimate predict conclude caution complain charge blame
    confirm deny emphasise emphasize stress observe remark respond tweet post comment testify reveal urge
    allege assert maintain contend agree disagree indicate mention point predict promise vow accuse hope
    fear expect find show theorize theorise characterize characterise dub observe express
""".split())
# Cues that only attribute when they govern a clause (never a quoted piece on their own).
CLAUSE_ONLY = frozenset({"hope", "fear", "expect", "think", "believe", "point", "agree", "indicate", "continue", "find",
                         "show", "theorize", "theorise", "express"})
PERSON_PRONOUNS = {"he", "she", "him", "her"}
THING_PRONOUNS = {"it"}
OPENING, CLOSING = "“\"", "”\""
MIN_DIRECT_WORDS = 3  # shorter quoted pieces are names, titles or scare quotes, never a direct quote on their own


@dataclass
class Quoted:
    """A piece of text inside quotation marks: ``start``/``end`` of the words, without the marks."""

    start: int
    end: int
    paragraph: int
    closed: bool
    used: bool = False


def _opens(paragraph: str, i: int) -> bool:
    """Whether the mark at ``i`` opens a quotation: curly marks say so; a straight one opens when it
    stands before a word and after a space, a bracket or a dash (or at the start of the line)."""
    ch = paragraph[i]
    if ch in "“”":
        return ch == "“"
    before = paragraph[i - 1] if i else " "
    after = paragraph[i + 1] if i + 1 < len(paragraph) else " "
    return not before.isalnum() and before not in ".!?" and not after.isspace()


def quoted_pieces(text: str) -> list[Quoted]:
    """Every quoted piece, paragraph by paragraph. A mark left open runs to the end of its paragraph
    (news style for a quote that goes on), and a paragraph whose first mark closes continues the
    quote the paragraph before left open."""
    pieces: list[Quoted] = []
    offset = 0
    left_open = False
    number = -1
    for paragraph in text.split("\n"):
        if not paragraph.strip():  # a blank line between paragraphs is no paragraph of its own
            offset += len(paragraph) + 1
            continue
        number += 1
        opened, curly = None, False
        first = True
        for i, ch in enumerate(paragraph):
            if ch not in "“”\"":
                continue
            opening = _opens(paragraph, i)
            if opened is not None and curly and ch == '"':
                continue  # straight marks inside a curly quotation are a quote inside the quote
            if opened is None and not opening and first and left_open:
                opened, curly = -1, False  # the quote of the paragraph before goes on up to here
            if opened is None and opening:
                opened, curly = i, ch == "“"
            elif opened is not None and not opening:
                if i > opened + 1:
                    pieces.append(Quoted(offset + opened + 1, offset + i, number, True))
                opened = None
            first = False
        left_open = opened is not None and len(paragraph.rstrip()) > opened + 1
        if left_open:
            pieces.append(Quoted(offset + opened + 1, offset + len(paragraph.rstrip()), number, False))
        offset += len(paragraph) + 1
    return pieces


def _content_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """A direct piece without the comma before its attribution and surrounding spaces (§2.1)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """An indirect piece without surrounding spaces, commas and the final full stop (§2.1)."""
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:.—–-"):
        end -= 1
    return start, end


@dataclass
class _Quote:
    cue: object  # the cue token ("according" for according to)
    kind: str
    content: list[tuple[int, int]] = field(default_factory=list)
    cue_span: tuple[int, int] | None = None  # when the cue is more than the verb and its auxiliaries
    unattributed: bool = False


class _Article:
    """One parsed text, with what the rules look up over and over."""

    def __init__(self, doc, entities: list[EntityProposal]):
        self.doc, self.text, self.entities = doc, doc.text, entities
        self.pieces = quoted_pieces(self.text)
        self._piece_starts = [p.start for p in self.pieces]
        self.paragraph_starts = [m.start() for m in re.finditer(r"[^\n]*\S[^\n]*", self.text)]  # non-blank lines

    def paragraph_of(self, char: int) -> int:
        return max(bisect_right(self.paragraph_starts, char) - 1, 0)

    def piece_at(self, char: int) -> Quoted | None:
        i = bisect_right(self._piece_starts, char) - 1
        if i >= 0 and self.pieces[i].start <= char < self.pieces[i].end:
            return self.pieces[i]
        return None

    def cues_by_sentence(self, cues) -> dict[int, list]:
        """The cues of each sentence, by the sentence's first token (made once per list of cues)."""
        key = tuple(c.i for c in cues)
        if getattr(self, "_cues_key", None) != key:
            self._cues_key, self._cues = key, {}
            for cue in cues:
                self._cues.setdefault(cue.sent.start, []).append(cue)
        return self._cues

    def entity_label(self, token) -> str | None:
        """The label of the proposed mention the token is part of (one label per name in a text)."""
        for e in self.entities:
            if e.start <= token.idx < e.end:
                return e.label
        return None

    def quoted(self, token) -> bool:
        return self.piece_at(token.idx) is not None


def _is_cue(token, article: _Article) -> bool:
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in CUE_LEMMAS and not article.quoted(token)


def _according(token) -> bool:
    return token.lower_ == "according" and any(c.lower_ == "to" for c in token.children)


def _subject(cue):
    """The speaker token of a cue, or None."""
    if _according(cue):
        to = next(c for c in cue.children if c.lower_ == "to")
        return next((c for c in to.children if c.dep_ == "pobj"), None)
    for child in cue.children:
        if child.dep_ == "agent":  # "was reported by X"
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    subject = next((c for c in cue.children if c.dep_ in ("nsubj", "csubj")), None)
    if subject is None and cue.dep_ in ("conj", "advcl", "xcomp") and cue.i > cue.head.i:
        # "X nodded and said", "X spoke, noting that", "X went on to say"
        subject = next((c for c in cue.head.children if c.dep_ in ("nsubj", "csubj")), None)
    if subject is None and cue.dep_ in ("relcl", "acl") and cue.head.pos_ in ("NOUN", "PROPN", "PRON"):
        subject = cue.head  # "an official who said"
    if subject is not None and subject.tag_ in ("WP", "WDT") and cue.dep_ == "relcl":
        subject = cue.head  # "X, who said ..."
    if subject is None and any(c.dep_ == "ccomp" and c.i < cue.i for c in cue.children):
        # '"...", added KCNA': the parser takes an inverted subject for an object
        subject = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i and c.pos_ in ("PROPN", "NOUN")), None)
    return subject


def _speaker_span(subject, article: _Article) -> tuple[int, int] | None:
    """The whole noun phrase of the speaker (§2.1): its subtree, cut before a comma that sets off a
    relative or participle clause, without a leading conjunction, never inside quotation marks."""
    fronted = {x.i for c in subject.children if c.dep_ in ("acl", "relcl", "advcl") and c.i < subject.i
               for x in c.subtree}  # "Writing in a blog post, Matthew Ingram ... dubbed"
    tokens = [t for t in subject.subtree if not article.quoted(t) and t.i not in fronted]
    broken = next((i for i, t in enumerate(tokens) if "\n" in t.text and i), None)  # never over a line break
    tokens = [t for t in tokens[:broken] if not t.is_space]
    if not tokens:
        return None
    clause_starts = {min(x.i for x in t.subtree) for t in tokens if t.dep_ in ("relcl", "acl", "advcl")}
    cut = len(tokens)
    for i, t in enumerate(tokens):
        if t.i > subject.i and (t.text in ("(", "—", "–", ";") or (t.text == "," and t.i + 1 in clause_starts)):
            cut = i
            break
    tokens = tokens[:cut]
    while tokens and (tokens[0].dep_ in ("cc", "punct") or tokens[0].lower_ in ("as", "and", "but")):
        tokens = tokens[1:]
    while tokens and tokens[-1].dep_ in ("punct", "cc"):
        tokens = tokens[:-1]
    if not tokens:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _cue_span(cue) -> tuple[int, int]:
    """The cue with its auxiliaries and its particle ("has said", "put it", "according to")."""
    if _according(cue):
        to = next(c for c in cue.children if c.lower_ == "to")
        return cue.idx, to.idx + len(to)
    words = [cue] + [c for c in cue.children if c.dep_ in ("aux", "auxpass", "neg", "prt") and abs(c.i - cue.i) <= 3]
    if cue.lower_ == "put" and cue.i + 1 < len(cue.doc) and cue.doc[cue.i + 1].lower_ == "it":
        words.append(cue.doc[cue.i + 1])
    words = [w for w in words if w.dep_ != "neg"] or [cue]
    first, last = min(words, key=lambda t: t.i), max(words, key=lambda t: t.i)
    if any(t.dep_ in ("nsubj", "nsubjpass") for t in cue.doc[first.i:last.i]):  # inverted: "did he say"
        first = last = cue
    return first.idx, last.idx + len(last)


# Cues whose object states what was said: "announced the start of a public process" (§2.2).
OBJECT_CUES = frozenset({"announce", "express", "deny", "confirm", "reveal", "admit", "acknowledge", "note", "observe",
                         "predict", "estimate", "report"})
MIN_OBJECT_TOKENS = 4


# Cues whose clause may follow straight after them ("found reduction ... exceeded", "estimated by
# 2050, ... would increase"): where the parser attached the clause elsewhere, the rest of the sentence.
REST_CUES = frozenset({"say", "find", "show", "estimate", "conclude", "argue", "claim", "believe", "think", "add",
                       "warn", "predict", "note", "state", "insist", "suggest"})


def _rest_is_a_clause(cue) -> bool:
    """The words after the cue, to the end of its sentence, hold a finite verb of their own and no
    other cue's clause: they are what the cue reports."""
    if cue.lemma_.lower() not in REST_CUES or cue.dep_ not in ("ROOT", "ccomp", "conj") or \
            any(c.dep_ in ("auxpass", "nsubjpass") for c in cue.children):
        return False
    rest = [t for t in cue.sent if t.i > cue.i and not t.is_punct]
    return len(rest) >= 4 and any(t.pos_ in ("VERB", "AUX") and t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in rest) \
        and not any(c.dep_ == "ccomp" for c in cue.children)


def _parenthetical(cue) -> bool:
    """An attribution set into the clause it reports: "As Heald told the Post, S", "S, she added,
    S'" (the parser hangs the cue on the reported clause)."""
    if cue.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in cue.children):
        return not any(c.dep_ == "ccomp" for c in cue.children)
    return cue.dep_ == "parataxis" and not any(c.dep_ == "ccomp" for c in cue.children)


def _governed_clause(cue):
    """The clause a cue reports (its ccomp, or for according-to its sentence's main clause), or the
    object of a cue that states what was said."""
    if _according(cue):
        root = cue.head if cue.dep_ == "prep" else None
        return root
    if _parenthetical(cue):
        return cue.head
    clauses = [c for c in cue.children if c.dep_ == "ccomp"]
    # a clause after the cue before one the parser hung on it from before ("With ... complete, X announced that ...")
    clause = next((c for c in clauses if c.i > cue.i), clauses[0] if clauses else None)
    if clause is None and _rest_is_a_clause(cue):
        return cue  # the parse missed the clause: the rest of the sentence is it (_clause_span)
    if clause is None and cue.lemma_.lower() in OBJECT_CUES:
        clause = next((c for c in cue.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")
                       and len(list(c.subtree)) >= MIN_OBJECT_TOKENS), None)
    return clause


LEARNED = frozenset({"learn", "report", "say", "know", "understand", "confirm", "reveal"})


def _clause_spans(cue, clause, article: _Article) -> list[tuple[int, int]]:
    """The pieces of the reported clause: its subtree without "that"; for according-to and a
    parenthetical attribution the clause without the attribution, one piece on each side of it
    (§2.2: content split by its cue)."""
    runs: list[list] = [[]]
    if _according(cue) and clause is not None and clause.lemma_.lower() in LEARNED and \
            any(c.dep_ == "ccomp" for c in clause.children):
        # "According to X, Wikinews has learned that ...": X reports what was learned
        runs = [list(next(c for c in clause.children if c.dep_ == "ccomp").subtree)]
    elif _according(cue) or _parenthetical(cue):
        # "According to X, S." / "S, according to X." / "As X told Y, S." / "S1, she added, S2."
        skip = {t.i for t in cue.subtree}
        for t in (clause.subtree if clause is not None else cue.sent):
            if t.i in skip:
                runs.append([])
            else:
                runs[-1].append(t)
    elif clause is cue:
        runs = [[t for t in cue.sent if t.i > cue.i]]
    else:
        runs = [list(clause.subtree)]
        if runs[0] and runs[0][0].dep_ == "mark" and runs[0][0].lower_ in ("whether", "if"):
            runs[0] = runs[0][1:]
    spans = []
    for tokens in runs:
        # leading punctuation and the complementiser "that" (not the determiner of "that plan failed")
        while tokens and (tokens[0].is_punct or (tokens[0].lower_ == "that" and tokens[0].dep_ != "det")):
            tokens = tokens[1:]
        tokens = [t for t in tokens if not (t.is_punct and t.text in "“”\"" and t == tokens[-1])] if tokens else tokens
        if not any(not t.is_punct for t in tokens):
            continue
        start, end = _clause_bounds(article.text, tokens[0].idx, tokens[-1].idx + len(tokens[-1]))
        # a quoted piece the clause ends in keeps its closing mark, and the stop inside it (§2.5)
        text = article.text
        if end < len(text) and text[end] in "”\"" and article.piece_at(end - 1):
            end += 1
        elif end + 1 < len(text) and text[end] in ".!?" and text[end + 1] in "”\"" and article.piece_at(end):
            end += 2
        if end > start:
            spans.append((start, end))
    words = sum(len(article.text[a:b].split()) for a, b in spans)
    return spans if words >= 3 else []


# Passive cues that report without a source: "is believed to", "are accused of", "is said to" (§2.2).
PASSIVE_CUES = frozenset({"say", "believe", "report", "expect", "consider", "think", "accuse", "allege", "rumour",
                          "rumor", "claim", "suspect", "know"})


def _is_passive(cue) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in cue.children)


def _passive(article: _Article, cue) -> _Quote | None:
    """An unattributed quote of a passive cue with no "by" phrase: its subject and what follows the
    cue's "to" or "of" are the two content pieces, the cue runs from its auxiliary to that word."""
    subject = next((c for c in cue.children if c.dep_ == "nsubjpass"), None)
    if subject is None or cue.lemma_.lower() not in PASSIVE_CUES or any(c.dep_ == "agent" for c in cue.children):
        return None
    rest = next((c for c in cue.children if c.dep_ == "xcomp" and c.i > cue.i), None)
    link = next((c for c in rest.children if c.dep_ == "aux" and c.lower_ == "to"), None) if rest is not None else None
    if rest is None:
        link = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ in ("of", "to") and c.i == cue.i + 1), None)
        rest = next((c for c in link.children if c.dep_ in ("pcomp", "pobj")), None) if link is not None else None
    if rest is None or link is None:
        return None
    auxiliaries = [c for c in cue.children if c.dep_ in ("aux", "auxpass") and c.i < cue.i]
    first = min([cue, *auxiliaries], key=lambda t: t.i)
    tail = [t for t in rest.subtree if t.i > link.i] if link.head == rest else list(rest.subtree)
    subject_tokens = [t for t in subject.subtree if t.i < first.i]
    if len(tail) < 2 or not subject_tokens or subject.pos_ == "PRON":
        return None
    pieces = [_clause_bounds(article.text, subject_tokens[0].idx, subject_tokens[-1].idx + len(subject_tokens[-1])),
              _clause_bounds(article.text, tail[0].idx, tail[-1].idx + len(tail[-1]))]
    return _Quote(cue, "indirect", pieces, cue_span=(first.idx, link.idx + len(link)), unattributed=True)


def _accusation(article: _Article, cue) -> _Quote | None:
    """"They accuse him of turning ...": what the accused is said to have done, in two pieces, the
    accused and the act (§2.2)."""
    if cue.lemma_.lower() not in ("accuse", "charge", "blame") or _is_passive(cue):
        return None
    accused = next((c for c in cue.children if c.dep_ == "dobj"), None)
    of = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ in ("of", "for", "with")), None)
    act = next((c for c in of.children if c.dep_ in ("pcomp", "pobj")), None) if of is not None else None
    if accused is None or act is None or accused.i > of.i:
        return None
    pieces = [(min(t.idx for t in accused.subtree), max(t.idx + len(t) for t in accused.subtree)),
              (min(t.idx for t in act.subtree), max(t.idx + len(t) for t in act.subtree))]
    return _Quote(cue, "indirect", [_clause_bounds(article.text, a, b) for a, b in pieces])


EVIDENTIAL = frozenset({"reportedly", "allegedly", "purportedly", "supposedly"})


def _evidential(article: _Article, adverb, sourced: set[int]) -> _Quote | None:
    """"X is reportedly preparing ...", with no source in the sentence: an unattributed quote whose
    cue is the adverb and whose content is the clause around it, in two pieces (§2.2)."""
    if adverb.lower_ not in EVIDENTIAL or adverb.sent.start in sourced or article.quoted(adverb):
        return None
    clause = adverb.head
    tokens = [t for t in clause.subtree if t.i != adverb.i]
    before = [t for t in tokens if t.i < adverb.i]
    after = [t for t in tokens if t.i > adverb.i]
    pieces = [_clause_bounds(article.text, run[0].idx, run[-1].idx + len(run[-1])) for run in (before, after)
              if any(not t.is_punct for t in run)]
    if sum(len(article.text[a:b].split()) for a, b in pieces) < 3:
        return None
    return _Quote(adverb, "indirect", pieces, cue_span=(adverb.idx, adverb.idx + len(adverb)), unattributed=True)


def _indirect(article: _Article, cues) -> list[_Quote]:
    found = []
    sourced = {cue.sent.start for cue in cues if _according(cue) or
               (not _is_passive(cue) and _subject(cue) is not None)}
    found.extend(q for q in (_evidential(article, t, sourced) for t in article.doc if t.lower_ in EVIDENTIAL) if q)
    for cue in cues:
        passive = _passive(article, cue) if cue.sent.start not in sourced else None  # "..., officials said": their hedge
        special = passive or _accusation(article, cue)
        if special is not None:
            found.append(special)
            continue
        clause = _governed_clause(cue)
        if clause is None:
            continue
        spans = _clause_spans(cue, clause, article)
        if not spans:
            continue
        inside = [p for p in article.pieces if any(start <= p.end and p.start <= end for start, end in spans)]
        outside_words = [word for start, end in spans for word in "".join(
            ch for i, ch in enumerate(article.text[start:end], start)
            if ch not in OPENING + CLOSING and not any(p.start <= i < p.end for p in inside)).split()]
        if len(outside_words) < 2:  # the clause is the quoted words: a direct quote, found below
            continue
        for piece in inside:
            piece.used = True
        found.append(_Quote(cue, "mixed" if inside else "indirect", spans))
    return found


def _attribution_only(sentence, cue, article: _Article) -> bool:
    """A sentence (or the part outside quotation marks) that is only "X said" or "X said:"."""
    outside = [t for t in sentence if not article.quoted(t) and not t.is_punct]
    return len(outside) <= 12 and cue.sent == sentence


def _direct(article: _Article, cues, indirect: list[_Quote]) -> list[_Quote]:
    """Quoted pieces to cues, paragraph by paragraph, with continuation pieces: a quoted piece with
    no cue of its own continues the quote just before it (a paraphrase continued in the speaker's
    own words makes that quote mixed: §2.4)."""
    taken = {q.cue.i for q in indirect}
    paraphrases = sorted(((q.content[-1][1], q) for q in indirect), key=lambda x: x[0])
    # a cue with no speaker ("mentioned", "adding the words") names or cites, it does not quote
    free = [c for c in cues if c.i not in taken and c.lemma_.lower() not in CLAUSE_ONLY and _subject(c) is not None]
    by_paragraph: dict[int, list] = {}
    for cue in free:
        by_paragraph.setdefault(article.paragraph_of(cue.idx), []).append(cue)
    quotes: list[_Quote] = []
    last: _Quote | None = None
    last_paragraph = -2
    last_open = False
    for piece in article.pieces:
        if piece.used:
            continue
        start, end = _content_bounds(article.text, piece.start, piece.end)
        words = len(article.text[start:end].split())
        if words < MIN_DIRECT_WORDS:
            continue
        cue = _cue_for(piece, by_paragraph.get(piece.paragraph, []), article)
        if cue is not None:
            quote = next((q for q in quotes if q.cue is cue), None)
            if quote is None:
                quote = _Quote(cue, "direct")
                quotes.append(quote)
        else:
            before = [(end, q) for end, q in paraphrases if end <= piece.start]
            if before and (last is None or before[-1][0] > last.content[-1][1]):
                paraphrase = before[-1][1]
                if article.paragraph_of(before[-1][0]) == piece.paragraph and \
                        not article.text[before[-1][0]:piece.start].strip(" .,;:“\""):
                    paraphrase.content.append((start, end))
                    paraphrase.kind = "mixed"
                    piece.used = True
                continue
            if last is not None and (last_paragraph == piece.paragraph or (
                    last_paragraph == piece.paragraph - 1 and (last_open or _opens_paragraph(article, piece)))):
                quote = last  # a further piece of the same speaker's quote (§2.4)
            else:
                continue
        quote.content.append((start, end))
        piece.used = True
        last, last_paragraph, last_open = quote, piece.paragraph, not piece.closed
    return quotes


def _opens_paragraph(article: _Article, piece: Quoted) -> bool:
    return article.text[article.paragraph_starts[piece.paragraph]:piece.start].strip() in ("“", '"')


def _cue_for(piece: Quoted, cues, article: _Article):
    """The cue of a quoted piece: in a sentence the piece overlaps, else in the sentence right after
    or right before it in the paragraph when that sentence is only an attribution."""
    doc = article.doc
    first = doc.char_span(piece.start, piece.end, alignment_mode="expand")
    if first is None:
        return None
    by_sentence = article.cues_by_sentence(cues)
    opening, closing = first[0].sent, first[-1].sent
    same = [c for start in {opening.start, closing.start} for c in by_sentence.get(start, ())
            if not (piece.start <= c.idx < piece.end)]
    if same:
        return min(same, key=lambda c: min(abs(c.idx - piece.start), abs(c.idx - piece.end)))
    for cue in by_sentence.get(closing.end, ()):  # the sentence right after starts where this one ends
        if _attribution_only(cue.sent, cue, article):
            return cue
    if opening.start > 0 and article.text[:piece.start].rstrip().rstrip("“\"").rstrip().endswith((":", ",")):
        for cue in by_sentence.get(doc[opening.start - 1].sent.start, ()):
            if _attribution_only(cue.sent, cue, article):
                return cue
    return None


def speaker_kind(subject, span: tuple[int, int] | None, article: _Article) -> str:
    """What the speaker is, from the head of its phrase (§2.3)."""
    if subject is None or span is None:
        return "unattributed"
    if subject.pos_ == "PRON" or subject.lower_ in PERSON_PRONOUNS | THING_PRONOUNS | {"they", "we", "i", "you"}:
        return "pronoun"
    # the head, a name in apposition or after it ("curator Elaine Gustafson"), an issuer's possessive
    heads = [subject] + [c for c in subject.children if c.dep_ == "appos" or (c.i > subject.i and c.pos_ == "PROPN")]
    labels = [article.entity_label(head) for head in heads]
    if "PERSON" in labels:
        return "named_person"
    issuers = [article.entity_label(c) for c in subject.children if c.dep_ == "poss"]
    if any(label in ("ORG", "GPE", "NORP") for label in labels + issuers):  # "PC World's recent analysis"
        return "named_organization"
    if subject.pos_ == "PROPN" and subject.text[:1].isupper() and not any(
            c.dep_ == "det" for c in subject.children):  # a name the model did not type; not "the Finance Minister"
        return "named_person"
    if any(e.label == "PERSON" and e.text.split()[-1] == subject.text for e in article.entities):
        return "named_person"  # a surname of a person named before ("Waters said")
    return "anonymous"


def _refers_to(subject, article: _Article) -> Span | None:
    """The nearest earlier mention a pronoun speaker can stand for: a person for he/she, an
    organisation or place for it; none for they (a group: §2.3)."""
    word = subject.lower_
    labels = {"PERSON"} if word in PERSON_PRONOUNS else {"ORG", "GPE"} if word in THING_PRONOUNS else set()
    earlier = [e for e in article.entities if e.label in labels and e.end <= subject.idx]
    if not earlier:
        return None
    e = earlier[-1]
    return Span(e.start, e.end, e.text)


def _proposal(quote: _Quote, article: _Article) -> QuoteProposal:
    subject = None if quote.unattributed else _subject(quote.cue)
    span = _speaker_span(subject, article) if subject is not None else None
    kind = speaker_kind(subject, span, article)
    text = article.text
    content = sorted(set(quote.content))
    return QuoteProposal(
        kind=quote.kind,
        content=[Span.of(text, a, b) for a, b in content],
        speaker=Span.of(text, *span) if span else None,
        cue=Span.of(text, *(quote.cue_span or _cue_span(quote.cue))),
        speaker_kind=kind,
        speaker_refers_to=_refers_to(subject, article) if kind == "pronoun" else None)


def _own_beliefs_removed(quotes: list[_Quote]) -> list[_Quote]:
    """"X said he believes ...": a pronoun's belief verb inside another quote's content attributes
    nothing new (§2.6), so it is not a second quote."""
    def inside_another(q: _Quote) -> bool:
        subject = _subject(q.cue)
        return subject is not None and subject.pos_ == "PRON" and any(
            other is not q and any(a <= q.cue.idx < b for a, b in other.content) for other in quotes)
    return [q for q in quotes if not inside_another(q)]


_PULL_QUOTE = re.compile(r"\s*[“\"](?P<content>[^“”\"]{2,})[”\"]\s*[-—–]{1,2}\s*(?P<speaker>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,4})\s*$")


def _pull_quotes(article: _Article) -> list[QuoteProposal]:
    """A paragraph that is a quotation and a dash with a name after it ("..." - Matthew Ingram): a
    direct quote of that name, with no cue (§2.3, pull quotes)."""
    found = []
    for number, start in enumerate(article.paragraph_starts):
        end = article.text.find("\n", start)
        m = _PULL_QUOTE.match(article.text, start, len(article.text) if end < 0 else end)
        if not m:
            continue
        content = _content_bounds(article.text, m.start("content"), m.end("content"))
        for piece in article.pieces:
            if piece.paragraph == number:
                piece.used = True
        named = [e.label for e in article.entities if m.start("speaker") <= e.start < m.end("speaker")]
        kind = "named_organization" if named and "PERSON" not in named and set(named) & {"ORG", "GPE", "NORP"} \
            else "named_person"
        found.append(QuoteProposal("direct", [Span.of(article.text, *content)],
                                   Span.of(article.text, m.start("speaker"), m.end("speaker")), None, kind))
    return found


def _unresolved_after_anonymous(quotes: list[QuoteProposal]) -> None:
    """A pronoun whose nearest earlier speaker is an anonymous source refers to that source, which
    is never resolved (§2.3): no link to a name further back."""
    speakers = [(q.speaker.start, q) for q in quotes if q.speaker is not None]
    for quote in quotes:
        if quote.speaker_refers_to is None:
            continue
        before = [q for start, q in speakers if quote.speaker_refers_to.end <= start < quote.speaker.start]
        if any(q.speaker_kind == "anonymous" for q in before):
            quote.speaker_refers_to = None


def quotes_of(doc, entities: list[EntityProposal]) -> list[QuoteProposal]:
    """The quotes of a parsed text, in text order of their first piece."""
    article = _Article(doc, entities)
    pulled = _pull_quotes(article)
    cues = [t for t in doc if _is_cue(t, article) or _according(t)]
    indirect = _own_beliefs_removed(_indirect(article, cues))
    direct = _direct(article, cues, indirect)
    quotes = [q for q in indirect + direct if q.content]
    proposals = sorted([_proposal(q, article) for q in quotes] + pulled, key=lambda q: (q.content[0].start, q.content[0].end))
    _unresolved_after_anonymous(proposals)
    return proposals
