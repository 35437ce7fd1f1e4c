"""One label for a time window, used by every view (map, timeline plot, route table, report).

A window is what the timeline holds: ``time_start``, ``time_end`` (exclusive) and the
``granularity`` the text gave. A window that is one unit of its granularity gets one label
("2023-09-12 morning", "2023-09-12 上午"); a longer one (a stop merged from an arrival and a
departure, "10 to 12 September") shows where it begins and where it ends, never its midpoint.
Parts of the day are named by the window the grammar gave them (``data/when_labels.csv``), so
English "morning" (00:00-12:00) is a morning, not a night.
"""

from __future__ import annotations

import csv
import functools
from importlib import resources
from typing import Any, Literal

__all__ = ["format_when"]

Lang = Literal["en", "zh", "zh-Hans", "zh-Hant"]
Style = Literal["full", "short"]

_COARSE = {"century": "year", "decade": "year", "year": "year", "half": "month",
           "quarter": "month", "season": "month", "month": "month"}
_FINE = ("hour", "minute", "second")


@functools.cache
def _parts() -> tuple[dict[str, Any], ...]:
    """The part-of-day rows of ``data/when_labels.csv`` (loaded once)."""
    text = resources.files("analysis.timex").joinpath("data/when_labels.csv").read_text("utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    rows = []
    for row in csv.DictReader(lines):
        row["h0"], row["h1"] = int(row["h0"]), int(row["h1"])
        rows.append(row)
    return tuple(rows)


def _lang_key(lang: str | None) -> str:
    """The column of the label table for ``lang`` (``en``, ``zh`` or ``zh-Hant``)."""
    if not lang:
        return "en"
    low = str(lang).lower()
    if low.startswith("zh"):
        return "zh-Hant" if low.endswith(("hant", "tw", "hk", "mo")) else "zh"
    if low == "en" or low.startswith("en-"):
        return "en"
    raise ValueError(f"lang must be 'en', 'zh', 'zh-Hans' or 'zh-Hant', got {lang!r}")


def _infer(start: Any, end: Any) -> str:
    """A granularity from the length of ``[start, end)`` when the frame does not say."""
    import pandas as pd

    if end is None or pd.isna(end):
        return "minute" if start.minute or start.second else "day"
    span = pd.Timestamp(end) - start
    days = span / pd.Timedelta(days=1)
    if days >= 360:
        return "year"
    if days >= 28:
        return "month"
    if days >= 7 and start.hour == 0:
        return "week" if days == 7 else "day"
    if days >= 1 and start.hour == 0 and start.minute == 0:
        return "day"
    return "part_of_day" if span >= pd.Timedelta(hours=2) else "minute"


def _day(t: Any, lang: str, style: str) -> str:
    """The date part of a label."""
    if style == "full":
        return f"{t:%Y-%m-%d}"
    return f"{t:%m-%d}" if lang != "en" else f"{t:%b} {t.day}"


def _part_name(start: Any, end: Any, lang: str) -> str | None:
    """The name of the part of the day ``[start, end)`` is, if it is one."""
    day = start.normalize()
    h0 = (start - day).total_seconds() / 3600
    h1 = (end - day).total_seconds() / 3600
    for row in _parts():
        if row["h0"] == h0 and row["h1"] == h1:
            return row[lang]
    inside = [r for r in _parts() if r["h0"] <= h0 and h1 <= r["h1"]]
    return min(inside, key=lambda r: r["h1"] - r["h0"])[lang] if inside else None


def _edge_part(t: Any, lang: str, *, begins: bool) -> str | None:
    """The widest part of the day that begins (or ends) at ``t``."""
    h = (t - t.normalize()).total_seconds() / 3600
    if not begins and h == 0:
        h = 24
    rows = [r for r in _parts() if (r["h0"] if begins else r["h1"]) == h and r["edge"] == "1"]
    return max(rows, key=lambda r: r["h1"] - r["h0"])[lang] if rows else None


def _one_unit(start: Any, end: Any, gran: str) -> bool:
    """Whether ``[start, end)`` is a single unit of ``gran`` (a day, a part of a day, a minute)."""
    import pandas as pd

    if end is None or pd.isna(end):
        return True
    span = pd.Timestamp(end) - start
    limit = {"day": pd.Timedelta(days=1), "part_of_day": pd.Timedelta(hours=12),
             "week": pd.Timedelta(days=7), "hour": pd.Timedelta(hours=1),
             "minute": pd.Timedelta(minutes=1), "second": pd.Timedelta(seconds=1)}.get(gran)
    return limit is None or span <= limit


def _fine_label(start: Any, end: Any, gran: str, lang: str, style: str) -> str:
    """The label of a window finer than a day, or of a merged stop spanning several."""
    import pandas as pd

    end = None if end is None or pd.isna(end) else pd.Timestamp(end)
    if gran == "part_of_day" and end is not None and _one_unit(start, end, gran):
        name = _part_name(start, end, lang)
        if name:
            return f"{_day(start, lang, style)} {name}"
    if gran == "part_of_day" and end is None:
        name = _edge_part(start, lang, begins=True)
        return f"{_day(start, lang, style)} {name}" if name else _day(start, lang, style)
    if gran in _FINE and _one_unit(start, end, gran):
        fmt = "%H:%M:%S" if gran == "second" else "%H:%M"
        return f"{_day(start, lang, style)} {start:{fmt}}"
    if end is None:
        return _day(start, lang, style)
    last = end - pd.Timedelta(microseconds=1)
    if gran == "day" or (start.hour == start.minute == 0 and end == end.normalize()):
        a, b = _day(start, lang, style), _day(last, lang, style)
        return a if a == b else f"{a} – {b}"
    a_part = _edge_part(start, lang, begins=True) or f"{start:%H:%M}"
    b_part = _edge_part(end, lang, begins=False) or f"{end:%H:%M}"
    a = f"{_day(start, lang, style)} {a_part}"
    if start.normalize() == last.normalize():
        return a if a_part == b_part else f"{a} – {b_part}"
    return f"{a} – {_day(last, lang, style)} {b_part}"


def format_when(
    start: Any,
    end: Any = None,
    granularity: str | None = None,
    lang: Lang | str | None = "en",
    *,
    style: Style = "full",
    source: str | None = None,
) -> str:
    """A time window as precise as the text made it, in the article's language.

    Parameters
    ----------
    start, end : Timestamp or None
        The window ``[start, end)``; a missing ``start`` gives ``""``.
    granularity : str, optional
        The timeline's ``granularity`` (``year``, ``month``, ``day``, ``part_of_day``, ``hour``...);
        without it the length of the window decides.
    lang : {"en", "zh", "zh-Hans", "zh-Hant"}
        The language of the words ("morning", "上午").
    style : {"full", "short"}
        ``full`` keeps the year ("2023-09-12 morning"); ``short`` is for map labels ("Sep 12
        morning", "09-12 上午").
    source : str, optional
        The timeline's ``time_source``; ``"published"`` (a time the text did not state) gives ``""``.

    Returns
    -------
    str

    Examples
    --------
    >>> import pandas as pd
    >>> format_when(pd.Timestamp("2023-09-11"), pd.Timestamp("2023-09-11 12:00"), "part_of_day")
    '2023-09-11 morning'
    >>> format_when(pd.Timestamp("2023-09-12 12:00"), pd.Timestamp("2023-09-13"), "part_of_day", "zh")
    '2023-09-12 下午 – 晚上'
    >>> format_when(pd.Timestamp("2023-07-01"), pd.Timestamp("2023-08-01"))
    '2023-07'
    """
    import pandas as pd

    key = _lang_key(lang)
    if style not in ("full", "short"):
        raise ValueError(f"style must be 'full' or 'short', got {style!r}")
    if start is None or pd.isna(start) or source == "published":
        return ""
    start = pd.Timestamp(start)
    gran = granularity if isinstance(granularity, str) and granularity else _infer(start, end)
    coarse = _COARSE.get(gran)
    if coarse == "year":
        return f"{start:%Y}"
    if coarse == "month":
        if style == "short" and key == "en":
            return f"{start:%b %Y}"
        return f"{start:%Y-%m}"
    if gran == "week" and _one_unit(start, end, gran):
        day = _day(start, key, style)
        return f"week of {day}" if key == "en" else f"{day}{'周' if key == 'zh' else '週'}"
    return _fine_label(start, end, gran, key, style)
