"""process_corpus on a real 2-worker Dask LocalCluster equals the single-process pipeline."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

import analysis as an
from analysis.io.corpus import TABLES, read_corpus, run_pipeline

ROOT = Path(__file__).resolve().parents[1]
N_ARTICLES = 2000


def _sources() -> list[Path]:
    files = [ROOT / "data" / "articles" / "kim-jong-un-enters-russia.zh.md"]
    files += sorted((ROOT / "tests" / "data" / "articles").glob("*.md"))
    return [f for f in files if f.exists()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A few thousand short articles: the paragraphs of the real articles, each its own file."""
    arts = an.load_articles(_sources(), errors="warn")
    paras = an.paragraphs(arts).merge(arts[["article_id", "published", "lang"]], on="article_id")
    paras = paras[paras["text"].str.len() >= 20].reset_index(drop=True)
    assert len(paras) >= 20
    folder = tmp_path_factory.mktemp("corpus")
    for i in range(N_ARTICLES):
        p = paras.iloc[i % len(paras)]
        body = f"{p['text']}\n\n({i})\n"  # the number keeps every article distinct
        head = f"---\ntitle: part {i}\npublished: {p['published'].date()}\nlang: {p['lang']}\n---\n\n"
        (folder / f"{i:05d}.md").write_text(head + body, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def cluster_client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cl:
        with Client(cl) as client:
            yield client


def _key(frame: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in ("article_id", "start", "end", "seq") if c in frame.columns]
    out = pd.DataFrame(frame.drop(columns=[c for c in ("geometry", "alternatives") if c in frame.columns]))
    return out.sort_values(cols).reset_index(drop=True)


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*.parquet"))}


def test_two_workers_equal_single_process(corpus, cluster_client, tmp_path):
    out = tmp_path / "out"
    summary = an.process_corpus(corpus, out, client=cluster_client, partition_size=250, progress=False)
    assert len(summary) == N_ARTICLES // 250
    assert (summary["status"] == "done").all()
    assert summary["articles"].sum() == N_ARTICLES
    assert not list(out.rglob("*.tmp"))  # atomic writes left nothing half-written

    files = sorted(str(p) for p in corpus.glob("*.md"))
    single = run_pipeline(an.load_articles(files))
    for table in TABLES:
        got = read_corpus(out, table)
        want = single[table]
        assert len(got) == len(want), table
        left, right = _key(got), _key(pd.DataFrame(want))
        common = [c for c in right.columns if c in left.columns]
        pd.testing.assert_frame_equal(left[common], right[common], check_dtype=False, check_like=True)

    # resumable and idempotent: a second run skips every partition and rewrites nothing
    before = _digest(out)
    again = an.process_corpus(corpus, out, client=cluster_client, partition_size=250, progress=False)
    assert (again["status"] == "skipped").all()
    assert _digest(out) == before

    # a lost manifest (a run killed before the partition finished) redoes that partition only
    (out / "_manifest" / "part-00003.json").unlink()
    third = an.process_corpus(corpus, out, client=cluster_client, partition_size=250, progress=False)
    assert third.set_index("partition")["status"].to_dict()[3] == "done"
    assert (third["status"] == "skipped").sum() == len(third) - 1
    assert _digest(out) == before


def test_process_corpus_rejects_bad_arguments(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere"):
        an.process_corpus(tmp_path / "nowhere", tmp_path / "out")
    with pytest.raises(ValueError, match="partition_size"):
        an.process_corpus(tmp_path, tmp_path / "out", partition_size=0)
    with pytest.raises(ValueError, match="no article files"):
        an.process_corpus(tmp_path, tmp_path / "out")
