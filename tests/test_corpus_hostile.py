"""Issue 14: one bad file is one counted skip, named with its fix; a stray byte is repaired.

``hostile_folder`` holds one file for each failure the issue lists plus good articles; the
loader must keep every good article (and the good records of partly bad files), report each
bad one in ONE warning under ``errors="warn"``, and raise :class:`ArticleError` naming the file
(never a library exception) under ``errors="raise"``.
"""

from __future__ import annotations

import json
import os
import tracemalloc
import warnings
from pathlib import Path

import pandas as pd
import pytest

import analysis as an
from analysis.articles.loader import ArticleError, ArticleWarning

GOOD = 100

_LAUGHS = "title: &a [" + ",".join(['"lol"'] * 9) + "]\n" + "".join(
    f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
) + "author: *i\n"

#: file name -> (bytes, what the skip message must say); None: loaded, with a repair note
BAD: dict[str, tuple[bytes, str | None]] = {
    "date-0001.md": (b"---\npublished: 0001-01-01\n---\n# A\n\nSeoul said.\n", "outside the supported range"),
    "date-9999.md": (b"---\npublished: 9999-12-31\n---\n# B\n\nSeoul said.\n", "outside the supported range"),
    "date-1677.md": (b"---\npublished: 1677-09-21\n---\n# C\n\nSeoul said.\n", "outside the supported range"),
    "date-2262.md": (b"---\npublished: 2262-04-12\n---\n# D\n\nSeoul said.\n", "outside the supported range"),
    "deep.json": (b"[" * 100_000 + b"]" * 100_000, "nested more than"),
    "laughs.md": (("---\n" + _LAUGHS + "---\n# E\n\nSeoul said.\n").encode(), "alias"),
    os.fsdecode(b"bad\xffname.md"): (b"# F\n\nSeoul said in a badly named file.\n", "not valid UTF-8"),
    ".hidden.md": (b"# G\n\nSeoul said in a hidden file.\n", "hidden file"),
    # partly bad: line 2 is skipped, lines 1 and 3 load
    "lines.jsonl": ((json.dumps({"text": "Pyongyang line one."}) + "\n{bad\n"
                     + json.dumps({"text": "Moscow line three."}) + "\n").encode(), "malformed JSON on line 2"),
    # repaired, not dropped
    "stray.txt": ("平壤是朝鲜的首都。金正恩抵达符拉迪沃斯托克。".encode("gb18030") + b"\x81\x20"
                  + "他会见了普京。".encode("gb18030"), None),
    "nul.csv": (b'text,title\n"Seoul news \x00 here.",t\n', None),
}
#: articles the partly bad and repaired files still give
SALVAGED = 2 + 1 + 1


