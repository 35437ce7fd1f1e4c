"""An interactive explorer: pick an article, step through its events, filter, read the evidence.

:func:`explore` returns one ipywidgets container (never displays it). The map and the timeline are
rendered to PNG and shown in ``ipywidgets.Image`` widgets, so the widget state embeds in exported
HTML with the pictures in it. All article text is HTML-escaped before it reaches the evidence pane.
"""

from __future__ import annotations

import html
import io
import logging
from typing import Any

from analysis import schema as S
from analysis.timex.format import format_when
from analysis.views.labels import highlight, place_label, word

logger = logging.getLogger(__name__)

__all__ = ["explore", "Explorer"]

_UNKNOWN = "unknown"

# every word the explorer shows, in the three label languages: one language per widget
_WORDS = {
    "en": {"article": "Article", "certainty": "Certainty", "role": "Role", "feature": "Feature",
           "movement": "Movement", "event": "Event", "events": " events", "place": "Place",
           "time": "Time", "time_from": "Time from", "none": "No events match the filters.",
           "none_map": "no events match the filters", "undated": "no dated events"},
    "zh": {"article": "文章", "certainty": "确定性", "role": "用法", "feature": "类型",
           "movement": "动作", "event": "事件", "events": " 个事件", "place": "地点",
           "time": "时间", "time_from": "时间来源", "none": "没有符合筛选条件的事件",
           "none_map": "没有符合筛选条件的事件", "undated": "没有带时间的事件"},
    "zh-Hant": {"article": "文章", "certainty": "確定性", "role": "用法", "feature": "類型",
                "movement": "動作", "event": "事件", "events": " 個事件", "place": "地點",
                "time": "時間", "time_from": "時間來源", "none": "沒有符合篩選條件的事件",
                "none_map": "沒有符合篩選條件的事件", "undated": "沒有帶時間的事件"},
}


def _words_lang(lang: str, tags, texts) -> str:
    """``zh-Hant`` when the Chinese is traditional (declared tags first, else the script of the
    evidence), so a traditional article gets traditional widget labels; else ``lang``."""
    from analysis.text.script import chinese_script, dominant_lang

    if lang != "zh":
        return lang
    if dominant_lang(tags) == "zh-Hant":
        return "zh-Hant"
    joined = "".join(t for t in texts if isinstance(t, str))[:20000]
    return "zh-Hant" if joined and chinese_script(joined) == "zh-Hant" else "zh"


def _ipywidgets():
    try:
        import ipywidgets
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ImportError("explore needs ipywidgets: pip install ipywidgets") from exc
    return ipywidgets


