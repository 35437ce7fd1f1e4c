"""Static views (analysis/plotting.py) and their offline base layers (analysis/_basemap.py).

Plots run on the Agg backend and every figure is closed. The real-data tests use the pipeline's own
output for the bundled sample (data/articles) and the three benchmark articles (tests/data/articles);
the small factory below pins the drawing rules on a frame whose answer is known.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import geopandas as gpd  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.font_manager import FontProperties, findfont  # noqa: E402

import analysis as an  # noqa: E402
from analysis import schema as S  # noqa: E402
from analysis.views import basemap as _basemap  # noqa: E402
from analysis.views.plotting import animate_route, plot_map, plot_timeline  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "articles"
BENCH = sorted((ROOT / "tests" / "data" / "articles").glob("*.md"))
GLYPH = re.compile(r"Glyph .* missing from font", re.I)


# ----------------------------------------------------------------------------- fixtures
def make_timeline(rows=None) -> gpd.GeoDataFrame:
    """A small timeline in the sample's shape: a reported route, an expected and a speculated place."""
    base = dict(article_id="kim", role="literal", granularity="day", time_source="previous",
                time_start="2023-09-12", time_end="2023-09-13")
    rows = rows or [
        dict(seq=8, place_id="p:vladivostok", name="Vladivostok", name_zh="符拉迪沃斯托克",
             surface="符拉迪沃斯托克", latitude=43.1, longitude=131.87, movement="visit",
             certainty="reported", time_start="2019-01-01", time_end="2020-01-01",
             granularity="year", time_source="expression"),
        dict(seq=0, place_id="p:pyongyang", name="Pyongyang", name_zh="平壤", surface="平壤",
             latitude=39.03, longitude=125.75, movement="depart", certainty="reported",
             time_source="published", evidence="金正恩在离开平壤之前挥手。", evidence_start=0,
             evidence_end=13, start=6, end=8),
        dict(seq=1, place_id="p:khasan", name="Khasan", name_zh="哈桑", surface="哈桑",
             latitude=42.43, longitude=130.64, movement="enter", certainty="reported",
             time_start="2023-09-12 06:00", time_end="2023-09-12 12:00",
             granularity="part_of_day", time_source="expression", time_text="周二早上"),
        dict(seq=2, place_id="p:vladivostok", name="Vladivostok", name_zh="符拉迪沃斯托克",
             surface="符拉迪沃斯托克", latitude=43.1, longitude=131.87, movement="arrive",
             certainty="expected"),
        dict(seq=3, place_id="p:ussuriysk", name="Ussuriysk", name_zh="乌苏里斯克",
             surface="乌苏里斯克", latitude=43.8, longitude=131.95, movement="enter",
             certainty="reported"),
        dict(seq=4, place_id="p:khabarovsk", name="Khabarovsk", name_zh="哈巴罗夫斯克",
             surface="哈巴罗夫斯克", latitude=48.48, longitude=135.08, movement="toward",
             certainty="reported"),
        dict(seq=5, place_id="p:vostochny", name="Vostochny Cosmodrome", name_zh="东方太空发射场",
             surface="东方太空发射场", latitude=51.88, longitude=128.33, movement="meet",
             certainty="speculated", granularity="week", time_end="2023-09-19"),
        dict(seq=6, place_id="p:moscow", name="Moscow", name_zh="莫斯科", surface="莫斯科",
             latitude=55.75, longitude=37.62, movement="mention", certainty="reported",
             role="metonymic"),
    ]
    frame = S.coerce(pd.DataFrame([{**base, **r} for r in rows]), S.TIMELINE_DTYPES)
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame[S.LONGITUDE], frame[S.LATITUDE]),
                            crs=S.CRS)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def sample_articles():
    return an.load_articles(SAMPLE)


@pytest.fixture(scope="module")
def sample_places(sample_articles):
    return an.find_places(sample_articles)


def _texts(ax, gid):
    return [t for t in ax.texts if t.get_gid() == gid]


