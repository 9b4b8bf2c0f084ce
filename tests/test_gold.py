"""The gold annotation of the seed article is pinned: any lost or changed annotation fails here
until the snapshot is updated on purpose, with

    python -m tests.test_gold --update
"""

from __future__ import annotations

import json
import shutil
import sys

from whosaidwhat import Layout, validate
from whosaidwhat.convert.pipeline import convert
from whosaidwhat.core.records import select
from whosaidwhat.corpus.stats import corpus_stats

from .conftest import FIXTURES, REPO_ROOT

SEED_ID = "wsw-752693cc0e635468"
SNAPSHOT = FIXTURES / "seed_gold.json"


def _gold() -> dict:
    records = json.loads(Layout(REPO_ROOT).records_path(SEED_ID).read_text(encoding="utf-8"))
    return select(records, origin="gold")


def test_the_seed_gold_equals_its_pinned_snapshot():
    assert _gold() == json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def test_the_seed_gold_counts(tmp_path):
    seed = Layout(tmp_path / "seed")  # the seed alone: the corpus has other articles with gold too
    for folder in (seed.corpus, seed.records):
        folder.mkdir(parents=True)
    shutil.copy(Layout(REPO_ROOT).article_path(SEED_ID), seed.corpus)
    shutil.copy(Layout(REPO_ROOT).records_path(SEED_ID), seed.records)
    stats = corpus_stats(seed)
    assert stats["records"] == {"entities": 49, "quotes": 17, "claims": 31}
    assert stats["quote_kind"] == {"direct": 4, "indirect": 13, "mixed": 0}
    assert stats["speaker_kind"] == {"named_person": 4, "named_organization": 2, "anonymous": 7, "pronoun": 1,
                                     "unattributed": 3}
    assert stats["checkworthiness"] == {"check_worthy": 16, "unimportant_factual": 3, "non_factual": 12}
    assert (stats["distinct_entities"], stats["claims_in_quotes"], stats["quotes_with_speaker_entity"]) == (22, 19, 6)


def test_every_quote_of_the_seed_has_the_speaker_a_reader_sees():
    quotes = {(q["speaker"] or {}).get("text"): q for q in _gold()["quotes"]}
    assert quotes["Rubio"]["speaker_entity_id"] == f"{SEED_ID}:rubio" and len(quotes["Rubio"]["content"]) == 2
    assert quotes["spokeswoman Anna Kelly"]["speaker_entity_id"] == f"{SEED_ID}:anna-kelly"
    assert quotes["one defense official"]["cue"]["text"] == "put it"
    assert {quotes[s]["speaker_kind"] for s in ("Sources", "One official", "the source", "White House officials",
                                                "officials", "U.S. intelligence agencies", "one defense official")} == {"anonymous"}
    unattributed = [q for q in _gold()["quotes"] if q["speaker"] is None]
    assert sorted(q["cue"]["text"] for q in unattributed) == ["accused of", "are accused of", "reportedly"]
    assert {q["speaker_kind"] for q in unattributed} == {"unattributed"}


def test_the_committed_records_are_exactly_what_convert_makes_of_the_committed_export(tmp_path):
    repo = Layout(tmp_path / "repo")
    shutil.copytree(REPO_ROOT / "corpus", repo.corpus)
    shutil.copytree(Layout(REPO_ROOT).labelstudio_exports, repo.labelstudio_exports)
    convert(layout=repo)
    committed = Layout(REPO_ROOT).records_path(SEED_ID).read_text(encoding="utf-8")
    assert repo.records_path(SEED_ID).read_text(encoding="utf-8") == committed
    assert validate(layout=repo).ok


if __name__ == "__main__" and "--update" in sys.argv:
    SNAPSHOT.write_text(json.dumps(_gold(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
