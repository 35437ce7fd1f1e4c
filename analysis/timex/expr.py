"""Time expressions: find them in articles and normalise them against the publication date.

The Chinese grammar (:mod:`analysis._timex_zh`) and the English one (:mod:`analysis._timex_en`)
recognise expressions and describe them with the small vocabulary of this module (an anchor, a
granularity, a shift, a part of the day ...); this module turns that description into one
:class:`TimeExpr` with ``start``, ``end`` (exclusive), ``granularity`` and a TIMEX3 ``value``.
Both languages share this one normaliser, so "周二早上" and "Tuesday morning" in an article of
Tuesday 2023-09-12 give the same answer: ``2023-09-12TMO``.
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

# ----------------------------------------------------------------------------- vocabulary

#: TIMEX3 part-of-day codes and the wall-clock window each one covers, [start hour, end hour).
#: Windows follow Duckling's conventions where it has one (morning 0-12, afternoon 12-19,
#: evening/night 18-24), and TIMEX3's codes for the value.
PARTS_OF_DAY: dict[str, tuple[str, int, int]] = {
    # name: (TIMEX3 code, start hour, end hour)
    "early_morning": ("MO", 0, 6),  # 凌晨
    "morning": ("MO", 0, 12),  # 早上 / 上午 / morning
    "late_morning": ("MO", 9, 12),
    "day_morning": ("MO", 4, 12),  # 早上 / 早晨: from daybreak (Duckling ZH), after 凌晨 begins
    "dawn": ("MO", 4, 7),  # 黎明 / 拂晓 / dawn
    "noon": ("MI", 12, 14),  # 中午 / noon
    "afternoon": ("AF", 12, 19),  # 下午 / afternoon
    "evening": ("EV", 18, 24),  # 傍晚 / 晚上 / evening
    "night": ("NI", 18, 24),  # 夜间 / night / tonight
    "late_night": ("NI", 21, 24),  # 深夜 / 午夜前
    "overnight": ("NI", 18, 30),  # 整夜 / overnight: into the next morning
    "daytime": ("DT", 6, 18),  # 白天 / daytime
    "forenoon": ("MO", 7, 12),  # 上午: the working morning, after 凌晨 and daybreak (JioNLP)
    "daylight": ("DT", 6, 19),  # 白天 / 白日: until dusk (JioNLP)
    "nighttime": ("NI", 20, 24),  # 夜间: weather reports' night begins at 20:00 (CMA, JioNLP)
}

SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}


@dataclass(frozen=True)
class TimeExpr:
    """One normalised time expression.

    Attributes
    ----------
    start, end : pandas.Timestamp or None
        The interval the expression denotes, ``end`` exclusive, in the reference's wall-clock
        time (naive). ``None`` for durations and for vague references with no anchor.
    granularity : str or None
        ``year``, ``quarter``, ``month``, ``week``, ``day``, ``part_of_day``, ``hour``, ``minute`` ...
    value : str
        The TIMEX3 value: ``2023-09-12``, ``2023-09-12TMO``, ``2023-07``, ``2019``, ``2023-W37``,
        ``P4Y``, ``PT5H``, ``PAST_REF``, ``PRESENT_REF``, ``FUTURE_REF``.
    mod : str or None
        TIMEX3 ``mod``: ``APPROX``, ``MORE_THAN``, ``LESS_THAN``, ``START``, ``MID``, ``END`` ...
    kind : str
        ``date``, ``time``, ``duration`` or ``set`` (the TIMEX3 type, lower case).
    text : str
        The expression as written.
    reason : str or None
        ``"out_of_range"`` when the interval lies outside pandas' nanosecond range (about
        1677-09-21 .. 2262-04-11; see :func:`bounded`): ``start``/``end`` are then
        second-resolution Timestamps for years 1..9999 and ``None`` beyond (BC years, year
        10000+); :func:`find_times` gives NaT for all of them. The ``value`` is kept whatever
        the range ("9999-12-31", "BC0221").

    Examples
    --------
    >>> import pandas as pd
    >>> t = parse_time("周二早上", pd.Timestamp("2023-09-12"))
    >>> t.value, str(t.start.date()), t.granularity
    ('2023-09-12TMO', '2023-09-12', 'part_of_day')
    """

    start: Any
    end: Any
    granularity: str | None
    value: str
    mod: str | None = None
    kind: str = "date"
    text: str = ""
    reason: str | None = None

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<tr><th style='text-align:left'>{k}</th><td>{html.escape(str(v))}</td></tr>"
            for k, v in (
                ("text", self.text),
                ("value", self.value),
                ("start", self.start),
                ("end", self.end),
                ("granularity", self.granularity),
                ("kind", self.kind),
                ("mod", self.mod),
                ("reason", self.reason),
            )
        )
        return f"<table>{rows}</table>"


# ----------------------------------------------------------------------------- pandas' range

#: ``TimeExpr.reason`` (and the times frame's ``reason``) when pandas cannot hold the interval.
OUT_OF_RANGE = "out_of_range"


def in_pandas_range(t: Any) -> bool:
    """Whether ``t`` (a Timestamp of any unit, or None) fits pandas' nanosecond range."""
    import pandas as pd

    if t is None:
        return True
    year = getattr(t, "year", None)
    if isinstance(year, int) and 1678 <= year <= 2261:  # inside by its year alone: no comparison
        return True
    try:
        return bool(pd.Timestamp.min <= t <= pd.Timestamp.max)
    except (TypeError, ValueError, OverflowError):
        return False


