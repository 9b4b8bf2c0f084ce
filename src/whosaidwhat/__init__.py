"""whosaidwhat: an annotated news corpus of entities, quotes and claims, and the package that builds
it. The stages follow the data flow: ingest -> labelstudio -> convert -> validate -> release.

The names below are imported on first use (PEP 562), so a command that converts or validates does
not pay the seconds it takes to import ``datasets`` and ``pandas``.
"""

from __future__ import annotations

import importlib

# Imported now because the function shares its module's name: importing ``whosaidwhat.validate``
# later would otherwise leave the module, not the function, as ``whosaidwhat.validate``.
from .validate import Problem, Report, validate

_HOMES = {
    "AlreadyExistsError": "errors", "CorpusError": "errors", "DuplicateArticleError": "errors",
    "InvalidDataError": "errors", "UnusableInputError": "errors",
    "ArticleMetadata": "ingest", "ingest_files": "ingest", "normalize_text": "ingest",
    "Layout": "layout", "highlight": "display", "iter_documents": "exports", "load": "loaders",
    "claims_with_quotes": "views", "frame": "views", "quotes_with_speakers": "views", "to_pandas": "views",
    "load_taxonomy": "taxonomy",
}

__all__ = sorted([*_HOMES, "Problem", "Report", "validate"])


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'whosaidwhat' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))
