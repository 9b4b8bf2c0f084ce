"""Stage 1, the corpus: articles enter ``corpus/`` through ``ingest`` (normalised once, id from the
text's sha256, never overwritten); ``stats`` counts what the annotations of the corpus hold."""

from ..core.lazy import exports as _exports

_HOMES = {
    'ArticleMetadata': 'ingest',
    'ingest_files': 'ingest',
    'normalize_text': 'ingest',
    'text_sha256': 'ingest',
    'corpus_stats': 'stats',
}
__all__ = sorted(_HOMES)
__getattr__, __dir__ = _exports(__name__, _HOMES)
