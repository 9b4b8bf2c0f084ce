"""Stage 6, the release: ``build`` streams the gold records into Parquet shards (``shards``) typed
by ``features`` (the ``ner`` config column by column in ``ner``) and describes the release
(``card``, ``croissant``, checksums); ``versions`` compares releases, ``files`` reads one back and
``publish`` sends its standoff copy to the Hub."""

from ..core.lazy import exports as _exports

_HOMES = {
    'BuildResult': 'build',
    'build_release': 'build',
    'diff_releases': 'versions',
    'rehydrate': 'publish',
    'verify_release': 'files',
}
__all__ = sorted(_HOMES)
__getattr__, __dir__ = _exports(__name__, _HOMES)