def make_hostile_folder(root: Path, good: int = GOOD) -> Path:
    """``root`` filled with every bad file of :data:`BAD` and ``good`` short good articles."""
    root.mkdir(parents=True, exist_ok=True)
    for name, (data, _) in BAD.items():
        (root / name).write_bytes(data)
    for i in range(good):
        (root / f"good-{i:04d}.md").write_text(
            f"---\npublished: 2023-09-{1 + i % 28:02d}\n---\n# Story {i}\n\n"
            f"Reporters in Seoul filed story {i} on Tuesday.\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    return make_hostile_folder(tmp_path_factory.mktemp("hostile"))


def test_warn_keeps_every_good_article_and_lists_each_skip_once(hostile):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        arts = an.load_articles(hostile, errors="warn")
    assert len(arts) == GOOD + SALVAGED
    assert {f"Story {i}" for i in range(GOOD)} <= set(arts["title"])
    assert {"Pyongyang line one.", "Moscow line three."} <= set(arts["text"])
    ours = [w for w in caught if issubclass(w.category, ArticleWarning)]
    assert len(ours) == 1
    message = str(ours[0].message)
    skipped = [n for n, (_, why) in BAD.items() if why is not None]
    assert f"skipped {len(skipped)} input(s)" in message
    for name, (_, why) in BAD.items():
        assert name.replace("\udcff", "\\xff") in message  # printable: the bad byte as \xff
        if why is not None:
            assert why in message
    # the stray GB18030 byte is replaced and reported; the article is kept
    assert "stray.txt: decoded as gb18030 with 1 undecodable" in message
    zh = arts[arts["text"].str.contains("平壤")]["text"].iloc[0]
    assert "\ufffd" in zh and zh.endswith("他会见了普京。")
    assert "removed 1 NUL byte" in message and "Seoul news  here." in set(arts["text"])


@pytest.mark.parametrize("name", [n for n, (_, why) in BAD.items() if why and n != ".hidden.md"])
def test_raise_names_the_file_not_a_library_exception(hostile, name):
    with pytest.raises(ArticleError) as err:
        an.load_articles(hostile / name)
    assert err.value.path == str(hostile / name)
    assert BAD[name][1] in str(err.value)


def test_billion_laughs_is_refused_without_building_it(tmp_path):
    path = tmp_path / "laughs.md"
    path.write_bytes(BAD["laughs.md"][0])
    tracemalloc.start()
    try:
        with pytest.raises(ArticleError, match=r"alias \(\*a\)"):
            an.load_articles(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100e6  # 9**9 'lol's built would be gigabytes


def test_long_front_matter_is_refused(tmp_path):
    path = tmp_path / "long.md"
    path.write_text("---\n" + "k: v\n" * 20_000 + "---\nSeoul said.\n", encoding="utf-8")
    with pytest.raises(ArticleError, match="front matter is 100,000 characters"):
        an.load_articles(path)


def test_deep_json_record_inside_a_good_file_is_refused_by_depth_not_recursion(tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text(json.dumps({"text": "Seoul said."}) + "\n" + "[" * 5000 + "]" * 5000 + "\n",
                    encoding="utf-8")
    with pytest.warns(ArticleWarning, match=r"deep.jsonl \(line 2\): JSON nested more than 200"):
        arts = an.load_articles(path, errors="warn")
    assert arts["text"].tolist() == ["Seoul said."]


def test_zero_width_and_bidi_characters_do_not_hide_a_place():
    text = "他抵达平\u200b壤，又去了\u202a莫斯科\u202c。"
    places = an.find_places(pd.DataFrame({"article_id": ["a"], "text": [text]}))
    assert places["name"].tolist() == ["Pyongyang", "Moscow"]
    for start, end, surface in zip(places["start"], places["end"], places["surface"], strict=True):
        assert text[start:end] == surface  # offsets into the text as given
    assert places["surface"].tolist() == ["平\u200b壤", "莫斯科"]


def test_an_impossible_day_is_no_date_not_a_neighbouring_month():
    assert an.parse_time("February 29, 2023", "2023-06-01", lang="en") is None
    assert an.parse_time("29 February 2023", "2023-06-01", lang="en") is None
    assert an.parse_time("February 29, 2024", "2023-06-01", lang="en").value == "2024-02-29"
    assert an.parse_time("1" * 100_000 + "年", "2023-06-01") is None  # no ValueError


# ----------------------------------------------------------------------------- process_corpus


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cl:
        with Client(cl) as c:
            yield c


def test_process_corpus_finishes_and_reports_the_same_skips(hostile, client, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        single = an.load_articles(hostile, errors="warn")
    loader_message = next(str(w.message) for w in caught if issubclass(w.category, ArticleWarning))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        summary = an.process_corpus(hostile, tmp_path / "out", client=client, partition_size=30,
                                    progress=False)
    ours = [w for w in caught if issubclass(w.category, ArticleWarning)]
    assert len(ours) == 1 and str(ours[0].message) == "process_corpus: " + loader_message
    assert summary.attrs["reports"] == [loader_message]
    assert summary["articles"].sum() == len(single) == GOOD + SALVAGED
    got = an.read_corpus(tmp_path / "out", "articles")
    assert sorted(got["article_id"]) == sorted(single["article_id"])
    with pytest.raises(ArticleError, match=r"bad\\xffname.md: its name is not valid UTF-8"):  # first bad file
        an.process_corpus(hostile, tmp_path / "out2", client=client, errors="raise", progress=False)
    assert not (tmp_path / "out2" / "articles").exists()


def test_ids_and_duplicates_are_settled_over_all_inputs_not_per_partition(client, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(6):  # every file says id X; files 3 and 5 repeat the text of file 0
        text = "Seoul said on Tuesday." if i in (0, 3, 5) else f"Story {i} from Busan."
        (src / f"{i}.jsonl").write_text(json.dumps({"id": "X", "text": text}) + "\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        single = an.load_articles(src)
        frames = []
        for size in (1, 2, 200):
            out = tmp_path / f"out{size}"
            an.process_corpus(src, out, client=client, partition_size=size, progress=False)
            frames.append(an.read_corpus(out, "articles"))
    assert single["article_id"].tolist() == ["X", "X-2", "X-3", "X-4"]  # 3.jsonl, 5.jsonl dropped
    for got in frames:
        assert got["article_id"].tolist() == single["article_id"].tolist()
        assert got["text"].tolist() == single["text"].tolist()


def test_a_second_run_into_a_locked_folder_stops_and_a_dead_runs_lock_is_taken(hostile, client, tmp_path):
    import socket
    import subprocess
    import sys

    out = tmp_path / "out"
    lock = out / "_manifest" / "lock"
    lock.parent.mkdir(parents=True)
    lock.write_text(f"{socket.gethostname()} {os.getpid()}", encoding="utf-8")  # alive: this one
    with pytest.raises(RuntimeError, match="another process_corpus run"):
        an.process_corpus(hostile / "good-0001.md", out, client=client, progress=False)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    lock.write_text(f"{socket.gethostname()} {dead}", encoding="utf-8")
    summary = an.process_corpus(hostile / "good-0001.md", out, client=client, progress=False)
    assert summary["articles"].tolist() == [1]
    assert not lock.exists()  # released at the end


# ----------------------------------------------------------------------------- export


def test_csv_export_neutralises_formulas_and_keeps_other_text(tmp_path):
    frame = pd.DataFrame({"surface": ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "平壤", "a=b"],
                          "n": [-1.5, 2.0, 3.0, 4.0, 5.0, 6.0]})
    path = an.export(frame, tmp_path / "x.csv")[0]
    back = pd.read_csv(path)
    assert back["surface"].tolist() == ["'=HYPERLINK(\"http://x\",\"y\")", "'+1", "'-2", "'@SUM(A1)",
                                        "平壤", "a=b"]
    assert back["n"].tolist() == frame["n"].tolist()  # numbers are numbers, not text


def test_export_refuses_two_frames_that_slug_to_one_file_name(tmp_path):
    frame = pd.DataFrame({"surface": ["Seoul"]})
    with pytest.raises(ValueError, match=r"'Seoul Busan' and 'Seoul/Busan' would both be written"):
        an.export({"Seoul Busan": frame, "Seoul/Busan": frame}, tmp_path / "out", formats=["csv"])
    assert not list((tmp_path / "out").glob("*.csv"))  # nothing half-done


def test_a_reused_id_is_reported_and_a_dropped_duplicate_gives_its_metadata(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "X", "text": "Seoul said."}) + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "X", "text": "Busan said."}) + "\n", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"text": "Seoul said.", "url": "https://example.com/s",
                                                  "author": "Kim"}) + "\n", encoding="utf-8")
    with pytest.warns(ArticleWarning) as caught:
        arts = an.load_articles(tmp_path)
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "c.jsonl (line 1) repeats" in message and "a.jsonl (line 1)" in message
    assert "b.jsonl (line 1) gives article_id 'X' again: now 'X-2'" in message
    assert arts["article_id"].tolist() == ["X", "X-2"]
    assert arts.loc[0, "url"] == "https://example.com/s" and arts.loc[0, "author"] == "Kim"


