"""Every notebook runs top to bottom on a fresh store, and is committed without outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
NEEDS_NEO4J = {"04_neo4j.ipynb"}


def _params():
    for path in NOTEBOOKS:
        marks = [pytest.mark.notebook]
        if path.name in NEEDS_NEO4J:
            marks.append(pytest.mark.neo4j)
        yield pytest.param(path, marks=marks, id=path.stem)


def test_there_are_notebooks():
    assert [p.name for p in NOTEBOOKS][:3] == ["01_explore.ipynb", "02_gaps_and_needs.ipynb", "03_hubs.ipynb"]
    assert "06_annual_review.ipynb" in [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", list(_params()))
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: strip outputs"
    assert nb.cells[0].cell_type == "markdown", f"{path.name} opens with what question it answers"


@pytest.mark.parametrize("path", list(_params()))
def test_notebook_runs_top_to_bottom(path, tmp_path, monkeypatch):
    monkeypatch.setenv("HAINET_STORE", str(tmp_path / "notebook.sqlite"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(tmp_path)
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    # The notebook used the store it was given, not the user's own.
    assert path.name in NEEDS_NEO4J or (tmp_path / "notebook.sqlite").stat().st_size > 0
    # It wrote nothing into the folder it runs in (notebooks/ for a planner): scratch files go to a temporary one.
    left = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("notebook.sqlite"))
    assert left == [], left
