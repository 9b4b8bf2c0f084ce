"""An article with its three layers, as HTML for a notebook: entities underlined in their label's
colour, quote content shaded, speakers bold, cues italic, claims outlined (red when check-worthy).

>>> docs = load_dataset("releases/0.1.1")["validation"]
>>> highlight(docs[0], docs.features)      # displays in Jupyter
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from datasets import ClassLabel, Features

from .. import layers
from ..layers.entities import COLOURS
from ..layers.quotes import STYLES as QUOTE_STYLES
from ..layers.claims import STYLES as CLAIM_STYLES


class HTML(str):
    """A string that Jupyter shows as HTML."""

    def _repr_html_(self) -> str:
        return str(self)


def _find(article_id: str, version, source) -> tuple[dict, Features]:
    from ..core.errors import CorpusError
    from .loaders import load
    for ds in load("documents", version=version, source=source).values():
        matches = ds.filter(lambda row: row["article_id"] == article_id)
        if matches.num_rows:
            return matches[0], ds.features
    raise CorpusError(f"article {article_id} is not in the release")


def _name(value, feature) -> str:
    return feature.int2str(value) if isinstance(feature, ClassLabel) and isinstance(value, int) else value


@dataclass
class _Mark:
    start: int
    end: int
    style: str
    title: str


def _marks(doc: dict, features: Features | None) -> list[_Mark]:
    """Every layer's marks (``Layer.marks``) of one ``documents`` row."""
    marks = []
    for layer in layers.registered():
        item = features[layer.name].feature if features is not None and layer.name in features else None

        def name_of(field: str, value, item=item):
            return _name(value, item[field] if item is not None else None)
        for record in doc.get(layer.name) or []:
            marks.extend(_Mark(*mark) for mark in layer.marks(record, name_of))
    return marks


def highlight(doc: dict | str, features: Features | None = None, *, version: str | None = None,
              source=None) -> HTML:
    """HTML of one ``documents`` row; ``features`` (the dataset's) turns label ids into names. Given
    an article id instead of a row, the row is looked up in the release (``version``/``source`` as
    for ``load``)."""
    if isinstance(doc, str):
        doc, features = _find(doc, version, source)
    text = doc["text"]
    if text is None:
        return HTML("<p><em>No text in this copy (standoff): rehydrate it to see the article.</em></p>")
    marks = _marks(doc, features)
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    parts = []
    for a, b in zip(cuts, cuts[1:]):
        active = [m for m in marks if m.start <= a and b <= m.end]
        piece = html.escape(text[a:b]).replace("\n", "<br>\n")
        for m in active:
            piece = f'<span style="{m.style}" title="{html.escape(m.title)}">{piece}</span>'
        parts.append(piece)
    legend = " ".join(f'<span style="border-bottom:3px solid {c}">{label}</span>' for label, c in COLOURS.items())
    key = (f'<span style="{QUOTE_STYLES["content"]}">quote</span> <b>speaker</b> <i>cue</i> '
           f'<span style="{CLAIM_STYLES["claim_check_worthy"]}">check-worthy claim</span> '
           f'<span style="{CLAIM_STYLES["claim"]}">other claim</span>')
    return HTML(f'<div style="line-height:1.9;font-family:Georgia,serif;max-width:48em">'
                f'<p style="font-size:smaller">{legend}<br>{key}</p><p>{"".join(parts)}</p></div>')
