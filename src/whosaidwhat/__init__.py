"""whosaidwhat: an annotated news corpus of entities, quotes and claims, and the package that builds
it. The stages follow the data flow: ingest -> labelstudio -> convert -> validate -> release."""

from .errors import AlreadyExistsError, CorpusError, DuplicateArticleError, InvalidDataError, UnusableInputError
from .ingest import ArticleMetadata, ingest_files, normalize_text
from .layout import Layout
from .display import highlight
from .loaders import load
from .taxonomy import load_taxonomy
from .validate import Problem, Report, validate

__all__ = [
    "AlreadyExistsError", "ArticleMetadata", "CorpusError", "DuplicateArticleError", "InvalidDataError",
    "Layout", "Problem", "highlight", "load", "Report", "UnusableInputError", "ingest_files", "load_taxonomy",
    "normalize_text", "validate",
]
