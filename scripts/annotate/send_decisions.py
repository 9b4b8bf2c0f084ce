"""Send decisions files (annotations/decisions/<article_id>/<annotator>.json) to Label Studio, each
as its annotator's annotation of the article's task (made without pre-annotations), so that they
come back through `whosaidwhat labelstudio pull` and `convert` like any other annotation.

    python scripts/annotate/send_decisions.py [--project whosaidwhat] [FILES...]   # default: every file

Reaches the server as push and pull do (LABEL_STUDIO_URL / LABEL_STUDIO_API_KEY, or the server
started here).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from whosaidwhat import Layout
from whosaidwhat.core.errors import CorpusError, InvalidDataError
from whosaidwhat.labelstudio.client import DEFAULT_PROJECT, client
from whosaidwhat.labelstudio.decisions import iter_decisions, send_decisions


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="decisions files (default: every one under annotations/decisions/)")
    parser.add_argument("--project", default=DEFAULT_PROJECT, help="project title (default: whosaidwhat)")
    args = parser.parse_args(argv)
    layout = Layout.find()
    layout.load_dotenv()
    try:
        result = send_decisions(layout, args.files or list(iter_decisions(layout)), ls=client(), title=args.project)
    except InvalidDataError as e:
        for problem in e.problems:
            print(problem)
        print(f"send_decisions: {e}", file=sys.stderr)
        return 1
    except CorpusError as e:
        print(f"send_decisions: {e}", file=sys.stderr)
        return 1
    print(f"{result.sent} annotation(s) sent, {result.already_there} already there")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
