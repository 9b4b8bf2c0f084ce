"""Inter-annotator agreement, over every article annotated by two or more annotators
(``origin: human``), pairwise and overall. Label Studio's open-source edition has none.

- entities: span precision, recall and F1, exact (same offsets and label) and overlap (same label,
  overlapping spans), micro-averaged and per label;
- quotes: content F1 at token overlap >= 0.3 and >= 0.8 (as the Gender Gap Tracker evaluation
  does); on the quotes matched at 0.3, the share with the same speaker span, cue span, kind and
  speaker kind; whole-attribution F1 (content matched at 0.8, same speaker and same cue); and
  Krippendorff's alpha over tokens labelled with their quote role (O, content, speaker, cue), as
  PolNeAR reports;
- claims: span F1 (exact, overlap); on overlap-matched claims, Krippendorff's alpha (nominal) and
  Cohen's kappa on claim type and check-worthiness;
- coverage: how many articles have 1, 2, 3+ annotators.

Precision and recall take the first annotator of a pair as the reference; F1 is symmetric. The
coefficients come from ``krippendorff`` and scikit-learn; span matching is ``matching.py``'s.
Overall figures pool the counts of every pair; the token alpha uses every annotator at once.

>>> report = agreement(Layout.find())
>>> print(format_table(report))
"""

from __future__ import annotations

import itertools
from array import array
import json
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from ..core.io import read_json
from ..core.layout import Layout
from .matching import Tokens, greedy_match, quote_score, same_span, span_key, span_score
from ..core.records import LAYERS, iter_record_files
from ..core.taxonomy import load_taxonomy

ROLES = {"O": 0, "content": 1, "speaker": 2, "cue": 3}
ABSENT = -1  # no role: the annotator did not annotate the article
THRESHOLDS = (0.3, 0.8)


@dataclass
class ArticleSets:
    """One article's text and each human annotator's records."""

    article_id: str
    text: str
    sets: dict[str, dict[str, list[dict]]]

    @cached_property
    def tokens(self) -> Tokens:
        """Tokenised when first needed: only an article with two or more annotators is compared."""
        return Tokens.of(self.text)


def human_sets(layout: Layout) -> list[ArticleSets]:
    """Articles with their per-annotator human records (articles with no human records are left out)."""
    return [sets for records in iter_record_files(layout) if (sets := article_sets(records, layout)) is not None]


def article_sets(records: dict, layout: Layout, text: str | None = None) -> ArticleSets | None:
    """One records file's human record sets, by annotator (None when it has none)."""
    sets: dict[str, dict[str, list[dict]]] = defaultdict(lambda: {layer: [] for layer in LAYERS})
    for layer in LAYERS:
        for record in records[layer]:
            if record["origin"] == "human":
                sets[record["annotator"]][layer].append(record)
    if not sets:
        return None
    text = text if text is not None else read_json(layout.article_path(records["article_id"]))["text"]
    return ArticleSets(records["article_id"], text, dict(sorted(sets.items())))


@dataclass
class Counts:
    """Everything the figures are computed from, summable over pairs."""

    entity_n: Counter = field(default_factory=Counter)        # (side, label) -> count
    entity_exact: Counter = field(default_factory=Counter)    # label -> matches
    entity_overlap: Counter = field(default_factory=Counter)
    quote_n: Counter = field(default_factory=Counter)         # side -> count
    quote_matched: Counter = field(default_factory=Counter)   # threshold -> matches
    quote_same: Counter = field(default_factory=Counter)      # speaker/cue/kind/speaker_kind -> same, on 0.3 matches
    quote_whole: int = 0
    claim_n: Counter = field(default_factory=Counter)
    claim_exact: int = 0
    claim_overlap: int = 0
    claim_labels: dict[str, tuple[list, list]] = field(default_factory=lambda: {"claim_type": ([], []), "checkworthiness": ([], [])})
    articles: int = 0

    def add(self, other: "Counts") -> None:
        for name in ("entity_n", "entity_exact", "entity_overlap", "quote_n", "quote_matched", "quote_same", "claim_n"):
            getattr(self, name).update(getattr(other, name))
        self.quote_whole += other.quote_whole
        self.claim_exact += other.claim_exact
        self.claim_overlap += other.claim_overlap
        self.articles += other.articles
        for key, (a, b) in other.claim_labels.items():
            self.claim_labels[key][0].extend(a)
            self.claim_labels[key][1].extend(b)