def _png(draw, figsize, dpi: int = 80) -> bytes:
    """Render ``draw(ax)`` on a pyplot-free figure and return PNG bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    draw(ax)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


class Explorer:
    """Builds and wires the widgets; :attr:`widget` is what :func:`explore` returns."""

    def __init__(self, timeline, *, titles: dict | None = None, labels: str = "auto",
                 metonyms: str = "grey", tags=()) -> None:
        import pandas as pd

        w = _ipywidgets()
        from analysis.views.labels import resolve_lang

        self.timeline = timeline
        self.labels = labels
        self.metonyms = metonyms
        self.lang = resolve_lang(labels, [timeline])
        self.words_lang = _words_lang(self.lang, tags, timeline.get(S.EVIDENCE, []))
        t = _WORDS[self.words_lang]
        self._cache: dict[Any, bytes] = {}
        ids = list(dict.fromkeys(timeline[S.ARTICLE_ID].astype(str))) if len(timeline) else []
        titles = titles or {}
        options = [(self._short(titles.get(a) or a), a) for a in ids]
        self.article = w.Dropdown(options=options, value=ids[0] if ids else None,
                                  description=t["article"],
                                  layout=w.Layout(width="98%"))

        def multi(col, desc):
            values = sorted(set(_categories(timeline[col]))) if col in timeline else []
            # shown in the label language, filtered by the timeline's own values
            options = [(word(col, v, self.words_lang) or v, v) for v in values]
            return w.SelectMultiple(options=options, value=tuple(values),
                                    rows=min(max(len(values), 2), 5), description=desc,
                                    layout=w.Layout(width="32%"))

        self.movement = multi(S.MOVEMENT, t["movement"])
        self.certainty = multi(S.CERTAINTY, t["certainty"])
        self.role = multi(S.ROLE, t["role"])
        self.feature = multi(S.FEATURE, t["feature"])
        for box in (self.movement, self.certainty, self.role, self.feature):
            box.layout.width = "24%"
        # no readout: the count beside it ("3 / 79") is the one position shown, counted from 1
        self.slider = w.IntSlider(min=0, max=0, value=0, description=t["event"], readout=False,
                                  continuous_update=False, layout=w.Layout(width="70%"))
        self.count = w.HTML()
        self.map_image = w.Image(format="png", layout=w.Layout(width="55%"))
        self.timeline_image = w.Image(format="png", layout=w.Layout(width="45%"))
        self.evidence = w.HTML()
        self.event_list = w.HTML(layout=w.Layout(max_height="16em", overflow="auto"))
        self.widget = w.VBox([
            self.article,
            w.HBox([self.movement, self.certainty, self.role, self.feature]),
            w.HBox([self.slider, self.count]),
            w.HBox([self.map_image, self.timeline_image]),
            self.evidence,
            self.event_list,
        ])
        # the widget keeps its explorer alive and lets callers reach the parts
        self.widget.explorer = self
        self._events = pd.DataFrame()
        self.article.observe(self._on_filter, names="value")
        for widget in (self.movement, self.certainty, self.role, self.feature):
            widget.observe(self._on_filter, names="value")
        self.slider.observe(self._on_step, names="value")
        self._on_filter()

    @staticmethod
    def _short(text: str, n: int = 70) -> str:
        text = " ".join(str(text).split())
        return text if len(text) <= n else text[: n - 1] + "…"

    # ------------------------------------------------------------------ state
    @property
    def events(self):
        """The events of the chosen article that pass the filters, in timeline order."""
        return self._events

    def _filtered(self):
        frame = self.timeline
        if self.article.value is None:
            return frame.iloc[0:0]
        frame = frame[frame[S.ARTICLE_ID].astype(str) == self.article.value]
        for col, widget in ((S.MOVEMENT, self.movement), (S.CERTAINTY, self.certainty),
                            (S.ROLE, self.role), (S.FEATURE, self.feature)):
            if col in frame.columns and widget.options:
                frame = frame[_categories(frame[col]).isin(list(widget.value)).to_numpy()]
        return frame

    def _key(self):
        return (self.article.value, tuple(self.movement.value), tuple(self.certainty.value),
                tuple(self.role.value), tuple(self.feature.value))

    def _on_filter(self, change=None) -> None:
        self._events = self._filtered()
        n = len(self._events)
        with self.slider.hold_trait_notifications():
            self.slider.max = max(n - 1, 0)
            self.slider.value = _first_stop(self._events)
            self.slider.disabled = n == 0
        self._render()

    def _on_step(self, change=None) -> None:
        self._render()

    # ------------------------------------------------------------------ drawing
    def _render(self) -> None:
        n = len(self._events)
        i = min(self.slider.value, max(n - 1, 0))
        self.count.value = f"<b>{i + 1 if n else 0}</b> / {n}" + _WORDS[self.words_lang]["events"]
        key = (*self._key(), i)
        if key not in self._cache:
            self._cache[key] = (self._draw_map(i), self._draw_timeline(i))
        self.map_image.value, self.timeline_image.value = self._cache[key]
        self.evidence.value = self._evidence_html(i)
        self.event_list.value = self._list_html(i)

    def _draw_map(self, i: int) -> bytes:
        from analysis.views.plotting import plot_map

        events = self._events

        def draw(ax):
            if events.empty:
                ax.text(0.5, 0.5, _WORDS[self.words_lang]["none_map"], ha="center",
                        transform=ax.transAxes, fontproperties=_font())
                ax.set_axis_off()
                return
            plot_map(events, ax=ax, labels=self.labels, metonyms=self.metonyms, legend=False)
            row = events.iloc[i]
            if _outline_country(ax, row):
                return
            if not any(_na(row.get(c)) for c in (S.LONGITUDE, S.LATITUDE)):
                ax.scatter([row[S.LONGITUDE]], [row[S.LATITUDE]], s=420, facecolors="none",
                           edgecolors="#ff8c00", linewidths=2.5, zorder=20, gid="current")

        return _png(draw, (6.4, 5.6))

    def _draw_timeline(self, i: int) -> bytes:
        import pandas as pd

        from analysis.views.plotting import plot_timeline

        events = self._events

        def draw(ax):
            if events.empty or events[S.TIME_START].isna().all():
                ax.text(0.5, 0.5, _WORDS[self.words_lang]["undated"], ha="center",
                        transform=ax.transAxes, fontproperties=_font())
                ax.set_axis_off()
                return
            plot_timeline(events, ax=ax, labels=self.labels, metonyms=self.metonyms)
            row = events.iloc[i]
            if not _na(row.get(S.TIME_START)):
                import matplotlib.dates as mdates

                # the event's whole window (an arrival and its departure), never its midpoint
                start = pd.Timestamp(row[S.TIME_START])
                end = row.get(S.TIME_END)
                end = start if _na(end) else pd.Timestamp(end)
                lo, hi = ax.get_xlim()
                if mdates.date2num(start) <= hi and mdates.date2num(end) >= lo:
                    ax.axvline(start, color="#ff8c00", lw=2, alpha=0.8, zorder=1, gid="current")
                    if end > start:
                        ax.axvspan(start, end, color="#ff8c00", alpha=0.15, zorder=0,
                                   gid="current-window")

        return _png(draw, (5.2, 4.4))

    def _list_html(self, i: int, around: int = 12) -> str:
        """The filtered events as a small table around the current one (bold), all escaped."""

        events = self._events
        if events.empty:
            return ""
        t = _WORDS[self.words_lang]
        lo = max(0, i - around)
        rows = []
        for k, (_, row) in enumerate(events.iloc[lo:i + around + 1].iterrows(), start=lo):
            def get(col, row=row):
                value = row.get(col)
                return None if _na(value) else value

            cells = [
                str(k + 1),
                place_label(get(S.NAME), get(S.NAME_ZH), get(S.SURFACE), self.lang),
                format_when(get(S.TIME_START), get(S.TIME_END), get(S.GRANULARITY),
                            self.lang),
                word("movement", get(S.MOVEMENT), self.words_lang),
                word("certainty", get(S.CERTAINTY), self.words_lang),
                word("role", get(S.ROLE), self.words_lang),
            ]
            style = " style='font-weight:bold;background:#fff3e0'" if k == i else ""
            rows.append(f"<tr{style}>" + "".join(
                f"<td style='padding:0 0.6em'>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
        head = ["#", t["place"], t["time"], t["movement"], t["certainty"], t["role"]]
        return ("<table style='font-size:12px;border-collapse:collapse'><thead><tr>"
                + "".join(f"<th style='text-align:left;padding:0 0.6em'>{h}</th>" for h in head)
                + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")

    def _evidence_html(self, i: int) -> str:

        t = _WORDS[self.words_lang]
        if self._events.empty:
            return "<p><i>" + t["none"] + "</i></p>"
        row = self._events.iloc[i]

        def get(col):
            value = row.get(col)
            return None if _na(value) else value

        place = place_label(get(S.NAME), get(S.NAME_ZH), get(S.SURFACE), self.lang)
        when = format_when(get(S.TIME_START), get(S.TIME_END), get(S.GRANULARITY), self.lang,
                           style="short")
        facts = [
            (t["place"], place),
            (t["time"], " ".join(str(v) for v in (when, get(S.TIME_TEXT) and
                                                  f"({get(S.TIME_TEXT)})") if v)),
            (t["time_from"], get(S.TIME_SOURCE)),
            (t["movement"], word("movement", get(S.MOVEMENT), self.words_lang)),
            (t["certainty"], word("certainty", get(S.CERTAINTY), self.words_lang)),
            (t["role"], word("role", get(S.ROLE), self.words_lang)),
        ]
        cells = "".join(
            f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(str(k))}</th>"
            f"<td>{html.escape(str(v))}</td></tr>" for k, v in facts if v not in (None, "")
        )
        sentence = highlight(get(S.EVIDENCE), get(S.START), get(S.END), get(S.EVIDENCE_START),
                             get(S.SURFACE))
        return (
            f"<div class='ngt-evidence'><table>{cells}</table>"
            f"<blockquote style='margin:0.5em 0;padding-left:0.8em;border-left:3px solid #ff8c00'>"
            f"{sentence}</blockquote></div>"
        )


def _font():
    from analysis.views import basemap

    return basemap.label_font()


def _first_stop(events) -> int:
    """The row of the first stop of the route these events tell (what the explorer opens on),
    or 0: the story's first reported journey step, not a visit years ago listed first."""
    if events.empty or S.MOVEMENT not in events.columns:
        return 0
    from analysis.timeline.routes import route

    try:
        stops = route(events).stops
    except ValueError:  # too few columns to make a route: the first row
        return 0
    if stops.empty:
        return 0
    first = stops.iloc[0]
    hit = ((events[S.PLACE_ID].astype(str) == str(first[S.PLACE_ID]))
           & (events[S.MOVEMENT] != "mention")).to_numpy()
    if S.TIME_START in events.columns and not _na(first[S.TIME_START]):
        hit &= (events[S.TIME_START] == first[S.TIME_START]).to_numpy()
    return int(hit.argmax()) if hit.any() else 0


