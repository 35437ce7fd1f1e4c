"""Labels every view shares: a place's name in the article's language and the highlighted evidence.

Time labels come from :func:`analysis.timex.format.format_when`; the map, the timeline plot, the
explorer and the report all use these, so a place or a sentence reads the same everywhere.
"""

from __future__ import annotations

import csv
import functools
import html
from importlib import resources
from typing import Any, get_args

from analysis import schema as S
from analysis.text.script import dominant_lang, has_cjk

__all__ = ["column", "highlight", "is_missing", "place_label", "resolve_lang", "with_features", "word"]



def place_label(name: Any, name_zh: Any, surface: Any, lang: str) -> str:
    """The label of a place: its Chinese or English name, falling back to the surface form.

    Parameters
    ----------
    name, name_zh, surface : str or None
        The gazetteer's English and Chinese names and the form the text used.
    lang : str
        ``"zh"`` (any Chinese variant) or ``"en"``.

    Returns
    -------
    str

    Examples
    --------
    >>> place_label("Pyongyang", "平壤", "平壤", "zh"), place_label("Pyongyang", "平壤", "平壤", "en")
    ('平壤', 'Pyongyang')
    """
    def ok(v: Any) -> bool:
        return isinstance(v, str) and bool(v)

    if str(lang).startswith("zh"):
        order = (name_zh, surface if ok(surface) and has_cjk(surface) else None, name, surface)
    else:
        order = (name, surface, name_zh)
    return next((str(v) for v in order if ok(v)), "?")


def highlight(evidence: Any, start: Any, end: Any, evidence_start: Any,
              surface: str | None = None) -> str:
    """The evidence sentence as HTML with the place mention in ``<mark>``; every part escaped.

    The mention is found by its offsets in the article (``start``/``end``, the sentence starting at
    ``evidence_start``); when those do not fall on ``surface`` inside the sentence, the first
    occurrence of ``surface`` is marked.

    Examples
    --------
    >>> highlight("He left <b>Pyongyang</b>.", 11, 20, 0, "Pyongyang")
    'He left &lt;b&gt;<mark>Pyongyang</mark>&lt;/b&gt;.'
    """
    import pandas as pd

    def missing(v: Any) -> bool:
        return v is None or (not isinstance(v, str) and bool(pd.isna(v)))

    if missing(evidence):
        return ""
    text = str(evidence)
    surface = surface if isinstance(surface, str) and surface else None
    a = b = -1
    if not any(missing(v) for v in (start, end, evidence_start)):
        a, b = int(start) - int(evidence_start), int(end) - int(evidence_start)
        if not 0 <= a < b <= len(text) or (surface and text[a:b] != surface):
            a = b = -1
    if a < 0 and surface and surface in text:
        a = text.index(surface)
        b = a + len(surface)
    if a < 0:
        return html.escape(text)
    return (html.escape(text[:a]) + "<mark>" + html.escape(text[a:b]) + "</mark>"
            + html.escape(text[b:]))


@functools.cache
def _words() -> dict[tuple[str, str], dict[str, str]]:
    """``data/words.csv`` keyed by (kind, value), loaded once."""
    text = resources.files("analysis.views").joinpath("data/words.csv").read_text("utf-8")
    rows = csv.DictReader(ln for ln in text.splitlines() if ln and not ln.startswith("#"))
    return {(r["kind"], r["value"]): r for r in rows}


def word(kind: str, value: Any, lang: str) -> str:
    """The word a view shows for a ``movement``, ``certainty``, ``role`` or ``feature`` value, in
    the label language.

    A comma-separated list of movements ("enter, depart") is translated item by item; an unknown
    value is shown as it is.

    Examples
    --------
    >>> word("movement", "enter, depart", "zh"), word("certainty", "expected", "zh-Hant")
    ('进入、出发', '預計')
    """
    if not isinstance(value, str) or not value:
        return ""
    key = "zh-Hant" if str(lang) == "zh-Hant" else "zh" if str(lang).startswith("zh") else "en"
    parts = [p.strip() for p in value.split(",")]
    out = [_words().get((kind, p), {}).get(key) or p for p in parts]
    return ("、" if key != "en" else ", ").join(out)


def resolve_lang(labels: str, frames) -> str:
    """``"zh"`` or ``"en"``: the ``labels`` argument, else the frames' ``lang``, else their text.

    Every view labels a frame in one language, chosen by the one rule of
    :func:`analysis.text.script.dominant_lang`.

    Examples
    --------
    >>> import pandas as pd
    >>> resolve_lang("auto", [pd.DataFrame({"lang": ["zh-Hant", "en", "zh-Hans"]})])
    'zh'
    """
    if labels not in get_args(S.Labels):
        raise ValueError(f"labels must be 'auto', 'zh' or 'en', got {labels!r}")
    if labels != "auto":
        return labels
    for frame in frames:
        if frame is not None and S.LANG in frame.columns and frame[S.LANG].notna().any():
            return "zh" if dominant_lang(frame[S.LANG].tolist()).startswith("zh") else "en"
    texts = []
    for frame in frames:
        if frame is None:
            continue
        for col in (S.SURFACE, S.EVIDENCE, S.TIME_TEXT):
            if col in frame.columns:
                texts.extend(frame[col].dropna().astype(str).tolist())
    return "zh" if dominant_lang([], texts).startswith("zh") else "en"


@functools.lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Country names (English and Chinese, Natural Earth) -> ISO code."""
    from analysis.views import basemap

    world = basemap.countries()
    out: dict[str, str] = {}
    for iso, en, zh in zip(world["iso_a2"], world["name"], world["name_zh"], strict=True):
        if isinstance(iso, str):
            for name in (en, zh):
                if isinstance(name, str):
                    out.setdefault(name.casefold(), iso)
    return out


def with_features(frame):
    """The frame with ``feature``/``country_code``, added when a frame lacks them.

    Timelines and routes carry both (``build_timeline`` has them from the gazetteer); a frame
    written by an older version, or put together by hand, does not. Then a place whose name is a
    Natural Earth country name counts as a country (a country drawn as a dot at its centroid
    misleads, and the map must not stretch to it); other rows get no feature. The gazetteer is
    not loaded for this: it would cost seconds.
    """
    if S.FEATURE in frame.columns or frame.empty:
        return frame
    countries = _country_names()
    features, codes = [], []
    for name, name_zh in zip(column(frame, S.NAME), column(frame, S.NAME_ZH), strict=True):
        iso = next((countries[n.casefold()] for n in (name, name_zh)
                    if isinstance(n, str) and n.casefold() in countries), None)
        features.append("country" if iso else None)
        codes.append(iso)
    out = frame.copy()
    out[S.FEATURE] = features
    if S.COUNTRY_CODE not in out.columns:
        out[S.COUNTRY_CODE] = codes
    return out


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and pd.NA (but not for lists)."""
    import pandas as pd

    if isinstance(value, list | tuple | dict):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def column(frame, name: str, default: Any = None) -> list:
    """Column ``name`` of ``frame`` as a list with missing values as None, or ``default`` repeated
    when the frame has no such column."""
    if name in frame.columns:
        return [None if is_missing(v) else v for v in frame[name].tolist()]
    return [default] * len(frame)
