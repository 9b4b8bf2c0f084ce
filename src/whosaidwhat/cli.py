"""The ``whosaidwhat`` command: a thin layer over the library. Each command parses its arguments,
calls one library function and prints the result; a ``CorpusError`` becomes one line on stderr and
the error's exit status."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from .core.errors import CorpusError
from .core.layout import Layout
from .preannotate.model import DEFAULT_MODEL


def _ingest(args) -> int:
    from .corpus.ingest import ArticleMetadata, ingest_files
    meta = ArticleMetadata(
        title=args.title, outlet=args.outlet, url=args.url, author=args.author,
        published_date=args.published_date, published_date_source=args.published_date_source,
        language=args.language, license=args.license, redistributable=args.redistributable, note=args.note)
    for article in ingest_files(args.paths, meta, layout=Layout.find()):
        print(f"added {article['article_id']} ({len(article['text'])} characters) from {article['source_file']}")
    return 0


def _preannotate(args) -> int:
    import json

    from .preannotate import propose_files
    for result in propose_files(args.paths, args.model, scheduler=args.scheduler, workers=args.workers):
        if args.format == "json":
            print(json.dumps(result, ensure_ascii=False), flush=True)
        else:
            print(_proposals_text(result), flush=True)
    return 0


def _proposals_text(result: dict) -> str:
    """What a person reads: counts, the entities, each quote as speaker | cue | kinds | pieces, each claim."""
    def short(text: str, width: int = 90) -> str:
        return text if len(text) <= width else text[:width - 3] + "..."

    lines = [f"{result['source']}: {len(result['entities'])} entities, {len(result['quotes'])} quotes, "
             f"{len(result['claims'])} claim candidates ({result['model_version']})"]
    if result["entities"]:
        lines.append("  entities  " + "; ".join(f"{e['text']} {e['label']}" for e in result["entities"]))
    for q in result["quotes"]:
        speaker = q["speaker"]["text"] if q["speaker"] else "(no speaker)"
        lines.append(f"  quote     {speaker} | {q['cue']['text'] if q['cue'] else '(no cue)'} | {q['kind']}, {q['speaker_kind']}")
        lines.extend(f"              \u201c{short(c['text'])}\u201d" for c in q["content"])
    for c in result["claims"]:
        lines.append(f"  claim     {c['claim_type']} | {short(c['text'])}")
    return "\n".join(lines) + "\n"


def _edit(args) -> int:
    from .corpus.edit import EDITABLE, edit_article
    changes = {field: getattr(args, field) for field in EDITABLE if getattr(args, field, None) is not None}
    if not changes:
        raise CorpusError("nothing to edit: give at least one metadata option (see whosaidwhat edit --help)")
    changed = edit_article(Layout.find(), args.article_id, changes)
    for field, (old, new) in changed.items():
        print(f"{args.article_id}: {field} {old!r} -> {new!r}")
    if not changed:
        print(f"{args.article_id}: already so; nothing written")
    return 0


def _status(args) -> int:
    from .use.status import article_status, format_status, format_status_json
    rows = list(article_status(Layout.find()))
    print(format_status_json(rows) if args.format == "json" else format_status(rows))
    return 0


def _validate(args) -> int:
    from .validation.checks import FORMATTERS, validate
    report = validate(args.paths or None, layout=Layout.find(), jobs=args.jobs, cache=args.cache)
    print(FORMATTERS[args.format](report))
    return report.exit_code


def _schema(args) -> int:
    from .validation.schema import schema_drift, write_schemas
    if args.write:
        for path in write_schemas():
            print(f"wrote {path}")
        return 0
    drift = schema_drift()
    for path in drift:
        print(f"{path}: differs from what schema/taxonomy.json generates (run: whosaidwhat schema --write)")
    return 1 if drift else 0


def _ls_config(args) -> int:
    from .labelstudio.config import label_config
    print(label_config(), end="")
    return 0


def _ls_start(args) -> int:
    from .labelstudio.server import ServerSettings, start_server
    settings = start_server(ServerSettings.from_env(Layout.find(), port=args.port),
                            report=lambda message: print(f"{message} ...", file=sys.stderr, flush=True))
    print(f"Label Studio is up at {settings.url} (data in {settings.data}, {settings.describe_database()}, "
          f"log {settings.log_file})")
    return 0


def _ls_stop(args) -> int:
    from .labelstudio.server import ServerSettings, stop_server
    settings = ServerSettings.located(Layout.find(), port=args.port)  # stopping needs no credentials
    print("Label Studio stopped" if stop_server(settings) else "no Label Studio server was running")
    return 0


def _ls_push(args) -> int:
    from .labelstudio.client import push
    result = push(Layout.find(), title=args.project, predictions=args.predictions, model=args.model,
                  scheduler=args.scheduler, workers=args.workers)
    print(f"project {args.project!r} (id {result.project_id}): {result.added} task(s) added"
          f"{'' if args.predictions else ' without pre-annotations'}, {result.already_there} already there")
    return 0


def _ls_pull(args) -> int:
    from .labelstudio.client import pull
    result = pull(Layout.find(), title=args.project, new_key=args.new_key)
    if result.path is None:
        print(f"{result.tasks} task(s): identical to the newest export already pulled; nothing written")
    else:
        print(f"{result.tasks} task(s) by {result.annotators} annotator(s) written to {result.path}")
    return 0


def _convert(args) -> int:
    from .convert.pipeline import convert
    from .core.errors import InvalidDataError
    layout = Layout.find()
    try:
        report = convert(args.paths or None, layout=layout, jobs=args.jobs, cache=args.cache,
                         allow_removal=args.allow_removal)
    except InvalidDataError as e:
        for problem in e.problems:
            print(problem)
        raise
    for correction in report.corrections:
        print(f"corrected: {correction}")
    for change in report.changes:
        print(change)
    print(report.summary())
    return 0


def _stats(args) -> int:
    from .corpus.stats import corpus_stats, format_stats, format_stats_json
    stats = corpus_stats(Layout.find(), origin=None if args.origin == "all" else args.origin)
    print(format_stats_json(stats) if args.format == "json" else format_stats(stats))
    return 0


def _build(args) -> int:
    from .release.build import build_release, left_out_line
    result = build_release(Layout.find(), args.version, jobs=args.jobs, cache=args.cache)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if result.left_out:
        print(left_out_line(result.left_out))
    if result.unchanged:
        print(f"{result.path}: already released with identical content; nothing written")
    else:
        rows = "; ".join(f"{config} " + ", ".join(f"{s} {n}" for s, n in splits.items()) for config, splits in result.rows.items())
        print(f"built {result.path}: {rows}")
    return 0


def _diff(args) -> int:
    from .release.folders import release_folder
    from .release.versions import diff_releases
    print(diff_releases(release_folder(args.old), release_folder(args.new)))
    return 0


def _publish(args) -> int:
    from .release.folders import release_folder
    from .release.publish import publish
    result = publish(release_folder(args.version), args.repo, dry_run=args.dry_run)
    if result.uploaded:
        print(f"uploaded {args.version} to {result.repo_id} (commit {result.commit}), tagged {result.tag}")
    else:
        print(f"dry run: wrote what would be uploaded to {result.folder}; nothing uploaded")
    return 0


def _rehydrate(args) -> int:
    from .release.publish import rehydrate
    result = rehydrate(args.standoff, args.texts, args.output)
    print(f"wrote {result.folder}: {len(result.restored)} article text(s) restored, {len(result.missing)} still missing")
    for article_id in result.missing:
        print(f"missing: {article_id}")
    return 0


def _agreement(args) -> int:
    from .agreement.measures import agreement, format_json, format_markdown, format_table
    report = agreement(Layout.find())
    print({"table": format_table, "json": format_json, "markdown": format_markdown}[args.format](report))
    return 0


def _adjudicate(args) -> int:
    from .agreement.adjudicate import adjudicate, format_conflicts, format_json
    layout = Layout.find()
    result = adjudicate(layout)
    print(format_json(result) if args.format == "json" else format_conflicts(result))
    if args.write_logs:
        from .agreement.decisions import write_logs
        for path in write_logs(layout, result):
            print(f"adjudication log to fill in: {path.relative_to(layout.root)}")
    if args.push:
        from .agreement.review import push_reviews
        pushed = push_reviews(layout, result, title=args.project, update_gold=args.update_gold)
        print(f"Label Studio: {pushed.gold} ground-truth annotation(s) created, {pushed.updated} updated, "
              f"{pushed.reviews} review(s) set up")
    return 0


def _jobs_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="processes to use (default: every CPU); the output is the same for any N")
    parser.add_argument("--no-cache", dest="cache", action="store_false",
                        help="check every records file again, even those that passed unchanged before "
                             "(the cache is .whosaidwhat_cache/; the output is the same either way)")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("whosaidwhat")
    except PackageNotFoundError:  # run from a source tree that is not installed
        return "unknown (not installed)"


METADATA_OPTIONS = {  # ingest and edit: one help line per metadata field
    "title": "headline",
    "outlet": "publication or site that published it",
    "url": "absolute http(s) address of the original",
    "author": "byline",
    "published-date": "ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD",
    "published-date-source": "recorded with the article, or inferred by the project (with a date, default: recorded)",
    "language": "BCP-47 tag (en, en-GB, ...)",
    "license": "SPDX licence expression (CC-BY-2.5, MIT, ...) or unknown",
    "redistributable": "may the text be published",
    "note": "free text about where the article comes from",
}


def _metadata_options(p: argparse.ArgumentParser, defaults: dict) -> None:
    for flag, text in METADATA_OPTIONS.items():
        dest = flag.replace("-", "_")
        default = defaults.get(dest)
        shown = f"{text} (default: {'yes' if default else 'no'})" if isinstance(default, bool) else \
            f"{text} (default: {default})" if default else text
        if dest == "redistributable":
            p.add_argument(f"--{flag}", dest=dest, action=argparse.BooleanOptionalAction, default=default, help=shown)
        elif dest == "published_date_source":
            p.add_argument(f"--{flag}", dest=dest, choices=("recorded", "inferred"), default=default, help=shown)
        else:
            p.add_argument(f"--{flag}", dest=dest, default=default, help=shown)


def _cluster_options(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--scheduler", metavar="ADDRESS", default=None,
                       help="pre-annotate on a Dask cluster: its scheduler's address, e.g. tcp://10.0.0.5:8786 "
                            "(the same output as here)")
    group.add_argument("--workers", type=int, metavar="N", default=None,
                       help="pre-annotate on a Dask cluster of N worker processes started on this machine")


EXIT_CODES = """exit status:
  0  done (validate: no problem)
  1  invalid data, or an operation refused to keep something from being lost or overwritten
  2  input that cannot be used at all (a missing file, broken JSON, not UTF-8)"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="whosaidwhat", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EXIT_CODES,
        description="Build and check the whosaidwhat corpus of news articles annotated with entities, quotes and "
                    "claims.\n\nThe stages, in order: ingest, preannotate, labelstudio (push, pull), convert, "
                    "validate,\nagreement and adjudicate, build, then verify, diff and publish a release. Every "
                    "command is a\nlibrary call; an error is one line on stderr.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}",
                        help="the package's version, and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                help="one of the commands below; whosaidwhat COMMAND --help says more")

    p = sub.add_parser("ingest", help="add articles (.txt, or .json with metadata) to corpus/")
    p.add_argument("paths", nargs="+", type=Path, help="article files: UTF-8 .txt, or .json with 'text' and metadata fields")
    _metadata_options(p, defaults={"language": "en", "redistributable": False})
    p.set_defaults(run=_ingest)

    p = sub.add_parser("status", help="where each article stands: ingested, in Label Studio, annotated, gold, released")
    p.add_argument("--format", choices=("human", "json"), default="human", help="human: a line per article; json: a list")
    p.set_defaults(run=_status)

    p = sub.add_parser("edit", help="correct an article's metadata (never its text or id); \"\" clears a field",
                       description="Correct an article's metadata, checked as ingest checks it; its text and id never "
                                   "change. Give an option \"\" to clear it (unknown); a date's source goes with the date.")
    p.add_argument("article_id", help="the article, wsw-<16 hex>")
    _metadata_options(p, defaults={})
    p.set_defaults(run=_edit)

    p = sub.add_parser("preannotate", help="propose entities, quotes and claim candidates for article files (nothing is written)")
    p.add_argument("paths", nargs="+", type=Path, help="article files, read as ingest reads them (.txt, or .json with 'text')")
    p.add_argument("--model", default=DEFAULT_MODEL,
                   help=f"an installed spaCy pipeline with a parser and NER (default: {DEFAULT_MODEL})")
    p.add_argument("--format", choices=("human", "json"), default="human",
                   help="json: one line per file, {source, text_sha256, model_version, entities, quotes, claims}")
    _cluster_options(p)
    p.set_defaults(run=_preannotate)

    p = sub.add_parser("validate", help="check the corpus and annotation records; exit 0 clean, 1 invalid, 2 unusable")
    p.add_argument("paths", nargs="*", type=Path, help="files to check (default: the whole corpus and annotations/records/)")
    p.add_argument("--format", choices=("human", "json"), default="human", help="human: a line per problem; json: a report")
    _jobs_option(p)
    p.set_defaults(run=_validate)

    p = sub.add_parser("convert", help="turn raw Label Studio exports into standoff records in annotations/records/")
    p.add_argument("paths", nargs="*", type=Path, help="export files (default: every one under annotations/labelstudio/)")
    p.add_argument("--allow-removal", action="store_true",
                   help="write removals too: record sets whose own source deleted them (listed; refused without this flag)")
    _jobs_option(p)
    p.set_defaults(run=_convert)

    ls = sub.add_parser("labelstudio", help="the Label Studio server and project").add_subparsers(
        dest="action", required=True, metavar="ACTION", help="start, stop, config, push or pull")
    p = ls.add_parser("config", help="print the labeling config generated from the taxonomy")
    p.set_defaults(run=_ls_config)
    for name, run, text in (("start", _ls_start, "install (first time) and start the server on 127.0.0.1"),
                            ("stop", _ls_stop, "stop the server started by start")):
        p = ls.add_parser(name, help=text)
        p.add_argument("--port", type=int, default=None, help="default: $LABEL_STUDIO_PORT or 8080")
        p.set_defaults(run=run)
    for name, run, text in (("push", _ls_push, "create/find the project and import new articles with pre-annotations"),
                            ("pull", _ls_pull, "export the project (full JSON), pseudonymised, into annotations/labelstudio/")):
        p = ls.add_parser(name, help=text)
        p.add_argument("--project", default="whosaidwhat", help="project title (default: whosaidwhat)")
        if name == "push":
            p.add_argument("--no-predictions", dest="predictions", action="store_false",
                           help="import the tasks without pre-annotations, for annotation that must be independent of them")
            p.add_argument("--model", default=DEFAULT_MODEL,
                           help=f"the spaCy pipeline behind the pre-annotations (default: {DEFAULT_MODEL})")
            _cluster_options(p)
        else:
            p.add_argument("--new-key", action="store_true",
                           help="the team's pseudonym key is lost: start a new key generation (people already pulled get new pseudonyms)")
        p.set_defaults(run=run)

    p = sub.add_parser("build", help="validate, then write the versioned release releases/X.Y.Z/")
    p.add_argument("--version", required=True, help="semantic version X.Y.Z")
    _jobs_option(p)
    p.set_defaults(run=_build)

    p = sub.add_parser("diff", help="what changed between two releases (versions or folders)")
    p.add_argument("old", help="the earlier release: a version in releases/ or a folder")
    p.add_argument("new", help="the later release: a version in releases/ or a folder")
    p.set_defaults(run=_diff)

    p = sub.add_parser("verify", help="check every file of a release against its SHA256SUMS")
    p.add_argument("version", help="a version in releases/ or a release folder")
    p.set_defaults(run=_verify)

    p = sub.add_parser("publish", help="upload a release's standoff copy to the Hugging Face Hub and tag it vX.Y.Z")
    p.add_argument("--version", required=True, help="the release to publish (version or folder)")
    p.add_argument("--repo", required=True, help="dataset repo id, ORG/NAME")
    p.add_argument("--dry-run", type=Path, default=None, metavar="FOLDER",
                   help="write exactly what would be uploaded into FOLDER and upload nothing")
    p.set_defaults(run=_publish)

    p = sub.add_parser("rehydrate", help="restore article texts into a standoff copy from your own files")
    p.add_argument("standoff", type=Path, help="a standoff release folder")
    p.add_argument("texts", type=Path, nargs="+", help="files or folders with the articles' texts (.txt or .json)")
    p.add_argument("--output", type=Path, required=True, help="new folder for the rehydrated copy")
    p.set_defaults(run=_rehydrate)

    p = sub.add_parser("agreement", help="inter-annotator agreement over articles with two or more annotators")
    p.add_argument("--format", choices=("table", "json", "markdown"), default="table",
                   help="table for a terminal, json for programs, markdown for a card or an issue")
    p.set_defaults(run=_agreement)

    p = sub.add_parser("adjudicate", help="accept what annotators agree on, list the conflicts")
    p.add_argument("--format", choices=("human", "json"), default="human", help="human: the conflicts listed; json: all of it")
    p.add_argument("--write-logs", action="store_true",
                   help="write annotations/adjudication/<article>.json, the log of each article's conflicts for a reviewer "
                        "to decide, with reasons (an existing log is never overwritten)")
    p.add_argument("--push", action="store_true",
                   help="create in Label Studio the gold of each article without conflicts or with its log decided, "
                        "and a review of each other one")
    p.add_argument("--update-gold", action="store_true",
                   help="with --push: give an article's existing ground-truth annotation the gold its log makes now")
    p.add_argument("--project", default="whosaidwhat", help="project title (default: whosaidwhat)")
    p.set_defaults(run=_adjudicate)

    p = sub.add_parser("stats", help="count annotations per label, quote kind, speaker kind, claim type and check-worthiness")
    p.add_argument("--origin", choices=("gold", "human", "model", "all"), default="gold",
                   help="whose records to count (default: gold)")
    p.add_argument("--format", choices=("human", "json"), default="human", help="human: indented counts; json: for programs")
    p.set_defaults(run=_stats)

    p = sub.add_parser("schema", help="check (default) or --write the JSON Schemas generated from the taxonomy")
    p.add_argument("--write", action="store_true", help="write the schemas (and nothing else) instead of checking them")
    p.set_defaults(run=_schema)
    return parser


def _verify(args) -> int:
    from .release.files import verify_release
    from .release.folders import release_folder
    folder = release_folder(args.version)
    problems = verify_release(folder)
    for problem in problems:
        print(problem)
    print(f"{folder}: " + ("every file matches SHA256SUMS" if not problems else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run: Callable = args.run
    try:
        if args.command in ("labelstudio", "adjudicate"):
            Layout.find().load_dotenv()
        return run(args)
    except CorpusError as e:
        print(f"whosaidwhat {args.command}: {e}", file=sys.stderr)
        return e.exit_code
    except OSError as e:  # a full disk where no writer named its file: still one line, never a traceback
        from .core.io import disk_full
        if not disk_full(e):
            raise
        where = f"{e.filename}: " if getattr(e, "filename", None) else ""
        print(f"whosaidwhat {args.command}: {where}no space left on the device; nothing half-written was kept "
              f"(free some space and run the command again)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