@overload
def bounded(expr: TimeExpr, *, ns: bool = False) -> TimeExpr: ...
@overload
def bounded(expr: None, *, ns: bool = False) -> None: ...
def bounded(expr: TimeExpr | None, *, ns: bool = False) -> TimeExpr | None:
    """``expr`` marked ``reason="out_of_range"`` when its interval does not fit pandas'
    nanosecond range (a year before 1677 or after 2262); the TIMEX3 ``value`` is always kept.

    With ``ns=False`` (:func:`parse_time`) ``start``/``end`` stay the second-resolution
    Timestamps the grammar made (years 1..9999); with ``ns=True`` (:func:`find_times`, whose
    columns are ``datetime64[ns]``) they become ``None``.

    Examples
    --------
    >>> import pandas as pd
    >>> far = TimeExpr(pd.Timestamp("9999-12-31").as_unit("s"), None, "day", "9999-12-31")
    >>> bounded(far).reason, bounded(far).start.year
    ('out_of_range', 9999)
    >>> t = bounded(far, ns=True)
    >>> t.start, t.value, t.reason
    (None, '9999-12-31', 'out_of_range')
    """
    from dataclasses import replace

    if expr is None or (in_pandas_range(expr.start) and in_pandas_range(expr.end)):
        return expr
    if ns:
        return replace(expr, start=None, end=None, reason=OUT_OF_RANGE)
    return replace(expr, reason=OUT_OF_RANGE)


# ----------------------------------------------------------------------------- the normaliser

_GRAIN_ORDER = (
    "second", "minute", "hour", "part_of_day", "day", "week", "month", "season", "quarter",
    "half", "year", "decade", "century",
)


def naive_time(x: Any) -> pd.Timestamp:
    """``x`` as a Timestamp in its own wall-clock time, without a time zone."""
    import pandas as pd

    t = pd.Timestamp(x)
    return t.tz_localize(None) if t.tzinfo is not None else t


_ts = naive_time


def reference_time(reference: Any) -> pd.Timestamp:
    """Return the naive wall-clock reference time for ``reference`` (a date, string or Timestamp).

    A tz-aware reference keeps its own wall-clock time: "周二" is the local Tuesday.
    """
    import pandas as pd

    if reference is None or (not isinstance(reference, str) and pd.isna(reference)):
        raise ValueError("reference time is missing; pass the article's publication time")
    return _ts(reference)


