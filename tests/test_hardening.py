"""Adversarial inputs for every entry point, interrupted and concurrent runs, and secrets. Each bad
input must give a clear error naming the file (and the record and field where there is one), the
documented exit status, and leave every file as it was."""

from __future__ import annotations

import copy
import hashlib
import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from whosaidwhat import ArticleMetadata, Layout, ingest_files
from whosaidwhat.cli import main
from whosaidwhat.core.errors import CorpusError
from whosaidwhat.core.locks import exclusive
from whosaidwhat.validation.cache import FOLDER
from whosaidwhat.labelstudio.sources import Source, write_source

from .conftest import REPO_ROOT, SMALL_ARTICLE_ID
from .test_convert import EXPORT, EXPORT_NAME

EMAIL = b"@lab.example.org"


def snapshot(root: Path) -> dict[str, str]:
    """Every file of the repository but the lock and the cache of checked files (not data)."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != ".lock" and FOLDER not in p.parts}


@pytest.fixture
def repo(small_repo, monkeypatch):
    """The small repository, a working directory inside it, and one raw export."""
    monkeypatch.chdir(small_repo.root)
    (small_repo.labelstudio_exports / "p").mkdir(parents=True)
    write_source(small_repo.labelstudio_exports / "p", Source("p", ""))
    (small_repo.labelstudio_exports / "p" / EXPORT_NAME).write_text(json.dumps(EXPORT), encoding="utf-8")
    return small_repo


def run(argv, capsys) -> tuple[int, str]:
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def refused(repo, capsys, argv, status, *fragments):
    """Run a command that must fail: its status, every fragment in its output, no file changed."""
    before = snapshot(repo.root)
    code, output = run(argv, capsys)
    assert code == status, output
    for fragment in fragments:
        assert fragment in output, output
    assert snapshot(repo.root) == before
    return output


# --- ingest ----------------------------------------------------------------------------------------

def test_ingest_refuses_invalid_utf8(repo, tmp_path, capsys):
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 news".encode("latin-1"))
    refused(repo, capsys, ["ingest", str(tmp_path / "latin1.txt")], 2, "latin1.txt: not UTF-8 text")


def test_ingest_refuses_broken_json_naming_the_line(repo, tmp_path, capsys):
    (tmp_path / "a.json").write_text('{"text": "x",\n "title": }', encoding="utf-8")
    refused(repo, capsys, ["ingest", str(tmp_path / "a.json")], 2, "a.json:2: broken JSON")


def test_ingest_refuses_an_empty_text(repo, tmp_path, capsys):
    (tmp_path / "empty.txt").write_text(" \r\n\t\n", encoding="utf-8")
    refused(repo, capsys, ["ingest", str(tmp_path / "empty.txt")], 1, "empty.txt: the article text is empty")


def test_ingest_refuses_an_absurdly_large_file_before_reading_it(repo, tmp_path, capsys):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(6 * 1024 * 1024)
    refused(repo, capsys, ["ingest", str(big)], 2, "big.txt: is 6,291,456 bytes, over the limit of 5,242,880")


# --- validate --------------------------------------------------------------------------------------

def test_validate_reports_invalid_utf8_and_truncated_files_as_unusable(repo, capsys):
    path = repo.records_path(SMALL_ARTICLE_ID)
    path.write_bytes(path.read_bytes()[:500])
    (repo.corpus / "wsw-00000000000000ff.json").write_bytes(b'{"text": "\xff"}')
    refused(repo, capsys, ["validate"], 2, f"{SMALL_ARTICLE_ID}.json:", "broken JSON",
                  "wsw-00000000000000ff.json: not UTF-8 text")


# --- convert ---------------------------------------------------------------------------------------

def _write_export(repo, tasks) -> None:
    (repo.labelstudio_exports / "p" / EXPORT_NAME).write_text(json.dumps(tasks), encoding="utf-8")


def test_convert_refuses_a_truncated_export_naming_file_and_line(repo, capsys):
    path = repo.labelstudio_exports / "p" / EXPORT_NAME
    path.write_text(json.dumps(EXPORT, indent=1)[:3000], encoding="utf-8")
    refused(repo, capsys, ["convert"], 2, f"{EXPORT_NAME}:", "broken JSON")


def test_convert_refuses_an_export_that_is_not_utf8(repo, capsys):
    (repo.labelstudio_exports / "p" / EXPORT_NAME).write_bytes(b"[\xff]")
    refused(repo, capsys, ["convert"], 2, f"{EXPORT_NAME}: not UTF-8 text")


@pytest.mark.parametrize("change, fragments", [
    (lambda a: a["result"][0]["value"].update(start=14, end=6), ["region g1 (entity PERSON): offsets 14-6"]),
    (lambda a: a["result"][0]["value"].update(end=10_000), ["region g1 (entity PERSON): offsets 6-10000"]),
    (lambda a: a["result"][0]["value"].update(text="Ana Ruis"), ["region g1 (entity PERSON): text[6:14] is 'Ana Ruiz'"]),
    (lambda a: next(r for r in a["result"] if r.get("from_name") == "quote_kind")["value"].update(choices=["verbatim"]),
     ["/value/choices ['verbatim'] of quote_kind"]),
    (lambda a: a["result"].append({"from_id": "g1", "to_id": "nowhere", "type": "relation", "labels": ["refers_to"]}),
     ["relation g1->nowhere (refers_to): region nowhere does not exist"]),
    (lambda a: a["result"].append(dict(a["result"][0])), ["region g1: /id is used by two regions"]),
])
def test_convert_refuses_bad_regions_naming_export_task_annotation_and_region(repo, capsys, change, fragments):
    tasks = copy.deepcopy(EXPORT)
    change(tasks[0]["annotations"][0])
    _write_export(repo, tasks)
    where = f"{EXPORT_NAME}: task {tasks[0]['id']} annotation {tasks[0]['annotations'][0]['id']}:"
    refused(repo, capsys, ["convert"], 1, where, *fragments, "no records written")


def test_convert_refuses_an_export_from_a_project_with_another_config(repo, capsys):
    tasks = copy.deepcopy(EXPORT)
    tasks[0]["annotations"][0]["result"] = [{"id": "x1", "from_name": "label", "to_name": "text", "type": "labels",
                                             "value": {"start": 6, "end": 14, "text": "Ana Ruiz", "labels": ["PER"]}}]
    _write_export(repo, tasks)
    refused(repo, capsys, ["convert"], 1, "region x1: /from_name 'label' is not a labels control of the config")


def test_convert_refuses_annotations_of_an_article_missing_from_the_corpus(repo, capsys):
    tasks = copy.deepcopy(EXPORT)
    tasks[0]["data"]["article_id"] = "wsw-00000000000000aa"
    _write_export(repo, tasks)
    refused(repo, capsys, ["convert"], 1, "article wsw-00000000000000aa is not in the corpus")


def test_convert_never_uses_an_export_supplied_id_as_a_path(repo, capsys):
    tasks = copy.deepcopy(EXPORT)
    tasks[0]["data"]["article_id"] = "../../corpus/" + SMALL_ARTICLE_ID
    _write_export(repo, tasks)
    refused(repo, capsys, ["convert"], 1, "/0/data/article_id: '../../corpus/wsw-e8a2c3319847e2e6' is not an article id")
    with pytest.raises(CorpusError, match="is not an article id"):
        repo.records_path("../x")


def test_a_failed_convert_leaves_every_records_file_as_it_was(repo, capsys):
    """The new records folder starts as hard links to the current files: a changed file must be
    written as a new file there, never into the shared one."""
    changed = copy.deepcopy(EXPORT[0])
    changed["annotations"] = [a for a in changed["annotations"] if a["id"] != 8]  # a valid task, other records
    stray = copy.deepcopy(EXPORT[0])
    stray["id"], stray["data"]["article_id"] = 99, "wsw-00000000000000aa"  # a task that fails
    _write_export(repo, [changed, stray])
    refused(repo, capsys, ["convert"], 1, "article wsw-00000000000000aa is not in the corpus", "no records written")


def test_an_absurdly_large_export_is_refused_with_its_limit(repo, capsys, monkeypatch):
    import whosaidwhat.convert.exports
    monkeypatch.setattr(whosaidwhat.convert.exports, "MAX_EXPORT_BYTES", 1000)  # exports stream; the limit stays clear
    refused(repo, capsys, ["convert"], 2, f"{EXPORT_NAME}: is ", "over the limit of 1,000 for one export")


# --- build and rehydrate ---------------------------------------------------------------------------

def test_build_refuses_a_version_that_is_not_semantic(repo, capsys):
    refused(repo, capsys, ["build", "--version", "1.0"], 1, "version '1.0' is not a semantic version X.Y.Z")


def test_build_refuses_invalid_data_naming_the_command_to_see_why(repo, capsys):
    records = json.loads(repo.records_path(SMALL_ARTICLE_ID).read_text())
    records["claims"][0]["quote_id"] = f"{SMALL_ARTICLE_ID}:a1:q404"
    repo.records_path(SMALL_ARTICLE_ID).write_text(json.dumps(records))
    refused(repo, capsys, ["build", "--version", "0.1.0"], 1, "1 validation problem(s); no release built")


def test_rehydrate_refuses_a_text_file_that_is_not_utf8(repo, capsys, tmp_path):
    assert main(["build", "--version", "0.1.0"]) == 0
    (tmp_path / "t.txt").write_bytes(b"\xff\xfe")
    code, output = run(["rehydrate", str(repo.releases / "0.1.0"), str(tmp_path), "--output", str(tmp_path / "o")], capsys)
    assert code == 2 and "t.txt: not UTF-8 text" in output and not (tmp_path / "o").exists()


# --- interrupted and concurrent runs ---------------------------------------------------------------

def _many_articles(layout: Layout, n: int) -> None:
    """n small gold-annotated articles, enough for a build that takes a few seconds."""
    from whosaidwhat.corpus.ingest import ArticleMetadata, make_article
    from whosaidwhat.core.io import write_json
    for i in range(n):
        article = make_article(f"Article {i}. Mayor Ana Ruiz said the bridge would reopen in May.\n" * 20,
                               ArticleMetadata(redistributable=True), source_file=f"{i}.txt")
        aid, start = article["article_id"], article["text"].index("Ana Ruiz")
        write_json(layout.article_path(aid), article, overwrite=False)
        write_json(layout.records_path(aid), {"article_id": aid, "quotes": [], "claims": [], "entities": [
            {"mention_id": f"{aid}:a1:e1", "article_id": aid, "start": start, "end": start + 8, "text": "Ana Ruiz",
             "label": "PERSON", "entity_id": None, "wikidata_qid": None, "annotator": "annotator-01", "origin": "gold"}]},
            overwrite=False)


def test_a_build_killed_midway_leaves_no_release_and_the_next_build_completes(tmp_path, monkeypatch):
    layout = Layout(tmp_path / "repo")
    layout.records.mkdir(parents=True)
    layout.corpus.mkdir()
    _many_articles(layout, 600)
    env = {**os.environ, "WHOSAIDWHAT_ROOT": str(layout.root)}
    build = subprocess.Popen([sys.executable, "-m", "whosaidwhat.cli", "build", "--version", "0.1.0"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(layout.releases.glob(".0.1.0.building-*/*/*.parquet")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    assert not (layout.releases / "0.1.0").exists()  # the previous state: no such version
    assert list(layout.releases.glob(".0.1.0.building-*"))  # the half-written folder is not the release
    monkeypatch.chdir(layout.root)
    assert main(["build", "--version", "0.1.0"]) == 0
    assert not list(layout.releases.glob(".0.1.0.building-*"))
    assert main(["verify", "0.1.0"]) == 0


def test_workers_of_a_killed_process_do_not_keep_its_lock(tmp_path):
    """A build's forked workers outlive a SIGKILL of the build for a moment; the lock must go with it."""
    script = f"""
import os, signal, time
from whosaidwhat.core.locks import exclusive
with exclusive({str(tmp_path)!r}, "build"):
    child = os.fork()
    if child == 0:
        time.sleep(60)
        os._exit(0)
    open({str(tmp_path / "child")!r}, "w").write(str(child))
    os.kill(os.getpid(), signal.SIGKILL)
"""
    subprocess.run([sys.executable, "-c", script], check=False, timeout=60)
    orphan = int((tmp_path / "child").read_text())
    try:
        os.kill(orphan, 0)  # the worker is still alive ...
        with exclusive(tmp_path, "build"):  # ... and the lock is free
            pass
    finally:
        os.kill(orphan, signal.SIGKILL)


