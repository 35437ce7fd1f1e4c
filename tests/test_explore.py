"""The interactive explorer (analysis/explore.py), driven programmatically like a user would."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from pathlib import Path  # noqa: E402

import ipywidgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from test_plotting import make_timeline  # noqa: E402  (tests/ is on sys.path under pytest)

import analysis as an  # noqa: E402
from analysis import schema as S  # noqa: E402
from analysis.views.explorer import explore, highlight  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _no_pyplot_figures():
    before = set(plt.get_fignums())
    yield
    # the explorer renders on its own figures: nothing leaks into pyplot (no double display)
    assert set(plt.get_fignums()) == before


def hostile_timeline():
    tl = make_timeline()
    evidence = "<script>alert(1)</script>金正恩在离开平壤之前<img src=x onerror=alert(2)>挥手。"
    a = evidence.index("平壤")
    tl.loc[tl[S.PLACE_ID] == "p:pyongyang", [S.EVIDENCE, S.EVIDENCE_START, S.EVIDENCE_END,
                                             S.START, S.END]] = [evidence, 100, 100 + len(evidence),
                                                                 100 + a, 102 + a]
    tl[S.FEATURE] = ["city", "capital", "station", "city", "city", "city", "spaceport", "capital"]
    return tl


def test_highlight_marks_the_place_and_escapes_everything():
    out = highlight("<b>He</b> left Pyongyang & went", 15, 24, 0, "Pyongyang")
    assert out == "&lt;b&gt;He&lt;/b&gt; left <mark>Pyongyang</mark> &amp; went"
    # offsets that disagree with the surface fall back to finding it; no surface: plain escape
    assert highlight("a <i>b</i> Khasan", 0, 3, 0, "Khasan").endswith("<mark>Khasan</mark>")
    assert highlight("<x>", None, None, None, None) == "&lt;x&gt;"
    assert highlight(None, 0, 1, 0) == ""


def test_explorer_widget_steps_filters_and_escapes():
    w = explore(hostile_timeline())
    assert isinstance(w, ipywidgets.Widget)
    e = w.explorer
    assert e.article.options and len(e.events) == 8 and e.slider.max == 7
    # the first event is the 2019 visit (chronological order); find Pyongyang's departure
    order = list(e.events[S.PLACE_ID])
    e.slider.value = order.index("p:pyongyang")
    html = e.evidence.value
    assert "<mark>平壤</mark>" in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    map_png, timeline_png = bytes(e.map_image.value), bytes(e.timeline_image.value)
    assert map_png.startswith(PNG) and timeline_png.startswith(PNG)

    e.slider.value = order.index("p:ussuriysk")
    assert "<mark>" not in e.evidence.value or "乌苏里斯克" in e.evidence.value
    assert "乌苏里斯克" in e.evidence.value
    assert bytes(e.map_image.value) != map_png  # the ring moved
    assert bytes(e.timeline_image.value).startswith(PNG)

    listing = e.event_list.value
    assert listing.count("<tr") == 9 and "font-weight:bold" in listing  # header + 8, current bold
    assert "<script" not in listing

    e.certainty.value = ("reported",)
    assert len(e.events) == 6 and set(e.events[S.CERTAINTY]) == {"reported"}
    assert e.slider.max == 5 and e.slider.value == 0
    e.role.value = ("literal",)
    assert len(e.events) == 5
    e.feature.value = ("city",)
    assert set(e.events[S.FEATURE]) == {"city"} and len(e.events) == 3
    e.certainty.value = ()
    assert len(e.events) == 0 and e.slider.disabled
    assert "No events" in e.evidence.value or "没有" in e.evidence.value


def test_article_picker_switches_the_events():
    a = hostile_timeline()
    b = make_timeline().iloc[[2, 3]].assign(**{S.ARTICLE_ID: "second"})
    w = explore(pd.concat([a, b], ignore_index=True))
    e = w.explorer
    assert [v for _, v in e.article.options] == ["kim", "second"]
    first_map = bytes(e.map_image.value)
    e.article.value = "second"
    assert len(e.events) == 2 and set(e.events[S.ARTICLE_ID]) == {"second"}
    assert e.slider.max == 1 and bytes(e.map_image.value) != first_map
    assert "哈桑" in e.evidence.value


def test_explorer_state_embeds_images_in_html(tmp_path):
    from ipywidgets.embed import embed_minimal_html

    w = explore(hostile_timeline())
    out = tmp_path / "explorer.html"
    embed_minimal_html(out, views=[w], title="explorer")
    text = out.read_text(encoding="utf-8")
    assert "image/png" in text or "iVBORw0KGgo" in text  # the PNG travels in the widget state
    assert "<script>alert(1)</script>" not in text


def test_country_event_is_outlined_not_ringed():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from analysis.views.explorer import _outline_country
    from analysis.views.plotting import plot_map

    fig = Figure()
    FigureCanvasAgg(fig)
    ax = plot_map(make_timeline(), ax=fig.add_subplot())
    assert _outline_country(ax, {S.FEATURE: "country", S.COUNTRY_CODE: "RU"})
    assert [a for a in ax.patches if a.get_gid() == "current"]
    assert not _outline_country(ax, {S.FEATURE: "city", S.COUNTRY_CODE: "RU"})


def test_explorer_never_displays(monkeypatch):
    import IPython.display

    def forbidden(*args, **kwargs):
        raise AssertionError("explore() must return the widget, not display it")

    monkeypatch.setattr(IPython.display, "display", forbidden)
    w = explore(hostile_timeline())
    w.explorer.slider.value = 1
    assert isinstance(w, ipywidgets.VBox)


def test_explorer_rejects_other_input():
    with pytest.raises(ValueError, match="build_timeline"):
        explore(pd.DataFrame({"x": [1]}))
    with pytest.raises(TypeError):
        explore([1, 2])


def test_explorer_on_the_sample_articles():
    articles = an.load_articles(ROOT / "data" / "articles")
    w = explore(articles)
    e = w.explorer
    assert e.article.value == articles[S.ARTICLE_ID].iloc[0]
    assert e.article.label.startswith("金正恩访俄")  # the title, not the id
    assert len(e.events) > 10
    # features from the gazetteer, shown in the article's language, filtered by their value
    assert ("国家", "country") in e.feature.options
    e.feature.value = tuple(f for _, f in e.feature.options if f != "country")
    assert not (e.events[S.FEATURE] == "country").any()
    moves = e.events[S.MOVEMENT].tolist()
    e.slider.value = moves.index("depart")
    assert "<mark>平壤</mark>" in e.evidence.value


def test_public_name_stays_callable_after_the_submodule_import():
    import analysis.views.explorer  # noqa: F401

    assert isinstance(an.explore(hostile_timeline()), ipywidgets.Widget)


def test_explorer_opens_on_the_first_stop_without_a_stray_readout_and_filters_movement():
    """A real English article whose first events are mentions: the explorer opens on its route's
    first stop, shows one position ('n / N', no slider readout) and filters by movement."""
    articles = an.load_articles(ROOT / "tests" / "data" / "views" / "five" / "04-blinken-china.en.md")
    e = explore(articles).explorer
    assert e.slider.readout is False
    first = e.events.iloc[e.slider.value]
    stops = an.route(an.build_timeline(articles)).stops
    assert first[S.MOVEMENT] != "mention" and first[S.CERTAINTY] == "reported"
    assert first[S.PLACE_ID] == stops.iloc[0][S.PLACE_ID]
    assert e.count.value.startswith(f"<b>{e.slider.value + 1}</b> / {len(e.events)} ")
    values = [v for _, v in e.movement.options]
    assert e.movement.description == "Movement" and "mention" in values
    e.movement.value = ("arrive",)
    assert len(e.events) >= 1 and set(e.events[S.MOVEMENT]) == {"arrive"}
    e.movement.value = tuple(v for v in values if v != "mention")
    assert "mention" not in set(e.events[S.MOVEMENT]) and len(e.events) >= 2


@pytest.mark.parametrize(("path", "words", "not_words"), [
    ("tests/data/articles/formats/plain.zh-Hant.txt", ["確定性", "地點", "動作", "已報道", "實指"],
     ["确定性", "地点", "已报道", "reported", "literal"]),
    ("tests/data/views/five/05-putin-harbin.zh.md", ["确定性", "地点", "动作", "已报道", "实指"],
     ["確定性", "地點", "reported", "literal"]),
    ("tests/data/views/five/02-xi-belgrade.en.md", ["Certainty", "Place", "Movement", "reported"],
     ["确定性", "已报道"]),
])
def test_widget_labels_in_the_articles_script(path, words, not_words):
    """Traditional articles get traditional labels, simplified simplified, English English: in
    the filters, the evidence pane and the event list alike (no mixed languages)."""
    e = explore(an.load_articles(ROOT / path)).explorer
    options = [label for box in (e.movement, e.certainty, e.role, e.feature)
               for label, _ in box.options]
    shown = " ".join([e.certainty.description, e.movement.description, e.slider.description,
                      e.evidence.value, e.event_list.value, e.count.value, *options])
    for w in words:
        assert w in shown
    for w in not_words:
        assert w not in shown


def test_the_timeline_marks_a_stays_whole_window_not_its_midpoint():
    """A merged arrival + departure (Ussuriysk, 12th to 15th) is shaded from arrival to
    departure on the explorer's timeline, not marked at its midpoint: three days of shade
    against the one day of the same stop left as a day."""
    import io

    import numpy as np
    from PIL import Image

    def shaded(tl, place):
        e = explore(tl).explorer
        e.slider.value = list(e.events[S.PLACE_ID]).index(place)
        img = np.asarray(Image.open(io.BytesIO(bytes(e.timeline_image.value))).convert("RGB"))
        tint = np.array([255, 237, 217])  # #ff8c00 at 15% over white
        return int((np.abs(img.astype(int) - tint).max(axis=2) <= 6).sum())

    tl = make_timeline()
    stay = tl[S.PLACE_ID] == "p:ussuriysk"
    tl.loc[stay, [S.TIME_START, S.TIME_END, S.GRANULARITY]] = [
        pd.Timestamp("2023-09-12"), pd.Timestamp("2023-09-15"), "day"]
    three_days, one_day = shaded(tl, "p:ussuriysk"), shaded(make_timeline(), "p:ussuriysk")
    assert one_day > 0 and three_days > 2 * one_day  # the shade grows with the stay
