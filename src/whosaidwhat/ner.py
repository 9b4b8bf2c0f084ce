"""The ``ner`` config: one row per paragraph, ``tokens`` and IOB2 ``ner_tags``, CoNLL-2003 style.

Tokeniser (stated in the dataset card): a regular expression that keeps abbreviations with inner
full stops ("U.S."), words with inner hyphens or apostrophes ("narco-state", "O’Neill") and numbers
with separators ("70,000") whole, splits off the possessive clitic ("Maduro" "’s") and every other
punctuation mark; then every token is also split at each entity mention boundary, so every gold
mention is a whole number of tokens and no mention is lost to tokenisation. Tags: IOB2 (a mention
starts with B-, continues with I-). Token offsets are kept, so tokens can be restored from the
article text in a standoff copy.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}"                  # U.S., a.m.
    r"|\d+(?:[.,:]\d+)*"                  # 70,000  2.5  10:30
    r"|[’']s\b"                           # possessive clitic
    r"|\w+(?:[’'\-]\w+)*(?<![’'])"        # words, hyphenated words, O'Neill (not ending in ’)
    r"|\S"                                # any other single character
)


def tokenize(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token of ``text``."""
    spans = []
    for m in TOKEN.finditer(text):
        start, end = m.span()
        word = m.group()
        if len(word) > 2 and re.search(r"\w[’']s$", word):  # the clitic, also after O’Neill
            spans.extend([(start, end - 2), (end - 2, end)])
        else:
            spans.append((start, end))
    return spans


def _split_at(tokens: list[tuple[int, int]], cuts: set[int]) -> list[tuple[int, int]]:
    ordered = sorted(cuts)
    out = []
    for start, end in tokens:
        inner = ordered[bisect_right(ordered, start):bisect_left(ordered, end)]
        if not inner:
            out.append((start, end))
            continue
        points = [start, *inner, end]
        out.extend((a, b) for a, b in zip(points, points[1:]) if a < b)
    return out


def ner_rows(article: dict, mentions: list[dict]) -> Iterator[dict]:
    """One row per non-empty paragraph of the article, tags from the (non-overlapping) mentions."""
    text = article["text"]
    offset = 0
    for number, paragraph in enumerate(text.split("\n")):
        end_of_paragraph = offset + len(paragraph)
        inside = sorted((m for m in mentions if offset <= m["start"] and m["end"] <= end_of_paragraph),
                        key=lambda m: (m["start"], -m["end"]))
        tokens = [(a + offset, b + offset) for a, b in tokenize(paragraph)]
        tokens = _split_at(tokens, {p for m in inside for p in (m["start"], m["end"])})
        tags = ["O"] * len(tokens)
        for m in inside:
            covered = [i for i, (a, b) in enumerate(tokens) if m["start"] <= a and b <= m["end"]]
            if covered and all(tags[i] == "O" for i in covered):
                tags[covered[0]] = f"B-{m['label']}"
                for i in covered[1:]:
                    tags[i] = f"I-{m['label']}"
        if tokens:
            yield {"id": f"{article['article_id']}:{number}", "article_id": article["article_id"], "paragraph": number,
                   "tokens": [text[a:b] for a, b in tokens], "token_start": [a for a, _ in tokens],
                   "token_end": [b for _, b in tokens], "ner_tags": tags}
        offset = end_of_paragraph + 1
