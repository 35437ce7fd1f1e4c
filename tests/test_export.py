"""Export (analysis/export.py): GeoJSON, GeoParquet and CSV round trips on the pipeline's output."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

import analysis as an
from analysis import schema as S
from analysis.io.exporting import export

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample():
    articles = an.load_articles(ROOT / "data" / "articles")
    places = an.find_places(articles)
    timeline = an.build_timeline(articles)
    return places, timeline, an.route(timeline)


def test_round_trip_places_timeline_and_route(sample, tmp_path):
    places, timeline, route = sample
    paths = export([places, timeline, route], tmp_path / "out")
    stem = places[S.ARTICLE_ID].iloc[0]
    names = sorted(p.name for p in paths)
    kinds = ("places", "timeline", "route-legs", "route-stops")
    assert names == sorted(f"{stem}-{kind}.{ext}" for kind in kinds
                           for ext in ("geojson", "parquet", "csv"))
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.endswith(".tmp")]

    by = {p.name: p for p in paths}
    # GeoJSON: same rows and points, list columns as JSON text
    gj = gpd.read_file(by[f"{stem}-places.geojson"])
    assert len(gj) == len(places) and gj.crs.to_epsg() == 4326
    located = places[S.LATITUDE].notna()
    assert (gj.geometry[located.to_numpy()].y.round(6).to_numpy()
            == places.loc[located, S.LATITUDE].round(6).to_numpy()).all()
    listed = [v for v in places[S.ALTERNATIVES] if isinstance(v, list) and v]
    assert [json.loads(v) if isinstance(v, str) else None for v in gj[S.ALTERNATIVES]] == [
        list(v) if isinstance(v, list) else None for v in places[S.ALTERNATIVES]]
    raw = json.loads(by[f"{stem}-places.geojson"].read_text(encoding="utf-8"))
    assert raw["type"] == "FeatureCollection" and "平壤" in {
        f["properties"][S.SURFACE] for f in raw["features"]}

    # GeoParquet: dtypes and lists survive
    pq = gpd.read_parquet(by[f"{stem}-timeline.parquet"])
    assert len(pq) == len(timeline) and pq.crs.to_epsg() == 4326
    assert list(pq[S.NAME_ZH].fillna("")) == list(timeline[S.NAME_ZH].fillna(""))
    assert pd.api.types.is_datetime64_any_dtype(pq[S.TIME_START])
    assert (pq[S.TIME_START].dropna().to_numpy() == timeline[S.TIME_START].dropna().to_numpy()).all()
    pl = gpd.read_parquet(by[f"{stem}-places.parquet"])
    if listed:
        first = next(v for v in pl[S.ALTERNATIVES] if v is not None and len(v))
        assert all(isinstance(x, str) for x in first)

    # CSV: route legs as WKT LineStrings
    legs = pd.read_csv(by[f"{stem}-route-legs.csv"])
    assert len(legs) == len(route.legs) == len(route.stops) - 1
    assert legs[S.GEOMETRY].str.startswith("LINESTRING").all()
    stops = gpd.read_file(by[f"{stem}-route-stops.geojson"])
    assert list(stops[S.NAME]) == list(route.stops[S.NAME])
    tl_csv = pd.read_csv(by[f"{stem}-timeline.csv"])
    assert list(tl_csv.columns) == list(timeline.columns)
    assert tl_csv[S.SURFACE].tolist() == timeline[S.SURFACE].astype(object).tolist()


def test_single_file_by_suffix_and_named_dict(sample, tmp_path):
    places, timeline, route = sample
    one = export(timeline, tmp_path / "tl.geojson")
    assert one == [tmp_path / "tl.geojson"] and len(gpd.read_file(one[0])) == len(timeline)
    legs = export({"legs": route.legs}, tmp_path, formats=["csv"], name="kim trip/2023")
    assert [p.name for p in legs] == ["kim-trip-2023-legs.csv"]
    assert pd.read_csv(legs[0])[S.GEOMETRY].str.startswith("LINESTRING").all()


def test_lists_become_json_in_csv_and_survive_odd_values(tmp_path):
    frame = gpd.GeoDataFrame(
        {S.ARTICLE_ID: ["a", "a"], S.SURFACE: ["<b>平壤</b>", 'say "hi", ok'],
         S.ALTERNATIVES: [["geonames:1", "geonames:2"], None], S.ROLE: ["literal", pd.NA],
         S.CONFIDENCE: [0.5, float("nan")]},
        geometry=gpd.points_from_xy([125.75, None], [39.03, None]), crs=S.CRS)
    paths = export(frame, tmp_path)
    assert [p.name for p in paths] == ["a-places.geojson", "a-places.parquet", "a-places.csv"]
    csv = pd.read_csv(paths[2])
    assert json.loads(csv[S.ALTERNATIVES][0]) == ["geonames:1", "geonames:2"]
    assert csv[S.SURFACE].tolist() == ["<b>平壤</b>", 'say "hi", ok']
    gj = json.loads(paths[0].read_text(encoding="utf-8"))
    assert gj["features"][1]["geometry"] is None and gj["features"][1]["properties"][S.ROLE] is None
    pq = gpd.read_parquet(paths[1])
    assert list(pq[S.ALTERNATIVES][0]) == ["geonames:1", "geonames:2"] and pq[S.ALTERNATIVES][1] is None


def test_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    frame = pd.DataFrame({S.ARTICLE_ID: ["a"], S.LATITUDE: [1.0], S.LONGITUDE: [2.0],
                          S.ROLE: ["literal"]})
    (path,) = export(frame, tmp_path, formats=["csv"])
    before = path.read_bytes()
    from analysis.io import exporting as module

    def boom(frame, path):
        Path(path).write_text("partial")
        raise OSError("disk full")

    monkeypatch.setitem(module._WRITERS, "csv", boom)
    with pytest.raises(OSError, match="disk full"):
        export(frame.assign(**{S.ROLE: ["metonymic"]}), tmp_path, formats=["csv"])
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_bad_arguments_say_how_to_fix(tmp_path):
    frame = pd.DataFrame({S.ARTICLE_ID: ["a"], S.ROLE: ["literal"]})
    with pytest.raises(ValueError, match="formats"):
        export(frame, tmp_path, formats=["xlsx"])
    with pytest.raises(ValueError, match="folder"):
        export([frame, frame], tmp_path / "x.csv")
    with pytest.raises(TypeError, match="Route"):
        export(42, tmp_path)


def test_public_name_stays_callable_after_the_submodules_import(tmp_path):
    # no module is named like a public function, so importing every submodule shadows nothing
    import analysis.io.exporting  # noqa: F401
    import analysis.places.index  # noqa: F401
    import analysis.views.explorer  # noqa: F401

    assert callable(an.export) and callable(an.gazetteer) and callable(an.explore)

    frame = pd.DataFrame({S.ARTICLE_ID: ["a"], S.ROLE: ["literal"]})
    assert [p.name for p in an.export(frame, tmp_path, formats=["csv"])] == ["a-places.csv"]


def test_a_killed_exports_temporary_file_is_cleaned_by_the_next_export(tmp_path):
    """Issue 14: a SIGKILL mid-write leaves .<name>.<hex>.tmp; the next write of that file removes
    it once it is stale, and leaves a fresh one (another writer still at work) alone."""
    import os
    import time

    frame = pd.DataFrame({S.ARTICLE_ID: ["a"], S.ROLE: ["literal"]})
    stale = tmp_path / ".a-places.csv.0123456789ab.tmp"
    fresh = tmp_path / ".a-places.csv.ba9876543210.tmp"
    other = tmp_path / ".b-places.csv.0123456789ab.tmp"  # another file's: not ours to judge
    for f in (stale, fresh, other):
        f.write_text("half a csv", encoding="utf-8")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    assert [p.name for p in an.export(frame, tmp_path, formats=["csv"])] == ["a-places.csv"]
    assert not stale.exists()
    assert fresh.exists() and other.exists()
    assert (tmp_path / "a-places.csv").read_text(encoding="utf-8").startswith("article_id")
