"""Report rendering (analysis/report.py) and its command line (analysis/__main__.py).

These run the small notebook tests/data/report/mini-report.ipynb (figure, jshtml animation,
widgets, escaped hostile text), so they test the nbclient/nbconvert pipeline and the offline page
without waiting for the whole analysis; tests/test_report_browser.py renders the real report.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest

from analysis.__main__ import main
from analysis.report import render as report

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "report" / "mini-report.ipynb"
SAMPLE = ROOT / "data" / "articles"


@pytest.fixture(scope="module")
def mini_html(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("mini") / "nested" / "mini.html"
    path = report.render_report(SAMPLE, out, notebook=MINI, progress=False, timeout=120)
    return path, path.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------ parameters
def _nb(*cells):
    nb = nbformat.v4.new_notebook()
    for src, tags in cells:
        cell = nbformat.v4.new_code_cell(src)
        cell.metadata["tags"] = tags
        nb.cells.append(cell)
    return nb


def test_parameters_injected_after_tagged_cell_like_papermill():
    nb = _nb(("import os", []), ("X = 1", ["parameters"]), ("print(X)", []))
    report.inject_parameters(nb, {"X": 2, "P": ["a", "b"]})
    assert [c.source.splitlines()[-1] for c in nb.cells][1:3] == ["X = 1", "P = ['a', 'b']"]
    assert nb.cells[2].metadata["tags"] == ["injected-parameters"]
    report.inject_parameters(nb, {"X": 3})  # a second injection replaces the first
    assert len(nb.cells) == 4 and "X = 3" in nb.cells[2].source


def test_parameters_first_when_no_tagged_cell():
    nb = _nb(("print(1)", []))
    report.inject_parameters(nb, {"X": 1})
    assert nb.cells[0].metadata["tags"] == ["injected-parameters"]


# ------------------------------------------------------------------------------ offline check
def test_external_references_found_and_ignored():
    html = (
        '<script src="https://cdn.x/a.js"></script><link href="//cdn.x/a.css" rel=stylesheet>'
        '<img src="http://x/i.png"><img src="data:image/png;base64,AA"><script src="local.js">'
        "</script><a href='https://example.org'>links are fine</a>"
        "<style>/* @import url(https://commented.out) */ p{background:url('https://x/b.png')}</style>"
        "<script>var s = \"@import url('https://in.a.string')\";</script>"
    )
    found = report.external_references(html)
    assert len(found) == 4
    assert all(
        any(u in f for f in found) for u in ("cdn.x/a.js", "//cdn.x/a.css", "x/i.png", "x/b.png")
    )


def test_inlined_assets_are_patched_and_script_safe():
    assets = report._inline_assets()
    widgets = assets["widgets"]
    assert "Automatic publicPath is not supported" not in widgets
    assert "data:font/woff2;base64," in widgets
    assert not re.search(r'\.p\+"[0-9a-f]{20}\.', widgets), "a font still points beside the page"
    for js in (widgets, assets["requirejs"]):
        assert "</script" not in js.lower()
    assert "sourceMappingURL=embed.js.map" not in widgets


# ------------------------------------------------------------------------------ building blocks
def test_table_html_escapes_everything_but_markup():
    import pandas as pd

    frame = pd.DataFrame({"a": ["<b>x</b>", None], "b": [1.5, 2.0]})
    frame["m"] = pd.Series([report.Markup("<mark>ok</mark>"), "<i>no</i>"], dtype=object)
    html = report.table_html(frame, columns={"a": "A<", "m": "M"}, max_rows=1).data
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<th>A&lt;</th>" in html
    assert "<mark>ok</mark>" in html and "<i>no</i>" not in html
    assert "1 more rows" in html
    with pytest.raises(KeyError, match="nope"):
        report.table_html(frame, columns=["nope"])


def test_evidence_marks_place_by_offsets_or_surface():
    import pandas as pd

    frame = pd.DataFrame({"evidence": ["列车<从>平壤出发", "驶向哈桑。", None],
                          "start": [15, pd.NA, pd.NA], "end": [17, pd.NA, pd.NA],
                          "evidence_start": [10, pd.NA, pd.NA], "surface": ["平壤", "哈桑", "x"]})
    col = report.evidence_column(frame)
    assert list(col) == ["列车&lt;从&gt;<mark>平壤</mark>出发", "驶向<mark>哈桑</mark>。", ""]
    assert all(isinstance(v, report.Markup) for v in col)


@pytest.mark.parametrize("start, end, gran, text", [
    ("2023-09-12 04:00", None, "part_of_day", "2023-09-12 morning"),
    ("2023-09-12 14:00", "2023-09-12 18:00", None, "2023-09-12 afternoon"),
    ("2019-01-01", "2020-01-01", None, "2019"),
    ("2023-09-12", "2023-09-13", None, "2023-09-12"),
    ("2023-09-12 08:30", None, None, "2023-09-12 08:30"),
    (None, None, "day", ""),
])
def test_format_when_keeps_the_texts_precision(start, end, gran, text):
    import pandas as pd

    ts = pd.Timestamp(start) if start else pd.NaT
    assert report.format_when(ts, pd.Timestamp(end) if end else None, gran) == text


def test_figure_html_inlines_png_and_closes_figure():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([0, 1])
    html = report.figure_html(ax, caption="a <b>", css_class="report-map").data
    assert html.startswith('<figure class="report-map"><img alt="a &lt;b&gt;"')
    assert "data:image/png;base64," in html and "<figcaption>a &lt;b&gt;</figcaption>" in html
    assert not plt.fignum_exists(fig.number)


# ------------------------------------------------------------------------------ rendering
def test_render_writes_offline_html_without_code(mini_html, tmp_path):
    path, html = mini_html
    assert path.is_file() and path.parent.name == "nested"
    assert report.external_references(html) == []
    assert "ajax/libs/mathjax" not in html and "require.min.js" not in html  # nbconvert's CDN defaults
    # no code cells: the notebook's source is not in the page
    assert "FuncAnimation(fig" not in html and "import ipywidgets" not in html
    assert not re.search(r"class=\"[^\"]*jp-(InputPrompt|CodeMirrorEditor)\b", html)
    # parameters reached the kernel; the hostile text stays escaped
    assert re.search(r"class=.params.>'[^<]*data/articles' auto<", html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    # animation player, widget state and the inlined widget manager
    assert 'class="animation"' in html and "data:image/png;base64," in html
    assert 'application/vnd.jupyter.widget-state+json' in html
    assert 'application/vnd.jupyter.widget-view+json' in html
    assert "_jupyter_widget_embedder" in html
    assert oct(path.stat().st_mode & 0o777) != oct(0o600)
    assert [p.name for p in path.parent.iterdir()] == ["mini.html"]  # no temp file left


def test_failing_cell_names_notebook_and_keeps_previous_output(tmp_path):
    bad = tmp_path / "bad.ipynb"
    nb = _nb(("ARTICLES = None", ["parameters"]), ("raise RuntimeError('no places here')", []))
    nbformat.write(nb, bad)
    out = tmp_path / "r.html"
    out.write_text("previous report")
    with pytest.raises(report.ReportError, match=r"bad\.ipynb(.|\n)*no places here"):
        report.render_report(SAMPLE, out, notebook=bad, progress=False, timeout=60)
    assert out.read_text() == "previous report"


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"source": "no/such/folder"}, FileNotFoundError, "no/such/folder"),
        ({"source": "no/such/*.md"}, FileNotFoundError, "no files match.*no/such"),
        ({"source": []}, ValueError, "at least one"),
        ({"source": 3}, TypeError, "path"),
        ({"lang": "fr"}, ValueError, "lang='fr'"),
        ({"timeout": 0}, ValueError, "timeout"),
        ({"notebook": "missing.ipynb"}, FileNotFoundError, "missing.ipynb"),
    ],
)
def test_bad_arguments_say_what_to_fix(kwargs, error, match, tmp_path):
    args = {"source": SAMPLE, "output": tmp_path / "r.html", "progress": False} | kwargs
    source = args.pop("source")
    with pytest.raises(error, match=match):
        report.render_report(source, **args)
    assert not (tmp_path / "r.html").exists()


def test_output_that_is_a_folder_is_refused(tmp_path):
    with pytest.raises(IsADirectoryError, match="report.html"):
        report.render_report(SAMPLE, tmp_path, notebook=MINI, progress=False)


# ------------------------------------------------------------------------------ command line
def test_cli_renders_report(tmp_path, capsys):
    out = tmp_path / "cli" / "r.html"
    status = main(["report", str(SAMPLE), "-o", str(out), "--labels", "zh",
                   "--notebook", str(MINI), "--no-progress"])
    assert status == 0
    assert capsys.readouterr().out.strip() == str(out.resolve())
    assert re.search(r"class=.params.>'[^<]*data/articles' zh</p>", out.read_text())


def test_cli_missing_path_exits_2_with_message(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["report", str(tmp_path / "nope"), "-o", str(tmp_path / "r.html")])
    assert exc.value.code == 2
    assert "nope" in capsys.readouterr().err


def test_cli_rejects_unknown_labels(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["report", str(SAMPLE), "--labels", "fr"])
    assert exc.value.code == 2
    assert "--labels" in capsys.readouterr().err


def test_module_entry_point_help():
    import subprocess
    import sys

    res = subprocess.run([sys.executable, "-m", "analysis", "report", "--help"],
                         capture_output=True, text=True, timeout=60, env=os.environ)
    assert res.returncode == 0 and "--labels" in res.stdout and "PATH" in res.stdout
