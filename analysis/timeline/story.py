"""One story told by several articles: their per-article stops merged into one route.

Each article gives its own reported stops (:func:`analysis.timeline.routes.route` with
``article_id=``). A story's route pools them:

- a stop with its own time (``time_source`` ``expression`` or ``coreference``) merges with a stop
  at the same place from another article whose time agrees at their granularity (their calendar
  days overlap); when the two days differ by at most :data:`DAY_SLACK` days, the reports are
  merged and the stop says ``conflict == "day"``; further apart, it is a new visit;
- a departure joins the stay it ends (the latest stop at that place begun up to
  :data:`STAY_DAYS` days before), and a stop is dated by being there (arrived, visited, met), not
  by heading there or leaving, when some report says so;
- a stop whose time was only inherited (``previous``, ``published``, none) retells a visit: it
  joins the same place's stop told with a time by another article (the nearest in time), else it
  stands on its own (an undated background recap, ``time_source == "background"``, is dropped);
- a country or region is dropped when an article of the story names a stop inside it (the
  stops are the route, as within one article);
- two arrivals from different articles at the same time of day (finer than a day) at places more
  than :data:`PLACE_CONFLICT_KM` apart cannot both be right: both say ``conflict == "place"``.

Every merged stop keeps ``sources`` (the article ids that report it, in article order),
``n_sources`` and ``first_reported`` / ``last_reported`` (the earliest and latest ``published`` of
those articles). Stops are in time order; stops that share a time keep their articles' order.
"""

from __future__ import annotations

import math
from typing import Any

from analysis import schema as S

#: days two reports of one stop may disagree by and still be one stop (with a conflict)
DAY_SLACK = 1
#: arrivals at the same time of day further apart than this are a conflict on the place
PLACE_CONFLICT_KM = 50.0

_STRONG = ("expression", "coreference")
_PASSING = {"toward", "depart"}
#: a departure reported this many days after an arrival at the place still ends that stay
STAY_DAYS = 30
_CONTAINERS = ("continent", "country", "region")
_SOURCE_RANK = {"expression": 0, "coreference": 1, "paragraph": 2, "previous": 2, "published": 3}
_GRAIN_RANK = {g: i for i, g in enumerate(
    ("second", "minute", "hour", "part_of_day", "day", "week", "month", "season", "quarter",
     "half", "year", "decade", "century"))}


def _na(v: Any) -> bool:
    return v is None or (not isinstance(v, (list, tuple, str)) and v != v) or str(v) in ("NaT",
                                                                                        "<NA>")


def _days(stop: dict) -> tuple[Any, Any] | None:
    """The calendar days a stop's time covers, [first, last], or None when undated."""
    import pandas as pd

    a, b = stop.get(S.TIME_START), stop.get(S.TIME_END)
    if _na(a):
        return None
    a = pd.Timestamp(a)
    b = a if _na(b) else pd.Timestamp(b) - pd.Timedelta(microseconds=1)
    return a.normalize(), max(a, b).normalize()


def _km(a: dict, b: dict) -> float:
    """Great-circle distance between two stops (inf when either lacks coordinates)."""
    la1, lo1, la2, lo2 = (a.get(S.LATITUDE), a.get(S.LONGITUDE), b.get(S.LATITUDE),
                          b.get(S.LONGITUDE))
    if any(_na(v) for v in (la1, lo1, la2, lo2)):
        return math.inf
    p1, p2 = math.radians(la1), math.radians(la2)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lo2 - lo1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _strong(stop: dict) -> bool:
    return stop.get(S.TIME_SOURCE) in _STRONG and not _na(stop.get(S.TIME_START))


def _gap_days(a: tuple, b: tuple) -> int:
    """Whole days between two day spans (0 when they overlap)."""
    if a[1] < b[0]:
        return (b[0] - a[1]).days
    if b[1] < a[0]:
        return (a[0] - b[1]).days
    return 0


