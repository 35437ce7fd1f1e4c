"""Time: the TIMEX3 normaliser (``expr``), the per-language grammars (``lang``) and ``engine``."""

from __future__ import annotations

from analysis.timex.engine import find_times, parse_time
from analysis.timex.expr import TimeExpr

__all__ = ["TimeExpr", "find_times", "parse_time"]
