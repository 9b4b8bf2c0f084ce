"""The pipeline benchmark: generate N synthetic articles with their Label Studio export, then run
convert, validate and build, each in its own process, and print per stage and size: seconds,
articles/s, annotations/s, peak RSS (the child's own accounting, from wait4) and output bytes.
Results are appended to benchmarks/results.jsonl.

    python benchmarks/run.py              # 1,000 articles
    python benchmarks/run.py 1000 10000   # several sizes
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate  # noqa: E402

STAGES = {"convert": ["convert"], "validate": ["validate"], "build": ["build", "--version", "1.0.0"]}


def _run(argv: list[str], root: Path) -> tuple[float, int, int]:
    """(seconds, peak RSS bytes, exit status) of one CLI command in its own process."""
    env = {**os.environ, "WHOSAIDWHAT_ROOT": str(root)}
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "whosaidwhat.cli", *argv], env=env, cwd=root,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status:
        raise SystemExit(f"{' '.join(argv)} failed: {process.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss * 1024, status


def naive_baseline(root: Path) -> float:
    """The pipeline written the obvious way, for comparison: ``json.load`` of the whole export,
    ``jsonschema`` on every record, a pandas DataFrame to ``to_parquet``. Returns seconds."""
    import pandas as pd
    from jsonschema import Draft202012Validator

    from whosaidwhat.schema import load_schemas
    start = time.perf_counter()
    entity = Draft202012Validator(load_schemas()["entity"])
    rows = []
    for export in sorted((root / "annotations" / "labelstudio").rglob("export-*.json")):
        for task in json.load(open(export, encoding="utf-8")):
            article_id = task["data"]["article_id"]
            for annotation in task["annotations"]:
                for result in annotation["result"]:
                    if result.get("from_name") != "entity" or result.get("type") != "labels":
                        continue
                    value = result["value"]
                    record = {"mention_id": f"{article_id}:a{annotation['id']}:{result['id']}", "article_id": article_id,
                              "start": value["start"], "end": value["end"], "text": value["text"],
                              "label": value["labels"][0], "entity_id": None, "wikidata_qid": None,
                              "annotator": annotation["completed_by"], "origin": "human"}
                    list(entity.iter_errors(record))
                    rows.append(record)
    pd.DataFrame(rows).to_parquet(root / "naive.parquet")
    return time.perf_counter() - start


def load_timings(release: Path) -> dict[str, float]:
    """``load_dataset`` of the release: first load, cached reload, and a full streaming pass."""
    import datasets
    datasets.disable_progress_bars()
    timings = {}
    for name in ("cold", "cached"):
        start = time.perf_counter()
        datasets.load_dataset(str(release), "entities")
        timings[name] = time.perf_counter() - start
    start = time.perf_counter()
    for split in datasets.load_dataset(str(release), "entities", streaming=True).values():
        for _ in split:  # consumed fully: a half-read stream can abort at garbage collection
            pass
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
        rows = [{"stage": "generate", "articles": n, "seconds": time.perf_counter() - start, "peak_rss": None,
                 "output_bytes": export.stat().st_size}]
        for stage, argv in STAGES.items():
            seconds, rss, _ = _run(argv, root)
            out = {"convert": root / "annotations" / "records", "validate": None, "build": root / "releases"}[stage]
            rows.append({"stage": stage, "articles": n, "seconds": seconds, "peak_rss": rss,
                         "output_bytes": _bytes(out) if out else 0})
        records = sum(len(json.loads(p.read_text())[layer]) for p in (root / "annotations" / "records").glob("*.json")
                      for layer in ("entities", "quotes", "claims"))
        for name, seconds in load_timings(root / "releases" / "1.0.0").items():
            rows.append({"stage": f"load {name}", "articles": n, "seconds": seconds, "peak_rss": None, "output_bytes": 0})
        if n <= 10_000:  # the naive pipeline is slow and holds everything in memory
            rows.append({"stage": "naive", "articles": n, "seconds": naive_baseline(root), "peak_rss": None,
                         "output_bytes": (root / "naive.parquet").stat().st_size})
        for row in rows:
            row["annotations"] = records
        return rows


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1000]
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"{'stage':<14} {'articles':>9} {'seconds':>9} {'articles/s':>11} {'annotations/s':>14} {'peak RSS MB':>12} {'output MB':>10}")
    with open(Path(__file__).parent / "results.jsonl", "a", encoding="utf-8") as log:
        for n in sizes:
            rows = bench(n)
            for row in rows:
                rss = f"{row['peak_rss'] / 2**20:.0f}" if row["peak_rss"] else "-"
                print(f"{row['stage']:<14} {n:>9,} {row['seconds']:>9.1f} {n / row['seconds']:>11,.0f} "
                      f"{row['annotations'] / row['seconds']:>14,.0f} {rss:>12} {row['output_bytes'] / 2**20:>10.1f}")
                log.write(json.dumps({"date": when, "machine": machine, **row}) + "\n")
            ours = sum(r["seconds"] for r in rows if r["stage"] in ("convert", "validate", "build"))
            naive = next((r["seconds"] for r in rows if r["stage"] == "naive"), None)
            if naive:
                print(f"{'':<9} {n:>9,}  convert+validate+build {ours:.1f} s; the naive pipeline {naive:.1f} s for "
                      f"entities only ({naive / ours:.2f}x of ours)")


if __name__ == "__main__":
    main()
