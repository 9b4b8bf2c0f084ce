"""Export a release to brat files (see whosaidwhat.exports.write_brat for the format).

    python scripts/export_brat.py [RELEASE] OUT_FOLDER     # RELEASE: a version or a folder; default the newest
"""

from __future__ import annotations

import argparse
from pathlib import Path

from whosaidwhat.exports import write_brat
from whosaidwhat.loaders import release_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("args", nargs="+", metavar="[RELEASE] OUT_FOLDER")
    options = parser.parse_args()
    *release, out = options.args
    folder = Path(release[0]) if release and Path(release[0]).is_dir() else release_path(release[0] if release else None)
    report = write_brat(folder, out)
    print(f"{report.documents} document(s) written to {out}: " + ", ".join(str(p) for p in report.files[:6])
          + (" ..." if len(report.files) > 6 else ""))
    if report.skipped_without_text:
        print(f"{len(report.skipped_without_text)} without text (standoff copy): rehydrate them first")
    for layer, count in getattr(report, "misaligned", {}).items():
        print(f"{count} {layer} span(s) did not align to tokens")


if __name__ == "__main__":
    main()
