"""The rendered report in a real browser: headless Chromium, file://, network off.

One report is rendered for the module, over the bundled sample and a hostile article
(tests/data/hostile/) whose title, text and captions carry ``<script>`` and ``<img onerror>``. The
page is driven over the Chrome DevTools Protocol (websocket-client, a Jupyter dependency): console
messages, exceptions, dialogs and network requests are recorded while it loads.

Chromium comes from Debian (`scripts/sysdeps.sh`, run by `make test` as root). Without it the
module is skipped with the install hint, except under ``CI=true`` where a missing browser fails.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "articles"
HOSTILE = ROOT / "tests" / "data" / "hostile"
SCRIPT_TEXT = "<script>alert(1)</script>"
IMG_TEXT = "<img src=x onerror=alert(2)>"
# the sample's route in travel order, in Chinese or English labels
ROUTE = [("平壤", "Pyongyang"), ("哈桑", "Khasan"), ("乌苏里斯克", "Ussuriysk"),
         ("哈巴罗夫斯克", "Khabarovsk")]

pytestmark = pytest.mark.slow


def _chromium() -> str:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    hint = "install it with `sudo apt-get install chromium` (or `make sysdeps` as root)"
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(f"headless Chromium is required under CI=true but missing: {hint}")
    pytest.skip(f"headless Chromium not found; {hint}")


class Browser:
    """Headless Chromium with the network off, driven over the DevTools Protocol."""

    FLAGS = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--mute-audio",
        "--disable-dev-shm-usage",  # containers (CI) often have a tiny /dev/shm
        "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
        "--window-size=1280,900", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
    ]

    def __init__(self, exe: str, profile: Path) -> None:
        import websocket

        self.proc = subprocess.Popen(
            [exe, *self.FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError("Chromium did not start its DevTools server")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        # the DevTools endpoint is local; no proxy from the environment may stand in between
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        pages: list[dict] = []
        while not pages:
            if time.monotonic() > deadline:
                self.close()
                raise RuntimeError("Chromium opened no page to drive")
            pages = json.loads(opener.open(f"http://127.0.0.1:{port}/json/list", timeout=10).read())
            pages = [p for p in pages if p.get("type") == "page"]
            time.sleep(0.1)
        self.ws = websocket.create_connection(
            pages[0]["webSocketDebuggerUrl"], timeout=60, suppress_origin=True,
            http_proxy_host=None,
        )
        self._id = 0
        self.events: list[dict] = []
        self.dialogs: list[str] = []
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        # belt and braces on top of the dead proxy: the page itself is offline
        self.send("Network.emulateNetworkConditions", offline=True, latency=0,
                  downloadThroughput=-1, uploadThroughput=-1)

    def _recv(self) -> dict:
        msg = json.loads(self.ws.recv())
        if msg.get("method") == "Page.javascriptDialogOpening":
            self.dialogs.append(msg["params"].get("message", ""))
            self.ws.send(json.dumps({"id": 0, "method": "Page.handleJavaScriptDialog",
                                     "params": {"accept": True}}))
        if "method" in msg:
            self.events.append(msg)
        return msg

    def send(self, method: str, **params) -> dict:
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            msg = self._recv()
            if msg.get("id") == self._id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def wait_for(self, method: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        start = len(self.events)
        while time.monotonic() < deadline:
            if any(e["method"] == method for e in self.events[start:]):
                return
            self._recv()
        raise TimeoutError(f"no {method} within {timeout}s")

    def open(self, url: str) -> None:
        self.events.clear()
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")

    def js(self, expression: str):
        res = self.send("Runtime.evaluate", expression=expression, returnByValue=True,
                        awaitPromise=True)
        if "exceptionDetails" in res:
            raise RuntimeError(f"page script failed: {res['exceptionDetails']}")
        return res["result"].get("value")

    def poll(self, expression: str, timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.js(expression):
                return True
            time.sleep(0.2)
        return False

    def screenshot(self) -> bytes:
        height = self.js("Math.min(document.documentElement.scrollHeight, 16000)")
        shot = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                         clip={"x": 0, "y": 0, "width": 1280, "height": height, "scale": 1})
        return base64.b64decode(shot["data"])

    def errors(self) -> list[str]:
        out = []
        for e in self.events:
            p = e.get("params", {})
            if e["method"] == "Runtime.exceptionThrown":
                d = p["exceptionDetails"]
                out.append(f"exception: {d.get('exception', {}).get('description') or d.get('text')}")
            elif e["method"] == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append("console." + p["type"] + ": "
                           + " ".join(str(a.get("value", a.get("description"))) for a in p["args"]))
            elif e["method"] == "Log.entryAdded" and p["entry"].get("level") == "error":
                out.append(f"log: {p['entry'].get('text')} {p['entry'].get('url', '')}")
        return out

    def requests(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events
                if e["method"] == "Network.requestWillBeSent"]

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:
            pass
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    exe = _chromium()
    b = Browser(exe, tmp_path_factory.mktemp("chromium-profile"))
    yield b
    b.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    import analysis as an

    out = tmp_path_factory.mktemp("report") / "report.html"
    return an.render_report([SAMPLE, HOSTILE], out, progress=False)


@pytest.fixture(scope="module")
def page(browser, report):
    """The report loaded, its widgets rendered, and what happened on the way."""
    browser.open(report.as_uri())
    views = browser.js(
        "document.querySelectorAll('script[type=\"application/vnd.jupyter.widget-view+json\"]').length"
    )
    rendered = browser.poll(
        f"document.querySelectorAll('.widget-subarea > *').length >= {views}", timeout=30
    )
    time.sleep(0.5)  # let late console errors from widget rendering arrive
    browser.js("document.fonts.ready.then(() => true)")
    fonts = browser.js(
        "Object.fromEntries(Array.from(document.fonts).filter(f => f.status === 'loaded')"
        ".map(f => [f.family.replace(/\"/g, ''), f.status]))"
    )
    shot = browser.screenshot()
    out = os.environ.get("REPORT_SCREENSHOT")
    if out:
        Path(out).write_bytes(shot)
    return {"views": views, "rendered": rendered, "shot": shot, "fonts": fonts,
            "errors": browser.errors(), "requests": browser.requests(),
            "dialogs": list(browser.dialogs)}


# ------------------------------------------------------------------------------ the HTML itself
def test_report_html_is_offline_and_escaped(report):
    """Without a browser: nothing remote to load, the hostile markup only as escaped text."""
    from analysis.report.render import external_references

    html = report.read_text(encoding="utf-8")
    assert external_references(html) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    for raw in ("<script>alert(1)", "<img src=x", "<img src=\"x\""):
        assert raw not in html, raw
    assert 'class="report-map"' in html and 'class="animation"' in html


def test_embedded_cjk_font_has_every_glyph_the_page_shows(report):
    """The page's Chinese text renders on machines without a CJK font: no missing glyphs."""
    from fontTools.ttLib import TTFont

    from analysis.views.webfont import CJK_CHARS

    html = report.read_text(encoding="utf-8")
    m = re.search(r'font-family: "Report CJK";[^}]*url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)',
                  html)
    assert m, "no embedded CJK font"
    cmap = TTFont(io.BytesIO(base64.b64decode(m.group(1)))).getBestCmap()
    # text outside the inlined bundles, plus the widget state (JSON with \uXXXX escapes)
    shown = re.sub(r"<script>.*?</script>", "", html, flags=re.DOTALL)
    shown = re.sub(r"\\u([0-9a-fA-F]{4})", lambda u: chr(int(u.group(1), 16)), shown)
    needed = set(CJK_CHARS.findall(shown))
    assert {"平", "壤", "哈", "桑", "乌", "苏", "里", "斯", "克"} <= needed
    assert sorted(c for c in needed if ord(c) not in cmap) == []