def _best(reports: list[dict]) -> dict:
    """The report that dates a stop best: its own time, then among those the earliest day (the
    arrival, not the departure after a stay), the finest grain, the earliest article."""
    strong = [r for r in reports if _strong(r)]
    # dated by being there (arrived, visited, met), not by heading there or leaving
    there = [r for r in strong if set(str(r.get(S.MOVEMENT)).split(", ")) - _PASSING]
    strong = there or strong
    if strong:
        first = min(_days(r)[0] for r in strong)
        reports = [r for r in strong if _days(r)[0] == first]
    return min(reports, key=lambda r: (_SOURCE_RANK.get(r.get(S.TIME_SOURCE), 9),
                                       _GRAIN_RANK.get(r.get(S.GRANULARITY), 99),
                                       r["_order"]))


def _day_conflict(reports: list[dict]) -> bool:
    """Whether reports give one movement at this place (an arrival, a departure) different days."""
    seen: dict[str, set] = {}
    for r in reports:
        if _strong(r):
            for mv in str(r.get(S.MOVEMENT)).split(", "):
                seen.setdefault(mv, set()).add(_days(r)[0])
    return any(len(days) > 1 for days in seen.values())


def _cluster(stops: list[dict]) -> list[list[dict]]:
    """Group the reports of one stop (see the module docstring)."""
    import pandas as pd

    clusters: list[list[dict]] = []
    big = pd.Timestamp.max

    strong = sorted((s for s in stops if _strong(s)),
                    key=lambda s: (pd.Timestamp(s[S.TIME_START]), s["_order"]))
    for s in strong:
        mine = _days(s)
        if set(str(s.get(S.MOVEMENT)).split(", ")) == {"depart"}:
            stay = _stay_of(s, clusters)
            if stay is not None:
                stay.append(s)
                continue
        best, best_gap = None, None
        for c in clusters:
            if c[0]["_key"] != s["_key"] or any(r[S.ARTICLE_ID] == s[S.ARTICLE_ID] for r in c):
                continue
            gap = min(_gap_days(mine, _days(r)) for r in c if _strong(r))
            if gap <= DAY_SLACK and (best_gap is None or gap < best_gap):
                best, best_gap = c, gap
        if best is None:
            clusters.append([s])
        else:
            best.append(s)
    for s in (s for s in stops if not _strong(s)):
        same = [c for c in clusters if c[0]["_key"] == s["_key"] and _strong(c[0])] or [
            c for c in clusters if c[0]["_key"] == s["_key"]
            and all(r[S.ARTICLE_ID] != s[S.ARTICLE_ID] for r in c)]
        if same:
            t = pd.Timestamp(s[S.TIME_START]) if not _na(s[S.TIME_START]) else None
            pick = min(same, key=lambda c: _distance(_best(c), t, big))
            pick.append(s)
        elif s.get(S.TIME_SOURCE) != "background":  # an undated recap of a stop no one dates
            clusters.append([s])
    return clusters


def _distance(stop: dict, t: Any, big: Any) -> Any:
    """How far a stop's time is from ``t`` (undated stops and ``t`` None: the latest first)."""
    import pandas as pd

    if _na(stop.get(S.TIME_START)):
        return pd.Timedelta.max
    if t is None:
        return big - pd.Timestamp(stop[S.TIME_START])
    return abs(pd.Timestamp(stop[S.TIME_START]) - t)


def _stay_of(s: dict, clusters: list[list[dict]]) -> list[dict] | None:
    """The latest stay at the place that a departure ends: begun up to :data:`STAY_DAYS` before."""
    mine = _days(s)
    best = None
    for c in clusters:
        if c[0]["_key"] != s["_key"] or any(r[S.ARTICLE_ID] == s[S.ARTICLE_ID] for r in c):
            continue
        begun = min(_days(r)[0] for r in c if _strong(r))
        if begun <= mine[0] and (mine[0] - begun).days <= STAY_DAYS:
            if best is None or begun > min(_days(r)[0] for r in best if _strong(r)):
                best = c
    return best


