"""The scaling paths give the same output as the plain ones: an export laid out one task per line,
cut into pieces and converted over two processes, gives the records of the same export read as one
stream; validate and build give the same report and the same bytes whatever ``--jobs`` is."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from whosaidwhat import Layout, UnusableInputError, validate
from whosaidwhat.convert import exports as convert_module
from whosaidwhat.convert.exports import one_task_per_line
from whosaidwhat.convert.pipeline import convert
from whosaidwhat.core.io import dumps_lines
from whosaidwhat.core.parallel import effective_jobs
from whosaidwhat.release.build import build_release

from .conftest import REPO_ROOT

ARTICLES = 60


def _generate(root: Path) -> Path:
    spec = importlib.util.spec_from_file_location("generate", REPO_ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(ARTICLES, root)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Layout:
    root = tmp_path_factory.mktemp("synthetic")
    _generate(root)
    return Layout(root)


@pytest.fixture
def repo(synthetic, tmp_path) -> Layout:
    shutil.copytree(synthetic.root, tmp_path / "repo")
    return Layout(tmp_path / "repo")


def _export(layout: Layout) -> Path:
    [path] = layout.labelstudio_exports.rglob("export-*.json")
    return path


def _tasks(layout: Layout) -> list[dict]:
    return json.loads(_export(layout).read_bytes())


def _records(layout: Layout) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(layout.records.glob("*.json"))}


@pytest.fixture
def small_pieces(monkeypatch):
    """Pieces of ~40 KB (a task or two each), so 60 tasks are cut into many pieces."""
    monkeypatch.setattr(convert_module, "CHUNK_BYTES", 40_000)


def test_an_export_cut_into_pieces_over_two_processes_converts_as_one_stream(repo, small_pieces):
    assert one_task_per_line(_export(repo))
    report = convert(layout=repo, jobs=2)
    in_pieces = _records(repo)
    _export(repo).write_text(json.dumps(_tasks(repo), ensure_ascii=False, indent=2), encoding="utf-8")
    assert not one_task_per_line(_export(repo))
    shutil.rmtree(repo.records)
    streamed = convert(layout=repo, jobs=2)
    assert len(in_pieces) == ARTICLES and _records(repo) == in_pieces
    assert (report.tasks, report.annotations, report.predictions, report.cancelled) == \
        (streamed.tasks, streamed.annotations, streamed.predictions, streamed.cancelled)


def test_the_last_version_of_a_task_wins_when_its_versions_are_in_different_pieces(repo, small_pieces):
    tasks = _tasks(repo)
    again = json.loads(json.dumps(tasks[3]))
    again["annotations"] = again["annotations"][:1]
    again["annotations"][0]["result"] = []  # the newest version has no regions left
    _export(repo).write_bytes(dumps_lines(tasks + [again]))
    report = convert(layout=repo, jobs=2)
    newest = json.loads(repo.records_path(tasks[3]["data"]["article_id"]).read_text())
    assert newest["entities"] == newest["quotes"] == newest["claims"] == []
    assert report.tasks == ARTICLES


@pytest.mark.parametrize("damage", [
    lambda lines: lines[:2] + [lines[2].rstrip(",")] + lines[3:],  # a comma missing between two tasks
    lambda lines: lines[:-1],  # no closing bracket
    lambda lines: lines[:5] + [lines[5][:100]] + lines[6:],  # a task cut short
])
def test_a_damaged_one_task_per_line_export_is_refused_as_broken_json(repo, small_pieces, damage):
    lines = _export(repo).read_text(encoding="utf-8").splitlines()
    _export(repo).write_text("\n".join(damage(lines)) + "\n", encoding="utf-8")
    before = _records(repo)
    with pytest.raises(UnusableInputError, match="broken JSON"):
        convert(layout=repo, jobs=2)
    assert _records(repo) == before


def test_validate_reports_the_same_problems_over_two_processes(repo, monkeypatch):
    convert(layout=repo)
    monkeypatch.setattr("whosaidwhat.core.parallel.MIN_ITEMS_PER_JOB", 5)
    for path in sorted(repo.records.glob("*.json"))[::7]:
        data = json.loads(path.read_text())
        data["entities"][0]["end"] += 1
        path.write_text(json.dumps(data))
    one, two = validate(layout=repo, jobs=1), validate(layout=repo, jobs=2)
    assert effective_jobs(2, one.files) == 2  # two processes did run
    assert len(one.problems) == 9 and one.problems == two.problems and (one.files, one.records) == (two.files, two.records)


def test_build_over_two_processes_writes_the_same_bytes_as_over_one(repo, monkeypatch, tmp_path):
    convert(layout=repo)
    monkeypatch.setattr("whosaidwhat.release.build.ARTICLES_PER_CHUNK", 7)  # 9 chunks of work, cut across row groups
    build_release(repo, "1.0.0", jobs=1, batch_size=50, max_shard_bytes=60_000)
    one = tmp_path / "one"
    shutil.move(repo.releases / "1.0.0", one)  # the same data again as a new version would be refused: build it anew
    build_release(repo, "1.0.0", jobs=2, batch_size=50, max_shard_bytes=60_000)
    two = repo.releases / "1.0.0"
    assert len(list(one.glob("ner/train-*.parquet"))) > 1  # cut into shards by size
    shards = sorted(p.relative_to(one).as_posix() for p in one.rglob("*.parquet"))
    assert shards == sorted(p.relative_to(two).as_posix() for p in two.rglob("*.parquet"))
    assert all((one / name).read_bytes() == (two / name).read_bytes() for name in [*shards, "agreement.json"])


def test_a_piece_whose_first_task_line_is_damaged_is_refused_not_skipped(repo, small_pieces):
    """A piece that fails on its first line holds no task lines: it must still fail the layout
    check, or its tasks would be dropped without a word."""
    from whosaidwhat.convert.exports import piece_ranges
    path = _export(repo)
    starts = {lo for lo, _ in piece_ranges(path)[1:]}
    data = path.read_bytes()
    cut = sorted(starts)[len(starts) // 2]
    line_end = data.index(b"\n", cut)
    path.write_bytes(data[:cut] + data[cut:cut + 100] + data[line_end:])
    before = _records(repo)
    with pytest.raises(UnusableInputError, match="broken JSON"):
        convert(layout=repo, jobs=2)
    assert _records(repo) == before
