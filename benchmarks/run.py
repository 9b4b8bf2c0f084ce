"""The pipeline benchmark: generate N synthetic articles with their Label Studio export, then run
convert, validate and build, each as its own ``whosaidwhat`` command (on every CPU, ``--jobs``
default), and print per stage and size: seconds, articles/s, annotations/s, peak memory and output
bytes. Peak memory is the largest sum, sampled every 50 ms, of the proportional set size (PSS: shared
pages split between the processes sharing them) of the command and its worker processes. Then
``load_dataset`` of the release (cold, cached, one full streaming pass), and, at the sizes it can
finish in reasonable time, the naive pipeline on the same input. Results are appended to
benchmarks/results.jsonl.

    python benchmarks/run.py                      # 1,000 articles
    python benchmarks/run.py 1000 10000 100000    # several sizes
    python benchmarks/run.py --table              # the newest figures per size, as a Markdown table
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate  # noqa: E402

STAGES = {"convert": ["convert"], "validate": ["validate"], "build": ["build", "--version", "1.0.0"]}
# not part of the pipeline's figure: validate checking every file again, as in a fresh clone without
# the cache of checked files (convert fills it; validate and build then skip what passed unchanged)
EXTRA_STAGES = {"validate, no cache": ["validate", "--no-cache"]}
NAIVE_UP_TO = 10_000  # the naive pipeline holds the whole export in memory and validates at ~3,000 records/s


def _pss(pid: int) -> int:
    """PSS bytes of a process and all its descendants (0 for what has already exited)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup", encoding="ascii") as f:
                total += next(int(line.split()[1]) * 1024 for line in f if line.startswith("Pss:"))
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as f:
                    stack.extend(int(child) for child in f.read().split())
        except (FileNotFoundError, ProcessLookupError, StopIteration, PermissionError):
            continue
    return total


def _run(argv: list[str], root: Path) -> tuple[float, int]:
    """(seconds, peak PSS bytes of the process tree) of one CLI command."""
    env = {**os.environ, "WHOSAIDWHAT_ROOT": str(root)}
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "whosaidwhat.cli", *argv], env=env, cwd=root,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], _pss(process.pid))
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, _ = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if status:
        raise SystemExit(f"{' '.join(argv)} failed: {process.stderr.read().decode()[-2000:]}")
    return seconds, peak[0]


def naive_baseline(root: Path) -> float:
    """The pipeline written the obvious way, for comparison: ``json.load`` of the whole export, a
    record per region built in plain loops for all three layers, ``jsonschema`` on every record,
    a pandas DataFrame per layer to ``to_parquet``. Returns seconds."""
    import pandas as pd

    from whosaidwhat.validation.schema import validator
    start = time.perf_counter()
    check = {layer: validator(name) for layer, name in (("entities", "entity"), ("quotes", "quote"), ("claims", "claim"))}
    rows = {layer: [] for layer in check}
    for export in sorted((root / "annotations" / "labelstudio").rglob("export-*.json")):
        for task in json.load(open(export, encoding="utf-8")):
            article_id = task["data"]["article_id"]
            sets = [(a, a["completed_by"], "gold" if a["ground_truth"] else "human") for a in task["annotations"]
                    if not a["was_cancelled"]]
            sets += [(p, f"model:{p['model_version']}", "model") for p in task["predictions"]]
            for annotation, annotator, origin in sets:
                for layer, record in _naive_records(article_id, annotation, annotator, origin):
                    list(check[layer].iter_errors(record))
                    rows[layer].append(record)
    for layer, records in rows.items():
        pd.DataFrame(records).to_parquet(root / f"naive-{layer}.parquet")
    return time.perf_counter() - start


def _naive_records(article_id: str, annotation: dict, annotator: str, origin: str):
    regions, choices, relations = {}, {}, []
    for result in annotation["result"]:
        if result["type"] == "labels":
            regions[result["id"]] = result
        elif result["type"] == "choices":
            choices.setdefault(result["id"], {})[result["from_name"]] = result["value"]["choices"][0]
        elif result["type"] == "relation":
            relations.append(result)
    rid = f"{article_id}:a{annotation['id']}"
    span = lambda r: None if r is None else {k: r["value"][k] for k in ("start", "end", "text")}  # noqa: E731
    for key, r in regions.items():
        label = r["value"]["labels"][0]
        base = {"article_id": article_id, "annotator": annotator, "origin": origin}
        if r["from_name"] == "entity":
            yield "entities", {"mention_id": f"{rid}:{key}", **span(r), "label": label, "entity_id": None,
                               "wikidata_qid": None, **base}
        elif r["from_name"] == "claim":
            yield "claims", {"claim_id": f"{rid}:{key}", **span(r), "claim_type": choices.get(key, {}).get("claim_type"),
                             "checkworthiness": choices.get(key, {}).get("checkworthiness"), "quote_id": None, **base}
        elif label == "content":
            linked = {rel["labels"][0]: regions.get(rel["from_id"]) for rel in relations if rel["to_id"] == key}
            yield "quotes", {"quote_id": f"{rid}:{key}", "kind": choices.get(key, {}).get("quote_kind"),
                             "content": [span(r)], "cue": span(linked.get("cue_of")), "speaker": span(linked.get("speaker_of")),
                             "speaker_kind": choices.get(key, {}).get("speaker_kind"), "speaker_entity_id": None, **base}


