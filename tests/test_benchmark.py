"""A smoke run of the pipeline benchmark at its quick size: it completes and its release loads.
No timing is asserted here; the figures are the benchmark's own output (benchmarks/README.md)."""

from __future__ import annotations

import importlib.util
import sys

import datasets
import duckdb

from .conftest import REPO_ROOT


def _module(name):
    sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_runs_at_1k_articles_and_its_release_loads(tmp_path, monkeypatch):
    run = _module("run")
    rows = run.bench(1000, keep=tmp_path / "bench")
    assert [r["stage"] for r in rows] == ["generate", "convert", "validate", "build", "validate, no cache", "load cold",
                                          "load cached", "load streaming", "naive"]
    assert all(r["seconds"] > 0 for r in rows) and rows[0]["annotations"] > 40_000
    release = tmp_path / "bench" / "releases" / "1.0.0"
    docs = datasets.load_dataset(str(release))
    assert sum(ds.num_rows for ds in docs.values()) == 1000
    entities = datasets.load_dataset(str(release), "entities")
    shards = sorted(release.glob("entities/*.parquet"))
    [(rows, files)] = duckdb.sql(f"select count(*), count(distinct filename) from "
                                 f"read_parquet('{release}/entities/*.parquet', filename=true)").fetchall()
    assert rows == sum(ds.num_rows for ds in entities.values()) > 20_000 and files == len(shards) >= 3
