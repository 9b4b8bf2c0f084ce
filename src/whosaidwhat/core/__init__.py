"""The small core every stage stands on: where things live (``layout``), the one family of errors
(``errors``), JSON reading and atomic writing (``io``), lock files (``locks``), work over processes
(``parallel``), the label sets (``taxonomy``), readers of the corpus and records files
(``records``), the problems a check reports (``problems``), the tokeniser shared by agreement and
the ``ner`` config (``tokenizer``), span matching (``matching``), the agreement coefficients
(``statistics``) and the stage packages' lazy names (``lazy``). Nothing here imports a stage;
``records`` and ``taxonomy`` ask the registry of layers which layers there are."""
