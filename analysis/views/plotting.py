"""Static views: the map of places and routes, the timeline of events, and the route animation.

Every plot takes ``ax=None`` and returns the ``Axes`` (the animation returns its
``FuncAnimation``). Country borders come from Natural Earth and the labels are set in Noto Sans CJK,
both bundled by installed packages (see :mod:`analysis._basemap`), so the views render offline and
Chinese names never turn into empty boxes.

Artists the views draw carry a ``gid`` so tests and downstream code can find them:
``"stop"`` (route stop markers), ``"stop-label"``, ``"leg-<certainty>"`` (route legs),
``"place"`` (other place markers), ``"place-label"``, ``"inset"`` (the world inset axes),
``"event"`` / ``"event-label"`` on the timeline.
"""

from __future__ import annotations

import functools
import logging
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, get_args

from analysis import schema as S
from analysis.views.labels import column, is_missing, place_label, resolve_lang, with_features, word

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.animation import FuncAnimation
    from matplotlib.axes import Axes

logger = logging.getLogger(__name__)

__all__ = ["plot_map", "plot_timeline", "animate_route"]

# ----------------------------------------------------------------------------- styles
CERTAINTY_COLORS = {
    "reported": "#b2182b",
    "expected": "#2166ac",
    "speculated": "#7b3294",
    "negated": "#4d4d4d",
}
MENTION_COLOR = "#5a5a5a"
METONYM_COLOR = "#a8a8a8"
LAND_COLOR = "#f3efe6"
NAMED_COUNTRY_COLOR = "#f8e9da"  # a country the story names, with no finer place in it
SEA_COLOR = "#dbe7ef"
BORDER_COLOR = "#9a9a9a"
_CERTAINTY_RANK = {c: i for i, c in enumerate(S.CERTAINTIES)}

# features drawn as areas (a tinted polygon or a large faint disc), not as points
AREA_FEATURES = frozenset({"continent", "country", "region", "admin1", "admin2", "sea", "strait"})
_FEATURE_MARKERS = {
    "capital": "o", "city": "o", "town": "o", "village": "o", "district": "o",
    "station": "s", "border_crossing": "s", "port": "s", "airport": "^",
    "spaceport": "^", "military_base": "^",
    "building": "D", "landmark": "D",
    "island": "h", "river": "h", "lake": "h", "mountain": "h",
}
_LEG_STYLES = {"reported": "-", "expected": (0, (5, 3)), "speculated": (0, (1.5, 2.5)), "negated": ":"}
_TOWARD_STYLE = (0, (6, 2, 1, 2))
# one colour per article when a map holds several stories (Okabe-Ito, colour-blind safe); the
# certainty is then told by the line style and a hollow disc alone
ARTICLE_COLORS = ("#d55e00", "#0072b2", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000",
                  "#882255", "#117733", "#332288")



# ----------------------------------------------------------------------------- input checks
def _require(frame, columns, what: str) -> None:
    """Raise a ValueError naming the missing columns of ``frame`` and how to get them."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{what} is missing column(s) {missing}; pass the frame returned by "
            "analysis.find_places(articles) or analysis.build_timeline(articles) "
            f"(columns are listed in analysis.schema), got columns {list(frame.columns)}"
        )


def _is_route(obj) -> bool:
    """True for an ``analysis.Route`` (anything with ``stops`` and ``legs`` frames)."""
    return hasattr(obj, "stops") and hasattr(obj, "legs") and not hasattr(obj, "columns")


def _is_timeline(frame) -> bool:
    """True when ``frame`` looks like a timeline (it has movement or certainty columns)."""
    return S.MOVEMENT in frame.columns or S.CERTAINTY in frame.columns


def _coords(frame):
    """``frame`` with float ``latitude``/``longitude`` (taken from the geometry when missing)."""
    import pandas as pd

    out = frame.copy()
    if S.LATITUDE not in out.columns or S.LONGITUDE not in out.columns:
        geom = getattr(out, "geometry", None) if S.GEOMETRY in out.columns else None
        if geom is None:
            _require(out, [S.LATITUDE, S.LONGITUDE], "the frame")
        out[S.LONGITUDE] = [g.x if g is not None and not g.is_empty else math.nan for g in geom]
        out[S.LATITUDE] = [g.y if g is not None and not g.is_empty else math.nan for g in geom]
    out[S.LATITUDE] = pd.to_numeric(out[S.LATITUDE], errors="coerce").astype("float64")
    out[S.LONGITUDE] = pd.to_numeric(out[S.LONGITUDE], errors="coerce").astype("float64")
    return out


# ----------------------------------------------------------------------------- language and labels
def _date_label(start, end, granularity, source, lang: str) -> str:
    """A short date for a stop label ("09-12 上午", "Sep 12 morning"), or "" when not stated."""
    from analysis.timex.format import format_when

    return format_when(start, end, granularity, lang, style="short", source=source)


# ----------------------------------------------------------------------------- the view model
@dataclass
class _Stop:
    x: float
    y: float
    label: str
    date: str
    certainty: str
    movement: str | None
    place_id: str | None
    time: Any = None
    article: Any = None
    number: int = 0  # 1-based order within its article's route
    color: str | None = None  # the article's colour when the map holds several articles


@dataclass
class _Leg:
    x0: float
    y0: float
    x1: float
    y1: float
    certainty: str
    movement: str | None
    to: int  # index of the destination stop (-1 for a hypothetical leg)
    color: str | None = None


@dataclass
class _View:
    points: Any  # DataFrame: x, y, label, feature, certainty, role, kind, key, country_code
    stops: list[_Stop] = field(default_factory=list)
    legs: list[_Leg] = field(default_factory=list)
    hypothetical: list[tuple[_Leg, int]] = field(default_factory=list)  # (leg, point row)
    lang: str = "en"
    visible_countries: set = field(default_factory=set)
    free_corners: list = field(default_factory=list)  # corners without the inset, emptiest first
    article_colors: dict = field(default_factory=dict)  # article -> (colour, legend label)


def _point_rows(frame, lang: str, kind_of) -> list[dict]:
    """One dict per located row of ``frame`` with what the map needs to draw it."""
    rows = []
    cols = {c: column(frame, c) for c in (
        S.PLACE_ID, S.NAME, S.NAME_ZH, S.SURFACE, S.FEATURE, S.COUNTRY_CODE, S.CERTAINTY,
        S.ROLE, S.MOVEMENT, S.TIME_START, S.ARTICLE_ID)}
    for i, (x, y) in enumerate(zip(frame[S.LONGITUDE].tolist(), frame[S.LATITUDE].tolist(), strict=True)):
        if is_missing(x) or is_missing(y):
            continue
        get = {c: v[i] for c, v in cols.items()}
        rows.append({
            "x": float(x), "y": float(y),
            "label": place_label(get[S.NAME], get[S.NAME_ZH], get[S.SURFACE], lang),
            "feature": get[S.FEATURE] or "city",
            "country_code": get[S.COUNTRY_CODE],
            "certainty": get[S.CERTAINTY] or "reported",
            "role": get[S.ROLE] or "literal",
            "movement": get[S.MOVEMENT],
            "kind": kind_of(get),
            "time": get[S.TIME_START],
            "article": get[S.ARTICLE_ID],
            "key": get[S.PLACE_ID] or f"{round(float(x), 3)},{round(float(y), 3)}",
        })
    return rows


def _stops_from_frame(frame, lang: str) -> list[_Stop]:
    """Route stops from a stops frame (consecutive repeats of one place merged)."""
    frame = _coords(frame)
    stops: list[_Stop] = []
    cols = {c: column(frame, c) for c in (
        S.PLACE_ID, S.NAME, S.NAME_ZH, S.SURFACE, S.CERTAINTY, S.MOVEMENT, S.TIME_START,
        S.TIME_END, S.GRANULARITY, S.TIME_SOURCE)}
    for i, (x, y) in enumerate(zip(frame[S.LONGITUDE].tolist(), frame[S.LATITUDE].tolist(), strict=True)):
        if is_missing(x) or is_missing(y):
            continue
        get = {c: v[i] for c, v in cols.items()}
        key = get[S.PLACE_ID] or f"{round(float(x), 3)},{round(float(y), 3)}"
        date = _date_label(get[S.TIME_START], get[S.TIME_END], get[S.GRANULARITY],
                           get[S.TIME_SOURCE], lang)
        if stops and stops[-1].place_id == key:
            if not stops[-1].date and date:
                stops[-1].date = date
            continue
        move = get[S.MOVEMENT]
        if isinstance(move, str) and "," in move:  # a merged stop ("enter, depart"): the last
            move = move.split(",")[-1].strip()
        stops.append(_Stop(float(x), float(y),
                           place_label(get[S.NAME], get[S.NAME_ZH], get[S.SURFACE], lang),
                           date, get[S.CERTAINTY] or "reported", move, key, get[S.TIME_START]))
    return stops


def _current_trip(stops):
    """The longest run of stops whose consecutive dates are under a month apart.

    A story about this week's journey that recalls a visit years ago holds two trips; a leg from
    the old visit to this week's departure would be a journey nobody made.
    """
    import pandas as pd

    if S.TIME_START not in stops.columns or len(stops) < 2:
        return stops
    day = pd.to_datetime(stops[S.TIME_START], errors="coerce").dt.normalize().ffill()
    gaps = day.diff().abs() > pd.Timedelta(days=30)
    trip = gaps.cumsum().to_numpy()
    sizes = pd.Series(trip).value_counts()
    best = max(sizes.index, key=lambda t: (sizes[t], t))
    return stops[trip == best]


def _route_stops(timeline, lang: str) -> list[_Stop]:
    """The route of a timeline frame (one article), as :func:`analysis.route` gives it."""
    from analysis.timeline.routes import route as build_route

    return _stops_from_frame(_current_trip(build_route(timeline).stops), lang)


def _legs_between(stops: list[_Stop]) -> list[_Leg]:
    """Legs joining consecutive stops; the destination's certainty and movement set the style."""
    return [
        _Leg(a.x, a.y, b.x, b.y, b.certainty, b.movement, i + 1, b.color)
        for i, (a, b) in enumerate(zip(stops, stops[1:], strict=False))
        if a.article == b.article  # one route per article: no leg from one story to the next
    ]


