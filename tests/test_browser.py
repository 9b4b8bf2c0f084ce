"""The annotator's path in a real browser: Debian's Chromium, driven by Playwright, against the Label
Studio server of the test session. Log in, check the generated config renders, label spans with the
mouse, draw relations, set per-region choices, submit; then pull and convert must give exactly those
records. The page may not reach any address outside 127.0.0.1.

Screenshots of every step go to tests/artifacts/browser/ (or $WHOSAIDWHAT_SCREENSHOTS; the annotator
guide's pictures in annotations/images/ are made with
``WHOSAIDWHAT_SCREENSHOTS=annotations/images python -m pytest tests/test_browser.py``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from whosaidwhat import ArticleMetadata, Layout, ingest_files, validate
from whosaidwhat.convert.pipeline import convert
from whosaidwhat.labelstudio.client import client, pull, push

from .conftest import REPO_ROOT

pytestmark = pytest.mark.labelstudio

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
TEXT = ("Mayor Ana Ruiz opened the bridge on Monday.\n"
        "\u201cIt is safe,\u201d the mayor announced at City Hall.\n"
        "The repairs cost $4 million, the Transport Department reported.\n"
        "\U0001F6A7 Work on the tunnel resumes today.")
SHOTS = Path(os.environ.get("WHOSAIDWHAT_SCREENSHOTS", REPO_ROOT / "tests" / "artifacts" / "browser"))

# Code-point offsets of the task text -> positions in Label Studio's DOM (one .lsf-richtext__line per
# line, a <br> for each \n, UTF-16 inside text nodes), and the boxes of the first and last character.
RANGE_JS = r"""([start, end]) => {
  const root = document.querySelector('.lsf-richtext__container');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  let cp = 0, full = '', sN = null, sO = 0, eN = null, eO = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.nodeType === 1) { if (n.tagName === 'BR') { full += '\n'; cp += 1; } continue; }
    const chars = Array.from(n.data); let u = 0;
    for (let i = 0; i <= chars.length; i++) {
      if (cp + i === start && !sN && i < chars.length) { sN = n; sO = u; }
      if (cp + i === end && !eN && i > 0) { eN = n; eO = u; }
      if (i < chars.length) u += chars[i].length;
    }
    cp += chars.length; full += n.data;
  }
  if (!sN || !eN) return {full, error: 'offsets not found'};
  const firstLen = Array.from(sN.data.slice(sO))[0].length;
  const first = document.createRange(); first.setStart(sN, sO); first.setEnd(sN, sO + firstLen);
  const lastLen = Array.from(eN.data.slice(0, eO)).pop().length;
  const last = document.createRange(); last.setStart(eN, eO - lastLen); last.setEnd(eN, eO);
  const a = first.getBoundingClientRect(), b = last.getBoundingClientRect();
  return {full, x1: a.left + Math.min(1, a.width / 4), y1: a.top + a.height / 2,
          x2: b.right - Math.min(1, b.width / 4), y2: b.top + b.height / 2};
}"""


def span(piece: str) -> tuple[int, int]:
    start = TEXT.index(piece)
    return start, start + len(piece)


class Annotator:
    """What an annotator does on the labeling page, one method per gesture."""

    def __init__(self, page, expect):
        self.page, self.expect = page, expect

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SHOTS / f"{name}.png")

    def label_button(self, value: str):
        return self.page.locator(f'.lsf-labels .lsf-label:has(.lsf-label__text:text-is("{value}"))')

    def deselect(self) -> None:
        self.page.keyboard.press("Escape")
        self.expect(self.page.locator(".lsf-region-actions")).to_have_count(0, timeout=5000)

    def drag(self, start: int, end: int) -> None:
        box = self.page.evaluate(RANGE_JS, [start, end])
        assert "error" not in box, box
        self.page.mouse.move(box["x1"], box["y1"])
        self.page.mouse.down()
        self.page.mouse.move(box["x2"], box["y2"], steps=8)
        self.page.mouse.up()

    def label(self, value: str, start: int, end: int, *, hotkey: bool = False) -> None:
        self.deselect()
        button = self.label_button(value)
        if hotkey:
            self.page.keyboard.press(button.locator(".lsf-label__hotkey").inner_text())
        else:
            button.click()
        self.expect(button).to_have_class(re.compile("lsf-label_selected"))
        before = self.page.locator(".lsf-outliner-item").count()
        self.drag(start, end)
        self.expect(self.page.locator(".lsf-outliner-item")).to_have_count(before + 1, timeout=10000)

    def region(self, label: str, text: str):
        return (self.page.locator(".lsf-outliner-item")
                .filter(has=self.page.locator(f'.lsf-labels-list:text-is("{label}")'))
                .filter(has=self.page.locator(f'.lsf-outliner-item__text:text-is("{text}")')))

    def select(self, label: str, text: str) -> None:
        self.deselect()
        self.region(label, text).click()
        self.expect(self.page.locator(".lsf-region-actions")).to_have_count(1)

    def tab(self, name: str) -> None:
        self.page.locator(".lsf-panel-tabs__tab:visible").filter(has_text=name).first.click()

    def relate(self, source: tuple[str, int, int], target: tuple[str, int, int], relation: str) -> None:
        self.select(source[0], TEXT[source[1]:source[2]])
        self.page.click('button[aria-label="Create Relation"]')
        self.page.locator(f'.htx-highlight[data-start="{target[1]}"][data-end="{target[2]}"]').click()
        self.tab("Relations")
        items = self.page.locator(".lsf-relations__item")
        item = None
        for _ in range(100):
            item = next((items.nth(i) for i in range(items.count())
                         if items.nth(i).locator(".lsf-detailed-region .lsf-labels-list").all_inner_texts()
                         == [source[0], target[0]]), None)
            if item:
                break
            self.page.wait_for_timeout(100)
        assert item is not None, f"relation {source[0]} -> {target[0]} not in the Relations panel"
        item.hover()
        if item.locator(".lsf-relation-meta").count() == 0:
            item.locator('button[aria-label="Show Relation Labels"]').click()
        picker = item.locator(".lsf-relation-meta button[aria-haspopup]")
        picker.click()
        self.page.locator(f'[data-testid="select-option-{relation}"]').click()
        self.page.keyboard.press("Escape")
        self.expect(picker).to_contain_text(relation)
        self.tab("Regions")

    def choose(self, header: str, value: str) -> None:
        block = self.page.locator(f'div:has(> h4:text-is("{header}"))')
        block.locator(f'label.lsf-choice__checkbox:has(input[name="{value}"])').click()
        self.expect(block.locator(f'input[name="{value}"]')).to_be_checked()


@pytest.fixture
def repo(tmp_path):
    """The seed article (whose pre-annotations must show) and a short article to annotate."""
    layout = Layout(tmp_path / "repo")
    layout.corpus.mkdir(parents=True)
    shutil.copy(REPO_ROOT / "corpus" / "wsw-752693cc0e635468.json", layout.corpus)
    (tmp_path / "bridge.txt").write_text(TEXT, encoding="utf-8")
    ingest_files([tmp_path / "bridge.txt"], ArticleMetadata(redistributable=True), layout=layout)
    return layout


def test_an_annotator_in_chromium_gets_exactly_the_records_they_made(repo, label_studio, monkeypatch):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: scripts/test installs Debian's chromium package")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright
    monkeypatch.setenv("LABEL_STUDIO_URL", label_studio.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", label_studio.token)
    ls = client()
    title = "browser"
    project_id = push(repo, title=title, ls=ls).project_id
    tasks = {t.data["article_id"]: t.id for t in ls.tasks.list(project=project_id)}
    [article_id] = [a for a in tasks if a != "wsw-752693cc0e635468"]
    outside, failed = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(20000)
        page.on("request", lambda r: outside.append(r.url)
                if not r.url.startswith((label_studio.url, "data:", "blob:")) else None)
        # a request the page itself abandons (navigating on, closing) is net::ERR_ABORTED, not a failure
        page.on("requestfailed", lambda r: failed.append((r.url, r.failure))
                if "ERR_ABORTED" not in (r.failure or "") else None)
        you = Annotator(page, expect)
        try:
            page.goto(f"{label_studio.url}/user/login/")
            page.fill("input#email[name=email]", label_studio.settings.username)
            page.fill("input#password[name=password]", label_studio.settings.password)
            you.shot("01_login")
            page.click("button.login-button[type=submit]")
            page.wait_for_url(lambda url: "/user/login" not in url)

            page.goto(f"{label_studio.url}/projects/{project_id}/data")
            page.get_by_role("button", name=re.compile("Label All Tasks")).wait_for()
            you.shot("02_tasks")

            # the seed task opens with its pre-annotations
            page.goto(f"{label_studio.url}/projects/{project_id}/data?task={tasks['wsw-752693cc0e635468']}")
            page.wait_for_selector(".lsf-richtext__line")
            expect(page.locator(".lsf-outliner-item").first).to_be_visible()
            assert page.locator(".lsf-outliner-item").count() >= 10  # the rule-based quotes of the seed
            you.shot("03_preannotations")

            page.goto(f"{label_studio.url}/projects/{project_id}/data?task={tasks[article_id]}")
            page.wait_for_selector(".lsf-richtext__line")
            page.get_by_test_id("bottombar-submit-button").wait_for()
            groups = page.locator(".lsf-labels")
            expect(groups).to_have_count(3)
            hotkeys = [[(groups.nth(g).locator(".lsf-label").nth(i).locator(".lsf-label__text").inner_text(),
                         groups.nth(g).locator(".lsf-label").nth(i).locator(".lsf-label__hotkey").inner_text())
                        for i in range(groups.nth(g).locator(".lsf-label").count())] for g in range(3)]
            assert [len(g) for g in hotkeys] == [11, 3, 1] and all(key for g in hotkeys for _, key in g)
            assert page.locator(".lsf-richtext__line").count() == TEXT.count("\n") + 1  # paragraphs kept apart
            assert page.evaluate(RANGE_JS, [0, 1])["full"] == TEXT
            assert page.evaluate("getComputedStyle(document.querySelector('.lsf-richtext__line')).whiteSpace") == "pre-wrap"
            you.shot("04_task")

            content, speaker, cue = span("It is safe"), span("the mayor"), span("announced")
            you.label("content", *content)
            you.label("speaker", *speaker)
            you.label("cue", *cue)
            you.label("PERSON", *span("Ana Ruiz"))
            you.label("ORG", *span("Transport Department"), hotkey=True)
            cost, tunnel = span("The repairs cost $4 million"), span("reported.\n\U0001F6A7 Work on the tunnel resumes today")
            you.label("claim", *cost)
            you.label("claim", *tunnel)
            you.shot("05_regions")

            you.relate(("speaker", *speaker), ("content", *content), "speaker_of")
            you.relate(("cue", *cue), ("content", *content), "cue_of")
            you.tab("Relations")
            you.shot("06_relations")
            you.tab("Regions")

            you.select("content", "It is safe")
            you.choose("quote kind", "direct")
            you.choose("speaker kind", "named_person")
            you.shot("07_quote_choices")
            you.select("claim", TEXT[cost[0]:cost[1]])
            you.choose("claim type", "quantity")
            you.choose("checkworthiness", "check_worthy")
            you.shot("08_claim_choices")
            you.select("claim", TEXT[tunnel[0]:tunnel[1]].replace("\n", " "))
            you.choose("claim type", "prediction")
            you.choose("checkworthiness", "unimportant_factual")
            you.select("PERSON", "Ana Ruiz")
            page.locator('input[name="entity_key"]').fill("ana-ruiz")
            page.locator('input[name="entity_key"]').press("Enter")
            you.shot("09_entity_key")
            you.deselect()
            with page.expect_response(lambda r: f"/api/tasks/{tasks[article_id]}/annotations" in r.url
                                      and r.request.method == "POST"):
                page.get_by_test_id("bottombar-submit-button").click()
            page.wait_for_timeout(500)
            you.shot("10_submitted")
        except Exception:
            you.shot("FAILED")
            raise
        finally:
            browser.close()
    assert outside == [] and failed == [], (outside, failed)

    pull(repo, title=title, ls=ls)
    report = convert(layout=repo)
    assert validate(layout=repo).ok
    assert report.corrections == [] or all("written as \\n" in c for c in report.corrections)
    records = json.loads(repo.records_path(article_id).read_text(encoding="utf-8"))
    human = {layer: [r for r in records[layer] if r["origin"] == "human"] for layer in ("entities", "quotes", "claims")}

    def spans(start_end):
        return {"start": start_end[0], "end": start_end[1], "text": TEXT[start_end[0]:start_end[1]]}
    assert [(e["text"], e["label"], e["entity_id"].split(":")[1]) for e in human["entities"]] == [
        ("Ana Ruiz", "PERSON", "ana-ruiz"), ("Transport Department", "ORG", "transport-department")]
    [quote] = human["quotes"]
    assert (quote["content"], quote["speaker"], quote["cue"], quote["kind"], quote["speaker_kind"]) == (
        [spans(content)], spans(speaker), spans(cue), "direct", "named_person")
    assert [(c["start"], c["end"], c["text"], c["claim_type"], c["checkworthiness"]) for c in human["claims"]] == [
        (*cost, TEXT[cost[0]:cost[1]], "quantity", "check_worthy"),
        (*tunnel, TEXT[tunnel[0]:tunnel[1]], "prediction", "unimportant_factual")]
