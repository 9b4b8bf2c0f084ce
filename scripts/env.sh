# Sourced by scripts/main and scripts/test: make .venv (Python 3.11+) holding the package and the
# given extras. uv does the installing (it resolves and installs this dependency set in seconds,
# where pip takes minutes); it is bootstrapped into the venv itself, so nothing outside the
# repository is touched.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
EXTRAS="${1:-}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
if [ ! -x .venv/bin/uv ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv>=0.5,<1"
fi
.venv/bin/uv pip install --quiet --python .venv/bin/python -e ".${EXTRAS:+[$EXTRAS]}"
export PATH="$ROOT/.venv/bin:$PATH"