def _build_view(obj, lang_arg: str, metonyms: str, route: bool) -> _View:
    """Turn a places frame, a timeline frame or a Route into what the map draws."""
    import pandas as pd

    if metonyms not in get_args(S.Metonyms):
        raise ValueError(f"metonyms must be 'hide' or 'grey', got {metonyms!r}")
    if _is_route(obj):
        stops_frame = obj.stops
        if not isinstance(stops_frame, pd.DataFrame):
            raise ValueError("Route.stops must be a DataFrame of timeline rows")
        lang = resolve_lang(lang_arg, [stops_frame])
        stops_frame = with_features(stops_frame)
        stops = _stops_from_frame(_current_trip(stops_frame), lang)
        for n, stop in enumerate(stops, start=1):
            stop.number = n
        points = pd.DataFrame(_point_rows(_coords(stops_frame), lang, lambda g: "event"))
        return _finish_view(points, stops if route else [], lang, metonyms)
    if not isinstance(obj, pd.DataFrame):
        raise TypeError(
            "plot_map expects the GeoDataFrame from analysis.find_places or "
            f"analysis.build_timeline, or an analysis.Route; got {type(obj).__name__}"
        )
    frame = _coords(obj)
    lang = resolve_lang(lang_arg, [frame])
    if _is_timeline(frame):
        frame = with_features(frame)
        stops: list[_Stop] = []
        if route:
            groups = (frame.groupby(S.ARTICLE_ID, sort=False, dropna=False)
                      if S.ARTICLE_ID in frame.columns else [(None, frame)])
            for article, part in groups:
                for n, stop in enumerate(_route_stops(part, lang), start=1):
                    stop.article, stop.number = article, n
                    stops.append(stop)

        def kind(g):
            return "mention" if (g[S.MOVEMENT] or "mention") == "mention" else "event"

        points = pd.DataFrame(_point_rows(frame, lang, kind))
        view = _finish_view(points, stops, lang, metonyms, _article_colors(frame, stops))
        return view
    points = pd.DataFrame(_point_rows(frame, lang, lambda g: "place"))
    return _finish_view(points, [], lang, metonyms)


def _article_colors(frame, stops: list[_Stop]) -> dict:
    """article -> (colour, legend label) when the route holds several articles, else {}.

    Stops take their article's colour here; the legend names each article by its title when the
    frame has one, else by its id without the content-hash suffix.
    """
    import re

    articles = list(dict.fromkeys(s.article for s in stops))
    if len(articles) < 2:
        return {}
    titles = {}
    if S.TITLE in frame.columns:
        titles = dict(zip(frame[S.ARTICLE_ID], frame[S.TITLE], strict=False))
    out = {}
    for i, article in enumerate(articles):
        name = titles.get(article)
        if is_missing(name) or not str(name).strip():
            name = re.sub(r"-[0-9a-f]{8}$", "", str(article))
        name = str(name).strip()
        out[article] = (ARTICLE_COLORS[i % len(ARTICLE_COLORS)],
                        name if len(name) <= 32 else name[:31] + "…")
    for stop in stops:
        stop.color = out[stop.article][0]
    return out


def _anchor(travel: list[_Stop], article) -> _Stop:
    """Where an expected leg starts: its article's last reported stop (route order), not the
    first or the nearest: 'will fly on to Budapest' leaves from where the story has got to."""
    own = [s for s in travel if s.article == article] or travel
    reported = [s for s in own if s.certainty == "reported"]
    return (reported or own)[-1]


def _finish_view(points, stops: list[_Stop], lang: str, metonyms: str,
                 article_colors: dict | None = None) -> _View:
    """Dedupe points per place, drop metonyms when asked, and add hypothetical (expected) legs."""
    import pandas as pd

    cols = ["x", "y", "label", "feature", "country_code", "certainty", "role", "movement", "kind",
            "key", "time"]
    if points.empty:
        points = pd.DataFrame(columns=cols)
    if metonyms == "hide":
        points = points[points["role"] != "metonymic"]
    stop_keys = {s.place_id for s in stops}
    kind_rank = {"event": 0, "place": 1, "mention": 2}
    # one marker per place: the row of the route's period (not a visit years ago) first, then
    # events before mentions, then the surest certainty
    times = [pd.Timestamp(s.time) for s in stops if not is_missing(s.time)]
    if times and "time" in points.columns:
        t = pd.to_datetime(points["time"], errors="coerce")
        lo, hi = min(times) - pd.Timedelta(days=7), max(times) + pd.Timedelta(days=30)
        period = (~(t.isna() | ((t >= lo) & (t <= hi)))).astype(int)
    else:
        period = 0
    points = points.assign(
        _lit=(points["role"] == "metonymic").astype(int),
        _period=period,
        _kind=points["kind"].map(kind_rank).fillna(3),
        _cert=points["certainty"].map(_CERTAINTY_RANK).fillna(9),
    ).sort_values(["_lit", "_period", "_kind", "_cert"], kind="stable")
    counts = points["key"].value_counts()
    points = points.drop_duplicates("key").drop(columns=["_lit", "_period", "_kind", "_cert"])
    points["count"] = points["key"].map(counts).astype(int)
    points["on_route"] = points["key"].isin(stop_keys)
    # a country/region marker says little when a finer place in it is on the map
    finer = set(points.loc[~points["feature"].isin(AREA_FEATURES), "country_code"].dropna())
    points["hidden"] = points["feature"].isin(AREA_FEATURES) & points["country_code"].isin(finer)
    points = points.reset_index(drop=True)

    view = _View(points=points, stops=stops, legs=_legs_between(stops), lang=lang,
                 article_colors=article_colors or {})
    travel = [s for s in stops if s.movement != "toward"] or stops
    if travel:
        cand = points[(points["kind"] == "event") & ~points["on_route"]
                      & points["certainty"].isin(["expected", "speculated"])
                      & (points["role"] != "metonymic")
                      & ~points["feature"].isin(AREA_FEATURES)]
        for idx, row in cand.iterrows():
            anchor = _anchor(travel, row.get("article"))
            leg = _Leg(anchor.x, anchor.y, row["x"], row["y"], row["certainty"], row["movement"], -1,
                       anchor.color)
            view.hypothetical.append((leg, idx))
    return view


