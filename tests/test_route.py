"""Tests for analysis.timeline.routes and .story: one route per article, one per story."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import analysis as an
from analysis import schema as S

ROOT = Path(__file__).resolve().parents[1]
STORY = ROOT / "data" / "stories" / "biden-asia-2023"


def _articles(*texts: str, published: tuple[str, ...], lang: str = "zh") -> pd.DataFrame:
    """A real article table from short texts, one publication date each."""
    return an.load_articles(pd.DataFrame({
        S.ARTICLE_ID: [f"a{i}" for i in range(len(texts))],
        S.TEXT: list(texts),
        S.PUBLISHED: list(published),
        S.LANG: lang,
    }))


@pytest.fixture(scope="module")
def story():
    arts = an.load_articles(STORY)
    return arts, an.build_timeline(arts)


def test_story_is_one_route_in_time_order_with_sources(story):
    arts, tl = story
    r = an.route(tl)
    st = r.stops
    assert list(st.columns) == S.ROUTE_STOP_COLUMNS
    assert st[S.NAME].tolist() == ["Delhi", "Hanoi", "Anchorage"]
    assert st[S.TIME_START].dt.strftime("%Y-%m-%d").tolist() == [
        "2023-09-08", "2023-09-10", "2023-09-11"]
    ids = arts.sort_values(S.PUBLISHED)[S.ARTICLE_ID].tolist()
    # New Delhi: the arrival (1st article), the departure (2nd), the recap (3rd)
    assert st[S.SOURCES].iloc[0] == ids
    assert st[S.N_SOURCES].tolist() == [3, 2, 1]
    assert st[S.SOURCES].iloc[2] == ids[2:]
    pub = dict(zip(arts[S.ARTICLE_ID], arts[S.PUBLISHED], strict=True))
    assert st[S.FIRST_REPORTED].iloc[1] == pub[ids[1]]
    assert st[S.LAST_REPORTED].iloc[1] == pub[ids[2]]
    assert st[S.CONFLICT].isna().all()
    assert len(r.legs) == 2 and r.article_id is None
    # countries (Vietnam) and continents (亞洲之行) are never stops of the story
    assert not st[S.FEATURE].isin(["country", "continent"]).any()


def test_article_id_keeps_the_articles_own_route(story):
    arts, tl = story
    aid = arts.sort_values(S.PUBLISHED)[S.ARTICLE_ID].iloc[0]
    r = an.route(tl, article_id=aid)
    assert r.stops[S.NAME].tolist() == ["Delhi"]  # Hanoi is only expected there
    assert r.stops[S.SOURCES].iloc[0] == [aid]
    assert r.stops[S.N_SOURCES].iloc[0] == 1


def test_story_html_shows_sources_and_escapes(story):
    _, tl = story
    hostile = tl.assign(**{S.ARTICLE_ID: tl[S.ARTICLE_ID] + "<b>"})
    page = an.route(hostile)._repr_html_()
    assert "told by 3 articles" in page and "sources" in page
    assert "&lt;b&gt;" in page and "<b>" not in page


def test_reports_disagreeing_on_the_day_merge_with_a_conflict():
    arts = _articles("拜登9日抵达河内。", "拜登10日抵达河内，会见越南领导人。",
                     published=("2023-09-10", "2023-09-11"))
    st = an.route(an.build_timeline(arts)).stops
    assert st[S.NAME].tolist() == ["Hanoi"]
    assert st[S.CONFLICT].tolist() == ["day"]
    assert st[S.SOURCES].iloc[0] == ["a0", "a1"]
    assert st[S.TIME_START].dt.day.tolist() == [9]  # the first report's day dates the stop


def test_visits_far_apart_stay_apart_and_expected_stops_are_not_stops():
    arts = _articles("他3日抵达北京，随后将前往上海。", "他20日再次抵达北京。",
                     published=("2023-09-04", "2023-09-21"))
    st = an.route(an.build_timeline(arts)).stops
    assert st[S.NAME].tolist() == ["Beijing", "Beijing"]
    assert st[S.N_SOURCES].tolist() == [1, 1]


def test_arrivals_at_one_time_far_apart_are_a_place_conflict():
    arts = _articles("他9日上午抵达河内。", "他9日上午抵达胡志明市。",
                     published=("2023-09-09", "2023-09-09"))
    st = an.route(an.build_timeline(arts)).stops
    assert len(st) == 2
    assert st[S.CONFLICT].tolist() == ["place", "place"]


def test_story_route_is_the_same_from_read_corpus(story, tmp_path):
    from distributed import Client, LocalCluster

    _, tl = story
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cl, Client(cl) as client:
        an.process_corpus(STORY, tmp_path / "out", client=client, progress=False)
    back = an.read_corpus(tmp_path / "out", "timeline")
    a, b = an.route(tl).stops, an.route(back).stops
    cols = [S.NAME, S.TIME_START, S.N_SOURCES, S.FIRST_REPORTED, S.CONFLICT, S.MOVEMENT]
    pd.testing.assert_frame_equal(a[cols], b[cols], check_dtype=False)
    assert [sorted(x) for x in a[S.SOURCES]] == [sorted(x) for x in b[S.SOURCES]]
    # sources stored as arrays or JSON text (a Parquet round trip of the stops) still read
    stops = b.assign(**{S.SOURCES: b[S.SOURCES].map(lambda v: pd.Series(v).to_json(orient="values"))})
    assert "told by 3 articles" in an.timeline.routes.Route(stops)._repr_html_()


def test_time_outside_pandas_range_does_not_stop_the_timeline():
    prefix, rest = "有效期至9999年12月31日。", "他周二抵达北京。"
    arts = _articles(prefix + rest, published=("2023-09-12",))
    rest_times = an.find_times(_articles(rest, published=("2023-09-12",)))
    rest_times[S.START] += len(prefix)
    rest_times[S.END] += len(prefix)
    # find_times keeps such a TIMEX3 value with no span (NaT start and end)
    far = pd.DataFrame({S.ARTICLE_ID: ["a0"], S.START: [4], S.END: [15], S.SURFACE: [prefix[4:15]],
                        S.VALUE: ["9999-12-31"], S.TIME_START: [pd.NaT], S.TIME_END: [pd.NaT],
                        S.GRANULARITY: ["day"], S.KIND: ["date"]})
    tl = an.build_timeline(arts, times=pd.concat([far, rest_times], ignore_index=True))
    beijing = tl[tl[S.NAME] == "Beijing"]
    assert beijing[S.MOVEMENT].tolist() == ["arrive"]
    assert beijing[S.TIME_START].dt.strftime("%Y-%m-%d").tolist() == ["2023-09-12"]


def test_a_departure_days_later_ends_the_stay_and_the_arrival_dates_the_stop():
    arts = _articles("乐团1日抵达东京。", "乐团4日离开东京，当天抵达首尔。", "乐团前往首尔后，6日抵达北京。",
                     published=("2025-04-02", "2025-04-05", "2025-04-07"))
    st = an.route(an.build_timeline(arts)).stops
    assert st[S.NAME].tolist() == ["Tokyo", "Seoul", "Beijing"]
    assert st[S.TIME_START].dt.day.tolist() == [1, 4, 6]
    assert st[S.SOURCES].iloc[0] == ["a0", "a1"]
    assert st[S.CONFLICT].isna().all()


@pytest.mark.parametrize("text", [
    "The orchestra arrived in Tokyo on Tuesday to open a tour of East Asia.",
    "The orchestra arrived in Tokyo on Tuesday to open its tour of Asia.",
])
def test_a_tour_of_a_continent_or_world_region_is_no_stop(text):
    st = an.route(an.build_timeline(_articles(text, published=("2025-04-02",), lang="en"))).stops
    assert st[S.NAME].tolist() == ["Tokyo"]


def test_expected_but_never_reached_stays_apart(story):
    _, tl = story
    assert an.route(tl).expected[S.NAME].tolist() == []  # Hanoi was planned, then reached
    sample = an.build_timeline(an.load_articles(ROOT / "data" / "articles"))
    r = an.route(sample)
    assert "Vladivostok" in r.expected[S.NAME].tolist()
    assert "Vladivostok" not in r.stops[S.NAME].tolist()
    assert set(r.expected[S.CERTAINTY]) == {"expected"}


def test_undated_articles_still_give_a_story_route():
    arts = an.load_articles(pd.DataFrame({S.ARTICLE_ID: ["u0", "u1"], S.LANG: "zh",
                                          S.TEXT: ["他抵达河内。", "他离开河内，前往岘港。"]}))
    tl = an.build_timeline(arts)
    assert str(tl[S.PUBLISHED].dtype) == "datetime64[ns, UTC]" and tl[S.PUBLISHED].isna().all()
    st = an.route(tl).stops
    assert st[S.NAME].tolist()[0] == "Hanoi"
    assert st[S.FIRST_REPORTED].isna().all()
