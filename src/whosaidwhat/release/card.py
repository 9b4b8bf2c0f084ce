"""The files that make a release folder self-describing: the dataset card ``README.md`` (YAML
``configs`` and ``dataset_info`` regenerated from the shards on every build, so sizes are never
stale), ``croissant.json``, ``LICENSE.md`` and ``SHA256SUMS``, from a ``ReleaseDescription``: the one
a build gathered as it wrote the shards, or the one read from the folder itself, so a standoff
copy gets a card that is true of it."""

from __future__ import annotations

from collections import Counter

import json
from pathlib import Path

from datasets import DatasetInfo, SplitDict, SplitInfo
from datasets.info import DatasetInfosDict
from huggingface_hub import DatasetCardData

from .croissant import write_croissant
from .description import ReleaseDescription, describe_folder
from .. import layers
from .features import config_features, configs as all_configs
from ..core.io import write_text
from .files import sha256_of
from ..core.taxonomy import load_taxonomy

PRETTY_NAME = "whosaidwhat: who is quoted and what is claimed in the news"


def config_descriptions() -> dict[str, str]:
    """config -> the card's line for it; a layer's config says it itself (``Layer.config_description``)."""
    names = ", ".join(layers.names()[:-1]) + " and " + layers.names()[-1]
    return {
        "documents": f"one row per article: its fields and its gold {names} as lists (default)",
        "articles": "one row per article: text and provenance",
        **{layer.name: layer.config_description for layer in layers.registered()},
        "annotator_records": "one row per article and annotation set that is not gold: each annotator's own records and the model pre-annotations, for studying disagreement",
        "ner": "one row per paragraph: tokens and IOB2 entity tags, CoNLL-2003 style",
    }
LICENSE = """# Licence

The annotations of this dataset (entity mentions, quotes, claims, their labels and links, and the
`ner` tags) are licensed under the Creative Commons Attribution 4.0 International licence
(CC BY 4.0, https://creativecommons.org/licenses/by/4.0/).

The article texts are not covered by that licence. Each article keeps its own licence, given in its
`license` field (null when unknown), and its text is included only where `redistributable` is
true. Texts that may not be redistributed are left out (standoff); users who hold their own copies can
restore them with `whosaidwhat rehydrate`.
"""

LICENCE_URLS = {"CC-BY-2.5": "https://creativecommons.org/licenses/by/2.5/",
                "CC-BY-3.0": "https://creativecommons.org/licenses/by/3.0/",
                "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
                "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/"}


def licence_url(spdx: str) -> str:
    return LICENCE_URLS.get(spdx) or f"https://spdx.org/licenses/{spdx}.html"


def attribution_line(a: dict) -> str:
    """One article's attribution, as a CC BY licence asks: the work, its authors and source, its
    address, its licence, and that it was changed."""
    by = ", ".join(x for x in (a["author"], a["outlet"]) if x) or "unknown source"
    title = f"\"{a['title']}\"" if a["title"] else a["article_id"]
    return (f"- `{a['article_id']}`: {title}, by {by}, <{a['url'] or 'no address recorded'}>, licensed "
            f"{a['license']} ({licence_url(a['license'])}); the text was reformatted (one paragraph a line).")


def _attribution_summary(attributions: list[dict]) -> str:
    """The card's word on the texts under a licence of their own: how many, from where, and where
    each one's attribution is (LICENSE.md)."""
    if not attributions:
        return ""
    groups = Counter((a["outlet"] or "unknown source", a["license"]) for a in attributions)
    parts = "; ".join(f"{n} from {outlet} under {spdx} ({licence_url(spdx)})" for (outlet, spdx), n in sorted(groups.items()))
    return (f"\n\nArticle texts under a licence of their own: {parts}. Each is attributed in `LICENSE.md`, with its "
            "title, authors, source address and licence; the texts were reformatted (one paragraph a line).")


def licence_text(attributions: list[dict]) -> str:
    """LICENSE.md: the licence of the annotations, and the source and licence of every article text
    that has one of its own."""
    if not attributions:
        return LICENSE
    lines = "\n".join(attribution_line(a) for a in sorted(attributions, key=lambda a: a["article_id"]))
    return (f"{LICENSE}\n## Article texts and their sources\n\nThese article texts are published under their own "
            f"licence, with this attribution:\n\n{lines}\n")


