"""Building releases from a repository with two gold-annotated articles: the seed (not
redistributable) and the small fixture article (redistributable)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import datasets
import pyarrow.parquet as pq
import pytest

from whosaidwhat import InvalidDataError, Layout
from whosaidwhat.core.errors import AlreadyExistsError
from whosaidwhat.release.features import config_features, configs
from whosaidwhat.release.build import build_release, split_of
from whosaidwhat.release.files import read_sums, sha256_of
from whosaidwhat.release.versions import diff_releases

from .conftest import FIXTURES, REPO_ROOT, SMALL_ARTICLE_ID

SEED_ID = "wsw-752693cc0e635468"
EXPECTED_ROWS = {  # config -> split -> rows: the seed is in validation, the small article in train
    "documents": {"train": 1, "validation": 1}, "articles": {"train": 1, "validation": 1},
    "entities": {"train": 3, "validation": 49}, "quotes": {"train": 3, "validation": 17},
    "claims": {"train": 2, "validation": 31}, "annotator_records": {"validation": 1},
    "ner": {"train": 3, "validation": 22},
}


def make_repo(root: Path) -> Layout:
    layout = Layout(root)
    layout.records.mkdir(parents=True)
    shutil.copytree(REPO_ROOT / "corpus", layout.corpus)
    shutil.copy(Layout(REPO_ROOT).records_path(SEED_ID), layout.records)
    small = Layout(FIXTURES / "small_repo")
    shutil.copy(small.article_path(SMALL_ARTICLE_ID), layout.corpus)
    shutil.copy(small.records_path(SMALL_ARTICLE_ID), layout.records)
    (root / "DATASHEET.md").write_text("# Datasheet\n\n## Composition\n\ntext\n\n## Collection\n\nmore\n", encoding="utf-8")
    return layout


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Layout:
    layout = make_repo(tmp_path_factory.mktemp("release") / "repo")
    build_release(layout, "0.1.0")
    return layout


@pytest.fixture
def repo(tmp_path) -> Layout:
    return make_repo(tmp_path / "repo")


def _records(layout, article_id):
    return json.loads(layout.records_path(article_id).read_text(encoding="utf-8"))


def _save(layout, article_id, records):
    layout.records_path(article_id).write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")


@pytest.mark.parametrize("config", configs())
def test_every_config_loads_with_its_declared_features_and_row_counts(built, config):
    loaded = datasets.load_dataset(str(built.releases / "0.1.0"), config)
    assert {split: ds.num_rows for split, ds in loaded.items()} == EXPECTED_ROWS[config]
    for ds in loaded.values():
        assert ds.features == config_features(config)


def test_the_default_config_is_documents_with_class_label_names_from_the_taxonomy(built):
    docs = datasets.load_dataset(str(built.releases / "0.1.0"))["validation"]
    assert docs.features["quotes"].feature["speaker_kind"].names == ["named_person", "named_organization", "anonymous",
                                                                      "pronoun", "unattributed"]
    seed = docs[0]
    assert seed["article_id"] == SEED_ID and len(seed["quotes"]) == 17
    quote = seed["quotes"][0]
    assert seed["text"][quote["content"][0]["start"]:quote["content"][0]["end"]] == quote["content"][0]["text"]


def test_pandas_polars_and_duckdb_read_the_shards(built):
    import duckdb
    import pandas as pd
    import polars as pl
    shard = str(built.releases / "0.1.0" / "quotes" / "validation-00000-of-00001.parquet")
    assert len(pd.read_parquet(shard)) == 17
    assert pl.read_parquet(shard).height == 17
    pattern = str(built.releases / "0.1.0" / "claims" / "*.parquet")
    assert duckdb.sql(f"select count(*) from read_parquet('{pattern}')").fetchall() == [(33,)]


def test_the_release_is_self_contained_without_python_files(built):
    folder = built.releases / "0.1.0"
    assert not list(folder.rglob("*.py"))
    assert {"README.md", "SHA256SUMS", "croissant.json", "LICENSE.md", "agreement.json"} <= {p.name for p in folder.iterdir()}
    sums = read_sums(folder)
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != "SHA256SUMS"}
    assert set(sums) == files
    assert all(sha256_of(folder / name) == digest for name, digest in sums.items())


def test_the_card_declares_configs_sizes_and_the_small_corpus_rule(built):
    card = (built.releases / "0.1.0" / "README.md").read_text(encoding="utf-8")
    yaml = card.split("---")[1]
    assert "config_name: documents" in yaml and "default: true" in yaml and "num_examples: 49" in yaml
    for key in ("license:", "language:", "pretty_name:", "task_categories:", "size_categories:", "dataset_info:"):
        assert key in yaml
    assert "in this version test has no article" in card
    assert "not measured" in card and "IOB2" in card and "Articles by number of annotators: 1: 0, 2: 0" in card


def test_building_the_same_inputs_twice_gives_byte_identical_files(built, tmp_path):
    other = make_repo(tmp_path / "again")
    build_release(other, "0.1.0")
    first, second = built.releases / "0.1.0", other.releases / "0.1.0"
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_rebuilding_a_released_version_with_the_same_inputs_is_a_no_op(built):
    assert build_release(built, "0.1.0").unchanged is True


def test_a_released_version_is_never_rebuilt_with_other_content(repo):
    build_release(repo, "0.1.0")
    before = (repo.releases / "0.1.0" / "SHA256SUMS").read_bytes()
    records = _records(repo, SMALL_ARTICLE_ID)
    records["claims"][0]["checkworthiness"] = "non_factual"
    _save(repo, SMALL_ARTICLE_ID, records)
    with pytest.raises(AlreadyExistsError, match="0.1.0 is already released with other content"):
        build_release(repo, "0.1.0")
    assert (repo.releases / "0.1.0" / "SHA256SUMS").read_bytes() == before
    assert [p.name for p in repo.releases.iterdir() if p.name != ".lock"] == ["0.1.0"]  # no half-written folder left


def test_invalid_data_gives_no_release(repo):
    records = _records(repo, SMALL_ARTICLE_ID)
    records["entities"][0]["start"] += 1
    _save(repo, SMALL_ARTICLE_ID, records)
    with pytest.raises(InvalidDataError, match="1 validation problem"):
        build_release(repo, "0.1.0")
    assert not repo.releases.exists() or [p.name for p in repo.releases.iterdir()] in ([], [".lock"])


def test_a_split_with_no_entities_still_has_the_full_schema(repo):
    records = _records(repo, SMALL_ARTICLE_ID)
    records["entities"] = []
    for quote in records["quotes"]:
        quote["speaker_entity_id"] = None
    _save(repo, SMALL_ARTICLE_ID, records)
    build_release(repo, "0.1.0")
    shard = repo.releases / "0.1.0" / "documents" / "train-00000-of-00001.parquet"
    assert str(pq.read_schema(shard).field("entities").type).startswith("list<element: struct<mention_id: string")
    train = datasets.load_dataset(str(repo.releases / "0.1.0"))["train"]
    assert train[0]["entities"] == [] and train.features == config_features("documents")


def test_shards_are_cut_by_size_and_named_like_the_hub(repo):
    build_release(repo, "0.1.0", batch_size=5, max_shard_bytes=1)
    names = sorted(p.name for p in (repo.releases / "0.1.0" / "entities").iterdir())
    assert names[0] == "train-00000-of-00001.parquet"
    assert names[-1] == "validation-00009-of-00010.parquet" and len(names) == 11
    assert datasets.load_dataset(str(repo.releases / "0.1.0"), "entities")["validation"].num_rows == 49


def test_splits_depend_only_on_the_article_id():
    assert split_of(SEED_ID) == "validation" and split_of(SMALL_ARTICLE_ID) == "train"
    ids = [f"wsw-{i:016x}" for i in range(5000)]
    shares = {s: sum(split_of(a) == s for a in ids) / len(ids) for s in ("train", "validation", "test")}
    assert 0.77 < shares["train"] < 0.83 and 0.08 < shares["validation"] < 0.12 and 0.08 < shares["test"] < 0.12


def test_diff_changelog_and_the_version_warning(repo):
    build_release(repo, "0.1.0")
    records = _records(repo, SMALL_ARTICLE_ID)
    extra = dict(records["claims"][1], claim_id=f"{SMALL_ARTICLE_ID}:a1:c9", checkworthiness="unimportant_factual")
    records["claims"].append(extra)
    _save(repo, SMALL_ARTICLE_ID, records)
    patch = build_release(repo, "0.1.1")
    assert patch.warnings == ["version 0.1.1 is a patch bump over 0.1.0, but the change calls for a minor bump "
                              "(patch: same data; minor: additions only; major: changed or removed records, or split moves)"]
    diff = diff_releases(repo.releases / "0.1.0", repo.releases / "0.1.1")
    assert (diff.layers["claims"].added, diff.layers["entities"].added, diff.level) == (1, 0, "minor")
    records["claims"][0]["claim_type"] = "other"
    _save(repo, SMALL_ARTICLE_ID, records)
    assert build_release(repo, "1.0.0").warnings == []
    changelog = (repo.root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.index("## 1.0.0") < changelog.index("## 0.1.1") < changelog.index("## 0.1.0")
    assert "- claims: +0 added, -0 removed, ~1 changed" in changelog
    assert "First release: articles 2, entities 52, quotes 20, claims 33." in changelog


def test_build_regenerates_the_datasheet_statistics(built):
    datasheet = (built.root / "DATASHEET.md").read_text(encoding="utf-8")
    assert "<!-- stats:start -->" in datasheet and "articles with gold annotations: 2 (1 redistributable)" in datasheet
    assert datasheet.index("stats:end") < datasheet.index("## Collection")


def test_croissant_metadata_validates_and_reads_the_records(built):
    import subprocess
    import sys

    import mlcroissant as mlc
    checked = subprocess.run([str(Path(sys.executable).parent / "mlcroissant"), "validate", "--jsonld",
                              str(built.releases / "0.1.0" / "croissant.json")], capture_output=True, text=True)
    assert checked.returncode == 0 and "warning" not in checked.stderr.lower(), checked.stderr[-2000:]
    dataset = mlc.Dataset(jsonld=str(built.releases / "0.1.0" / "croissant.json"))
    assert dataset.metadata.version == "0.1.0"
    claims = list(dataset.records("claims"))
    assert len(claims) == 33


CURRENT = "0.2.1"  # the newest committed release, the one scripts/main rebuilds


def test_the_newest_committed_release_is_rebuilt_byte_for_byte_from_the_repository(tmp_path):
    """releases/ is committed; the corpus and annotations in the repository rebuild the newest release
    exactly (older ones stay as committed, checked against their SHA256SUMS)."""
    layout = Layout(tmp_path / "repo")
    shutil.copytree(REPO_ROOT / "corpus", layout.corpus)
    shutil.copytree(Layout(REPO_ROOT).records, layout.records)
    shutil.copy(Layout(REPO_ROOT).annotations / "ANNOTATORS.md", layout.annotations)  # who annotated, in the card
    (layout.root / "benchmarks").mkdir()
    shutil.copy(REPO_ROOT / "benchmarks" / "preannotate.json", layout.root / "benchmarks")  # the card's pre-annotation figures
    build_release(layout, CURRENT)
    committed = Layout(REPO_ROOT).releases
    assert (layout.releases / CURRENT / "SHA256SUMS").read_text() == (committed / CURRENT / "SHA256SUMS").read_text()
    assert "preannotation.json" in read_sums(layout.releases / CURRENT)
    assert "## Pre-annotation" in (layout.releases / CURRENT / "README.md").read_text(encoding="utf-8")
    for release in (folder for folder in committed.iterdir() if folder.is_dir()):  # not a build's .lock
        assert all(sha256_of(release / name) == digest for name, digest in read_sums(release).items())


def test_two_releases_with_one_name_and_the_same_sizes_load_their_own_rows(tmp_path):
    from whosaidwhat import load
    folders = []
    for label in ("NORP", "PERSON"):
        root = tmp_path / label / "repo"
        shutil.copytree(FIXTURES / "small_repo", root)
        layout = Layout(root)
        records = _records(layout, SMALL_ARTICLE_ID)
        records["entities"] = [dict(e, label=label, entity_id=None) for e in records["entities"] if e["origin"] == "gold"][:1]
        records["quotes"] = [dict(q, speaker_entity_id=None) for q in records["quotes"]]
        _save(layout, SMALL_ARTICLE_ID, records)
        build_release(layout, "0.1.0")
        folders.append(layout.releases / "0.1.0")
    cards = [(folder / "README.md").read_text().split("---")[1] for folder in folders]
    assert cards[0] == cards[1]  # datasets would name both caches alike
    labels = [load("entities", source=folder) for folder in folders]
    assert [next(iter(ds.values())).features["label"].int2str(next(iter(ds.values()))[0]["label"]) for ds in labels] == \
        ["NORP", "PERSON"]


def _entities_release(folder, names, rows):
    from datasets import ClassLabel, Features, Value

    from whosaidwhat.release.features import RowEncoder
    from whosaidwhat.release.shards import SplitWriter
    features = Features({"mention_id": Value("string"), "label": ClassLabel(names=names)})
    writer = SplitWriter(folder / "entities", "train", features)
    writer.add_table(RowEncoder(features)(rows))
    writer.close()
    return folder


def test_diff_compares_label_names_not_ids_when_the_label_set_changed(tmp_path):
    old = _entities_release(tmp_path / "old", ["PERSON", "ORG"], [{"mention_id": "m1", "label": "PERSON"}])
    reordered = _entities_release(tmp_path / "new", ["ORG", "PERSON"], [{"mention_id": "m1", "label": "PERSON"}])
    assert diff_releases(old, reordered).layers["entities"].changed == 0  # the same label, another id
    relabelled = _entities_release(tmp_path / "relabelled", ["PERSON", "ORG"], [{"mention_id": "m1", "label": "ORG"}])
    assert diff_releases(old, relabelled).layers["entities"].changed == 1


def _only(value, feature):
    """``value`` with only the fields ``feature`` declares (rows may carry more; Arrow reads only these)."""
    if isinstance(value, dict) and isinstance(feature, dict):
        return {key: _only(value.get(key), child) for key, child in feature.items()}
    if isinstance(value, list) and isinstance(feature, datasets.List):
        return [_only(item, feature.feature) for item in value]
    return value


def test_the_row_encoder_gives_what_datasets_encode_example_gives(small_repo):
    import pyarrow as pa

    from whosaidwhat.release.features import config_encoder
    from whosaidwhat.core.tokenizer import ner_rows
    from whosaidwhat.release.ner import ner_table
    from whosaidwhat.release.build import bundle_of, documents_table, rows_of
    from whosaidwhat.validation.records import read_checked_records
    checked = read_checked_records(small_repo.records_path(SMALL_ARTICLE_ID), small_repo)
    bundle = bundle_of(checked.data, small_repo, checked.article)
    rows: dict[str, list[dict]] = {"ner": list(ner_rows(bundle.article, bundle.gold["entities"]))}
    for config, row in rows_of(bundle):
        rows.setdefault(config, []).append(row)
    assert ner_table([(bundle.article, bundle.gold["entities"])]).equals(config_encoder("ner")(rows["ner"]))
    rows["documents"] = [{**rows["articles"][0], **bundle.gold}]
    layers = {layer: config_encoder(layer)(rows[layer]) for layer in ("entities", "quotes", "claims")}
    counts = {layer: [len(bundle.gold[layer])] for layer in layers}
    assert documents_table(config_encoder("articles")(rows["articles"]), layers, counts).equals(
        config_encoder("documents")(rows["documents"]))
    assert documents_table(config_encoder("articles")(rows["articles"]), {}, {layer: [0] for layer in layers}).equals(
        config_encoder("documents")([{**rows["articles"][0], "entities": [], "quotes": [], "claims": []}]))
    assert set(rows) >= set(configs()) - {"annotator_records"}
    rows["quotes"].append({**rows["quotes"][0], "cue": None, "kind": None, "content": []})  # nulls stay null
    for config, items in rows.items():
        features = config_features(config)
        expected = pa.Table.from_pylist([features.encode_example(_only(row, features)) for row in items],
                                        schema=features.arrow_schema)
        assert config_encoder(config)(items).equals(expected), config
    with pytest.raises(ValueError, match="/label: 'BUILDING' is not one of the labels"):
        config_encoder("entities")([{**rows["entities"][0], "label": "BUILDING"}])


def _readers_of_parquet(monkeypatch) -> list[str]:
    """Every path a pyarrow.parquet reader or a ``release.files`` reader is called on from now on."""
    import sys

    from whosaidwhat.release import files
    seen: list[str] = []

    def spy(read):
        def reading(path, *args, **kwargs):
            seen.append(str(path))
            return read(path, *args, **kwargs)
        return reading
    for name in ("ParquetFile", "read_table", "read_metadata", "read_schema", "read_pandas", "ParquetDataset"):
        monkeypatch.setattr(pq, name, spy(getattr(pq, name)))
    for module, name in [(m, n) for key, m in sys.modules.items() if key.startswith("whosaidwhat") for n in ("shards", "iter_rows")]:
        if getattr(module, name, None) is getattr(files, name):
            monkeypatch.setattr(module, name, spy(getattr(files, name)))
    return seen


def _add_a_claim(layout: Layout) -> None:
    records = _records(layout, SMALL_ARTICLE_ID)
    records["claims"].append(dict(records["claims"][1], claim_id=f"{SMALL_ARTICLE_ID}:a1:c9"))
    _save(layout, SMALL_ARTICLE_ID, records)


def test_a_build_reads_none_of_its_own_shards_back(repo, monkeypatch):
    """The card, croissant.json, SHA256SUMS, the CHANGELOG and the DATASHEET of a build come from
    what it gathered while writing; only the previous version is read, for the diff."""
    build_release(repo, "0.1.0", batch_size=5, max_shard_bytes=1)
    _add_a_claim(repo)
    seen = _readers_of_parquet(monkeypatch)
    result = build_release(repo, "0.1.1", batch_size=5, max_shard_bytes=1)
    assert result.warnings and "calls for a minor bump" in result.warnings[0]
    assert [path for path in seen if Path(path).is_relative_to(repo.releases)
            and "0.1.1" in Path(path).relative_to(repo.releases).parts[0]] == []  # .0.1.1.building-*, 0.1.1
    assert any("/0.1.0/" in path for path in seen)  # the diff read the previous version
    seen.clear()
    assert build_release(repo, "0.1.1", batch_size=5, max_shard_bytes=1).unchanged
    assert seen == []  # its CHANGELOG entry is there: no diff, nothing read at all
    assert "- claims: +1 added, -0 removed, ~0 changed" in (repo.root / "CHANGELOG.md").read_text(encoding="utf-8")


def test_a_rebuild_whose_changelog_entry_was_lost_writes_it_again_from_what_it_gathered(repo):
    import re
    build_release(repo, "0.1.0")
    _add_a_claim(repo)
    build_release(repo, "0.1.1")
    changelog = repo.root / "CHANGELOG.md"
    written = changelog.read_text(encoding="utf-8")
    changelog.write_text(re.sub(r"## 0\.1\.1\n.*?(?=## 0\.1\.0)", "", written, flags=re.S), encoding="utf-8")
    assert build_release(repo, "0.1.1").unchanged and changelog.read_text(encoding="utf-8") == written


def test_the_description_gathered_while_writing_equals_the_one_read_from_the_folder(repo, tmp_path):
    import dataclasses

    from whosaidwhat.release.build import write_configs
    from whosaidwhat.release.description import describe_folder
    from whosaidwhat.release.versions import _digests, id_fields
    folder = tmp_path / "release"  # every shard holds 5 rows: many shards, cut mid-table
    for decode in (False, True):
        shutil.rmtree(folder, ignore_errors=True)
        gathered = write_configs(repo, folder, batch_size=5, max_shard_bytes=1,
                                 digest_modes={config: decode for config in id_fields()}).description
        read = describe_folder(folder)
        described = [field.name for field in dataclasses.fields(read) if field.name not in ("digest_modes", "digests")]
        assert {name: getattr(gathered, name) for name in described} == {name: getattr(read, name) for name in described}
        assert gathered.stats == read.stats and gathered.rows == EXPECTED_ROWS and len(read.shards["entities"]["validation"]) == 10
        assert all(gathered.example(config) == read.example(config) is not None for config in configs())
        for config in id_fields():
            assert gathered.digests[config].by_id() == _digests(folder, config, decode=decode), config


def test_a_release_is_found_by_version_as_a_folder_or_as_the_newest(built, tmp_path, monkeypatch):
    from whosaidwhat.core.errors import CorpusError
    from whosaidwhat.release.folders import release_folder
    from whosaidwhat.use.loaders import release_path
    folder = built.releases / "0.1.0"
    assert release_folder("0.1.0", built) == release_folder(None, built) == release_folder(folder) == folder
    monkeypatch.chdir(built.root)
    assert release_path().resolve() == release_path("0.1.0").resolve() == folder.resolve()
    with pytest.raises(CorpusError, match=r"releases/9\.9\.9: no such release; build it with `whosaidwhat build --version 9\.9\.9`"):
        release_folder("9.9.9", built)
    (tmp_path / "copy").mkdir()
    with pytest.raises(CorpusError, match=r"copy: not a built release \(no SHA256SUMS\)"):
        release_folder(tmp_path / "copy", built)
    with pytest.raises(CorpusError, match=r"no release built yet; build one with `whosaidwhat build --version X\.Y\.Z`"):
        release_folder(None, Layout(tmp_path))


def test_a_text_under_its_own_licence_is_attributed_in_the_licence_file_and_the_card(small_repo):
    """CC BY asks for attribution: the release's LICENSE.md names, per article, its title, source,
    address and licence, and that the text was reformatted; the card says so in a line."""
    import json as _json
    from whosaidwhat.release.build import build_release
    path = small_repo.article_path(SMALL_ARTICLE_ID)
    article = _json.loads(path.read_text(encoding="utf-8"))
    article.update(title="Bridge reopens", outlet="Wikinews", author="Wikinews contributors",
                   url="https://en.wikinews.org/wiki/Bridge", license="CC-BY-2.5", redistributable=True)
    path.write_text(_json.dumps(article, ensure_ascii=False), encoding="utf-8")
    folder = build_release(small_repo, "0.1.0").path
    licence = (folder / "LICENSE.md").read_text(encoding="utf-8")
    assert (f"- `{SMALL_ARTICLE_ID}`: \"Bridge reopens\", by Wikinews contributors, Wikinews, <https://en.wikinews.org/wiki/Bridge>, "
            "licensed CC-BY-2.5 (https://creativecommons.org/licenses/by/2.5/); the text was reformatted (one paragraph a line).") in licence
    card = (folder / "README.md").read_text(encoding="utf-8")
    assert "Article texts under a licence of their own: 1 from Wikinews under CC-BY-2.5" in card


def test_the_release_agreement_covers_only_the_articles_it_releases(small_repo, tmp_path):
    """An article annotated twice but without gold yet is not released, and its agreement is not
    reported as the release's (it would describe data the release does not hold)."""
    import json as _json
    from whosaidwhat import ArticleMetadata, ingest_files
    from whosaidwhat.agreement.measures import agreement
    from whosaidwhat.release.build import build_release
    text = _json.loads(small_repo.article_path(SMALL_ARTICLE_ID).read_text(encoding="utf-8"))["text"]
    story = tmp_path / "story.txt"
    story.write_text(text + "\nEnd.", encoding="utf-8")  # the same offsets, another article
    [other] = ingest_files([story], ArticleMetadata(), layout=small_repo)
    other_id = other["article_id"]
    gold = small_repo.records_path(SMALL_ARTICLE_ID).read_text(encoding="utf-8")
    records = {"article_id": other_id, "entities": [], "quotes": [], "claims": []}
    for annotator, key in (("annotator-01", "a1"), ("annotator-02", "a2")):
        made = _json.loads(gold.replace(SMALL_ARTICLE_ID, other_id).replace(":a1:", f":{key}:"))
        for layer in ("entities", "quotes", "claims"):
            for record in made[layer]:
                record.update(origin="human", annotator=annotator)
                record.pop("supported_by", None)
            records[layer].extend(made[layer])
    small_repo.records_path(other_id).write_text(_json.dumps(records, ensure_ascii=False), encoding="utf-8")
    assert agreement(small_repo)["coverage"]["2"] == 1  # the repository has the pair ...
    folder = build_release(small_repo, "0.1.0").path
    released = _json.loads((folder / "agreement.json").read_text(encoding="utf-8"))
    assert released["coverage"]["2"] == 0  # ... the release, whose one article has no pair, does not
