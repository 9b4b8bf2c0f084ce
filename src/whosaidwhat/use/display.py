"""An article with its three layers, as HTML for a notebook: entities underlined in their label's
colour, quote content shaded, speakers bold, cues italic, claims outlined (red when check-worthy).

>>> docs = load_dataset("releases/0.1.1")["validation"]
>>> highlight(docs[0], docs.features)      # displays in Jupyter
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from datasets import ClassLabel, Features

COLOURS = {"PERSON": "#1f77b4", "NORP": "#9467bd", "FAC": "#8c564b", "ORG": "#d62728", "GPE": "#2ca02c",
           "LOC": "#17becf", "PRODUCT": "#bcbd22", "EVENT": "#ff7f0e", "WORK_OF_ART": "#e377c2", "LAW": "#7f7f7f",
           "LANGUAGE": "#aec7e8"}
STYLES = {"content": "background:#fff3b0", "speaker": "font-weight:bold", "cue": "font-style:italic;color:#555",
          "claim": "outline:1px dashed #888", "claim_check_worthy": "outline:2px solid #c0392b"}


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
    def field(layer: str, name: str):
        return features[layer].feature[name] if features is not None else None
    marks = []
    for e in doc["entities"]:
        label = _name(e["label"], field("entities", "label"))
        marks.append(_Mark(e["start"], e["end"], f"border-bottom:3px solid {COLOURS.get(label, '#333')}",
                           f"{label} {e['entity_id'] or ''}"))
    for q in doc["quotes"]:
        kind = _name(q["kind"], field("quotes", "kind"))
        speaker_kind = _name(q["speaker_kind"], field("quotes", "speaker_kind"))
        title = f"{kind} quote, speaker {speaker_kind}: {(q['speaker'] or {}).get('text') or '-'}"
        marks.extend(_Mark(p["start"], p["end"], STYLES["content"], title) for p in q["content"])
        for role in ("speaker", "cue"):
            if q[role]:
                marks.append(_Mark(q[role]["start"], q[role]["end"], STYLES[role], f"{role}: {title}"))
    for c in doc["claims"]:
        worthiness = _name(c["checkworthiness"], field("claims", "checkworthiness"))
        style = STYLES["claim_check_worthy"] if worthiness == "check_worthy" else STYLES["claim"]
        marks.append(_Mark(c["start"], c["end"], style,
                           f"claim: {_name(c['claim_type'], field('claims', 'claim_type'))}, {worthiness}"))
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
    key = ('<span style="background:#fff3b0">quote</span> <b>speaker</b> <i>cue</i> '
           '<span style="outline:2px solid #c0392b">check-worthy claim</span> '
           '<span style="outline:1px dashed #888">other claim</span>')
    return HTML(f'<div style="line-height:1.9;font-family:Georgia,serif;max-width:48em">'
                f'<p style="font-size:smaller">{legend}<br>{key}</p><p>{"".join(parts)}</p></div>')