def _km(x0, y0, x1, y1) -> float:
    """Great-circle distance in km."""
    p0, p1, dl = math.radians(y0), math.radians(y1), math.radians(x1 - x0)
    c = math.sin(p0) * math.sin(p1) + math.cos(p0) * math.cos(p1) * math.cos(dl)
    return 6371.0 * math.acos(max(-1.0, min(1.0, c)))


# ----------------------------------------------------------------------------- extent
def _extent(view: _View, min_span: float = 8.0, margin: float = 0.15) -> tuple[float, float, float, float]:
    """Bounds fitted to the route (or the places) with a margin, a minimum span and a sane shape."""
    pts = view.points[~view.points["hidden"]]
    focus_xy = [(s.x, s.y) for s in view.stops]
    focus_xy += [(leg.x1, leg.y1) for leg, _ in view.hypothetical]
    if not focus_xy:
        lit = pts[(pts["role"] != "metonymic") & ~pts["feature"].isin(AREA_FEATURES)]
        if lit.empty:
            lit = pts[pts["role"] != "metonymic"]
        if lit.empty:
            lit = pts
        focus_xy = _main_cluster(lit)
    if not focus_xy:
        return (-180.0, -60.0, 180.0, 85.0)
    xs, ys = zip(*focus_xy, strict=True)
    xmin, xmax, ymin, ymax = min(xs), max(xs), min(ys), max(ys)
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    coslat = max(math.cos(math.radians(cy)), 0.2)
    w = max((xmax - xmin) * (1 + 2 * margin), min_span / coslat)
    h = max((ymax - ymin) * (1 + 2 * margin), min_span)
    # keep the map between 4:3 landscape and 3:4 portrait (in ground distance)
    ratio = (w * coslat) / h
    if ratio > 1.5:
        h = w * coslat / 1.5
    elif ratio < 0.75:
        w = h * 0.75 / coslat
    xmin, xmax = max(cx - w / 2, -180.0), min(cx + w / 2, 180.0)
    ymin, ymax = max(cy - h / 2, -85.0), min(cy + h / 2, 85.0)
    return (xmin, ymin, xmax, ymax)


def _main_cluster(pts, radius_km: float = 2500.0, share: float = 0.6) -> list[tuple[float, float]]:
    """The points near the most-mentioned centre, when they hold most mentions; else all.

    A story set in the Russian Far East that names Washington once should be mapped around the
    Far East (Washington goes in the "off map" note), not on a world map where the story is a dot.
    """
    xy = list(zip(pts["x"], pts["y"], strict=True))
    if len(xy) < 3:
        return xy
    weights = pts["count"].tolist() if "count" in pts.columns else [1] * len(xy)
    total = sum(weights)

    def near(c):
        return [i for i, p in enumerate(xy) if _km(c[0], c[1], p[0], p[1]) <= radius_km]

    centre = max(xy, key=lambda c: sum(weights[i] for i in near(c)))
    members = near(centre)
    if sum(weights[i] for i in members) >= share * total:
        return [xy[i] for i in members]
    return xy


def _inside(x, y, bounds) -> bool:
    return bounds[0] <= x <= bounds[2] and bounds[1] <= y <= bounds[3]


# ----------------------------------------------------------------------------- drawing
def _draw_basemap(ax, bounds, view: _View, font) -> None:
    """Land, borders, faint country names and a tint for countries named as places."""
    import shapely
    from matplotlib.patches import PathPatch

    from analysis.views import basemap as _basemap

    ax.set_facecolor(SEA_COLOR)
    land = _basemap.countries_in(bounds)
    if land.empty:
        return
    named = set(view.points.loc[(view.points["feature"] == "country") & ~view.points["hidden"]
                                & (view.points["role"] != "metonymic"), "country_code"].dropna())
    view.visible_countries = set(land["iso_a2"].dropna())
    is_named = land["iso_a2"].isin(named)
    for part, color in ((land[~is_named], LAND_COLOR), (land[is_named], NAMED_COUNTRY_COLOR)):
        path = _basemap.polygons_path(part.geometry)
        if path is not None:
            # add_artist, not add_patch: the limits are set already, and add_patch would walk
            # every vertex of the borders to update them
            ax.add_artist(PathPatch(path, facecolor=color, edgecolor=BORDER_COLOR, linewidth=0.6,
                                    zorder=1, gid="land"))
    span = max(bounds[2] - bounds[0], bounds[3] - bounds[1])
    max_rank = 2 if span > 60 else 4 if span > 20 else 6
    mentioned = set(view.points["country_code"].dropna())
    view_area = (bounds[2] - bounds[0]) * (bounds[3] - bounds[1])
    busy = [(st.x, st.y) for st in view.stops] + list(zip(view.points["x"], view.points["y"],
                                                          strict=True))
    clear_x, clear_y = 0.06 * (bounds[2] - bounds[0]), 0.03 * (bounds[3] - bounds[1])
    for row in land.itertuples():
        x, y = row.label_x, row.label_y
        if not _inside(x, y, bounds):
            # the label point is off the map, but a big part of the country is on it
            shown = shapely.clip_by_rect(row.geometry, *bounds)
            if shown.is_empty or shown.area < 0.12 * view_area:
                continue
            x, y = shown.representative_point().coords[0]
        elif row.rank > max_rank:
            continue
        if span > 60 and row.iso_a2 not in mentioned:
            continue  # a world map labelled everywhere is unreadable
        if any(abs(px - x) < clear_x and abs(py - y) < clear_y for px, py in busy):
            continue  # the map's own marks matter more than a country's name
        text = (row.name_zh if view.lang == "zh" and isinstance(row.name_zh, str) else row.name)
        ax.text(x, y, text if view.lang == "zh" else str(text).upper(),
                ha="center", va="center", fontsize=8, color="#8c8c8c", fontproperties=font,
                zorder=2, gid="country-label", clip_on=True)


def _marker_style(feature: str, certainty: str, role: str, kind: str) -> dict:
    """scatter() keywords for one place marker."""
    color = CERTAINTY_COLORS.get(certainty, CERTAINTY_COLORS["reported"])
    if kind == "mention" or kind == "place":
        color = MENTION_COLOR
    if role == "metonymic":
        color = METONYM_COLOR
    marker = _FEATURE_MARKERS.get(feature, "o")
    size = 34 if feature == "capital" else 26
    style = {"marker": marker, "s": size, "linewidths": 1.2, "zorder": 5}
    if feature in AREA_FEATURES:
        style.update(s=900, alpha=0.18, linewidths=0, zorder=3)
        style["facecolors"] = color
        style["edgecolors"] = "none"
        return style
    if certainty in ("expected", "speculated") and role != "metonymic":
        style.update(facecolors="white", edgecolors=color)
        if certainty == "speculated":
            style["linestyles"] = (0, (1.5, 1.5))
    else:
        style.update(facecolors=color, edgecolors="white")
    return style


def _draw_points(ax, view: _View, bounds) -> list[tuple[Any, str, float, float, str]]:
    """Markers for places not on the route; returns label jobs (artist, text, x, y, gid)."""
    jobs = []
    for idx, row in view.points.iterrows():
        if row["hidden"] or row["on_route"] or not _inside(row["x"], row["y"], bounds):
            continue
        if row["feature"] == "country":
            continue  # drawn as a tinted polygon by the basemap
        style = _marker_style(row["feature"], row["certainty"], row["role"], row["kind"])
        art = ax.scatter([row["x"]], [row["y"]], gid="place", **style)
        if row["certainty"] == "negated":
            ax.scatter([row["x"]], [row["y"]], marker="x", s=40, c=CERTAINTY_COLORS["negated"],
                       linewidths=1.4, zorder=6, gid="place-negated")
        jobs.append((art, row["label"], row["x"], row["y"], "place-label", idx))
    return jobs