def _size_category(n: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if n < limit:
            return name
    return "1M<n<10M"


def card_yaml(stats: dict) -> str:
    present = [c for c in all_configs() if c in stats["configs"]]
    configs = [{"config_name": c, "data_files": [{"split": s, "path": f"{c}/{s}-*.parquet"} for s in stats["configs"][c]],
                **({"default": True} if c == "documents" else {})} for c in present]
    data = DatasetCardData(
        license="other", license_name="whosaidwhat-annotations-cc-by-4.0-texts-per-article",
        license_link="LICENSE.md", language=["en"], pretty_name=PRETTY_NAME,
        task_categories=["token-classification", "text-classification"],
        task_ids=["named-entity-recognition", "fact-checking"],
        size_categories=[_size_category(stats["articles"])], configs=configs,
        tags=["quotation-attribution", "claim-detection", "news", "parc", "claimbuster", "standoff"])
    infos = {c: DatasetInfo(features=config_features(c), config_name=c, splits=SplitDict(
        {s: SplitInfo(s, num_bytes=v["bytes"], num_examples=v["rows"]) for s, v in stats["configs"][c].items()}))
        for c in present}
    DatasetInfosDict(infos).to_dataset_card_data(data)
    return data.to_yaml()


def _example(row: dict | None) -> str:
    """A row for the card: long strings and lists cut short."""
    def shorten(value):
        if isinstance(value, str) and len(value) > 160:
            return value[:157] + "..."
        if isinstance(value, list):
            return [shorten(v) for v in value[:2]] + (["..."] if len(value) > 2 else [])
        if isinstance(value, dict):
            return {k: shorten(v) for k, v in value.items()}
        return value
    return json.dumps(shorten(row), ensure_ascii=False, indent=2)


def _label_section() -> str:
    tax = load_taxonomy()
    lines = []
    counted = [key for layer in layers.registered() for key, _ in layer.counted]
    for key in (*dict.fromkeys(counted), "origin"):
        lines.append(f"\n**{key}** — {tax[key].description}\n")
        lines.append("| name | definition |\n|---|---|")
        lines.extend(f"| `{label.name}` | {label.definition} |" for label in tax[key].labels)
    return "\n".join(lines)


def _agreement_section(folder: Path) -> str:
    """From the release's agreement.json (written by build from the annotators' records)."""
    from ..agreement.measures import format_markdown
    path = Path(folder) / "agreement.json"
    if not path.exists():
        return "Inter-annotator agreement was **not measured** for this version."
    report = json.loads(path.read_text(encoding="utf-8"))
    text = format_markdown(report)
    if report["overall"] is None:
        text += (" The gold annotations were made by one trained annotator following the guidelines and are "
                 "published as such.")
    else:
        text += ("\n\nComputed by `whosaidwhat agreement` over the `annotator_records` (origin human); figures per "
                 "pair of annotators and pooled. Entity and claim F1: exact and overlapping spans; quote content F1 "
                 "at token overlap 0.3 and 0.8; Krippendorff's alpha (nominal) and Cohen's kappa on matched claims. "
                 "For comparison, human annotators reach a token alpha of 0.754 and an attribution agreement of 0.923 "
                 "on PolNeAR, and a label kappa of 0.68 on FEVER; read the figures with who the annotators were.")
        if report.get("who_annotated"):
            text += "\n\n" + report["who_annotated"]
    return text


HELD_OUT = "held-out (validation + test)"
DEVELOPMENT = "development (train; rules developed on it)"


def _preannotation_section(folder: Path) -> str:
    """From the release's preannotation.json (the committed figures of ``benchmarks/preannotate.py``)."""
    path = Path(folder) / "preannotation.json"
    if not path.exists():
        return ""
    figures = json.loads(path.read_text(encoding="utf-8"))
    groups = figures["groups"]
    if HELD_OUT not in groups:
        return ""
    rows = []
    for name in (HELD_OUT, DEVELOPMENT):
        g = groups.get(name)
        if g is None:
            continue
        q, e, c = g["quotes"], g["entities"]["per_label"], g["claims"]
        f1 = lambda label: f"{e[label]['exact']['f1']:.2f}" if label in e else "–"  # noqa: E731
        rows.append(f"| {name}, {g['articles']} article(s) | {q['content@0.3']['f1']:.3f} ({q['content@0.3']['tp'] + q['content@0.3']['fn']} quotes) "
                    f"| {q['content@0.8']['f1']:.3f} | {q['speaker']['value']:.3f} | {q['speaker_kind']['value']:.3f} "
                    f"| {' / '.join(f1(label) for label in ('PERSON', 'ORG', 'GPE', 'NORP'))} "
                    f"| {c['check_worthy_recall']['value']:.3f} ({c['check_worthy_recall']['n']}) |")
    interval = groups[HELD_OUT].get("intervals_95", {}).get("quote_f1@0.3")
    speed = figures.get("throughput", {})
    return f"""
## Pre-annotation

Annotators of later versions are shown proposals from `{figures['model_version']}` (the package's
rules over a spaCy pipeline; `whosaidwhat preannotate`). Scored against this version's gold with
`python benchmarks/preannotate.py` ({figures['date']}); the rules were developed on the train split's errors:

| articles | quote F1 @0.3 | @0.8 | speaker accuracy | speaker kind | entity F1 PERSON / ORG / GPE / NORP | check-worthy claim recall |
|---|---:|---:|---:|---:|---:|---:|
{chr(10).join(rows)}

Anchors: the Gender Gap Tracker reports quote F1 83.7 at overlap 0.3 and speaker accuracy 86.5 on its
own news (our overlap, shared tokens over the longer span, may be stricter). The held-out set is small
(95% interval of its quote F1: {f"{interval[0]:.2f}–{interval[1]:.2f}" if interval else "not computed"}), and the
held-out articles are not blind: the seed (validation) was read when the first rules were written, and
the guidelines the rules follow cite examples from both. Throughput:
{speed.get('articles_per_cpu_second', 0):.1f} articles per CPU-second. No gold record was taken from these proposals (the
DATASHEET says how the gold was made).
"""


def card_body(folder: Path, version: str, description: ReleaseDescription, standoff: bool) -> str:
    stats = description.stats
    descriptions = config_descriptions()
    sizes = "\n".join(f"| `{c}` | {descriptions[c]} | " + ", ".join(f"{s} {v['rows']}" for s, v in stats["configs"][c].items())
                      + " |" for c in all_configs() if c in stats["configs"])
    labels = "\n".join(f"- `{k}`: " + ", ".join(f"{name} {n}" for name, n in v.items()) for k, v in stats["labels"].items())
    examples = "\n\n".join(f"`{c}`:\n\n```json\n{_example(description.example(c))}\n```"
                           for c in all_configs() if c in stats["configs"])
    missing_splits = [s for s in ("train", "validation", "test") if s not in stats["configs"].get("articles", {})]
    missing = (f": in this version {' and '.join(missing_splits)} {'has' if len(missing_splits) == 1 else 'have'} "
               f"no article, and a config lists only the splits where it has rows." if missing_splits else
               "; a config lists only the splits where it has rows.")
    agreement = _agreement_section(folder)
    preannotation = _preannotation_section(folder)
    standoff_note = (f"\n**This is a standoff copy.** {stats['articles'] - stats['with_text']} of {stats['articles']} articles "
                     "may not be redistributed: their `text`, every span `text` and the `ner` tokens are null; offsets, "
                     "hashes and annotations are kept. Restore them from your own copy of the articles with "
                     "`whosaidwhat rehydrate`, which refuses any text whose sha256 differs from `text_sha256`.\n"
                     if standoff else "")
    return f"""
# {PRETTY_NAME}

Version {version}. An English news corpus annotated with **entities** (OntoNotes 5 types), **quotes**
(PARC 3.0: content, cue and speaker, with quote kind and speaker kind — named, anonymous, pronoun or
unattributed sources) and **claims** (Full Fact claim types, ClaimBuster check-worthiness, linked to
the quote they are made in). {stats['articles']} article(s) with gold annotations.
{standoff_note}
## Loading

```python
from datasets import load_dataset
docs = load_dataset("path/to/this/folder")                 # the default config, documents
quotes = load_dataset("path/to/this/folder", "quotes")
```

No loading script: the folder is plain Parquet described by the YAML above, as `datasets` 4+ requires.
pandas, polars and DuckDB read the shards directly (`<config>/<split>-*.parquet`).

## Structure

| config | rows | sizes per split |
|---|---|---|
{sizes}

Offsets are Python `str` (Unicode code point) offsets into `text`, end exclusive; `text[start:end]`
is the span's `text`. Ids are stable across versions: `article_id` is derived from the sha256 of
the text at ingest; record ids combine the article, the annotation and the region. Label fields are
`ClassLabel`s whose names are listed below. In `quotes`, `content` is a list of spans (a quote split
by its attribution has several), `cue` and `speaker` are spans or null; `speaker_entity_id` is the
`entity_id` of the speaker's mentions. In `claims`, `quote_id` is the quote the claim is made in, or
null for the article's own voice.

`ner`: one row per paragraph; tokens from a regular-expression tokeniser that keeps abbreviations
("U.S."), hyphenated words and numbers whole and splits off punctuation and the possessive "’s",
then splits tokens at every entity boundary so no mention is lost; tags are IOB2 over the
OntoNotes labels (`O`, `B-PERSON`, `I-PERSON`, ...). `token_start`/`token_end` give each token's offsets.

### One example per config

{examples}

## Splits

By article, never by record: the first 32 bits of sha256(`article_id`) read as a fraction of 2^32;
below 0.8 is `train`, below 0.9 `validation`, the rest `test`. An article keeps its split in every
version. With a small corpus some splits have no article yet; a split with no rows is not listed
(`datasets` cannot load an empty Parquet split){missing}

## Labels

Counts of the gold records in this version:

{labels}
{_label_section()}

## Creation and annotation

Articles are ingested as plain text (Unicode NFC, `\\n` newlines, one paragraph a line) with their
provenance; unknown metadata is null and inferred dates are marked `inferred`. Annotators work in
Label Studio on a configuration generated from the project's taxonomy, with a rule-based
pre-annotation where one was shown (`annotator_records`, `origin: model`). Annotations follow the
project's guidelines (annotations/GUIDELINES.md in the source repository); every export is validated
(offsets against the text, labels against the taxonomy, references) before it becomes records.
`origin: gold` marks the reference annotation: of an article annotated twice, the records both
annotators made and, for each conflict, the version a reviewer chose, with the reason, in the
article's adjudication log (annotations/adjudication/ in the source repository); `supported_by` lists
the annotators who made each gold record. Annotators are pseudonymised. Who the annotators were and
how they were kept independent is in the source repository's DATASHEET.md.

## Agreement

{agreement}
{preannotation}
## Licence and redistribution

The annotations are released under CC BY 4.0. Article texts keep their own licence (`license`) and
are included only where `redistributable` is true; other articles are published as standoff
(offsets, hashes, annotations) and can be rehydrated from one's own copy. {stats['redistributable']} of
{stats['articles']} article(s) are redistributable.{_attribution_summary(description.attributions)}

## Limitations

The corpus is small and its articles come from few sources; models trained on it will not
generalise widely. Quote and claim annotation involves judgement (see the guidelines'
hard cases); check-worthiness reflects the annotators' view of public interest. Anonymous sources
are not resolved to people. The corpus records what articles attribute to whom, not whether it is true.

## Citation

```bibtex
@misc{{whosaidwhat_{version.replace('.', '_')},
  title  = {{{PRETTY_NAME}}},
  note   = {{Version {version}}},
  year   = {{2026}},
  howpublished = {{Dataset}}
}}
```
"""


def write_sums(folder: Path, known: dict[str, str]) -> None:
    """SHA256SUMS of every file in ``folder``; ``known`` (relative path -> sha256: the shards) is not hashed again."""
    lines = []
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file() and p.name != "SHA256SUMS"):
        relative = path.relative_to(folder).as_posix()
        lines.append(f"{known.get(relative) or sha256_of(path)}  {relative}")
    write_text(Path(folder) / "SHA256SUMS", "\n".join(lines) + "\n", overwrite=True)


def finish_release(folder: Path, *, version: str, standoff: bool, description: ReleaseDescription | None = None) -> dict:
    """Write README.md, croissant.json, LICENSE.md and SHA256SUMS for the shards in ``folder``, from
    the ``description`` a build gathered as it wrote them, else from the folder read back (a
    standoff or rehydrated copy); returns the release's statistics."""
    description = description or describe_folder(folder)
    stats = description.stats
    card = f"---\n{card_yaml(stats)}\n---\n{card_body(folder, version, description, standoff)}"
    write_text(Path(folder) / "README.md", card, overwrite=True)
    write_croissant(folder, description, version=version)
    write_text(Path(folder) / "LICENSE.md", licence_text(description.attributions), overwrite=True)
    write_sums(folder, description.shard_sums)
    return stats
