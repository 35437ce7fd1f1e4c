"""List the Chinese time grammar's misses on the Duckling ZH and JioNLP test corpora, by category.

Run from the project root:  .venv/bin/python scripts/timex_zh_failures.py [duckling|jionlp] [-v]

It reads the committed copies in tests/data/time/ (see tests/data/README.md) and prints, per
category (Duckling's constructor and grain; JioNLP's span kind), how many cases pass and, with
-v, each miss with the gold and the answer. Use it to find what to fix next; many misses are
deliberate (the module docstring of analysis/_timex_zh.py lists the conventions).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

from analysis.timex import parse_time

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "time"


def _duckling():
    for line in open(DATA / "duckling_zh.jsonl", encoding="utf-8"):
        c = json.loads(line)
        try:
            want = [pd.Timestamp(x) for x in c["interval"]] if "interval" in c else [pd.Timestamp(c["value"])]
        except ValueError:
            continue
        got = parse_time(c["text"], pd.Timestamp(c["ref"]), lang="zh")
        ok = got is not None and got.start == want[0] and (len(want) == 1 or got.end == want[1])
        yield ("interval" if len(want) == 2 else "point"), c["text"], [str(w) for w in want], got, ok


def _jionlp():
    for line in open(DATA / "jionlp_scored.jsonl", encoding="utf-8"):
        c = json.loads(line)
        s, e = c["time"]
        got = parse_time(c["text"], pd.Timestamp(c["base"]), lang="zh")
        if "inf" in s or "inf" in e:
            yield "open-ended", c["text"], c["time"], got, got is None
            continue
        ok = got is not None and got.end is not None and got.start == pd.Timestamp(s) and \
            got.end in (pd.Timestamp(e), pd.Timestamp(e) + pd.Timedelta(seconds=1))
        yield "bounded", c["text"], c["time"], got, ok


def main(argv: list[str]) -> None:
    which = argv[0] if argv and not argv[0].startswith("-") else "duckling"
    verbose = "-v" in argv
    rows = list(_duckling() if which == "duckling" else _jionlp())
    total, good = Counter(), Counter()
    for cat, text, want, got, ok in rows:
        total[cat] += 1
        good[cat] += ok
        if verbose and not ok:
            answer = None if got is None else (str(got.start), str(got.end), got.value)
            print(f"{cat:10} {text} | want {want} | got {answer}")
    for cat in sorted(total):
        print(f"{cat:10} {good[cat]}/{total[cat]}")
    n, k = sum(total.values()), sum(good.values())
    print(f"{which}: {k}/{n} = {k / n:.4f}")


if __name__ == "__main__":
    main(sys.argv[1:])