def test_a_convert_killed_between_its_two_renames_is_recovered(repo, capsys):
    from whosaidwhat.convert.swap import recover_records
    before = snapshot(repo.records)
    os.rename(repo.records, repo.annotations / ".records.old-4242")  # killed after moving the old folder aside
    (repo.annotations / ".records.new-4242").mkdir()                  # ... with its new folder half written
    recover_records(repo)
    assert snapshot(repo.records) == before and not list(repo.annotations.glob(".records.*"))
    assert main(["convert", "--allow-removal"]) == 0  # the export replaces the committed annotation


def test_a_second_build_or_convert_at_the_same_time_fails_cleanly(repo, capsys):
    with exclusive(repo.releases, "build"):
        refused(repo, capsys, ["build", "--version", "0.1.0"], 1, "another build is running", ".lock is locked")
    with exclusive(repo.annotations, "convert"):
        refused(repo, capsys, ["convert"], 1, "another convert is running")


def test_verify_finds_a_changed_byte_in_a_release(repo, capsys):
    assert main(["build", "--version", "0.1.0"]) == 0
    shard = next((repo.releases / "0.1.0" / "entities").glob("*.parquet"))
    data = bytearray(shard.read_bytes())
    data[100] ^= 1
    shard.write_bytes(bytes(data))
    code, output = run(["verify", "0.1.0"], capsys)
    assert code == 1 and f"{shard.name}: sha256 differs from SHA256SUMS (the file was changed)" in output


