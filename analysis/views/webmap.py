"""An interactive map that works offline: Leaflet over the Natural Earth countries, no tile layer.

:func:`map_interactive` turns a timeline or a :class:`~analysis.timeline.routes.Route` into a
self-contained page (vendored Leaflet 1.9.4 inlined, see ``assets/README.md``; the country borders,
the data and a CJK font subset embedded), shown in JupyterLab, in any nbconvert HTML and in the
report. Stops and legs are styled by certainty, coloured by article with a legend, numbered in the
route's order; a click shows the place, time, movement and evidence sentence; a time slider and
certainty boxes filter the map and the event table under it.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from typing import Any, Literal

from analysis import schema as S
from analysis.text.script import dominant_lang
from analysis.timex.format import format_when
from analysis.views.labels import highlight, place_label, word

__all__ = ["InteractiveMap", "map_interactive"]

#: colours per article (Okabe-Ito, readable by colour-blind readers), then tab10
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8c564b",
           "#7f7f7f", "#bcbd22", "#17becf")
_WORDS = {
    "zh": {"until": "时间", "all": "全部", "stops": "站", "events": "事件", "place": "地点",
           "when": "时间", "movement": "动作", "certainty": "确定性", "evidence": "依据",
           "articles": "文章", "click": "点击地图上的站点查看依据。", "mentions": "仅提及"},
    "zh-Hant": {"until": "時間", "all": "全部", "stops": "站", "events": "事件", "place": "地點",
                "when": "時間", "movement": "動作", "certainty": "確定性", "evidence": "依據",
                "articles": "文章", "click": "點擊地圖上的站點查看依據。", "mentions": "僅提及"},
    "en": {"until": "until", "all": "all", "stops": "stops", "events": "events", "place": "place",
           "when": "when", "movement": "movement", "certainty": "certainty", "evidence": "evidence",
           "articles": "articles", "click": "Click a stop on the map to see its evidence.",
           "mentions": "mentions"},
}


class InteractiveMap:
    """A self-contained interactive map; shows itself in Jupyter, saves as one HTML file.

    Attributes
    ----------
    data : dict
        What the page draws (stops, legs, events, articles, basemap), all text already escaped.
    """

    def __init__(self, data: dict[str, Any], *, height: int = 480, table: bool = True) -> None:
        self.data = data
        self.height = int(height)
        self.table = table

    def __repr__(self) -> str:
        return (f"InteractiveMap({len(self.data['stops'])} stops, {len(self.data['events'])} "
                f"events, {len(self.data['articles'])} articles)")

    def to_html(self) -> str:
        """The map as a complete HTML document with no external reference.

        Returns
        -------
        str
        """
        from analysis.views.webfont import cjk_font_face

        root = resources.files("analysis.views").joinpath("assets", "leaflet")
        leaflet_js = root.joinpath("leaflet.js").read_text(encoding="utf-8")
        leaflet_js = leaflet_js.replace("//# sourceMappingURL=leaflet.js.map", "")
        leaflet_css = root.joinpath("leaflet.css").read_text(encoding="utf-8")
        # the icons the CSS points at are for controls and markers this page does not use
        leaflet_css = _css_without_images(leaflet_css)
        payload = json.dumps(self.data, ensure_ascii=False, separators=(",", ":"))
        font = cjk_font_face(payload, family="Map CJK", lang=self.data.get("lang", "zh"))
        return _PAGE.format(
            leaflet_css=leaflet_css, font=font, css=_CSS, height=self.height,
            table_display="block" if self.table else "none",
            data=_script_safe(payload), leaflet_js=_script_safe(leaflet_js), js=_JS,
            lang="zh-Hant" if self.data.get("lang") == "zh-Hant" else self.data.get("lang", "en"),
        )

    def _repr_html_(self) -> str:
        """An ``<iframe srcdoc>`` holding :meth:`to_html` (scripts run in Lab and nbconvert HTML)."""
        extra = 260 if self.table else 40
        return (f'<iframe class="geotimeline-map" style="width:100%;height:{self.height + extra}px;'
                f'border:1px solid #ddd" srcdoc="{html.escape(self.to_html(), quote=True)}">'
                "</iframe>")

    def save(self, path: str) -> str:
        """Write :meth:`to_html` to ``path`` atomically; return the path."""
        from analysis.io.atomic import atomic_write

        page = self.to_html()
        return str(atomic_write(path, lambda tmp: tmp.write_text(page, encoding="utf-8")))


def map_interactive(
    timeline_or_route: Any,
    *,
    labels: Literal["auto", "zh", "zh-Hant", "en"] = "auto",
    titles: dict[str, str] | None = None,
    height: int = 480,
    table: bool = True,
) -> InteractiveMap:
    """An interactive offline map of a timeline (or a route): pan, zoom, click, filter by time.

    Parameters
    ----------
    timeline_or_route : GeoDataFrame or Route
        A timeline from :func:`analysis.build_timeline` (its route is drawn, its other events as
        small dots), or a :class:`~analysis.timeline.routes.Route`.
    labels : {"auto", "zh", "zh-Hant", "en"}
        The language of place names and words; ``auto`` follows the articles' ``lang``.
    titles : dict, optional
        ``article_id -> title`` for the legend (default: the article ids).
    height : int
        Height of the map in pixels.
    table : bool
        Whether an event table, filtered with the map, sits under it.

    Returns
    -------
    InteractiveMap
        Displays itself in Jupyter; ``to_html()`` / ``save(path)`` give a self-contained page.

    Examples
    --------
    >>> import analysis as an                                  # doctest: +SKIP
    >>> an.map_interactive(an.build_timeline(an.load_articles("data/articles")))  # doctest: +SKIP
    """
    from analysis.timeline.routes import Route, route

    if labels not in ("auto", "zh", "zh-Hant", "en"):
        raise ValueError(f"labels must be 'auto', 'zh', 'zh-Hant' or 'en', got {labels!r}")
    if isinstance(timeline_or_route, Route):
        rt, timeline = timeline_or_route, None
    elif hasattr(timeline_or_route, "columns"):
        missing = {S.LATITUDE, S.LONGITUDE, S.CERTAINTY} - set(timeline_or_route.columns)
        if missing:
            raise ValueError(f"map_interactive needs a timeline from build_timeline or a Route; "
                             f"the frame lacks {sorted(missing)}")
        timeline = timeline_or_route
        rt = route(timeline)
    else:
        raise TypeError("map_interactive takes a timeline GeoDataFrame or a Route, "
                        f"got {type(timeline_or_route).__name__}")
    lang = _lang(labels, timeline if timeline is not None else rt.stops)
    data = _map_data(rt, timeline, lang, titles or {})
    return InteractiveMap(data, height=height, table=table)


# ----------------------------------------------------------------------------- data
def _lang(labels: str, frame: Any) -> str:
    """The label language: the argument, or the majority of the frame's ``lang`` / CJK text."""
    if labels != "auto":
        return labels
    tags = frame[S.LANG].tolist() if S.LANG in frame.columns else []
    return dominant_lang(tags, frame.get(S.EVIDENCE, []))  # the one rule: analysis.text.script


