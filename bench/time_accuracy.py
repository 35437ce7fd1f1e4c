"""Time-expression accuracy beside the peers, in one run: ours, jionlp and dateparser.

Each system is scored by the project's scorer (``../shared/benchmarks/score.py``) through the same
``parse_time(text, reference, lang)`` contract: the peers get a thin adapter that turns their output
into ``start``/``end`` (jionlp's inclusive end + 1 s; dateparser gives a point, so intervals can't
match). ``python -m bench.time_accuracy`` prints one JSON line per (system, corpus).
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
import types
from dataclasses import dataclass
from typing import Any

from bench.corpora import SHARED

CORPORA = {"ours": ("duckling-zh", "duckling-en", "jionlp"), "jionlp": ("duckling-zh", "jionlp"),
           "dateparser": ("duckling-zh", "duckling-en", "jionlp")}


@dataclass(frozen=True)
class _Got:
    start: Any
    end: Any
    value: str = ""
    granularity: str | None = None


def _jionlp_parse(text: str, reference, lang=None):
    import jionlp
    import pandas as pd

    try:
        # jionlp reads a unix time in the machine's local zone; mktime gives the naive reference that way
        got = jionlp.parse_time(text, time_base=time.mktime(pd.Timestamp(reference).timetuple()))
    except Exception:  # jionlp raises on text it can't read
        return None
    if not isinstance(got, dict) or not got.get("time"):
        return None
    t = got["time"]
    if not isinstance(t, list) or len(t) < 2:
        return None
    try:
        return _Got(pd.Timestamp(t[0]), pd.Timestamp(t[1]) + pd.Timedelta(seconds=1))
    except ValueError:  # an open-ended span ('inf'): no interval to compare
        return None


def _dateparser_parse(text: str, reference, lang=None):
    import dateparser
    import pandas as pd

    got = dateparser.parse(text, languages=[lang] if lang else None,
                           settings={"RELATIVE_BASE": pd.Timestamp(reference).to_pydatetime()})
    return None if got is None else _Got(pd.Timestamp(got).tz_localize(None) if got.tzinfo else pd.Timestamp(got), None)


def _scorer():
    spec = importlib.util.spec_from_file_location("score", SHARED / "benchmarks" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run() -> list[dict]:
    import analysis

    score = _scorer()
    rows = []
    try:
        for system, corpora in CORPORA.items():
            if system == "ours":
                sys.modules["analysis"] = analysis
            else:
                shim = types.ModuleType("analysis")
                shim.parse_time = _jionlp_parse if system == "jionlp" else _dateparser_parse
                sys.modules["analysis"] = shim
            for corpus in corpora:
                out = score.score_time(corpus)
                rows.append(dict(system=system, **out))
                print(json.dumps(rows[-1]), flush=True)
    finally:  # the scorer imports "analysis" by name: give the real package back
        sys.modules["analysis"] = analysis
    return rows


def table(rows: list[dict]) -> str:
    corpora = ("duckling-zh", "duckling-en", "jionlp")
    acc = {(r["system"], r["corpus"]): r["accuracy"] for r in rows}
    lines = ["| system | " + " | ".join(corpora) + " |", "|---" * (len(corpora) + 1) + "|"]
    for system in CORPORA:
        cells = [f"{acc[(system, c)]:.3f}" if (system, c) in acc else "—" for c in corpora]
        lines.append(f"| {system} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(run()))
