"""Stage 7, using a release: ``load`` through ``datasets`` (``loaders``), pandas views
(``views``), an article drawn with its layers (``display``), CoNLL, brat and spaCy files
(``formats``), and where each article of the corpus stands (``status``)."""

from ..core import lazy

__getattr__, __dir__, __all__ = lazy.exports(__name__, {
    "loaders": ("load", "release_path"),
    "views": ("frame", "to_pandas", "quotes_with_speakers", "claims_with_quotes"),
    "display": ("highlight",),
    "formats": ("iter_documents", "write_conll", "write_brat", "write_spacy"),
    "status": ("article_status", "format_status", "format_status_json"),
})
