import json
import unicodedata

import pytest

from whosaidwhat import ArticleMetadata, DuplicateArticleError, Layout, ingest_files, validate
from whosaidwhat.cli import main
from whosaidwhat.core.errors import AlreadyExistsError, InvalidDataError, UnusableInputError
from whosaidwhat.corpus.edit import edit_article
from whosaidwhat.corpus.ingest import make_article, normalize_text

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


# -- metadata and text checked as validate checks them (corpus.metadata), and corrected with edit --

@pytest.mark.parametrize("date", ["31/10/2025", "2025-13-45", "2023-02-29", "2025-1-5", "October 2025"])
def test_ingest_refuses_a_date_that_is_not_a_calendar_date_and_adds_nothing(empty_repo, tmp_path, date):
    (tmp_path / "a.txt").write_text("A story about buses.", encoding="utf-8")
    with pytest.raises(InvalidDataError, match=r"a.txt: /published_date: .*nothing was added"):
        ingest_files([tmp_path / "a.txt"], ArticleMetadata(published_date=date), layout=empty_repo)
    assert list(empty_repo.corpus.iterdir()) == []


@pytest.mark.parametrize("date", ["2025", "2025-10", "2024-02-29", "2025-10-31T09:30:00Z"])
def test_ingest_accepts_a_year_a_month_or_a_day(empty_repo, tmp_path, date):
    (tmp_path / "a.txt").write_text("A story about buses.", encoding="utf-8")
    [article] = ingest_files([tmp_path / "a.txt"], ArticleMetadata(published_date=date), layout=empty_repo)
    assert article["published_date"] == date and validate(layout=empty_repo).ok


def test_ingest_refuses_a_url_without_scheme_and_a_licence_spdx_does_not_know(empty_repo, tmp_path):
    (tmp_path / "a.txt").write_text("A story about buses.", encoding="utf-8")
    with pytest.raises(InvalidDataError) as refused:
        ingest_files([tmp_path / "a.txt"], ArticleMetadata(url="www.example.org/a", license="CC BY 2.5"), layout=empty_repo)
    assert [pointer for pointer, _ in refused.value.problems] == ["/url", "/license"]
    [article] = ingest_files([tmp_path / "a.txt"], ArticleMetadata(url="https://example.org/a", license="CC-BY-2.5"),
                             layout=empty_repo)
    assert article["license"] == "CC-BY-2.5"


def test_ingest_names_a_control_character_and_its_position(empty_repo, tmp_path):
    (tmp_path / "a.txt").write_text("Tab\tand newline\nare text; NUL\x00 is not.", encoding="utf-8")
    with pytest.raises(InvalidDataError, match=r"/text: holds U\+0000 \(a control character\) at position 29"):
        ingest_files([tmp_path / "a.txt"], ArticleMetadata(), layout=empty_repo)


def _hand_made_article(layout, **fields):
    """An article file written by hand (not by ingest), as a contributor might."""
    text = fields.pop("text", "A story about buses.")
    article = make_article(text, ArticleMetadata(), source_file="hand.txt")
    article.update(text=text, **fields)
    raw = json.dumps(article, ensure_ascii=True)  # a lone surrogate survives only as an escape
    layout.article_path(article["article_id"]).write_text(raw, encoding="utf-8")
    return article["article_id"]


def test_validate_reports_a_lone_surrogate_and_a_bad_date_as_problems_never_a_traceback(empty_repo):
    _hand_made_article(empty_repo, text="Broken \ud800 text.", published_date="2025-13-45",
                       published_date_source="recorded")
    report = validate(layout=empty_repo)
    pointers = {p.pointer for p in report.problems}
    assert {"/text", "/published_date"} <= pointers and not report.ok
    assert any("U+D800 (a lone surrogate) at position 7" in p.message for p in report.problems)


def test_edit_corrects_the_metadata_and_never_the_text_or_id(empty_repo, monkeypatch, capsys):
    article_id = _hand_made_article(empty_repo, published_date="31/10/2025", published_date_source="recorded")
    before = json.loads(empty_repo.article_path(article_id).read_text())
    assert not validate(layout=empty_repo).ok
    monkeypatch.chdir(empty_repo.root)
    assert main(["edit", article_id, "--published-date", "2025-10-31", "--outlet", "Gazette"]) == 0
    assert f"{article_id}: published_date '31/10/2025' -> '2025-10-31'" in capsys.readouterr().out
    after = json.loads(empty_repo.article_path(article_id).read_text())
    assert {k: v for k, v in after.items() if k not in ("published_date", "outlet")} == \
        {k: v for k, v in before.items() if k not in ("published_date", "outlet")}
    assert validate(layout=empty_repo).ok


def test_edit_refuses_a_bad_value_and_leaves_the_file_as_it_was(empty_repo, monkeypatch, capsys):
    article_id = _hand_made_article(empty_repo)
    raw = empty_repo.article_path(article_id).read_bytes()
    monkeypatch.chdir(empty_repo.root)
    assert main(["edit", article_id, "--published-date", "2025-13-45"]) == 1
    assert "/published_date" in capsys.readouterr().err
    assert main(["edit", article_id, "--license", "Beerware-ish"]) == 1
    assert empty_repo.article_path(article_id).read_bytes() == raw


def test_edit_clears_a_field_with_an_empty_value_and_its_date_source_with_the_date(empty_repo):
    article_id = _hand_made_article(empty_repo, published_date="2025-10", published_date_source="inferred")
    assert edit_article(empty_repo, article_id, {"published_date": ""}) == {
        "published_date": ("2025-10", None), "published_date_source": ("inferred", None)}
    assert edit_article(empty_repo, article_id, {"published_date": ""}) == {}


def test_ingest_checks_every_metadata_string_as_text_before_writing_any_file(empty_repo, tmp_path):
    (tmp_path / "a.txt").write_text("A first story.", encoding="utf-8")
    (tmp_path / "b.json").write_text('{"text": "A second story.", "title": "caf\\udc80 \\u0001"}', encoding="utf-8")
    with pytest.raises(InvalidDataError, match=r"b.json: /title: holds U\+DC80 \(a lone surrogate\) at position 3"):
        ingest_files([tmp_path / "a.txt", tmp_path / "b.json"], ArticleMetadata(), layout=empty_repo)
    assert list(empty_repo.corpus.iterdir()) == []  # not even the first file


def test_validate_reports_a_control_character_in_a_title(empty_repo):
    _hand_made_article(empty_repo, title="Bad\x01title")
    report = validate(layout=empty_repo)
    assert not report.ok and any(p.pointer == "/title" and "U+0001" in p.message for p in report.problems)


def test_a_language_that_is_no_bcp47_tag_and_an_unknown_date_source_are_refused_by_ingest_and_edit(empty_repo, tmp_path):
    (tmp_path / "a.txt").write_text("A story about buses.", encoding="utf-8")
    with pytest.raises(InvalidDataError, match=r"/language: 'English' is not a BCP-47 language tag"):
        ingest_files([tmp_path / "a.txt"], ArticleMetadata(language="English"), layout=empty_repo)
    article_id = _hand_made_article(empty_repo, published_date="2025-10", published_date_source="recorded")
    with pytest.raises(InvalidDataError, match=r"/published_date_source: 'guessed' is not one of recorded, inferred"):
        edit_article(empty_repo, article_id, {"published_date_source": "guessed"})
    with pytest.raises(InvalidDataError, match=r"/redistributable: 'yes' is not true or false"):
        edit_article(empty_repo, article_id, {"redistributable": "yes"})
