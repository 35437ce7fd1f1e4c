"""List the English time grammar's misses on TempEval-3 (dev: TimeBank + AQUAINT), by class.

Run from the project root:  .venv/bin/python scripts/timex_en_tempeval_misses.py [-v [CLASS]]

It runs ``find_times`` on the shared corpus ``../shared/benchmarks/time/tempeval3_dev.jsonl`` and
matches spans exactly as ``score.py time tempeval`` does (a prediction takes the first unused gold
timex it overlaps). Misses fall in three kinds: ``span-miss`` (a gold timex nothing overlaps),
``extra`` (a prediction that overlaps no gold timex) and ``value`` (matched, wrong TIMEX3 value),
the last split by the gold value's form (date, P-duration, SET, PRESENT_REF, quarter, week, season,
decade, …). With -v each miss is printed with its context; ``-v CLASS`` prints one class only.
Use it to find what to fix next — never to copy gold answers into rules.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

import analysis

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "benchmarks" / "time" / "tempeval3_dev.jsonl"

_FORMS = [
    (r"P.*", "duration"), (r".*_REF", "ref"), (r"\d{4}-Q\d", "quarter"), (r"\d{4}-H\d", "half"),
    (r"\d{4}-W\d\d.*", "week"), (r"\d{4}-(SP|SU|FA|WI)", "season"), (r"\d{3}X?", "decade"),
    (r"\d\dX*", "century"), (r"\d{4}", "year"), (r"\d{4}-\d\d", "month"), (r"\d{4}-\d\d-\d\d", "day"),
    (r"\d{4}-\d\d-\d\dT.*", "time"), (r"XXXX.*", "undated"),
]


def form(value: str, kind: str) -> str:
    """The TIMEX3 form of a gold value ("day", "duration", "SET:…", …)."""
    if kind == "SET":
        return "set"
    for pattern, name in _FORMS:
        if re.fullmatch(pattern, value):
            return name
    return "other"


def rows():
    """(class, doc, dct, gold text, gold value, predicted text, predicted value, context, offset)
    per miss; the offset is the prediction's start (the gold one's for a span miss)."""
    docs = [json.loads(line) for line in open(CORPUS, encoding="utf-8")]
    frame = pd.DataFrame([dict(article_id=d["doc"], text=d["text"], published=d["dct"], lang="en")
                          for d in docs])
    found = analysis.find_times(analysis.load_articles(frame))
    by_doc = {d["doc"]: d for d in docs}
    used = set()
    for row in found.itertuples(index=False):
        d = by_doc[row.article_id]
        text = d["text"]
        best = next((i for i, g in enumerate(d["timexes"]) if (row.article_id, i) not in used
                     and min(row.end, g["end"]) > max(row.start, g["start"])), None)
        ctx = text[max(0, row.start - 50):row.end + 30].replace("\n", " ")
        if best is None:
            yield "extra", d["doc"], d["dct"], "", "", row.surface, row.value, ctx, row.start
            continue
        used.add((row.article_id, best))
        g = d["timexes"][best]
        if str(row.value) != g["value"]:
            yield f"value:{form(g['value'], g['type'])}", d["doc"], d["dct"], g["text"], g["value"], \
                row.surface, row.value, ctx, row.start
    for d in docs:
        for i, g in enumerate(d["timexes"]):
            if (d["doc"], i) not in used:
                ctx = d["text"][max(0, g["start"] - 50):g["end"] + 30].replace("\n", " ")
                yield f"span-miss:{form(g['value'], g['type'])}", d["doc"], d["dct"], g["text"], \
                    g["value"], "", "", ctx, g["start"]


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    only = argv[argv.index("-v") + 1] if verbose and argv.index("-v") + 1 < len(argv) else None
    misses = list(rows())
    counts = Counter(m[0] for m in misses)
    for cls, n in counts.most_common():
        print(f"{n:5}  {cls}")
    if verbose:
        for cls, doc, dct, gtext, gval, ptext, pval, ctx, _at in sorted(misses):
            if only is None or cls.startswith(only):
                print(f"{cls:18} {doc}:{_at} {dct} gold {gtext!r}={gval} | got {ptext!r}={pval} | …{ctx}…")


if __name__ == "__main__":
    main(sys.argv[1:])
