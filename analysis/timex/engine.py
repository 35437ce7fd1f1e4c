"""parse_time and find_times: the language's grammar over a text, normalised by ``expr``."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from analysis.text.script import is_zh
from analysis.timex import calendars
from analysis.timex.expr import TimeExpr, bounded, naive_time, reference_time

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

log = logging.getLogger(__name__)


def _lang_of(text: str, lang: str | None) -> str:
    """The grammar for ``text``: "zh" or "en" (the rule is :func:`analysis.text.script.is_zh`)."""
    return "zh" if is_zh(text, lang) else "en"


def _grammar(lang: str):
    if lang == "zh":
        from analysis.timex.lang import zh as grammar
    else:
        from analysis.timex.lang import en as grammar
    return grammar


def parse_time(text: str, reference: Any, lang: str | None = None) -> TimeExpr | None:
    """Parse one time expression and normalise it against ``reference``.

    Parameters
    ----------
    text : str
        The expression ("周二早上", "9月10日至12日", "last Tuesday", "for about five hours").
    reference : str, datetime or pandas.Timestamp
        The reference time, usually the article's publication time.
    lang : str, optional
        ``zh``/``zh-Hans``/``zh-Hant``/``en``; detected from the script when omitted.

    Returns
    -------
    TimeExpr or None
        ``None`` when ``text`` holds no time expression.

    Examples
    --------
    >>> parse_time("上周二", "2023-09-12").value
    '2023-09-05'
    >>> parse_time("hello", "2023-09-12") is None
    True
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    ref = reference_time(reference)
    if not text.strip():
        return None
    early = calendars.early_years(text)
    if early:
        return max(early, key=lambda x: x[1] - x[0])[2]
    rw = calendars.gregorian_years(text, lang, ref)
    got = _grammar(_lang_of(text, lang)).parse(rw.text if rw else text, ref)
    if got is not None and rw is not None:
        at = rw.text.find(got.text)
        if at >= 0:
            got = replace(got, text=text[rw.origin[at]:rw.origin[at + len(got.text)]])
    return bounded(got)


def _find(text: str, ref: Any, lang: str | None) -> list[tuple[int, int, TimeExpr]]:
    """One article's expressions: era years read as Gregorian ones, early years added
    (BC and first-millennium years, :func:`calendars.early_years`)."""
    rw = calendars.gregorian_years(text, lang, ref)
    grammar = _grammar(_lang_of(text[:2000], lang))
    if rw is None:
        found = grammar.find(text, ref)
    else:
        found = [(rw.origin[s], rw.origin[e], replace(x, text=text[rw.origin[s]:rw.origin[e]]))
                 for s, e, x in grammar.find(rw.text, ref)]
    return calendars.with_early_years(text, found)


def find_times(articles: pd.DataFrame, *, progress: bool = False) -> pd.DataFrame:
    """Find and normalise every time expression in every article.

    Parameters
    ----------
    articles : pandas.DataFrame
        The frame :func:`analysis.load_articles` returns (``article_id``, ``text``, ``published``,
        ``lang``).
    progress : bool
        Show a progress bar over the articles.

    Returns
    -------
    pandas.DataFrame
        One row per expression, columns :data:`analysis.schema.TIME_COLUMNS`: ``article_id``,
        ``start``, ``end`` (offsets into the article's ``text``), ``surface``, ``value`` (TIMEX3),
        ``mod``, ``time_start``, ``time_end``, ``granularity``, ``kind``, ``reason``
        (``"out_of_range"`` where ``time_start``/``time_end`` are NaT because pandas cannot
        hold the date; the ``value`` is kept).

    Examples
    --------
    >>> import analysis as an
    >>> arts = an.load_articles("data/articles")
    >>> an.find_times(arts)[["surface", "value"]].head(2)  # doctest: +SKIP
    """
    import pandas as pd

    from analysis import schema as S

    missing = {S.ARTICLE_ID, S.TEXT} - set(articles.columns)
    if missing:
        raise ValueError(f"articles lacks column(s) {sorted(missing)}; pass load_articles() output")
    # built column by column: one list per column, one frame at the end
    cols: dict[str, list] = {c: [] for c in (S.ARTICLE_ID, S.START, S.END, S.SURFACE, S.VALUE,
                                             S.MOD, S.TIME_START, S.TIME_END, S.GRANULARITY,
                                             S.KIND, S.REASON)}
    ids, starts, ends, surfaces = cols[S.ARTICLE_ID], cols[S.START], cols[S.END], cols[S.SURFACE]
    values, mods, t0s, t1s = cols[S.VALUE], cols[S.MOD], cols[S.TIME_START], cols[S.TIME_END]
    grains, kinds, reasons = cols[S.GRANULARITY], cols[S.KIND], cols[S.REASON]
    it = articles.itertuples(index=False)
    if progress:
        from tqdm.auto import tqdm

        it = tqdm(it, total=len(articles), desc="times", unit="article")
    for art in it:
        text = getattr(art, S.TEXT)
        if not isinstance(text, str) or not text:
            continue
        published = getattr(art, S.PUBLISHED, None)
        if published is None or pd.isna(published):
            log.warning("article %s has no publication date: relative times left unanchored",
                        getattr(art, S.ARTICLE_ID))
            ref = None
        else:
            ref = naive_time(published)
            offset = getattr(art, S.PUBLISHED_OFFSET, None)
            if offset is not None and not pd.isna(offset):
                ref = ref + pd.Timedelta(minutes=int(offset))
        tag = getattr(art, S.LANG, None)
        found = _find(text, ref, tag if isinstance(tag, str) else None)
        if not found:
            continue
        ids.extend([getattr(art, S.ARTICLE_ID)] * len(found))
        for start, end, found_expr in found:
            expr = bounded(found_expr, ns=True)
            starts.append(start)
            ends.append(end)
            surfaces.append(text[start:end])
            values.append(expr.value)
            mods.append(expr.mod)
            t0s.append(expr.start)
            t1s.append(expr.end)
            grains.append(expr.granularity)
            kinds.append(expr.kind)
            reasons.append(expr.reason)
    if not ids:
        return S.empty_frame(S.TIME_DTYPES)
    return S.coerce(pd.DataFrame(cols), S.TIME_DTYPES)


__all__ = ["TimeExpr", "parse_time", "find_times"]
