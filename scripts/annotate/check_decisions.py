"""Check decisions files (labelstudio/decisions.py) against their articles, the taxonomy and the
records checks, before they are sent to Label Studio: every problem with its JSON pointer.

    python scripts/annotate/check_decisions.py annotations/decisions/wsw-*/*.json
"""

from __future__ import annotations

import sys
from pathlib import Path

from whosaidwhat import Layout
from whosaidwhat.labelstudio.decisions import read_decisions


def main(paths: list[str]) -> int:
    layout = Layout.find()
    bad = 0
    for path in paths:
        decisions = read_decisions(Path(path), layout)
        for problem in decisions.problems:
            print(problem)
        if decisions.problems:
            bad += 1
        else:
            counts = ", ".join(f"{len(decisions.records[n])} {n}" for n in ("entities", "quotes", "claims"))
            print(f"{path}: ok ({counts})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
