"""Stage 6, the release: ``build`` streams the gold records into Parquet shards (``shards``) typed
by ``features`` (the ``ner`` config column by column in ``ner``) and describes the release
(``card``, ``croissant``, checksums); ``versions`` compares releases, ``files`` reads one back and
``publish`` sends its standoff copy to the Hub."""

from ..core import lazy

__getattr__, __dir__, __all__ = lazy.exports(__name__, {
    "build": ("BuildResult", "build_release"),
    "versions": ("diff_releases",),
    "publish": ("rehydrate",),
    "files": ("verify_release",),
})