def floor(t: pd.Timestamp, grain: str) -> pd.Timestamp:
    """Truncate ``t`` to the start of its ``grain`` (weeks start on Monday, as in ISO 8601)."""
    import pandas as pd

    t = _ts(t)
    if grain == "second":
        return t.floor("s")
    if grain == "minute":
        return t.floor("min")
    if grain in ("hour", "part_of_day"):
        return t.floor("h")
    day = pd.Timestamp(t.date())
    if grain == "day":
        return day
    if grain == "week":
        return day - pd.Timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)
    if grain == "half":
        return day.replace(month=1 if day.month <= 6 else 7, day=1)
    if grain == "year":
        return day.replace(month=1, day=1)
    if grain == "decade":
        return day.replace(year=day.year // 10 * 10, month=1, day=1)
    if grain == "century":
        return day.replace(year=day.year // 100 * 100, month=1, day=1)
    raise ValueError(f"unknown granularity {grain!r}")


def shift(t: pd.Timestamp, n: int, unit: str) -> pd.Timestamp:
    """Move ``t`` by ``n`` calendar ``unit``s (months and years keep the day where it exists)."""
    import pandas as pd

    t = _ts(t)
    if unit in ("second", "minute", "hour", "day", "week"):
        return t + pd.Timedelta(**{unit + "s": n})
    months = {"month": 1, "quarter": 3, "half": 6, "year": 12, "decade": 120, "century": 1200}
    if unit not in months:
        raise ValueError(f"unknown unit {unit!r}")
    total = t.year * 12 + (t.month - 1) + n * months[unit]
    y, m = divmod(total, 12)
    d = min(t.day, calendar.monthrange(y, m + 1)[1])
    return t.replace(year=y, month=m + 1, day=d)


def grain_end(start: pd.Timestamp, grain: str) -> pd.Timestamp:
    """Return the exclusive end of the ``grain`` that begins at ``start``."""
    if grain == "part_of_day":
        raise ValueError("a part of the day has its own window; use part_of_day()")
    unit = "day" if grain == "day" else grain
    return shift(start, 1, unit)


def timex_value(start: pd.Timestamp, grain: str) -> str:
    """Format the TIMEX3 value of the ``grain`` beginning at ``start``."""
    t = _ts(start)
    if grain == "century":
        return f"{t.year // 100:02d}"
    if grain == "decade":
        return f"{t.year // 10:03d}"
    if grain == "year":
        return f"{t.year:04d}"
    if grain == "half":
        return f"{t.year:04d}-H{1 if t.month <= 6 else 2}"
    if grain == "quarter":
        return f"{t.year:04d}-Q{(t.month - 1) // 3 + 1}"
    if grain == "month":
        return f"{t.year:04d}-{t.month:02d}"
    if grain == "week":
        iso = t.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}"
    if grain == "day":
        return f"{t.year:04d}-{t.month:02d}-{t.day:02d}"
    if grain == "hour":
        return f"{t:%Y-%m-%dT%H}"
    if grain == "minute":
        return f"{t:%Y-%m-%dT%H:%M}"
    if grain == "second":
        return f"{t:%Y-%m-%dT%H:%M:%S}"
    raise ValueError(f"no TIMEX3 value for granularity {grain!r}")


def point(start: Any, grain: str, *, text: str = "", mod: str | None = None) -> TimeExpr:
    """The whole ``grain`` (day, month, year ...) containing ``start``."""
    s = floor(start, grain)
    kind = "time" if grain in ("hour", "minute", "second") else "date"
    return TimeExpr(s, grain_end(s, grain), grain, timex_value(s, grain), mod, kind, text)


def part_of_day(day: Any, name: str, *, text: str = "", mod: str | None = None) -> TimeExpr:
    """The window of the day called ``name`` (a key of :data:`PARTS_OF_DAY`) on ``day``."""
    import pandas as pd

    code, h0, h1 = PARTS_OF_DAY[name]
    d = floor(day, "day")
    start, end = d + pd.Timedelta(hours=h0), d + pd.Timedelta(hours=h1)
    return TimeExpr(start, end, "part_of_day", f"{timex_value(d, 'day')}T{code}", mod, "time", text)


def season(year: int, name: str, *, text: str = "", mod: str | None = None) -> TimeExpr:
    """A season of ``year`` (northern meteorological seasons: spring is March to May)."""
    import pandas as pd

    first = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}[name]
    s = pd.Timestamp(year=year, month=first, day=1)
    return TimeExpr(s, shift(s, 3, "month"), "season", f"{year:04d}-{SEASONS[name]}", mod, "date", text)


