"""Every notebook runs top to bottom on the bundled data, and is committed clean and paired.

Notebooks execute with nbclient in a fresh ``python3`` kernel of this interpreter, from
``notebooks/`` (their parameters point at ``../data/articles``).
"""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
# the report notebook ships inside the package (a plain `pip install .` renders reports)
REPORT_NB = ROOT / "analysis" / "report" / "notebook" / "90-report.ipynb"
NOTEBOOKS = sorted(NB_DIR.glob("*.ipynb")) + [REPORT_NB]
EXPECTED = ["00-quickstart", "10-articles", "20-places", "30-timeline-route", "40-story", "90-report"]
# 90-report runs top to bottom in tests/test_report_browser.py, through analysis.render_report
# (which raises on any failing cell) on the sample and a hostile article; not twice
RUN_HERE = [p for p in NOTEBOOKS if p.stem != "90-report"]


def _cells(nb) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


def test_the_five_notebooks_are_there_and_listed():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED
    readme = (NB_DIR / "README.md").read_text(encoding="utf-8")
    for stem in EXPECTED:
        assert re.search(rf"^- `{re.escape(stem)}` — \S", readme, flags=re.MULTILINE), stem


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs_and_paired(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "clear the outputs"
    assert "widgets" not in nb.metadata, "widget state is an output: clear it"
    twin = path.with_suffix(".py")
    assert twin.is_file(), f"{twin.name} missing: jupytext --set-formats ipynb,py:percent"
    assert _cells(jupytext.read(twin)) == _cells(nb), f"run jupytext --sync {twin.name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_outline_title_parameters_summary(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged parameters (papermill)"
    names = re.findall(r"^(\w+)\s*=", tagged[0].source, flags=re.MULTILINE)
    assert names == ["ARTICLES", "LABELS"]
    assert any(c.cell_type == "markdown" and c.source.startswith("## Summary") for c in nb.cells)


@pytest.mark.slow
@pytest.mark.parametrize("path", RUN_HERE, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path):
    from nbclient import NotebookClient

    from analysis.report.render import _kernel_manager

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", km=_kernel_manager(),
                   resources={"metadata": {"path": str(NB_DIR)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert errors == []
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "a cell did not run"
    assert any(c.outputs for c in code[-3:]), "the notebook ends without showing anything"


@pytest.mark.slow
def test_papermill_runs_a_notebook_with_a_parameter(tmp_path):
    """papermill (a dev extra) injects ARTICLES: the quickstart reads the one given article."""
    import papermill as pm

    article = ROOT / "tests" / "data" / "story5" / "04-shanghai.en.md"
    out = tmp_path / "quickstart-out.ipynb"
    pm.execute_notebook(str(NB_DIR / "00-quickstart.ipynb"), str(out), cwd=str(NB_DIR),
                        parameters={"ARTICLES": str(article), "LABELS": "en"},
                        kernel_name="python3", progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "04-shanghai.en.md" in injected[0].source
    shown = "".join(str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", ""))
                    for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "Orchestra takes the fast train to Shanghai" in shown  # the parameter's article
    assert "kim-jong-un" not in shown  # not the notebook's default, the bundled sample
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