def _draw_leg(ax, leg: _Leg, gid_prefix: str = "leg"):
    """One arrow along a leg, dashed unless reported, dash-dot for 'toward'."""
    from matplotlib.patches import FancyArrowPatch

    color = leg.color or CERTAINTY_COLORS.get(leg.certainty, CERTAINTY_COLORS["reported"])
    style = _LEG_STYLES.get(leg.certainty, "-")
    if leg.movement == "toward" and leg.certainty == "reported":
        style = _TOWARD_STYLE
    arrow = FancyArrowPatch(
        (leg.x0, leg.y0), (leg.x1, leg.y1), arrowstyle="-|>,head_length=6,head_width=3.5",
        connectionstyle="arc3,rad=0.12", color=color, linewidth=2.0 if leg.to >= 0 else 1.4,
        linestyle=style, shrinkA=9, shrinkB=9, zorder=4, alpha=0.9,
        gid=f"{gid_prefix}-{leg.certainty}",
    )
    ax.add_patch(arrow)
    return arrow


def _draw_stop(ax, number: str, stop: _Stop, font):
    """A numbered disc for a route stop; returns its artists."""
    import matplotlib.patheffects as pe

    color = stop.color or CERTAINTY_COLORS.get(stop.certainty, CERTAINTY_COLORS["reported"])
    face = color if stop.movement != "toward" else "white"
    disc = ax.scatter([stop.x], [stop.y], s=190 if len(number) < 3 else 330, marker="o", facecolors=face, edgecolors=color,
                      linewidths=1.6, zorder=7, gid="stop")
    num = ax.text(stop.x, stop.y, number, ha="center", va="center",
                  fontsize=7.5 if len(number) < 3 else 6.5,
                  color="white" if face != "white" else color, zorder=8,
                  fontproperties=font, gid="stop-number")
    num.set_path_effects([pe.Normal()])
    return disc, num


def _stop_text(stop: _Stop, lang: str) -> str:
    text = stop.label
    if stop.movement == "toward":
        text = f"→ {text}方向" if lang == "zh" else f"toward {text}"
    return f"{text}  {stop.date}" if stop.date else text


_OFFSETS = [(8, 6, "left", "bottom"), (8, -6, "left", "top"), (-8, 6, "right", "bottom"),
            (-8, -6, "right", "top"), (0, 11, "center", "bottom"), (0, -11, "center", "top"),
            (16, 16, "left", "bottom"), (16, -16, "left", "top"), (-16, 16, "right", "bottom"),
            (-16, -16, "right", "top"), (26, 0, "left", "center"), (-26, 0, "right", "center")]


# a second, wider ring tried only when every near offset would cover another label
_FAR_OFFSETS = [(dx * k, dy * k, ha, va) for k in (2.5, 4.0) for dx, dy, ha, va in _OFFSETS[6:]]


def _new_label(ax, text, x, y, offset, style):
    import matplotlib.patheffects as pe

    dx, dy, ha, va = offset
    size, color, weight, gid, font = style
    ann = ax.annotate(
        text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
        fontsize=size, color=color, fontproperties=font, fontweight=weight, zorder=9,
        gid=gid, annotation_clip=True,
        arrowprops=(dict(arrowstyle="-", color="#777777", lw=0.6, shrinkA=0, shrinkB=4)
                    if abs(dx) + abs(dy) > 25 else None),
    )
    ann.set_path_effects([pe.withStroke(linewidth=2.5, foreground="white")])
    return ann


def _place_labels(ax, jobs, font, obstacles, labels=()) -> list:
    """Annotate each point, trying offsets in turn: a label never covers another label (a place
    label that cannot be set clear of the others is left out; its marker stays), and covers as
    little of the markers, arrows and legend in ``obstacles`` as it can."""
    try:
        renderer = ax.figure.canvas.get_renderer()
    except AttributeError:  # a backend without an Agg renderer: keep the first offset
        renderer = None
    axbox = ax.get_window_extent(renderer) if renderer is not None else None
    taken = list(labels)  # boxes of labels already set
    texts = []
    for _art, text, x, y, gid, size, color, weight in jobs:
        style = (size, color, weight, gid, font)
        if renderer is None:
            texts.append(_new_label(ax, text, x, y, _OFFSETS[0], style))
            continue
        best, best_cost = None, (math.inf, math.inf)
        for offset in [*_OFFSETS, *_FAR_OFFSETS]:
            if offset is _FAR_OFFSETS[0] and best_cost[0] == 0:
                break  # the near ring had a clear place
            ann = _new_label(ax, text, x, y, offset, style)
            box = ann.get_window_extent(renderer).expanded(1.05, 1.1)
            cost = (sum(_overlap(box, other) for other in taken),
                    sum(_overlap(box, other) for other in obstacles)
                    + box.width * box.height - _overlap(box, axbox))
            if cost < best_cost:
                if best is not None:
                    best.remove()
                best, best_cost = ann, cost
            else:
                ann.remove()
            if cost == (0, 0):
                break
        if best_cost[0] > 0 and gid == "place-label":
            best.remove()
            continue
        taken.append(best.get_window_extent(renderer))
        texts.append(best)
    return texts


def _overlap(a, b) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def _marker_boxes(ax, xys, radius=7.0):
    """Display-space boxes around markers, so labels avoid covering them."""
    from matplotlib.transforms import Bbox

    out = []
    for x, y in xys:
        px, py = ax.transData.transform((x, y))
        out.append(Bbox.from_extents(px - radius, py - radius, px + radius, py + radius))
    return out


def _draw_inset(ax, bounds, view: _View):
    """A small world map in the emptiest corner with the map's extent outlined."""
    from matplotlib.patches import PathPatch, Rectangle

    from analysis.views import basemap as _basemap

    corners = {"lower left": (0.01, 0.01), "upper left": (0.01, 0.71),
               "lower right": (0.71, 0.01), "upper right": (0.71, 0.71)}
    w, h = bounds[2] - bounds[0], bounds[3] - bounds[1]

    def crowd(corner):
        x0, y0 = corners[corner]
        bx0, by0 = bounds[0] + x0 * w, bounds[1] + y0 * h
        bx1, by1 = bx0 + 0.28 * w, by0 + 0.28 * h
        xy = [(s.x, s.y) for s in view.stops] + list(zip(view.points["x"], view.points["y"], strict=True))
        return sum(bx0 - 0.05 * w <= x <= bx1 + 0.05 * w and by0 - 0.05 * h <= y <= by1 + 0.05 * h
                   for x, y in xy)

    corner = min(["lower left", "lower right", "upper left", "upper right"], key=crowd)
    view.free_corners = sorted((c for c in corners if c != corner), key=crowd)
    x0, y0 = corners[corner]
    inset = ax.inset_axes([x0, y0, 0.28, 0.28])
    inset.set_gid("inset")
    inset.set_facecolor(SEA_COLOR)
    inset.add_artist(PathPatch(_basemap.world_path(), facecolor="#e4ddd0", edgecolor="#b5b5b5",
                              linewidth=0.2))
    cx, cy = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
    # a regional window: the whole world squeezes a city-scale extent into a dot
    half = max(45.0, 2.5 * max(w, h))
    ix0, ix1 = max(cx - half, -180.0), min(cx + half, 180.0)
    iy0, iy1 = max(cy - half * 0.6, -60.0), min(cy + half * 0.6, 85.0)
    inset.set_xlim(ix0, ix1)
    inset.set_ylim(iy0, iy1)
    inset.set_aspect(1 / max(math.cos(math.radians(cy)), 0.2), adjustable="box")
    inset.set_anchor({"lower left": "SW", "upper left": "NW", "lower right": "SE",
                      "upper right": "NE"}[corner])
    inset.add_patch(Rectangle((bounds[0], bounds[1]), w, h, fill=False, edgecolor="#b2182b",
                              linewidth=1.2, zorder=5))
    inset.set_xticks([])
    inset.set_yticks([])
    for spine in inset.spines.values():
        spine.set_edgecolor("#777777")
        spine.set_linewidth(0.8)
    return inset


