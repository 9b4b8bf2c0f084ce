"""Execute the exploration notebook from its reviewed source and write it with its outputs.

notebooks/explore.py (Jupytext percent format) is the source; notebooks/explore.ipynb is what
GitHub shows. Run after changing the source or the release:

    python scripts/run_notebook.py

The written notebook has stable cell ids and no execution timestamps: running it again over the
same release changes no byte.
"""

from __future__ import annotations

import os
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def execute(source: Path = NOTEBOOKS / "explore.py", figures: Path | None = None) -> nbformat.NotebookNode:
    """The notebook of ``source``, executed top to bottom in its own folder."""
    notebook = jupytext.read(source)
    env = os.environ.copy()
    if figures is not None:
        os.environ["WHOSAIDWHAT_FIGURES"] = str(figures)
    try:
        NotebookClient(notebook, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(source.parent)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(env)
    return notebook


def stable(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook without what changes on every run (random cell ids, execution timestamps), so a
    re-run over the same release leaves no diff and a real change in an output stands out."""
    for number, cell in enumerate(notebook.cells, 1):
        cell.id = f"cell-{number:02d}"
        cell.metadata.pop("execution", None)
    return notebook


def main() -> None:
    notebook = stable(execute())
    nbformat.write(notebook, NOTEBOOKS / "explore.ipynb")
    print(f"wrote {NOTEBOOKS / 'explore.ipynb'}")


if __name__ == "__main__":
    main()
