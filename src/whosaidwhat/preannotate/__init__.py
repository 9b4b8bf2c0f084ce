"""Pre-annotation: what a program proposes before an annotator starts, from the text alone.

A spaCy pipeline (``model``) gives tokens, sentences, the dependency parse and OntoNotes entities;
rules over them make the three layers' proposals (``entities``, ``quotes``, ``claims``), in the
records' own fields (``proposals``). ``propose_many`` runs the pipeline batched with ``nlp.pipe``;
``push`` and ``whosaidwhat preannotate`` both call it, and ``evaluate`` scores it against gold.

>>> from whosaidwhat.preannotate import propose                              # doctest: +SKIP
>>> propose('"We will win," said Sen. Maria Lopez.').quotes[0].speaker.text  # doctest: +SKIP
'Sen. Maria Lopez'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from .model import DEFAULT_MODEL, ModelNotAvailable, load, model_version
from .proposals import ClaimProposal, EntityProposal, Proposals, QuoteProposal, Span

# The rules' own version: bump it whenever a rule changes what is proposed.
RULES_VERSION = "whosaidwhat-rules-2"

__all__ = ["DEFAULT_MODEL", "RULES_VERSION", "ClaimProposal", "EntityProposal", "ModelNotAvailable", "Proposals", "TextTooLong",
           "QuoteProposal", "Span", "propose", "propose_files", "propose_many", "propose_texts", "version_of"]


def version_of(nlp) -> str:
    """What ``model_version`` a prediction carries: the rules' version and the pipeline's."""
    return f"{RULES_VERSION}+{model_version(nlp)}"


def propose_doc(doc) -> Proposals:
    """The proposals for one parsed text."""
    from .claims import claims_of
    from .entities import entities_of
    from .quotes import quotes_of

    entities = entities_of(doc)
    quotes = quotes_of(doc, entities)
    claims = claims_of(doc, quotes)
    return Proposals(entities=entities, quotes=quotes, claims=claims)


class TextTooLong(ModelNotAvailable):
    """A text longer than the pipeline parses in one piece."""


def _within_limit(texts: Iterable[str], limit: int) -> Iterator[str]:
    """The texts, refusing in one line one the pipeline cannot parse (spaCy's ``max_length``: its
    parser needs about a gigabyte per 100,000 characters)."""
    for number, text in enumerate(texts, 1):
        if len(text) > limit:
            raise TextTooLong(f"text {number} has {len(text):,} characters, more than the pipeline parses at once "
                              f"({limit:,}): split it into articles")
        yield text


def propose_many(texts: Iterable[str], model: str = DEFAULT_MODEL, *, batch_size: int = 8) -> Iterator[Proposals]:
    """Proposals for each text, in order; the pipeline runs over them in batches."""
    nlp = load(model)
    version = version_of(nlp)
    for doc in nlp.pipe(_within_limit(texts, nlp.max_length), batch_size=batch_size):
        proposals = propose_doc(doc)
        proposals.model_version = version
        yield proposals


def propose_texts(texts: Iterable[str], model: str = DEFAULT_MODEL, *, scheduler: str | None = None,
                  workers: int | None = None) -> Iterator[Proposals]:
    """``propose_many`` here, or on a Dask cluster (``scheduler``: its address; ``workers``: a local
    cluster of that many processes): the same proposals either way (``distributed``)."""
    if scheduler is None and workers is None:
        return propose_many(texts, model)
    from .distributed import propose_on_cluster
    return propose_on_cluster(texts, scheduler=scheduler, workers=workers, model=model)


def propose_files(paths: Iterable[str | Path], model: str = DEFAULT_MODEL, *, scheduler: str | None = None,
                  workers: int | None = None) -> Iterator[dict]:
    """For each article file (read and normalised as ``ingest`` would, never added to the corpus):
    ``{"source", "text_sha256", "model_version", "entities", "quotes", "claims"}``, with offsets into
    the normalised text. Every file is read before the model loads, so a bad file fails fast."""
    from ..corpus.ingest import read_text, text_sha256

    paths = [Path(p) for p in paths]
    texts = [read_text(p) for p in paths]
    for path, text, proposals in zip(paths, texts, propose_texts(texts, model, scheduler=scheduler, workers=workers)):
        yield {"source": str(path), "text_sha256": text_sha256(text), **proposals.to_json()}


def propose(text: str, model: str = DEFAULT_MODEL) -> Proposals:
    """Proposals for one text."""
    return next(propose_many([text], model))