def _legend(ax, view: _View, font, bounds) -> None:
    """A compact key for what is actually drawn."""
    import pandas as pd
    from matplotlib.lines import Line2D

    zh = view.lang == "zh"
    handles = [Line2D([], [], marker="o", color=color, lw=2, markersize=7, label=name)
               for color, name in view.article_colors.values()]
    if view.stops and not handles:
        handles.append(Line2D([], [], marker="o", color=CERTAINTY_COLORS["reported"], lw=2,
                              markersize=8, label="已报道行程" if zh else "reported route"))
    certs = {leg.certainty for leg, _ in view.hypothetical}
    certs |= set(view.points.loc[view.points["kind"] == "event", "certainty"])
    # with one colour per article, the style alone tells the certainty: its key is grey
    grey = "#555555" if view.article_colors else None
    for cert in ("expected", "speculated"):
        if cert in certs:
            handles.append(Line2D([], [], marker="o", markerfacecolor="white",
                                  color=grey or CERTAINTY_COLORS[cert], lw=1.4, ls=_LEG_STYLES[cert],
                                  label=word("certainty", cert, "zh" if zh else "en")))
    if any(s.movement == "toward" for s in view.stops):
        handles.append(Line2D([], [], color=grey or CERTAINTY_COLORS["reported"], lw=1.6,
                              ls=_TOWARD_STYLE,
                              label="驶向（未到达）" if zh else "heading toward"))
    pts = view.points[~view.points["hidden"] & ~view.points["on_route"]]
    pts = pts[pd.Series([_inside(x, y, bounds) for x, y in zip(pts["x"], pts["y"], strict=True)],
                        index=pts.index, dtype=bool)]
    if (pts["kind"].isin(["mention", "place"]) & (pts["role"] != "metonymic")).any():
        handles.append(Line2D([], [], marker="o", color=MENTION_COLOR, lw=0, markersize=5,
                              label="提及地点" if zh else "place mentioned"))
    if view.visible_countries & set(view.points.loc[
            (view.points["feature"] == "country") & ~view.points["hidden"]
            & (view.points["role"] != "metonymic"), "country_code"].dropna()):
        from matplotlib.patches import Patch

        handles.append(Patch(facecolor=NAMED_COUNTRY_COLOR, edgecolor=BORDER_COLOR,
                             label="提及的国家" if zh else "country named"))
    if (pts["role"] == "metonymic").any():
        handles.append(Line2D([], [], marker="o", color=METONYM_COLOR, lw=0, markersize=5,
                              label="借代（政府等）" if zh else "metonym (government etc.)"))
    if handles:
        small = font.copy()
        small.set_size(8)
        loc = view.free_corners[0] if view.free_corners else "best"
        leg = ax.legend(handles=handles, loc=loc, prop=small, framealpha=0.85)
        leg.set_gid("legend")


def _off_map_note(ax, view: _View, bounds, font, inset=None) -> None:
    """Name the literal places that fall outside the extent, so nothing silently disappears."""
    import pandas as pd

    pts = view.points
    inside = pd.Series([_inside(x, y, bounds) for x, y in zip(pts["x"], pts["y"], strict=True)],
                       index=pts.index, dtype=bool)
    off = pts[~pts["hidden"] & (pts["role"] != "metonymic") & ~inside
              # a country whose land is on the map is not "off" it, wherever its centroid is
              & ~(pts["feature"].isin(AREA_FEATURES)
                  & pts["country_code"].isin(view.visible_countries))]
    if off.empty:
        return
    names = list(dict.fromkeys(off["label"]))
    more = len(names) - 6
    text = ("图外：" if view.lang == "zh" else "Off map: ") + ", ".join(names[:6])
    if more > 0:
        text += f" (+{more})"
    right = inset is None or inset.get_anchor() not in ("SE",)
    ax.text(0.99 if right else 0.01, 0.01, text, transform=ax.transAxes,
            ha="right" if right else "left", va="bottom", fontsize=7,
            color="#555555", fontproperties=font, gid="off-map", zorder=10,
            bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.75))


def _setup_axes(ax, bounds) -> None:
    cy = (bounds[1] + bounds[3]) / 2
    ax.set_xlim(bounds[0], bounds[2])
    ax.set_ylim(bounds[1], bounds[3])
    ax.set_aspect(1 / max(math.cos(math.radians(cy)), 0.2), adjustable="box")
    ax.tick_params(labelsize=7, colors="#777777")
    ax.xaxis.set_major_formatter(_degree_formatter("E", "W"))
    ax.yaxis.set_major_formatter(_degree_formatter("N", "S"))
    for spine in ax.spines.values():
        spine.set_edgecolor("#999999")


def _degree_formatter(pos: str, neg: str):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _: f"{abs(v):g}°{pos if v >= 0 else neg}")


@dataclass
class _Drawn:
    """What ``_draw_map`` drew, so the animation can reveal it step by step."""

    view: _View
    bounds: tuple[float, float, float, float]
    stop_artists: list[list[Any]]
    leg_artists: list[Any]
    hypothetical_artists: list[Any]
    font: Any


def _draw_hypothetical(ax, view: _View, jobs: list, bounds) -> list[Any]:
    """Draw the expected/speculated legs and add their destinations to the label ``jobs``."""
    hyp_artists = []
    for leg, idx in view.hypothetical:
        hyp_artists.append(_draw_leg(ax, leg, "leg"))
        row = view.points.loc[idx]
        if not any(j[5] == idx for j in jobs) and _inside(row["x"], row["y"], bounds):
            style = _marker_style(row["feature"], row["certainty"], row["role"], "event")
            jobs.append((ax.scatter([row["x"]], [row["y"]], gid="place", **style), row["label"],
                         row["x"], row["y"], "place-label", idx))
    return hyp_artists


def _stop_groups(view: _View, bounds) -> list[list[int]]:
    """Runs of consecutive stops of one article at one spot on this map's scale."""
    # consecutive stops at one spot on this map's scale (the airport, then the city) share a
    # disc numbered "1–2" and a two-line label, and no arrow is drawn between them
    near = 0.02 * max(bounds[2] - bounds[0], bounds[3] - bounds[1])
    groups: list[list[int]] = []
    for i, stop in enumerate(view.stops):
        prev = view.stops[groups[-1][-1]] if groups else None
        if (prev is not None and prev.article == stop.article
                and abs(prev.x - stop.x) <= near and abs(prev.y - stop.y) <= near):
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _draw_stop_groups(ax, view: _View, groups: list[list[int]], font) -> tuple[list[list[Any]], list]:
    """Draw one numbered disc per stop group; return its artists and its label jobs."""
    stop_artists: list[list[Any]] = [[] for _ in view.stops]
    stop_jobs = []
    for group in groups:
        first = view.stops[group[0]]
        nums = [view.stops[i].number or i + 1 for i in group]
        number = str(nums[0]) if len(group) == 1 else f"{nums[0]}–{nums[-1]}"
        stop_artists[group[0]] = list(_draw_stop(ax, number, first, font))
        text = (_stop_text(first, view.lang) if len(group) == 1 else "\n".join(
            f"{n}  {_stop_text(view.stops[i], view.lang)}" for n, i in zip(nums, group, strict=True)))
        stop_jobs.append((None, text, first.x, first.y, "stop-label", 9.5, "#222222", "normal"))
    return stop_artists, stop_jobs


def _label_obstacles(ax, view: _View, jobs: list, ax_inset) -> list:
    """Boxes the labels must dodge: markers, the route's arrows, the inset, legend and notes."""
    obstacles = _marker_boxes(ax, [(s.x, s.y) for s in view.stops], 9.0)
    obstacles += _marker_boxes(ax, [(j[2], j[3]) for j in jobs], 5.0)
    # keep labels off the route's arrows too (sampled along each leg's chord)
    leg_points = [(leg.x0 + (leg.x1 - leg.x0) * t / 10, leg.y0 + (leg.y1 - leg.y0) * t / 10)
                  for leg in [*view.legs, *(h for h, _ in view.hypothetical)] for t in range(2, 9)]
    obstacles += _marker_boxes(ax, leg_points, 3.0)
    fig = ax.figure
    try:
        renderer = fig.canvas.get_renderer()
        if ax_inset is not None:
            obstacles.append(ax_inset.get_window_extent(renderer))
        if ax.get_legend() is not None:
            obstacles.append(ax.get_legend().get_window_extent(renderer))
        obstacles += [t.get_window_extent(renderer) for t in ax.texts
                      if t.get_gid() in ("country-label", "off-map")]
    except AttributeError:
        pass
    return obstacles