def _val(row: Any, col: str) -> Any:
    """A cell of a row as a Python value, ``None`` for NA or a missing column."""
    import pandas as pd

    v = row.get(col) if hasattr(row, "get") else None
    if v is None or (not isinstance(v, (list, tuple, str)) and bool(pd.isna(v))):
        return None
    return v


def _ms(t: Any) -> float | None:
    """Milliseconds since the epoch of a timestamp (the page's time axis)."""
    import pandas as pd

    if t is None:
        return None
    t = pd.Timestamp(t)
    if t.tzinfo is not None:
        t = t.tz_convert("UTC").tz_localize(None)
    return float(t.value // 1_000_000)


def _item(row: Any, lang: str, article: int) -> dict[str, Any]:
    """One stop or event as the page's record (text escaped)."""
    esc = html.escape
    start, end = _val(row, S.TIME_START), _val(row, S.TIME_END)
    return {
        "lat": round(float(row[S.LATITUDE]), 5), "lon": round(float(row[S.LONGITUDE]), 5),
        "place": esc(place_label(_val(row, S.NAME), _val(row, S.NAME_ZH), _val(row, S.SURFACE),
                                 lang)),
        "when": esc(format_when(start, end, _val(row, S.GRANULARITY), lang,
                                source=_val(row, S.TIME_SOURCE))),
        "t": None if _val(row, S.TIME_SOURCE) == "published" else _ms(start),
        "movement": esc(word("movement", _val(row, S.MOVEMENT), lang)),
        "certainty": esc(str(_val(row, S.CERTAINTY) or "reported")),
        "cert_word": esc(word("certainty", _val(row, S.CERTAINTY) or "reported", lang)),
        "evidence": highlight(_val(row, S.EVIDENCE), _val(row, S.START), _val(row, S.END),
                              _val(row, S.EVIDENCE_START), _val(row, S.SURFACE)),
        "article": article,
    }


def _articles(rt: Any, timeline: Any, titles: dict[str, str]) -> list[str]:
    """The article ids in first-appearance order (timeline rows, then route sources)."""
    ids: list[str] = []
    frames = [f for f in (timeline, rt.stops) if f is not None]
    for frame in frames:
        if S.ARTICLE_ID in frame.columns:
            ids += [str(a) for a in frame[S.ARTICLE_ID].dropna() if str(a) not in ids]
    if S.SOURCES in rt.stops.columns:
        for srcs in rt.stops[S.SOURCES]:
            ids += [str(a) for a in (srcs if isinstance(srcs, (list, tuple)) else []) if
                    str(a) not in ids]
    return list(dict.fromkeys(ids)) or ["—"]


def _map_data(rt: Any, timeline: Any, lang: str, titles: dict[str, str]) -> dict[str, Any]:
    """Everything the page draws, as JSON-ready lists."""
    ids = _articles(rt, timeline, titles)
    index = {a: i for i, a in enumerate(ids)}

    def article_of(row: Any) -> int:
        srcs = _val(row, S.SOURCES)
        first = srcs[0] if isinstance(srcs, (list, tuple)) and len(srcs) else _val(row, S.ARTICLE_ID)
        return index.get(str(first), 0)

    stops = []
    for _, row in rt.stops.iterrows():
        if _val(row, S.LATITUDE) is None or _val(row, S.LONGITUDE) is None:
            continue
        item = _item(row, lang, article_of(row))
        item["n"] = len(stops) + 1
        srcs = _val(row, S.SOURCES)
        item["sources"] = [index.get(str(a), 0) for a in srcs] if isinstance(srcs, list) else []
        stops.append(item)
    legs = _legs(stops, timeline, lang, index)
    events = []
    if timeline is not None:
        for _, row in timeline.iterrows():
            if _val(row, S.LATITUDE) is not None and _val(row, S.LONGITUDE) is not None:
                events.append(_item(row, lang, index.get(str(_val(row, S.ARTICLE_ID)), 0)))
    # the route frames the view; far-off mentions stay on the map, a zoom-out away
    points = [(s["lat"], s["lon"]) for s in stops] or [(s["lat"], s["lon"]) for s in events]
    articles = [{"id": html.escape(a), "title": html.escape(str(titles.get(a, a))),
                 "color": PALETTE[i % len(PALETTE)]} for i, a in enumerate(ids)]
    bounds = _bounds(points)
    words = dict(_WORDS[lang], reported=word("certainty", "reported", lang),
                 expected=word("certainty", "expected", lang))
    return {"lang": lang, "words": words, "articles": articles,
            "stops": stops, "legs": legs, "events": events, "bounds": bounds,
            "basemap": _basemap(bounds)}


def _legs(stops: list[dict], timeline: Any, lang: str, index: dict[str, int]) -> list[dict]:
    """Legs between consecutive stops, and dashed legs from the last reported stop to expected places."""
    legs = [{"a": [a["lat"], a["lon"]], "b": [b["lat"], b["lon"]], "t": b["t"],
             "certainty": "reported" if b["certainty"] == "reported" else b["certainty"],
             "article": b["article"]} for a, b in zip(stops, stops[1:], strict=False)]
    if timeline is None or not stops or S.CERTAINTY not in timeline.columns:
        return legs
    last = stops[-1]
    ahead = timeline[(timeline[S.CERTAINTY] == "expected")
                     & (timeline.get(S.MOVEMENT, "") != "mention")]
    seen = set()
    for _, row in ahead.iterrows():
        lat, lon = _val(row, S.LATITUDE), _val(row, S.LONGITUDE)
        if lat is None or lon is None or (round(lat, 3), round(lon, 3)) in seen:
            continue
        seen.add((round(lat, 3), round(lon, 3)))
        legs.append({"a": [last["lat"], last["lon"]], "b": [round(lat, 5), round(lon, 5)],
                     "t": _ms(_val(row, S.TIME_START)), "certainty": "expected",
                     "article": index.get(str(_val(row, S.ARTICLE_ID)), 0)})
    return legs


def _bounds(points: list[tuple[float, float]]) -> list[list[float]]:
    """``[[south, west], [north, east]]`` around the points, at least a few degrees wide."""
    if not points:
        return [[-60.0, -170.0], [75.0, 180.0]]
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    s, n, w, e = min(lats), max(lats), min(lons), max(lons)
    pad_lat, pad_lon = max((n - s) * 0.15, 2.0), max((e - w) * 0.15, 2.0)
    return [[max(s - pad_lat, -85.0), max(w - pad_lon, -180.0)],
            [min(n + pad_lat, 85.0), min(e + pad_lon, 180.0)]]


def _basemap(bounds: list[list[float]]) -> dict[str, Any]:
    """The Natural Earth countries around ``bounds`` as GeoJSON, simplified for the extent."""
    import shapely

    from analysis.views.basemap import countries, world

    (s, w), (n, e) = bounds
    span = max(n - s, e - w)
    # room to pan and zoom out a little beyond the data
    box = (max(w - span, -180.0), max(s - span, -90.0), min(e + span, 180.0), min(n + span, 90.0))
    source = world() if span > 30 else countries()
    frame = source.cx[box[0]:box[2], box[1]:box[3]]
    tol = max(span / 500.0, 0.005)
    geoms = shapely.clip_by_rect(frame.geometry.values, *box)
    geoms = shapely.set_precision(shapely.simplify(geoms, tol, preserve_topology=True), 0.001)
    features = []
    for geom, name, name_zh in zip(geoms, frame["name"], frame["name_zh"], strict=True):
        if geom is None or geom.is_empty:
            continue
        props = {"name": html.escape(str(name) if isinstance(name, str) else ""),
                 "name_zh": html.escape(str(name_zh) if isinstance(name_zh, str) else "")}
        features.append({"type": "Feature", "properties": props,
                         "geometry": json.loads(shapely.to_geojson(geom))})
    return {"type": "FeatureCollection", "features": features}


# ----------------------------------------------------------------------------- page
def _script_safe(text: str) -> str:
    """Keep embedded text from closing its ``<script>`` element early."""
    import re

    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def _css_without_images(css: str) -> str:
    """Leaflet's CSS with its ``url(images/…)`` icons removed (nothing may load from disk or net)."""
    import re

    return re.sub(r"url\(\s*['\"]?images/[^)]*\)", "none", css)


_CSS = """
body { margin: 0; font-family: "Map CJK", system-ui, sans-serif, "Noto Sans CJK SC"; font-size: 13px; }
#map { width: 100%; background: #dfeaf2; }
.bar { display: flex; flex-wrap: wrap; gap: 0.8em; align-items: center; padding: 4px 6px; }
.legend .item { white-space: nowrap; }
.legend span.sw { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 50%;
  margin: 0 0.25em -0.1em 0.6em; }
#info { padding: 4px 6px; min-height: 2.6em; border-top: 1px solid #eee; }
#info mark, #events mark { background: #ffe08a; }
#events { max-height: 220px; overflow: auto; }
#events table { border-collapse: collapse; width: 100%; }
#events td, #events th { padding: 1px 6px; border-bottom: 1px solid #eee; text-align: left;
  vertical-align: top; }
.num { font: bold 11px sans-serif; color: #fff; text-align: center; line-height: 18px; }
.leaflet-container { font-family: inherit; }
"""

_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{leaflet_css}</style><style>{font}{css}</style></head>
<body>
<div id="map" style="height:{height}px"></div>
<div class="bar"><label><span id="until-label"></span>
<input id="time" type="range" min="0" max="0" value="0" step="1"></label>
<output id="time-value"></output><span id="certainty"></span>
<span id="count"></span></div>
<div class="bar legend" id="legend"></div>
<div id="info"></div>
<div id="events" style="display:{table_display}"><table><thead></thead><tbody></tbody></table></div>
<script type="application/json" id="map-data">{data}</script>
<script>{leaflet_js}</script>
<script>{js}</script>
</body></html>
"""

_JS = r"""
(function () {
  const D = JSON.parse(document.getElementById("map-data").textContent);
  const W = D.words, color = (i) => D.articles[i] ? D.articles[i].color : "#555";
  const map = L.map("map", {zoomSnap: 0.25, worldCopyJump: false, attributionControl: true});
  map.attributionControl.setPrefix("Leaflet | Natural Earth");
  L.geoJSON(D.basemap, {style: {color: "#999", weight: 0.6, fillColor: "#f6f4ee", fillOpacity: 1},
    onEachFeature: (f, l) => l.bindTooltip(D.lang === "en" ? f.properties.name :
      (f.properties.name_zh || f.properties.name), {sticky: true, opacity: 0.8})}).addTo(map);
  map.fitBounds(D.bounds);
  const dashed = (c) => c === "reported" ? null : "6 5";
  const layers = [];
  function info(it) {
    const num = it.n ? it.n + ". " : "";
    document.getElementById("info").innerHTML =
      `<b>${num}${it.place}</b> · ${it.when || "—"} · ${it.movement} · ${it.cert_word}` +
      `<div class="evidence">${it.evidence}</div>`;
  }
  function popup(it) {
    return `<b>${it.n ? it.n + ". " : ""}${it.place}</b><br>${W.when}: ${it.when || "—"}<br>` +
      `${W.movement}: ${it.movement} · ${W.certainty}: ${it.cert_word}<br>` +
      `<span class="evidence">${it.evidence}</span>`;
  }
  D.legs.forEach((g) => layers.push({it: g, kind: "leg", layer: L.polyline([g.a, g.b],
    {color: color(g.article), weight: 2.5, opacity: 0.85, dashArray: dashed(g.certainty)})}));
  D.events.forEach((e) => layers.push({it: e, kind: "event", layer: L.circleMarker([e.lat, e.lon],
    {radius: 3.5, color: color(e.article), weight: 1, fillOpacity: e.certainty === "reported" ? 0.7 : 0,
     dashArray: dashed(e.certainty)}).bindTooltip(`${e.place} · ${e.when || "—"} · ${e.movement}`)}));
  D.stops.forEach((s) => {
    const m = L.marker([s.lat, s.lon], {icon: L.divIcon({className: "",
      html: `<div class="num stop" data-n="${s.n}" style="background:${color(s.article)};` +
        `border-radius:50%;width:18px;height:18px;border:2px ${s.certainty === "reported" ?
        "solid" : "dashed"} #fff;box-shadow:0 0 2px #000">${s.n}</div>`, iconSize: [22, 22]})});
    m.bindTooltip(`${s.n}. ${s.place} · ${s.when || "—"}`);
    m.bindPopup(popup(s));
    m.on("click", () => info(s));
    layers.push({it: s, kind: "stop", layer: m});
  });
  const times = [...new Set(layers.map((l) => l.it.t).filter((t) => t !== null))].sort((a, b) => a - b);
  const slider = document.getElementById("time"), out = document.getElementById("time-value");
  slider.max = times.length; slider.value = times.length;
  document.getElementById("until-label").textContent = W.until + " ";
  const certs = new Map(layers.map((l) => [l.it.certainty, l.it.cert_word]));
  const boxes = document.getElementById("certainty");
  certs.forEach((w, c) => { boxes.insertAdjacentHTML("beforeend",
    `<label><input type="checkbox" class="cert" value="${c}" checked> ${w}</label> `); });
  const fmt = (t) => new Date(t).toISOString().slice(0, 16).replace("T", " ").replace(" 00:00", "");
  function visible(it) {
    const i = +slider.value;
    const cOk = [...document.querySelectorAll("input.cert:checked")].some((b) => b.value === it.certainty);
    return cOk && (i >= times.length || (it.t !== null && it.t <= times[i]));
  }
  function rowHtml(it) {
    return `<tr><td>${it.n || ""}</td><td><span class="sw" style="display:inline-block;width:.7em;` +
      `height:.7em;border-radius:50%;background:${color(it.article)}"></span> ${it.place}</td>` +
      `<td>${it.when}</td><td>${it.movement}</td><td>${it.cert_word}</td><td>${it.evidence}</td></tr>`;
  }
  function update() {
    const i = +slider.value;
    out.textContent = i >= times.length ? W.all : fmt(times[i]);
    let nStops = 0, nEvents = 0, rows = [];
    layers.forEach((l) => {
      const on = visible(l.it);
      if (on && !map.hasLayer(l.layer)) l.layer.addTo(map);
      if (!on && map.hasLayer(l.layer)) map.removeLayer(l.layer);
      if (on && l.kind === "stop") { nStops++; rows.push(l.it); }
      if (on && l.kind === "event") { nEvents++; if (!D.stops.length) rows.push(l.it); }
    });
    const count = document.getElementById("count");
    count.textContent = `${nStops} ${W.stops} · ${nEvents} ${W.events}`;
    count.dataset.stops = nStops; count.dataset.events = nEvents;
    const tb = document.querySelector("#events tbody");
    tb.innerHTML = rows.map(rowHtml).join("");
  }
  document.querySelector("#events thead").innerHTML =
    `<tr><th>#</th><th>${W.place}</th><th>${W.when}</th><th>${W.movement}</th>` +
    `<th>${W.certainty}</th><th>${W.evidence}</th></tr>`;
  slider.addEventListener("input", update);
  boxes.addEventListener("change", update);
  const line = (dash) => `<svg width="34" height="8"><line x1="0" y1="4" x2="34" y2="4" ` +
    `stroke="#333" stroke-width="2" stroke-dasharray="${dash}"/></svg>`;
  document.getElementById("legend").innerHTML = `<span>${W.articles}:</span>` + D.articles.map((a) =>
    `<span class="item"><span class="sw" style="background:${a.color}"></span>${a.title}</span>`
  ).join("") + `<span class="item">${line("")} ${W.reported}</span>` +
    `<span class="item">${line("6 5")} ${W.expected}</span>`;
  document.getElementById("info").textContent = W.click;
  update();
  window.geotimelineMap = {map: map, layers: layers, update: update, times: times};
})();
"""
