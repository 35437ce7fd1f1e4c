"""Calendars and out-of-range dates: no date crashes the corpus (issue 13)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import analysis as an
from analysis.timex.expr import OUT_OF_RANGE, TimeExpr, bounded, in_pandas_range


def _arts(rows):
    return an.load_articles(pd.DataFrame(rows))


def test_issue_example_keeps_both_expressions_and_the_beijing_arrival():
    arts = _arts([dict(article_id="x", text="有效期至9999年12月31日。他周二抵达北京。",
                       published="2023-09-12", lang="zh")])
    times = an.find_times(arts)
    assert list(times["value"]) == ["9999-12-31", "2023-09-12"]
    far = times.iloc[0]
    assert pd.isna(far["time_start"]) and pd.isna(far["time_end"])
    assert far["reason"] == OUT_OF_RANGE
    assert pd.isna(times.iloc[1]["reason"])
    tl = an.build_timeline(arts)
    row = tl[tl["name"] == "Beijing"].iloc[0]
    assert row["time_start"] == pd.Timestamp("2023-09-12")
    assert row["movement"] == "arrive"


def test_parse_time_keeps_value_out_of_range():
    t = an.parse_time("9999年12月31日", "2023-09-12")
    assert (t.value, t.reason) == ("9999-12-31", OUT_OF_RANGE)
    assert t.start == pd.Timestamp("9999-12-31").as_unit("s")  # a Timestamp, not a ns one
    t = an.parse_time("1500-12-31", "2023-09-12", lang="en")
    assert t.value == "1500-12-31" and t.reason == OUT_OF_RANGE
    inside = an.parse_time("2262年1月1日", "2023-09-12")
    assert inside.start == pd.Timestamp("2262-01-01") and inside.reason is None


def test_bounded_and_range_check():
    assert in_pandas_range(pd.Timestamp("2000-01-01")) and in_pandas_range(None)
    assert not in_pandas_range(pd.Timestamp("1500-01-01").as_unit("s"))
    keep = TimeExpr(pd.Timestamp("2000-01-01"), pd.Timestamp("2000-01-02"), "day", "2000-01-01")
    assert bounded(keep) is keep and bounded(keep, ns=True) is keep
    far = TimeExpr(pd.Timestamp("1500-01-01").as_unit("s"), None, "year", "1500")
    assert bounded(far, ns=True).start is None and bounded(far).start.year == 1500


def test_huge_year_does_not_raise():
    for lang in ("zh", "en"):
        t = an.parse_time("9" * 100_000 + "年", "2023-09-12", lang=lang)
        assert t is None or isinstance(t.value, str)


_ZH_FORMS = ["{y}年12月31日", "{y}年", "公元{y}年3月", "{y}年至{y1}年", "公元前{a}年", "{y}年代"]
_EN_FORMS = ["December 31, {y}", "in {y}", "{y}-12-31", "from {y} to {y1}", "the {y}s",
             "{a} BC", "March {y}"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(year=st.integers(-5000, 99999), zh=st.sampled_from(_ZH_FORMS),
       en=st.sampled_from(_EN_FORMS))
def test_find_times_never_raises_on_any_year(year, zh, en):
    fill = dict(y=year, y1=year + 1, a=abs(year) or 1)
    arts = _arts([
        dict(article_id="zh", text=f"据报道，{zh.format(**fill)}他周二抵达北京。",
             published="2023-09-12", lang="zh"),
        dict(article_id="en", text=f"The record dates from {en.format(**fill)}. "
             "He arrived in Paris on Tuesday.", published="2023-09-12", lang="en"),
    ])
    times = an.find_times(arts)
    # the Tuesday is found in both articles whatever the other date is
    tue = times[times["value"] == "2023-09-12"]
    assert set(tue["article_id"]) == {"zh", "en"}
    ok = times["time_start"].isna() | times["reason"].isna()
    assert ok.all()


@pytest.mark.parametrize("year", [-5000, 221, 1500, 9999, 99999])
def test_build_timeline_with_far_years(year):
    arts = _arts([dict(article_id="a", text=f"{year}年12月31日以前。他周二抵达北京。",
                       published="2023-09-12", lang="zh"),
                  dict(article_id="b", text=f"Valid to December 31, {year}. He arrived in Paris"
                       " on Tuesday.", published="2023-09-12", lang="en")])
    tl = an.build_timeline(arts)
    got = {r.article_id: r.time_start for r in tl.itertuples() if r.name in ("Beijing", "Paris")}
    assert got == {"a": pd.Timestamp("2023-09-12"), "b": pd.Timestamp("2023-09-12")}


# ----------------------------------------------------------------------------- calendars

@pytest.mark.parametrize("text,lang,value", [
    ("民國113年3月5日", None, "2024-03-05"),  # ROC, traditional
    ("民国三年", None, "1914"),  # ROC, simplified, Chinese numeral
    ("中華民國元年", None, "1912"),  # 元年 = year 1
    ("113年3月5日", "zh-Hant", "2024-03-05"),  # bare ROC year in a Taiwanese text
    ("98年12月", "zh-TW", "2009-12"),
    ("令和6年", None, "2024"),  # Japanese eras, one line each
    ("令和元年5月1日", None, "2019-05-01"),
    ("平成31年", None, "2019"),
    ("昭和64年", None, "1989"),
    ("大正元年", None, "1912"),
    ("明治45年", None, "1912"),
    ("Reiwa 6", "en", "2024"),
    ("光绪三十四年", None, "1908"),  # Qing era names
    ("乾隆六十年", None, "1795"),
    ("洪武元年", None, "1368"),  # Ming era names
    ("萬曆十五年", None, "1587"),
    ("崇祯十七年", None, "1644"),
    ("贞观三年", None, "0629"),  # Tang: first-millennium years, held as TIMEX3 only
    ("開元二十年", None, "0732"),
    ("公元79年", None, "0079"),  # AD years the grammar would read as durations
    ("AD 79", "en", "0079"),
    ("79 CE", "en", "0079"),
    ("公元前221年", None, "BC0221"),  # before the common era
    ("西元前44年", None, "BC0044"),
    ("221 BC", "en", "BC0221"),
    ("44 B.C.", "en", "BC0044"),
    ("1700年代", None, "170"),  # decades and centuries
    ("20世纪90年代", None, "199"),
])
def test_calendar_forms(text, lang, value):
    t = an.parse_time(text, "2024-05-12", lang=lang)
    assert t is not None and t.value == value, t
    assert t.text == text


@pytest.mark.parametrize("text,lang,wrong", [
    ("成立113年", "zh-Hant", "2024"),  # no month: a duration, not an ROC year
    ("113年3月5日", "zh-Hans", "2024-03-05"),  # only Taiwanese-tagged text has bare ROC years
    ("113年3月5日", "zh-HK", "2024-03-05"),  # Hong Kong news writes Gregorian years
    ("150年3月", "zh-Hant", "2061-03"),  # beyond next year's ROC year
    ("平成32年", None, "2020"),  # 平成 ended in 2019
    ("他工作了79年", None, "0079"),  # no era or epoch marker: a duration
    ("AD 2024", "en", "0202"),  # four digits are the grammar's own year
    ("崇祯十八年", None, "1645"),  # 崇祯 ended in 1644
])
def test_not_era_years(text, lang, wrong):
    t = an.parse_time(text, "2024-05-12", lang=lang)
    assert t is None or t.value != wrong, t


def test_era_table_is_data_and_consistent():
    from analysis.timex.calendars import eras

    table = eras()
    assert {e.calendar for e in table} >= {"roc", "japanese", "qing"}
    for e in table:
        assert e.last_year is None or e.last_year >= e.first_year
        assert e.gregorian(1) == e.first_year


def test_roc_article_offsets_and_bc_in_find_times():
    arts = _arts([dict(article_id="tw", text="行政院於113年3月5日宣布，秦始皇於公元前221年統一六國。",
                       published="2024-03-10", lang="zh-TW")])
    times = an.find_times(arts)
    text = arts["text"].iloc[0]
    got = [(text[r.start:r.end], r.value) for r in times.itertuples()]
    assert got == [("113年3月5日", "2024-03-05"), ("公元前221年", "BC0221")]
    assert times["time_start"].iloc[0] == pd.Timestamp("2024-03-05")


@pytest.mark.parametrize("text,lang,value", [
    ("Chinese New Year 2034", "en", "2034-02-19"),  # one lunar table for both grammars
    ("2034年春节", "zh", "2034-02-19"),
    ("Eid al-Adha 2025", "en", "2025-06-06"),  # Umm al-Qura: Friday 6 June 2025 in Saudi Arabia
    ("2025年古尔邦节", "zh", "2025-06-06"),
    ("Eid al-Fitr 2025", "en", "2025-03-30"),
    ("2025年开斋节", "zh", "2025-03-30"),
])
def test_holidays_agree_across_grammars(text, lang, value):
    assert an.parse_time(text, "2023-09-12", lang=lang).value == value


def test_one_far_date_in_a_thousand_articles_changes_nothing_else():
    towns = ["北京", "上海", "广州", "深圳", "成都"]
    rows = [dict(article_id=f"a{i:04d}", text=f"稿件{i}。他{i % 28 + 1}日抵达{towns[i % 5]}。",
                 published="2023-09-28", lang="zh") for i in range(999)]
    far = dict(article_id="far", text="有效期至9999年12月31日。他周二抵达北京。",
               published="2023-09-12", lang="zh")
    clean = _arts(rows)
    mixed = _arts(rows[:500] + [far] + rows[500:])
    cols = ["article_id", "start", "end", "value", "time_start", "time_end"]
    t_clean = an.find_times(clean)[cols].reset_index(drop=True)
    t_mixed = an.find_times(mixed)
    pd.testing.assert_frame_equal(
        t_mixed[t_mixed["article_id"] != "far"][cols].reset_index(drop=True), t_clean)
    assert list(t_mixed[t_mixed["article_id"] == "far"]["value"]) == ["9999-12-31", "2023-09-12"]
    tl_cols = ["article_id", "place_id", "time_start", "time_end", "movement"]
    tl_clean = an.build_timeline(clean)[tl_cols].reset_index(drop=True)
    tl_mixed = an.build_timeline(mixed)
    pd.testing.assert_frame_equal(
        tl_mixed[tl_mixed["article_id"] != "far"][tl_cols].reset_index(drop=True), tl_clean)
    assert (tl_mixed["article_id"] == "far").sum() == 1


def test_roc_years_reach_the_timeline():
    arts = _arts([dict(article_id="tw", text="總統於民國113年3月5日抵達台中，113年3月8日前往高雄。",
                       published="2024-03-10", lang="zh-TW")])
    tl = an.build_timeline(arts)
    got = {r.name: r.time_start for r in tl.itertuples()}
    assert got == {"Taichung": pd.Timestamp("2024-03-05"), "Kaohsiung": pd.Timestamp("2024-03-08")}
