"""Render the analyst's report: execute ``notebooks/90-report.ipynb`` and export it to one HTML file.

The report is the ``90-report`` notebook run on the caller's articles (parameters injected after the
cell tagged ``parameters``, as papermill does), its widget state stored, and exported by nbconvert
with the code cells hidden. The HTML opens with no network: require.js and the Jupyter widget
manager are inlined from the copies vendored in ``analysis/report/assets`` (see its README for
versions and licences), MathJax and Mermaid are left out, the Chinese glyphs the page uses are
embedded as a subset of Noto Sans CJK SC (so it reads on machines without CJK fonts), and a final
check refuses to write a page that would load a script, stylesheet or image from the web.

The helpers below (:func:`table_html`, :func:`figure_html`, :func:`evidence_column`,
:func:`format_when`) are what the report notebook builds its escaped tables and figures with.
"""

from __future__ import annotations

import base64
import glob
import logging
import os
import re
import sys
import tempfile
from collections.abc import Iterable
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any

from analysis.timex.format import format_when

__all__ = [
    "render_report",
    "render_notebook",
    "ReportError",
    "inject_parameters",
    "export_html",
    "external_references",
    "Markup",
    "table_html",
    "figure_html",
    "evidence_html",
    "evidence_column",
    "format_when",
]

logger = logging.getLogger(__name__)

LABELS = ("auto", "zh", "en")
REPORT_NOTEBOOK = "90-report.ipynb"
_ASSETS = "report/assets"
# the vendored html-manager bundle looks up its own URL to find its fonts; an inline script has
# none, so the lookup is replaced and the fonts travel inside the bundle as data: URIs
_PUBLIC_PATH_THROW = 'throw new Error("Automatic publicPath is not supported in this browser")'
_FONT_REF = re.compile(r'\b[A-Za-z_$][\w$]*\.p\+"([0-9a-f]{20})\.(woff2|woff|ttf|eot|svg)"')


class ReportError(RuntimeError):
    """The report notebook failed, or the page it produced would not open offline."""


