"""Stage 7, using a release: ``load`` through ``datasets`` (``loaders``), pandas views
(``views``), an article drawn with its layers (``display``), and CoNLL, brat and spaCy files
(``formats``)."""

from ..core.lazy import exports as _exports

_HOMES = {
    'load': 'loaders',
    'release_path': 'loaders',
    'frame': 'views',
    'to_pandas': 'views',
    'quotes_with_speakers': 'views',
    'claims_with_quotes': 'views',
    'highlight': 'display',
    'iter_documents': 'formats',
    'write_conll': 'formats',
    'write_brat': 'formats',
    'write_spacy': 'formats',
}
__all__ = sorted(_HOMES)
__getattr__, __dir__ = _exports(__name__, _HOMES)
