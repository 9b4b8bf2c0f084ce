"""whosaidwhat: an annotated news corpus of entities, quotes and claims, and the package that builds
it. The subpackages follow the data flow: corpus (ingest) -> labelstudio -> convert -> validation ->
agreement -> release -> use, over ``core`` and the registry of annotation ``layers``.

``whosaidwhat.convert``, ``whosaidwhat.agreement`` and the other stages are subpackages; the
functions most used from a notebook are here. They are imported on first use (PEP 562), so a
command that converts or validates does not pay the seconds it takes to import ``datasets`` and
``pandas``.
"""

from __future__ import annotations

import importlib

_HOMES = {
    "AlreadyExistsError": "core.errors", "CorpusError": "core.errors", "DuplicateArticleError": "core.errors",
    "InvalidDataError": "core.errors", "UnusableInputError": "core.errors",
    "Layout": "core.layout", "load_taxonomy": "core.taxonomy", "Problem": "core.problems",
    "ArticleMetadata": "corpus.ingest", "ingest_files": "corpus.ingest", "normalize_text": "corpus.ingest",
    "Report": "validation.checks", "validate": "validation.checks",
    "build_release": "release.build",
    "load": "use.loaders", "claims_with_quotes": "use.views", "frame": "use.views",
    "quotes_with_speakers": "use.views", "to_pandas": "use.views", "highlight": "use.display",
    "iter_documents": "use.formats",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'whosaidwhat' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))
