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


def _equal_to_single_process(out: Path, files: list[str]) -> None:
    single = run_pipeline(an.load_articles(files))
    for table in TABLES:
        got, want = read_corpus(out, table), pd.DataFrame(single[table])
        assert len(got) == len(want), table
        left, right = _key(got), _key(want)
        common = [c for c in right.columns if c in left.columns]
        pd.testing.assert_frame_equal(left[common], right[common], check_dtype=False, check_like=True)


@pytest.mark.slow
def test_output_is_a_function_of_the_current_inputs(corpus, cluster_client, tmp_path):
    """Issue 14: 5,000 articles, partition sizes 100/500/1000, 1 and 2 workers, then 40% deleted."""
    src = tmp_path / "in"
    src.mkdir()
    files = sorted(corpus.glob("*.md"))
    for i in range(5000):  # the fixture's 2,000 articles, and 3,000 more with their own numbers
        body = files[i % len(files)].read_text(encoding="utf-8")
        (src / f"{i:05d}.md").write_text(body.replace(f"({i % len(files)})", f"({i})"), encoding="utf-8")
    out = tmp_path / "out"
    current = sorted(str(p) for p in src.glob("*.md"))
    for size in (100, 500, 1000):
        an.process_corpus(src, out, client=cluster_client, partition_size=size, progress=False)
        _equal_to_single_process(out, current)
    an.process_corpus(src, out, n_workers=1, partition_size=1000, progress=False)
    _equal_to_single_process(out, current)
    for path in sorted(src.glob("*.md"))[::5] + sorted(src.glob("*.md"))[1::5]:  # 40% of the inputs
        path.unlink()
    current = sorted(str(p) for p in src.glob("*.md"))
    assert len(current) == 3000
    summary = an.process_corpus(src, out, client=cluster_client, partition_size=500, progress=False)
    assert summary["articles"].sum() == 3000
    _equal_to_single_process(out, current)
    assert len(list((out / "articles").glob("part-*.parquet"))) == 6  # no partition of the old runs


def test_damaged_partition_is_named_then_redone(corpus, cluster_client, tmp_path):
    files = sorted(str(p) for p in corpus.glob("*.md"))[:300]
    out = tmp_path / "out"
    an.process_corpus(files, out, client=cluster_client, partition_size=100, progress=False)
    victim = out / "places" / "part-00001.parquet"
    victim.write_bytes(victim.read_bytes()[:200])  # truncated
    with pytest.raises(ValueError, match="part-00001.parquet.*damaged"):
        read_corpus(out, "places")
    (out / "_manifest" / ".part-00002.json.0123456789ab.tmp").write_text("{", encoding="utf-8")
    again = an.process_corpus(files, out, client=cluster_client, partition_size=100, progress=False)
    assert again.set_index("partition")["status"].to_dict() == {0: "skipped", 1: "done", 2: "skipped"}
    assert not list(out.rglob("*.tmp"))  # a killed run's temporary file is cleaned at start
    _equal_to_single_process(out, files)
