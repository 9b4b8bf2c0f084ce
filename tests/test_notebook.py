"""The exploration notebook runs top to bottom on the shipped release, and the committed copy is
what a fresh run of its reviewed source (notebooks/explore.py) gives."""

from __future__ import annotations

import importlib.util

import jupytext
import nbformat

from .conftest import REPO_ROOT

NOTEBOOKS = REPO_ROOT / "notebooks"


def _runner():
    spec = importlib.util.spec_from_file_location("run_notebook", REPO_ROOT / "scripts" / "run_notebook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _outputs(cell) -> list:
    """A cell's outputs, images reduced to their presence (PNG bytes depend on the font stack)."""
    out = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            out.append(("stream", output["text"]))
        elif "data" in output:
            out.append(tuple(sorted((k, "<image>" if k.startswith("image/") else v) for k, v in output["data"].items())))
        else:
            out.append((output["output_type"], output.get("ename")))
    return out


def test_the_committed_notebook_is_generated_from_its_source():
    source = jupytext.read(NOTEBOOKS / "explore.py")
    committed = nbformat.read(NOTEBOOKS / "explore.ipynb", as_version=4)
    assert [(c.cell_type, c.source) for c in committed.cells] == [(c.cell_type, c.source) for c in source.cells]


def test_the_notebook_runs_without_errors_and_its_outputs_are_current(tmp_path):
    fresh = _runner().execute(NOTEBOOKS / "explore.py", figures=tmp_path)
    errors = [o for c in fresh.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert errors == []
    committed = nbformat.read(NOTEBOOKS / "explore.ipynb", as_version=4)
    assert len(fresh.cells) == len(committed.cells)
    for new, old in zip(fresh.cells, committed.cells):
        assert _outputs(new) == _outputs(old), f"stale output in cell:\n{old.source[:200]}\n(run scripts/run_notebook.py)"
    assert (tmp_path / "quotes_by_speaker_kind.png").stat().st_size > 1000
    assert (tmp_path / "quotes_per_article.png").stat().st_size > 1000
    assert sum(1 for c in fresh.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})) == 4


def test_the_committed_notebook_has_stable_cell_ids_and_no_timestamps_so_a_rerun_leaves_no_diff():
    committed = nbformat.read(NOTEBOOKS / "explore.ipynb", as_version=4)
    assert [c.id for c in committed.cells] == [f"cell-{i:02d}" for i in range(1, len(committed.cells) + 1)]
    assert not any("execution" in c.metadata for c in committed.cells)