# --------------------------------------------------------------------------------------- API
def render_report(
    source: str | os.PathLike | Iterable[str | os.PathLike],
    output: str | os.PathLike = "reports/report.html",
    *,
    lang: str = "auto",
    progress: bool = True,
    timeout: int = 600,
    notebook: str | os.PathLike | None = None,
) -> Path:
    """Render the HTML report of some articles, self-contained and readable offline.

    Executes the ``90-report`` notebook with nbclient (the ``python3`` kernel of the running
    interpreter), stores the explorer's widget state, exports the result with nbconvert without
    code cells, and writes it atomically to ``output`` (its folder is created).

    Parameters
    ----------
    source : path, or list of paths
        Article files or folders, anything :func:`analysis.load_articles` reads from a path.
    output : path, default ``"reports/report.html"``
        Where the HTML goes. Written to a temporary file first, then moved into place.
    lang : {"auto", "zh", "en"}
        Language of place labels on the map and in the tables; ``"auto"`` follows each article.
    progress : bool, default True
        Show a progress bar over the notebook's cells (on stderr).
    timeout : int, default 600
        Seconds any one cell may run before the render is abandoned.
    notebook : path, optional
        The notebook to execute, for a custom report; defaults to ``notebooks/90-report.ipynb``.

    Returns
    -------
    pathlib.Path
        The absolute path of the written report.

    Raises
    ------
    FileNotFoundError
        A source path or the notebook does not exist.
    ReportError
        A notebook cell failed (the message names it), or the page would need the network.

    Examples
    --------
    >>> import analysis as an
    >>> path = an.render_report("data/articles", "reports/report.html",
    ...                         progress=False)  # doctest: +SKIP
    >>> path.name  # doctest: +SKIP
    'report.html'
    """
    paths = _check_sources(source)
    if lang not in LABELS:
        raise ValueError(f"lang={lang!r} is not one of {', '.join(LABELS)}; pass lang='auto'")
    if not isinstance(timeout, int) or isinstance(timeout, bool) or timeout <= 0:
        raise ValueError(f"timeout={timeout!r} must be a positive number of seconds")
    nb_path = _find_notebook(notebook)
    output = Path(output).expanduser()
    if output.is_dir():
        raise IsADirectoryError(f"output {str(output)!r} is a folder; pass a file name like report.html")

    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    inject_parameters(nb, {"ARTICLES": paths if len(paths) > 1 else paths[0], "LABELS": lang})
    executed = _execute(nb, nb_path, progress=progress, timeout=timeout)
    _log_stderr(executed)
    html = export_html(executed, lang=lang)
    bad = external_references(html)
    if bad:
        raise ReportError(
            "the report would load from the network, which it must not: " + ", ".join(bad[:5])
        )
    written = _write_atomic(output, html)
    logger.info("report written to %s (%d kB)", written, len(html.encode()) // 1024)
    return written


def render_notebook(
    notebook: str | os.PathLike,
    output: str | os.PathLike,
    *,
    parameters: dict[str, Any] | None = None,
    execute: bool = True,
    code: bool = True,
    timeout: int = 600,
) -> Path:
    """Render any notebook (an analyst's own) to one HTML file that opens offline.

    Like ``jupyter nbconvert --to html --execute``, but the widget manager, require.js and a CJK
    font subset are inlined from the package instead of loaded from a CDN, so explorers, animations
    and :func:`analysis.map_interactive` maps work in the file on a machine without network.

    Parameters
    ----------
    notebook : path
        The ``.ipynb`` to render; it is read, never modified.
    output : path
        The HTML file to write (atomically; its folder is created).
    parameters : dict, optional
        Values for the notebook's ``parameters``-tagged cell (papermill's convention).
    execute : bool, default True
        Run the notebook first (in its own folder); ``False`` exports the stored outputs.
    code : bool, default True
        Show the code cells; ``False`` shows outputs only, like the report.
    timeout : int, default 600
        Seconds any one cell may run.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> from analysis.report.render import render_notebook
    >>> render_notebook("my-analysis.ipynb", "my-analysis.html")  # doctest: +SKIP
    """
    import nbformat

    nb_path = Path(notebook).expanduser()
    if not nb_path.is_file() or nb_path.suffix != ".ipynb":
        raise FileNotFoundError(f"notebook {str(nb_path)!r} not found; pass the path of an .ipynb file")
    output = Path(output).expanduser()
    if output.is_dir():
        raise IsADirectoryError(f"output {str(output)!r} is a folder; pass a file name like out.html")
    nb = nbformat.read(nb_path, as_version=4)
    if parameters:
        inject_parameters(nb, dict(parameters))
    if execute:
        nb = _execute(nb, nb_path.resolve(), progress=False, timeout=timeout)
    nb.metadata["title"] = nb.metadata.get("title") or nb_path.stem
    html = export_html(nb, code=code)
    bad = external_references(html)
    if bad:
        raise ReportError(f"{nb_path.name} would load from the network: " + ", ".join(bad[:5]))
    return _write_atomic(output, html)


# ------------------------------------------------------------------ building blocks for 90-report
class Markup(str):
    """Text that is already safe HTML; :func:`table_html` puts it in a cell as it is."""

    __slots__ = ()


def _cell(value: Any, na: str) -> str:
    import html

    if isinstance(value, Markup):
        return str(value)
    try:
        import pandas as pd

        if value is None or (not isinstance(value, list | tuple | dict) and pd.isna(value)):
            return html.escape(na)
        if isinstance(value, pd.Timestamp):
            value = value.strftime("%Y-%m-%d %H:%M").removesuffix(" 00:00")
    except (TypeError, ValueError):
        pass
    if isinstance(value, float):
        value = f"{value:.2f}"
    return html.escape(str(value))


def table_html(
    frame: Any,
    *,
    columns: dict[str, str] | list[str] | None = None,
    caption: str | None = None,
    max_rows: int | None = None,
    css_class: str = "report-table",
    na: str = "–",
) -> Any:
    """An HTML table of ``frame`` in which every value is escaped, unless it is :class:`Markup`.

    Parameters
    ----------
    frame : DataFrame
    columns : dict or list, optional
        Columns to show, in order; a dict maps column name to header text.
    caption : str, optional
        Escaped caption above the table.
    max_rows : int, optional
        Show the first rows only and say how many were left out.
    css_class : str
        Class of the ``<table>``.
    na : str
        Shown for missing values.

    Returns
    -------
    IPython.display.HTML

    Examples
    --------
    >>> import pandas as pd
    >>> table_html(pd.DataFrame({"t": ["<b>x</b>"]})).data.count("&lt;b&gt;")
    1
    """
    import html

    from IPython.display import HTML

    if columns is None:
        columns = list(frame.columns)
    heads = columns if isinstance(columns, dict) else {c: c for c in columns}
    missing = [c for c in heads if c not in frame.columns]
    if missing:
        raise KeyError(f"table_html: no column(s) {missing}; the frame has {list(frame.columns)}")
    shown = frame if max_rows is None else frame.head(max_rows)
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in heads.values())
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(v, na)}</td>" for v in row) + "</tr>"
        for row in shown[list(heads)].itertuples(index=False, name=None)
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    more = len(frame) - len(shown)
    note = f'<p class="report-meta">… and {more} more rows</p>' if more > 0 else ""
    return HTML(f'<table class="{html.escape(css_class)}">{cap}<thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>{note}")


def figure_html(
    fig: Any,
    *,
    caption: str = "",
    alt: str = "",
    css_class: str = "report-figure",
    dpi: int = 110,
) -> Any:
    """A matplotlib figure (or Axes) as an inline PNG ``<figure>`` with an escaped caption.

    The figure is closed, so the notebook shows only this. Giving each figure a class lets the
    report's readers (and its browser test) find the map among the pictures.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> "data:image/png;base64," in figure_html(fig, caption="a <plot>").data
    True
    """
    import base64 as b64
    import html
    import io

    import matplotlib.pyplot as plt
    from IPython.display import HTML

    fig = getattr(fig, "figure", fig)  # an Axes gives its figure
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    data = b64.b64encode(buf.getvalue()).decode("ascii")
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return HTML(
        f'<figure class="{html.escape(css_class)}"><img alt="{html.escape(alt or caption)}" '
        f'src="data:image/png;base64,{data}"/>{cap}</figure>'
    )


def evidence_column(frame: Any) -> Any:
    """The ``evidence`` of a timeline (or route stops) frame as :class:`Markup`, place marked.

    The place is marked by its offsets (``start``/``end``) when the frame has them, else by the
    first occurrence of its ``surface`` form in the sentence. Returns an object Series aligned on
    ``frame`` (pandas would turn a list of strings into its string dtype and lose the mark-up
    flag, so the cells would be escaped twice).
    """
    import pandas as pd

    from analysis import schema as S

    def col(name: str) -> Any:
        return frame[name] if name in frame.columns else pd.Series(pd.NA, index=frame.index)

    values = [
        evidence_html(e, a, b, o, surface=w)
        for e, a, b, o, w in zip(col(S.EVIDENCE), col(S.START), col(S.END),
                                 col(S.EVIDENCE_START), col(S.SURFACE), strict=True)
    ]
    return pd.Series(values, index=frame.index, dtype=object)


def evidence_html(evidence: Any, start: Any, end: Any, offset: Any, *, surface: Any = None) -> Markup:
    """The evidence sentence, escaped, with the place (``start:end`` in the article) marked.

    ``offset`` is where the sentence starts in the article text. When the offsets do not fall
    inside the sentence, the first occurrence of ``surface`` is marked, if any.

    Examples
    --------
    >>> evidence_html("从<平壤>出发", 12, 14, 10)
    '从&lt;<mark>平壤</mark>&gt;出发'
    >>> evidence_html("从平壤出发", None, None, None, surface="平壤")
    '从<mark>平壤</mark>出发'
    """
    from analysis.views.labels import highlight

    return Markup(highlight(evidence, start, end, offset, None if surface is None else str(surface)))


# ----------------------------------------------------------------------------- parameters
def inject_parameters(nb: Any, params: dict[str, Any]) -> Any:
    """Insert a cell assigning ``params`` after the ``parameters``-tagged cell, like papermill.

    The notebook is changed in place and returned. A previous ``injected-parameters`` cell is
    replaced; a notebook without a tagged cell gets the new cell first.
    """
    import nbformat

    source = "# Parameters\n" + "".join(f"{name} = {value!r}\n" for name, value in params.items())
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = ["injected-parameters"]
    cells = [c for c in nb.cells if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    at = next(
        (i + 1 for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])),
        0,
    )
    cells.insert(at, cell)
    nb.cells = cells
    return nb


