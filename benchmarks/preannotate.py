"""The pre-annotation benchmark: what ``preannotate.propose_many`` proposes for every article with
gold records, scored against them (``preannotate.evaluate``), and how fast it runs.

    python benchmarks/preannotate.py                       # development (train), validation, test, held-out
    python benchmarks/preannotate.py --split validation    # one split; --split all: every gold article at once
    python benchmarks/preannotate.py --model en_core_web_trf --json figures.json

The rules are developed on the train split, so its figures are labelled "development" and say how
well the rules fit what they were written on; validation and test ("held-out", and each apart)
say how well they carry over. Each figure is printed with its counts and, for the headline ones
(quote F1 at 0.3, speaker accuracy, check-worthy claim recall), a 95% bootstrap interval, beside
the anchors: the Gender Gap Tracker's quote F1 at 0.3 (83.7) and speaker accuracy (86.5), entity
F1 >= 0.80 on PERSON, ORG, GPE and NORP, check-worthy claim recall >= 0.5.

Throughput on a cluster: ``--workers 1 2`` (the default) times a local Dask cluster of one and of
two worker processes over ``--copies`` copies of the scored texts, the pipeline loaded in every
worker first; the same code runs against a multi-machine cluster (``--scheduler`` in the CLI).

Throughput: the spaCy pipeline and the rules over every scored article, ``nlp.pipe`` batched in
this one process (the model loaded beforehand, untimed), best of ``--repeat`` passes; articles
and characters per wall-clock second and per CPU-second of the process (the pipeline's numpy
may use more than one thread), with the machine's CPU count.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from whosaidwhat import Layout
from whosaidwhat.core.io import read_json
from whosaidwhat.core.records import iter_record_files
from whosaidwhat.preannotate import DEFAULT_MODEL, load, propose_many, version_of
from whosaidwhat.preannotate.evaluate import THRESHOLDS, Scores, gold_of, score_article
from whosaidwhat.release.build import split_of

DEVELOPMENT = "development (train; rules developed on it)"
HELD_OUT = "held-out (validation + test)"
GROUPS = {  # --split -> the groups reported: (title, splits)
    None: [(DEVELOPMENT, {"train"}), ("validation", {"validation"}), ("test", {"test"}), (HELD_OUT, {"validation", "test"})],
    "train": [(DEVELOPMENT, {"train"})],
    "validation": [("validation", {"validation"})],
    "test": [("test", {"test"})],
    "all": [("all splits (train included)", {"train", "validation", "test"})],
}
GGT_QUOTE_F1, GGT_SPEAKER = 0.837, 0.865  # Gender Gap Tracker (Asr et al. 2021): quote F1 at overlap 0.3, speaker accuracy
ENTITY_TARGET, ENTITY_TARGET_LABELS = 0.80, ("PERSON", "ORG", "GPE", "NORP")
CLAIM_RECALL_TARGET = 0.5


def gold_articles(layout: Layout) -> list[dict]:
    """Every article with gold records: its id, split, text and gold records, in id order."""
    out = []
    for records in iter_record_files(layout):
        gold = gold_of(records)
        if any(gold.values()):
            article_id = records["article_id"]
            out.append({"article_id": article_id, "split": split_of(article_id),
                        "text": read_json(layout.article_path(article_id))["text"], "gold": gold})
    return out


def throughput(texts: list[str], model: str, repeat: int) -> dict:
    """Seconds (wall and CPU) of the pipeline and rules over ``texts``, and of the pipeline alone;
    best of ``repeat`` passes each."""
    nlp = load(model)
    list(propose_many(texts[:1], model))  # warm up: first-call allocations and lazy imports of the rules

    def best(run) -> tuple[float, float]:
        timings = []
        for _ in range(repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            run()
            timings.append((time.perf_counter() - wall, time.process_time() - cpu))
        return min(timings)
    wall, cpu = best(lambda: list(propose_many(texts, model)))
    pipeline_wall, pipeline_cpu = best(lambda: list(nlp.pipe(texts, batch_size=8)))
    characters = sum(map(len, texts))
    return {"articles": len(texts), "characters": characters, "seconds": wall, "cpu_seconds": cpu,
            "pipeline_seconds": pipeline_wall, "pipeline_cpu_seconds": pipeline_cpu,
            "articles_per_second": len(texts) / wall, "characters_per_second": characters / wall,
            "articles_per_cpu_second": len(texts) / cpu if cpu else None,
            "characters_per_cpu_second": characters / cpu if cpu else None,
            "cpu_count": os.cpu_count(), "usable_cpus": len(os.sched_getaffinity(0)), "repeat": repeat}


# -- the table ---------------------------------------------------------------------------------------

def _f(value: float, n: int) -> str:
    return f"{value:.3f}" if n else "–"


def _ci(interval: tuple[float, float], n: int) -> str:
    return f"{interval[0]:.3f}–{interval[1]:.3f}" if n else "–"


def _verdict(value: float, n: int, target: float) -> str:
    """Against a target: met or not."""
    return "" if not n else " (met)" if value >= target else " (not met)"


def _beside(value: float, n: int, anchor: float) -> str:
    """Against a published figure, which is no target: above or below it."""
    return "" if not n else " (above)" if value >= anchor else " (below)"


def _n(m) -> int:
    return m.gold + m.proposed


def table(title: str, scores: Scores) -> str:
    """One group's figures as a Markdown table: value, interval, counts, anchor or target."""
    q, e, c = scores.quotes, scores.entities, scores.claims
    ci = scores.intervals()
    low = THRESHOLDS[0]
    rows = []
    for t in THRESHOLDS:
        m = q.at[t]
        rows.append((f"**quotes: content F1 @{t}**" if t == low else f"quotes: content F1 @{t}", _f(m.f1, _n(m)),
                     _ci(ci["quote_f1@0.3"], _n(m)) if t == low else "",
                     f"tp {m.tp}, fp {m.fp}, fn {m.fn} (gold {m.gold}, proposed {m.proposed})",
                     f"GGT 0.837{_beside(m.f1, _n(m), GGT_QUOTE_F1)}" if t == low else ""))
        rows.append((f"quotes: precision / recall @{t}", f"{_f(m.precision, m.proposed)} / {_f(m.recall, m.gold)}", "", "", ""))
    for name, share, anchor in (("**quotes: speaker accuracy** (shares a token)", q.speaker,
                                 f"GGT 0.865{_beside(q.speaker.value, q.speaker.n, GGT_SPEAKER)}"),
                                ("quotes: speaker exact (same offsets)", q.speaker_exact, ""),
                                ("quotes: speaker kind accuracy", q.speaker_kind, ""),
                                ("quotes: quote kind accuracy", q.kind, "")):
        rows.append((name, _f(share.value, share.n), _ci(ci["speaker_accuracy"], share.n) if share is q.speaker else "",
                     f"{share.hits} of {share.n} matched @{low}", anchor))
    for name, m in (("entities: all labels, exact", e.exact_all), ("entities: all labels, overlap", e.overlap_all)):
        rows.append((f"{name}: F1 (P / R)", f"{_f(m.f1, _n(m))} ({_f(m.precision, m.proposed)} / {_f(m.recall, m.gold)})",
                     "", f"tp {m.tp}, fp {m.fp}, fn {m.fn}", ""))
    targeted = [label for label in ENTITY_TARGET_LABELS if label in e.exact]
    for label in targeted + [label for label in e.exact if label not in ENTITY_TARGET_LABELS]:
        x, o = e.exact[label], e.overlap[label]
        rows.append((f"entities: {label}, F1 exact / overlap", f"{_f(x.f1, _n(x))} / {_f(o.f1, _n(o))}", "",
                     f"gold {x.gold}, proposed {x.proposed}; exact tp {x.tp}, overlap tp {o.tp}",
                     f"exact ≥ 0.80{_verdict(x.f1, _n(x), ENTITY_TARGET)}" if label in targeted else ""))
    worthy = c.check_worthy_recall
    rows.append(("**claims: check-worthy recall** (≥ 50% of tokens covered)", _f(worthy.value, worthy.n),
                 _ci(ci["check_worthy_claim_recall"], worthy.n), f"{worthy.hits} of {worthy.n} check-worthy gold",
                 f"≥ 0.5{_verdict(worthy.value, worthy.n, CLAIM_RECALL_TARGET)}"))
    for name, share, of in (("claims: recall, any gold claim", c.recall, "gold"),
                            ("claims: precision, covers a gold claim", c.precision, "proposed"),
                            ("claims: precision, covers a check-worthy claim", c.precision_check_worthy, "proposed")):
        rows.append((name, _f(share.value, share.n), "", f"{share.hits} of {share.n} {of}", ""))
    lines = [f"### {title}: {scores.articles} article{'s' if scores.articles != 1 else ''}", "",
             "| figure | value | 95% interval | counts | anchor / target |", "|---|---:|---:|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def throughput_table(t: dict) -> str:
    rules = t["seconds"] - t["pipeline_seconds"]
    return "\n".join([
        f"### Throughput: {t['articles']} articles, {t['characters']:,} characters, one process "
        f"(machine: {t['cpu_count']} CPUs, {t['usable_cpus']} usable), best of {t['repeat']}", "",
        "| | seconds | articles/s | characters/s | articles per CPU-second | characters per CPU-second |",
        "|---|---:|---:|---:|---:|---:|",
        f"| pipeline + rules | {t['seconds']:.2f} | {t['articles_per_second']:.1f} | {t['characters_per_second']:,.0f} | "
        f"{t['articles_per_cpu_second']:.1f} | {t['characters_per_cpu_second']:,.0f} |",
        f"| of which the spaCy pipeline | {t['pipeline_seconds']:.2f} | {t['articles'] / t['pipeline_seconds']:.1f} | "
        f"{t['characters'] / t['pipeline_seconds']:,.0f} | {t['articles'] / t['pipeline_cpu_seconds']:.1f} | "
        f"{t['characters'] / t['pipeline_cpu_seconds']:,.0f} |",
        f"| the rules (the difference) | {rules:.2f} | | | | |"])


def cluster_throughput(texts: list[str], model: str, workers: int, copies: int) -> dict:
    """Articles per second on a local Dask cluster of ``workers`` processes, over ``copies`` copies
    of the texts (an archive), the pipeline loaded in every worker beforehand (untimed)."""
    from whosaidwhat.preannotate.distributed import cluster_client, propose_with, warm

    archive = texts * copies
    with cluster_client(workers=workers) as client:
        warm(client, model)
        started = time.perf_counter()
        count = sum(1 for _ in propose_with(client, archive, model=model, partition=8))
        seconds = time.perf_counter() - started
    return {"workers": workers, "articles": count, "seconds": seconds, "articles_per_second": count / seconds}


def cluster_table(rows: list[dict]) -> str:
    one = next((r for r in rows if r["workers"] == 1), rows[0])
    lines = [f"### Pre-annotation on a Dask cluster on this machine ({rows[0]['articles']} articles: the scored ones, "
             f"repeated)", "", "| workers | seconds | articles/s | speed-up over 1 worker |", "|---:|---:|---:|---:|"]
    lines += [f"| {r['workers']} | {r['seconds']:.1f} | {r['articles_per_second']:.1f} | "
              f"{r['articles_per_second'] / one['articles_per_second']:.2f}x |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=DEFAULT_MODEL, help=f"the spaCy pipeline (default {DEFAULT_MODEL})")
    parser.add_argument("--split", choices=[k for k in GROUPS if k], default=None,
                        help="one split, or all at once (default: development, validation, test and held-out apart)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes for throughput, the best kept (default 3)")
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2],
                        help="Dask cluster sizes to time on this machine (default: 1 2; none: skip)")
    parser.add_argument("--copies", type=int, default=8, help="copies of the scored texts in the cluster's archive (default 8)")
    args = parser.parse_args(argv)

    layout = Layout.find()
    groups = GROUPS[args.split]
    wanted = set().union(*(splits for _, splits in groups))
    articles = [a for a in gold_articles(layout) if a["split"] in wanted]
    if not articles:
        raise SystemExit(f"no article with gold records in {sorted(wanted)} under {layout.root}")
    texts = [a["text"] for a in articles]
    version = version_of(load(args.model))
    scored = [score_article(a["text"], a["gold"], p) for a, p in zip(articles, propose_many(texts, args.model))]
    speed = throughput(texts, args.model, args.repeat)

    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    print(f"{datetime.now(timezone.utc):%Y-%m-%d}, {machine}; proposals by {version}; "
          f"{len(articles)} articles with gold records under {layout.root}")
    report = {}
    for title, splits in groups:
        scores = sum((s for s, a in zip(scored, articles) if a["split"] in splits), Scores())
        print()
        print(table(title, scores))
        report[title] = {"splits": sorted(splits), **scores.to_dict()}
    print()
    print(throughput_table(speed))
    clusters = [cluster_throughput(texts, args.model, n, args.copies) for n in args.workers]
    if clusters:
        print()
        print(cluster_table(clusters))
    print("\nIntervals: 95% percentile bootstrap over the scored items (2,000 resamples, fixed seed). "
          "GGT: Gender Gap Tracker (Asr et al. 2021), whose overlap may be defined less strictly than ours.")
    if args.json:
        args.json.write_text(json.dumps({"date": f"{datetime.now(timezone.utc):%Y-%m-%d}", "machine": machine,
                                         "model": args.model, "model_version": version, "groups": report,
                                         "throughput": speed, "cluster_throughput": clusters}, indent=1) + "\n",
                              encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
