"""The route a timeline traces: reported stops in order and the legs between them."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from analysis import schema as S
from analysis.timex.format import format_when

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd


class Route:
    """The reported travel stops of one article in chronological order, and the legs between them.

    Build it with :func:`route`. A stop is a place the text reports the traveller at, through,
    out of or heading to (``certainty == "reported"``, ``movement != "mention"``); consecutive
    events at one place merge into one stop whose ``movement`` lists them in order.

    Attributes
    ----------
    article_id : str or None
        The article the route comes from.
    stops : geopandas.GeoDataFrame
        One row per stop, columns :data:`analysis.schema.ROUTE_STOP_COLUMNS`.
    legs : geopandas.GeoDataFrame
        One LineString per pair of consecutive stops, columns :data:`analysis.schema.LEG_COLUMNS`
        (``from``, ``to``, ``start``, ``end``, ``movement`` at the leg's end, ``certainty``).
    expected : geopandas.GeoDataFrame
        The timeline rows of places the text expects or plans to reach that no reported stop
        reaches (one per place), kept apart from the stops.
    """

    def __init__(self, stops: gpd.GeoDataFrame, article_id: str | None = None,
                 expected: gpd.GeoDataFrame | None = None) -> None:
        self.article_id = article_id
        self.stops = stops
        self.legs = _legs(stops)
        #: planned or expected destinations no article reports reached (timeline rows), apart
        self.expected = expected if expected is not None else stops.iloc[0:0]

    def __len__(self) -> int:
        return len(self.stops)

    def __repr__(self) -> str:
        names = " → ".join(str(n) for n in self.stops[S.NAME].fillna(self.stops[S.SURFACE]))
        return f"Route({self.article_id!r}, {len(self)} stops: {names})"

    def to_geodataframe(self, what: str = "legs") -> gpd.GeoDataFrame:
        """Return the legs (LineStrings, the default) or the stops (points) as a new GeoDataFrame.

        Parameters
        ----------
        what : {"legs", "stops"}
            Which geometry to return: the route's lines, or its stops with times and evidence.

        Returns
        -------
        geopandas.GeoDataFrame
            A copy, EPSG:4326, ready for ``explore()`` or ``to_file()``.

        Examples
        --------
        >>> import analysis as an
        >>> r = an.route(an.build_timeline(an.load_articles("data/articles")))
        >>> r.to_geodataframe().geom_type.unique().tolist()  # doctest: +SKIP
        ['LineString']
        """
        if what == "stops":
            return self.stops.copy()
        if what == "legs":
            return self.legs.copy()
        raise ValueError(f"what must be 'stops' or 'legs', not {what!r}")

    def _repr_html_(self) -> str:
        esc = html.escape
        st = self.stops
        many = _story_sources(st)
        title = f"Route of {esc(str(self.article_id))}" if self.article_id else "Route"
        if many:
            title = f"Route told by {len(many)} articles"
        if len(st) == 0:
            return f"<div><strong>{title}</strong>: no reported travel stops</div>"
        days = st[S.TIME_START].dropna()
        span = ""
        if len(days):
            a, b = days.min().date(), days.max().date()
            span = f", {a}" + (f" to {b}" if b != a else "")
        rows = []
        for r in st.itertuples(index=False):
            name = getattr(r, S.NAME)
            name = name if isinstance(name, str) else getattr(r, S.SURFACE)
            zh = getattr(r, S.NAME_ZH)
            label = esc(str(name)) + (f" <span style='color:#666'>{esc(zh)}</span>"
                                      if isinstance(zh, str) and zh != name else "")
            when = format_when(getattr(r, S.TIME_START), getattr(r, S.TIME_END),
                               getattr(r, S.GRANULARITY))
            tt = getattr(r, S.TIME_TEXT)
            src = getattr(r, S.TIME_SOURCE)
            when_note = esc(tt) if isinstance(tt, str) else ""
            if isinstance(src, str) and src != "expression":
                when_note += f" <em>({esc(src)})</em>"
            ev = getattr(r, S.EVIDENCE)
            ev = ev if isinstance(ev, str) else ""
            short = ev if len(ev) <= 60 else ev[:59] + "…"
            td = "<td style='padding:2px 6px;text-align:left;vertical-align:top"
            cells = ""
            if many:
                srcs = _as_list(getattr(r, S.SOURCES))
                conflict = getattr(r, S.CONFLICT)
                cells = (f"{td}'>" + "<br>".join(esc(str(a)) for a in srcs)
                         + (f" <em style='color:#c0392b'>(disagree: {esc(conflict)})</em>"
                            if isinstance(conflict, str) else "") + "</td>")
            rows.append(
                f"<tr>{td}'>{getattr(r, S.STOP)}</td>{td}'>{label}</td>"
                f"{td};white-space:nowrap'>{esc(str(getattr(r, S.MOVEMENT)))}</td>"
                f"{td};white-space:nowrap'>{esc(when)}</td>{td}'>{when_note}</td>"
                f"{td};max-width:28em' title='{esc(ev, quote=True)}'>{esc(short)}</td>"
                f"{cells}</tr>"
            )
        th = "<th style='padding:2px 6px;text-align:left'>"
        table = (
            "<table style='border-collapse:collapse;font-size:12px;margin-top:4px'><thead><tr>"
            + "".join(f"{th}{h}</th>" for h in ("#", "place", "movement", "date", "time text",
                                                  "evidence") + (("sources",) if many else ()))
            + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        )
        return (
            f"<div style='display:flex;gap:12px;align-items:flex-start'>"
            f"<div><strong>{title}</strong>: {len(st)} stops{esc(span)}{table}</div>"
            f"{self._svg()}</div>"
        )

    def _svg(self, width: int = 240, height: int = 180, pad: int = 18) -> str:
        """A small inline SVG sketch of the stops and legs (equirectangular)."""
        import math

        st = self.stops.dropna(subset=[S.LATITUDE, S.LONGITUDE])
        if len(st) == 0:
            return ""
        lat, lon = st[S.LATITUDE].to_numpy(float), st[S.LONGITUDE].to_numpy(float)
        k = math.cos(math.radians(float(lat.mean())))
        xs, ys = lon * k, -lat
        w = max(xs.max() - xs.min(), 1e-6)
        h = max(ys.max() - ys.min(), 1e-6)
        scale = min((width - 2 * pad) / w, (height - 2 * pad) / h)
        px = pad + (xs - xs.min()) * scale + ((width - 2 * pad) - w * scale) / 2
        py = pad + (ys - ys.min()) * scale + ((height - 2 * pad) - h * scale) / 2
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(px, py, strict=False))
        parts = [
            f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
            f"viewBox='0 0 {width} {height}' style='background:#f7f7f4;border:1px solid #ddd'>",
            f"<polyline points='{pts}' fill='none' stroke='#c0392b' stroke-width='2'/>",
        ]
        for i, (x, y, name) in enumerate(zip(px, py, st[S.NAME].fillna(st[S.SURFACE]), strict=False)):
            parts.append(
                f"<circle cx='{x:.1f}' cy='{y:.1f}' r='4' fill='#2c3e50'>"
                f"<title>{html.escape(str(name))}</title></circle>"
                f"<text x='{x + 6 if x < width * 0.6 else x - 6:.1f}' y='{y - 5:.1f}' font-size='10'"
                f" text-anchor='{'start' if x < width * 0.6 else 'end'}'>"
                f"{i + 1} {html.escape(str(name)[:14])}</text>"
            )
        parts.append("</svg>")
        return "".join(parts)


def _as_list(v) -> list:
    """A stop's ``sources`` as a list, however it was stored (list, numpy array, JSON text)."""
    import json

    if v is None:
        return []
    if isinstance(v, str):
        try:
            v = json.loads(v)
        except ValueError:
            return [v]
        return list(v) if isinstance(v, list) else [v]
    try:
        return [str(x) for x in v]
    except TypeError:  # a missing value
        return []


def _story_sources(stops) -> list:
    """The distinct articles behind a route's stops when there are several, else []."""
    if S.SOURCES not in stops.columns:
        return []
    ids = list(dict.fromkeys(a for v in stops[S.SOURCES] for a in _as_list(v)))
    return ids if len(ids) > 1 else []


def _legs(stops) -> gpd.GeoDataFrame:
    """LineStrings between consecutive stops with coordinates."""
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import LineString

    st = stops.dropna(subset=[S.LATITUDE, S.LONGITUDE]).reset_index(drop=True)
    rows, geoms = [], []
    for a, b in zip(st.itertuples(index=False), st.iloc[1:].itertuples(index=False), strict=False):
        rows.append({
            S.ARTICLE_ID: getattr(a, S.ARTICLE_ID),
            S.FROM: getattr(a, S.NAME) if isinstance(getattr(a, S.NAME), str) else getattr(a, S.SURFACE),
            S.TO: getattr(b, S.NAME) if isinstance(getattr(b, S.NAME), str) else getattr(b, S.SURFACE),
            S.FROM_PLACE_ID: getattr(a, S.PLACE_ID),
            S.TO_PLACE_ID: getattr(b, S.PLACE_ID),
            S.START: getattr(a, S.TIME_START),
            S.END: getattr(b, S.TIME_START),
            S.MOVEMENT: str(getattr(b, S.MOVEMENT)).split(", ")[-1],
            S.CERTAINTY: "reported",
        })
        geoms.append(LineString([(getattr(a, S.LONGITUDE), getattr(a, S.LATITUDE)),
                                 (getattr(b, S.LONGITUDE), getattr(b, S.LATITUDE))]))
    df = S.coerce(pd.DataFrame(rows), S.LEG_DTYPES) if rows else S.empty_frame(S.LEG_DTYPES)
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geoms, crs=S.CRS), crs=S.CRS)


