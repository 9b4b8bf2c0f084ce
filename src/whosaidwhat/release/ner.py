"""The ``ner`` config as Arrow columns: ``ner_table`` gives, for many articles at once, the table
that encoding ``core.tokenizer.ner_rows`` of each article gives, tokenised and tagged with numpy over their code
points and with the token strings cut from the UTF-8 bytes of their texts (the pattern and a Python
object per token were half of a build worker's time). Tests pin it to the definition in ``core.tokenizer``
over generated texts and mentions; a 10,000-article release is the same bytes either way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate

import numpy as np
import pyarrow as pa

from .features import config_encoder, ner_tag_ids
from ..core.tokenizer import tokens

# Character classes of the pattern, a bit each, for every code point.
_SPACE, _WORD, _DIGIT, _APOSTROPHE, _JOINER = 1, 2, 4, 8, 16


@lru_cache(maxsize=1)
def character_classes() -> np.ndarray:
    """The class bits of every code point, taken from ``re`` itself (``\\s``, ``\\w``, ``\\d`` of a str
    pattern), so they are the pattern's classes by construction, in this Python's Unicode version."""
    table = np.zeros(0x110000, np.uint8)
    every = np.arange(0x110000, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")  # every code point
    for bit, pattern in ((_SPACE, r"\s+"), (_WORD, r"\w+"), (_DIGIT, r"\d+")):
        for m in re.finditer(pattern, every):
            table[m.start():m.end()] |= bit
    for char in "’'":
        table[ord(char)] |= _APOSTROPHE
    for char in ".,:-":
        table[ord(char)] |= _JOINER
    return table


def _shift(flags: np.ndarray, by: int) -> np.ndarray:
    """``flags`` moved ``by`` places right (positive) or left, False where nothing moved in."""
    out = np.zeros_like(flags)
    if by > 0:
        out[by:] = flags[:-by]
    else:
        out[:by] = flags[-by:]
    return out


def token_bounds(text: str, points: np.ndarray | None = None,
                 classes: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of the tokens of ``text``, as ``tokens`` gives them, computed for the whole
    text at once (``points``, ``classes``: its code points and their classes, if already known).
    The pattern never matches whitespace and looks past a match only at characters that
    whitespace and the end of the text answer alike, so runs of non-whitespace ("words") are
    tokenised independently. Most words need nothing of the pattern but this: a run of word
    characters is one token (a leading run of digits is one of its own), any other character is a
    token by itself. A word with an apostrophe, or with ``. , : -`` before a word character
    (abbreviations, numbers, hyphenated words, clitics), is tokenised by the pattern itself."""
    points = np.frombuffer(text.encode("utf-32-le"), "<u4") if points is None else points
    classes = character_classes()[points] if classes is None else classes
    inside, word = (classes & _SPACE) == 0, (classes & _WORD) != 0
    before_word, after_word = _shift(word, -1), _shift(word, 1)
    word_first = inside & ~_shift(inside, 1)
    word_last = inside & ~_shift(inside, -1)
    begins = inside & (~word | ~after_word)
    digit = (classes & _DIGIT) != 0
    for i in np.flatnonzero(word & after_word & ~digit & _shift(digit, 1)).tolist():  # 1990s: "1990" "s"
        j = i - 1
        while j >= 0 and digit[j]:
            j -= 1
        begins[i] = j < 0 or not word[j]  # the digits start their run of word characters
    starts = np.flatnonzero(begins)
    ends = np.flatnonzero((_shift(begins, -1) | word_last) & inside) + 1
    firsts, lasts = np.flatnonzero(word_first), np.flatnonzero(word_last)
    special = np.flatnonzero(((classes & _APOSTROPHE) != 0) | (((classes & _JOINER) != 0) & before_word))
    if not len(special):
        return starts, ends
    hard = np.unique(np.searchsorted(firsts, special, "right") - 1)
    keep = np.ones(len(firsts), bool)
    keep[hard] = False
    kept = keep[np.searchsorted(firsts, starts, "right") - 1]
    extra_starts, extra_ends = [], []
    for first, last in zip(firsts[hard].tolist(), lasts[hard].tolist()):
        s, e, _ = tokens(text[first:last + 1])
        extra_starts.extend(first + x for x in s)
        extra_ends.extend(first + x for x in e)
    starts = np.concatenate([starts[kept], np.array(extra_starts, np.int64)])
    ends = np.concatenate([ends[kept], np.array(extra_ends, np.int64)])
    order = np.argsort(starts, kind="stable")
    return starts[order], ends[order]


