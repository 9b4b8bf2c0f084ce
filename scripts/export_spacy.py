"""Export a release as spaCy DocBin files (.spacy), one per split, for spacy train.

    python scripts/export_spacy.py [RELEASE] OUT_FOLDER     # RELEASE: a version or a folder; default: the newest
"""

import sys

from whosaidwhat.use.formats import export_main

if __name__ == "__main__":
    sys.exit(export_main("spacy"))