def test_skips_repairs_and_duplicates_make_one_warning_and_repairs_warn_under_raise(tmp_path):
    (tmp_path / "a.md").write_text("# A\n\nSeoul said.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# A\n\nSeoul said.\n", encoding="utf-8")  # a duplicate
    (tmp_path / "c.json").write_bytes(BAD["deep.json"][0])  # a skip
    (tmp_path / "d.txt").write_bytes(BAD["stray.txt"][0])  # a repair
    with pytest.warns(ArticleWarning) as caught:
        arts = an.load_articles(tmp_path, errors="warn")
    assert len(caught) == 1 and len(arts) == 2
    message = str(caught[0].message)
    assert "skipped 1 input(s)" in message and "1 duplicate" in message and "stray bytes" in message
    with pytest.warns(ArticleWarning, match="decoded as gb18030 with 1 undecodable"):
        an.load_articles(tmp_path / "d.txt")  # errors="raise": a repair is no error, still reported


def test_brackets_inside_json_strings_are_not_nesting(tmp_path):
    path = tmp_path / "brackets.json"
    path.write_text(json.dumps([{"text": "Seoul said " + "[{" * 5000 + ' \\" ]'}]), encoding="utf-8")
    assert an.load_articles(path)["text"].str.startswith("Seoul said [{").tolist() == [True]


def test_a_write_error_names_the_partition_and_file(hostile, client, tmp_path):
    out = tmp_path / "out"
    (out / "places" / "part-00000.parquet").mkdir(parents=True)  # cannot be replaced by a file
    with pytest.raises(OSError, match=r"partition 0 could not write .*places/part-00000.parquet"):
        an.process_corpus(hostile / "good-0001.md", out, client=client, progress=False)
    assert not (out / "_manifest" / "lock").exists()  # the lock is released on failure too