def _drawn(ax):
    """Render the figure and return the warnings it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax.figure.canvas.draw()
    return [str(w.message) for w in caught]


# ----------------------------------------------------------------------------- base layers
def test_natural_earth_offline_with_chinese_names():
    world = _basemap.countries()
    assert len(world) > 200 and world.crs.to_epsg() == 4326
    names = dict(zip(world["iso_a2"], world["name_zh"], strict=False))
    # decoded as UTF-8 (the zip has no .cpg) and shortened to the names maps use
    assert names["RU"] == "俄罗斯" and names["KP"] == "朝鲜" and names["CN"] == "中国"
    clipped = _basemap.countries_in((125, 38, 136, 50))
    assert {"RU", "KP", "CN"} <= set(clipped["iso_a2"])
    minx, miny, maxx, maxy = clipped.total_bounds
    assert minx >= 125 - 1 and maxx <= 136 + 1 and miny >= 38 - 1 and maxy <= 50 + 1


def test_cjk_font_is_the_bundled_noto():
    font = _basemap.label_font()
    assert Path(findfont(font)).name == "NotoSansCJK-Regular.ttc"


def test_glyph_check_catches_a_font_without_chinese():
    # the negative control for the no-missing-glyph assertions below
    fig, ax = plt.subplots()
    ax.text(0.5, 0.5, "平壤", fontproperties=FontProperties(family="DejaVu Sans"))
    assert any(GLYPH.search(m) for m in _drawn(ax))


# ----------------------------------------------------------------------------- plot_map
def test_route_stops_numbered_in_order_with_dates_and_chinese_glyphs():
    ax = plot_map(make_timeline())
    messages = _drawn(ax)
    assert not [m for m in messages if GLYPH.search(m)], messages
    stops = [c for c in ax.collections if c.get_gid() == "stop"]
    numbers = [t.get_text() for t in _texts(ax, "stop-number")]
    labels = [t.get_text() for t in _texts(ax, "stop-label")]
    assert len(stops) == 4 and numbers == ["1", "2", "3", "4"]
    # the 2019 visit is another trip; the expected and speculated places are not stops
    assert labels[0] == "平壤"  # its date is only the publication date: not shown
    assert labels[1] == "哈桑  09-12 早上"  # the text said 周二早上
    assert labels[2].startswith("乌苏里斯克") and "哈巴罗夫斯克方向" in labels[3]
    for text in _texts(ax, "stop-label") + _texts(ax, "place-label"):
        assert Path(findfont(text.get_fontproperties())).name == "NotoSansCJK-Regular.ttc"


def test_legs_arrows_dashed_unless_reported_and_inset_present():
    ax = plot_map(make_timeline())
    legs = [p for p in ax.patches if str(p.get_gid()).startswith("leg-")]
    by_kind = {}
    for p in legs:
        by_kind.setdefault(p.get_gid(), []).append(p)
    assert len(by_kind["leg-reported"]) == 3  # Pyongyang→Khasan→Ussuriysk→(toward) Khabarovsk
    assert set(by_kind) >= {"leg-expected", "leg-speculated"}
    solid = [p for p in by_kind["leg-reported"] if p.get_linestyle() in ("-", "solid")]
    assert len(solid) == 2  # the "toward" leg is dash-dot: the train never arrived
    for kind in ("leg-expected", "leg-speculated"):
        assert all(p.get_linestyle() not in ("-", "solid") for p in by_kind[kind])
    assert [a for a in ax.child_axes if a.get_gid() == "inset"]


def test_extent_holds_every_literal_place_or_names_it_off_map():
    tl = make_timeline()
    ax = plot_map(tl)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    literal = tl[tl[S.ROLE] == "literal"]
    for row in literal.itertuples():
        assert x0 <= row.longitude <= x1 and y0 <= row.latitude <= y1, row.name
    # a minimum span: a single city is not a pinhole
    one = plot_map(tl.iloc[[0]], inset=False)
    assert one.get_ylim()[1] - one.get_ylim()[0] >= 3


def test_metonyms_hidden_by_default_and_greyed_on_request():
    rows = [
        dict(seq=0, place_id="p:a", name="Vladivostok", name_zh="符拉迪沃斯托克",
             surface="符拉迪沃斯托克", latitude=43.1, longitude=131.87, movement="mention",
             certainty="reported", role="metonymic"),
        dict(seq=1, place_id="p:b", name="Khasan", name_zh="哈桑", surface="哈桑", latitude=42.43,
             longitude=130.64, movement="mention", certainty="reported"),
        dict(seq=2, place_id="p:c", name="Ussuriysk", name_zh="乌苏里斯克", surface="乌苏里斯克",
             latitude=43.8, longitude=131.95, movement="mention", certainty="reported"),
    ]
    tl = make_timeline(rows)
    hidden = [t.get_text() for t in _texts(plot_map(tl), "place-label")]
    assert "符拉迪沃斯托克" not in hidden and "哈桑" in hidden
    ax = plot_map(tl, metonyms="grey")
    grey = {t.get_text(): t.get_color() for t in _texts(ax, "place-label")}
    assert grey["符拉迪沃斯托克"] == "#a8a8a8" and grey["哈桑"] != "#a8a8a8"
    with pytest.raises(ValueError, match="metonyms"):
        plot_map(tl, metonyms="blue")


def test_english_labels_and_auto_language():
    tl = make_timeline()
    en = [t.get_text() for t in _texts(plot_map(tl, labels="en"), "stop-label")]
    assert en[0] == "Pyongyang" and en[1] == "Khasan  Sep 12 morning"
    assert en[3].startswith("toward Khabarovsk")
    with pytest.raises(ValueError, match="labels"):
        plot_map(tl, labels="fr")


def test_several_articles_get_one_route_each():
    a = make_timeline()
    b = make_timeline().assign(**{S.ARTICLE_ID: "other"})
    b[S.LONGITUDE] = b[S.LONGITUDE] - 20  # another story further west
    ax = plot_map(pd.concat([a, b], ignore_index=True))
    numbers = [t.get_text() for t in _texts(ax, "stop-number")]
    assert sorted(numbers) == ["1", "1", "2", "2", "3", "3", "4", "4"]
    reported = [p for p in ax.patches if p.get_gid() == "leg-reported"]
    assert len(reported) == 6  # 3 + 3: nothing joins the two stories
    ticks = plot_timeline(pd.concat([a, b], ignore_index=True)).get_yticklabels()
    assert any("[other]" in t.get_text() for t in ticks)


def test_missing_columns_raise_a_clear_error():
    with pytest.raises(ValueError, match=r"latitude.*find_places"):
        plot_map(pd.DataFrame({"article_id": ["a"], "surface": ["x"]}))
    with pytest.raises(TypeError, match="find_places"):
        plot_map([1, 2, 3])


def test_sample_places_map_focuses_the_story(sample_places):
    ax = plot_map(sample_places)
    messages = _drawn(ax)
    assert not [m for m in messages if GLYPH.search(m)], messages
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    labels = {t.get_text() for t in _texts(ax, "place-label")}
    off = " ".join(t.get_text() for t in _texts(ax, "off-map"))
    literal = sample_places[(sample_places[S.ROLE] == "literal")
                            & ~sample_places[S.FEATURE].isin(["country", "region", "continent"])]
    assert len(literal)
    for row in literal.drop_duplicates(S.PLACE_ID).itertuples():
        inside = x0 <= row.longitude <= x1 and y0 <= row.latitude <= y1
        assert inside or row.name_zh in off, row.name
    # the story happens in the Russian Far East: mapped there, not on a world map
    assert x1 - x0 < 40 and {"平壤", "乌苏里斯克"} <= labels
    assert [a for a in ax.child_axes if a.get_gid() == "inset"]


def test_sample_timeline_map_shows_the_route_in_chinese(sample_articles, tmp_path):
    timeline = an.build_timeline(sample_articles)
    ax = plot_map(timeline, title=sample_articles[S.TITLE].iloc[0])
    messages = _drawn(ax)
    assert not [m for m in messages if GLYPH.search(m)], messages
    labels = [t.get_text() for t in _texts(ax, "stop-label")]
    # Pyongyang → Khasan → Ussuriysk → toward Khabarovsk, in that order
    expected = ["平壤", "哈桑", "乌苏里斯克", "哈巴罗夫斯克"]
    assert len(labels) == len(expected), labels
    for label, name in zip(labels, expected, strict=True):
        assert name in label
    assert "方向" in labels[-1]  # heading toward, not arrived
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert 120 < x0 < 126 and 135 < x1 < 145 and 34 < y0 < 39 and 48 < y1 < 60
    # countries are tints or notes, never centroid dots: no marker lands in Siberia's middle
    for c in ax.collections:
        for x, y in c.get_offsets():
            assert not (85 < x < 110 and 55 < y < 65)
    out = tmp_path / "sample-map.png"
    ax.figure.savefig(out, dpi=100)
    assert out.stat().st_size > 50_000


def test_sample_timeline_plot_and_animation(sample_articles):
    timeline = an.build_timeline(sample_articles)
    ax = plot_timeline(timeline)
    assert not [m for m in _drawn(ax) if GLYPH.search(m)]
    ticks = {t.get_text() for t in ax.get_yticklabels()}
    assert {"平壤", "乌苏里斯克", "哈巴罗夫斯克"} <= ticks
    anim = animate_route(timeline)
    html = anim.to_jshtml()
    assert len(re.findall(r"frames\[\d+\] = ", html)) == 4


@pytest.mark.parametrize("path", BENCH, ids=[p.stem for p in BENCH])
def test_benchmark_articles_map_without_missing_glyphs(path, tmp_path):
    articles = an.load_articles(path)
    places = an.find_places(articles)
    ax = plot_map(places, metonyms="grey", title=articles[S.TITLE].iloc[0])
    messages = _drawn(ax)
    assert not [m for m in messages if GLYPH.search(m)], messages
    assert _texts(ax, "place-label"), "no place labelled"
    out = tmp_path / "map.png"
    ax.figure.savefig(out, dpi=60)
    assert out.stat().st_size > 10_000


# ----------------------------------------------------------------------------- plot_timeline
def test_timeline_points_bars_styles_and_labels():
    ax = plot_timeline(make_timeline())
    assert not [m for m in _drawn(ax) if GLYPH.search(m)]
    points = [c for c in ax.collections if c.get_gid() == "event"]
    bars = [ln for ln in ax.lines if ln.get_gid() == "event"]
    # the speculated meeting spans a week: a dotted bar; the rest are day points (the 2019 visit is
    # another period, noted at the edge) and Moscow is a metonym, hidden
    assert len(bars) == 1 and bars[0].get_linestyle() not in ("-", "solid")
    assert len(points) == 5
    hollow = [c for c in points if (c.get_facecolor()[0][:3] == 1).all()]
    assert len(hollow) == 1  # the expected arrival in Vladivostok
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert "平壤" in ticks and "莫斯科" not in ticks
    assert [t.get_text() for t in ax.texts if t.get_gid() == "event-outside"] == ["◀ 2019"]
    for t in ax.get_yticklabels():
        assert Path(findfont(t.get_fontproperties())).name == "NotoSansCJK-Regular.ttc"


def test_timeline_requires_times():
    with pytest.raises(ValueError, match="time_start"):
        plot_timeline(pd.DataFrame({"article_id": ["a"]}))


# ----------------------------------------------------------------------------- animate_route
def test_animation_one_frame_per_stop_and_self_contained():
    anim = animate_route(make_timeline(), interval=300)
    html = anim.to_jshtml()
    assert len(re.findall(r"frames\[\d+\] = \"data:image/png;base64", html)) == 4
    # nothing fetched: no script, stylesheet or image from the network (Font Awesome dropped)
    assert not re.search(r"<(script|link|img)\b[^>]*(src|href)=[\"']?(https?:)?//", html)
    assert "http" not in "".join(re.findall(r"<(?:script|link)[^>]*>", html))
    assert anim._repr_html_().count("data:image/png;base64") >= 4
    # not left open in pyplot: a notebook shows the player only
    assert anim._fig.number not in plt.get_fignums() if hasattr(anim._fig, "number") else True


def test_animation_needs_a_stop():
    tl = make_timeline()
    with pytest.raises(ValueError, match="stop"):
        animate_route(tl[tl[S.MOVEMENT] == "mention"])


# ----------------------------------------------------------------------------- several articles
FIVE = ROOT / "tests" / "data" / "views" / "five"


@pytest.fixture(scope="module")
def five_articles():
    return an.load_articles(FIVE)


@pytest.fixture(scope="module")
def five_timeline(five_articles):
    return an.build_timeline(five_articles)


def test_the_legend_names_articles_by_their_titles(five_articles, five_timeline):
    titles = dict(zip(five_articles[S.ARTICLE_ID], five_articles[S.TITLE], strict=True))
    ax = plot_map(five_timeline, labels="en", titles=titles)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "习近平抵达布达佩斯对匈牙利进行国事访问" in legend
    assert "Blinken starts China visit in S…" in legend  # 32 characters at most
    assert not [t for t in legend if t.startswith("0")]  # no article ids left


@pytest.mark.parametrize("labels", ["en", "zh"])
def test_five_articles_one_colour_each_with_a_legend_and_no_label_over_another(five_timeline, labels):
    ax = plot_map(five_timeline, labels=labels)
    ax.figure.canvas.draw()
    articles = list(dict.fromkeys(five_timeline[S.ARTICLE_ID]))
    assert len(articles) == 5
    # one colour per article: every stop disc of an article has its colour, five colours in all
    discs = [c for c in ax.collections if c.get_gid() == "stop"]
    colours = {tuple(c.get_edgecolor()[0]) for c in discs}
    assert len(colours) == 5
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    for stem in ("01-xi-paris.en", "02-xi-belgrade.en", "03-xi-budapest.zh",
                 "04-blinken-china.en", "05-putin-harbin.zh"):
        assert stem in legend
    renderer = ax.figure.canvas.get_renderer()
    texts = [t for t in ax.texts if t.get_gid() in ("stop-label", "place-label")]
    assert len(texts) >= 8
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    clashes = [(a, b) for i, (a, ba) in enumerate(boxes) for b, bb in boxes[i + 1:]
               if ba.overlaps(bb)]
    assert clashes == []


def test_labels_never_cover_each_other_on_a_crowded_map():
    """Twelve places within a degree of one another: labels move apart or (places only) drop."""
    rows = [dict(seq=i, place_id=f"p:{i}", name=f"Township number {i}", name_zh=None,
                 surface=f"Township number {i}", latitude=40 + (i % 4) * 0.25,
                 longitude=116 + (i // 4) * 0.3, movement="mention", certainty="reported")
            for i in range(12)]
    rows[0].update(movement="arrive")
    rows[5].update(movement="arrive")
    ax = plot_map(make_timeline(rows), labels="en")
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts
             if t.get_gid() in ("stop-label", "place-label")]
    assert len(boxes) >= 6
    assert not [1 for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b)]
    assert len(_texts(ax, "stop-label")) == 2  # stops always keep their label


def test_an_expected_leg_leaves_from_the_last_reported_stop():
    """'Will go on to Kaesong' starts where the story has got to (Ussuriysk), not at the first
    stop (Pyongyang), even though Pyongyang is the nearest."""
    kaesong = dict(seq=7, place_id="p:kaesong", name="Kaesong", name_zh="开城", surface="开城",
                   latitude=37.97, longitude=126.55, movement="arrive", certainty="expected",
                   time_start="2023-09-20", time_end="2023-09-21")
    tl = make_timeline()
    rows = tl.drop(columns="geometry").to_dict("records") + [kaesong]
    ax = plot_map(make_timeline([{k: v for k, v in r.items() if not pd.isna(v)} for r in rows]))
    ussuriysk, pyongyang = (131.95, 43.8), (125.75, 39.03)
    starts = {tuple(round(v, 2) for v in p._posA_posB[0]): tuple(round(v, 2) for v in p._posA_posB[1])
              for p in ax.patches if p.get_gid() == "leg-expected"}
    to_kaesong = [a for a, b in starts.items() if b == (126.55, 37.97)]
    assert to_kaesong == [ussuriysk]
    assert pyongyang not in starts


def test_english_labels_keep_latin_punctuation_narrow():
    """'Xi’an' in an English label: the apostrophe is DejaVu's, not the CJK face's full-width one."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.views.basemap import label_font

    fig = plt.figure()
    renderer = fig.canvas.get_renderer()

    def width(text, lang):
        t = fig.text(0, 0, text, fontproperties=label_font(lang, size=12))
        return t.get_window_extent(renderer).width

    en = width("Xi’an", "en")
    assert en < width("Xi’an", "zh")  # the CJK face's apostrophe is a full em wide
    assert abs(en - width("Xi'an", "en")) < 4  # about as wide as the ASCII spelling
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        width("西安 Xi’an", "en")
        fig.canvas.draw()
    assert not [w for w in caught if "missing" in str(w.message).lower()]  # Han via the CJK face
    plt.close(fig)
