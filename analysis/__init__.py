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
    "load_articles": "analysis.articles",
    "paragraphs": "analysis.articles",
    "images": "analysis.articles",
    "ArticleError": "analysis.articles",
    # places
    "gazetteer": "analysis.gazetteer",
    "Gazetteer": "analysis.gazetteer",
    "find_places": "analysis.places",
    # time
    "parse_time": "analysis.timex",
    "find_times": "analysis.timex",
    "TimeExpr": "analysis.timex",
    # timeline and route
    "build_timeline": "analysis.timeline",
    "route": "analysis.timeline",
    "Route": "analysis.timeline",
    # views
    "plot_map": "analysis.plotting",
    "plot_timeline": "analysis.plotting",
    "animate_route": "analysis.plotting",
    "explore": "analysis.explore",
    "export": "analysis.export",
    "render_report": "analysis.report",
    # scale
    "process_corpus": "analysis.corpus",
    "read_corpus": "analysis.corpus",
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
    from analysis.articles import ArticleError, images, load_articles, paragraphs
    from analysis.corpus import process_corpus, read_corpus
    from analysis.explore import explore
    from analysis.export import export
    from analysis.gazetteer import Gazetteer, gazetteer
    from analysis.places import find_places
    from analysis.plotting import animate_route, plot_map, plot_timeline
    from analysis.report import render_report
    from analysis.timeline import Route, build_timeline, route
    from analysis.timex import TimeExpr, find_times, parse_time


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # cache: the next access is a plain attribute lookup
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
