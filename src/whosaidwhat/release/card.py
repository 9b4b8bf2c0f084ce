"""The files that make a release folder self-describing: the dataset card ``README.md`` (YAML
``configs`` and ``dataset_info`` regenerated from the shards on every build, so sizes are never
stale), ``croissant.json`` and ``SHA256SUMS``. Everything is computed from the folder itself, so
a standoff copy gets a card that is true of it."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from datasets import DatasetInfo, SplitDict, SplitInfo
from datasets.info import DatasetInfosDict
from huggingface_hub import DatasetCardData

from .croissant import write_croissant
from .features import CONFIGS, config_features
from ..core.io import write_text
from .files import iter_rows, sha256_of, shards
from ..core.taxonomy import load_taxonomy

PRETTY_NAME = "whosaidwhat: who is quoted and what is claimed in the news"
CONFIG_DESCRIPTIONS = {
    "documents": "one row per article: its fields and its gold entities, quotes and claims as lists (default)",
    "articles": "one row per article: text and provenance",
    "entities": "one row per gold entity mention",
    "quotes": "one row per gold quote: content spans, cue, speaker, kinds",
    "claims": "one row per gold claim: span, claim type, check-worthiness, the quote it is made in",
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
LABEL_COUNTS = {"entities": ("label",), "quotes": ("kind", "speaker_kind"), "claims": ("claim_type", "checkworthiness")}


def release_stats(folder: Path) -> dict:
    """Rows and bytes per config and split, and label counts of the gold records."""
    configs = {}
    for config, splits in shards(folder).items():
        configs[config] = {}
        for split, paths in sorted(splits.items()):
            metadata = [pq.read_metadata(p) for p in paths]
            configs[config][split] = {"rows": sum(m.num_rows for m in metadata),
                                      "bytes": sum(m.row_group(i).total_byte_size for m in metadata
                                                   for i in range(m.num_row_groups))}
    labels = {f"{config}.{name}": _value_counts(folder, config, name) for config, names in LABEL_COUNTS.items()
              for name in names}
    articles = redistributable = with_text = 0
    for batch in _batches(folder, "articles", ["redistributable", "text"]):
        articles += batch.num_rows
        redistributable += pc.sum(batch["redistributable"]).as_py() or 0
        with_text += batch.num_rows - batch["text"].null_count
    human = _label_id("annotator_records", "origin", "human")
    humans = set()
    for batch in _batches(folder, "annotator_records", ["annotator", "origin"]):
        humans.update(pc.unique(batch["annotator"].filter(pc.equal(batch["origin"], human))).to_pylist())
    return {"configs": configs, "labels": labels, "articles": articles, "redistributable": redistributable,
            "with_text": with_text, "human_annotators": len(humans)}


def _batches(folder: Path, config: str, names: list[str]) -> Iterator[pa.RecordBatch]:
    """Only the named columns of a config's shards, a batch at a time: counting never decodes whole
    rows, and memory stays flat whatever the size of the release (the articles' texts alone are
    half a gigabyte at a hundred thousand articles)."""
    for split in shards(folder).get(config, {}).values():
        for path in split:
            with pq.ParquetFile(path) as parquet:
                yield from parquet.iter_batches(batch_size=1_000, columns=names)


def _label_id(config: str, column: str, name: str) -> int:
    return config_features(config)[column].str2int(name)


def _value_counts(folder: Path, config: str, column: str) -> dict:
    """name -> rows of a label column, names in sorted order (nulls are not counted)."""
    names = config_features(config)[column].names
    counts: Counter = Counter()
    for batch in _batches(folder, config, [column]):
        counts.update({c["values"]: c["counts"] for c in pc.value_counts(batch[column]).to_pylist() if c["values"] is not None})
    return dict(sorted((names[value], n) for value, n in counts.items()))


def _size_category(n: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if n < limit:
            return name
    return "1M<n<10M"


def card_yaml(folder: Path, stats: dict) -> str:
    present = [c for c in CONFIGS if c in stats["configs"]]
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


def _example(folder: Path, config: str) -> str:
    def shorten(value):
        if isinstance(value, str) and len(value) > 160:
            return value[:157] + "..."
        if isinstance(value, list):
            return [shorten(v) for v in value[:2]] + (["..."] if len(value) > 2 else [])
        if isinstance(value, dict):
            return {k: shorten(v) for k, v in value.items()}
        return value
    row = next((row for _, row in iter_rows(folder, config, batch_size=1)), None)
    return json.dumps(shorten(row), ensure_ascii=False, indent=2)


def _label_section() -> str:
    tax = load_taxonomy()
    lines = []
    for key in ("entity_label", "quote_kind", "speaker_kind", "claim_type", "checkworthiness", "origin"):
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
                 "at token overlap 0.3 and 0.8; Krippendorff's alpha (nominal) and Cohen's kappa on matched claims.")
    return text


def card_body(folder: Path, version: str, stats: dict, standoff: bool) -> str:
    sizes = "\n".join(f"| `{c}` | {CONFIG_DESCRIPTIONS[c]} | " + ", ".join(f"{s} {v['rows']}" for s, v in stats["configs"][c].items())
                      + " |" for c in CONFIGS if c in stats["configs"])
    labels = "\n".join(f"- `{k}`: " + ", ".join(f"{name} {n}" for name, n in v.items()) for k, v in stats["labels"].items())
    examples = "\n\n".join(f"`{c}`:\n\n```json\n{_example(folder, c)}\n```" for c in CONFIGS if c in stats["configs"])
    missing_splits = [s for s in ("train", "validation", "test") if s not in stats["configs"].get("articles", {})]
    missing = (f": in this version {' and '.join(missing_splits)} {'has' if len(missing_splits) == 1 else 'have'} "
               f"no article, and a config lists only the splits where it has rows." if missing_splits else
               "; a config lists only the splits where it has rows.")
    agreement = _agreement_section(folder)
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
Label Studio on a configuration generated from the project's taxonomy, after a rule-based
pre-annotation (`annotator_records`, `origin: model`). Annotations follow the project's guidelines
(annotations/GUIDELINES.md in the source repository); every export is validated (offsets against
the text, labels against the taxonomy, references) before it becomes records. `origin: gold` marks
the adjudicated reference annotation; annotators are pseudonymised (`annotator-01`, ...).

## Agreement

{agreement}

## Licence and redistribution

The annotations are released under CC BY 4.0. Article texts keep their own licence (`license`) and
are included only where `redistributable` is true; other articles are published as standoff
(offsets, hashes, annotations) and can be rehydrated from one's own copy. {stats['redistributable']} of
{stats['articles']} article(s) are redistributable.

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


def write_sums(folder: Path) -> None:
    files = sorted(p for p in Path(folder).rglob("*") if p.is_file() and p.name != "SHA256SUMS")
    lines = [f"{sha256_of(p)}  {p.relative_to(folder).as_posix()}" for p in files]
    write_text(Path(folder) / "SHA256SUMS", "\n".join(lines) + "\n", overwrite=True)


def finish_release(folder: Path, *, version: str, standoff: bool) -> dict:
    """Write README.md, croissant.json and SHA256SUMS for the shards in ``folder``."""
    stats = release_stats(folder)
    card = f"---\n{card_yaml(folder, stats)}\n---\n{card_body(folder, version, stats, standoff)}"
    write_text(Path(folder) / "README.md", card, overwrite=True)
    write_croissant(folder, version=version, stats=stats)
    write_text(Path(folder) / "LICENSE.md", LICENSE, overwrite=True)
    write_sums(folder)
    return stats
