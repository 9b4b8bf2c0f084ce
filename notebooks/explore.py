# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exploring whosaidwhat
#
# Who is named, who is quoted — and how often anonymously — and what is claimed, in the current
# release of the corpus. The data comes in with the one call the README shows,
# `datasets.load_dataset`, on the release folder; pandas does the tables, matplotlib the plots, and
# DuckDB and Polars read the same Parquet shards directly.
#
# This notebook is generated from `notebooks/explore.py` (the reviewed source, paired by Jupytext)
# and executed by the test suite, which fails if a cell errors or the committed outputs are stale.

# %%
import json
import os
import warnings
from pathlib import Path

warnings.filterwarnings("ignore", message="IProgress not found")  # no widgets needed here

import datasets
import duckdb
import matplotlib.pyplot as plt
import pandas as pd
import polars as pl
from datasets import load_dataset
from IPython.display import Markdown, display

import whosaidwhat

datasets.disable_progress_bars()
datasets.logging.set_verbosity_error()
RELEASES = Path("../releases")
RELEASE = max((p for p in RELEASES.iterdir() if (p / "SHA256SUMS").exists()),  # the newest version
              key=lambda p: tuple(int(x) for x in p.name.split(".")))
print(f"release {RELEASE.name}")
FIGURES = Path(os.environ.get("WHOSAIDWHAT_FIGURES", "figures"))
FIGURES.mkdir(exist_ok=True)
pd.set_option("display.max_colwidth", 90)
plt.rcParams.update({"figure.dpi": 96, "savefig.dpi": 96, "svg.hashsalt": "whosaidwhat"})

configs = {name: load_dataset(str(RELEASE), name) for name in ("documents", "entities", "quotes", "claims", "ner")}
configs["documents"]

# %%
# whosaidwhat.to_pandas: all splits of a loaded config as one DataFrame, label ids as their names.
articles, entities, quotes, claims, ner = (whosaidwhat.to_pandas(configs[c])
                                           for c in ("documents", "entities", "quotes", "claims", "ner"))


def stacked_bars(table: pd.DataFrame, xlabel: str, title: str, colors: list[str], height: float, save: str | None = None,
                 width: float = 6.5):
    """A horizontal stacked bar chart of a crosstab, first row on top; saved under FIGURES when asked."""
    fig, ax = plt.subplots(figsize=(width, height))
    table.plot.barh(stacked=True, ax=ax, color=colors[: table.shape[1]])
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    ax.set_title(title)
    plt.tight_layout()
    if save:
        fig.savefig(FIGURES / save, metadata={"Software": None})
    plt.show()

# %% [markdown]
# ## What is in the corpus

# %%
overview = pd.DataFrame({
    "articles": articles.groupby("split").size(),
    "tokens": ner.groupby("split")["tokens"].apply(lambda t: sum(len(x) for x in t)),
    "entities": entities.groupby("split").size(),
    "quotes": quotes.groupby("split").size(),
    "claims": claims.groupby("split").size(),
}).fillna(0).astype(int)
overview.loc["total"] = overview.sum()
overview

# %%
articles[["article_id", "title", "outlet", "published_date", "published_date_source", "license", "redistributable"]]

# %% [markdown]
# ## Who is named

# %%
fig, ax = plt.subplots(figsize=(6, 2.6))
entities["label"].value_counts().plot.barh(ax=ax, color="#4c72b0")
ax.invert_yaxis()
ax.set_xlabel("mentions")
ax.set_title("Entity mentions by OntoNotes type")
plt.tight_layout()
plt.show()

# %%
top_entities = (entities.assign(entity=entities["entity_id"].str.split(":").str[-1])
                .groupby(["entity", "label"])
                .agg(mentions=("mention_id", "size"), as_written=("text", lambda t: ", ".join(sorted(set(t)))))
                .sort_values("mentions", ascending=False))
top_entities.head(10)

# %%
entities.groupby("article_id").agg(mentions=("mention_id", "size"), distinct_entities=("entity_id", "nunique"))

# %% [markdown]
# ## Who is quoted
#
# How much of the reporting rests on anonymous sources: quotes by speaker kind and by quote kind.

# %%
stacked_bars(pd.crosstab(quotes["speaker_kind"], quotes["kind"]), "quotes", "Quotes by speaker kind and quote kind",
             ["#4c72b0", "#dd8452", "#55a868"], 3, save="quotes_by_speaker_kind.png")
anonymous_share = (quotes["speaker_kind"] == "anonymous").mean()
print(f"{anonymous_share:.0%} of the quotes rest on anonymous sources; "
      f"{(quotes['speaker_kind'] == 'unattributed').mean():.0%} have no speaker at all.")

# %%
quotes.assign(speaker=quotes["speaker"].map(lambda s: s["text"] if s is not None else "(none)")) \
    .groupby(["speaker", "speaker_kind"]).size().sort_values(ascending=False).rename("quotes").head(10).to_frame()

