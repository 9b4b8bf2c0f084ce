"""Property-based tests: offsets survive every form an annotation takes, and any valid record set
validates and survives build -> load_dataset unchanged."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata

import datasets
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from whosaidwhat import Layout, validate
from whosaidwhat.convert.records import check_offsets
from whosaidwhat.corpus.ingest import normalize_text
from whosaidwhat.release.features import config_encoder
from whosaidwhat.core.tokenizer import ner_rows, tokens
from whosaidwhat.release.ner import ner_table, token_bounds
from whosaidwhat.labelstudio.regions import Region, read_results, to_results
from whosaidwhat.release.build import build_release
from whosaidwhat.core.taxonomy import load_taxonomy

from .conftest import FIXTURES, SMALL_ARTICLE_ID

CHARACTERS = ["a", "B", "z", " ", "  ", "\t", "\r\n", "\n", "\r", "e\u0301", "\u00e9", "\u00a0", "\u2014", "\u201c", "\u201d",
              "\U0001F600", "\U0001D538", "\u0915\u094D", "'", ".", "7"]


@st.composite
def texts_and_spans(draw):
    raw = "".join(draw(st.lists(st.sampled_from(CHARACTERS), min_size=1, max_size=40)))
    text = normalize_text(raw)
    assume(text)
    spans = draw(st.lists(st.tuples(st.integers(0, len(text) - 1), st.integers(1, len(text))).map(sorted)
                          .filter(lambda p: p[0] < p[1]), min_size=1, max_size=6))
    return text, [tuple(s) for s in spans]


@settings(max_examples=300, deadline=None)
@given(texts_and_spans())
def test_code_point_spans_survive_the_task_and_export_forms(case):
    text, spans = case
    assert unicodedata.is_normalized("NFC", text) and "\r" not in text and normalize_text(text) == text
    regions = [Region(f"r{i}", "entity", "PERSON", a, b, text[a:b]) for i, (a, b) in enumerate(spans)]
    exported = json.loads(json.dumps({"data": {"text": text}, "result": to_results(regions, [], text)}))
    assert exported["data"]["text"] == text
    back, relations, problems = read_results(exported["result"], load_taxonomy())
    assert problems == [] and relations == []
    for region, (a, b) in zip(back, spans):
        assert check_offsets(region, exported["data"]["text"], "x") == (None, None)
        assert (region.start, region.end, text[region.start:region.end]) == (a, b, text[a:b])


@settings(max_examples=300, deadline=None)
@given(texts_and_spans())
def test_utf16_offsets_from_older_tools_come_back_as_the_same_text(case):
    text, spans = case
    for a, b in spans:
        units = [len(text[:i].encode("utf-16-le")) // 2 for i in (a, b)]
        region = Region("r", "entity", "PERSON", units[0], units[1], text[a:b])
        correction, problem = check_offsets(region, text, "x")
        assert problem is None and text[region.start:region.end] == text[a:b]
        if units != [a, b] and text[units[0]:units[1]] != text[a:b]:
            assert (region.start, region.end) == (a, b) and "UTF-16" in correction


@st.composite
def record_sets(draw, text: str):
    tax = load_taxonomy()
    words = [(m.start(), m.end()) for m in __import__("re").finditer(r"\w+", text)]
    prov = {"article_id": SMALL_ARTICLE_ID, "annotator": "annotator-01", "origin": "gold"}
    chosen = draw(st.lists(st.sampled_from(words), min_size=1, max_size=8, unique=True))
    entities = [{"mention_id": f"{SMALL_ARTICLE_ID}:g:e{i}", "start": a, "end": b, "text": text[a:b],
                 "label": draw(st.sampled_from(tax.names("entity_label"))), "entity_id": None, "wikidata_qid": None, **prov}
                for i, (a, b) in enumerate(sorted(chosen))]
    claims = [{"claim_id": f"{SMALL_ARTICLE_ID}:g:c{i}", "start": a, "end": b, "text": text[a:b],
               "claim_type": draw(st.sampled_from(tax.names("claim_type"))),
               "checkworthiness": draw(st.sampled_from(tax.names("checkworthiness"))), "quote_id": None, **prov}
              for i, (a, b) in enumerate(draw(st.lists(st.sampled_from(words), max_size=4, unique=True)))]
    return {"article_id": SMALL_ARTICLE_ID, "entities": entities, "quotes": [], "claims": claims}


ARTICLE = json.loads((FIXTURES / "small_repo" / "corpus" / f"{SMALL_ARTICLE_ID}.json").read_text(encoding="utf-8"))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record_sets(ARTICLE["text"]))
def test_any_valid_record_set_validates_and_survives_build_and_load(tmp_path_factory, records):
    root = tmp_path_factory.mktemp("prop") / "repo"
    shutil.copytree(FIXTURES / "small_repo", root)
    layout = Layout(root)
    layout.records_path(SMALL_ARTICLE_ID).write_text(json.dumps(records), encoding="utf-8")
    assert validate(layout=layout).ok
    build_release(layout, "0.1.0")
    for layer, fields in (("entities", ("mention_id", "start", "end", "text", "label")),
                          ("claims", ("claim_id", "start", "end", "text", "claim_type", "checkworthiness"))):
        if not records[layer]:
            continue
        # a cache per example: datasets names a local folder's cache after its name and card only
        [ds] = datasets.load_dataset(str(layout.releases / "0.1.0"), layer, cache_dir=str(root.parent / "cache")).values()
        labels = {name: f for name, f in ds.features.items() if hasattr(f, "int2str")}
        rows = [{k: labels[k].int2str(row[k]) if k in labels else row[k] for k in fields} for row in ds]
        assert rows == [{k: r[k] for k in fields} for r in records[layer]]


def _tokenize_match_by_match(text: str) -> list[tuple[int, int]]:
    """The tokeniser's definition, one match at a time: the pattern's words, with a final possessive
    ’s split off any word longer than two characters that ends in it."""
    word = re.compile(r"(?:[A-Za-z]\.){2,}|\d+(?:[.,:]\d+)*|[’']s\b|\w+(?:[’'\-]\w+)*(?<![’'])|\S")
    spans = []
    for m in word.finditer(text):
        start, end = m.span()
        if end - start > 2 and re.search(r"\w[’']s$", m.group()):
            spans += [(start, end - 2), (end - 2, end)]
        else:
            spans.append((start, end))
    return spans


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "S", "s", "’", "'", "-", ".", ",", ":", "0", "9", " ", "\n", "O’Neill’s", "U.S.",
                                 "é", "\U0001F600", "\u2014", "x’s-y"]), max_size=30).map("".join))
def test_the_fast_tokenizer_gives_the_tokens_of_its_definition(text):
    starts, ends, _ = tokens(text)
    assert list(zip(starts, ends)) == _tokenize_match_by_match(text)


# the pattern's hard cases, and characters whose classes differ between \w, \d, \s and str methods
TOKEN_PIECES = ["a", "S", "s", "x", "’", "'", "-", ".", ",", ":", "0", "9", " ", "\n", "\t", "O’Neill’s", "U.S.", "a.m.",
                "70,000", "1990s", "_", "é", "e\u0301", "\U0001F600", "\U0001D538", "\u2014", "x’s-y", "\u0663", "\u00b2",
                "\u00a0", "\x1c", "\u2028", "\u3000", "ß", "\u0915\u094D"]


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(TOKEN_PIECES), max_size=30).map("".join), st.text(max_size=40)))
def test_token_bounds_of_a_whole_text_are_the_pattern_s_tokens(text):
    starts, ends, _ = tokens(text)
    fast_starts, fast_ends = token_bounds(text)
    assert (fast_starts.tolist(), fast_ends.tolist()) == (starts, ends)


@st.composite
def articles_with_mentions(draw):
    labels = list(load_taxonomy().names("entity_label"))
    articles = []
    for number in range(draw(st.integers(1, 4))):
        text = "".join(draw(st.lists(st.sampled_from(TOKEN_PIECES + ["\n", "\n\n", "Ana Ruiz"]), max_size=25)))
        spans = draw(st.lists(st.tuples(st.integers(0, max(len(text) - 1, 0)), st.integers(1, max(len(text), 1)))
                              .map(sorted).filter(lambda p: p[0] < p[1] <= len(text)), max_size=6)) if text else []
        mentions = [{"start": s, "end": e, "label": draw(st.sampled_from(labels))} for s, e in spans]
        articles.append(({"article_id": f"wsw-{number:016x}", "text": text}, mentions))
    return articles


@settings(max_examples=400, deadline=None)
@given(articles_with_mentions())
def test_the_ner_table_of_many_articles_is_their_rows_encoded(articles):
    """Overlapping mentions, mentions across line breaks or inside tokens, empty paragraphs and
    articles: the columnar build gives what ``ner_rows`` gives, article by article."""
    expected = config_encoder("ner")([row for article, mentions in articles for row in ner_rows(article, mentions)])
    assert ner_table(articles).equals(expected)
