"""The ``whosaidwhat`` command: a thin layer over the library. Each command parses its arguments,
calls one library function and prints the result; a ``CorpusError`` becomes one line on stderr and
the error's exit status."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from .errors import CorpusError
from .layout import Layout


def _ingest(args) -> int:
    from .ingest import ArticleMetadata, ingest_files
    meta = ArticleMetadata(
        title=args.title, outlet=args.outlet, url=args.url, author=args.author,
        published_date=args.published_date, published_date_source=args.published_date_source,
        language=args.language, license=args.license, redistributable=args.redistributable, note=args.note)
    for article in ingest_files(args.paths, meta, layout=Layout.find()):
        print(f"added {article['article_id']} ({len(article['text'])} characters) from {article['source_file']}")
    return 0


def _validate(args) -> int:
    from .validate import FORMATTERS, validate
    report = validate(args.paths or None, layout=Layout.find())
    print(FORMATTERS[args.format](report))
    return report.exit_code


def _schema(args) -> int:
    from .schema import schema_drift, write_schemas
    if args.write:
        for path in write_schemas():
            print(f"wrote {path}")
        return 0
    drift = schema_drift()
    for path in drift:
        print(f"{path}: differs from what schema/taxonomy.json generates (run: whosaidwhat schema --write)")
    return 1 if drift else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="whosaidwhat", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="add articles (.txt, or .json with metadata) to corpus/")
    p.add_argument("paths", nargs="+", type=Path)
    for flag in ("title", "outlet", "url", "author", "license", "note"):
        p.add_argument(f"--{flag}", default=None)
    p.add_argument("--published-date", default=None, help="ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD)")
    p.add_argument("--published-date-source", choices=("recorded", "inferred"), default=None)
    p.add_argument("--language", default="en", help="BCP-47 tag (default: en)")
    p.add_argument("--redistributable", action=argparse.BooleanOptionalAction, default=False,
                   help="may the text be published (default: no)")
    p.set_defaults(run=_ingest)

    p = sub.add_parser("validate", help="check the corpus and annotation records; exit 0 clean, 1 invalid, 2 unusable")
    p.add_argument("paths", nargs="*", type=Path)
    p.add_argument("--format", choices=("human", "json"), default="human")
    p.set_defaults(run=_validate)

    p = sub.add_parser("schema", help="check (default) or --write the JSON Schemas generated from the taxonomy")
    p.add_argument("--write", action="store_true")
    p.set_defaults(run=_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run: Callable = args.run
    try:
        return run(args)
    except CorpusError as e:
        print(f"whosaidwhat {args.command}: {e}", file=sys.stderr)
        return e.exit_code


if __name__ == "__main__":
    sys.exit(main())
