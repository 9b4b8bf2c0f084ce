"""How good the proposals are: pre-annotation scored against gold records, an article at a time and
pooled over many (micro-averaged: the counts of every article are summed, then divided).

Pure functions over the records' own shapes: gold records as in ``annotations/records/`` (only
``origin: gold`` ones are used when a whole records file is given) and proposals as ``Proposals``
or its ``to_json()``. No spaCy: ``benchmarks/preannotate.py`` runs the pipeline and calls these.

Tokens are those of the corpus's agreement measures (``core.matching.Tokens``: the tokeniser of the
``ner`` config), so a token overlap here means what it means in the agreement report.

Quotes
    A quote's content is the union of its pieces' tokens. The overlap of a gold and a proposed quote
    is |shared tokens| / |tokens of the LONGER of the two| (symmetric, so a proposal neither too long
    nor too short is rewarded). Gold and proposed quotes are matched one-to-one, greedily, the
    highest overlap first (ties in text order), at each threshold, 0.3 and 0.8: precision, recall
    and F1 of the matches. The Gender Gap Tracker (Asr et al. 2021) reports F1 at overlap 0.3 and
    0.8; its overlap is not defined the same way in every detail, and ours, by the longer of the two
    quotes, may be stricter, so its figures are an anchor, not a like-for-like comparison. On the
    quotes matched at 0.3: speaker accuracy (the proposed and gold speaker spans share at least one
    token, or both are null), exact-speaker accuracy (same start and end, or both null),
    speaker-kind accuracy and quote-kind accuracy.
Entities
    Per label precision, recall and F1, exact (same start, end and label) and by overlap (same
    label, spans share a character; one-to-one, greedily, the largest share of the longer span
    first), and both micro-averaged over all labels.
Claims
    Recall of the gold claims marked ``check_worthy``: one is found when some proposed claim covers
    at least half of its tokens (not one-to-one: a long proposal may cover two). Also the recall of
    all gold claims, and the precision of the proposals: the share of proposed claims that cover at
    least half of the tokens of some gold claim (any check-worthiness), and of some check-worthy one.

Intervals
    The headline figures (quote F1 at 0.3, speaker accuracy, check-worthy claim recall) get a 95%
    percentile bootstrap interval, 2,000 resamples with a fixed seed (so the same counts always
    give the same interval), over the scored items: for F1 the matched pairs, unmatched gold quotes
    and unmatched proposals; for speaker accuracy the quotes matched at 0.3; for recall the
    check-worthy gold claims. Items are resampled independently, ignoring that those of one article
    are alike, so with few articles the intervals are, if anything, too narrow.

An empty side gives zeros, never a division error: a figure with nothing to count is 0.0, and its
count (``n``) says so.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..core.matching import Tokens, greedy_match, span_score
from .proposals import Proposals

THRESHOLDS = (0.3, 0.8)
CLAIM_COVERAGE = 0.5
CHECK_WORTHY = "check_worthy"
RESAMPLES = 2000
SEED = 0
LAYERS = ("entities", "quotes", "claims")


def _ratio(x: float, y: float) -> float:
    return x / y if y else 0.0


@dataclass
class PRF:
    """Matched counts: tp (matched pairs), fp (unmatched proposals), fn (unmatched gold)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    @property
    def proposed(self) -> int:
        return self.tp + self.fp

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.proposed)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.gold)

    @property
    def f1(self) -> float:
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    def __add__(self, other: "PRF") -> "PRF":
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Share:
    """``hits`` of ``n`` items: an accuracy, a recall or a precision."""

    hits: int = 0
    n: int = 0

    @property
    def value(self) -> float:
        return _ratio(self.hits, self.n)

    def __add__(self, other: "Share") -> "Share":
        return Share(self.hits + other.hits, self.n + other.n)

    def to_dict(self) -> dict:
        return {"hits": self.hits, "n": self.n, "value": round(self.value, 4)}


@dataclass
class QuoteScores:
    at: dict[float, PRF] = field(default_factory=lambda: {t: PRF() for t in THRESHOLDS})
    speaker: Share = field(default_factory=Share)        # share a token, or both null
    speaker_exact: Share = field(default_factory=Share)  # same start and end, or both null
    speaker_kind: Share = field(default_factory=Share)
    kind: Share = field(default_factory=Share)

    def __add__(self, other: "QuoteScores") -> "QuoteScores":
        return QuoteScores({t: self.at[t] + other.at[t] for t in THRESHOLDS}, self.speaker + other.speaker,
                           self.speaker_exact + other.speaker_exact, self.speaker_kind + other.speaker_kind,
                           self.kind + other.kind)

    def to_dict(self) -> dict:
        return {**{f"content@{t}": self.at[t].to_dict() for t in THRESHOLDS},
                **{name: getattr(self, name).to_dict() for name in ("speaker", "speaker_exact", "speaker_kind", "kind")}}


