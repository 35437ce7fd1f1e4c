"""Calendars other than the Gregorian one, shared by both grammars.

Era years (data/eras.csv: the Republic of China's 民國, Japan's 明治 .. 令和, the Qing emperors'
era names, the Ming ones and the best-known Tang ones) are rewritten to Gregorian years before a
grammar reads the text, with a map back to the original offsets, so "民國113年3月5日" is read
exactly like "2024年3月5日" and its surface stays the text as written. Years the grammars cannot
read as years become expressions of their own (:func:`early_years`): years before the common era
(公元前221年, 221 BC -> TIMEX3 ``BC0221``), and years of the first millennium that a marker says
are years (公元79年, AD 79, 79 CE, an era year such as 贞观三年 -> ``0629``; a bare "79年" stays a
duration). pandas cannot hold them, so ``start``/``end`` are None and ``reason`` is
``"out_of_range"``.

Bare ROC years. Taiwanese news writes the year without 民國: "113年3月5日". The rule: a text
whose language tag is ``zh-Hant``, ``zh-TW`` or ``zh-Hant-TW`` (not ``zh-HK``/``zh-MO``, whose
news writes Gregorian years) reads a 2- or 3-digit number directly before ``年`` *and a month*
("113年3月", "98年12月") as an ROC year, when it is at most the reference's ROC year + 1
(2024 -> 114). "成立113年" (no month) stays a duration, and so does every such phrase in a
simplified-Chinese or untagged text.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from analysis.timex.expr import OUT_OF_RANGE, TimeExpr

_DATA = Path(__file__).parent / "data"
_TAIWAN_TAGS = {"zh-hant", "zh-tw", "zh-hant-tw"}
_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"(?:元|[0-9０-９]{1,4}|[〇零一二两兩三四五六七八九十百千]{1,6})"


@dataclass(frozen=True)
class Era:
    """One era of a regnal or republican calendar: year ``n`` of it is ``first_year + n - 1``."""

    calendar: str
    name: str
    variants: tuple[str, ...]
    first_year: int
    last_year: int | None

    def gregorian(self, n: int) -> int | None:
        """The Gregorian year of year ``n`` of this era, or None outside the era."""
        year = self.first_year + n - 1
        if n < 1 or (self.last_year is not None and year > self.last_year):
            return None
        return year


class Rewrite(NamedTuple):
    """A text with era years written as Gregorian ones, and where each offset came from."""

    text: str
    origin: list[int]  # origin[i]: offset in the original text of offset i (len(text) + 1)


@cache
def eras() -> tuple[Era, ...]:
    """The eras of data/eras.csv, loaded once."""
    with open(_DATA / "eras.csv", encoding="utf-8", newline="") as fh:
        return tuple(
            Era(r["calendar"], r["era"], tuple(r["variants"].split("|")), int(r["first_year"]),
                int(r["last_year"]) if r["last_year"] else None)
            for r in csv.DictReader(fh)
        )


def small_number(s: str) -> int | None:
    """Read an era year: "元" (1), "113", "１１３", "三", "十三", "一百一十三", "一一三"."""
    s = unicodedata.normalize("NFKC", s.strip())
    if not s:
        return None
    if s == "元":
        return 1
    if s.isdigit():
        return int(s)
    if all(c in _CN_DIGITS for c in s):
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    total, digit = 0, None
    for c in s:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        elif c in "十百千":
            total += (1 if digit is None else digit) * {"十": 10, "百": 100, "千": 1000}[c]
            digit = None
        else:
            return None
    return total + (digit or 0)


@cache
def _era_patterns() -> tuple[re.Pattern, re.Pattern, dict[str, Era]]:
    by_name = {v: e for e in eras() for v in e.variants}
    han = sorted((v for v in by_name if not v.isascii() or not v.isalpha()), key=len, reverse=True)
    latin = sorted((v for v in by_name if v not in han), key=len, reverse=True)
    zh = re.compile(rf"(?P<era>{'|'.join(map(re.escape, han))})\s*(?P<n>{_NUM})(?=\s*年)")
    en = re.compile(rf"\b(?P<era>{'|'.join(map(re.escape, latin))})\s+(?P<n>\d{{1,2}})\b", re.I)
    return zh, en, by_name


_BARE_ROC = re.compile(r"(?<![\d０-９.\-/:])(?P<n>\d{2,3})(?=\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月)")


def taiwan_years(lang: str | None) -> bool:
    """Whether bare 2-3 digit years before a month are ROC years in a text tagged ``lang``."""
    return isinstance(lang, str) and lang.strip().lower().replace("_", "-") in _TAIWAN_TAGS


def gregorian_years(text: str, lang: str | None = None, reference: Any = None) -> Rewrite | None:
    """``text`` with each era year replaced by its Gregorian year, or None when it has none.

    Parameters
    ----------
    text : str
        The text as written.
    lang : str, optional
        The text's language tag; ``zh-Hant``/``zh-TW`` turns on bare ROC years (module docstring).
    reference : pandas.Timestamp, optional
        The publication time; bounds bare ROC years (at most next year).

    Returns
    -------
    Rewrite or None

    Examples
    --------
    >>> gregorian_years("民國113年3月5日").text
    '2024年3月5日'
    >>> gregorian_years("113年3月5日", "zh-Hant").text
    '2024年3月5日'
    >>> gregorian_years("113年3月5日", "zh-Hans") is None
    True
    """
    zh, en, by_name = _era_patterns()
    subs: list[tuple[int, int, str]] = []
    for rx in (zh, en):
        for m in rx.finditer(text):
            era = by_name.get(m["era"]) or next(
                (e for k, e in by_name.items() if k.lower() == m["era"].lower()), None)
            n = small_number(m["n"])
            year = None if era is None or n is None else era.gregorian(n)
            if year is not None and year >= 1000:  # earlier ones: early_years
                subs.append((m.start(), m.end(), str(year)))
    if taiwan_years(lang):
        roc = next(e for e in eras() if e.calendar == "roc")
        newest = None if reference is None else reference.year - roc.first_year + 2
        for m in _BARE_ROC.finditer(text):
            n = int(m["n"])
            if n >= 1 and (newest is None or n <= newest) and \
                    not any(s <= m.start() < e for s, e, _ in subs):
                subs.append((m.start(), m.end(), str(roc.gregorian(n))))
    if not subs:
        return None
    return _apply(text, sorted(subs))


def _apply(text: str, subs: list[tuple[int, int, str]]) -> Rewrite:
    parts: list[str] = []
    origin: list[int] = []
    at = 0
    for s, e, new in subs:
        if s < at:
            continue
        parts.append(text[at:s])
        origin.extend(range(at, s))
        parts.append(new)
        origin.extend([s] * len(new))
        at = e
    parts.append(text[at:])
    origin.extend(range(at, len(text) + 1))
    # an expression ending right after a replacement maps to the end of the original span
    return Rewrite("".join(parts), origin)


_BC_ZH = re.compile(rf"(?:公元|西元)前\s*(?P<n>{_NUM})\s*年")
_BC_EN = re.compile(r"(?<![\w.])(?P<n>\d{1,5})\s*(?:BCE|BC|B\.C\.E\.|B\.C\.)(?![A-Za-z])")
_AD_ZH = re.compile(rf"(?:公元|西元)(?!前)\s*(?P<n>{_NUM})\s*年")
_AD_EN = re.compile(r"(?<![\w.])(?:(?:AD|A\.D\.)\s*(?P<n>\d{1,3})(?!\d|[,.]\d)"
                    r"|(?P<m>\d{1,3})\s*(?:AD|CE|A\.D\.|C\.E\.)(?![A-Za-z]))")


def _year(m: re.Match, value: str) -> tuple[int, int, TimeExpr]:
    """A year expression pandas cannot hold, over the whole match."""
    return (m.start(), m.end(),
            TimeExpr(None, None, "year", value, None, "date", m.group(0), OUT_OF_RANGE))


def early_years(text: str) -> list[tuple[int, int, TimeExpr]]:
    """Years the grammars cannot read as years: ``[(start, end, TimeExpr)]`` with TIMEX3 values,
    ``BC0221`` before the common era, ``0629`` in the first millennium (module docstring).
    pandas cannot hold them, so ``start``/``end`` are None.

    Examples
    --------
    >>> [(s, e, t.value) for s, e, t in early_years("秦始皇于公元前221年统一六国")]
    [(4, 11, 'BC0221')]
    >>> early_years("Qin unified China in 221 BC.")[0][2].value
    'BC0221'
    >>> [t.value for _, _, t in early_years("贞观三年，玄奘西行；公元79年维苏威火山喷发")]
    ['0629', '0079']
    >>> early_years("他在公司工作了79年") == early_years("about 1200 AD") == early_years("AD 2024") == []
    True
    """
    out = []
    for rx in (_BC_ZH, _BC_EN):
        for m in rx.finditer(text):
            n = small_number(m["n"])
            if n:
                out.append(_year(m, f"BC{n:04d}"))
    for rx in (_AD_ZH, _AD_EN):
        for m in rx.finditer(text):
            n = small_number(m["n"] or m.groupdict().get("m") or "")
            if n and n < 1000:
                out.append(_year(m, f"{n:04d}"))
    zh, _, by_name = _era_patterns()
    for m in zh.finditer(text):
        n = small_number(m["n"])
        year = None if n is None else by_name[m["era"]].gregorian(n)
        if year is not None and year < 1000:
            end = text.index("年", m.end()) + 1
            out.append((m.start(), end, TimeExpr(None, None, "year", f"{year:04d}", None, "date",
                                                 text[m.start():end], OUT_OF_RANGE)))
    return sorted(out, key=lambda x: x[0])


def with_early_years(text: str, found: list) -> list:
    """``found`` (a grammar's ``[(start, end, TimeExpr)]``) with the early years of ``text`` in
    place of whatever the grammar read inside them ("前221年" or "629年" as a duration)."""
    early = early_years(text)
    if not early:
        return found
    keep = [f for f in found if not any(f[0] < e and s < f[1] for s, e, _ in early)]
    return sorted(keep + early, key=lambda x: x[0])


# ----------------------------------------------------------------------------- holiday dates

#: Hijri (month, day) -> the ``holidays`` package's table of that feast (Umm al-Qura dates).
ISLAMIC_FEASTS: dict[tuple[int, int], str] = {
    (1, 1): "hijri_new_year_dates", (1, 10): "ashura_dates", (3, 12): "mawlid_dates",
    (7, 27): "isra_and_miraj_dates", (9, 1): "ramadan_beginning_dates",
    (10, 1): "eid_al_fitr_dates", (12, 10): "eid_al_adha_dates",
}


@cache
def holiday_calendar(name: str):
    """The ``holidays`` package's ``hebrew``, ``islamic``, ``hindu`` or ``chinese`` calendar,
    or None when that optional package is missing (fixed and Easter holidays still work)."""
    try:
        from holidays.calendars import (
            _ChineseLunisolar,
            _HebrewLunisolar,
            _HinduLunisolar,
            _IslamicLunar,
        )
    except ImportError:  # pragma: no cover - holidays is a declared dependency
        return None
    return {"hebrew": _HebrewLunisolar, "islamic": _IslamicLunar, "hindu": _HinduLunisolar,
            "chinese": _ChineseLunisolar}[name]()


@cache
def lunar_new_year(year: int):
    """The Gregorian day of the Chinese lunar new year (春节) in ``year``, or None outside the
    ``holidays`` tables. The one answer both grammars give: 2034 -> 2034-02-19.

    Examples
    --------
    >>> str(lunar_new_year(2034).date())
    '2034-02-19'
    """
    import pandas as pd

    cal = holiday_calendar("chinese")
    if cal is None:
        return None
    d = cal.lunar_new_year_date(year)[0]
    return None if d is None else pd.Timestamp(d)


@cache
def islamic_feast(year: int, month: int, day: int):
    """The Gregorian day of the Hijri feast ``month``/``day`` that falls in ``year`` (the first
    one when it falls twice), from the Umm al-Qura tables of the ``holidays`` package, or None
    when the feast has no table or ``year`` is outside it.

    Examples
    --------
    >>> str(islamic_feast(2025, 12, 10).date())  # Eid al-Adha, Saudi Arabia: Friday 6 June 2025
    '2025-06-06'
    """
    import pandas as pd

    cal, method = holiday_calendar("islamic"), ISLAMIC_FEASTS.get((month, day))
    if cal is None or method is None:
        return None
    try:
        days = sorted(d[0] if isinstance(d, tuple) else d for d in getattr(cal, method)(year))
    except (KeyError, ValueError, TypeError):
        return None
    days = [d for d in days if d is not None and d.year == year]
    return pd.Timestamp(days[0]) if days else None


@cache
def table_holiday(calendar: str, method: str, year: int):
    """The Gregorian day ``method`` of the ``holidays`` package's ``calendar`` gives for
    ``year`` (the first one when it gives several), or None outside its tables.

    Examples
    --------
    >>> str(table_holiday("hindu", "diwali_date", 2019).date())
    '2019-10-27'
    """
    import pandas as pd

    cal = holiday_calendar(calendar)
    fn = getattr(cal, method, None) if cal is not None else None
    if fn is None:
        return None
    try:
        got = fn(year)
        days = [got] if isinstance(got, tuple) else list(got)
    except (KeyError, ValueError, TypeError):
        return None
    days = sorted(d[0] if isinstance(d, tuple) else d for d in days)
    days = [d for d in days if d is not None and getattr(d, "year", None) == year]
    return pd.Timestamp(days[0]) if days else None
