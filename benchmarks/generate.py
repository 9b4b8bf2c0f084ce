"""A deterministic (seeded) generator of realistic synthetic input: a repository with N articles in
``corpus/`` and one Label Studio export of them in the project's own config.

Articles are 2-8 KB of paragraphs with Unicode punctuation and some astral characters; each task has
~30 entity mentions, 5 quotes (content, speaker, cue, relations, per-region kinds) and 8 claims
with their choices; a tenth of the tasks have a second annotator, a fifth a prediction, one in
fifty a cancelled annotation.

    python benchmarks/generate.py 1000 /tmp/bench-1k
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import orjson

from whosaidwhat.core.progress import progress
from whosaidwhat.corpus.ingest import ArticleMetadata, make_article
from whosaidwhat.core.io import write_json
from whosaidwhat.core.layout import Layout
from whosaidwhat.labelstudio.regions import Region, Relation, to_results
from whosaidwhat.core.taxonomy import load_taxonomy
from whosaidwhat.labelstudio.sources import Source, write_source

NAMES = ["Ana Ruiz", "Marco Rubio", "Li Wei", "Olúwa Adé", "Zoë Kraus", "Søren Dahl", "José Núñez", "Amélie Roy"]
PLACES = ["Venezuela", "Porto", "Caracas", "Mexico", "China", "Lisbon", "Bogotá", "Kraków"]
ORGS = ["Miami Herald", "White House", "Reuters", "Tren de Aragua", "City Council", "Port Authority"]
WORDS = ("officials bridge strike vessel report council budget election market harbor policy reform "
         "minister growth inflation border agency cargo ruling summit").split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
    if rng.random() < 0.1:
        words.insert(rng.randrange(len(words)), rng.choice(["\U0001F600", "\U0001D538", "\u2014"]))
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, i: int) -> str:
    name, place, org = rng.choice(NAMES), rng.choice(PLACES), rng.choice(ORGS)
    quote = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))).capitalize()
    return (f"{_sentence(rng)} {name} of the {org} in {place} said {rng.randint(2, 900)} {rng.choice(WORDS)}s "
            f"were affected. \u201c{quote},\u201d {name} told reporters. {_sentence(rng)} {_sentence(rng)}")


def article_text(rng: random.Random) -> str:
    paragraphs, size, target = [], 0, rng.randint(2000, 8000)
    while size < target:
        paragraphs.append(_paragraph(rng, len(paragraphs)))
        size += len(paragraphs[-1].encode("utf-8")) + 1
    return "\n".join(paragraphs)


def annotation(rng: random.Random, text: str, prefix: str) -> list[dict]:
    tax = load_taxonomy()
    regions, relations, n = [], [], 0

    def add(layer, label, start, end, **choices):
        nonlocal n
        n += 1
        regions.append(Region(f"{prefix}{n}", layer, label, start, end, text[start:end], choices))
        return regions[-1]

    for surface, label in [(s, "PERSON") for s in NAMES] + [(s, "GPE") for s in PLACES] + [(s, "ORG") for s in ORGS]:
        start = text.find(surface)
        while start != -1 and sum(r.layer == "entity" for r in regions) < 30:
            add("entity", label, start, start + len(surface)).entity_key = surface.lower().replace(" ", "-")
            start = text.find(surface, start + 1)
    i = text.find("\u201c")
    for _ in range(5):
        if i == -1:
            break
        close = text.index("\u201d", i)
        content = add("quote", "content", i + 1, close - 1, quote_kind="direct", speaker_kind="named_person")
        tail = close + 2
        speaker_end = text.index(" told", tail)
        speaker = add("quote", "speaker", tail, speaker_end)
        cue = add("quote", "cue", speaker_end + 1, speaker_end + 5)
        relations += [Relation(speaker.id, content.id, "speaker_of"), Relation(cue.id, content.id, "cue_of")]
        i = text.find("\u201c", i + 1)
    sentences = [m.start() + 1 for m in re.finditer(r"\.", text) if m.start() + 2 < len(text)]
    for start in rng.sample(sentences, min(8, len(sentences) - 1)):
        end = text.find(".", start + 2)
        if end > start + 2:
            add("claim", "claim", start + 1 if text[start] == " " else start, end,
                claim_type=rng.choice(tax.names("claim_type")), checkworthiness=rng.choice(tax.names("checkworthiness")))
    return to_results(regions, relations, text)


def generate(n: int, root: Path, seed: int = 1) -> Path:
    """Write ``corpus/`` and ``annotations/labelstudio/bench/export-...json`` under ``root``."""
    rng = random.Random(seed)
    layout = Layout(root)
    layout.corpus.mkdir(parents=True, exist_ok=True)
    export = layout.labelstudio_exports / "bench" / "export-20260101T000000Z.json"
    export.parent.mkdir(parents=True, exist_ok=True)
    write_source(export.parent, Source("bench", ""))
    with open(export, "wb") as out:  # one task per line, as `whosaidwhat labelstudio pull` writes exports
        out.write(b"[\n")
        for i in progress(range(n), n, f"generate: articles of the {n:,}-article corpus"):
            article = make_article(f"{i}. " + article_text(rng), ArticleMetadata(redistributable=True),
                                   source_file=f"{i}.txt")
            write_json(layout.article_path(article["article_id"]), article, overwrite=True)
            text = article["text"]
            annotations = [{"id": 2 * i + 1, "completed_by": "annotator-01", "was_cancelled": False,
                            "ground_truth": True, "result": annotation(rng, text, "a")}]
            if i % 10 == 0:
                annotations.append({"id": 2 * i + 2, "completed_by": "annotator-02", "was_cancelled": False,
                                    "ground_truth": False, "result": annotation(rng, text, "b")})
            if i % 50 == 1:
                annotations.append({"id": 10**9 + i, "completed_by": "annotator-02", "was_cancelled": True,
                                    "ground_truth": False, "result": []})
            predictions = [{"id": i, "model_version": "bench", "result": annotation(rng, text, "p")}] if i % 5 == 0 else []
            task = {"id": i + 1, "data": {"text": text, "article_id": article["article_id"],
                                          "text_sha256": article["text_sha256"]},
                    "annotations": annotations, "predictions": predictions, "drafts": []}
            out.write((b",\n" if i else b"") + orjson.dumps(task))
        out.write(b"\n]\n")
    return export


if __name__ == "__main__":
    print(generate(int(sys.argv[1]), Path(sys.argv[2])))
