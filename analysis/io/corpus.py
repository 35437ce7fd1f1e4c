"""Run the whole pipeline over a corpus of files with Dask: partitioned, resumable, idempotent.

A month of wire copy does not fit one notebook cell. :func:`process_corpus` loads every input
once with ``load_articles`` (so article ids and duplicate texts are settled over the whole input,
exactly as one ``load_articles`` call settles them, and bad inputs are reported once), cuts the
articles into partitions of ``partition_size`` files, runs ``find_places`` → ``find_times`` →
``build_timeline`` on each partition in a Dask worker, and writes one Parquet (GeoParquet for
places and timeline) file per partition and table::

    out_dir/
      articles/part-00000.parquet   places/part-00000.parquet
      times/part-00000.parquet      timeline/part-00000.parquet
      _manifest/part-00000.json     # written last: the partition is finished

A partition whose manifest matches its inputs (a digest of its articles as loaded, and of the
package's code and rule data) and whose files still have the checksums written is skipped, so
an interrupted run resumes where it stopped and a second run over the same input writes nothing
new; a damaged partition is redone. ``_manifest/run.json`` lists the partitions of the last run:
``read_corpus`` reads only those, verifying each file's checksum, and partitions of earlier runs
(another ``partition_size``, deleted inputs) are removed. Every file is written to a temporary
name and moved into place, so a killed run never leaves a half-written file behind; a lock file
(``_manifest/lock``, naming host and process) stops a second run into the same folder.

Run it on a real cluster by passing a ``distributed.Client`` (or a scheduler address such as
``"tcp://scheduler:8786"``); the workers must see the input files and ``out_dir`` at the same
paths (a shared file system) and have ``news-geotimeline`` installed. The loading pass runs in
the calling process (it parses every input; the pipeline stages after it are the costly part).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import socket
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from analysis import schema as S
from analysis.articles.discovery import article_files
from analysis.io.atomic import atomic_write

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

TABLES = ("articles", "places", "times", "timeline")


@dataclass(frozen=True, eq=False)
class _Partition:
    index: int
    files: tuple[str, ...]
    fingerprint: str
    articles: Any = None  # this partition's rows of the one load over all inputs


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of the package's code and rule data (every file under ``analysis/``).

    A partition records the code and data that made it: change a rule table, a grammar or the
    gazetteer's CSVs and the next run redoes the partitions, where a fixed version string would
    keep output the current code no longer gives. Hashed once per process (3.7 MB, ~0.05 s).
    """
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if (path.is_file() and "__pycache__" not in path.parts
                and ".ipynb_checkpoints" not in path.parts and path.suffix not in (".pyc", ".pyo")):
            h.update(path.relative_to(root).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _fingerprint(articles: pd.DataFrame) -> str:
    """A digest of the code and of a partition's articles as loaded (ids, metadata and text).

    The articles, not the files' sizes and times: an id or a duplicate settled differently
    because another file changed redoes the partition, and a touched but unchanged file does not.
    """
    h = hashlib.sha256(code_fingerprint().encode())
    h.update(articles.to_csv(index=False).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:20]


def run_pipeline(articles: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Run places, times and timeline on loaded ``articles``; return the four tables by name."""
    from analysis.places import find_places
    from analysis.timeline import build_timeline
    from analysis.timex import find_times

    places = find_places(articles)
    times = find_times(articles)
    timeline = build_timeline(articles, places=places, times=times)
    return {"articles": articles, "places": places, "times": times, "timeline": timeline}


def _write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write one table; a GeoDataFrame's to_parquet writes GeoParquet."""
    out = frame.copy()
    for col in out.columns:  # list columns (alternatives) go to Parquet as JSON text
        if out[col].dtype == object and col != "geometry":
            if out[col].map(lambda v: isinstance(v, (list, tuple, dict))).any():
                out[col] = out[col].map(lambda v: json.dumps(list(v) if isinstance(v, tuple) else v,
                                                             ensure_ascii=False) if v is not None else None)
    atomic_write(path, lambda tmp: out.to_parquet(tmp, index=False))


def _part_name(index: int) -> str:
    return f"part-{index:05d}"


def _table_path(out: Path, table: str, name: str) -> Path:
    return out / table / f"{name}.parquet"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _matches(path: Path, sha256: str) -> bool:
    """Whether ``path`` is there with the checksum it was written with."""
    return path.is_file() and _sha256(path) == sha256


def _intact(out: Path, done: dict) -> bool:
    """Whether every table file of a finished partition is there with the checksum it was written with."""
    sums = done.get("sha256") or {}
    name = _part_name(int(done["partition"]))
    return set(sums) == set(TABLES) and all(_matches(_table_path(out, t, name), sums[t]) for t in TABLES)


def _run_partition(part: _Partition, out_dir: str) -> dict[str, Any]:
    """Worker task: process one partition unless its manifest says it is done and intact."""
    out = Path(out_dir)
    name = _part_name(part.index)
    manifest = out / "_manifest" / f"{name}.json"
    try:
        done = json.loads(manifest.read_text(encoding="utf-8"))
        if done.get("fingerprint") == part.fingerprint and _intact(out, done):
            return {**done, "status": "skipped"}
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no manifest, an unreadable one, or damaged tables: do the partition again
    t0 = time.perf_counter()
    articles = part.articles
    tables = run_pipeline(articles)
    sums = {}
    for table, frame in tables.items():
        path = _table_path(out, table, name)
        try:
            _write_table(frame, path)
        except OSError as err:  # a full disk, a read-only folder: say which partition and file
            raise OSError(err.errno, f"partition {part.index} could not write {path}: "
                          f"{err.strerror or err}; free space or pick another out_dir") from err
        sums[table] = _sha256(path)
    record = {
        "partition": part.index,
        "fingerprint": part.fingerprint,
        "files": len(part.files),
        "articles": len(tables["articles"]),
        "places": len(tables["places"]),
        "times": len(tables["times"]),
        "events": len(tables["timeline"]),
        "characters": int(tables["articles"]["text"].str.len().sum()) if len(articles) else 0,
        "seconds": round(time.perf_counter() - t0, 3),
        "sha256": sums,
    }
    atomic_write(manifest, lambda tmp: Path(tmp).write_text(json.dumps(record), encoding="utf-8"))
    return {**record, "status": "done"}


def process_corpus(
    source: Any,
    out_dir: str | os.PathLike,
    *,
    client: Any = None,
    partition_size: int = 200,
    n_workers: int | None = None,
    errors: S.Errors = "warn",
    progress: bool = True,
) -> pd.DataFrame:
    """Run the pipeline over many files with Dask and write partitioned (Geo)Parquet.

    Parameters
    ----------
    source : str, Path or list
        Files, folders (searched recursively) or globs of articles, as for
        :func:`analysis.load_articles`.
    out_dir : str or Path
        Where the ``articles/``, ``places/``, ``times/`` and ``timeline/`` partitions go.
    client : distributed.Client or str, optional
        An existing Dask client, or a scheduler address. By default a local cluster of worker
        processes is started for the call and closed afterwards.
    partition_size : int
        Files per partition (one task each).
    n_workers : int, optional
        Worker processes of the default local cluster (default: the number of cores).
    errors : {"warn", "raise", "ignore"}
        What a bad input does, as in :func:`analysis.load_articles`: ``"raise"`` raises its
        ``ArticleError`` before any partition runs; ``"warn"`` skips it and the run ends with ONE
        ``ArticleWarning`` listing each skip (and duplicate); the messages are also in
        ``summary.attrs["reports"]``.
    progress : bool
        Show a progress bar over partitions.

    Returns
    -------
    pandas.DataFrame
        One row per partition: counts, seconds and ``status`` (``done`` or ``skipped``).

    Raises
    ------
    RuntimeError
        Another run holds ``out_dir``'s lock.

    Examples
    --------
    >>> import analysis as an
    >>> summary = an.process_corpus("data/articles", "out/corpus", n_workers=2)  # doctest: +SKIP
    >>> import pandas as pd
    >>> pd.read_parquet("out/corpus/timeline")  # doctest: +SKIP
    """
    import pandas as pd

    parts, reports = _partitions(source, partition_size, errors, progress)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with _lock(out):
        _clean_temporaries(out)
        results = _run_all(parts, out, client, n_workers, progress)
        _commit_run(out, parts)
    summary = pd.DataFrame(results).drop(columns="sha256", errors="ignore")
    summary = summary.sort_values("partition").reset_index(drop=True)
    summary.attrs["reports"] = reports
    log.info("processed %d partitions (%d skipped)", len(summary), int((summary["status"] == "skipped").sum()))
    if reports and errors == "warn":  # the loader's skips and duplicates, once, after the run
        from analysis.articles.loader import ArticleWarning

        warnings.warn("process_corpus: " + ". ".join(reports), ArticleWarning, stacklevel=2)
    return summary


def _partitions(source: Any, partition_size: int, errors: S.Errors,
                progress: bool = False) -> tuple[list[_Partition], list[str]]:
    """All inputs loaded once, cut into partitions of ``partition_size`` files; and the load's reports.

    Ids and duplicate texts are settled by one :func:`analysis.load_articles` over every input,
    before anything is cut, so the partitions hold exactly the single-process articles whatever
    ``partition_size`` or the number of workers. The reports are the loader's warnings (skipped
    inputs, duplicates); under ``errors="raise"`` a bad input raises here, before any work.
    """
    from analysis.articles import load_articles
    from analysis.articles.loader import ArticleWarning

    if not isinstance(partition_size, int) or partition_size < 1:
        raise ValueError(f"partition_size must be at least 1, not {partition_size}")
    if errors not in get_args(S.Errors):
        raise ValueError(f"errors must be 'warn', 'raise' or 'ignore', not {errors!r}")
    if not article_files(source):
        raise ValueError(f"no article files found in {source!r}; expected .md, .txt, .html, .json, .jsonl or .csv")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ArticleWarning)
        articles = load_articles(source, errors=errors, progress=progress)
    reports = [str(w.message) for w in caught if issubclass(w.category, ArticleWarning)]
    for w in caught:  # anything else goes on to the caller
        if not issubclass(w.category, ArticleWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if articles.empty:
        raise ValueError(f"no article could be loaded from {source!r}: {'. '.join(reports)}")
    paths = list(dict.fromkeys(articles[S.PATH].tolist()))  # files in load order
    parts = []
    for i in range(0, len(paths), partition_size):
        chunk = tuple(paths[i : i + partition_size])
        rows = articles[articles[S.PATH].isin(chunk)].reset_index(drop=True)
        parts.append(_Partition(i // partition_size, chunk, _fingerprint(rows), rows))
    return parts, reports


@contextlib.contextmanager
def _lock(out: Path):
    """Hold ``out_dir/_manifest/lock`` for the run: a second run into the folder stops at once.

    The lock file names the host and process; a lock left by a process that is gone (killed on
    this host) is taken over.
    """
    path = out / "_manifest" / "lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    me = f"{socket.gethostname()} {os.getpid()}"
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
        except FileExistsError:
            holder = path.read_text(encoding="utf-8", errors="replace").strip()
            if not _stale(holder):
                raise RuntimeError(
                    f"another process_corpus run ({holder or 'unknown process'}) is writing to "
                    f"{str(out)!r}; wait for it, or delete {path} if that run is dead") from None
            path.unlink(missing_ok=True)  # its process is gone: take the lock over
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(me)
        break
    try:
        yield
    finally:
        path.unlink(missing_ok=True)


def _stale(holder: str) -> bool:
    """Whether a lock's holder (``"host pid"``) is a process of this host that no longer runs."""
    host, _, pid = holder.rpartition(" ")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _clean_temporaries(out: Path) -> None:
    """Remove temporary files a killed run left (``.<name>.<hex>.tmp`` beside each output)."""
    for folder in [out / t for t in TABLES] + [out / "_manifest"]:
        if folder.is_dir():
            for tmp in folder.glob(".*.tmp"):
                tmp.unlink(missing_ok=True)


def _run_all(parts, out: Path, client, n_workers, progress) -> list[dict[str, Any]]:
    """Run every partition on Dask (a local cluster unless ``client`` is given)."""
    from distributed import Client, LocalCluster, as_completed

    own_cluster = None
    if client is None:
        own_cluster = LocalCluster(n_workers=n_workers or os.cpu_count() or 1, threads_per_worker=1,
                                   processes=True, dashboard_address=None)
        client = Client(own_cluster)
    elif isinstance(client, str):
        client = Client(client)
    bar = None
    try:
        futures = [client.submit(_run_partition, p, str(out), pure=False) for p in parts]
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(futures), desc="partitions", unit="part")
        results = []
        for fut in as_completed(futures):
            results.append(fut.result())
            if bar is not None:
                bar.update(1)
        return results
    finally:
        if bar is not None:
            bar.close()
        if own_cluster is not None:
            client.close()
            own_cluster.close()


def _commit_run(out: Path, parts: list[_Partition]) -> None:
    """Record the run's partitions, then remove the partitions of earlier runs that no longer belong.

    ``_manifest/run.json`` lists the current partitions and is written (atomically) before
    anything is removed, so :func:`read_corpus` reads exactly this run's output at every moment:
    rerun with another ``partition_size`` or after deleting inputs and no stale row comes back.
    """
    keep = {_part_name(p.index) for p in parts}
    run = {"partitions": sorted(keep), "fingerprints": [p.fingerprint for p in parts]}
    atomic_write(out / "_manifest" / "run.json",
                 lambda tmp: Path(tmp).write_text(json.dumps(run), encoding="utf-8"))
    for folder in [out / t for t in TABLES] + [out / "_manifest"]:
        for path in folder.glob("part-*"):
            if path.name.split(".")[0] not in keep:
                path.unlink(missing_ok=True)


def read_corpus(out_dir: str | os.PathLike, table: str) -> pd.DataFrame:
    """Read one table (``articles``, ``places``, ``times`` or ``timeline``) written by process_corpus."""
    import geopandas as gpd
    import pandas as pd

    if table not in TABLES:
        raise ValueError(f"table must be one of {TABLES}, not {table!r}")
    parts = _checked_parts(Path(out_dir), table)
    if table in ("places", "timeline"):
        frame = pd.concat([gpd.read_parquet(p) for p in parts], ignore_index=True)
    else:
        frame = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
    return _lists_back(frame)


def _checked_parts(out: Path, table: str) -> list[Path]:
    """The partition files of the last run, each verified against its manifest's checksum."""
    run_file = out / "_manifest" / "run.json"
    if not run_file.is_file():  # written by a version before run manifests: every partition
        parts = sorted((out / table).glob("part-*.parquet"))
        if not parts:
            raise FileNotFoundError(f"no partitions in {str(out / table)!r}; run process_corpus first")
        return parts
    names = json.loads(run_file.read_text(encoding="utf-8"))["partitions"]
    parts = []
    for name in names:
        path = _table_path(out, table, name)
        try:
            want = json.loads((out / "_manifest" / f"{name}.json").read_text(encoding="utf-8"))["sha256"][table]
        except (OSError, ValueError, KeyError) as err:
            raise ValueError(f"partition {name} of {str(out)!r} has no readable manifest ({err}); "
                             "run process_corpus again to redo it") from err
        if not _matches(path, want):
            raise ValueError(f"{path} is missing or damaged (its checksum is not the one written); "
                             "run process_corpus again: it redoes only that partition")
        parts.append(path)
    return parts


def _lists_back(frame: pd.DataFrame) -> pd.DataFrame:
    """The schema's list columns (``alternatives``, ``sources``) decoded from the JSON text written.

    :func:`_write_table` stores a column holding lists as JSON text; the schema's ``object``
    columns are these two, and what an analyst gets back is lists again, as from ``find_places``.
    """
    out = frame
    for col in (S.ALTERNATIVES, S.SOURCES):
        if col in out.columns and out[col].map(lambda v: isinstance(v, str)).any():
            out = out.copy() if out is frame else out
            out[col] = out[col].map(lambda v: json.loads(v) if isinstance(v, str) else v)
    return out


__all__ = ["process_corpus", "read_corpus"]
