"""Rule-based pre-annotation: what a program can propose before an annotator starts.

Two sources, each deliberately precise rather than complete (an annotator deletes a wrong region
more slowly than they add a missing one):

- direct quotes: text in quotation marks attributed in the same paragraph by a cue verb ("...,"
  the source said / As one defense official put it, "..."), with the nearest speaker phrase; a
  second quoted piece in the paragraph without its own attribution continues the same quote;
- indirect quotes with "according to X" and sentence-initial "X said/told ... (that)";
- entity mentions from a list of known entities, matched whole-word, when a caller gives one.

``preannotate(text)`` returns regions and relations; ``labelstudio.push`` sends them as a
prediction with ``MODEL_VERSION``. Push gives no known entities: what an annotator is shown comes
from the text alone, never from gold or another annotator.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .regions import Region, Relation

MODEL_VERSION = "whosaidwhat-rules-1"
CUE_VERBS = ("said", "says", "say", "told", "tells", "added", "adds", "stated", "explained", "noted", "warned",
             "wrote", "writes", "asked", "replied", "claimed", "insisted", "argued", "declared", "continued",
             "recalled", "admitted", "acknowledged", "put it")
_CUE = "|".join(sorted((re.escape(c).replace(r"\ ", r"\s+") for c in CUE_VERBS), key=len, reverse=True))
_WORD = r"[\w’'.\-]+"
_SPEAKER = rf"(?:{_WORD}\s+){{0,5}}?{_WORD}"
_QUOTED = re.compile(r"“([^”\n]+)”|\"([^\"\n]+)\"")
_AFTER = re.compile(rf"^\s*(?:(?P<speaker>{_SPEAKER})\s+(?P<cue>{_CUE})|(?P<cue2>{_CUE})\s+(?P<speaker2>{_SPEAKER}))\b(?=[\s.,;]|$)")
_BEFORE = re.compile(rf"(?P<speaker>{_SPEAKER})\s+(?P<cue>{_CUE})(?:\s+\w+)?\s*[,:]\s*$")
_ACCORDING_FIRST = re.compile(r"^(?P<cue>According to)\s+(?P<speaker>[^,]{2,60}?),\s+(?P<content>[^“”\"]+?)[.!?]?$")
_ACCORDING_LAST = re.compile(r"^(?P<content>[^“”\"]+?),\s+(?P<cue>according to)\s+(?P<speaker>[^,]{2,60}?)[.!?]$")
_SAID_THAT = re.compile(rf"^(?P<speaker>{_SPEAKER})\s+(?P<cue>said|say|says|told\s+{_SPEAKER}?\s*that|believe|believes)\s+(?:that\s+)?(?P<content>[^“”\"]+?)[.!?]$")
_SENTENCE_END = re.compile(r"[.!?][”\"’]?\s+(?=[A-Z“\"])")
_ABBREVIATION = re.compile(r"(?:\b(?:[A-Z]\.)+|\b(?:Mr|Mrs|Ms|Dr|St|Sen|Rep|Gov|Gen|Lt|Col|Jr|Sr|Jan|Feb|Aug|Sept|Oct|Nov|Dec|No|vs)\.)$")
_LEADING = {"as", "and", "but", "while", "when", "then", "so", "also", "yet"}
PRONOUNS = {"he", "she", "they", "it", "i", "we", "you"}
ANONYMOUS_HEADS = {"official", "officials", "source", "sources", "spokesperson", "spokesman", "spokeswoman",
                   "aide", "aides", "person", "people", "diplomat", "diplomats", "officer", "officers", "insider",
                   "insiders", "someone", "witness", "witnesses", "resident", "residents", "analyst", "analysts"}
ORGANIZATION_WORDS = {"herald", "times", "post", "house", "department", "ministry", "agency", "office", "council",
                      "party", "news", "reuters", "politics", "journal", "government", "administration", "committee",
                      "court", "police", "army", "press", "tribune", "guardian", "bureau", "commission", "union"}
STOP_FOR_ENTITIES = re.compile(r"^\W*$")


@dataclass(frozen=True)
class KnownEntity:
    text: str
    label: str
    key: str | None


def region_id(*parts: object) -> str:
    """A short id that stays the same for the same proposal, so a repeated push is identical."""
    return "p" + hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()[:9]


def speaker_kind(speaker: str) -> str:
    words = speaker.split()
    lowered = [w.lower().strip(".,") for w in words]
    if len(words) == 1 and lowered[0] in PRONOUNS:
        return "pronoun"
    if lowered and lowered[-1] in ANONYMOUS_HEADS:
        return "anonymous"
    if lowered and lowered[-1] in ORGANIZATION_WORDS:
        return "named_organization"
    if any(w[:1].isupper() for w in words[1:]) or (len(words) == 1 and words[0][:1].isupper()):
        return "named_person"
    return "anonymous"


def _trim(start: int, end: int, text: str) -> tuple[int, int]:
    """Drop a leading conjunction ("As one official put it") and surrounding spaces/commas."""
    while start < end and text[start] in " ,":
        start += 1
    first = re.match(r"(\w+)\s+", text[start:end])
    if first and first.group(1).lower() in _LEADING:
        start += first.end()
    while end > start and text[end - 1] in " ,.":
        end -= 1
    return start, end


@dataclass
class _Builder:
    text: str
    regions: list[Region]
    relations: list[Relation]

    def region(self, layer: str, label: str, start: int, end: int, **choices: str) -> Region:
        region = Region(region_id(layer, label, start, end), layer, label, start, end, self.text[start:end],
                        dict(choices))
        if all(r.id != region.id for r in self.regions):
            self.regions.append(region)
        return region

    def quote(self, contents: list[tuple[int, int]], kind: str, speaker: tuple[int, int], cue: tuple[int, int]) -> None:
        speaker_region = self.region("quote", "speaker", *speaker)
        cue_region = self.region("quote", "cue", *cue)
        for start, end in contents:
            content = self.region("quote", "content", start, end, quote_kind=kind,
                                  speaker_kind=speaker_kind(speaker_region.text))
            self.relations.append(Relation(speaker_region.id, content.id, "speaker_of"))
            self.relations.append(Relation(cue_region.id, content.id, "cue_of"))


def _content_span(match: re.Match, offset: int) -> tuple[int, int]:
    group = 1 if match.group(1) is not None else 2
    start, end = match.start(group) + offset, match.end(group) + offset
    return start, end - 1 if match.group(group).endswith(",") else end


def _direct_quotes(b: _Builder, paragraph: str, offset: int) -> set[int]:
    """Quoted pieces with an attribution; returns the sentence starts they cover."""
    pieces = list(_QUOTED.finditer(paragraph))
    attribution = None
    covered: set[int] = set()
    for i, piece in enumerate(pieces):
        following = paragraph[piece.end():pieces[i + 1].start() if i + 1 < len(pieces) else len(paragraph)]
        preceding = paragraph[pieces[i - 1].end() if i else 0:piece.start()]
        after = _AFTER.match(following.lstrip(",").split(".")[0] + " ")
        before = _BEFORE.search(preceding)
        if after:
            skip = piece.end() + len(following) - len(following.lstrip(",")) + offset
            speaker = after.group("speaker") and after.span("speaker") or after.span("speaker2")
            cue = after.group("cue") and after.span("cue") or after.span("cue2")
            attribution = (_trim(speaker[0] + skip, speaker[1] + skip, b.text), (cue[0] + skip, cue[1] + skip))
        elif before:
            base = (pieces[i - 1].end() if i else 0) + offset
            attribution = (_trim(before.start("speaker") + base, before.end("speaker") + base, b.text),
                           (before.start("cue") + base, before.end("cue") + base))
        elif attribution is None:
            continue
        b.quote([_content_span(piece, offset)], "direct", *attribution)
        covered.add(piece.start())
    return covered


def sentences(paragraph: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence: a split after . ! ? before a capital, but not after an
    abbreviation such as "U.S." or "Sen."."""
    start = 0
    for m in _SENTENCE_END.finditer(paragraph):
        if _ABBREVIATION.search(paragraph[start:m.start() + 1]):
            continue
        yield start, m.end() - len(m.group()) + len(m.group().rstrip())
        start = m.end()
    if paragraph[start:].strip():
        yield start, len(paragraph.rstrip())