def _add_by_label(a: dict[str, PRF], b: dict[str, PRF]) -> dict[str, PRF]:
    return {label: a.get(label, PRF()) + b.get(label, PRF()) for label in sorted(a.keys() | b.keys())}


@dataclass
class EntityScores:
    exact: dict[str, PRF] = field(default_factory=dict)    # label -> counts
    overlap: dict[str, PRF] = field(default_factory=dict)

    @property
    def exact_all(self) -> PRF:
        return sum(self.exact.values(), PRF())

    @property
    def overlap_all(self) -> PRF:
        return sum(self.overlap.values(), PRF())

    def __add__(self, other: "EntityScores") -> "EntityScores":
        return EntityScores(_add_by_label(self.exact, other.exact), _add_by_label(self.overlap, other.overlap))

    def to_dict(self) -> dict:
        return {"exact": self.exact_all.to_dict(), "overlap": self.overlap_all.to_dict(),
                "per_label": {label: {"exact": self.exact[label].to_dict(), "overlap": self.overlap[label].to_dict()}
                              for label in sorted(self.exact)}}


@dataclass
class ClaimScores:
    check_worthy_recall: Share = field(default_factory=Share)  # check-worthy gold claims found
    recall: Share = field(default_factory=Share)               # gold claims of any check-worthiness found
    precision: Share = field(default_factory=Share)            # proposals covering some gold claim
    precision_check_worthy: Share = field(default_factory=Share)  # proposals covering some check-worthy one

    def __add__(self, other: "ClaimScores") -> "ClaimScores":
        return ClaimScores(self.check_worthy_recall + other.check_worthy_recall, self.recall + other.recall,
                           self.precision + other.precision, self.precision_check_worthy + other.precision_check_worthy)

    def to_dict(self) -> dict:
        return {name: getattr(self, name).to_dict()
                for name in ("check_worthy_recall", "recall", "precision", "precision_check_worthy")}


@dataclass
class Scores:
    """The scores of one article or, summed, of many (``articles`` counts them)."""

    quotes: QuoteScores = field(default_factory=QuoteScores)
    entities: EntityScores = field(default_factory=EntityScores)
    claims: ClaimScores = field(default_factory=ClaimScores)
    articles: int = 0

    def __add__(self, other: "Scores") -> "Scores":
        return Scores(self.quotes + other.quotes, self.entities + other.entities, self.claims + other.claims,
                      self.articles + other.articles)

    def intervals(self, resamples: int = RESAMPLES, seed: int = SEED) -> dict[str, tuple[float, float]]:
        """95% bootstrap intervals of the headline figures (see the module's docstring)."""
        q = self.quotes.at[THRESHOLDS[0]]
        return {"quote_f1@0.3": bootstrap_f1(q, resamples, seed),
                "speaker_accuracy": bootstrap_share(self.quotes.speaker, resamples, seed),
                "check_worthy_claim_recall": bootstrap_share(self.claims.check_worthy_recall, resamples, seed)}

    def to_dict(self, with_intervals: bool = True) -> dict:
        out = {"articles": self.articles, "quotes": self.quotes.to_dict(), "entities": self.entities.to_dict(),
               "claims": self.claims.to_dict()}
        if with_intervals:
            out["intervals_95"] = {k: [round(lo, 4), round(hi, 4)] for k, (lo, hi) in self.intervals().items()}
        return out


# -- intervals -----------------------------------------------------------------------------------

