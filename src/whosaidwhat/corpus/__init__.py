"""Stage 1, the corpus: articles enter ``corpus/`` through ``ingest`` (normalised once, id from the
text's sha256, never overwritten); ``stats`` counts what the annotations of the corpus hold."""

from ..core import lazy

__getattr__, __dir__, __all__ = lazy.exports(__name__, {
    "ingest": ("ArticleMetadata", "ingest_files", "normalize_text", "text_sha256"),
    "stats": ("corpus_stats",),
})