def _place_label_jobs(view: _View, jobs: list) -> list:
    """The place label jobs with their size and colour (mentions and metonyms smaller)."""
    place_jobs = []
    for art, text, x, y, gid, idx in jobs:
        row = view.points.loc[idx]
        grey = row["role"] == "metonymic"
        mention = row["kind"] in ("mention", "place")
        color = METONYM_COLOR if grey else "#444444" if mention else CERTAINTY_COLORS.get(
            row["certainty"], "#222222")
        place_jobs.append((art, text, x, y, gid, 7.5 if mention or grey else 8.5, color, "normal"))
    return place_jobs


def _draw_map(ax, obj, *, labels, route, metonyms, inset, basemap, title, legend,
              view: _View | None = None) -> _Drawn:
    """Draw the whole map on ``ax``; shared by :func:`plot_map` and :func:`animate_route`."""
    from analysis.views import basemap as _basemap

    view = view if view is not None else _build_view(obj, labels, metonyms, route)
    font = _basemap.label_font(view.lang)
    bounds = _extent(view)
    _setup_axes(ax, bounds)
    if basemap:
        _draw_basemap(ax, bounds, view, font)
    _setup_axes(ax, bounds)  # geopandas' plot resets limits and aspect
    jobs = _draw_points(ax, view, bounds)
    hyp_artists = _draw_hypothetical(ax, view, jobs, bounds)
    groups = _stop_groups(view, bounds)
    merged = {i for g in groups for i in g[1:]}
    leg_artists = [None if leg.to in merged else _draw_leg(ax, leg) for leg in view.legs]
    stop_artists, stop_jobs = _draw_stop_groups(ax, view, groups, font)

    wide = bounds[2] - bounds[0] > 90  # a map this wide is its own context
    ax_inset = _draw_inset(ax, bounds, view) if inset and not wide else None
    if legend:
        _legend(ax, view, font, bounds)
    _off_map_note(ax, view, bounds, font, ax_inset)
    if title:
        ax.set_title(title, fontproperties=font, fontsize=12)

    # labels last, so they can dodge everything else
    obstacles = _label_obstacles(ax, view, jobs, ax_inset)
    place_jobs = _place_label_jobs(view, jobs)
    stop_texts = _place_labels(ax, stop_jobs, font, obstacles)
    _place_labels(ax, place_jobs, font, obstacles, [t.get_window_extent() for t in stop_texts])
    for group, text in zip(groups, stop_texts, strict=True):
        stop_artists[group[0]].append(text)
    return _Drawn(view, bounds, stop_artists, leg_artists, hyp_artists, font)


# ----------------------------------------------------------------------------- public API
def plot_map(
    frame,
    *,
    ax: Axes | None = None,
    labels: S.Labels = "auto",
    route: bool = True,
    metonyms: S.Metonyms = "hide",
    inset: bool = True,
    basemap: bool = True,
    legend: bool = True,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
    titles: dict[str, str] | None = None,
) -> Axes:
    """Map the places of a places frame, a timeline frame or a Route.

    Country borders come from Natural Earth (offline). The extent fits the route (or the places)
    with a margin and a minimum span; a small inset shows where that is in the world. Route
    stops are numbered discs labelled with their date, legs are arrows (reported solid, expected
    dashed, speculated dotted, "heading toward" dash-dot); expected or speculated destinations
    leave from their article's last reported stop. Several articles get one colour each, named
    in the legend. No label covers another (a place label with no free spot is left out). Markers follow the place's feature (cities round, stations square,
    spaceports and bases triangular, countries as a tint) and certainty (expected and speculated
    hollow, negated crossed). Literal places outside the extent are named in a corner note.

    Parameters
    ----------
    frame : GeoDataFrame or Route
        From :func:`analysis.find_places`, :func:`analysis.build_timeline` or
        :func:`analysis.route`. Needs ``latitude``/``longitude`` (or a point ``geometry``).
    ax : matplotlib Axes, optional
        Where to draw; a new figure of ``figsize`` when omitted.
    labels : {"auto", "zh", "en"}
        Label language; ``"auto"`` follows the frame's ``lang`` column, else the script of the
        surface forms. Chinese labels use ``name_zh`` and fall back to the surface form.
    route : bool
        Draw the route of a timeline (``analysis.route``, one per article).
    metonyms : {"hide", "grey"}
        Leave metonymic mentions (Moscow for the Russian government) off the map, or grey them.
    inset, basemap, legend : bool
        Toggle the world inset, the country borders and the legend.
    title : str, optional
        Axes title.
    figsize : (float, float), optional
        Size of the new figure when ``ax`` is omitted; by default 8 inches wide and as tall as
        the extent's shape needs.
    titles : dict, optional
        ``article_id -> title`` for the legend of a map of several articles (default: a
        ``title`` column if the frame has one, else the article ids).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import analysis as an
    >>> articles = an.load_articles("data/articles")          # doctest: +SKIP
    >>> ax = an.plot_map(an.build_timeline(articles), labels="zh")  # doctest: +SKIP
    """
    if titles and hasattr(frame, "columns") and S.ARTICLE_ID in frame.columns:
        frame = frame.assign(**{S.TITLE: frame[S.ARTICLE_ID].map(titles)})
    view = _build_view(frame, labels, metonyms, route)
    if ax is None:
        import matplotlib.pyplot as plt

        if figsize is None:  # as tall as the extent needs: a world map is not a tall figure
            x0, y0, x1, y1 = _extent(view)
            coslat = max(math.cos(math.radians((y0 + y1) / 2)), 0.2)
            ratio = (y1 - y0) / max((x1 - x0) * coslat, 1e-9)
            figsize = (8.0, min(max(7.2 * ratio + 0.9, 3.5), 9.5))
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    _draw_map(ax, frame, labels=labels, route=route, metonyms=metonyms, inset=inset,
              basemap=basemap, title=title, legend=legend, view=view)
    return ax


