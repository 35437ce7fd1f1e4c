"""analysis.views.webmap: the offline interactive map's data and page (the browser checks are in
tests/test_webmap_browser.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import analysis as an
from analysis.views.webmap import PALETTE, InteractiveMap, map_interactive

ROOT = Path(__file__).resolve().parents[1]
STORY5 = ROOT / "tests" / "data" / "story5"
HOSTILE = ROOT / "tests" / "data" / "hostile"


@pytest.fixture(scope="module")
def story():
    articles = an.load_articles(STORY5)
    return articles, an.build_timeline(articles)


def test_five_articles_five_colours_and_a_legend(story):
    articles, timeline = story
    titles = dict(zip(articles["article_id"], articles["title"], strict=True))
    m = map_interactive(timeline, titles=titles)
    assert isinstance(m, InteractiveMap)
    assert [a["color"] for a in m.data["articles"]] == list(PALETTE[:5])
    assert {a["title"] for a in m.data["articles"]} == set(articles["title"])
    # every stop is coloured by an article that reports it
    assert {s["article"] for s in m.data["stops"]} <= set(range(5))
    assert len({s["article"] for s in m.data["stops"]}) >= 4
    assert [s["n"] for s in m.data["stops"]] == list(range(1, len(m.data["stops"]) + 1))


def test_page_is_self_contained_and_names_no_remote_resource(story):
    from analysis.report.render import external_references

    page = map_interactive(story[1]).to_html()
    assert external_references(page) == []
    data = page.split('id="map-data">')[1].split("</script>")[0]
    assert "http" not in data and "L.tileLayer(" not in page  # no tiles: the basemap is embedded
    assert json.loads(data)["basemap"]["features"]
    assert 'font-family: "Map CJK"' in page  # Chinese labels carry their glyphs


def test_article_text_is_escaped_in_the_page():
    timeline = an.build_timeline(an.load_articles(HOSTILE))
    m = map_interactive(timeline)
    blob = json.dumps(m.data, ensure_ascii=False)
    assert "<script>" not in blob and "<img" not in blob
    page = m.to_html()
    assert "<script>alert(1)" not in page


def test_times_use_the_shared_label_and_expected_legs_start_at_the_last_stop(story):
    from analysis.timex.format import format_when

    m = map_interactive(story[1], labels="en")
    stops = m.data["stops"]
    assert all(s["when"] for s in stops)
    row = an.route(story[1]).stops.iloc[0]
    assert stops[0]["when"] == format_when(row["time_start"], row["time_end"], row["granularity"], "en")
    last = [stops[-1]["lat"], stops[-1]["lon"]]
    expected = [g for g in m.data["legs"] if g["certainty"] == "expected"]
    assert all(g["a"] == last for g in expected)


def test_repr_html_is_an_iframe_and_save_writes_atomically(story, tmp_path):
    m = map_interactive(an.route(story[1]), table=False)
    assert m._repr_html_().startswith('<iframe class="geotimeline-map"')
    out = m.save(tmp_path / "map.html")
    assert Path(out).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


def test_bad_input_says_what_to_pass():
    import pandas as pd

    with pytest.raises(TypeError, match="timeline GeoDataFrame or a Route"):
        map_interactive("timeline.csv")
    with pytest.raises(ValueError, match="lacks"):
        map_interactive(pd.DataFrame({"x": [1]}))
    with pytest.raises(ValueError, match="labels must be"):
        map_interactive(pd.DataFrame({"latitude": [], "longitude": [], "certainty": []}),
                        labels="fr")