def _indirect_quotes(b: _Builder, paragraph: str, offset: int) -> None:
    for start, end in sentences(paragraph):
        body = paragraph[start:end]
        if not body or _QUOTED.search(body):
            continue
        base = offset + start
        for pattern in (_ACCORDING_FIRST, _ACCORDING_LAST, _SAID_THAT):
            m = pattern.match(body)
            if not m:
                continue
            speaker = _trim(m.start("speaker") + base, m.end("speaker") + base, b.text)
            cue_end = m.start("cue") + base + len(m.group("cue").split()[0]) if pattern is _SAID_THAT else m.end("cue") + base
            content = _trim(m.start("content") + base, m.end("content") + base, b.text)
            if speaker[1] - speaker[0] > 1 and content[1] - content[0] > 10:
                b.quote([content], "indirect", speaker, (m.start("cue") + base, cue_end))
            break


def _entities(b: _Builder, known: Iterable[KnownEntity]) -> None:
    taken: list[tuple[int, int]] = [(r.start, r.end) for r in b.regions if r.layer == "entity"]
    for entity in sorted({e for e in known if not STOP_FOR_ENTITIES.match(e.text)}, key=lambda e: (-len(e.text), e.text)):
        for m in re.finditer(rf"(?<!\w){re.escape(entity.text)}(?!\w)", b.text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            region = b.region("entity", entity.label, m.start(), m.end())
            if entity.key:
                region.texts["entity_key"] = entity.key
            taken.append((m.start(), m.end()))


def _paragraphs(text: str) -> Iterator[tuple[str, int]]:
    offset = 0
    for paragraph in text.split("\n"):
        yield paragraph, offset
        offset += len(paragraph) + 1


def preannotate(text: str, known_entities: Iterable[KnownEntity] = ()) -> tuple[list[Region], list[Relation]]:
    """Proposed regions and relations for one article text."""
    b = _Builder(text, [], [])
    for paragraph, offset in _paragraphs(text):
        _direct_quotes(b, paragraph, offset)
        _indirect_quotes(b, paragraph, offset)
    _entities(b, known_entities)
    return b.regions, b.relations