def plot_timeline(
    timeline,
    *,
    ax: Axes | None = None,
    labels: S.Labels = "auto",
    metonyms: S.Metonyms = "hide",
    mentions: bool | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Events on a time axis: one row per place, grouped by article.

    An event is a point when its time is a day or finer and a bar from ``time_start`` to
    ``time_end`` when it is coarser (a month, a year). Colour and fill give the certainty
    (reported solid, expected hollow, speculated dotted, negated crossed); the movement is
    written beside each event. Events without a time are left out (and logged).

    Parameters
    ----------
    timeline : GeoDataFrame
        From :func:`analysis.build_timeline` (``time_start``, ``time_end`` and the place columns).
    ax : matplotlib Axes, optional
    labels : {"auto", "zh", "en"}
        Language of the place names and movement words.
    metonyms : {"hide", "grey"}
        Leave metonymic mentions out, or draw them in grey.
    mentions : bool, optional
        Draw places that are only talked about (``movement == "mention"``). By default they are
        left out when the timeline has any travel event, so the journey is what one sees.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import analysis as an
    >>> ax = an.plot_timeline(an.build_timeline(an.load_articles("data/articles")))  # doctest: +SKIP
    """
    import pandas as pd

    from analysis.views import basemap as _basemap

    if not isinstance(timeline, pd.DataFrame):
        raise TypeError(f"plot_timeline expects the frame from analysis.build_timeline, got "
                        f"{type(timeline).__name__}")
    _require(timeline, [S.TIME_START], "the timeline")
    if metonyms not in get_args(S.Metonyms):
        raise ValueError(f"metonyms must be 'hide' or 'grey', got {metonyms!r}")
    lang = resolve_lang(labels, [timeline])
    font = _basemap.label_font(lang)
    frame = _timeline_events(timeline, lang, metonyms, mentions)
    lanes, multi, lane_of, label_of = _timeline_lanes(frame)

    if ax is None:
        import matplotlib.pyplot as plt

        height = figsize[1] if figsize else min(max(1.6 + 0.42 * len(lanes), 3.0), 14.0)
        _, ax = plt.subplots(figsize=(figsize[0] if figsize else 9.0, height), layout="constrained")
    if frame.empty:
        ax.text(0.5, 0.5, "没有带时间的事件" if lang == "zh" else "no dated events", ha="center",
                va="center", transform=ax.transAxes, fontproperties=font)
        ax.set_yticks([])
        return ax

    lo, hi = _time_window(frame)
    outside: dict[int, list] = {}
    for d in frame.to_dict("records"):
        y = len(lanes) - 1 - lane_of[(d["lane_article"], d["lane_key"])]
        if d[S.TIME_END] <= lo or d[S.TIME_START] >= hi:  # another period: note it at the edge instead
            outside.setdefault(y, []).append((d[S.TIME_START], d))
            continue
        _draw_event(ax, d, y, lang, font)
    _lane_axis(ax, lanes, multi, label_of, font)
    ax.set_xlim(lo, hi)
    _outside_notes(ax, outside, lo, font)
    _finish_time_axis(ax, frame, lang, font)
    return ax


def _timeline_events(timeline, lang: str, metonyms: str, mentions: bool | None):
    """The events to draw, with their lane columns, merged per place and span, in day order."""
    import pandas as pd

    frame = timeline.copy()
    if metonyms == "hide" and S.ROLE in frame.columns:
        frame = frame[frame[S.ROLE].fillna("literal") != "metonymic"]
    frame[S.TIME_START] = pd.to_datetime(frame[S.TIME_START], errors="coerce")
    end = frame[S.TIME_END] if S.TIME_END in frame.columns else frame[S.TIME_START]
    frame[S.TIME_END] = pd.to_datetime(end, errors="coerce").fillna(frame[S.TIME_START])
    missing = int(frame[S.TIME_START].isna().sum())
    if missing:
        logger.info("plot_timeline: %d event(s) without a time left out", missing)
    frame = frame[frame[S.TIME_START].notna()]
    if S.MOVEMENT in frame.columns:
        is_mention = frame[S.MOVEMENT].fillna("mention") == "mention"
        if mentions is None:
            mentions = bool(is_mention.all())
        if not mentions:
            frame = frame[~is_mention]

    names = [place_label(a, b, c, lang) for a, b, c in zip(
        column(frame, S.NAME), column(frame, S.NAME_ZH), column(frame, S.SURFACE), strict=True)]
    frame = frame.assign(
        lane_label=names,
        lane_article=column(frame, S.ARTICLE_ID, ""),
        lane_key=[p or n for p, n in zip(column(frame, S.PLACE_ID), names, strict=True)],
        day=frame[S.TIME_START].dt.normalize(),
    )
    # build_timeline's rows are chronological (its own tie-breaks within a day): keep that order
    frame = frame.sort_values("day", kind="stable")
    # one mark per place and time span: several events there (enter, then depart) share it
    return _merge_events(frame, lang)


def _timeline_lanes(frame) -> tuple[list, bool, dict, dict]:
    """The lanes (article, place key) in order, whether there are several articles, and lookups."""
    lanes = list(dict.fromkeys(zip(frame["lane_article"], frame["lane_key"], strict=True)))
    multi = len({a for a, _ in lanes}) > 1
    if multi:  # group lanes by article, articles in order of their first event
        order = list(dict.fromkeys(a for a, _ in lanes))
        lanes.sort(key=lambda k: order.index(k[0]))
    lane_of = {k: i for i, k in enumerate(lanes)}
    label_of = dict(zip(zip(frame["lane_article"], frame["lane_key"], strict=True),
                        frame["lane_label"], strict=False))
    return lanes, multi, lane_of, label_of


def _event_color(cert: str, move, role: str) -> str:
    """The event's colour: its certainty's, grey for a mention or a metonym."""
    color = CERTAINTY_COLORS.get(cert, CERTAINTY_COLORS["reported"])
    if move == "mention":
        color = MENTION_COLOR
    if role == "metonymic":
        color = METONYM_COLOR
    return color


def _draw_event(ax, d: dict, y: int, lang: str, font) -> None:
    """One event on its lane: a bar when longer than a day, else a point; its movement word above."""
    import matplotlib.dates as mdates
    import pandas as pd

    cert = d.get(S.CERTAINTY) or "reported"
    move = None if is_missing(d.get(S.MOVEMENT)) else d.get(S.MOVEMENT)
    color = _event_color(cert, move, d.get(S.ROLE) or "literal")
    start, stop = d[S.TIME_START], d[S.TIME_END]
    assumed = d.get(S.TIME_SOURCE) == "published"
    alpha = 0.45 if assumed else 1.0
    mid = start + (stop - start) / 2
    if stop - start > pd.Timedelta(days=1):
        ls = "-" if cert == "reported" else _LEG_STYLES.get(cert, "-")
        ax.plot([start, stop], [y, y], color=color, lw=7 if cert == "reported" else 2.5, ls=ls,
                alpha=0.5 * alpha if cert == "reported" else alpha, solid_capstyle="butt",
                gid="event", zorder=3)
    else:
        if stop > start:  # the day (or part of it) the point stands for
            ax.plot([start, stop], [y, y], color=color, lw=1, alpha=0.35 * alpha, zorder=2)
        kw = dict(s=60, zorder=4, gid="event", linewidths=1.4, alpha=alpha)
        if cert == "negated":
            ax.scatter([mid], [y], marker="X", c=color, **kw)
        elif cert in ("expected", "speculated"):
            ax.scatter([mid], [y], marker="o", facecolors="white", edgecolors=color,
                       linestyles=(0, (1.5, 1.5)) if cert == "speculated" else "solid", **kw)
        else:
            ax.scatter([mid], [y], marker="o", c=color, **kw)
    if move:
        word = d["merged_label"]
        if assumed:
            word += "（日期未明）" if lang == "zh" else " (date assumed)"
        ax.annotate(word, (mdates.date2num(mid), y), xytext=(0, 7), textcoords="offset points",
                    ha="center", va="bottom", fontsize=7, color=color, fontproperties=font,
                    gid="event-label", alpha=max(alpha, 0.7))


def _lane_axis(ax, lanes: list, multi: bool, label_of: dict, font) -> None:
    """Name the lanes on the y axis; rule a line between articles when there are several."""
    ticks = list(range(len(lanes)))
    ax.set_yticks(ticks)
    ticklabels = []
    for a, k in reversed(lanes):
        text = label_of[(a, k)]
        ticklabels.append(f"{text}  [{a}]" if multi and len(str(a)) <= 24 else text)
    ax.set_yticklabels(ticklabels, fontproperties=font, fontsize=8.5)
    ax.set_ylim(-0.7, len(lanes) - 0.3)
    if multi:
        prev = None
        for i, (a, _) in enumerate(lanes):
            if prev is not None and a != prev:
                ax.axhline(len(lanes) - i - 0.5, color="#cccccc", lw=0.8)
            prev = a


def _outside_notes(ax, outside: dict, lo, font) -> None:
    """At the edge of each lane, the date of its first event outside the window (◀ or ▶)."""
    for y, items in outside.items():
        for when, d in items[:1]:
            left = when < lo
            gran = d.get(S.GRANULARITY) or "day"
            fmt = ("%Y" if gran in ("century", "decade", "year") else
                   "%Y-%m" if gran in ("half", "quarter", "season", "month") else "%Y-%m-%d")
            text = (f"◀ {when:{fmt}}" if left else f"{when:{fmt}} ▶")
            ax.annotate(text, (0.0 if left else 1.0, y), xycoords=("axes fraction", "data"),
                        xytext=(3 if left else -3, 0), textcoords="offset points",
                        ha="left" if left else "right", va="center", fontsize=7,
                        color="#666666", fontproperties=font, gid="event-outside")


def _finish_time_axis(ax, frame, lang: str, font) -> None:
    """Date ticks, the certainty key, the grid and the spines of the timeline."""
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    for t in ax.get_xticklabels():
        t.set_fontproperties(font)
    _timeline_legend(ax, frame, lang, font)
    ax.grid(axis="x", color="#e5e5e5", lw=0.7)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _timeline_legend(ax, frame, lang: str, font) -> None:
    """A key to the certainty styles, outside the plot, when more than one is drawn."""
    from matplotlib.lines import Line2D

    certs = set(frame[S.CERTAINTY].dropna()) if S.CERTAINTY in frame.columns else set()
    if len(certs) < 2:
        return
    zh = lang == "zh"
    handles = []
    for cert in S.CERTAINTIES:
        if cert not in certs:
            continue
        color = CERTAINTY_COLORS[cert]
        style = dict(marker="X" if cert == "negated" else "o", color=color, lw=0,
                     markersize=7, markerfacecolor="white" if cert in ("expected", "speculated")
                     else color)
        handles.append(Line2D([], [], label=word("certainty", cert, "zh" if zh else "en"), **style))
    small = font.copy()
    small.set_size(8)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), prop=small,
              frameon=False)


def _event_word(move, cert, lang: str) -> str:
    """"抵达（预计）" / "arrive (expected)": the movement and, unless reported, the certainty."""
    text = word("movement", move, lang) if lang == "zh" else move
    if cert and cert != "reported":
        text += f"（{word('certainty', cert, lang)}）" if lang == "zh" else f" ({cert})"
    return text


def _merge_events(frame, lang: str):
    """One row per (article, place, time span): the most telling event, its label listing all."""
    if frame.empty:
        return frame.assign(merged_label=[])
    moves = column(frame, S.MOVEMENT)
    certs = [c or "reported" for c in column(frame, S.CERTAINTY)]
    frame = frame.assign(
        merged_key=[f"{a}|{k}|{t0}|{t1}" for a, k, t0, t1 in zip(
            frame["lane_article"], frame["lane_key"], frame[S.TIME_START], frame[S.TIME_END],
            strict=True)],
        merged_word=[_event_word(m, c, lang) if m else "" for m, c in zip(moves, certs, strict=True)],
        merged_rank=[(m in (None, "mention"), _CERTAINTY_RANK.get(c, 9))
                     for m, c in zip(moves, certs, strict=True)],
    )
    labels = {}
    for key, words in frame.groupby("merged_key", sort=False)["merged_word"]:
        distinct = list(dict.fromkeys(w for w in words if w))
        if len(distinct) > 1:  # "mention" adds nothing beside a movement
            distinct = [w for w in distinct if w not in ("提及", "mention")]
        labels[key] = " · ".join(distinct[:3]) + (" …" if len(distinct) > 3 else "")
    best = (frame.assign(order=range(len(frame)))
            .sort_values(["merged_rank", "order"], kind="stable")
            .drop_duplicates("merged_key").sort_values("order"))
    return best.assign(merged_label=best["merged_key"].map(labels)).drop(
        columns=["merged_word", "merged_rank", "order"])


def _time_window(frame):
    """The x-range: the biggest cluster of events (gaps under 60 days), padded.

    A story about this week that recalls a 2019 visit would otherwise squeeze this week into a
    pixel; events outside the window are noted at the axis edge instead.
    """
    import pandas as pd

    starts = frame[S.TIME_START].sort_values()
    cluster = (starts.diff() > pd.Timedelta(days=60)).cumsum()
    sizes = cluster.value_counts()
    best = max(sizes.index, key=lambda c: (sizes[c], c))
    members = frame.loc[cluster[cluster == best].index]
    lo, hi = members[S.TIME_START].min(), members[S.TIME_END].max()
    pad = max((hi - lo) * 0.06, pd.Timedelta(hours=6))
    return lo - pad, hi + pad


_FA_LINK = re.compile(r"<link\b[^>]*font-?awesome[^>]*>", re.IGNORECASE)
# matplotlib's player draws its buttons with Font Awesome from a CDN; these glyphs stand in
# offline (and win over Font Awesome where a page does load it, so the look is the same)
_PLAYER_CSS = """<style>
.animation i.fa{font-style:normal;font-family:inherit;display:inline-block;min-width:1em}
.animation i.fa.fa-flip-horizontal{transform:none}
.animation .fa-minus::before{content:"\\2212"}
.animation .fa-plus::before{content:"+"}
.animation .fa-fast-backward::before{content:"\\21E4"}
.animation .fa-step-backward::before{content:"\\25C1"}
.animation .fa-play.fa-flip-horizontal::before{content:"\\25C0"}
.animation .fa-pause::before{content:"\\2016"}
.animation .fa-play::before{content:"\\25B6"}
.animation .fa-step-forward::before{content:"\\25B7"}
.animation .fa-fast-forward::before{content:"\\21E5"}
</style>
"""


@functools.lru_cache(maxsize=1)
def _player_class():
    """A FuncAnimation whose HTML player needs nothing from the network."""
    from matplotlib.animation import FuncAnimation

    class RoutePlayer(FuncAnimation):
        """``FuncAnimation`` with a self-contained ``to_jshtml`` (no CDN stylesheet)."""

        def to_jshtml(self, fps=None, embed_frames=True, default_mode=None):
            html = super().to_jshtml(fps=fps, embed_frames=embed_frames, default_mode=default_mode)
            return _PLAYER_CSS + _FA_LINK.sub("", html)

        def _repr_html_(self):
            # a notebook cell ending in animate_route(...) shows the player
            return self.to_jshtml()

    return RoutePlayer


def animate_route(
    timeline,
    *,
    interval: int = 800,
    labels: S.Labels = "auto",
    metonyms: S.Metonyms = "hide",
    figsize: tuple[float, float] = (7.5, 6.5),
) -> FuncAnimation:
    """The route drawn leg by leg: one frame per stop, the stop's date in the title.

    The figure is closed after the animation is built, so a notebook shows only the player;
    ``.to_jshtml()`` still renders every frame into one self-contained HTML snippet (PNG frames
    inlined, no external scripts).

    Parameters
    ----------
    timeline : GeoDataFrame or Route
        From :func:`analysis.build_timeline` or :func:`analysis.route`.
    interval : int
        Milliseconds between frames.
    labels : {"auto", "zh", "en"}

    Returns
    -------
    matplotlib.animation.FuncAnimation

    Examples
    --------
    >>> import analysis as an
    >>> anim = an.animate_route(an.build_timeline(an.load_articles("data/articles")))  # doctest: +SKIP
    >>> html = anim.to_jshtml()  # doctest: +SKIP
    """
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    drawn = _draw_map(ax, timeline, labels=labels, route=True, metonyms=metonyms, inset=True,
                      basemap=True, title=None, legend=True)
    stops = drawn.view.stops
    if not stops:
        raise ValueError(
            "animate_route needs at least one reported travel stop with coordinates; "
            "this timeline has none (check build_timeline's movement/certainty columns)"
        )
    zh = drawn.view.lang == "zh"
    title = ax.set_title("", fontproperties=drawn.font, fontsize=11)
    for art in drawn.hypothetical_artists:
        art.set_visible(False)

    def update(i: int):
        for j, artists in enumerate(drawn.stop_artists):
            for a in artists:
                a.set_visible(j <= i)
        for leg, arrow in zip(drawn.view.legs, drawn.leg_artists, strict=True):
            if arrow is not None:
                arrow.set_visible(leg.to <= i)
        last = i == len(stops) - 1
        for art in drawn.hypothetical_artists:
            art.set_visible(last)
        stop = stops[i]
        head = f"{i + 1}/{len(stops)}  {stop.label}"
        if stop.date:
            head += f" — {stop.date}"
        title.set_text(("路线  " if zh else "Route  ") + head)
        return []

    update(0)
    anim = _player_class()(fig, update, frames=len(stops), interval=interval, blit=False,
                           repeat=True)
    plt.close(fig)  # a Figure made without pyplot is not tracked; close is a harmless no-op
    return anim
