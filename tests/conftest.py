"""Shared fixtures. ``small_repo`` is a copy of ``tests/fixtures/small_repo``: one short article
with gold entities, quotes and claims, valid as committed; tests break it on purpose."""

from __future__ import annotations

import json
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from whosaidwhat import Layout
from whosaidwhat.labelstudio.server import ServerSettings, free_port, start_server, stop_server

FIXTURES = Path(__file__).parent / "fixtures"
REPO_ROOT = Path(__file__).resolve().parents[1]
SMALL_ARTICLE_ID = "wsw-e8a2c3319847e2e6"


@pytest.fixture(autouse=True)
def own_datasets_cache(tmp_path, monkeypatch):
    """A datasets cache per test. ``load_dataset`` names the cache of a local folder after the
    folder's name and its card's YAML only, so two test releases "0.1.0" with the same row counts
    and sizes would share one cache and the second would load the first one's rows."""
    import datasets
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "hf-datasets-cache")


@pytest.fixture
def small_repo(tmp_path: Path) -> Layout:
    shutil.copytree(FIXTURES / "small_repo", tmp_path / "repo")
    return Layout(tmp_path / "repo")


@pytest.fixture
def edit_records(small_repo: Layout):
    """Change the small repo's records file in place: ``edit(lambda data: ...)``."""
    path = small_repo.records_path(SMALL_ARTICLE_ID)

    def edit(change) -> Path:
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        return path

    return edit


@dataclass(frozen=True)
class LabelStudioServer:
    settings: ServerSettings
    url: str
    token: str


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory) -> LabelStudioServer:
    """A real Label Studio server on 127.0.0.1, started once per test session on a fresh data dir
    (its venv is reused from .labelstudio/ when present) and stopped at the end."""
    settings = ServerSettings(home=REPO_ROOT / ".labelstudio", port=free_port(), username="admin@whosaidwhat.test",
                              password=secrets.token_urlsafe(16), token=secrets.token_hex(20),
                              data_dir=tmp_path_factory.mktemp("labelstudio-data"))
    start_server(settings, timeout=600)
    yield LabelStudioServer(settings, settings.url, settings.token)
    stop_server(settings)


@pytest.fixture
def ls_env(label_studio, monkeypatch) -> LabelStudioServer:
    """The client environment variables pointing at the session's server."""
    monkeypatch.setenv("LABEL_STUDIO_URL", label_studio.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", label_studio.token)
    return label_studio