# -------------------------------------------------------------------------------- execute
def _execute(nb: Any, nb_path: Path, *, progress: bool, timeout: int) -> Any:
    """Run every cell of ``nb`` in a fresh kernel of this interpreter, in the notebook's folder."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from tqdm.auto import tqdm

    n_code = sum(1 for c in nb.cells if c.cell_type == "code")
    bar = tqdm(total=n_code, desc="report", unit="cell", disable=not progress, file=sys.stderr)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        km=_kernel_manager(),
        store_widget_state=True,
        resources={"metadata": {"path": str(nb_path.parent)}},
    )

    def _advance(cell: Any, **_: Any) -> None:
        if cell.cell_type == "code":
            bar.update(1)

    client.on_cell_executed = _advance
    # the kernel's own stderr (start-up notices, crashes) goes to a file, not over the progress bar
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as kernel_log:
        try:
            client.execute(stderr=kernel_log)
        except CellExecutionError as exc:
            detail = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))  # tracebacks come coloured
            raise ReportError(f"{nb_path.name} failed while rendering the report:\n{detail}") from None
        except Exception as exc:  # a dead kernel, a timeout: say what the kernel said
            kernel_log.seek(0)
            tail = kernel_log.read()[-2000:]
            raise ReportError(f"{nb_path.name} could not be run ({exc}); kernel said:\n{tail}") from exc
        finally:
            bar.close()
        kernel_log.seek(0)
        for line in kernel_log.read().splitlines():
            logger.debug("kernel: %s", line)
    return nb


def _log_stderr(nb: Any) -> None:
    """Move what cells wrote to stderr (library warnings) from the page to this process's log."""
    for index, cell in enumerate(nb.cells):
        kept = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                for line in "".join(out.get("text", "")).splitlines():
                    if line.strip():
                        logger.warning("report cell %d: %s", index, line)
            else:
                kept.append(out)
        if "outputs" in cell:
            cell["outputs"] = kept


