"""Export a release as brat standoff: .txt and .ann per article, and annotation.conf.

    python scripts/export_brat.py [RELEASE] OUT_FOLDER     # RELEASE: a version or a folder; default: the newest
"""

import sys

from whosaidwhat.use.formats import export_main

if __name__ == "__main__":
    sys.exit(export_main("brat"))
