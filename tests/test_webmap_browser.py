"""The interactive map in a real browser (headless Chromium, file://, network off): on its own, in an
nbconvert render of a notebook that is not ours (tests/data/notebook/analyst.ipynb), after a click on
a stop and after moving the time filter. Screenshots go to reports/screenshots/ (git-ignored)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from test_report_browser import Browser, _chromium

import analysis as an

ROOT = Path(__file__).resolve().parents[1]
STORY5 = ROOT / "tests" / "data" / "story5"
NOTEBOOK = ROOT / "tests" / "data" / "notebook" / "analyst.ipynb"
SHOTS = ROOT / "reports" / "screenshots"

pytestmark = pytest.mark.slow

# the page's own document, or the document inside the first map iframe
_DOC = ("(() => { const f = document.querySelector('iframe.geotimeline-map');"
        " return f ? f.contentDocument : document })()")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    b = Browser(_chromium(), tmp_path_factory.mktemp("chromium-profile"))
    yield b
    b.close()


def _shot(browser, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / name).write_bytes(browser.screenshot())


def _offline(browser) -> None:
    assert browser.errors() == []
    remote = [u for u in browser.requests() if not re.match(r"(file|data|blob|about):", u)]
    assert remote == [], f"the page asked the network for {remote}"


def _click_stop(browser, n: int) -> None:
    """A real mouse click (DevTools Input events) on the numbered stop ``n``."""
    rect = browser.js(
        f"(() => {{ const d = {_DOC}; const f = document.querySelector('iframe.geotimeline-map');"
        f" const o = f ? f.getBoundingClientRect() : {{x: 0, y: 0}};"
        f" if (f) f.scrollIntoView({{block: 'start'}});"
        f" const e = d.querySelector('.stop[data-n=\"{n}\"]');"
        f" const r = e.getBoundingClientRect(); const o2 = f ? f.getBoundingClientRect() : o;"
        f" return [o2.x + r.x + r.width / 2, o2.y + r.y + r.height / 2] }})()")
    browser.send("Input.dispatchMouseEvent", type="mouseMoved", x=rect[0], y=rect[1])
    for kind in ("mousePressed", "mouseReleased"):
        browser.send("Input.dispatchMouseEvent", type=kind, x=rect[0], y=rect[1], button="left",
                     clickCount=1)
    time.sleep(0.3)


def _count(browser) -> int:
    return int(browser.js(f"{_DOC}.getElementById('count').dataset.stops"))


def _slide(browser, value: int) -> None:
    browser.js(f"(() => {{ const s = {_DOC}.getElementById('time'); s.value = {value};"
               " s.dispatchEvent(new Event('input')); return true })()")


@pytest.fixture(scope="module")
def story_map(tmp_path_factory):
    articles = an.load_articles(STORY5)
    m = an.map_interactive(an.build_timeline(articles),
                           titles=dict(zip(articles["article_id"], articles["title"], strict=True)))
    out = m.save(tmp_path_factory.mktemp("map") / "map.html")
    return m, Path(out)


def test_map_click_shows_evidence_and_time_filter_hides_later_stops(browser, story_map):
    m, path = story_map
    browser.open(path.as_uri())
    time.sleep(0.5)
    stops = m.data["stops"]
    assert _count(browser) == len(stops) == browser.js(f"{_DOC}.querySelectorAll('.stop').length")
    # five articles, five legend entries with their own colours
    assert browser.js(f"{_DOC}.querySelectorAll('#legend .sw').length") == 5
    _click_stop(browser, 2)
    info = browser.js(f"{_DOC}.getElementById('info').innerText")
    evidence = re.sub(r"<[^>]+>", "", stops[1]["evidence"])
    assert evidence and evidence in info
    assert browser.js(f"{_DOC}.querySelector('.leaflet-popup-content').innerText").count(
        evidence) == 1
    _shot(browser, "webmap-story5-click.png")
    _slide(browser, 2)
    shown = _count(browser)
    assert 0 < shown < len(stops)
    assert browser.js(f"{_DOC}.querySelectorAll('.stop').length") == shown
    assert browser.js(f"{_DOC}.querySelectorAll('#events tbody tr').length") == shown
    _shot(browser, "webmap-story5-time-filter.png")
    _offline(browser)


@pytest.fixture(scope="module")
def analyst_html(tmp_path_factory):
    from analysis.__main__ import main

    out = tmp_path_factory.mktemp("nb") / "analyst.html"
    before = NOTEBOOK.read_bytes()
    assert main(["html", str(NOTEBOOK), "-o", str(out), "-p", "TITLE", "'Five cities'"]) == 0
    assert NOTEBOOK.read_bytes() == before  # the analyst's notebook is never modified
    return out


def test_the_map_works_in_an_nbconvert_render_of_a_notebook_not_ours(browser, analyst_html):
    from analysis.report.render import external_references

    html = analyst_html.read_text(encoding="utf-8")
    assert external_references(html) == []
    assert "Five cities 5 articles" in html  # the parameter reached the notebook
    browser.open(analyst_html.as_uri())
    assert browser.poll(f"{_DOC}.getElementById('count') && {_DOC}.querySelectorAll('.stop').length > 0")
    # the widget renders from the embedded state (no CDN), with its Chinese label
    assert browser.poll("document.querySelectorAll('.widget-dropdown select').length === 1")
    assert "文章" in browser.js("document.querySelector('.widget-dropdown').innerText")
    # the Chinese in code cells and widget labels is drawn by the embedded face, not □
    browser.js("document.fonts.ready.then(() => true)")
    assert browser.js("[...document.fonts].some(f => f.family.includes('Report CJK')"
                      " && f.status === 'loaded')")
    assert "Report CJK" in browser.js("getComputedStyle(document.querySelector('.highlight pre'))"
                                      ".fontFamily")
    n = browser.js(f"{_DOC}.querySelectorAll('.stop').length")
    assert _count(browser) == n
    _click_stop(browser, 1)
    assert browser.js(f"{_DOC}.querySelector('#info .evidence').innerText").strip()
    _shot(browser, "webmap-analyst-notebook.png")
    _offline(browser)


def test_chinese_text_in_the_map_has_its_glyphs(browser, story_map):
    """No □: every CJK character the page shows is in the embedded font, and the font loaded."""
    import base64
    import io

    from fontTools.ttLib import TTFont

    m, path = story_map
    html = path.read_text(encoding="utf-8")
    font = re.search(r'font-family: "Map CJK";[^}]*base64,([A-Za-z0-9+/=]+)', html)
    cmap = TTFont(io.BytesIO(base64.b64decode(font.group(1)))).getBestCmap()
    shown = set(re.findall(r"[\u3400-\u9fff]", json.dumps(m.data, ensure_ascii=False)))
    assert shown and not [c for c in shown if ord(c) not in cmap]
    browser.open(path.as_uri())
    browser.js("document.fonts.ready.then(() => true)")
    assert browser.js("document.fonts.check('13px \"Map CJK\"', '北京')")
    assert browser.js("[...document.fonts].some(f => f.family.includes('Map CJK') && f.status === 'loaded')")