def _percentiles(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    last = len(values) - 1
    return values[round(0.025 * last)], values[round(0.975 * last)]


def _resampled_counts(counts: list[int], resamples: int, seed: int) -> Iterable[list[int]]:
    """Per resample, how many of each kind of item a draw of ``sum(counts)`` items with replacement holds."""
    rng = random.Random(seed)
    n = sum(counts)
    kinds = range(len(counts))
    cumulative = [sum(counts[:i + 1]) for i in kinds]
    for _ in range(resamples):
        drawn = Counter(rng.choices(kinds, cum_weights=cumulative, k=n))
        yield [drawn[i] for i in kinds]


def bootstrap_f1(counts: PRF, resamples: int = RESAMPLES, seed: int = SEED) -> tuple[float, float]:
    """95% percentile interval of F1, resampling matched pairs, unmatched gold and unmatched proposals."""
    if not (counts.tp or counts.fp or counts.fn):
        return 0.0, 0.0
    return _percentiles([PRF(tp, fp, fn).f1
                         for tp, fp, fn in _resampled_counts([counts.tp, counts.fp, counts.fn], resamples, seed)])


def bootstrap_share(share: Share, resamples: int = RESAMPLES, seed: int = SEED) -> tuple[float, float]:
    """95% percentile interval of a share, resampling its items."""
    if not share.n:
        return 0.0, 0.0
    return _percentiles([_ratio(hits, share.n)
                         for hits, _ in _resampled_counts([share.hits, share.n - share.hits], resamples, seed)])


# -- scoring one article ---------------------------------------------------------------------------

def gold_of(records: Mapping) -> dict[str, list[dict]]:
    """The gold records (``origin: gold``) of an article's records file, by layer; a record without
    an ``origin`` (a hand-made one) is taken as gold."""
    return {layer: [r for r in records.get(layer, []) if r.get("origin", "gold") == "gold"] for layer in LAYERS}


def _as_records(proposals: Proposals | Mapping) -> dict[str, list[dict]]:
    """Proposals in the records' own shape (dicts with start/end, content pieces, speaker spans)."""
    if isinstance(proposals, Proposals):
        proposals = proposals.to_json()
    return {layer: list(proposals.get(layer, [])) for layer in LAYERS}


def _quote_overlap(tokens: Tokens):
    def score(gold: dict, proposed: dict) -> float:
        a, b = tokens.of_spans(gold["content"]), tokens.of_spans(proposed["content"])
        return _ratio(len(a & b), max(len(a), len(b)))
    return score


def score_quotes(gold: list[dict], proposed: list[dict], tokens: Tokens) -> QuoteScores:
    scores = QuoteScores()
    overlap = _quote_overlap(tokens)
    for threshold in THRESHOLDS:
        pairs = greedy_match(gold, proposed, overlap, threshold)
        scores.at[threshold] = PRF(len(pairs), len(proposed) - len(pairs), len(gold) - len(pairs))
        if threshold != THRESHOLDS[0]:
            continue
        for i, j, _ in pairs:
            g, p = gold[i], proposed[j]
            gs, ps = g["speaker"], p["speaker"]
            if gs is None or ps is None:
                shared = same = gs is None and ps is None
            else:
                shared = bool(tokens.inside(gs["start"], gs["end"]) & tokens.inside(ps["start"], ps["end"]))
                same = (gs["start"], gs["end"]) == (ps["start"], ps["end"])
            scores.speaker += Share(int(shared), 1)
            scores.speaker_exact += Share(int(same), 1)
            scores.speaker_kind += Share(int(g["speaker_kind"] == p["speaker_kind"]), 1)
            scores.kind += Share(int(g["kind"] == p["kind"]), 1)
    return scores


def score_entities(gold: list[dict], proposed: list[dict]) -> EntityScores:
    scores = EntityScores()
    labels = sorted({e["label"] for e in gold} | {e["label"] for e in proposed})
    for label in labels:
        g = [e for e in gold if e["label"] == label]
        p = [e for e in proposed if e["label"] == label]
        exact = sum((Counter((e["start"], e["end"]) for e in g) & Counter((e["start"], e["end"]) for e in p)).values())
        overlap = len(greedy_match(g, p, span_score(None), 0.0))  # > 0: the spans overlap
        scores.exact[label] = PRF(exact, len(p) - exact, len(g) - exact)
        scores.overlap[label] = PRF(overlap, len(p) - overlap, len(g) - overlap)
    return scores


def coverage(gold_tokens: set[int], proposed_tokens: set[int]) -> float:
    """The share of a gold claim's tokens a proposal covers (0.0 for a gold claim with no tokens)."""
    return _ratio(len(gold_tokens & proposed_tokens), len(gold_tokens))


def score_claims(gold: list[dict], proposed: list[dict], tokens: Tokens) -> ClaimScores:
    gold_tokens = [tokens.inside(c["start"], c["end"]) for c in gold]
    proposed_tokens = [tokens.inside(c["start"], c["end"]) for c in proposed]
    covers = [[coverage(g, p) >= CLAIM_COVERAGE for p in proposed_tokens] for g in gold_tokens]  # [gold][proposed]
    worthy = [c["checkworthiness"] == CHECK_WORTHY for c in gold]
    found = [any(row) for row in covers]
    scores = ClaimScores()
    scores.recall = Share(sum(found), len(gold))
    scores.check_worthy_recall = Share(sum(f for f, w in zip(found, worthy) if w), sum(worthy))
    scores.precision = Share(sum(any(row[j] for row in covers) for j in range(len(proposed))), len(proposed))
    scores.precision_check_worthy = Share(
        sum(any(row[j] for row, w in zip(covers, worthy) if w) for j in range(len(proposed))), len(proposed))
    return scores


def score_article(text: str, gold: Mapping, proposals: Proposals | Mapping) -> Scores:
    """The scores of one article's proposals against its gold records (a records file, whose gold
    records are picked out, or already ``{layer: [gold records]}``)."""
    gold = gold_of(gold)
    proposed = _as_records(proposals)
    tokens = Tokens.of(text)
    return Scores(score_quotes(gold["quotes"], proposed["quotes"], tokens),
                  score_entities(gold["entities"], proposed["entities"]),
                  score_claims(gold["claims"], proposed["claims"], tokens), articles=1)


def score_many(items: Iterable[tuple[str, Mapping, Proposals | Mapping]]) -> Scores:
    """Pooled scores of (text, gold, proposals) for many articles: counts summed over articles."""
    return sum((score_article(text, gold, proposals) for text, gold, proposals in items), Scores())
