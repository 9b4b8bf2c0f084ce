"""The ``ner`` config: one row per paragraph, ``tokens`` and IOB2 ``ner_tags``, CoNLL-2003 style.

Tokeniser (stated in the dataset card): a regular expression that keeps abbreviations with inner
full stops ("U.S."), words with inner hyphens or apostrophes ("narco-state", "O’Neill") and numbers
with separators ("70,000") whole, splits off the possessive clitic ("Maduro" "’s") and every other
punctuation mark; then every token is also split at each entity mention boundary, so every gold
mention is a whole number of tokens and no mention is lost to tokenisation. Tags: IOB2 (a mention
starts with B-, continues with I-). Token offsets are kept, so tokens can be restored from the
article text in a standoff copy.

``tokens`` and ``ner_rows`` are the definition, an article at a time (and what agreement uses). A
build makes the config with ``release.ner.ner_table``, the same rows for many articles at once.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from itertools import accumulate

TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}"                  # U.S., a.m.
    r"|\d+(?:[.,:]\d+)*"                  # 70,000  2.5  10:30
    r"|[’']s\b"                           # possessive clitic
    r"|\w++(?:(?=[’'\-])(?:[’'\-]\w++)*?(?=[’']s\b(?![’'\-]\w))"  # a word before its clitic: Maduro | ’s,
    r"|(?![’'\-]))"                       # O’Neill | ’s; or a word that ends at no ’ ' - (most words: one scan)
    r"|\w++(?:[’'\-]\w++)*+"              # words, hyphenated words, O'Neill
    r"|\S"                                # any other single character
)  # possessive quantifiers (++, *+) and the (?=[’'-]) guard keep the engine from backtracking through
   # every word: a third of a build's time went to this pattern before
_SPLIT = re.compile(f"({TOKEN.pattern})")


def tokens(text: str) -> tuple[list[int], list[int], list[str]]:
    """Starts, ends and strings of the tokens of ``text``. ``re.split`` with the token pattern as a
    group alternates the whitespace between tokens and the tokens, so their offsets are running sums
    of lengths: no Python step per token (a build tokenises tens of millions of them)."""
    parts = _SPLIT.split(text)
    bounds = list(accumulate(map(len, parts), initial=0))
    return bounds[1:-1:2], bounds[2::2], parts[1::2]


def _split_at(starts: list[int], ends: list[int], words: list[str], cuts: set[int]) -> None:
    """Split, in place, every token that a mention boundary (an offset in ``cuts``) falls inside."""
    for cut in sorted(cuts, reverse=True):  # from the right, so indexes to the left stay valid
        i = bisect_right(starts, cut) - 1
        if i < 0 or not (starts[i] < cut < ends[i]):
            continue
        inner = cut - starts[i]
        starts.insert(i + 1, cut)
        ends.insert(i, cut)
        words[i:i + 1] = [words[i][:inner], words[i][inner:]]


def ner_rows(article: dict, mentions: list[dict]) -> Iterator[dict]:
    """One row per non-empty paragraph of the article, tags from the (non-overlapping) mentions.
    The whole text is tokenised and tagged at once (no token crosses a line break, and a mention
    across one tags nothing), then cut into paragraphs: per-paragraph passes were half the time
    of a build."""
    text, article_id = article["text"], article["article_id"]
    starts, ends, words = tokens(text)
    inside = sorted((m for m in mentions if "\n" not in text[m["start"]:m["end"]]), key=lambda m: (m["start"], -m["end"]))
    _split_at(starts, ends, words, {p for m in inside for p in (m["start"], m["end"])})
    tags = ["O"] * len(words)
    for m in inside:  # tokens are sorted and disjoint: those inside a mention are one run
        covered = range(bisect_left(starts, m["start"]), bisect_right(ends, m["end"]))
        if covered and all(tags[i] == "O" for i in covered):
            tags[covered[0]] = f"B-{m['label']}"
            for i in covered[1:]:
                tags[i] = f"I-{m['label']}"
    paragraph_starts = list(accumulate((len(line) + 1 for line in text.split("\n")), initial=0))
    first = 0
    for number, end in enumerate(paragraph_starts[1:]):
        last = bisect_left(starts, end, first)
        if last > first:
            yield {"id": f"{article_id}:{number}", "article_id": article_id, "paragraph": number, "tokens": words[first:last],
                   "token_start": starts[first:last], "token_end": ends[first:last], "ner_tags": tags[first:last]}
        first = last
