"""One discovery rule: the loader and the corpus runner see the same article files (issue 9)."""

from __future__ import annotations

import shutil
from pathlib import Path

import analysis as an
from analysis.articles.discovery import article_files, discover

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "articles" / "kim-jong-un-enters-russia.zh.md"


def _folder(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    (src / "more").mkdir(parents=True)
    (src / ".hidden").mkdir()
    shutil.copy2(SAMPLE, src / "a.md")
    shutil.copy2(SAMPLE, src / ".hidden" / "b.md")  # hidden folder: left out
    (src / "README.md").write_text("# how these articles were collected\n", encoding="utf-8")
    (src / "LICENSE").write_text("CC BY 4.0\n", encoding="utf-8")
    (src / ".draft.md").write_text("an editor's swap file\n", encoding="utf-8")
    (src / "articles.csv").write_text("file,title\na.md,Kim's train\n", encoding="utf-8")
    (src / "more" / "c.tsv").write_text(
        "title\tpublished\ttext\nStorm\t2024-07-02\tHurricane Beryl passed south of Jamaica.\n",
        encoding="utf-8")
    (src / "more" / "d.xhtml").write_text(
        "<html><head><title>Visit</title><meta property='article:published_time' "
        "content='2023-04-06'/></head><body><article><p>Macron landed in Guangzhou on Thursday "
        "after talks in Beijing.</p></article></body></html>", encoding="utf-8")
    return src


def test_loader_and_corpus_runner_take_the_same_files(tmp_path):
    src = _folder(tmp_path)
    names = sorted(p.name for p in article_files(src))
    assert names == ["a.md", "c.tsv", "d.xhtml"]
    assert sorted(f.name for f, _ in discover([src, src / "a.md"])) == names  # each file once
    loaded = an.load_articles(src)
    assert sorted({Path(p).name for p in loaded["path"]}) == names
    assert loaded.loc[loaded["path"].str.endswith("a.md"), "title"].item() == "Kim's train"


def test_process_corpus_reads_what_the_loader_reads(tmp_path):
    src = _folder(tmp_path)
    an.process_corpus(src, tmp_path / "out", n_workers=1, progress=False)
    got = an.read_corpus(tmp_path / "out", "articles")
    want = an.load_articles(src)
    assert sorted(got["article_id"]) == sorted(want["article_id"])
