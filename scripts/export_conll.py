"""Export a release as CoNLL-2003 style IOB2 text files, one per split.

    python scripts/export_conll.py [RELEASE] OUT_FOLDER     # RELEASE: a version or a folder; default: the newest
"""

import sys

from whosaidwhat.use.formats import export_main

if __name__ == "__main__":
    sys.exit(export_main("conll"))
