"""The cache of checked files: it may only skip the checks of a records file that passed them
unchanged, with its article and the checking code unchanged; it never hides a problem."""

import importlib
import json
import shutil
from contextlib import closing

import pytest

from whosaidwhat import validate
from whosaidwhat.validation import cache as verified
from whosaidwhat.cli import main
from whosaidwhat.convert.pipeline import convert
from whosaidwhat.corpus.ingest import text_sha256
from whosaidwhat.release.build import build_release
from whosaidwhat.labelstudio.sources import Source, write_source

from .conftest import SMALL_ARTICLE_ID
from .test_convert import EXPORT, EXPORT_NAME

records_mod = importlib.import_module("whosaidwhat.validation.records")
articles_mod = importlib.import_module("whosaidwhat.validation.articles")


@pytest.fixture
def counted_checks(monkeypatch):
    """How many records files were checked, not taken from the cache."""
    calls = []
    real = records_mod.check_records

    def counting(file, *args, **kwargs):
        calls.append(file)
        return real(file, *args, **kwargs)
    monkeypatch.setattr(records_mod, "check_records", counting)
    return calls


@pytest.fixture
def counted_article_checks(monkeypatch):
    """Which corpus article files were parsed and checked, not taken from the cache."""
    calls = []
    real = articles_mod.schema_problems

    def counting(file, data, schema, id_of):
        if schema == "article":
            calls.append(file)
        return real(file, data, schema, id_of)
    monkeypatch.setattr(articles_mod, "schema_problems", counting)
    return calls


def test_an_article_that_passed_is_not_checked_again_until_it_changes(small_repo, counted_article_checks):
    assert validate(layout=small_repo).ok and len(counted_article_checks) == 1
    assert validate(layout=small_repo).ok and len(counted_article_checks) == 1
    path = small_repo.article_path(SMALL_ARTICLE_ID)
    article = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**article, "title": "Another title"}, ensure_ascii=False, indent=2), encoding="utf-8")
    assert validate(layout=small_repo).ok and len(counted_article_checks) == 2
    path.write_text(json.dumps({**article, "text_sha256": "0" * 64}, ensure_ascii=False, indent=2), encoding="utf-8")
    [problem] = validate(layout=small_repo).problems
    assert problem.pointer == "/text_sha256" and len(counted_article_checks) == 3


def test_articles_from_the_cache_are_still_compared_with_each_other(small_repo, counted_article_checks):
    assert validate(layout=small_repo).ok
    original = small_repo.article_path(SMALL_ARTICLE_ID)
    article = json.loads(original.read_text(encoding="utf-8"))
    twin = {**article, "article_id": "wsw-" + "f" * 16}
    small_repo.article_path(twin["article_id"]).write_text(json.dumps(twin, ensure_ascii=False, indent=2), encoding="utf-8")
    for _ in range(2):  # the second time both articles come from the cache
        problems = validate(layout=small_repo).problems
        assert [p.pointer for p in problems] == ["/text_sha256"] and "same text as article" in problems[0].message
    assert len(counted_article_checks) == 2


def test_a_file_that_passed_is_not_checked_again_while_it_is_unchanged(small_repo, counted_checks):
    first = validate(layout=small_repo)
    assert first.ok and len(counted_checks) == 1
    second = validate(layout=small_repo)
    assert (second.ok, second.files, second.records) == (True, first.files, first.records)
    assert len(counted_checks) == 1  # the records file came from the cache
    validate(layout=small_repo, cache=False)
    assert len(counted_checks) == 2


def test_an_edited_records_file_is_checked_again(small_repo, edit_records):
    assert validate(layout=small_repo).ok
    edit_records(lambda d: d["entities"][0].update(start=d["entities"][0]["start"] + 1))
    [problem] = validate(layout=small_repo).problems
    assert problem.pointer == "/entities/0/start"