def compare(a: dict[str, list[dict]], b: dict[str, list[dict]], tokens: Tokens) -> Counts:
    """The counts of one article annotated by two annotators (a is the reference)."""
    c = Counts(articles=1)
    for side, records in (("a", a), ("b", b)):
        c.entity_n.update((side, e["label"]) for e in records["entities"])
        c.quote_n[side] += len(records["quotes"])
        c.claim_n[side] += len(records["claims"])
    exact_b = {(*span_key(e), e["label"]) for e in b["entities"]}
    c.entity_exact.update(e["label"] for e in a["entities"] if (*span_key(e), e["label"]) in exact_b)
    for i, _, _ in greedy_match(a["entities"], b["entities"], span_score("label"), 0.0):
        c.entity_overlap[a["entities"][i]["label"]] += 1
    score = quote_score(tokens)
    for threshold in THRESHOLDS:
        pairs = greedy_match(a["quotes"], b["quotes"], score, threshold)
        c.quote_matched[threshold] += len(pairs)
        for i, j, _ in pairs:
            qa, qb = a["quotes"][i], b["quotes"][j]
            speaker, cue = same_span(qa["speaker"], qb["speaker"]), same_span(qa["cue"], qb["cue"])
            if threshold == THRESHOLDS[0]:
                c.quote_same.update({"speaker": speaker, "cue": cue, "kind": qa["kind"] == qb["kind"],
                                     "speaker_kind": qa["speaker_kind"] == qb["speaker_kind"]})
            elif speaker and cue:
                c.quote_whole += 1
    c.claim_exact = len({span_key(x) for x in a["claims"]} & {span_key(y) for y in b["claims"]})
    pairs = greedy_match(a["claims"], b["claims"], span_score(None), 0.0)
    c.claim_overlap = len(pairs)
    for i, j, _ in pairs:
        for key in c.claim_labels:
            c.claim_labels[key][0].append(a["claims"][i][key])
            c.claim_labels[key][1].append(b["claims"][j][key])
    return c


def _prf(matches: int, n_a: int, n_b: int) -> dict:
    def ratio(x, y):
        return round(x / y, 4) if y else None
    return {"precision": ratio(matches, n_b), "recall": ratio(matches, n_a), "f1": ratio(2 * matches, n_a + n_b)}


def alpha(data: list[list], values: int) -> float | None:
    """Krippendorff's alpha (nominal); None when it is undefined (fewer than two values seen)."""
    import krippendorff
    import numpy as np
    matrix = np.array(data, dtype=float)
    matrix[matrix < 0] = np.nan  # token roles are stored as bytes, -1 where an annotator did not annotate
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal",
                                       value_domain=list(range(values)))
    except (ValueError, ZeroDivisionError):
        return None
    return None if np.isnan(value) else round(float(value), 4)


def kappa(a: list[str], b: list[str], labels: tuple[str, ...]) -> float | None:
    import numpy as np
    from sklearn.metrics import cohen_kappa_score
    if not a:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = cohen_kappa_score(a, b, labels=list(labels))
    return None if np.isnan(value) else round(float(value), 4)


