"""Command line: ``python -m analysis report PATH... -o report.html [--labels zh|en|auto]``,
``python -m analysis html NOTEBOOK [-o OUT.html] [-p NAME VALUE]...``.

Also installed as the ``news-geotimeline`` script.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="news-geotimeline: the geography of the news, from articles to an offline report.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress messages")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    rep = sub.add_parser(
        "report",
        help="render the HTML report of some articles",
        description="Execute notebooks/90-report on the articles and write one HTML file that "
        "opens offline (map, timeline, animation, places and events with their evidence).",
    )
    rep.add_argument("paths", nargs="+", metavar="PATH", help="article files, folders or globs")
    rep.add_argument("-o", "--output", default="reports/report.html",
                     help="HTML file to write (default: reports/report.html)")
    rep.add_argument("--labels", choices=("auto", "zh", "en"), default="auto",
                     help="language of place labels (default: auto, from each article)")
    rep.add_argument("--timeout", type=int, default=600, metavar="SECONDS",
                     help="longest any one notebook cell may run (default: 600)")
    rep.add_argument("--notebook", default=None,
                     help="a custom report notebook instead of notebooks/90-report.ipynb")
    rep.add_argument("--no-progress", dest="progress", action="store_false",
                     help="hide the progress bar")
    nbh = sub.add_parser(
        "html",
        help="render any notebook to HTML that opens offline",
        description="Execute a notebook and write one HTML file with the widget manager, "
        "require.js and a CJK font inlined (nbconvert would load them from a CDN).",
    )
    nbh.add_argument("notebook", help="the .ipynb file")
    nbh.add_argument("-o", "--output", default=None, help="HTML file (default: beside the notebook)")
    nbh.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                     metavar=("NAME", "VALUE"), help="set a parameter (value read as Python/JSON "
                     "literal, else as a string); repeatable")
    nbh.add_argument("--no-execute", dest="execute", action="store_false",
                     help="export the stored outputs without running the notebook")
    nbh.add_argument("--no-code", dest="code", action="store_false", help="outputs only")
    nbh.add_argument("--timeout", type=int, default=600, metavar="SECONDS")
    return parser


def _literal(text: str):
    """A command-line parameter value: a Python literal when it parses as one, else the string."""
    import ast

    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def _html(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """The ``html`` command."""
    from pathlib import Path

    from analysis.report.render import ReportError, render_notebook

    output = args.output or str(Path(args.notebook).with_suffix(".html"))
    try:
        path = render_notebook(args.notebook, output, execute=args.execute, code=args.code,
                               timeout=args.timeout,
                               parameters={k: _literal(v) for k, v in args.parameter})
    except (FileNotFoundError, ValueError, IsADirectoryError) as exc:
        parser.exit(2, f"{parser.prog} html: error: {exc}\n")
    except ReportError as exc:
        parser.exit(1, f"{parser.prog} html: failed: {exc}\n")
    print(path)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 failed, 2 bad arguments).

    Examples
    --------
    >>> main(["report", "data/articles", "-o", "reports/report.html"])  # doctest: +SKIP
    0
    """
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not args.verbose:
        # jupyter_client's clean-up notices ("Could not destroy zmq context") are not news
        logging.getLogger("traitlets").setLevel(logging.ERROR)

    if args.command == "report":
        from analysis.report.render import ReportError, render_report

        try:
            path = render_report(args.paths, args.output, lang=args.labels,
                                 progress=args.progress, timeout=args.timeout,
                                 notebook=args.notebook)
        except (FileNotFoundError, ValueError, TypeError, IsADirectoryError) as exc:
            parser.exit(2, f"{parser.prog} report: error: {exc}\n")
        except ReportError as exc:
            parser.exit(1, f"{parser.prog} report: failed: {exc}\n")
        print(path)
        return 0
    if args.command == "html":
        return _html(parser, args)
    parser.error(f"unknown command {args.command!r}")  # pragma: no cover - argparse rejects it first
    return 2


if __name__ == "__main__":
    sys.exit(main())