# --- secrets and privacy ---------------------------------------------------------------------------

def test_credentials_come_from_an_ignored_dotenv_without_overriding_the_environment(repo, monkeypatch):
    from whosaidwhat.labelstudio.client import client
    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "from-the-environment")
    (repo.root / ".env").write_text("LABEL_STUDIO_URL='http://127.0.0.1:9'\nexport LABEL_STUDIO_API_KEY=from-dotenv\n")
    repo.load_dotenv()
    assert os.environ["LABEL_STUDIO_URL"] == "http://127.0.0.1:9"
    assert os.environ["LABEL_STUDIO_API_KEY"] == "from-the-environment"
    assert client()._client_wrapper.get_base_url() == "http://127.0.0.1:9"
    assert ".env" in (REPO_ROOT / ".gitignore").read_text().split()


def test_an_unreachable_label_studio_is_one_clear_line_without_the_key(repo, capsys, monkeypatch):
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "s3cret-token-value")
    code, output = run(["labelstudio", "pull"], capsys)
    assert code == 1 and "cannot reach Label Studio at http://127.0.0.1:9" in output and "Traceback" not in output
    assert "s3cret" not in output


def test_the_repository_and_its_releases_hold_no_annotator_email_or_name():
    tracked = subprocess.run(["git", "ls-files", "annotations", "releases", "corpus", "tests/fixtures"], cwd=REPO_ROOT,
                             capture_output=True, text=True).stdout.split()
    assert tracked
    import re
    email = re.compile(rb"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
    for name in (n for n in tracked if not n.endswith(".py")):  # data, not the code that makes test users
        data = (REPO_ROOT / name).read_bytes()
        assert not email.search(data), name
        if name.endswith(".json") and "labelstudio" in name:
            for key in (b'"email"', b'"first_name"', b'"last_name"', b'"created_username"'):
                assert key not in data, (name, key)


@pytest.mark.parametrize("command", [["validate"], ["stats"], ["build", "--version", "0.1.0"], ["agreement"]])
def test_every_command_that_reads_the_records_first_puts_back_a_folder_a_killed_convert_moved_aside(
        repo, capsys, command):
    before = snapshot(repo.records)
    os.rename(repo.records, repo.annotations / ".records.old-4242")  # killed between the two renames
    (repo.annotations / ".records.new-4242").mkdir()
    code, output = run(command, capsys)
    assert code == 0, output
    assert snapshot(repo.records) == before and not list(repo.annotations.glob(".records.*"))
    assert "0 record(s)" not in output and "no gold" not in output


def test_a_reader_meeting_a_swap_in_progress_refuses_in_one_line(repo, capsys):
    os.rename(repo.records, repo.annotations / ".records.old-4242")
    with exclusive(repo.annotations, "convert"):  # the convert that moved it is still running
        code, output = run(["validate"], capsys)
    assert code == 1 and "another convert is running" in output and "Traceback" not in output


# --- a full disk: one line naming the file, nothing half-written ------------------------------------

def _no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_during_a_build_is_one_line_naming_the_shard_and_leaves_no_release(repo, capsys, monkeypatch):
    import pyarrow.parquet as pq
    monkeypatch.setattr(pq.ParquetWriter, "write_table", _no_space)
    code, output = run(["build", "--version", "0.1.0"], capsys)
    assert code == 1 and "Traceback" not in output and len(output.strip().splitlines()) == 1
    assert "no space left on the device while writing a Parquet shard" in output and ".parquet" in output
    assert not any(repo.releases.glob("0.1.0")) and not any(repo.releases.glob(".*building*"))


def test_a_full_disk_during_ingest_names_the_article_file_and_adds_nothing(repo, capsys, monkeypatch, tmp_path):
    (tmp_path / "a.txt").write_text("A story about buses and trains.", encoding="utf-8")
    before = snapshot(repo.corpus)
    monkeypatch.setattr(os, "fsync", _no_space)
    code, output = run(["ingest", str(tmp_path / "a.txt")], capsys)
    assert code == 1 and "corpus/wsw-" in output and "no space left on the device while writing it" in output
    assert snapshot(repo.corpus) == before  # no article, no temporary file


def test_a_full_disk_at_the_lock_file_is_one_line(repo, capsys, monkeypatch):
    (repo.releases / ".lock").unlink(missing_ok=True)
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *a, **k: _no_space() if str(path).endswith(".lock") else real_open(path, *a, **k))
    code, output = run(["build", "--version", "0.1.0"], capsys)
    assert code == 1 and ".lock: no space left on the device while writing the lock file of build" in output


