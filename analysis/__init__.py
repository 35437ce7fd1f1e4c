"""news-geotimeline: the geography of the news as pandas frames.

The package reads like the data's path::

    import analysis as an
    articles = an.load_articles("data/articles")   # DataFrame, one row per article
    places = an.find_places(articles)              # GeoDataFrame, one row per place mention
    times = an.find_times(articles)                # DataFrame, one row per time expression
    timeline = an.build_timeline(articles)         # GeoDataFrame, one row per (place, time) event

Public names are re-exported lazily (PEP 562) so that ``import analysis`` stays fast: pandas,
geopandas and the gazetteer load on first use, not at import.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # articles (loader)
    "load_articles": "analysis.articles.loader",
    "paragraphs": "analysis.articles.loader",
    "images": "analysis.articles.loader",
    "ArticleError": "analysis.articles.loader",
    # places
    "gazetteer": "analysis.places.index",
    "Gazetteer": "analysis.places.index",
    "find_places": "analysis.places.geoparse",
    # time
    "parse_time": "analysis.timex.engine",
    "find_times": "analysis.timex.engine",
    "TimeExpr": "analysis.timex.expr",
    # timeline and route
    "build_timeline": "analysis.timeline.events",
    "route": "analysis.timeline.routes",
    "Route": "analysis.timeline.routes",
    # views
    "plot_map": "analysis.views.plotting",
    "plot_timeline": "analysis.views.plotting",
    "animate_route": "analysis.views.plotting",
    "explore": "analysis.views.explorer",
    "map_interactive": "analysis.views.webmap",
    "export": "analysis.io.exporting",
    "render_report": "analysis.report.render",
    # scale
    "process_corpus": "analysis.io.corpus",
    "read_corpus": "analysis.io.corpus",
}

__all__ = [
    "ArticleError",
    "Gazetteer",
    "Route",
    "TimeExpr",
    "animate_route",
    "build_timeline",
    "explore",
    "export",
    "find_places",
    "find_times",
    "gazetteer",
    "images",
    "load_articles",
    "map_interactive",
    "paragraphs",
    "parse_time",
    "plot_map",
    "plot_timeline",
    "process_corpus",
    "read_corpus",
    "render_report",
    "route",
    "__version__",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from analysis.articles.loader import ArticleError, images, load_articles, paragraphs
    from analysis.io.corpus import process_corpus, read_corpus
    from analysis.io.exporting import export
    from analysis.places.geoparse import find_places
    from analysis.places.index import Gazetteer, gazetteer
    from analysis.report.render import render_report
    from analysis.timeline.events import build_timeline
    from analysis.timeline.routes import Route, route
    from analysis.timex.engine import find_times, parse_time
    from analysis.timex.expr import TimeExpr
    from analysis.views.explorer import explore
    from analysis.views.plotting import animate_route, plot_map, plot_timeline
    from analysis.views.webmap import map_interactive


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # cache: the next access is a plain attribute lookup
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
