"""One time label everywhere: an English 'Tuesday morning' is a morning on the static map, the
interactive map and the report's route table (all through timex.format.format_when)."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import analysis as an  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "tests" / "data" / "story5" / "04-shanghai.en.md"  # "left Beijing on Tuesday morning"


@pytest.fixture(scope="module")
def timeline():
    return an.build_timeline(an.load_articles(ARTICLE))


def test_static_and_interactive_maps_say_morning(timeline):
    ax = an.plot_map(timeline, labels="en")
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "stop-label"]
    plt.close(ax.figure)
    assert "Beijing  Apr 8 morning" in labels and "Shanghai  Apr 8 afternoon" in labels
    stops = {s["place"]: s["when"] for s in an.map_interactive(timeline).data["stops"]}
    assert stops["Beijing"] == "2025-04-08 morning" and stops["Shanghai"] == "2025-04-08 afternoon"


@pytest.mark.slow
def test_report_route_table_says_morning(tmp_path):
    out = an.render_report(ARTICLE, output=tmp_path / "r.html", progress=False)
    page = out.read_text(encoding="utf-8")
    rows = re.findall(r"<tr><td>1</td><td>Beijing</td><td>([^<]*)</td>", page)
    assert rows and set(rows) == {"2025-04-08 morning"}
    assert "00:00" not in "".join(rows)
