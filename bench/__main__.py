"""`make bench`: speed, memory and cold start of each stage, beside the peers, in one run.

    python -m bench                 # full run: 1 MB and 10 MB per language, peers, cold start, Dask
    python -m bench --quick         # 0.2 MB and 1 MB, for a fast look
    python -m bench --readme        # also rewrite the results block in bench/README.md
    python -m bench.stage find_places mixed 1e6   # one row: the 1 MB mixed zh/en article

Each measurement runs in its own process (``bench.stage``) so that peak RSS is that stage's alone.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STAGES = ("load_articles", "find_places", "find_times", "build_timeline", "pipeline")
PEERS = {
    "find_places": ("peer_naive_geocoder", "peer_flashgeotext"),
    "find_times": ("peer_jionlp_time", "peer_dateparser_time"),
}
#: stages measured on the mixed zh/en article (``python -m bench.stage find_places mixed 1e6``)
MIXED_STAGES = ("find_places", "pipeline")
PEER_LANGS = {"peer_jionlp_time": ("zh",), "peer_flashgeotext": ("en",)}
TARGETS = "find_places ≥ 1 M chars/s; pipeline ≥ 300 k chars/s; cold start ≤ 1.5 s (warm cache); peak RSS ≤ 700 MB"


def _stage(stage: str, lang: str, chars: int, timeout: int = 1800) -> dict:
    proc = subprocess.run([sys.executable, "-m", "bench.stage", stage, lang, str(chars)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode:
        return dict(stage=stage, lang=lang, error=(proc.stderr.strip().splitlines() or ["?"])[-1][:200])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def cold_start(cache: str | None) -> float:
    """Seconds for a new process to import analysis and find the places of the sample."""
    env = dict(os.environ)
    if cache:
        env["NEWS_GEOTIMELINE_CACHE"] = cache
    code = "import analysis as an; an.find_places(an.load_articles('data/articles'))"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True)
    return round(time.perf_counter() - t0, 2)


def import_time() -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import analysis"], cwd=ROOT, check=True)
    return round(time.perf_counter() - t0, 3)


def dask_speedup(chars: int) -> dict:
    """process_corpus over the zh corpus with 1 and then 2 local worker processes."""
    import analysis as an
    from bench.stage import corpus_folder

    folder = corpus_folder("zh", chars)
    out = {}
    for n in (1, 2):
        target = Path(tempfile.mkdtemp(prefix=f"bench-dask-{n}-"))
        t0 = time.perf_counter()
        an.process_corpus(folder, target, n_workers=n, partition_size=50, progress=False)
        out[f"workers_{n}_s"] = round(time.perf_counter() - t0, 2)
        shutil.rmtree(target, ignore_errors=True)
    out["speedup"] = round(out["workers_1_s"] / out["workers_2_s"], 2)
    out["characters"] = chars
    return out


def table(rows: list[dict]) -> str:
    head = ("| stage | lang | MB | articles/s | chars/s | peak RSS MB | our speed ÷ peer's |\n"
            "|---|---|---|---|---|---|---|")
    ours = {(r["stage"], r["lang"], r.get("characters")): r for r in rows if not r["stage"].startswith("peer")}
    lines = [head]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['stage']} | {r['lang']} | | error: {r['error']} | | | |")
            continue
        ratio = ""
        if r["stage"].startswith("peer"):
            base = next((v for (s, lang, c), v in ours.items() if s in PEERS and r["stage"] in PEERS[s]
                         and lang == r["lang"] and c == r["characters"]), None)
            if base:
                ratio = f"{base['chars_per_s'] / r['chars_per_s']:.2f}" if r["chars_per_s"] else ""
        lines.append(f"| {r['stage']} | {r['lang']} | {r['characters'] / 1e6:.1f} | {r['articles_per_s']:,} | "
                     f"{r['chars_per_s']:,} | {r['peak_rss_mb']} | {ratio} |")
    return "\n".join(lines)


def measure(args) -> tuple[list[dict], dict, dict | None, list[dict]]:
    """Run every measurement; return stage rows, start-up times, Dask figures and time accuracy."""
    from bench import corpora, time_accuracy

    sizes = (200_000, 1_000_000) if args.quick else (1_000_000, 10_000_000)
    rows = []
    for lang in ("zh", "en"):
        for chars in sizes:
            for stage in STAGES:
                rows.append(_stage(stage, lang, chars))
                print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
            if args.no_peers or chars != sizes[0]:
                continue  # the peers are slow: measured on the smaller size
            for peers in PEERS.values():
                for peer in peers:
                    if lang in PEER_LANGS.get(peer, ("zh", "en")):
                        rows.append(_stage(peer, lang, chars))
                        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    for stage in MIXED_STAGES:  # one 1 MB article, Chinese and English paragraphs alternating
        rows.append(_stage(stage, "mixed", corpora.MIXED_CHARS))
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    with tempfile.TemporaryDirectory() as empty:
        starts = dict(import_s=import_time(), cold_start_cold_cache_s=cold_start(empty))
        cold_start(None)  # make sure the default cache is built
        starts["cold_start_warm_cache_s"] = cold_start(None)
    print(json.dumps(starts), flush=True)
    accuracy_rows = time_accuracy.run()
    dask = None if args.no_dask else dask_speedup(sizes[0] * 2)
    if dask:
        print(json.dumps(dask), flush=True)
    return rows, starts, dask, accuracy_rows


def render(rows, starts, dask, accuracy_rows, quick: bool) -> str:
    """The markdown block of results (the one bench/README.md carries)."""
    from bench import time_accuracy

    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    return "\n".join([
        f"Measured {time.strftime('%Y-%m-%d')} on {machine} with `make bench`"
        + (" (`--quick`)" if quick else "") + ". Wall-clock seconds of one process per row, the "
        "machine otherwise idle; peer rows are on the smaller size, beside ours on the same text.",
        "", table(rows), "",
        f"Cold start (new process: import + find_places on the sample): warm cache "
        f"{starts['cold_start_warm_cache_s']} s, cold cache (index built) {starts['cold_start_cold_cache_s']} s; "
        f"`import analysis` {starts['import_s']} s.",
        "" if dask is None else f"\nDask `process_corpus` on {dask['characters'] / 1e6:.0f} MB of zh articles: "
        f"1 worker {dask['workers_1_s']} s, 2 workers {dask['workers_2_s']} s, speed-up {dask['speedup']}×.",
        "", "Time expressions, accuracy with `score.py time` (the same cases, each system through the "
        "`parse_time` contract; jionlp has no English):", "", time_accuracy.table(accuracy_rows),
        "", f"Targets: {TARGETS}.",
    ])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="0.2 MB and 1 MB instead of 1 MB and 10 MB")
    ap.add_argument("--readme", action="store_true", help="rewrite the results block of bench/README.md")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--render-only", action="store_true", help="re-render bench/out/results.json, measure nothing")
    args = ap.parse_args(argv)
    out = HERE / "out"
    if args.render_only:
        saved = json.loads((out / "results.json").read_text())
        rows, starts, dask, quick = saved["rows"], saved["starts"], saved["dask"], saved.get("quick", False)
        accuracy_rows = saved.get("accuracy") or []
    else:
        rows, starts, dask, accuracy_rows = measure(args)
        quick = args.quick
        out.mkdir(exist_ok=True)
        (out / "results.json").write_text(json.dumps(dict(rows=rows, starts=starts, dask=dask,
                                                          accuracy=accuracy_rows, quick=quick), indent=1))
    report = render(rows, starts, dask, accuracy_rows, quick)
    print(report)
    if args.readme:
        readme = HERE / "README.md"
        text = readme.read_text(encoding="utf-8")
        a, b = "<!-- results -->", "<!-- /results -->"
        if a in text and b in text:
            text = text[: text.index(a) + len(a)] + "\n" + report + "\n" + text[text.index(b):]
            readme.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
