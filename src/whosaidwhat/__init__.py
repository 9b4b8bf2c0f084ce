"""whosaidwhat: an annotated news corpus of entities, quotes and claims, and the package that builds
it. The subpackages follow the data flow: corpus (ingest) -> labelstudio -> convert -> validation ->
agreement -> release -> use, over ``core`` and the registry of annotation ``layers``.

``whosaidwhat.convert``, ``whosaidwhat.agreement`` and the other stages are subpackages; the
functions most used from a notebook are here. They are imported on first use (PEP 562), so a
command that converts or validates does not pay the seconds it takes to import ``datasets`` and
``pandas``.
"""

from .core import lazy

__getattr__, __dir__, __all__ = lazy.exports(__name__, {
    "core.errors": ("AlreadyExistsError", "CorpusError", "DuplicateArticleError", "InvalidDataError", "UnusableInputError"),
    "core.layout": ("Layout",),
    "core.taxonomy": ("load_taxonomy",),
    "core.problems": ("Problem",),
    "corpus.ingest": ("ArticleMetadata", "ingest_files", "normalize_text"),
    "validation.checks": ("Report", "validate"),
    "release.build": ("build_release",),
    "use.loaders": ("load",),
    "use.views": ("claims_with_quotes", "frame", "quotes_with_speakers", "to_pandas"),
    "use.display": ("highlight",),
    "use.formats": ("iter_documents",),
})
