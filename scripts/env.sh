# Sourced by scripts/main and scripts/test: make .venv (Python 3.11+) holding the package and the exact
# versions in requirements.lock (compiled from pyproject.toml's ranges with its test extra), so a
# rebuilt release is byte-identical to the committed one. uv does the installing (it resolves and
# installs this set in seconds, where pip takes minutes); it is bootstrapped into the venv itself, so
# nothing outside the repository is touched. Regenerate the lock with:
#   .venv/bin/uv pip compile pyproject.toml --extra test --python-version 3.11 -o requirements.lock
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
if [ ! -x .venv/bin/uv ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv>=0.5,<1"
fi
.venv/bin/uv pip install --quiet --python .venv/bin/python -r requirements.lock
.venv/bin/uv pip install --quiet --python .venv/bin/python --no-deps -e .
export PATH="$ROOT/.venv/bin:$PATH"
unset PYTHONDONTWRITEBYTECODE  # cached bytecode: every command imports datasets or pyarrow, seconds each when compiled afresh
