"""The small core every stage stands on: where things live (``layout``), the one family of errors
(``errors``), JSON reading and atomic writing (``io``), lock files (``locks``), work over processes
(``parallel``), the label sets (``taxonomy``), readers of the corpus and records files
(``records``), the problems a check reports (``problems``) and the tokeniser shared by agreement and
the ``ner`` config (``tokenizer``). Nothing here imports a stage."""
