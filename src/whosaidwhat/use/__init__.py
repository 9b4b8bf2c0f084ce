"""Stage 7, using a release: ``load`` through ``datasets`` (``loaders``), pandas views
(``views``), an article drawn with its layers (``display``), and CoNLL, brat and spaCy files
(``formats``)."""
