"""pandas views of a release that researchers reach for: every config as one DataFrame with label
names, quotes joined with their speakers' entities, claims joined with the quote they are made in.

>>> quotes = quotes_with_speakers(version="0.1.1")
>>> quotes.groupby("speaker_kind").size()
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from datasets import ClassLabel, DatasetDict

from .loaders import load


def to_pandas(dataset: DatasetDict) -> pd.DataFrame:
    """All splits of a loaded config as one DataFrame, label ids turned into names, with a
    ``split`` column (unless the config has one)."""
    parts = []
    for split, ds in dataset.items():
        df = ds.to_pandas()
        for name, feature in ds.features.items():
            if isinstance(feature, ClassLabel):
                df[name] = df[name].map(lambda v, f=feature: None if pd.isna(v) else f.int2str(int(v)))
        parts.append(df if "split" in df else df.assign(split=split))
    return pd.concat(parts, ignore_index=True)


def frame(config: str, version: str | None = None, source: str | Path | None = None) -> pd.DataFrame:
    """``to_pandas(load(config, version, source))``."""
    return to_pandas(load(config, version=version, source=source))


def quotes_with_speakers(version: str | None = None, source: str | Path | None = None) -> pd.DataFrame:
    """Quotes with ``speaker_text`` and, for speakers linked to an entity, its label and the way it
    is most often written in the article (``speaker_entity``)."""
    quotes, entities = frame("quotes", version, source), frame("entities", version, source)
    names = (entities.groupby(["entity_id", "label"])["text"].agg(lambda t: t.value_counts().index[0])
             .reset_index().rename(columns={"entity_id": "speaker_entity_id", "label": "speaker_entity_label",
                                            "text": "speaker_entity"}))
    quotes["speaker_text"] = quotes["speaker"].map(lambda s: None if s is None else s["text"])
    return quotes.merge(names, on="speaker_entity_id", how="left")


def claims_with_quotes(version: str | None = None, source: str | Path | None = None) -> pd.DataFrame:
    """Claims with the speaker, speaker kind and quote kind of the quote they are made in, and
    ``made_by``: the speaker, "unnamed (<kind>)", or "the article" for the reporter's own voice."""
    claims = frame("claims", version, source)
    quotes = quotes_with_speakers(version, source)[["quote_id", "speaker_text", "speaker_kind", "kind"]]
    joined = claims.merge(quotes.rename(columns={"kind": "quote_kind"}), on="quote_id", how="left")
    joined["made_by"] = [
        "the article" if pd.isna(q) else (s if isinstance(s, str) else f"unnamed ({k})")
        for q, s, k in zip(joined["quote_id"], joined["speaker_text"], joined["speaker_kind"])]
    return joined
