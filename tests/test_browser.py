"""The annotator's path in a real browser: Debian's Chromium, driven by Playwright, against the Label
Studio server of the test session. The page may not reach any address outside 127.0.0.1.

- An annotator labels a short article with the mouse, draws relations, sets per-region choices and
  submits; pull and convert must then give exactly those records.
- The seed article's labeling page: the guidelines shown before labeling, the headline, outlet and
  date on top, distinct colours for speaker, cue and content, a side panel of choices that stays in
  view while the text scrolls, relation labels shown only on the relation pointed at, and a claim
  without its check-worthiness refused on Submit.

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

from whosaidwhat import ArticleMetadata, Layout, ingest_files, layers, validate
from whosaidwhat.convert.pipeline import convert
from whosaidwhat.labelstudio.client import client, pull, push
from whosaidwhat.labelstudio.regions import records_to_regions, to_results
from whosaidwhat.labelstudio.team import KEY_VARIABLE

from .conftest import REPO_ROOT

pytestmark = pytest.mark.labelstudio

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1600, "height": 1000}
SEED = "wsw-752693cc0e635468"
TEXT = ("Mayor Ana Ruiz opened the bridge on Monday.\n"
        "\u201cIt is safe,\u201d the mayor announced at City Hall.\n"
        "The repairs cost $4 million, the Transport Department reported.\n"
        "\U0001F6A7 Work on the tunnel resumes today.")
BRIDGE = ArticleMetadata(title="Mayor reopens the bridge", outlet="Test Wire", published_date="2025-11-03",
                         published_date_source="recorded", redistributable=True)
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
# The relations drawn on the text, one <g> each: its label badge (the inner <g>), whether that is
# displayed, whether the relation is the one pointed at, the <g>'s opacity, and the boxes of the
# badge and of the relation's two ends (the <rect>s).
BADGES_JS = r"""() => Array.from(document.querySelectorAll('svg.relations-overlay g[class*=relationItem]')).map(g => {
  const box = e => { const b = e.getBoundingClientRect(); return {left: b.left, right: b.right, top: b.top, bottom: b.bottom}; };
  const badge = g.querySelector('g');
  return {label: badge ? badge.textContent : null, shown: !!badge && getComputedStyle(badge).display !== 'none',
          pointed: g.getAttribute('class').includes('_highlighted'), opacity: Number(getComputedStyle(g).opacity),
          box: badge && box(badge), ends: Array.from(g.querySelectorAll(':scope > rect')).map(box)};
})"""
# How far (px, vertically) a box overlaps the letters of the article: the boxes of its text nodes,
# line by line (not those of the region highlights around them).
OVER_TEXT_JS = r"""(b) => {
  const walker = document.createTreeWalker(document.querySelector('.lsf-richtext__container'), NodeFilter.SHOW_TEXT);
  let most = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const range = document.createRange(); range.selectNodeContents(n);
    for (const r of range.getClientRects()) {
      if (r.width > 0 && r.left < b.right && b.left < r.right) most = Math.max(most, Math.min(r.bottom, b.bottom) - Math.max(r.top, b.top));
    }
  }
  return most;
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

    def log_in(self, server) -> None:
        self.page.goto(f"{server.url}/user/login/")
        self.page.fill("input#email[name=email]", server.settings.username)
        self.page.fill("input#password[name=password]", server.settings.password)

    def open_task(self, server, project_id: int, task_id: int) -> None:
        self.page.goto(f"{server.url}/projects/{project_id}/data?task={task_id}")
        self.page.wait_for_selector(".lsf-richtext__line")
        self.page.get_by_test_id(re.compile("bottombar-(submit|update)-button")).wait_for()

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

    def choices(self, header: str):
        """The block of one per-region control in the side panel, by its header."""
        return self.page.locator(f'.wsw-side div:has(> :text-is("{header}"))')

    def choose(self, header: str, value: str) -> None:
        block = self.choices(header)
        block.locator(f'label.lsf-choice__checkbox:has(input[name="{value}"])').click()
        self.expect(block.locator(f'input[name="{value}"]')).to_be_checked()

    def badges(self) -> list[dict]:
        return self.page.evaluate(BADGES_JS)