def _kernel_manager() -> Any:
    """A kernel manager whose ``python3`` is this interpreter, whatever kernels the user has."""
    from ipykernel.kernelspec import get_kernel_dict
    from jupyter_client import KernelManager
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager

    class _ThisPython(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            return KernelSpec(resource_dir="", **get_kernel_dict())

    return KernelManager(kernel_name="python3", kernel_spec_manager=_ThisPython())


# --------------------------------------------------------------------------------- export
def export_html(nb: Any, *, lang: str = "auto", code: bool = False) -> str:
    """Export an executed notebook to offline HTML, scripts inlined (no code cells by default)."""
    from nbconvert import HTMLExporter

    assets = resources.files("analysis").joinpath(_ASSETS)
    exporter = HTMLExporter(
        extra_template_basedirs=[str(assets.joinpath("template"))],
        template_name="report",
        exclude_input=not code,
        exclude_input_prompt=not code,
        exclude_output_prompt=not code,
        language_code="zh" if lang == "zh" else "en",
    )
    nb.metadata["title"] = nb.metadata.get("title") or "News geotimeline report"
    _drop_font_awesome_links(nb)
    assets = _inline_assets()
    assets["css"] = _cjk_font_face(nb) + assets["css"]
    if code:  # Chinese in code cells (strings, comments) too: the CJK face after the mono fonts
        assets["css"] += ('pre, code, .highlight pre { font-family: Menlo, Consolas, "DejaVu Sans Mono", '
                          f'"{CJK_FAMILY}", monospace !important; }}\n')
    res = {"report_assets": assets}
    html, _ = exporter.from_notebook_node(nb, resources=res)
    return html


_FA_LINK = re.compile(
    r"<link\b[^>]*\bhref=[\"']?(?:https?:)?//[^\"'>]*font-?awesome[^>]*>", re.IGNORECASE
)


def _drop_font_awesome_links(nb: Any) -> None:
    """Remove CDN Font Awesome stylesheets from outputs (matplotlib's ``to_jshtml`` adds one).

    The inlined widget manager carries Font Awesome, whose ``fa fa-play``-style classes the
    animation player's buttons use, so the icons still show offline. The player's image gets
    the alternative text it lacks.
    """
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            html = data.get("text/html")
            if html is None:
                continue
            text = "".join(html) if isinstance(html, list) else html
            fixed = _FA_LINK.sub("", text).replace(
                '<img id="_anim_img', '<img alt="Animation frame" id="_anim_img')
            if fixed != text:
                data["text/html"] = fixed


CJK_FAMILY = "Report CJK"


def _cjk_font_face(nb: Any) -> str:
    """An ``@font-face`` with just the CJK glyphs the notebook's outputs and widget state use."""
    import json

    from analysis.views.webfont import cjk_font_face

    return cjk_font_face(json.dumps(nb, ensure_ascii=False), family=CJK_FAMILY)


def _inline_assets() -> dict[str, str]:
    """The vendored scripts and CSS, made safe to sit inside ``<script>``/``<style>`` elements."""
    root = resources.files("analysis").joinpath(_ASSETS)
    widgets = root.joinpath("html-manager", "embed.js").read_text(encoding="utf-8")
    if widgets.count(_PUBLIC_PATH_THROW) != 1:
        raise ReportError("vendored embed.js changed: re-check scripts/vendor_report_assets.sh")
    widgets = widgets.replace(_PUBLIC_PATH_THROW, 'e="./"')

    def font(match: re.Match) -> str:
        name, ext = match.group(1), match.group(2)
        # browsers take the first format they support in @font-face (woff2); others stay empty
        if ext != "woff2":
            return '"data:,"'
        data = root.joinpath("html-manager", f"{name}.woff2").read_bytes()
        return '"data:font/woff2;base64,' + base64.b64encode(data).decode("ascii") + '"'

    widgets, n_fonts = _FONT_REF.subn(font, widgets)
    if n_fonts == 0:
        raise ReportError("vendored embed.js has no font references: re-vendor the report assets")
    widgets = re.sub(r"^//# sourceMappingURL=.*$", "", widgets, flags=re.MULTILINE)
    requirejs = root.joinpath("requirejs", "require.js").read_text(encoding="utf-8")
    css = root.joinpath("report.css").read_text(encoding="utf-8")
    return {
        "widgets": _script_safe(widgets),
        "requirejs": _script_safe(requirejs),
        "css": css.replace("</", "<\\/"),
    }


def _script_safe(js: str) -> str:
    """Keep a script from closing its own ``<script>`` element early."""
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE).replace("<!--", "<\\!--")