def route(timeline: gpd.GeoDataFrame, *, article_id: str | None = None,
          actor: str | None = None) -> Route:
    """The reported travel route of one article, or of one story told by several.

    Parameters
    ----------
    timeline : geopandas.GeoDataFrame
        The frame :func:`build_timeline` returns (its chronological row order is kept), in memory
        or read back with ``read_corpus(out, "timeline")``.
    article_id : str, optional
        Keep one article's own route. When omitted and ``timeline`` holds several articles, their
        stops are merged into one route (:mod:`analysis.timeline.story`): one stop per place and
        time however many articles report it, with ``sources``, ``n_sources``,
        ``first_reported``, ``last_reported`` and ``conflict``.
    actor : str, optional
        Whose movements: by default the story's traveller (``actor`` NA); another value of the
        timeline's ``actor`` column (``"journalist"``) follows that actor instead.

    Returns
    -------
    Route
        ``stops`` (consecutive events at one place merged), ``legs`` (LineStrings) and an HTML
        view for notebooks.

    Examples
    --------
    >>> import analysis as an
    >>> tl = an.build_timeline(an.load_articles("data/articles"))
    >>> an.route(tl).stops.name.tolist()  # doctest: +SKIP
    ['Pyongyang', 'Khasan station', 'Ussuriysk', 'Khabarovsk']
    """
    import pandas as pd

    if not isinstance(timeline, pd.DataFrame):
        raise TypeError(f"timeline must be a DataFrame, not {type(timeline).__name__}; "
                        "pass analysis.build_timeline(articles)")
    missing = {S.ARTICLE_ID, S.MOVEMENT, S.CERTAINTY, S.LATITUDE, S.LONGITUDE} - set(timeline.columns)
    if missing:
        raise ValueError(f"timeline lacks column(s) {sorted(missing)}; pass build_timeline() output")
    ids = list(dict.fromkeys(timeline[S.ARTICLE_ID].dropna()))
    if S.ACTOR in timeline.columns:
        who = timeline[S.ACTOR]
        timeline = timeline[who.isna()] if actor is None else timeline[who == actor]
    elif actor is not None:
        raise ValueError("timeline has no 'actor' column; pass build_timeline() output")
    if article_id is not None and article_id not in ids:
        raise ValueError(f"article_id {article_id!r} is not in the timeline; it holds {ids[:5]}")
    if article_id is not None or len(ids) <= 1:
        article_id = article_id if article_id is not None else (ids[0] if ids else None)
        tl = timeline[timeline[S.ARTICLE_ID] == article_id] if article_id is not None else timeline
        return _route(_article_stops(tl, 0, background=False), article_id, _unreached(tl))
    from analysis.timeline.story import consolidate

    pooled: list[dict] = []
    for i, aid in enumerate(ids):
        pooled += _article_stops(timeline[timeline[S.ARTICLE_ID] == aid], i, background=True)
    return _route(consolidate(pooled), None, _unreached(timeline))


