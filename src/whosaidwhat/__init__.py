"""whosaidwhat: an annotated news corpus of entities, quotes and claims, and the package that builds
it. The stages follow the data flow: ingest -> labelstudio -> convert -> validate -> release."""

from .errors import AlreadyExistsError, CorpusError, DuplicateArticleError, InvalidDataError, UnusableInputError
from .ingest import ArticleMetadata, ingest_files, normalize_text
from .layout import Layout
from .display import highlight
from .exports import iter_documents
from .loaders import load
from .views import claims_with_quotes, frame, quotes_with_speakers, to_pandas
from .taxonomy import load_taxonomy
from .validate import Problem, Report, validate

__all__ = [
    "AlreadyExistsError", "ArticleMetadata", "CorpusError", "DuplicateArticleError", "InvalidDataError",
    "Layout", "Problem", "claims_with_quotes", "frame", "highlight", "iter_documents", "load",
    "quotes_with_speakers", "to_pandas", "Report", "UnusableInputError", "ingest_files", "load_taxonomy",
    "normalize_text", "validate",
]
