import json
import unicodedata

import pytest

from whosaidwhat import ArticleMetadata, DuplicateArticleError, Layout, ingest_files, validate
from whosaidwhat.cli import main
from whosaidwhat.core.errors import AlreadyExistsError, UnusableInputError
from whosaidwhat.corpus.ingest import normalize_text

from .conftest import REPO_ROOT


@pytest.fixture
def empty_repo(tmp_path):
    (tmp_path / "corpus").mkdir()
    return Layout(tmp_path)


def test_normalize_text_gives_nfc_and_newlines_only():
    raw = "\ufeffCafe\u0301 opens.\r\nSecond\rThird \n"
    assert normalize_text(raw) == "Caf\u00e9 opens.\nSecond\nThird"


def test_ingest_writes_one_reviewable_file_with_hash_and_unknowns_as_null(empty_repo, tmp_path):
    source = tmp_path / "story.txt"
    source.write_bytes("Line one \u2014 e\u0301.\r\nLine two.\r\n".encode())
    [article] = ingest_files([source], ArticleMetadata(outlet="Gazette"), layout=empty_repo)
    stored = json.loads(empty_repo.article_path(article["article_id"]).read_text(encoding="utf-8"))
    assert stored == article
    assert stored["text"] == "Line one \u2014 \u00e9.\nLine two."
    assert unicodedata.is_normalized("NFC", stored["text"])
    assert stored["outlet"] == "Gazette" and stored["url"] is None and stored["published_date"] is None
    assert stored["published_date_source"] is None and stored["source_file"] == "story.txt"
    assert validate(layout=empty_repo).ok


def test_ingest_refuses_an_exact_duplicate_and_leaves_the_corpus_untouched(empty_repo, tmp_path):
    (tmp_path / "a.txt").write_text("Same text.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Same text.", encoding="utf-8")
    (tmp_path / "c.txt").write_text("Other text.", encoding="utf-8")
    ingest_files([tmp_path / "a.txt"], ArticleMetadata(), layout=empty_repo)
    with pytest.raises(DuplicateArticleError, match=r"b\.txt: same text .* already in the corpus"):
        ingest_files([tmp_path / "c.txt", tmp_path / "b.txt"], ArticleMetadata(), layout=empty_repo)
    assert len(list(empty_repo.corpus.glob("*.json"))) == 1  # c.txt was not written either


def test_ingest_never_overwrites_an_article_file(empty_repo, tmp_path):
    (tmp_path / "a.txt").write_text("A text.", encoding="utf-8")
    [article] = ingest_files([tmp_path / "a.txt"], ArticleMetadata(), layout=empty_repo)
    path = empty_repo.article_path(article["article_id"])
    path.write_text('{"edited by hand": true}', encoding="utf-8")  # hash no longer in the corpus
    with pytest.raises(AlreadyExistsError, match="never overwritten"):
        ingest_files([tmp_path / "a.txt"], ArticleMetadata(), layout=empty_repo)
    assert path.read_text(encoding="utf-8") == '{"edited by hand": true}'


def test_ingest_reads_json_with_metadata_and_flags_fill_the_gaps(empty_repo, tmp_path):
    source = tmp_path / "story.json"
    source.write_text(json.dumps({"text": "Hello.", "title": "Greeting", "published_date": "2024-05-01"}))
    [article] = ingest_files([source], ArticleMetadata(outlet="Gazette", license="CC-BY-4.0"), layout=empty_repo)
    assert (article["title"], article["outlet"], article["license"]) == ("Greeting", "Gazette", "CC-BY-4.0")
    assert (article["published_date"], article["published_date_source"]) == ("2024-05-01", "recorded")


def test_ingest_rejects_json_without_text(empty_repo, tmp_path):
    source = tmp_path / "story.json"
    source.write_text('{"title": "No body"}')
    with pytest.raises(UnusableInputError, match=r"story\.json: /text"):
        ingest_files([source], ArticleMetadata(), layout=empty_repo)


def test_ingest_cli_prints_the_new_id_and_exits_1_on_a_duplicate(empty_repo, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(empty_repo.root)
    (tmp_path / "a.txt").write_text("A text.", encoding="utf-8")
    assert main(["ingest", str(tmp_path / "a.txt"), "--published-date", "2025-10", "--published-date-source", "inferred"]) == 0
    assert "added wsw-" in capsys.readouterr().out
    assert main(["ingest", str(tmp_path / "a.txt")]) == 1
    assert "same text" in capsys.readouterr().err


def test_the_seed_article_is_in_the_corpus_with_what_its_readme_says():
    layout = Layout(REPO_ROOT)
    [path] = [p for p in layout.corpus.glob("*.json")
              if json.loads(p.read_text(encoding="utf-8"))["source_file"] == "000_06a31232bc44767b.txt"]
    seed = json.loads(path.read_text(encoding="utf-8"))
    assert seed["text"].startswith("The Trump administration is reportedly preparing")
    assert seed["outlet"] is seed["url"] is seed["author"] is seed["license"] is None
    assert (seed["published_date"], seed["published_date_source"]) == ("2025-10-31", "inferred")
    assert seed["redistributable"] is False and seed["language"] == "en"
    assert seed["text"].count("\n") == 21  # 22 paragraphs, one a line


def test_the_repository_corpus_and_annotations_validate():
    report = validate(layout=Layout(REPO_ROOT))
    assert report.problems == []