def ner_table(articles: Sequence[tuple[dict, list[dict]]]) -> pa.Table:
    """The ``ner`` rows of ``articles`` ((article, its gold entity mentions), in order) as one
    Arrow table: what encoding ``ner_rows`` of each article gives, made from the texts joined by
    spaces, tokenised and tagged with numpy at once. (A text with a lone surrogate cannot be
    encoded, here as in Arrow: the build's ``articles`` rows are refused first.)"""
    schema, tag_ids = config_encoder("ner").schema, ner_tag_ids()
    texts = [article["text"] for article, _ in articles]
    text = " ".join(texts)
    points = np.frombuffer(text.encode("utf-32-le"), "<u4")
    classes = character_classes()[points]
    bases = np.fromiter(accumulate((len(t) + 1 for t in texts[:-1]), initial=0), np.int64, len(texts))
    starts, ends = token_bounds(text, points, classes)
    newlines = np.flatnonzero(points == 10)
    starts, ends, tags = _tagged(starts, ends, articles, bases, newlines, tag_ids)
    article_of = np.searchsorted(bases, starts, "right") - 1
    paragraph = np.searchsorted(newlines, starts) - np.searchsorted(newlines, bases)[article_of]
    new_row = np.ones(len(starts), bool)
    new_row[1:] = (article_of[1:] != article_of[:-1]) | (paragraph[1:] != paragraph[:-1])
    row_first = np.flatnonzero(new_row)
    offsets = pa.array(np.append(row_first, len(starts)).astype(np.int32))
    inside = (classes & _SPACE) == 0  # the tokens are every character that is not whitespace
    encoded = np.frombuffer(text.encode("utf-8"), np.uint8)
    if len(encoded) == len(points):  # ASCII: code point and byte offsets agree
        data, byte_starts, byte_ends = encoded[inside], starts, ends
    else:
        width = 1 + (points >= 0x80).astype(np.int64) + (points >= 0x800) + (points >= 0x10000)
        byte_at = np.concatenate([[0], np.cumsum(width)])
        data, byte_starts, byte_ends = encoded[np.repeat(inside, width)], byte_at[starts], byte_at[ends]
    token_offsets = np.concatenate([[0], np.cumsum(byte_ends - byte_starts)]).astype(np.int32)
    row_article, row_paragraph = article_of[row_first].tolist(), paragraph[row_first].tolist()
    ids = [article["article_id"] for article, _ in articles]
    columns = {
        "id": pa.array([f"{ids[a]}:{p}" for a, p in zip(row_article, row_paragraph)], pa.string()),
        "article_id": pa.array([ids[a] for a in row_article], pa.string()),
        "paragraph": pa.array(np.array(row_paragraph, np.int32)),
        "tokens": pa.StringArray.from_buffers(len(starts), pa.py_buffer(token_offsets), pa.py_buffer(data)),
        "token_start": pa.array((starts - bases[article_of]).astype(np.int32)),
        "token_end": pa.array((ends - bases[article_of]).astype(np.int32)),
        "ner_tags": pa.array(tags),
    }
    return pa.Table.from_arrays([pa.ListArray.from_arrays(offsets, columns[f.name], type=f.type)
                                 if pa.types.is_list(f.type) else columns[f.name] for f in schema], schema=schema)


def _tagged(starts: np.ndarray, ends: np.ndarray, articles: Sequence[tuple[dict, list[dict]]], bases: np.ndarray,
            newlines: np.ndarray, tag_ids: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tokens split at every mention boundary inside them, and their tags (as ``ner_rows`` makes
    them: mentions in order of start, longest first; one that would retag a token is skipped)."""
    mentions = [(base + m["start"], base + m["end"], m["label"]) for base, (_, ms) in zip(bases.tolist(), articles) for m in ms]
    if not mentions or not len(starts):
        return starts, ends, np.zeros(len(starts), np.int64)
    m_starts, m_ends = (np.array(column, np.int64) for column in list(zip(*mentions))[:2])
    inside = np.flatnonzero(np.searchsorted(newlines, m_starts) == np.searchsorted(newlines, m_ends))  # no line break
    inside = inside[np.argsort(m_starts[inside] * (int(m_ends.max()) + 1) - m_ends[inside], kind="stable")]
    cut = np.concatenate([m_starts[inside], m_ends[inside]])
    at = np.maximum(np.searchsorted(starts, cut, "right") - 1, 0)
    within = cut[(starts[at] < cut) & (cut < ends[at])]
    if len(within):
        starts, ends = np.union1d(starts, within), np.union1d(ends, within)
    tags = np.zeros(len(starts), np.int64)
    first = np.searchsorted(starts, m_starts[inside], "left")
    stop = np.searchsorted(ends, m_ends[inside], "right")
    some = stop > first  # a mention that covers no whole token tags nothing
    first, stop, inside = first[some], stop[some], inside[some]
    # A mention that starts after every earlier one ends is tagged; only runs of mentions that
    # overlap need the rule, one at a time (mentions are sorted by start, so runs are independent).
    alone = np.ones(len(first), bool)
    alone[1:] = first[1:] >= np.maximum.accumulate(stop)[:-1]
    taken = alone & np.append(alone[1:], True)
    runs = np.flatnonzero(alone)
    for begin, end in zip(runs.tolist(), np.append(runs[1:], len(first)).tolist()):
        if end - begin > 1:
            tagged = -1  # the tagged tokens of the run end here (mentions taken so far start before it)
            for k in range(begin, end):
                if first[k] >= tagged:
                    taken[k], tagged = True, int(stop[k])
    labels = [mentions[m][2] for m in inside[taken].tolist()]
    a, b = first[taken], stop[taken]
    tags[a] = [tag_ids[f"B-{label}"] for label in labels]
    more = b - a - 1  # the tokens after a mention's first
    tags[np.repeat(a + 1 - np.cumsum(more) + more, more) + np.arange(more.sum())] = np.repeat(
        [tag_ids[f"I-{label}"] for label in labels], more)
    return starts, ends, tags
