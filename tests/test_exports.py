"""Loaders and exports on a built release (two articles: the seed, not redistributable, and the
small fixture article) and on its dry-run publish folder; each export is read back by its tool."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

import whosaidwhat
from whosaidwhat.use.formats import write_brat, write_conll, write_spacy
from whosaidwhat.release.features import config_features, configs
from whosaidwhat.release.publish import publish
from whosaidwhat.release.build import build_release

from .conftest import REPO_ROOT, SMALL_ARTICLE_ID
from .test_release import EXPECTED_ROWS, SEED_ID, make_repo


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    layout = make_repo(tmp_path_factory.mktemp("exports") / "repo")
    build_release(layout, "0.1.0")
    return layout.releases / "0.1.0"


@pytest.fixture(scope="module")
def standoff(release, tmp_path_factory):
    folder = tmp_path_factory.mktemp("standoff") / "copy"
    publish(release, "org/x", dry_run=folder)
    return folder


@pytest.mark.parametrize("config", configs())
def test_load_opens_every_config_of_a_release_and_of_a_dry_run_copy(release, standoff, config):
    for source in (release, standoff):
        loaded = whosaidwhat.load(config, source=source)
        assert {s: d.num_rows for s, d in loaded.items()} == EXPECTED_ROWS[config]
        assert next(iter(loaded.values())).features == config_features(config)
    assert whosaidwhat.load(config, source=release, split="validation").num_rows == EXPECTED_ROWS[config]["validation"]


def test_the_views_join_quotes_with_speakers_and_claims_with_quotes(release):
    quotes = whosaidwhat.quotes_with_speakers(source=release)
    kelly = quotes[quotes["speaker_text"] == "spokeswoman Anna Kelly"].iloc[0]
    assert (kelly["speaker_entity"], kelly["speaker_entity_label"], kelly["kind"]) == ("Anna Kelly", "PERSON", "direct")
    claims = whosaidwhat.claims_with_quotes(source=release)
    made_by = dict(zip(claims["text"], claims["made_by"]))
    assert made_by["which killed roughly 70,000 Americans in 2023"] == "the article"
    assert made_by["You have a narco-state in Venezuela run by a cartel"] == "Rubio"
    assert made_by["Both groups are accused of using Venezuela’s ports and airfields to move narcotics throughout the region"] \
        == "unnamed (unattributed)"


def test_iterating_documents_gives_articles_with_their_layers(release):
    docs = whosaidwhat.load("documents", source=release)["train"]
    [(article, entities, quotes, claims)] = list(whosaidwhat.iter_documents(docs))
    assert article["article_id"] == SMALL_ARTICLE_ID and entities[0]["label"] == "PERSON"
    assert quotes[1]["speaker_kind"] == "pronoun" and claims[1]["claim_type"] == "quantity"


def test_highlight_by_article_id_draws_every_layer(release):
    page = whosaidwhat.highlight(SEED_ID, source=release)
    assert page._repr_html_().count("border-bottom:3px solid") >= 49 + 11  # mentions and the legend
    assert 'title="direct quote, speaker named_person: Rubio"' in page
    assert "No text in this copy" not in page


def test_conll_export_parses_with_the_tags_of_the_ner_config(release, tmp_path):
    report = write_conll(release, tmp_path)
    ner = whosaidwhat.load("ner", source=release)
    for split, ds in ner.items():
        blocks = [b for b in (tmp_path / f"{split}.conll").read_text(encoding="utf-8").split("\n\n") if b.strip()]
        sentences = [[line.split("\t") for line in b.splitlines()] for b in blocks if not b.startswith("-DOCSTART-")]
        names = ds.features["ner_tags"].feature
        assert [[t for t, _ in s] for s in sentences] == ds["tokens"]
        assert [[tag for _, tag in s] for s in sentences] == [[names.int2str(i) for i in row] for row in ds["ner_tags"]]
    assert report.documents == 2


def test_brat_ann_offsets_slice_the_txt_to_the_span_texts(release, tmp_path):
    write_brat(release, tmp_path)
    assert "speaker_of\tArg1:Speaker, Arg2:Quote" in (tmp_path / "annotation.conf").read_text()
    ann = (tmp_path / "validation" / f"{SEED_ID}.ann").read_text(encoding="utf-8").splitlines()
    text = (tmp_path / "validation" / f"{SEED_ID}.txt").read_text(encoding="utf-8")
    terms = [line.split("\t") for line in ann if line.startswith("T")]
    assert len(terms) == 49 + 17 + 14 + 17 + 31  # entities, quotes (one T each, discontinuous), speakers, cues, claims
    for _, label_offsets, shown in terms:
        offsets = [tuple(map(int, part.split())) for part in label_offsets.split(" ", 1)[1].split(";")]
        assert " ".join(text[a:b] for a, b in offsets) == shown
    relations = [line for line in ann if line.startswith("R")]
    assert [sum(name in r for r in relations) for name in ("speaker_of", "cue_of", "made_in")] == [14, 17, 19]
    assert any(re.match(r"A\d+\tspeaker_kind T\d+ anonymous", line) for line in ann)


def test_spacy_reads_the_docbin_and_its_entities_equal_the_gold(release, tmp_path):
    import spacy
    from spacy.tokens import DocBin
    report = write_spacy(release, tmp_path)
    assert report.misaligned == {}
    nlp = spacy.blank("en")
    [doc] = list(DocBin().from_disk(tmp_path / "validation.spacy").get_docs(nlp.vocab))
    gold = whosaidwhat.frame("entities", source=release)
    gold = gold[gold["article_id"] == SEED_ID]
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == list(zip(gold["start"], gold["end"], gold["label"]))
    assert len(doc.spans["claims"]) == 31 and {s.label_ for s in doc.spans["quotes"]} == {"content", "speaker", "cue"}
    assert doc.user_data["article_id"] == SEED_ID


def test_a_standoff_copy_exports_only_the_articles_with_text(standoff, tmp_path):
    report = write_brat(standoff, tmp_path)
    assert report.skipped_without_text == [SEED_ID] and report.documents == 1


@pytest.mark.parametrize("script", ["load_release.py", "query_duckdb.py", "export_conll.py", "export_brat.py",
                                    "export_spacy.py"])
def test_every_script_runs_on_a_release(release, tmp_path, script):
    extra = [str(tmp_path / "out")] if script.startswith("export") else []
    done = subprocess.run([sys.executable, str(REPO_ROOT / "scripts" / script), str(release), *extra],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip()