def _outline_country(ax, row) -> bool:
    """Outline the current event's country when the event is a whole country (not a point)."""
    from matplotlib.patches import PathPatch

    from analysis.views import basemap as _basemap
    from analysis.views.plotting import AREA_FEATURES

    feature, code = row.get(S.FEATURE), row.get(S.COUNTRY_CODE)
    if _na(feature) or _na(code) or feature not in AREA_FEATURES:
        return False
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    dx, dy = (x1 - x0) * 0.2, (y1 - y0) * 0.2  # clip outside the view: no cut edges outlined
    land = _basemap.countries_in((x0 - dx, y0 - dy, x1 + dx, y1 + dy))
    path = _basemap.polygons_path(land.loc[land["iso_a2"] == code].geometry)
    if path is None:
        return False
    ax.add_artist(PathPatch(path, facecolor="none", edgecolor="#ff8c00", linewidth=2.2,
                            zorder=20, gid="current"))
    return True


def _categories(column):
    """A filter column as strings, a missing value as "unknown" (so it can be picked too)."""
    return column.astype("string").fillna(_UNKNOWN)


def _na(value) -> bool:
    import pandas as pd

    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def explore(articles_or_timeline, *, places=None, labels: S.Labels = "auto", metonyms: S.Metonyms = "grey"):
    """One widget to browse a timeline: article picker, event slider, filters, map, evidence.

    The map (with the current event ringed) and the timeline (with a line at its time) are
    redrawn together whenever the article, the filters or the slider change; the evidence pane
    shows the event's sentence with the place mention in ``<mark>``, all text HTML-escaped. It
    opens on the route's first stop; every word is in the articles' language and script
    (traditional articles get traditional labels). Returns the widget without displaying it; ``widget.explorer`` holds the parts (``article``,
    ``slider``, ``movement``, ``certainty``, ``role``, ``feature``, ``map_image``, ``timeline_image``,
    ``evidence``, ``event_list``, ``events``).

    Parameters
    ----------
    articles_or_timeline : DataFrame
        Articles from :func:`analysis.load_articles` (the timeline is built from them) or a
        timeline from :func:`analysis.build_timeline`.
    places : GeoDataFrame, optional
        Places from :func:`analysis.find_places`, used for the feature filter when the timeline
        has no ``feature`` column (else the loaded gazetteer supplies it).
    labels : {"auto", "zh", "en"}
        Label language of the map and timeline.
    metonyms : {"grey", "hide"}
        How the map shows metonymic mentions (the role filter can also drop them).

    Returns
    -------
    ipywidgets.VBox

    Examples
    --------
    >>> import analysis as an
    >>> w = an.explore(an.load_articles("data/articles"))  # doctest: +SKIP
    >>> w.explorer.slider.value = 2  # doctest: +SKIP
    """
    import pandas as pd

    obj = articles_or_timeline
    if not isinstance(obj, pd.DataFrame):
        raise TypeError("explore expects the articles frame (analysis.load_articles) or a timeline "
                        f"(analysis.build_timeline); got {type(obj).__name__}")
    titles: dict = {}
    if S.MOVEMENT in obj.columns or S.CERTAINTY in obj.columns:
        timeline = obj
    elif S.TEXT in obj.columns:
        from analysis.timeline.events import build_timeline

        timeline = build_timeline(obj)
        if S.TITLE in obj.columns and S.ARTICLE_ID in obj.columns:
            titles = {str(a): t for a, t in zip(obj[S.ARTICLE_ID], obj[S.TITLE], strict=True)
                      if isinstance(t, str) and t}
    else:
        raise ValueError(
            "articles_or_timeline has neither 'text' (an articles frame) nor 'movement'/'certainty' "
            f"(a timeline); pass analysis.load_articles(...) or analysis.build_timeline(...). "
            f"Got columns {list(obj.columns)}"
        )
    missing = [c for c in (S.ARTICLE_ID, S.LATITUDE, S.LONGITUDE, S.TIME_START) if c not in timeline]
    if missing:
        raise ValueError(f"the timeline is missing column(s) {missing}; pass the frame returned by "
                         "analysis.build_timeline(articles)")
    if S.FEATURE not in timeline.columns and places is not None and S.FEATURE in places.columns:
        lookup = (places.dropna(subset=[S.PLACE_ID]).drop_duplicates(S.PLACE_ID)
                  .set_index(S.PLACE_ID)[S.FEATURE])
        timeline = timeline.assign(**{S.FEATURE: timeline[S.PLACE_ID].map(lookup)})
    if S.FEATURE not in timeline.columns:
        from analysis.views.labels import with_features

        timeline = with_features(timeline)  # from the gazetteer build_timeline loaded
    tags = obj[S.LANG].tolist() if S.LANG in obj.columns else []
    return Explorer(timeline, titles=titles, labels=labels, metonyms=metonyms, tags=tags).widget