def figures(c: Counts, role_data: list[list]) -> dict:
    """The agreement figures of summed counts."""
    tax = load_taxonomy()
    labels = tax.names("entity_label")
    side = {s: sum(n for (x, _), n in c.entity_n.items() if x == s) for s in ("a", "b")}
    per_label = {label: {"exact_f1": _prf(c.entity_exact[label], c.entity_n[("a", label)], c.entity_n[("b", label)])["f1"],
                         "overlap_f1": _prf(c.entity_overlap[label], c.entity_n[("a", label)], c.entity_n[("b", label)])["f1"],
                         "a": c.entity_n[("a", label)], "b": c.entity_n[("b", label)]}
                 for label in labels if c.entity_n[("a", label)] or c.entity_n[("b", label)]}
    matched = c.quote_matched[THRESHOLDS[0]]
    on_matched = {f"same_{k}": round(c.quote_same[k] / matched, 4) if matched else None
                  for k in ("speaker", "cue", "kind", "speaker_kind")}
    codes = {key: {name: i for i, name in enumerate(tax.names(key))} for key in c.claim_labels}
    claim_labels = {}
    for key, (a, b) in c.claim_labels.items():
        claim_labels[key] = {"alpha": alpha([[codes[key][v] for v in a], [codes[key][v] for v in b]], len(codes[key])) if a else None,
                             "kappa": kappa(a, b, tax.names(key)), "matched": len(a)}
    return {
        "articles": c.articles,
        "entities": {"exact": _prf(sum(c.entity_exact.values()), side["a"], side["b"]),
                     "overlap": _prf(sum(c.entity_overlap.values()), side["a"], side["b"]), "per_label": per_label},
        "quotes": {**{f"content_f1@{t}": _prf(c.quote_matched[t], c.quote_n["a"], c.quote_n["b"])["f1"] for t in THRESHOLDS},
                   **on_matched, "whole_attribution_f1": _prf(c.quote_whole, c.quote_n["a"], c.quote_n["b"])["f1"],
                   "token_role_alpha": alpha(role_data, len(ROLES)) if role_data and role_data[0] else None,
                   "a": c.quote_n["a"], "b": c.quote_n["b"]},
        "claims": {"exact": _prf(c.claim_exact, c.claim_n["a"], c.claim_n["b"]),
                   "overlap": _prf(c.claim_overlap, c.claim_n["a"], c.claim_n["b"]), **claim_labels},
    }


def token_roles(records: dict[str, list[dict]], tokens: Tokens) -> list[int]:
    """Each token's quote role for one annotator: cue over speaker over content over O."""
    roles = [ROLES["O"]] * len(tokens.starts)
    for role in ("content", "speaker", "cue"):
        for quote in records["quotes"]:
            spans = quote["content"] if role == "content" else [quote[role]] if quote[role] else []
            for span in spans:
                for i in tokens.inside(span["start"], span["end"]):
                    roles[i] = ROLES[role]
    return roles


@dataclass
class ArticleAgreement:
    """What one article adds to the agreement figures: computed where the article is read (a build
    worker), summed by ``Agreement``; the records themselves are not kept."""

    annotators: list[str]
    tokens: int
    pairs: dict[tuple[str, str], Counts]
    roles: dict[str, list[int]]


def article_agreement(article: ArticleSets) -> ArticleAgreement:
    roles = {name: token_roles(records, article.tokens) for name, records in article.sets.items()} \
        if len(article.sets) >= 2 else {}
    pairs = {(x, y): compare(article.sets[x], article.sets[y], article.tokens)
             for x, y in itertools.combinations(sorted(article.sets), 2)}
    return ArticleAgreement(sorted(article.sets), len(article.tokens.starts) if roles else 0, pairs, roles)


@dataclass
class Agreement:
    """Agreement figures summed article by article, in any number of articles, one at a time."""

    coverage: Counter = field(default_factory=Counter)
    annotators: set[str] = field(default_factory=set)
    pairs: dict[tuple[str, str], tuple[Counts, list[array]]] = field(default_factory=dict)
    roles: dict[str, array] = field(default_factory=dict)  # each annotator's token roles, a byte each, -1 where absent
    tokens: int = 0

    def add(self, article: ArticleAgreement) -> None:
        self.coverage["3+" if len(article.annotators) >= 3 else str(len(article.annotators))] += 1
        self.annotators.update(article.annotators)
        if len(article.annotators) < 2:
            return
        for (x, y), counts in article.pairs.items():
            total, data = self.pairs.setdefault((x, y), (Counts(), [array("b"), array("b")]))
            total.add(counts)
            data[0].extend(article.roles[x])
            data[1].extend(article.roles[y])
        for name in article.annotators:
            self.roles.setdefault(name, array("b", [ABSENT]) * self.tokens)
        for name, roles in self.roles.items():
            roles.extend(article.roles.get(name) or array("b", [ABSENT]) * article.tokens)
        self.tokens += article.tokens

    def report(self) -> dict:
        overall = Counts()
        for counts, _ in self.pairs.values():
            overall.add(counts)
        annotators = sorted(self.annotators)
        overall_roles = [self.roles[name] for name in annotators if name in self.roles]
        return {
            "coverage": {key: self.coverage.get(key, 0) for key in ("1", "2", "3+")},
            "annotators": annotators,
            "pairs": [{"annotators": list(pair), **figures(counts, data)} for pair, (counts, data) in sorted(self.pairs.items())],
            "overall": figures(overall, overall_roles) if self.pairs else None,
        }


