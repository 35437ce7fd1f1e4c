"""Hostile and broken input: generated text never crashes the pipeline, and bad files fail clearly.

The property tests (hypothesis) feed arbitrary text — CJK, emoji, control characters, lone
surrogate-free Unicode, markup — to the loader, the time parser and the geoparser, and check the
invariants analysts rely on: no unhandled exception, offsets inside the text, the surface equal to
the text at those offsets, and the same output for the same input.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import analysis as an

REF = pd.Timestamp("2023-09-12")
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "150"))
PROPS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like news sometimes: real fragments mixed with arbitrary Unicode.
FRAGMENTS = st.sampled_from([
    "平壤", "离开平壤", "周二早上", "9月10日至12日", "哈桑", "符拉迪沃斯托克", "华盛顿方面", "克里姆林宫表示",
    "Moscow said", "on Tuesday", "last week", "Washington", "Georgetown, South Carolina", "2023-02-30",
    "<script>alert(1)</script>", "\x00", "\u200b", "\ufeff", "，", "。", "\n\n", "Ünïcödé", "🙂", "年月日",
])
TEXT = st.lists(st.one_of(st.text(max_size=40), FRAGMENTS), max_size=12).map("".join)


def _frame(text: str) -> pd.DataFrame:
    return pd.DataFrame({"article_id": ["h"], "text": [text], "published": ["2023-09-12"]})


@PROPS
@given(TEXT)
def test_parse_time_never_crashes_and_is_deterministic(text):
    got = an.parse_time(text, REF)
    assert got == an.parse_time(text, REF)
    if got is not None:
        assert isinstance(got.value, str) and got.value
        if got.start is not None and got.end is not None:
            assert got.start <= got.end


@PROPS
@given(TEXT)
def test_find_times_offsets_inside_text(text):
    arts = an.load_articles(_frame(text), errors="ignore")
    if arts.empty:
        return
    body = arts["text"].iloc[0]
    times = an.find_times(arts)
    for row in times.itertuples():
        assert 0 <= row.start < row.end <= len(body)
        assert body[row.start:row.end] == row.surface


@PROPS
@given(TEXT)
def test_find_places_offsets_inside_text_and_deterministic(text):
    arts = an.load_articles(_frame(text), errors="ignore")
    if arts.empty:
        return
    body = arts["text"].iloc[0]
    first = an.find_places(arts)
    second = an.find_places(arts)
    assert first[["start", "end", "place_id"]].equals(second[["start", "end", "place_id"]])
    for row in first.itertuples():
        assert 0 <= row.start < row.end <= len(body)
        assert body[row.start:row.end] == row.surface
        assert row.role in ("literal", "metonymic")


@PROPS
@given(TEXT)
def test_loader_keeps_dataframe_text_verbatim(text):
    arts = an.load_articles(_frame(text), errors="ignore")
    if not arts.empty:
        assert arts["text"].iloc[0] == text


@settings(max_examples=max(20, EXAMPLES // 5), deadline=None)
@given(st.binary(min_size=1, max_size=2000))
def test_random_bytes_file_gives_clear_error_or_article(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "random.txt"
    path.write_bytes(data)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    try:
        arts = an.load_articles(path)
    except ValueError as err:  # ArticleError is a ValueError
        assert "random.txt" in str(err)
    else:
        assert len(arts) == 1
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


# ----------------------------------------------------------------------------- broken files


def _write(folder: Path, name: str, data: bytes) -> Path:
    p = folder / name
    p.write_bytes(data)
    return p


@pytest.fixture
def broken_folder(tmp_path):
    """A folder of good and bad files, as a scraper leaves them."""
    good = Path(__file__).resolve().parents[1] / "data" / "articles" / "kim-jong-un-enters-russia.zh.md"
    d = tmp_path / "scraped"
    d.mkdir()
    _write(d, "good.md", good.read_bytes())
    _write(d, "empty.md", b"")
    _write(d, "binary.txt", bytes(range(256)) * 8)
    _write(d, "frontmatter.md", b"---\ntitle: [unclosed\npublished: : :\n---\n\nbody text about Beijing.\n")
    _write(d, "broken.json", b'{"articles": [{"text": "Moscow said"},')
    _write(d, "baddate.md", "---\ntitle: x\npublished: 2023-02-30\n---\n\n北京今天下雨。\n".encode())
    _write(d, "nested.html", b"<html><body>" + b"<div>" * 5000 + "北京 Beijing".encode() + b"</div>" * 10
           + b"<p>unclosed <b>bold <i>italic")
    _write(d, "mixed.txt", "平壤是朝鲜首都。".encode() + "首爾是韓國首都。".encode("big5", "replace"))
    (d / "loop").symlink_to(d, target_is_directory=True)
    return d


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file() and not p.is_symlink()}


def test_broken_folder_raises_naming_a_file(broken_folder):
    before = _hashes(broken_folder)
    with pytest.raises((ValueError, OSError)) as err:
        an.load_articles(broken_folder)
    names = ["empty.md", "binary.txt", "frontmatter.md", "broken.json", "baddate.md", "nested.html", "mixed.txt"]
    assert any(n in str(err.value) for n in names)
    assert _hashes(broken_folder) == before


def test_broken_folder_warn_skips_and_counts(broken_folder):
    before = _hashes(broken_folder)
    with pytest.warns(UserWarning) as caught:
        arts = an.load_articles(broken_folder, errors="warn")
    assert 1 <= len(arts) <= 8  # the good article at least; the symlink loop did not repeat it
    assert arts["path"].str.endswith("good.md").sum() == 1
    message = " ".join(str(w.message) for w in caught)
    assert "empty.md" in message and "binary.txt" in message
    # the rest of the pipeline runs on what loaded, and the inputs are untouched
    timeline = an.build_timeline(arts)
    assert len(timeline) > 0
    assert _hashes(broken_folder) == before


def test_fifty_megabyte_article(tmp_path):
    paragraph = ("据朝中社报道，金正恩周二早上离开平壤，列车驶入俄罗斯，经过乌苏里斯克后驶向哈巴罗夫斯克方向。"
                 "Officials in Washington said on Tuesday the talks would continue in Moscow.\n\n")
    big = tmp_path / "big.md"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("---\ntitle: big\npublished: 2023-09-12\n---\n\n")
        n = 50 * 1024 * 1024 // len(paragraph.encode("utf-8")) + 1
        for _ in range(n):
            fh.write(paragraph)
    assert big.stat().st_size >= 50 * 1024 * 1024
    arts = an.load_articles(big)
    assert len(arts) == 1 and len(arts["text"].iloc[0]) > 20_000_000
    head = arts.assign(text=arts["text"].str.slice(0, 200_000))
    places = an.find_places(head)
    assert {"平壤", "乌苏里斯克"} <= set(places["surface"])
