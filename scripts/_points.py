"""What the two point-curation scripts share: a division's mean point and the atomic CSV write."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.io.atomic import atomic_write  # noqa: E402 - the checkout's package, run as a script


def mean_point(points: list[tuple[float, float]]) -> dict[str, float]:
    """``latitude``/``longitude`` of the mean of ``points`` (lat, lon), rounded to 4 places (~11 m)."""
    return {"latitude": round(sum(x[0] for x in points) / len(points), 4),
            "longitude": round(sum(x[1] for x in points) / len(points), 4)}


def write_rows(out: Path, rows: list[dict]) -> None:
    """Write ``rows`` as CSV (header from the first row) to ``out`` in one atomic step."""
    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)

    atomic_write(out, write)
