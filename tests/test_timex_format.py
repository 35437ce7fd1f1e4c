"""analysis.timex.format: one time label for every view, zh and en windows."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.timex import parse_time
from analysis.timex.format import format_when

T = pd.Timestamp


@pytest.mark.parametrize("start, end, gran, lang, style, text", [
    # a window the grammar gave is named by its own words, not by its start hour
    ("2023-09-11", "2023-09-11 12:00", "part_of_day", "en", "full", "2023-09-11 morning"),
    ("2023-09-12 04:00", "2023-09-12 12:00", "part_of_day", "zh", "short", "09-12 早上"),
    ("2023-09-12", "2023-09-12 06:00", "part_of_day", "zh", "full", "2023-09-12 凌晨"),
    ("2023-09-12 12:00", "2023-09-12 19:00", "part_of_day", "zh-Hant", "short", "09-12 下午"),
    ("2023-09-12 18:00", "2023-09-13", "part_of_day", "en", "short", "Sep 12 evening"),
    ("2023-09-12 20:00", "2023-09-13", "part_of_day", "zh-Hant", "full", "2023-09-12 夜間"),
    # a merged arrival + departure stop shows both ends, never its midpoint
    ("2023-09-12 12:00", "2023-09-13", "part_of_day", "zh", "full", "2023-09-12 下午 – 晚上"),
    ("2023-09-11 12:00", "2023-09-13 00:00", "part_of_day", "en", "short",
     "Sep 11 afternoon – Sep 12 evening"),
    ("2023-09-10", "2023-09-13", "day", "en", "short", "Sep 10 – Sep 12"),
    ("2023-09-10", "2023-09-13", "day", "zh", "full", "2023-09-10 – 2023-09-12"),
    # coarse and fine grains
    ("2019-01-01", "2020-01-01", None, "zh", "full", "2019"),
    ("2023-07-01", "2023-08-01", "month", "en", "short", "Jul 2023"),
    ("2023-07-01", "2023-08-01", "month", "zh", "short", "2023-07"),
    ("2023-09-11", "2023-09-18", "week", "zh", "short", "09-11周"),
    ("2023-09-11", "2023-09-18", "week", "en", "full", "week of 2023-09-11"),
    ("2023-09-12", "2023-09-13", None, "en", "full", "2023-09-12"),
    ("2023-09-12 08:30", None, None, "en", "full", "2023-09-12 08:30"),
    ("2023-09-12 08:30", "2023-09-12 08:31", "minute", "zh", "short", "09-12 08:30"),
])
def test_format_when_windows(start, end, gran, lang, style, text):
    assert format_when(T(start), T(end) if end else None, gran, lang, style=style) == text


def test_missing_or_published_times_have_no_label():
    assert format_when(pd.NaT) == "" and format_when(None, None, "day", "zh") == ""
    assert format_when(T("2023-09-12"), T("2023-09-13"), "day", "en", source="published") == ""


def test_parsed_mornings_are_mornings_in_both_languages():
    en = parse_time("Monday morning", "2023-09-12", lang="en")
    zh = parse_time("周二早上", "2023-09-12", lang="zh")
    assert format_when(en.start, en.end, en.granularity, "en").endswith("morning")
    assert format_when(zh.start, zh.end, zh.granularity, "zh").endswith("早上")


def test_bad_arguments_say_what_is_allowed():
    with pytest.raises(ValueError, match="lang must be"):
        format_when(T("2023-09-12"), lang="fr")
    with pytest.raises(ValueError, match="style must be"):
        format_when(T("2023-09-12"), style="long")
