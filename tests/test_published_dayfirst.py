"""Numeric published dates ("12/03/2024") read as the caller says (load_articles(dayfirst=), a
catalog's dayfirst column), and a date that reads validly both ways without a setting is named
in the call's one warning: file, field, both readings. Unreadable dates name the file and field."""

from __future__ import annotations

import warnings

import pytest

import analysis as an
from analysis.articles.formats import ambiguous_date


def _article(path, published, body="The orchestra arrived in Tokyo on Tuesday."):
    path.write_text(f"---\ntitle: T\npublished: {published}\n---\n\n{body}\n", encoding="utf-8")
    return path


def _load(source, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = an.load_articles(source, **kw)
    return frame, [str(w.message) for w in caught]


def _dates(frame):
    return list(frame.sort_values("title")["published"].dt.strftime("%Y-%m-%d"))


def test_ambiguous_dates_are_the_ones_that_read_both_ways():
    assert ambiguous_date("12/03/2024") == ("2024-12-03", "2024-03-12")
    assert ambiguous_date("12.03.2024 08:30") == ("2024-12-03", "2024-03-12")
    for clear in ("25/03/2024", "03/25/2024", "3/3/2024", "2024-03-12", "12/03/24", None, 20240312):
        assert ambiguous_date(clear) is None


def test_dayfirst_per_call_and_the_warning_names_file_field_and_both_readings(tmp_path):
    src = _article(tmp_path / "a.md", "12/03/2024")
    frame, warned = _load(src)
    assert _dates(frame) == ["2024-12-03"]
    assert len(warned) == 1
    assert "a.md" in warned[0] and "'published'" in warned[0] and "12/03/2024" in warned[0]
    assert "2024-03-12" in warned[0] and "dayfirst=True" in warned[0]
    frame, warned = _load(src, dayfirst=True)
    assert _dates(frame) == ["2024-03-12"] and warned == []
    frame, warned = _load(src, dayfirst=False)
    assert _dates(frame) == ["2024-12-03"] and warned == []
    assert "12/03/2024" in src.read_text(encoding="utf-8")  # the input is never modified


def test_an_unambiguous_numeric_date_reads_without_a_warning(tmp_path):
    frame, warned = _load(_article(tmp_path / "b.md", "25/03/2024 18:30"))
    assert str(frame.loc[0, "published"]) == "2024-03-25 18:30:00+00:00" and warned == []


def test_a_catalog_dayfirst_column_sets_its_rows(tmp_path):
    folder = tmp_path / "cat"
    folder.mkdir()
    (folder / "c.txt").write_text("The band flew to Paris.\n", encoding="utf-8")
    (folder / "d.txt").write_text("The band flew to Rome.\n", encoding="utf-8")
    (folder / "articles.csv").write_text(
        "file,title,published,dayfirst\nc.txt,C,04/05/2024,yes\nd.txt,D,04/05/2024,\n",
        encoding="utf-8")
    frame, warned = _load(folder)
    assert _dates(frame) == ["2024-05-04", "2024-04-05"]  # C day first (its row), D month first
    assert len(warned) == 1 and "d.txt" in warned[0] and "c.txt" not in warned[0]
    frame, warned = _load(folder, dayfirst=True)  # the call's setting fills the empty cell
    assert _dates(frame) == ["2024-05-04", "2024-05-04"] and warned == []


def test_an_unreadable_or_impossible_date_names_the_file_and_the_field(tmp_path):
    _article(tmp_path / "e.md", "the day after Easter")
    _article(tmp_path / "f.md", "25/03/2024", body="The band flew to Rome.")
    _article(tmp_path / "g.md", "2024-03-01", body="The band flew to Oslo.")
    with pytest.raises(an.ArticleError, match=r"e\.md: field 'published': invalid published date"):
        an.load_articles(tmp_path / "e.md")
    frame, warned = _load(tmp_path, errors="warn", dayfirst=False)  # 25 is no month
    assert list(frame["title"]) == ["T"] and len(warned) == 1
    assert "e.md: field 'published'" in warned[0] and "f.md: field 'published'" in warned[0]
    with pytest.raises(ValueError, match="dayfirst"):
        an.load_articles(tmp_path / "g.md", dayfirst="yes")


def test_a_pages_unreadable_meta_date_is_kept_empty_and_named(tmp_path):
    """A broken article:published_time no longer passes silently as NaT: the article loads with
    no date and the warning names the file and the <meta> field (issue 12)."""
    page = tmp_path / "page.html"
    page.write_text(
        '<html><head><meta property="article:published_time" content="yesterday-ish 25:99">'
        "<title>Band tour</title></head><body><article><h1>Band tour</h1><p>The band arrived in"
        " Paris on Monday and played two concerts there before leaving for Rome.</p></article>"
        "</body></html>", encoding="utf-8")
    frame, warned = _load(page)
    assert frame["published"].isna().all() and len(frame) == 1
    assert len(warned) == 1 and "page.html" in warned[0]
    assert 'field <meta "article:published_time">' in warned[0] and "yesterday-ish" in warned[0]
    frame, warned = _load(page, published="2024-05-06")  # the caller's date: nothing to say
    assert str(frame.loc[0, "published"].date()) == "2024-05-06" and warned == []


def test_a_csv_records_ambiguous_date_is_named_with_its_record(tmp_path):
    src = tmp_path / "x.csv"
    src.write_text("title,published,text\nA,12/03/2024,The band arrived in Paris on Monday.\n"
                   "B,2024-03-14,The band left Rome.\n", encoding="utf-8")
    frame, warned = _load(src)
    assert _dates(frame) == ["2024-12-03", "2024-03-14"]
    assert len(warned) == 1 and "x.csv (record 1): field 'published' '12/03/2024'" in warned[0]
    frame, warned = _load(src, dayfirst=True)
    assert _dates(frame) == ["2024-03-12", "2024-03-14"] and warned == []
