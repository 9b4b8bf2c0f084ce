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

Each layer measures itself (``Layer.compare`` and ``Layer.figures``, in ``layers/``); this module
pairs the annotators, sums their tallies and formats the report. Precision and recall take the
first annotator of a pair as the reference; F1 is symmetric. The coefficients come from
``krippendorff`` and scikit-learn (``core.statistics``), span matching from ``core.matching``.
Overall figures pool the counts of every pair; the token alpha uses every annotator at once.

>>> report = agreement(Layout.find())
>>> print(format_table(report))
"""

from __future__ import annotations

import itertools
import json
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from .. import layers
from ..core.io import read_json
from ..core.layout import Layout
from ..core.matching import Tokens
from ..core.records import iter_record_files
from ..core.taxonomy import load_taxonomy

ABSENT = -1  # no role: the annotator did not annotate the article


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
    sets: dict[str, dict[str, list[dict]]] = defaultdict(layers.empty)
    for layer in layers.names():
        for record in records[layer]:
            if record["origin"] == "human":
                sets[record["annotator"]][layer].append(record)
    if not sets:
        return None
    text = text if text is not None else read_json(layout.article_path(records["article_id"]))["text"]
    return ArticleSets(records["article_id"], text, dict(sorted(sets.items())))


@dataclass
class Counts:
    """Everything the figures are computed from, each layer's ``Tally``, summable over pairs."""

    tallies: dict[str, layers.Tally] = field(default_factory=dict)
    articles: int = 0

    def add(self, other: "Counts") -> None:
        for name, tally in other.tallies.items():
            self.tallies.setdefault(name, layers.Tally()).add(tally)
        self.articles += other.articles


def compare(a: dict[str, list[dict]], b: dict[str, list[dict]], tokens: Tokens) -> Counts:
    """The counts of one article annotated by two annotators (a is the reference), layer by layer."""
    return Counts({layer.name: layer.compare(a[layer.name], b[layer.name], tokens) for layer in layers.registered()},
                  articles=1)


def figures(c: Counts, roles: dict[str, list]) -> dict:
    """The agreement figures of summed counts; ``roles``: each layer's token roles of every annotator."""
    tax = load_taxonomy()
    return {"articles": c.articles, **{
        layer.name: layer.figures(c.tallies.get(layer.name, layers.Tally()), tax, {"token_roles": roles.get(layer.name)})
        for layer in layers.registered()}}


def token_roles(records: dict[str, list[dict]], tokens: Tokens) -> dict[str, list[int]]:
    """Each token's role in every layer that has token roles, for one annotator."""
    out = {}
    for layer in layers.registered():
        roles = layer.token_roles(records[layer.name], tokens)
        if roles is not None:
            out[layer.name] = roles
    return out


@dataclass
class ArticleAgreement:
    """What one article adds to the agreement figures: computed where the article is read (a build
    worker), summed by ``Agreement``; the records themselves are not kept."""

    annotators: list[str]
    tokens: int
    pairs: dict[tuple[str, str], Counts]
    roles: dict[str, dict[str, list[int]]]  # annotator -> layer -> token roles


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
    pairs: dict[tuple[str, str], tuple[Counts, dict[str, list[array]]]] = field(default_factory=dict)
    roles: dict[str, dict[str, array]] = field(default_factory=dict)  # layer -> annotator -> token roles, a byte each, -1 where absent
    tokens: int = 0

    def add(self, article: ArticleAgreement) -> None:
        self.coverage["3+" if len(article.annotators) >= 3 else str(len(article.annotators))] += 1
        self.annotators.update(article.annotators)
        if len(article.annotators) < 2:
            return
        for (x, y), counts in article.pairs.items():
            total, data = self.pairs.setdefault((x, y), (Counts(), {}))
            total.add(counts)
            for layer, roles in article.roles[x].items():
                pair = data.setdefault(layer, [array("b"), array("b")])
                pair[0].extend(roles)
                pair[1].extend(article.roles[y][layer])
        for layer in {layer for roles in article.roles.values() for layer in roles}:
            by_name = self.roles.setdefault(layer, {})
            for name in article.annotators:
                by_name.setdefault(name, array("b", [ABSENT]) * self.tokens)
            for name, roles in by_name.items():
                roles.extend(article.roles.get(name, {}).get(layer) or array("b", [ABSENT]) * article.tokens)
        self.tokens += article.tokens

    def report(self) -> dict:
        overall = Counts()
        for counts, _ in self.pairs.values():
            overall.add(counts)
        annotators = sorted(self.annotators)
        overall_roles = {layer: [by_name[name] for name in annotators if name in by_name] for layer, by_name in self.roles.items()}
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


def _rows(f: dict) -> list[tuple[str, str]]:
    rows = [("articles", str(f["articles"]))]
    for layer in layers.registered():
        rows.extend(layer.agreement_rows(f))
    return rows


def figure_rows(figures: dict) -> list[tuple[str, str]]:
    """(measure, value) of one column of a report (``report["overall"]`` or a pair), layer by layer:
    what the tables show, for a notebook to lay out its own way."""
    return _rows(figures)


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