def _unreached(tl):
    """Expected movements to places no reported stop reaches: one row per place, first told."""
    rep = tl[(tl[S.CERTAINTY] == "reported") & (tl[S.MOVEMENT] != "mention")]
    reached = set(rep[S.PLACE_ID].dropna())
    exp = tl[(tl[S.CERTAINTY] == "expected") & (tl[S.MOVEMENT] != "mention")
             & ~tl[S.PLACE_ID].isin(reached)]
    if S.FEATURE in exp.columns:  # a country or continent planned is a scope, not a stop
        exp = exp[~exp[S.FEATURE].isin(["continent", "country", "region"])]
    return exp.drop_duplicates(subset=[S.PLACE_ID]).reset_index(drop=True)


def _article_stops(tl, order: int, *, background: bool) -> list[dict]:
    """One article's stops: its reported, non-mention events, consecutive ones at a place merged;
    undated background events ("此前…") only with ``background`` (a story merges them)."""
    import pandas as pd

    tl = tl[(tl[S.CERTAINTY] == "reported") & (tl[S.MOVEMENT] != "mention")]
    if not background and S.TIME_SOURCE in tl.columns:
        tl = tl[tl[S.TIME_SOURCE].fillna("") != "background"]
    stops: list[dict] = []
    for r in tl.itertuples(index=False):
        pid = getattr(r, S.PLACE_ID)
        key = pid if isinstance(pid, str) else getattr(r, S.SURFACE, None)
        off = getattr(r, S.OFFSET_KM, None)
        if off is not None and pd.notna(off):  # "50 km south of Miami" is not Miami
            key = (key, float(off), float(getattr(r, S.OFFSET_BEARING)))
        mv = getattr(r, S.MOVEMENT)
        if stops and stops[-1]["_key"] == key:
            last = stops[-1]
            if last[S.MOVEMENT].split(", ")[-1] != mv:
                last[S.MOVEMENT] += f", {mv}"
            te = getattr(r, S.TIME_END)
            # a stay over several days is dated by the arrival: time_end grows within its day only
            if (pd.notna(te) and pd.notna(last[S.TIME_START]) and (pd.isna(last[S.TIME_END])
                    or te > last[S.TIME_END])
                    and te <= pd.Timestamp(last[S.TIME_START]).normalize() + pd.Timedelta(days=1)):
                last[S.TIME_END] = te
            continue
        row = {c: getattr(r, c, None) for c in S.ROUTE_STOP_DTYPES if c != S.STOP}
        # plain None for missing scalars: pd.NA has no truth value in the story's comparisons
        row = {c: (None if v is pd.NA else v) for c, v in row.items()}
        pub = getattr(r, S.PUBLISHED, None)
        pub = None if pub is None or pd.isna(pub) else pd.Timestamp(pub)
        if pub is not None and pub.tzinfo is None:
            pub = pub.tz_localize("UTC")
        row.update({S.SOURCES: [getattr(r, S.ARTICLE_ID)], S.N_SOURCES: 1,
                    S.FIRST_REPORTED: pub, S.LAST_REPORTED: pub, S.CONFLICT: None,
                    "_key": key, "_published": pub, "_order": (order, len(stops))})
        stops.append(row)
    return stops


def _route(stops: list[dict], article_id: str | None, expected=None) -> Route:
    """A Route from stop dicts (private keys dropped, columns typed)."""
    import geopandas as gpd
    import pandas as pd

    if stops:
        df = pd.DataFrame([{k: v for k, v in s.items() if not k.startswith("_")} for s in stops])
    else:
        df = S.empty_frame(S.ROUTE_STOP_DTYPES)
    df[S.STOP] = range(1, len(df) + 1)
    for c in (S.FIRST_REPORTED, S.LAST_REPORTED):
        df[c] = pd.to_datetime(df[c], utc=True)
    for c in (S.TIME_START, S.TIME_END):
        df[c] = pd.to_datetime(df[c])
    df = S.coerce(df, S.ROUTE_STOP_DTYPES)[list(S.ROUTE_STOP_DTYPES)]
    geom = gpd.points_from_xy(df[S.LONGITUDE], df[S.LATITUDE], crs=S.CRS)
    return Route(gpd.GeoDataFrame(df, geometry=geom, crs=S.CRS), article_id, expected)


__all__ = ["Route", "route"]
