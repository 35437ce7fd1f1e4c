"""Print every accuracy figure the shared scorer gives, one labelled JSON line per corpus.

Run from the project's root with the project's interpreter::

    .venv/bin/python eval/run.py                 # regression checks and public benchmarks
    .venv/bin/python eval/run.py --only time     # the corpora whose label starts with "time"
    .venv/bin/python eval/run.py --holdout       # also the sealed held-out batches (score each once)
    .venv/bin/python eval/run.py --holdout --only holdout2   # just the second sealed batch

Each line is ``{"label": ..., "kind": ..., "figures": {...}}`` where ``figures`` is the last
line ``../shared/benchmarks/score.py`` printed, unchanged. ``kind`` says what a figure is worth:

- ``regression``: corpora the rules were written from (the shared annotated articles and story,
  ``eval/dev``). They catch a change that breaks what worked; they are not evidence of accuracy.
- ``benchmark``: public corpora nobody on the project wrote (LGL, GeoWebNews, Duckling, JioNLP,
  TempEval-3). Measured often during development, so a mild optimism is possible.
- ``evidence``: the sealed batches ``eval/holdout*`` (``holdout``, then ``holdout2`` written after
  it was used), never looked at while writing rules; each scored once.

Unit tests (``tests/``) assert behaviour; this runner measures. Nothing here is a pass/fail gate.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCORE = ROOT.parent / "shared" / "benchmarks" / "score.py"

#: (label, kind, score.py arguments)
SHARED = [
    ("articles", "regression", ["articles"]),
    ("stories", "regression", ["stories"]),
    ("geoparse lgl", "benchmark", ["geoparse", "lgl"]),
    ("geoparse gwn", "benchmark", ["geoparse", "gwn"]),
    ("time duckling-zh", "benchmark", ["time", "duckling-zh"]),
    ("time duckling-en", "benchmark", ["time", "duckling-en"]),
    ("time jionlp", "benchmark", ["time", "jionlp"]),
    ("time tempeval", "benchmark", ["time", "tempeval"]),
]


def corpora(holdout: bool) -> list[tuple[str, str, list[str]]]:
    """The runs to make: the shared corpora, ``eval/dev`` when annotated, the holdout on request."""
    runs = list(SHARED)
    # every sealed batch (holdout, holdout2, ...) is evidence, not even listed unless asked for
    sealed = sorted(p.name for p in (ROOT / "eval").glob("holdout*") if p.is_dir()) if holdout else []
    for folder, kind in [("dev", "regression"), *((name, "evidence") for name in sealed)]:
        for task in ("articles", "stories"):
            gold = ROOT / "eval" / folder / task / "gold.json"
            if gold.is_file():
                runs.append((f"{folder} {task}", kind, [task, str(gold)]))
    return runs


def score(args: list[str], python: str) -> tuple[dict | None, str]:
    """Run score.py with ``args``; return its figures (last stdout line) or None and the error."""
    proc = subprocess.run([python, str(SCORE), *args], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    if proc.returncode == 0 and lines:
        try:
            return json.loads(lines[-1]), ""
        except json.JSONDecodeError:
            pass
    return None, (proc.stderr.strip().splitlines() or ["no output"])[-1]


def main(argv: list[str] | None = None) -> int:
    """Run the scorer on every corpus and print one JSON line each; return 1 if one failed."""
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--holdout", action="store_true",
                    help="also score the sealed eval/holdout* batches (evidence: once, not while tuning)")
    ap.add_argument("--only", default="", help="run only the corpora whose label starts with this")
    ap.add_argument("--python", default=sys.executable, help="the interpreter with the package")
    args = ap.parse_args(argv)
    if not SCORE.is_file():
        ap.error(f"{SCORE} not found: run from a checkout beside ../shared/benchmarks")
    failed = 0
    for label, kind, score_args in corpora(args.holdout):
        if not label.startswith(args.only):
            continue
        t0 = time.perf_counter()
        figures, error = score(score_args, args.python)
        line = {"label": label, "kind": kind, "figures": figures,
                "seconds": round(time.perf_counter() - t0, 1)}
        if figures is None:
            line["error"] = error
            failed += 1
        print(json.dumps(line, ensure_ascii=False), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
