"""Tests for analysis.gazetteer: the built index, candidates(), overrides and the cache."""

from __future__ import annotations

import pandas as pd
import pytest

import analysis
from analysis import schema
from analysis.places import find_places
from analysis.places.index import Gazetteer, cache_dir, gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return gazetteer()


def test_gazetteer_is_cached_and_public(gaz):
    assert gazetteer() is gaz
    assert analysis.gazetteer() is gaz  # also after the submodule of the same name was imported
    assert len(gaz) > 200_000 and len(gaz.zh_names) > 50_000


@pytest.mark.parametrize("name", ["华盛顿", "華盛頓", "Washington"])
def test_washington_dc_ranks_first(gaz, name):
    top = gaz.candidates(name).iloc[0]
    assert top[schema.COUNTRY_CODE] == "US"
    assert abs(top[schema.LATITUDE] - 38.9) < 0.3 and abs(top[schema.LONGITUDE] + 77.0) < 0.3


def test_candidates_ranked_by_prior(gaz):
    c = gaz.candidates("Moscow")
    assert c.iloc[0][schema.COUNTRY_CODE] == "RU" and c.iloc[0][schema.FEATURE] == "capital"
    assert len(c) >= 3 and c["prior"].is_monotonic_decreasing
    assert set(c[schema.COUNTRY_CODE]) >= {"RU", "US"}  # Moscow, Idaho stays a candidate


def test_known_geonames_chinese_defects_are_fixed(gaz):
    # GeoNames gives 哈桑 only to Hassan (India) and lacks 基辅 / 雅库茨克
    assert "RU" in set(gaz.candidates("哈桑")[schema.COUNTRY_CODE])
    assert gaz.candidates("基辅").iloc[0][schema.NAME] in ("Kyiv", "Kiev")
    assert gaz.candidates("Kremlin").iloc[0][schema.FEATURE] == "building"


def test_countries_from_cldr_and_iso(gaz):
    for name in ("朝鲜", "韩国", "乌克兰", "United States", "U.S.", "Britain"):
        top = gaz.candidates(name).iloc[0]
        assert top[schema.FEATURE] == "country", name
    assert gaz.candidates("臺灣").iloc[0][schema.COUNTRY_CODE] == "TW"


def test_unknown_name_gives_empty_frame(gaz):
    c = gaz.candidates("Nowhereville Xyz")
    assert c.empty and schema.PLACE_ID in c.columns
    with pytest.raises(TypeError, match="str"):
        gaz.candidates(42)


def test_fold_keeps_length(gaz):
    assert gaz.fold("華盛頓與莫斯科") == "华盛顿与莫斯科"
    text = "臺灣東部海域"
    assert len(gaz.fold(text)) == len(text)


def test_repr_html_escapes(gaz):
    evil = pd.DataFrame({"name": ["<script>alert(1)</script>"], "latitude": [1.0],
                         "longitude": [2.0], "feature": ["<img src=x onerror=alert(2)>"]})
    g2 = gaz.with_overrides(evil)
    html = g2._repr_html_()
    assert "<script>" not in html and "<img" not in html and "Gazetteer" in html
    cand = g2.candidates("<script>alert(1)</script>")
    assert len(cand) == 1
    assert "<script>" not in cand._repr_html_() and "&lt;script&gt;" in cand._repr_html_()


def test_overrides_from_dataframe_add_and_correct(gaz):
    mine = pd.DataFrame({
        "id": ["camp-x", ""], "name": ["Camp X", "Pyongyang"], "name_zh": ["某营地", ""],
        "aliases_zh": ["某營地|X营", ""], "feature": ["military_base", ""],
        "latitude": ["10.5", "39.1"], "longitude": ["20.5", "125.8"],
        "geonames_id": ["", "1871859"],
    })
    g2 = gazetteer(overrides=mine)
    assert g2 is not gaz and gazetteer() is gaz  # the shared one is unchanged
    top = g2.candidates("某營地").iloc[0]
    assert top[schema.PLACE_ID] == "user:camp-x" and top[schema.FEATURE] == "military_base"
    assert g2.candidates("X营").iloc[0][schema.PLACE_ID] == "user:camp-x"
    py = g2.candidates("平壤").iloc[0]
    assert py[schema.PLACE_ID] == "geonames:1871859" and py[schema.LATITUDE] == 39.1
    assert gaz.candidates("平壤").iloc[0][schema.LATITUDE] != 39.1
    out = find_places(pd.DataFrame({"text": ["部队抵达某营地。"]}), gazetteer=g2)
    assert out[schema.PLACE_ID].tolist() == ["user:camp-x"]


def test_overrides_from_csv(gaz, tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("name,name_zh,latitude,longitude\nRiverside Depot,河滨仓库,30.0,120.0\n",
                    encoding="utf-8")
    g2 = gaz.with_overrides(path)
    assert g2.candidates("河滨仓库").iloc[0][schema.NAME] == "Riverside Depot"


def test_override_errors(gaz, tmp_path):
    with pytest.raises(ValueError, match="latitude"):
        gaz.with_overrides(pd.DataFrame({"name": ["A"]}))
    with pytest.raises(FileNotFoundError, match="overrides file"):
        gaz.with_overrides(tmp_path / "missing.csv")
    with pytest.raises(TypeError, match="DataFrame or a CSV"):
        gaz.with_overrides(42)


def test_bad_override_rows_are_skipped_not_fatal(gaz, caplog):
    rows = pd.DataFrame({"name": ["Qqgood Place", "Qqbad Place"], "latitude": ["1", "north"],
                         "longitude": ["2", "3"]})
    g2 = gaz.with_overrides(rows)
    assert len(g2.candidates("Qqgood Place")) == 1 and g2.candidates("Qqbad Place").empty
    assert "not numbers" in caplog.text


def test_build_writes_versioned_cache_and_load_reuses_it(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWS_GEOTIMELINE_CACHE", str(tmp_path))
    stale = tmp_path / "gazetteer-0000000000000000.pkl"
    stale.write_bytes(b"old")
    assert cache_dir() == tmp_path
    built = Gazetteer.build()
    files = list(tmp_path.glob("gazetteer-*.pkl"))
    assert len(files) == 1 and files[0] != stale  # the stale index is gone
    loaded = Gazetteer.load()
    assert loaded.source == str(files[0])
    assert len(loaded) == len(built)
    assert loaded.candidates("平壤").iloc[0][schema.NAME] == "Pyongyang"


def test_cache_key_follows_the_sources(tmp_path, monkeypatch):
    from analysis.places import build as _geo_build
    from analysis.places.index import _source_key

    src = tmp_path / "places_curated.csv"
    src.write_text("id,name\n", encoding="utf-8")
    monkeypatch.setattr(_geo_build, "source_files", lambda: [src])
    before = _source_key()
    assert _source_key() == before  # stable while nothing changes
    src.write_text("id,name\nx,Somewhere\n", encoding="utf-8")
    assert _source_key() != before  # a changed source means a rebuild
    after = _source_key()
    monkeypatch.setattr(_geo_build, "INDEX_VERSION", _geo_build.INDEX_VERSION + 1)
    assert _source_key() != after  # a new build code version means a rebuild too
