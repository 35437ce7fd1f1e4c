"""The interactive map (views.webmap.map_interactive) on a 500-event timeline: build time, HTML size,
and load time in headless Chromium (file://, network off), median of 3 loads.

    .venv/bin/python -m bench.webmap [--events 500] [--articles 5]

Prints one JSON line. The timeline is synthetic but in the pipeline's shape (schema-coerced rows
with evidence sentences), walking across East Asia so that every event is a distinct place. The
browser harness is the tests' own (tests/test_report_browser.py: Browser, offline Chromium).

The alternative: folium is not installed in this environment, and its pages load Leaflet, jQuery and
Bootstrap from CDNs (cdn.jsdelivr.net, code.jquery.com, netdna.bootstrapcdn.com) unless every asset
is vendored by hand, so in an offline page it draws nothing; it is not measured here.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MOVES = ("arrive", "visit", "meet", "depart", "mention")


def synthetic_timeline(n_events: int, n_articles: int):
    import geopandas as gpd
    import pandas as pd

    from analysis import schema as S

    rows = []
    start = pd.Timestamp("2024-05-01 06:00")
    for i in range(n_events):
        art = i % n_articles
        k = i // n_articles
        lat, lon = 25 + (k * 7 % 25) + art * 0.5, 100 + (k * 3 % 40) + art * 0.3
        sentence = f"The delegation reached stop {k} of route {art} after a long day of talks."
        t = start + pd.Timedelta(hours=6 * k)
        rows.append(dict(
            article_id=f"article-{art}", seq=k, place_id=f"p:{art}:{k}", name=f"Place {art}-{k}",
            name_zh=f"地点{art}-{k}", surface=f"Place {art}-{k}", start=26, end=33,
            latitude=lat, longitude=lon, time_start=t, time_end=t + pd.Timedelta(hours=6),
            time_text="", granularity="part_of_day", time_source="expression",
            movement=MOVES[k % len(MOVES)], certainty="expected" if k % 9 == 8 else "reported",
            role="literal", evidence=sentence, evidence_start=0, evidence_end=len(sentence),
            feature="city", country_code="CN", published=start.tz_localize("UTC"),
        ))
    frame = S.coerce(pd.DataFrame(rows), S.TIMELINE_DTYPES)
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame[S.LONGITUDE],
                                                               frame[S.LATITUDE]), crs=S.CRS)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--articles", type=int, default=5)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "tests"))
    from test_report_browser import Browser, _chromium

    from analysis.views.webmap import map_interactive

    timeline = synthetic_timeline(args.events, args.articles)
    t0 = time.perf_counter()
    html = map_interactive(timeline, labels="en").to_html()
    build_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "map.html"
        page.write_text(html, encoding="utf-8")
        browser = Browser(_chromium(), Path(tmp) / "profile")
        loads, ready = [], []
        try:
            for _ in range(3):
                browser.open("about:blank")
                t0 = time.perf_counter()
                browser.open(page.as_uri())
                loads.append(time.perf_counter() - t0)
                browser.poll("document.querySelectorAll('.stop').length > 0", timeout=60)
                ready.append(time.perf_counter() - t0)
            stops = browser.js("document.querySelectorAll('.stop').length")
            rows = browser.js("document.querySelectorAll('#events tbody tr').length")
            errors, remote = browser.errors(), [u for u in browser.requests()
                                                if not u.startswith(("file:", "data:", "about:"))]
        finally:
            browser.close()
    out = {
        "bench": "map_interactive", "events": args.events, "articles": args.articles,
        "build_s": round(build_s, 2), "html_bytes": len(html.encode("utf-8")),
        "load_s_median": round(statistics.median(loads), 2),
        "ready_s_median": round(statistics.median(ready), 2),
        "stops_drawn": stops, "table_rows": rows, "console_errors": len(errors),
        "network_requests": len(remote), "alternative": "folium: not installed; CDN assets",
    }
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
