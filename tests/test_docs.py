"""The README is the front page and docs/ the reference: every link between them leads somewhere."""

import re

import pytest

from .conftest import REPO_ROOT

PAGES = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md")), REPO_ROOT / "DATASHEET.md",
         REPO_ROOT / "annotations" / "ANNOTATING.md", REPO_ROOT / "benchmarks" / "README.md"]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _anchors(page) -> set[str]:
    """GitHub's anchors of a Markdown page's headings."""
    heads = (line.lstrip("#").strip().lower() for line in page.read_text(encoding="utf-8").splitlines()
             if line.startswith("#"))
    return {re.sub(r"[^\w\- ]", "", h).replace(" ", "-") for h in heads}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_every_relative_link_and_anchor_resolves(page):
    broken = []
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path) if path else page
        if not linked.exists() or (anchor and linked.suffix == ".md" and anchor not in _anchors(linked)):
            broken.append(target)
    assert broken == []


def test_the_readme_is_a_front_page_with_the_two_commands_and_a_path_for_each_user():
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "bash scripts/main" in text and "bash scripts/test" in text
    assert all(f"## For {who}" in text for who in ("researchers", "annotators", "analysts"))
    assert len(text) < 12_000  # the reference lives in docs/