# ---------------------------------------------------------------------------------- check
_URL_ATTRS = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
}


_CSS_REMOTE = re.compile(
    r"(@import\s+(?:url\()?|url\()\s*['\"]?\s*((?:https?:)?//[^'\")\s]*)", re.IGNORECASE
)


class _RefFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in _URL_ATTRS.get(tag, ()) and value and _is_remote(value):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name == "style" and value:
                self._css(value)
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._css(data)

    def _css(self, css: str) -> None:
        css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
        self.found += [f"css {m.group(1).strip()}{m.group(2)}" for m in _CSS_REMOTE.finditer(css)]


def _is_remote(url: str) -> bool:
    return bool(re.match(r"\s*(https?:)?//", url, flags=re.IGNORECASE))


def external_references(html: str) -> list[str]:
    """List the tags of ``html`` that would fetch a script, stylesheet or media from the web.

    Looks at the URL attributes of ``script``, ``link``, ``img`` and other media tags, and at
    ``@import`` and ``url()`` in ``<style>`` elements and ``style=`` attributes.

    Examples
    --------
    >>> external_references('<script src="https://cdn.example/x.js"></script><img src="a.png">')
    ["<script src='https://cdn.example/x.js'>"]
    """
    finder = _RefFinder()
    finder.feed(html)
    finder.close()
    return finder.found


# -------------------------------------------------------------------------------- helpers
def _check_sources(source: Any) -> list[str]:
    if isinstance(source, str | os.PathLike):
        items = [source]
    elif isinstance(source, Iterable) and not isinstance(source, bytes):
        items = list(source)
    else:
        raise TypeError(
            f"source must be a path or a list of paths to articles, not {type(source).__name__}"
        )
    if not items:
        raise ValueError("source is empty; pass at least one article file or folder")
    paths = []
    for item in items:
        if not isinstance(item, str | os.PathLike):
            raise TypeError(f"source entries must be paths, not {type(item).__name__}: {item!r}")
        path = Path(item).expanduser()
        if path.exists():
            paths.append(str(path.resolve()))
            continue
        if not any(ch in str(item) for ch in "*?["):
            raise FileNotFoundError(f"article path {str(item)!r} does not exist")
        pattern = str(path if path.is_absolute() else Path.cwd() / path)
        if not glob.glob(pattern, recursive=True):  # fail here, not inside the kernel
            raise FileNotFoundError(f"no files match the pattern {str(item)!r}")
        paths.append(pattern)
    return paths


def _find_notebook(notebook: str | os.PathLike | None) -> Path:
    if notebook is not None:
        path = Path(notebook).expanduser().resolve()
        if not path.is_file():
            raise FileNotFoundError(f"report notebook {str(notebook)!r} does not exist")
        return path
    # the report notebook ships inside the package, so a plain ``pip install .`` renders reports
    path = Path(__file__).resolve().parent / "notebook" / REPORT_NOTEBOOK
    if not path.is_file():
        raise FileNotFoundError(
            f"the report notebook {path} is missing from the installed package: reinstall "
            "news-geotimeline, or pass notebook= the path of a 90-report.ipynb"
        )
    return path


def _write_atomic(output: Path, text: str) -> Path:
    from analysis.io.atomic import atomic_write

    return atomic_write(output.resolve(), lambda tmp: tmp.write_text(text, encoding="utf-8"))
