"""Publishing: the standoff copy for texts that may not be redistributed, the upload through the
Hub client (replaced by a fake only at its network edge) and rehydration."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import datasets
import pytest

from whosaidwhat.cli import main
from whosaidwhat.core.errors import CorpusError
from whosaidwhat.release.publish import publish, rehydrate
from whosaidwhat.release.build import build_release
from whosaidwhat.release.files import iter_rows, read_sums

from .conftest import REPO_ROOT, SMALL_ARTICLE_ID
from .test_release import SEED_ID, make_repo


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    layout = make_repo(tmp_path_factory.mktemp("publish") / "repo")
    build_release(layout, "0.1.0")
    return layout.releases / "0.1.0"


@pytest.fixture(scope="module")
def standoff(release, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("upload") / "dry-run"
    publish(release, "org/whosaidwhat", dry_run=folder)
    return folder


def _seed_text() -> str:
    return json.loads((REPO_ROOT / "corpus" / f"{SEED_ID}.json").read_text(encoding="utf-8"))["text"]


def test_the_dry_run_copy_has_no_text_of_articles_that_may_not_be_redistributed(standoff):
    seed_text = _seed_text()
    for path in standoff.rglob("*.parquet"):
        assert seed_text[:60].encode() not in path.read_bytes()
    docs = {row["article_id"]: row for _, row in iter_rows(standoff, "documents")}
    seed, small = docs[SEED_ID], docs[SMALL_ARTICLE_ID]
    assert seed["text"] is None and seed["text_sha256"] and seed["url"] is None
    assert all(q["content"][0]["text"] is None and q["content"][0]["end"] > 0 for q in seed["quotes"])
    assert all(e["text"] is None for e in seed["entities"]) and len(seed["entities"]) == 49
    assert small["text"] and small["entities"][0]["text"] == "Ana Ruiz"  # redistributable: kept
    ner = [row for _, row in iter_rows(standoff, "ner") if row["article_id"] == SEED_ID]
    assert all(row["tokens"] is None and row["token_start"] for row in ner)
    assert "This is a standoff copy" in (standoff / "README.md").read_text(encoding="utf-8")


def test_the_dry_run_copy_loads_with_load_dataset_and_its_checksums_hold(standoff):
    quotes = datasets.load_dataset(str(standoff), "quotes")
    assert quotes["validation"].num_rows == 17 and quotes["validation"][0]["content"][0]["text"] is None
    assert set(read_sums(standoff)) == {p.relative_to(standoff).as_posix() for p in standoff.rglob("*")
                                        if p.is_file() and p.name != "SHA256SUMS"}


@dataclass
class _Commit:
    oid: str


class FakeHub:
    """Stands in for huggingface_hub.HfApi at the network edge; records what would be sent."""

    def __init__(self):
        self.calls = []

    def create_repo(self, **kwargs):
        self.calls.append(("create_repo", kwargs))

    def upload_folder(self, **kwargs):
        folder = Path(kwargs["folder_path"])
        self.uploaded = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
        self.calls.append(("upload_folder", kwargs))
        return _Commit("c0ffee")

    def create_tag(self, repo_id, **kwargs):
        self.calls.append(("create_tag", {"repo_id": repo_id, **kwargs}))


def test_publish_uploads_exactly_the_dry_run_copy_and_tags_the_version(release, standoff):
    hub = FakeHub()
    result = publish(release, "org/whosaidwhat", api=hub)
    assert (result.uploaded, result.tag, result.commit) == (True, "v0.1.0", "c0ffee")
    assert [name for name, _ in hub.calls] == ["create_repo", "upload_folder", "create_tag"]
    assert hub.calls[1][1]["repo_type"] == "dataset" and hub.calls[1][1]["repo_id"] == "org/whosaidwhat"
    assert hub.calls[2][1] == {"repo_id": "org/whosaidwhat", "tag": "v0.1.0", "repo_type": "dataset",
                               "revision": "c0ffee", "tag_message": "whosaidwhat release 0.1.0"}
    dry = {p.relative_to(standoff).as_posix(): p.read_bytes() for p in standoff.rglob("*") if p.is_file()}
    assert hub.uploaded == dry
    assert not (release.parent / ".publish-0.1.0").exists()


def test_rehydrate_restores_the_release_byte_for_byte(release, standoff, tmp_path):
    texts = tmp_path / "my-articles"
    texts.mkdir()
    (texts / "any-name.txt").write_text(_seed_text().replace("\n", "\r\n") + "\n", encoding="utf-8")
    result = rehydrate(standoff, [texts], tmp_path / "rehydrated")
    assert (result.restored, result.missing) == ([SEED_ID], [])
    for path in release.rglob("*.parquet"):
        assert (result.folder / path.relative_to(release)).read_bytes() == path.read_bytes()
    assert (result.folder / "README.md").read_bytes() == (release / "README.md").read_bytes()


def test_rehydrate_refuses_a_text_whose_hash_differs(standoff, tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / f"{SEED_ID}.txt").write_text(_seed_text().replace("Maduro", "Madura"), encoding="utf-8")
    with pytest.raises(CorpusError, match=f"{SEED_ID}.txt: its text has sha256 .* refusing a different text"):
        rehydrate(standoff, [texts], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_cli_dry_run_and_diff(release, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(release.parent.parent)
    assert main(["publish", "--version", "0.1.0", "--repo", "org/x", "--dry-run", str(tmp_path / "up")]) == 0
    assert "dry run: wrote what would be uploaded" in capsys.readouterr().out
    assert main(["diff", "0.1.0", str(tmp_path / "up")]) == 0
    out = capsys.readouterr().out
    assert "articles: +0 added, -0 removed, ~1 changed" in out and "smallest fitting bump: major" in out
    assert main(["publish", "--version", "9.9.9", "--repo", "org/x", "--dry-run", str(tmp_path / "up2")]) == 1
    assert "9.9.9: no such release" in capsys.readouterr().err