# %%
quotes["cue"].map(lambda c: c["text"].lower() if c is not None else "(none)").value_counts().rename("quotes").to_frame()

# %% [markdown]
# Quotes per article, and how many of them rest on anonymous sources: per article and per outlet.

# %%
by_id = articles.set_index("article_id")
named = by_id["title"].fillna(pd.Series(by_id.index, index=by_id.index)).str.slice(0, 48)
per_article = (quotes.assign(anonymous=quotes["speaker_kind"] == "anonymous")
               .groupby("article_id").agg(quotes=("quote_id", "size"), anonymous=("anonymous", "sum"))
               .reindex(by_id.index, fill_value=0))
per_article["anonymous share"] = (per_article["anonymous"] / per_article["quotes"]).round(2)
per_article.index = per_article.index.map(named)
per_article = per_article.sort_values("quotes", ascending=False)
stacked_bars(per_article.assign(named=per_article["quotes"] - per_article["anonymous"])[["named", "anonymous"]]
             .rename(columns={"named": "other sources", "anonymous": "anonymous sources"}),
             "quotes", "Quotes per article", ["#4c72b0", "#c44e52"], 4.4, save="quotes_per_article.png", width=9)
per_article

# %%
by_outlet = (quotes.merge(articles[["article_id", "outlet"]], on="article_id")
             .assign(outlet=lambda t: t["outlet"].fillna("(outlet unknown)"),
                     anonymous=lambda t: t["speaker_kind"] == "anonymous")
             .groupby("outlet").agg(articles=("article_id", "nunique"), quotes=("quote_id", "size"),
                                    anonymous=("anonymous", "sum")))
by_outlet["anonymous share"] = (by_outlet["anonymous"] / by_outlet["quotes"]).round(2)
by_outlet

# %% [markdown]
# ## What is claimed

# %%
stacked_bars(pd.crosstab(claims["claim_type"], claims["checkworthiness"]), "claims",
             "Claims by Full Fact type and ClaimBuster check-worthiness", ["#c44e52", "#8172b3", "#937860"], 2.8)

# %%
voice = claims["quote_id"].notna().map({True: "inside a quote", False: "reporter's voice"})
pd.crosstab(voice, claims["checkworthiness"], margins=True)

# %% [markdown]
# The check-worthy claims, with who makes them: the speaker of the quote a claim is made in, or the
# article itself.

# %%
claims = whosaidwhat.claims_with_quotes(source=RELEASE)  # claims joined with the quote they are made in
claims.loc[claims["checkworthiness"] == "check_worthy", ["text", "claim_type", "made_by"]].reset_index(drop=True)

# %% [markdown]
# ## How the layers meet
#
# Which speakers make which kinds of claims, and one article with every layer drawn on its text.

# %%
pd.crosstab(claims["made_by"], claims["checkworthiness"]).sort_values("check_worthy", ascending=False)

# %%
documents = configs["documents"]
split = next(iter(documents))
display(whosaidwhat.highlight(documents[split][0], documents[split].features))

# %% [markdown]
# ## The same shards with DuckDB and Polars

# %%
# Label columns hold ClassLabel ids; their names come from the dataset's Features.
speaker_kinds = configs["quotes"][split].features["speaker_kind"].names
duckdb.sql(f"""
    select {speaker_kinds}[speaker_kind + 1] as speaker_kind, count(*) as quotes
    from read_parquet('{RELEASE}/quotes/*.parquet')
    group by all order by quotes desc, speaker_kind
""").df()

# %%
worthiness = dict(enumerate(configs["claims"][split].features["checkworthiness"].names))
(pl.read_parquet(RELEASE / "claims" / "*.parquet")
   .with_columns(pl.col("checkworthiness").replace_strict(worthiness, return_dtype=pl.String))
   .group_by("checkworthiness").len().sort("len", descending=True))

# %% [markdown]
# ## Agreement

# %%
report = json.loads((RELEASE / "agreement.json").read_text())
if report["overall"] is None:
    print("Agreement not measured in this release: no article has two or more annotators "
          f"(articles by number of annotators: {report['coverage']}).")
else:
    # Per layer, pooled over the article pairs; the card has every pair. Human anchors: PolNeAR token
    # alpha 0.754 and attribution agreement 0.923, FEVER label kappa 0.68 (read with who annotated).
    from whosaidwhat.agreement.measures import figure_rows
    overall = pd.DataFrame(figure_rows(report["overall"]), columns=["measure", "overall"])
    first_word = overall["measure"].str.strip().str.split(":").str[0]
    layer_names = {layer.name for layer in whosaidwhat.layers.registered()}
    overall.insert(0, "layer", first_word.where(first_word.isin(layer_names | {"articles"}), "entities"))
    display(overall.set_index(["layer", "measure"]))
