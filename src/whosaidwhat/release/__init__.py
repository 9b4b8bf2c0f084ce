"""Stage 6, the release: ``build`` streams the gold records into Parquet shards (``shards``) typed
by ``features`` (the ``ner`` config column by column in ``ner``) and describes the release
(``card``, ``croissant``, checksums); ``versions`` compares releases, ``files`` reads one back and
``publish`` sends its standoff copy to the Hub."""

from .build import BuildResult, build_release

__all__ = ["BuildResult", "build_release"]