# ------------------------------------------------------------------------------ the harness
def test_harness_sees_dialogs_errors_and_blocked_network(browser, tmp_path):
    """The checks below can fail: an alert, a console error and a web request are all caught."""
    probe = tmp_path / "probe.html"
    probe.write_text(
        "<html><body><p>probe</p><script>alert('probe'); console.error('boom');</script>"
        "<img src='https://example.com/x.png'></body></html>"
    )
    browser.dialogs.clear()
    browser.open(probe.as_uri())
    browser.send("Runtime.evaluate", expression="1")
    assert browser.dialogs == ["probe"]
    assert any("boom" in e for e in browser.errors())
    assert any(u.startswith("https://example.com") for u in browser.requests())
    browser.dialogs.clear()


# ------------------------------------------------------------------------------ the report
def test_page_loads_offline_without_errors(page):
    assert page["errors"] == []
    remote = [u for u in page["requests"] if not re.match(r"(file|data|blob|about):", u)]
    assert remote == [], f"the report asked the network for {remote}"


def test_screenshot_is_not_blank(page):
    from PIL import Image

    img = Image.open(io.BytesIO(page["shot"])).convert("L")
    assert img.height > 2000, "the report is suspiciously short"
    lo, hi = img.getextrema()
    assert hi - lo > 100, "the page is a single colour"
    dark = sum(n for value, n in enumerate(img.histogram()) if value < 160)
    assert dark / (img.width * img.height) > 0.01, "almost nothing is drawn on the page"


