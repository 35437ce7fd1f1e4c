"""Command line: ``python -m analysis report PATH... -o report.html [--labels zh|en|auto]``.

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
    return parser


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
    parser.error(f"unknown command {args.command!r}")  # pragma: no cover - argparse rejects it first
    return 2


if __name__ == "__main__":
    sys.exit(main())
