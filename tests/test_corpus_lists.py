"""read_corpus gives list columns back as lists, as the single-process frames have them (issue 9)."""

from __future__ import annotations

import shutil
from pathlib import Path

import analysis as an
from analysis.io.corpus import read_corpus

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "articles" / "kim-jong-un-enters-russia.zh.md"


def test_alternatives_come_back_as_lists(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy2(SAMPLE, src / SAMPLE.name)
    an.process_corpus(src, tmp_path / "out", n_workers=1, progress=False)
    places = read_corpus(tmp_path / "out", "places")
    direct = an.find_places(an.load_articles(src))
    assert len(places) == len(direct) > 10
    alts = places.sort_values(["article_id", "start"])["alternatives"].tolist()
    want = direct.sort_values(["article_id", "start"])["alternatives"].tolist()
    assert all(isinstance(a, list) for a in alts)
    assert any(alts)  # some mention has runner-up senses
    assert alts == [list(w) for w in want]