def interval(start: TimeExpr, end: TimeExpr, *, text: str = "", inclusive: bool = True) -> TimeExpr:
    """A range between two anchored expressions ("9月10日至12日"), at the finer granularity.

    ``inclusive`` ranges end where ``end`` ends (news "10 to 12 September" includes the 12th).
    """
    if start.start is None or end.start is None:
        raise ValueError("both ends of an interval must be anchored")
    stop = end.end if inclusive else end.start
    grain = min(
        (start.granularity or "day", end.granularity or "day"),
        key=lambda g: _GRAIN_ORDER.index(g) if g in _GRAIN_ORDER else 99,
    )
    return TimeExpr(start.start, stop, grain, f"{start.value}/{end.value}", None, "date", text)


def nearest_weekday(reference: Any, weekday: int, tense: str | None = None) -> pd.Timestamp:
    """The day with ``weekday`` (Monday=0) nearest ``reference``.

    News uses a bare weekday for the one closest to the publication date; the tense of the
    clause breaks the tie: ``tense="past"`` takes the latest one on or before the reference,
    ``"future"`` the first one on or after it, ``None`` the nearest (the past wins a tie, as
    reported news is mostly about what happened).
    """
    import pandas as pd

    ref = floor(reference, "day")
    back = (ref.weekday() - weekday) % 7
    fwd = (weekday - ref.weekday()) % 7
    if tense == "past":
        return ref - pd.Timedelta(days=back)
    if tense == "future":
        return ref + pd.Timedelta(days=fwd)
    return ref - pd.Timedelta(days=back) if back <= fwd else ref + pd.Timedelta(days=fwd)


def weekday_in_week(reference: Any, weekday: int, weeks: int) -> pd.Timestamp:
    """``weekday`` of the week ``weeks`` away from the reference's (上周二: weeks=-1)."""
    import pandas as pd

    monday = floor(reference, "week") + pd.Timedelta(weeks=weeks)
    return monday + pd.Timedelta(days=weekday)


def duration(amount: float, unit: str, *, text: str = "", mod: str | None = None) -> TimeExpr:
    """A duration such as "五至六个小时" (TIMEX3 ``PT5H``; the upper bound goes in ``mod``)."""
    code = {
        "second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "month": "M",
        "year": "Y", "decade": "DE", "century": "CE", "quarter": "Q",
    }[unit]
    n = int(amount) if float(amount).is_integer() else amount
    t = "T" if unit in ("second", "minute", "hour") else ""
    return TimeExpr(None, None, unit, f"P{t}{n}{code}", mod, "duration", text)


def vague(direction: str, reference: Any = None, *, text: str = "", span: Any = None) -> TimeExpr:
    """A vague reference: ``direction`` is ``past``, ``present`` or ``future``.

    ``start``/``end`` get an interval when one is implied: "目前" is the reference day; "此前" is
    unbounded before it; "今后几天" the next days (pass ``span`` as a Timedelta).
    """
    import pandas as pd

    value = {"past": "PAST_REF", "present": "PRESENT_REF", "future": "FUTURE_REF"}[direction]
    start = end = None
    if reference is not None:
        ref = reference_time(reference)
        day = floor(ref, "day")
        if direction == "present":
            start, end = day, day + pd.Timedelta(days=1)
        elif direction == "future" and span is not None:
            start, end = day + pd.Timedelta(days=1), day + pd.Timedelta(days=1) + span
        elif direction == "past" and span is not None:
            start, end = day - span, day
    return TimeExpr(start, end, None, value, None, "date", text)


def word_alternation(words) -> str:
    """A regex alternation matching exactly the literal ``words``, longest first.

    Written as a trie ("春节|春分" -> "春(?:节|分)"): the engine reads each character once instead
    of trying every word in turn, and words that are prefixes of one another are still tried
    longest first, so it matches what the flat alternation matches. Both grammars build their
    word lists with it. An empty list gives a pattern that never matches.
    """
    import re

    trie: dict = {}
    for w in set(words):
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        # longer continuations first, the end of a word (the empty branch) last
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if "" in node:
            alts.append("")
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(trie) if trie else "(?!)"


def with_text(expr: TimeExpr, text: str) -> TimeExpr:
    """Return ``expr`` with its ``text`` set (expressions are frozen)."""
    # the constructor, not dataclasses.replace(): this runs once per expression found
    return TimeExpr(expr.start, expr.end, expr.granularity, expr.value, expr.mod, expr.kind, text)