def _merge(reports: list[dict]) -> dict:
    """One stop from the reports of it."""
    row = dict(_best(reports))
    reports = sorted(reports, key=lambda r: r["_order"])
    movements: list[str] = []
    for r in reports:
        for mv in str(r.get(S.MOVEMENT)).split(", "):
            if mv not in movements:
                movements.append(mv)
    row[S.MOVEMENT] = ", ".join(movements)
    ids = list(dict.fromkeys(r[S.ARTICLE_ID] for r in reports))
    row[S.SOURCES] = ids
    row[S.N_SOURCES] = len(ids)
    pubs = [r["_published"] for r in reports if not _na(r["_published"])]
    row[S.FIRST_REPORTED] = min(pubs) if pubs else None
    row[S.LAST_REPORTED] = max(pubs) if pubs else None
    row[S.CONFLICT] = "day" if _day_conflict(reports) else None
    row["_reports"] = reports
    return row


def _place_conflicts(rows: list[dict]) -> None:
    """Flag arrivals reported at one time of day at places too far apart to both be right."""
    fine = ("second", "minute", "hour", "part_of_day")
    arrivals = [r for r in rows if r[S.MOVEMENT].split(", ")[0] in ("arrive", "enter")
                and _strong(r) and r.get(S.GRANULARITY) in fine]
    for i, a in enumerate(arrivals):
        for b in arrivals[i + 1:]:
            if set(a[S.SOURCES]) & set(b[S.SOURCES]):
                continue
            if a[S.TIME_START] == b[S.TIME_START] and _km(a, b) > PLACE_CONFLICT_KM:
                for r in (a, b):
                    r[S.CONFLICT] = "day, place" if r[S.CONFLICT] == "day" else "place"


def consolidate(stops: list[dict]) -> list[dict]:
    """Merge the per-article stops of one story into one route, in time order.

    Parameters
    ----------
    stops : list of dict
        Every article's stops (the columns of :data:`analysis.schema.ROUTE_STOP_DTYPES`), each with
        ``_key`` (the place's identity), ``_order`` (article order, stop order) and ``_published``.

    Returns
    -------
    list of dict
        One dict per stop of the story, with ``sources``, ``n_sources``, ``first_reported``,
        ``last_reported`` and ``conflict`` set; private keys are kept for the caller to drop.
    """
    import pandas as pd

    # a country or region is context when some article of the story names a stop inside it
    inside = {s.get(S.COUNTRY_CODE) for s in stops if s.get(S.FEATURE) not in _CONTAINERS}
    stops = [s for s in stops if not (s.get(S.FEATURE) in _CONTAINERS
                                      and s.get(S.COUNTRY_CODE) in inside
                                      and not _na(s.get(S.COUNTRY_CODE)))]
    rows = [_merge(c) for c in _cluster(stops)]
    _place_conflicts(rows)
    nat = pd.Timestamp.max
    rows.sort(key=lambda r: (pd.Timestamp(r[S.TIME_START]) if not _na(r[S.TIME_START]) else nat,
                             min(x["_order"] for x in r["_reports"])))
    # a stay told in parts (arrived on the 8th, left on the 10th) is one stop, dated by its start;
    # a new arrival at the same place is a new visit
    out: list[dict] = []
    for r in rows:
        if (out and out[-1]["_key"] == r["_key"]
                and r[S.MOVEMENT].split(", ")[0] not in ("arrive", "enter")):
            merged = _merge(out[-1]["_reports"] + r["_reports"])
            for k in (S.TIME_START, S.TIME_END, S.TIME_TEXT, S.GRANULARITY, S.TIME_SOURCE,
                      S.EVIDENCE, S.EVIDENCE_START, S.EVIDENCE_END, S.ARTICLE_ID, S.CONFLICT):
                merged[k] = out[-1][k]
            out[-1] = merged
        else:
            out.append(r)
    return out


__all__ = ["consolidate", "DAY_SLACK", "PLACE_CONFLICT_KM", "STAY_DAYS"]
