"""Stage 1, the corpus: articles enter ``corpus/`` through ``ingest`` (normalised once, id from the
text's sha256, never overwritten); ``stats`` counts what the annotations of the corpus hold."""

from .ingest import ArticleMetadata, ingest_files, normalize_text, text_sha256
from .stats import corpus_stats

__all__ = ["ArticleMetadata", "corpus_stats", "ingest_files", "normalize_text", "text_sha256"]
