"""Benchmark corpora, replicated to a target size so cost can be read against size.

- ``en``: LGL (US local news, Lieberman et al. 2010) from ../shared/benchmarks/geoparse/lgl.xml.
- ``zh``: the bundled sample (BBC News 中文) and the two Chinese articles written for the benchmark
  (../shared/benchmarks/articles/*.zh.md).
- ``mixed``: one 1 MB article of the two above, Chinese and English paragraphs alternating.

Replicas get a numbered marker line so every article is distinct (the loader reports and drops
duplicate texts) and keep their own ids.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWS_GEOTIMELINE_SHARED", ROOT.parent / "shared"))


def base_docs(lang: str) -> list[dict]:
    """The original documents of one benchmark corpus: dicts with article_id, text, published, lang."""
    if lang == "en":
        path = SHARED / "benchmarks" / "geoparse" / "lgl.xml"
        if not path.exists():
            raise FileNotFoundError(f"{path} not found; set NEWS_GEOTIMELINE_SHARED to the shared/ folder")
        docs = []
        for a in ET.parse(path).getroot().iter("article"):
            docs.append(dict(article_id=f"lgl-{a.get('docid')}", text=a.findtext("text"),
                             published=(a.findtext("dltime") or "")[:10] or "2009-01-01", lang="en"))
        return docs
    if lang == "zh":
        import analysis as an

        paths = [ROOT / "data" / "articles"] + sorted((SHARED / "benchmarks" / "articles").glob("*.zh.md"))
        arts = an.load_articles([p for p in paths if p.exists()])
        return [dict(article_id=r.article_id, text=r.text, published=str(r.published.date()), lang=r.lang)
                for r in arts.itertuples()]
    if lang == "mixed":
        return [mixed_doc()]
    raise ValueError(f"unknown corpus language {lang!r}; use 'en', 'zh' or 'mixed'")


MIXED_CHARS = 1_000_000


def mixed_doc(chars: int = MIXED_CHARS) -> dict:
    """ONE article of ``chars`` characters alternating Chinese and English paragraphs (zh-Hans).

    Chinese news quoting English at length: the embedded-English pass of ``find_places`` once
    rescanned the whole article for every English span (quadratic: 80k characters 5.5 s).
    """
    zh, en = base_docs("zh"), base_docs("en")
    parts, total, i = [], 0, 0
    while total < chars:
        for d in (zh[i % len(zh)], en[i % len(en)]):
            parts.append(d["text"])
            total += len(d["text"]) + 2
        i += 1
    text = "\n\n".join(parts)[:chars]
    return dict(article_id="mixed", text=text, published="2023-09-12", lang="zh-Hans")


def replicate(docs: list[dict], target_chars: int) -> list[dict]:
    """Repeat ``docs`` until their text reaches ``target_chars`` characters, each replica distinct."""
    out, total, n = [], 0, 0
    while total < target_chars:
        for d in docs:
            marker = f"\n\n({n})" if n else ""
            out.append({**d, "article_id": f"{d['article_id']}~{n}", "text": d["text"] + marker})
            total += len(d["text"]) + len(marker)
            if total >= target_chars:
                break
        n += 1
    return out


def frame(lang: str, target_chars: int):
    """A DataFrame of the ``lang`` corpus replicated to ``target_chars`` characters."""
    import pandas as pd

    return pd.DataFrame(replicate(base_docs(lang), target_chars))