def test_a_full_disk_during_convert_names_the_records_file_and_keeps_the_records_as_they_were(repo, capsys, monkeypatch):
    from whosaidwhat.convert import swap
    before = snapshot(repo.records)
    real_open = open
    monkeypatch.setattr(swap, "open", lambda path, mode="r", *a, **k: _no_space() if "w" in mode else real_open(path, mode, *a, **k),
                        raising=False)
    code, output = run(["convert", "--allow-removal"], capsys)
    assert code == 1 and "no space left on the device while writing a records file" in output
    assert snapshot(repo.records) == before and not list(repo.annotations.glob(".records.*"))


# --- build says what it leaves out, and never writes a version that changes nothing ------------------

def _ingest_unannotated(repo, tmp_path) -> str:
    (tmp_path / "new.txt").write_text("A new story nobody has annotated yet.", encoding="utf-8")
    [article] = ingest_files([tmp_path / "new.txt"], ArticleMetadata(), layout=repo)
    return article["article_id"]


def test_build_lists_each_article_it_leaves_out_and_why(repo, capsys, tmp_path):
    new_id = _ingest_unannotated(repo, tmp_path)
    code, output = run(["build", "--version", "0.1.0"], capsys)
    assert code == 0, output
    assert f"left out: 1 article(s) of the corpus, not released: {new_id} (not annotated yet: no records file)" in output
    assert SMALL_ARTICLE_ID not in output.split("left out:")[1]  # the article with gold is released


def test_build_refuses_a_version_whose_data_equals_the_previous_one_and_writes_nothing(repo, capsys, tmp_path):
    assert run(["build", "--version", "0.1.0"], capsys)[0] == 0
    new_id = _ingest_unannotated(repo, tmp_path)  # new in the corpus, but without gold: not released
    changelog = (repo.root / "CHANGELOG.md").read_text(encoding="utf-8")
    code, output = run(["build", "--version", "0.1.1"], capsys)
    assert code == 1 and "would hold the same data as 0.1.0" in output and new_id in output
    assert not (repo.releases / "0.1.1").exists() and not list(repo.releases.glob(".*building*"))
    assert (repo.root / "CHANGELOG.md").read_text(encoding="utf-8") == changelog


def test_a_previous_version_folder_without_its_sums_is_no_release_to_compare_with(repo, capsys):
    (repo.releases / "0.0.9").mkdir(parents=True)  # a folder named like a version, never finished
    code, output = run(["build", "--version", "0.1.0"], capsys)
    assert code == 0 and "Traceback" not in output
