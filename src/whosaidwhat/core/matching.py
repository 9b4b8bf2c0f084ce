"""How two annotators' spans are matched: shared by the layers' agreement measures and adjudication.

Entities and claims match exactly (same offsets, and same label for entities) or by overlap (same
label, spans overlap). Quotes match by the token overlap of their content, |A ∩ B| / max(|A|, |B|)
over the article's tokens (the tokeniser of the ``ner`` config), at a threshold. Matching is
one-to-one and greedy: the best-overlapping pair first, ties broken by text order, so every record
is matched at most once.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .tokenizer import tokens


@dataclass(frozen=True)
class Tokens:
    """The article's tokens, to turn character spans into token index sets."""

    starts: list[int]
    ends: list[int]

    @classmethod
    def of(cls, text: str) -> "Tokens":
        starts, ends, _ = tokens(text)
        return cls(starts, ends)

    def inside(self, start: int, end: int) -> set[int]:
        """Tokens that overlap [start, end)."""
        first = bisect_right(self.ends, start)
        last = bisect_left(self.starts, end)
        return set(range(first, last))

    def of_spans(self, spans) -> set[int]:
        """Tokens that overlap any of ``spans``."""
        tokens: set[int] = set()
        for span in spans:
            tokens |= self.inside(span["start"], span["end"])
        return tokens


def span_key(record: dict) -> tuple[int, int]:
    return record["start"], record["end"]


def overlaps(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def greedy_match(a: Sequence[dict], b: Sequence[dict], score: Callable[[dict, dict], float],
                 threshold: float) -> list[tuple[int, int, float]]:
    """One-to-one pairs (index in a, index in b, score) with score >= threshold, best first."""
    candidates = sorted(((score(x, y), i, j) for i, x in enumerate(a) for j, y in enumerate(b)),
                        key=lambda c: (-c[0], c[1], c[2]))
    used_a, used_b, pairs = set(), set(), []
    for value, i, j in candidates:
        if value >= threshold and value > 0 and i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j, value))
    return pairs


def span_score(label_field: str | None) -> Callable[[dict, dict], float]:
    """1 for the same span (and label), a fraction for overlapping spans, 0 otherwise."""
    def score(x: dict, y: dict) -> float:
        if label_field and x[label_field] != y[label_field]:
            return 0.0
        if not overlaps(x, y):
            return 0.0
        shared = min(x["end"], y["end"]) - max(x["start"], y["start"])
        return shared / max(x["end"] - x["start"], y["end"] - y["start"])
    return score


def same_span(a: dict | None, b: dict | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and span_key(a) == span_key(b))