def test_map_image_is_there(browser, page):
    from PIL import Image

    src = browser.js(
        "(() => { const i = document.querySelector('figure.report-map img');"
        " return i && i.complete && i.naturalWidth > 300 ? i.src : null })()"
    )
    assert src and src.startswith("data:image/png;base64,")
    img = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))).convert("RGB")
    assert len(img.getcolors(1 << 16) or range(1 << 16)) > 20, "the map image is nearly empty"


def test_animation_player_has_frames_and_steps(browser, page):
    n = browser.js(
        "(() => { const s = document.querySelector('.animation input.anim-slider');"
        " return s ? parseInt(s.max) + 1 : 0 })()"
    )
    assert n > 1
    changed = browser.js(
        "(() => { const a = document.querySelector('.animation');"
        " const img = a.querySelector('img'); const before = img.src;"
        " a.querySelector('button[title=\"Last frame\"]').click();"
        " return before !== img.src && img.src.startsWith('data:image/png') })()"
    )
    assert changed


def test_no_dead_widgets_and_the_fonts_load(page):
    # the explorer in the page is the JavaScript map (tested below), not widgets without a kernel
    assert page["views"] == 0, "a widget view in the report would be a dead control"
    assert page["fonts"].get("Report CJK") == "loaded"
    assert page["fonts"].get("Font Awesome 5 Free") == "loaded"  # the player's button icons


def test_sample_route_in_travel_order(browser, page):
    text = browser.js("document.body.innerText")
    # consecutive stops on one line, "→" between them (an English name may run on: "Khasan station")
    pattern = r"[^→\n]{0,24}→\s*".join(f"(?:{zh}|{en})" for zh, en in ROUTE)
    assert re.search(pattern, text), "the sample's route Pyongyang → Khasan → Ussuriysk → Khabarovsk"


def test_hostile_article_renders_as_text(browser, page):
    assert page["dialogs"] == [], f"article text ran as script: {page['dialogs']}"
    text = browser.js("document.body.innerText")
    assert SCRIPT_TEXT in text
    assert IMG_TEXT in text
    injected = browser.js(
        "document.querySelectorAll('img[src=\"x\"], [onerror]').length"
        " + Array.from(document.scripts).filter(s => (!s.type || /javascript|module/.test(s.type))"
        " && /alert\\([12]\\)/.test(s.textContent)).length"
    )
    assert injected == 0


# ------------------------------------------------------------------------------ the interactive map
_MAP = "document.querySelector('iframe.geotimeline-map').contentDocument"