def test_an_edited_article_checks_its_records_again(small_repo, counted_checks):
    assert validate(layout=small_repo).ok
    path = small_repo.article_path(SMALL_ARTICLE_ID)
    article = json.loads(path.read_text(encoding="utf-8"))
    start = json.loads(small_repo.records_path(SMALL_ARTICLE_ID).read_text(encoding="utf-8"))["entities"][0]["start"]
    article["text"] = article["text"][:start] + "X" + article["text"][start + 1:]  # the first mention no longer matches
    article["text_sha256"] = text_sha256(article["text"])
    path.write_text(json.dumps(article, ensure_ascii=False, indent=2), encoding="utf-8")
    problems = [str(p) for p in validate(layout=small_repo).problems]
    assert len(counted_checks) == 2
    assert any(f"{SMALL_ARTICLE_ID}:a1:e1 /entities/0/start" in p for p in problems), problems


def test_other_checking_code_is_a_cache_miss(small_repo, monkeypatch, counted_checks):
    assert validate(layout=small_repo).ok
    monkeypatch.setattr(verified, "code_digest", lambda: b"another version of the checks")
    assert validate(layout=small_repo).ok
    assert len(counted_checks) == 2


def test_a_broken_cache_is_an_empty_one_and_is_replaced(small_repo, counted_checks):
    path = verified.cache_path(small_repo)
    path.parent.mkdir()
    path.write_bytes(b"not a database")
    assert validate(layout=small_repo).ok  # checked; the broken cache is removed
    assert validate(layout=small_repo).ok  # checked; a new cache is written
    assert validate(layout=small_repo).ok  # from the new cache
    assert len(counted_checks) == 2


def test_the_cache_ignores_itself_in_git(small_repo):
    validate(layout=small_repo)
    assert (verified.cache_path(small_repo).parent / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


def test_a_release_is_the_same_with_and_without_the_cache(small_repo, counted_checks):
    assert validate(layout=small_repo).ok  # fills the cache
    with_cache = build_release(small_repo, "0.1.0")
    assert len(counted_checks) == 1  # the build took the records file from the cache
    sums = (with_cache.path / "SHA256SUMS").read_text(encoding="utf-8")
    (small_repo.root / "CHANGELOG.md").unlink(missing_ok=True)
    shutil.rmtree(with_cache.path)
    without = build_release(small_repo, "0.1.0", cache=False)
    assert len(counted_checks) == 2
    assert (without.path / "SHA256SUMS").read_text(encoding="utf-8") == sums


def test_the_cli_can_bypass_the_cache(small_repo, monkeypatch, counted_checks, capsys):
    monkeypatch.chdir(small_repo.root)
    assert main(["validate"]) == 0 and main(["validate"]) == 0
    assert len(counted_checks) == 1
    assert main(["validate", "--no-cache"]) == 0
    assert len(counted_checks) == 2


def test_convert_enters_the_files_it_wrote_and_checked(small_repo, counted_checks):
    (small_repo.labelstudio_exports / "p").mkdir(parents=True)
    write_source(small_repo.labelstudio_exports / "p", Source("p", ""))
    (small_repo.labelstudio_exports / "p" / EXPORT_NAME).write_text(json.dumps(EXPORT), encoding="utf-8")
    report = convert(layout=small_repo, allow_removal=True)  # the export replaces the committed annotation
    assert report.written and not report.problems
    checked_by_convert = len(counted_checks)
    assert validate(layout=small_repo).ok
    assert len(counted_checks) == checked_by_convert


def test_a_full_validate_keeps_entries_for_exactly_the_files_there_are(small_repo):
    import sqlite3

    def entries() -> int:
        with closing(sqlite3.connect(verified.cache_path(small_repo))) as db:
            return db.execute("SELECT count(*) FROM checked").fetchone()[0]
    files = validate(layout=small_repo).files
    assert entries() == files  # every article and every records file
    stamp = verified.cache_path(small_repo).stat().st_mtime_ns
    assert validate(layout=small_repo).ok
    assert verified.cache_path(small_repo).stat().st_mtime_ns == stamp  # nothing new: nothing written
    path = small_repo.records_path(SMALL_ARTICLE_ID)
    path.write_bytes(path.read_bytes() + b" ")  # the same records, other bytes: another key
    assert validate(layout=small_repo).ok
    assert entries() == files  # the old bytes' entry is gone, the new one's is there
