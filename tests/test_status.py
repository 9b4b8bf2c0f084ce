"""whosaidwhat status: where each article stands, from the files alone."""

import json

from whosaidwhat import ArticleMetadata, build_release, ingest_files
from whosaidwhat.cli import main
from whosaidwhat.use.status import article_status

from .conftest import REPO_ROOT, SMALL_ARTICLE_ID


def test_status_follows_an_article_from_ingest_to_release(small_repo, tmp_path, monkeypatch, capsys):
    (tmp_path / "new.txt").write_text("A new story nobody has annotated yet.", encoding="utf-8")
    [new] = ingest_files([tmp_path / "new.txt"], ArticleMetadata(title="New story"), layout=small_repo)
    states = {row.article_id: row.state for row in article_status(small_repo)}
    assert states == {new["article_id"]: "ingested", SMALL_ARTICLE_ID: "gold"}
    build_release(small_repo, "0.1.0")
    rows = {row.article_id: row for row in article_status(small_repo)}
    assert rows[SMALL_ARTICLE_ID].state == "released" and rows[SMALL_ARTICLE_ID].released_in == ["0.1.0"]
    assert rows[new["article_id"]].released_in == []
    monkeypatch.chdir(small_repo.root)
    assert main(["status", "--format", "json"]) == 0
    listed = {row["article_id"]: row for row in json.loads(capsys.readouterr().out)}
    assert listed[new["article_id"]]["state"] == "ingested" and listed[new["article_id"]]["title"] == "New story"
    assert main(["status"]) == 0
    assert "2 article(s): 1 ingested, 1 released" in capsys.readouterr().out


def test_status_of_the_repository_names_its_sources_annotators_and_releases():
    from whosaidwhat import Layout
    rows = {row.article_id: row for row in article_status(Layout(REPO_ROOT))}
    lanterns = rows["wsw-6cf025dd006ec940"]
    assert lanterns.sources == ["ls-ff78e30c"] and len(lanterns.annotators) == 2 and lanterns.gold
    assert "0.2.0" in lanterns.released_in and all(row.state == "released" for row in rows.values())


def test_status_words_a_broken_release_shard_in_one_line(small_repo, monkeypatch, capsys):
    build_release(small_repo, "0.1.0")
    [shard] = (small_repo.releases / "0.1.0" / "articles").glob("*.parquet")
    shard.write_bytes(shard.read_bytes()[:100])
    monkeypatch.chdir(small_repo.root)
    assert main(["status"]) == 2
    err = capsys.readouterr().err
    assert "cannot be read" in err and "whosaidwhat verify 0.1.0" in err and "Traceback" not in err


def test_status_passes_over_a_malformed_task_and_a_records_file_of_the_wrong_shape(small_repo):
    from whosaidwhat.labelstudio.sources import Source, write_source
    folder = small_repo.labelstudio_exports / "p"
    folder.mkdir(parents=True)
    write_source(folder, Source("p", ""))
    (folder / "export-20260101T000000Z.json").write_text('[{"id": 1, "data": {"article_id": "%s"}}, 3]' % SMALL_ARTICLE_ID,
                                                        encoding="utf-8")
    (small_repo.records / "wsw-0000000000000000.json").write_text("[]", encoding="utf-8")
    rows = {row.article_id: row for row in article_status(small_repo)}
    assert rows[SMALL_ARTICLE_ID].sources == ["p"]


def test_an_article_the_newest_release_no_longer_holds_is_withdrawn(small_repo):
    build_release(small_repo, "0.1.0")
    (small_repo.releases / "0.2.0").mkdir()  # a newer version without it
    (small_repo.releases / "0.2.0" / "SHA256SUMS").write_text("", encoding="utf-8")
    [row] = [r for r in article_status(small_repo) if r.article_id == SMALL_ARTICLE_ID]
    assert (row.state, row.released_in, row.newest_release) == ("withdrawn", ["0.1.0"], "0.2.0")