def _map_click(browser, n: int) -> None:
    """A real mouse click on the numbered stop ``n`` of the report's map."""
    browser.js("document.querySelector('iframe.geotimeline-map').scrollIntoView({block: 'start'})")
    x, y = browser.js(
        f"(() => {{ const f = document.querySelector('iframe.geotimeline-map').getBoundingClientRect();"
        f" const r = {_MAP}.querySelector('.stop[data-n=\"{n}\"]').getBoundingClientRect();"
        f" return [f.x + r.x + r.width / 2, f.y + r.y + r.height / 2] }})()")
    browser.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
    for kind in ("mousePressed", "mouseReleased"):
        browser.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)
    time.sleep(0.3)


def _viewport_shot(browser) -> bytes:
    shot = browser.send("Page.captureScreenshot", format="png")
    return base64.b64decode(shot["data"])


def test_report_map_click_shows_evidence_then_time_filter(browser, page):
    shots = ROOT / "reports" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    assert browser.poll(f"{_MAP} && {_MAP}.querySelectorAll('.stop').length > 0")
    n = browser.js(f"{_MAP}.querySelectorAll('.stop').length")
    assert n == len(ROUTE)  # the sample and the hostile article tell one route: merged
    assert int(browser.js(f"{_MAP}.getElementById('count').dataset.stops")) == n
    _map_click(browser, 2)
    info = browser.js(f"{_MAP}.getElementById('info').innerText")
    evidence = browser.js(f"(() => {{ const d = document.createElement('div'); d.innerHTML ="
                          f" JSON.parse({_MAP}.getElementById('map-data').textContent)"
                          ".stops[1].evidence; return d.innerText })()")
    assert "哈桑" in info and "俄罗斯" in evidence and evidence in info  # the Khasan stop's sentence
    (shots / "report-map-click.png").write_bytes(_viewport_shot(browser))
    # the slider at the time of the first stop: the later stops leave the map and the table
    win = "document.querySelector('iframe.geotimeline-map').contentWindow"
    browser.js(f"(() => {{ const g = {win}.geotimelineMap; const s = {_MAP}.getElementById('time');"
               f" const t = JSON.parse({_MAP}.getElementById('map-data').textContent).stops[0].t;"
               " s.value = g.times.indexOf(t); s.dispatchEvent(new Event('input')); return true })()")
    shown = int(browser.js(f"{_MAP}.getElementById('count').dataset.stops"))
    assert 0 < shown < n
    assert browser.js(f"{_MAP}.querySelectorAll('#events tbody tr').length") == shown
    (shots / "report-map-time-filter.png").write_bytes(_viewport_shot(browser))
    assert browser.errors() == []


def test_report_map_chinese_title_has_its_glyphs(browser, page):
    """The legend shows the Chinese article title in the embedded face: no □ (font check)."""
    legend = browser.js(f"{_MAP}.getElementById('legend').innerText")
    assert "金正恩" in legend
    assert browser.js(f"[...{_MAP}.fonts].some(f => f.family.includes('Map CJK')"
                      " && f.status === 'loaded')")
    assert browser.js(f"{_MAP}.fonts.check('13px \"Map CJK\"', {json.dumps(legend[:40])})")
    # every CJK character of the legend is in the embedded font
    import base64 as b64

    from fontTools.ttLib import TTFont

    page_html = browser.js(f"{_MAP}.documentElement.outerHTML")
    font = re.search(r'font-family: "Map CJK";[^}]*base64,([A-Za-z0-9+/=]+)', page_html)
    cmap = TTFont(io.BytesIO(b64.b64decode(font.group(1)))).getBestCmap()
    assert [c for c in legend if "\u3400" <= c <= "\u9fff" and ord(c) not in cmap] == []
    # the must-show picture: the report's explorer with its Chinese title, after a fresh reset
    browser.js(f"(() => {{ const s = {_MAP}.getElementById('time'); s.value = s.max;"
               " s.dispatchEvent(new Event('input')); return true })()")
    browser.js("document.querySelector('iframe.geotimeline-map').scrollIntoView()")
    time.sleep(0.3)
    shots = ROOT / "reports" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    (shots / "report-map-chinese-title.png").write_bytes(_viewport_shot(browser))
    assert browser.errors() == []
