"""Shared fixtures. ``small_repo`` is a copy of ``tests/fixtures/small_repo``: one short article
with gold entities, quotes and claims, valid as committed; tests break it on purpose."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from whosaidwhat import Layout

FIXTURES = Path(__file__).parent / "fixtures"
REPO_ROOT = Path(__file__).resolve().parents[1]
SMALL_ARTICLE_ID = "wsw-e8a2c3319847e2e6"


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