def agreement(layout: Layout) -> dict:
    """Coverage, pairwise and overall agreement of the human annotations of the repository."""
    total = Agreement()
    for records in iter_record_files(layout):
        sets = article_sets(records, layout)
        if sets is not None:
            total.add(article_agreement(sets))
    return total.report()


def _fmt(value) -> str:
    return "n/a" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def _rows(f: dict) -> list[tuple[str, str]]:
    e, q, c = f["entities"], f["quotes"], f["claims"]
    rows = [("articles", f["articles"]),
            ("entities: exact F1 (P/R)", f"{_fmt(e['exact']['f1'])} ({_fmt(e['exact']['precision'])}/{_fmt(e['exact']['recall'])})"),
            ("entities: overlap F1", _fmt(e["overlap"]["f1"]))]
    rows += [(f"  {label}: exact / overlap F1", f"{_fmt(v['exact_f1'])} / {_fmt(v['overlap_f1'])}") for label, v in e["per_label"].items()]
    rows += [("quotes: content F1 @0.3 / @0.8", f"{_fmt(q['content_f1@0.3'])} / {_fmt(q['content_f1@0.8'])}"),
             ("quotes: same speaker / cue (matched)", f"{_fmt(q['same_speaker'])} / {_fmt(q['same_cue'])}"),
             ("quotes: same kind / speaker kind", f"{_fmt(q['same_kind'])} / {_fmt(q['same_speaker_kind'])}"),
             ("quotes: whole attribution F1", _fmt(q["whole_attribution_f1"])),
             ("quotes: token role alpha", _fmt(q["token_role_alpha"])),
             ("claims: exact / overlap F1", f"{_fmt(c['exact']['f1'])} / {_fmt(c['overlap']['f1'])}"),
             ("claims: claim type alpha / kappa", f"{_fmt(c['claim_type']['alpha'])} / {_fmt(c['claim_type']['kappa'])}"),
             ("claims: check-worthiness alpha / kappa", f"{_fmt(c['checkworthiness']['alpha'])} / {_fmt(c['checkworthiness']['kappa'])}")]
    return [(k, str(v)) for k, v in rows]


def _columns(report: dict) -> tuple[list[str], list[str], list[dict[str, str]]]:
    """Column names (overall, then each pair), row names, and each column's values by row."""
    columns = [("overall", report["overall"])] + [(" vs ".join(p["annotators"]), p) for p in report["pairs"]]
    return ([name for name, _ in columns], [k for k, _ in _rows(report["overall"])],
            [dict(_rows(f)) for _, f in columns])


def format_table(report: dict) -> str:
    cov = report["coverage"]
    lines = [f"articles by number of annotators: 1: {cov['1']}, 2: {cov['2']}, 3+: {cov['3+']}"]
    if report["overall"] is None:
        lines.append("agreement not measured: no article has two or more annotators")
        return "\n".join(lines)
    columns, names, values = _columns(report)
    width = max(len(n) for n in names)
    lines.append(f"{'':<{width}}  " + "  ".join(f"{name:>26}" for name in columns))
    lines.extend(f"{name:<{width}}  " + "  ".join(f"{v.get(name, ''):>26}" for v in values) for name in names)
    return "\n".join(lines)


def format_markdown(report: dict) -> str:
    """The agreement section of the dataset card."""
    cov = report["coverage"]
    head = f"Articles by number of annotators: 1: {cov['1']}, 2: {cov['2']}, 3 or more: {cov['3+']}."
    if report["overall"] is None:
        return (head + " Inter-annotator agreement was **not measured** for this version: no article was "
                "annotated by two or more annotators.")
    columns, names, values = _columns(report)
    lines = [head, "", "| measure | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    lines += [f"| {name.strip()} | " + " | ".join(v.get(name, "") for v in values) + " |" for name in names]
    return "\n".join(lines)


def format_json(report: dict) -> str:
    return json.dumps(report, indent=2)