def load_timings(release: Path, cache: Path) -> dict[str, float]:
    """``load_dataset`` of the release's entities config: the first load (into an empty cache), the
    cached reload, and one full ``streaming=True`` pass over its train split."""
    import datasets
    datasets.disable_progress_bars()
    timings = {}
    for name in ("cold", "cached"):
        start = time.perf_counter()
        datasets.load_dataset(str(release), "entities", cache_dir=str(cache))
        timings[name] = time.perf_counter() - start
    start = time.perf_counter()
    for _ in datasets.load_dataset(str(release), "entities", split="train", streaming=True):
        pass  # consumed fully: a half-read stream can abort at garbage collection
    timings["streaming"] = time.perf_counter() - start
    return timings


def _bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def bench(n: int, keep: Path | None = None) -> list[dict]:
    """Figures of every stage at n articles; the repository is kept in ``keep`` when given."""
    with tempfile.TemporaryDirectory(prefix=f"wsw-bench-{n}-") as tmp:
        root = Path(keep or tmp)
        start = time.perf_counter()
        export = generate(n, root)
        rows = [{"stage": "generate", "articles": n, "seconds": time.perf_counter() - start, "peak_memory": None,
                 "output_bytes": export.stat().st_size}]
        for stage, argv in {**STAGES, **EXTRA_STAGES}.items():
            os.sync()  # what the generator and earlier stages wrote reaches the disk untimed: convert syncs before its swap
            seconds, memory = _run(argv, root)
            out = {"convert": root / "annotations" / "records", "build": root / "releases"}.get(stage)
            rows.append({"stage": stage, "articles": n, "seconds": seconds, "peak_memory": memory,
                         "output_bytes": _bytes(out) if out else 0})
        records = sum(len(json.loads(p.read_bytes())[layer]) for p in (root / "annotations" / "records").glob("*.json")
                      for layer in ("entities", "quotes", "claims"))
        for name, seconds in load_timings(root / "releases" / "1.0.0", root / "hf-cache").items():
            rows.append({"stage": f"load {name}", "articles": n, "seconds": seconds, "peak_memory": None, "output_bytes": 0})
        if n <= NAIVE_UP_TO:
            rows.append({"stage": "naive", "articles": n, "seconds": naive_baseline(root), "peak_memory": None,
                         "output_bytes": sum(p.stat().st_size for p in root.glob("naive-*.parquet"))})
        for row in rows:
            row["annotations"] = records
        return rows


def markdown_table(results: Path) -> str:
    """The newest figures of each size and stage in ``results``, as the Markdown table of the README."""
    newest: dict[tuple[int, str], dict] = {}
    for line in results.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        newest[(row["articles"], row["stage"])] = row
    lines = ["| articles | stage | seconds | articles/s | annotations/s | peak memory (PSS) | output |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    for n in sorted({n for n, _ in newest}):
        for stage in (*STAGES, *EXTRA_STAGES, "naive"):
            row = newest.get((n, stage))
            if row is None:
                continue
            memory = f"{row['peak_memory'] / 2**20:,.0f} MB" if row.get("peak_memory") else "–"
            output = f"{row['output_bytes'] / 2**20:,.1f} MB" if row["output_bytes"] else "–"
            lines.append(f"| {n:,} | {stage} | {row['seconds']:,.1f} | {n / row['seconds']:,.0f} | "
                         f"{row['annotations'] / row['seconds']:,.0f} | {memory} | {output} |")
        if all((n, stage) in newest for stage in STAGES):
            ours = sum(newest[(n, stage)]["seconds"] for stage in STAGES)
            lines.append(f"| {n:,} | **all three** | **{ours:,.1f}** | {n / ours:,.0f} | "
                         f"{newest[(n, 'convert')]['annotations'] / ours:,.0f} | | |")
    return "\n".join(lines)


def main() -> None:
    if sys.argv[1:] == ["--table"]:
        print(markdown_table(Path(__file__).parent / "results.jsonl"))
        return
    sizes = [int(a) for a in sys.argv[1:]] or [1000]
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    jobs = len(os.sched_getaffinity(0))
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"{machine}; whosaidwhat commands run with --jobs {jobs}")
    print(f"{'stage':<19} {'articles':>9} {'seconds':>9} {'articles/s':>11} {'annotations/s':>14} {'peak MB':>8} {'output MB':>10}")
    with open(Path(__file__).parent / "results.jsonl", "a", encoding="utf-8") as log:
        for n in sizes:
            rows = bench(n)
            for row in rows:
                memory = f"{row['peak_memory'] / 2**20:.0f}" if row["peak_memory"] else "-"
                print(f"{row['stage']:<19} {n:>9,} {row['seconds']:>9.1f} {n / row['seconds']:>11,.0f} "
                      f"{row['annotations'] / row['seconds']:>14,.0f} {memory:>8} {row['output_bytes'] / 2**20:>10.1f}", flush=True)
                log.write(json.dumps({"date": when, "machine": machine, "jobs": jobs, **row}) + "\n")
            ours = sum(r["seconds"] for r in rows if r["stage"] in STAGES)
            print(f"{'pipeline':<19} {n:>9,} {ours:>9.1f}  convert + validate + build", flush=True)
            naive = next((r["seconds"] for r in rows if r["stage"] == "naive"), None)
            if naive:
                print(f"{'naive':<19} {n:>9,} {naive:>9.1f}  ours is {naive / ours:.1f}x as fast", flush=True)


if __name__ == "__main__":
    main()