@pytest.fixture
def browser(label_studio, monkeypatch):
    """An annotator in Chromium at 1600x1000, with the client pointed at the session's server;
    every request the page makes is checked to stay on 127.0.0.1 and none to fail."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: scripts/test installs Debian's chromium package")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright
    monkeypatch.setenv("LABEL_STUDIO_URL", label_studio.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", label_studio.token)
    monkeypatch.setenv(KEY_VARIABLE, "test-team-key-not-a-secret")  # no pseudonym key written to the home folder
    outside, failed = [], []
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = chromium.new_context(viewport=VIEWPORT).new_page()
        page.set_default_timeout(20000)
        page.on("request", lambda r: outside.append(r.url)
                if not r.url.startswith((label_studio.url, "data:", "blob:")) else None)
        # a request the page itself abandons (navigating on, closing) is net::ERR_ABORTED, not a failure
        page.on("requestfailed", lambda r: failed.append((r.url, r.failure))
                if "ERR_ABORTED" not in (r.failure or "") else None)
        you = Annotator(page, expect)
        try:
            yield you
        except Exception:
            you.shot("FAILED")
            raise
        finally:
            chromium.close()
    assert outside == [] and failed == [], (outside, failed)


@pytest.fixture
def repo(tmp_path):
    """The seed article (whose pre-annotations must show) and a short article to annotate."""
    layout = Layout(tmp_path / "repo")
    layout.corpus.mkdir(parents=True)
    shutil.copy(REPO_ROOT / "corpus" / f"{SEED}.json", layout.corpus)
    (tmp_path / "bridge.txt").write_text(TEXT, encoding="utf-8")
    ingest_files([tmp_path / "bridge.txt"], BRIDGE, layout=layout)
    return layout


def test_an_annotator_in_chromium_gets_exactly_the_records_they_made(repo, label_studio, browser):
    you, page, expect = browser, browser.page, browser.expect
    ls = client()
    title = "browser"
    # without pre-annotations: the records must be exactly what the annotator draws (the page with the
    # pre-annotator's proposals is the seed's, below)
    project_id = push(repo, title=title, ls=ls, predictions=False).project_id
    tasks = {t.data["article_id"]: t.id for t in ls.tasks.list(project=project_id)}
    [article_id] = [a for a in tasks if a != SEED]

    you.log_in(label_studio)
    you.shot("01_login")
    page.click("button.login-button[type=submit]")
    page.wait_for_url(lambda url: "/user/login" not in url)
    page.goto(f"{label_studio.url}/projects/{project_id}/data")
    page.get_by_role("button", name=re.compile("Label All Tasks")).wait_for()
    expect(page.get_by_text(re.compile("^Mayor Ana Ruiz opened the bridge")).first).to_be_visible()  # the list loaded
    you.shot("02_tasks")

    you.open_task(label_studio, project_id, tasks[article_id])
    expect(page.get_by_text(BRIDGE.title, exact=True)).to_be_visible()
    expect(page.get_by_text(f"{BRIDGE.outlet} · {BRIDGE.published_date}", exact=True)).to_be_visible()
    groups = page.locator(".lsf-labels")
    expect(groups).to_have_count(3)
    hotkeys = [[(groups.nth(g).locator(".lsf-label").nth(i).locator(".lsf-label__text").inner_text(),
                 groups.nth(g).locator(".lsf-label").nth(i).locator(".lsf-label__hotkey").inner_text())
                for i in range(groups.nth(g).locator(".lsf-label").count())] for g in range(3)]
    assert [len(g) for g in hotkeys] == [11, 3, 1] and all(key for g in hotkeys for _, key in g)
    assert page.locator(".lsf-richtext__line").count() == TEXT.count("\n") + 1  # paragraphs kept apart
    assert page.evaluate(RANGE_JS, [0, 1])["full"] == TEXT
    assert page.evaluate("getComputedStyle(document.querySelector('.lsf-richtext__line')).whiteSpace") == "pre-wrap"
    expect(page.get_by_text(re.compile("^Select a region to give its details here"))).to_be_visible()
    you.shot("05_task")

    content, speaker, cue = span("It is safe"), span("the mayor"), span("announced")
    you.label("content", *content)
    you.label("speaker", *speaker)
    you.label("cue", *cue)
    you.label("PERSON", *span("Ana Ruiz"))
    you.label("ORG", *span("Transport Department"), hotkey=True)
    cost, tunnel = span("The repairs cost $4 million"), span("reported.\n\U0001F6A7 Work on the tunnel resumes today")
    you.label("claim", *cost)
    you.label("claim", *tunnel)
    you.shot("06_regions")

    you.relate(("speaker", *speaker), ("content", *content), "speaker_of")
    you.relate(("cue", *cue), ("content", *content), "cue_of")
    you.tab("Relations")
    page.locator(".lsf-relations__item").last.hover()
    you.shot("07_relation_label")
    you.tab("Regions")

    you.select("content", "It is safe")
    you.choose("quote kind", "direct")
    you.choose("speaker kind", "named_person")
    you.select("claim", TEXT[cost[0]:cost[1]])
    you.choose("claim type", "quantity")
    you.choose("checkworthiness", "check_worthy")
    you.shot("10_claim_choices")
    you.select("claim", TEXT[tunnel[0]:tunnel[1]].replace("\n", " "))
    you.choose("claim type", "prediction")
    you.choose("checkworthiness", "unimportant_factual")
    you.select("PERSON", "Ana Ruiz")
    page.locator('input[name="entity_key"]').fill("ana-ruiz")
    page.locator('input[name="entity_key"]').press("Enter")
    you.shot("12_entity_key")
    you.deselect()
    with page.expect_response(lambda r: f"/api/tasks/{tasks[article_id]}/annotations" in r.url
                              and r.request.method == "POST"):
        page.get_by_test_id("bottombar-submit-button").click()
    page.wait_for_timeout(500)
    you.shot("13_submitted")

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


@pytest.fixture
def seed(tmp_path):
    """The seed article alone, and its gold regions and relations as convert would read them back."""
    layout = Layout(tmp_path / "seed")
    layout.corpus.mkdir(parents=True)
    shutil.copy(REPO_ROOT / "corpus" / f"{SEED}.json", layout.corpus)
    text = json.loads((layout.corpus / f"{SEED}.json").read_text(encoding="utf-8"))["text"]
    records = json.loads(Layout(REPO_ROOT).records_path(SEED).read_text(encoding="utf-8"))
    gold = {name: [r for r in records[name] if r["origin"] == "gold"] for name in layers.names()}
    regions, relations = records_to_regions(gold, text)
    return layout, text, regions, relations


def _distinct(colours: list[str]) -> bool:
    """Every pair of CSS rgb()/rgba() colours differs by at least 40 in some channel."""
    rgb = [tuple(int(float(v)) for v in re.findall(r"[\d.]+", c)[:3]) for c in colours]
    return all(max(abs(a - b) for a, b in zip(rgb[i], rgb[j])) >= 40 for i in range(len(rgb)) for j in range(i))


def test_the_labeling_page_serves_the_annotator(seed, label_studio, browser):
    layout, text, regions, relations = seed
    you, page, expect = browser, browser.page, browser.expect
    ls = client()

    # before labeling: the guidelines, shown when the annotator starts labeling
    stream = push(layout, title="seed stream", ls=ls).project_id
    you.log_in(label_studio)
    page.click("button.login-button[type=submit]")
    page.wait_for_url(lambda url: "/user/login" not in url)
    page.goto(f"{label_studio.url}/projects/{stream}/data")
    page.get_by_role("button", name=re.compile("Label All Tasks")).click()
    dialog = page.locator(".lsf-modal-ls").filter(has_text="Labeling Instructions")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h1")).to_have_text("whosaidwhat annotation guidelines")
    expect(dialog.get_by_text("annotations/GUIDELINES.md", exact=True)).to_be_visible()
    assert dialog.locator("table").count() >= 3  # the label tables of the guidelines
    you.shot("03_instructions")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.wait_for_selector(".lsf-richtext__line")
    # the rule-based quotes of the seed: at least ten regions, once the outliner has drawn them all
    expect(page.locator(".lsf-outliner-item").nth(9)).to_be_attached(timeout=20000)
    you.shot("04_preannotations")

    # the seed with its gold annotation
    project_id = push(layout, title="seed page", ls=ls).project_id
    [task] = ls.tasks.list(project=project_id)
    ls.annotations.create(id=task.id, result=to_results(regions, relations, text), was_cancelled=False)
    you.open_task(label_studio, project_id, task.id)
    expect(page.get_by_text(task.data["title"], exact=True)).to_be_visible()
    expect(page.get_by_text(f"{task.data['outlet']} · {task.data['published_date']}", exact=True)).to_be_visible()

    def spans_of(region):
        return page.locator(f'.htx-highlight[class*="htx-highlight-{region.id}-"]')

    first = {label: next(r for r in regions if r.label == label) for label in ("content", "speaker", "cue", "PERSON", "claim")}
    colours = {label: spans_of(r).first.evaluate("s => getComputedStyle(s).backgroundColor") for label, r in first.items()}
    assert _distinct(list(colours.values())), colours

    # a quote content far down the text selected: the side panel with its choices stays in view
    starts = [r.start for r in regions]
    target = max((r for r in regions if r.label == "content" and starts.count(r.start) == 1), key=lambda r: r.start)
    spans_of(target).first.scroll_into_view_if_needed()
    spans_of(target).first.click()
    expect(page.locator(".lsf-region-actions")).to_have_count(1)
    scrolled = page.evaluate("document.querySelector('.lsf-main-content').scrollTop")
    assert scrolled > VIEWPORT["height"] / 2, scrolled
    for header, choice in (("quote kind", target.choices["quote_kind"]), ("speaker kind", target.choices["speaker_kind"])):
        expect(you.choices(header)).to_be_in_viewport(ratio=1)
        expect(you.choices(header).locator(f'input[name="{choice}"]')).to_be_checked()
    expect(you.label_button("content")).to_be_in_viewport(ratio=1)
    you.shot("09_quote_choices")

    # relations: faint arrows without labels on the text; pointed at in the Relations list, one is
    # drawn in full with its label, inside the page; here, a relation of the selected content
    you.tab("Relations")
    drawn = you.badges()
    assert len(drawn) == len(relations) and not any(b["shown"] for b in drawn) and all(b["opacity"] < 0.5 for b in drawn)
    items = page.locator(".lsf-relations__item")
    expect(items).to_have_count(len(relations))
    overlay = page.locator("svg.relations-overlay").bounding_box()
    selected = spans_of(target).first.bounding_box()
    middle = (selected["x"] + selected["width"] / 2, selected["y"] + selected["height"] / 2)
    of_selected = []
    for i in range(items.count()):  # every relation pointed at in turn
        items.nth(i).hover()
        page.wait_for_function("() => Number(getComputedStyle(document.querySelector("
                               "'svg.relations-overlay g[class*=_highlighted]')).opacity) === 1")  # after its transition
        [pointed] = [b for b in you.badges() if b["pointed"]]
        assert pointed["shown"] and pointed["opacity"] == 1 and pointed["label"] in {r.label for r in relations}
        assert sum(b["shown"] for b in you.badges()) == 1
        assert overlay["x"] <= pointed["box"]["left"] and pointed["box"]["right"] <= overlay["x"] + overlay["width"]
        # between the lines: it may touch the boxes of the lines above and below, not cover their letters
        assert page.evaluate(OVER_TEXT_JS, pointed["box"]) <= 4, pointed
        if any(end["left"] <= middle[0] <= end["right"] and end["top"] <= middle[1] <= end["bottom"] for end in pointed["ends"]):
            of_selected.append(i)
    assert of_selected, "no relation of the selected content in the Relations list"
    items.nth(of_selected[0]).hover()
    you.shot("08_relations")
    page.mouse.move(5, 500)
    you.tab("Regions")

    # a claim without its check-worthiness cannot be submitted
    annotations = ls.annotations.list(id=task.id)
    page.click('button[aria-label="Create an annotation"]')
    expect(page.locator(".lsf-outliner-item")).to_have_count(0)
    page.evaluate("document.querySelector('.lsf-main-content').scrollTop = 0")
    claim = next(r for r in regions if r.label == "claim")
    you.label("claim", claim.start, claim.end)
    you.select("claim", text[claim.start:claim.end])
    you.choose("claim type", claim.choices["claim_type"])
    you.deselect()
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and "/annotations" in r.url else None)
    page.get_by_test_id("bottombar-submit-button").click()
    warning = page.locator(".ant-modal").filter(has_text="Every claim needs its checkworthiness")
    expect(warning).to_be_visible()
    page.wait_for_timeout(500)
    assert posts == [] and len(ls.annotations.list(id=task.id)) == len(annotations)
    you.shot("11_claim_refused")
    warning.get_by_role("button", name="OK").click()
    expect(you.choices("checkworthiness")).to_be_visible()  # the refused claim is selected for the annotator
    you.choose("checkworthiness", claim.choices["checkworthiness"])
    you.deselect()
    with page.expect_response(lambda r: f"/api/tasks/{task.id}/annotations" in r.url and r.request.method == "POST"):
        page.get_by_test_id("bottombar-submit-button").click()
    [made] = [a for a in ls.annotations.list(id=task.id) if a.id not in {b.id for b in annotations}]
    assert sorted(r["from_name"] for r in made.result) == ["checkworthiness", "claim", "claim_type"]
