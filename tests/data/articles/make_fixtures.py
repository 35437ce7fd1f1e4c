"""Write the loader's test fixtures (run once; the files are committed, tests never rerun this).

    .venv/bin/python tests/data/articles/make_fixtures.py

Every text here was written for these tests from public facts (the Sept. 2023 Kim Jong Un trip
to Russia, Typhoon Doksuri in July 2023); the encodings fixtures re-encode the same text so a test
can compare them with the UTF-8 original.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent

BBC_EN = """\
# [Asia] Kim Jong Un arrives in Russia for talks with Putin

#  Kim Jong Un arrives in Russia for talks with Putin



![Kim Jong Un waves from his train](_1001_train.jpg)

> Image source, Reuters
>
> Image caption, Kim Jong Un waved from his armoured train before leaving Pyongyang

**North Korean leader Kim Jong Un has crossed into Russia by train for a summit with
Vladimir Putin.**

The train crossed the border at Khasan early on Tuesday, South Korea's defence ministry said.
It later passed through *Ussuriysk* and headed north towards
[Khabarovsk](https://en.wikipedia.org/wiki/Khabarovsk), a city of 600,000 people.

- The Kremlin confirmed the visit.
- The meeting place was not announced.

> "We will discuss sensitive matters," a Kremlin spokesman said.

![Sergei Shoigu in Pyongyang](_1002_shoigu.jpg)

> Image source, Getty Images
>
> Image caption, Russian Defence Minister Sergei Shoigu visited Pyongyang in July
"""

PLAIN_HANT = """\
颱風杜蘇芮登陸福建

今年第5號颱風「杜蘇芮」7月28日上午在福建晉江沿海登陸，登陸時為強颱風級別。

此前，杜蘇芮於26日凌晨在菲律賓北部卡加延省登陸，隨後穿過巴士海峽，
給臺灣南部的高雄和屏東帶來強降雨。
"""

PLAIN_HANS = """\
台风杜苏芮残余环流北上

今年第5号台风“杜苏芮”7月28日上午在福建晋江沿海登陆，登陆时为强台风级别。

从29日开始，北京和河北出现极端强降雨。北京门头沟和房山受灾严重。
"""

HTML = """\
<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Storm hits China's coast | Example News</title>
<meta property="og:title" content="Typhoon Doksuri hits China's coast">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2023-07-28T09:30:00+08:00">
<meta property="og:site_name" content="Example News">
<link rel="canonical" href="https://example.com/doksuri">
<script>window.tracking = "should never reach the text";</script>
<style>body { color: red; }</style>
</head>
<body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/asia">Asia</a></nav>
<article>
<h1>Typhoon Doksuri hits China's coast</h1>
<p>Typhoon Doksuri made landfall in Jinjiang, in China's Fujian province, on Friday morning,
bringing torrential rain to the south-east coast after sweeping past the Philippines.</p>
<figure><img src="doksuri.jpg" alt="Waves over a sea wall">
<figcaption>Waves broke over the sea wall in Xiamen as the storm approached</figcaption></figure>
<p>The storm then moved north through Jiangxi and Anhui provinces, weakening to a tropical
depression on Saturday while its remnants carried on towards Beijing and Hebei.</p>
<blockquote>"We have never seen rain like this," a resident of Zhuozhou said.</blockquote>
<ul><li>Beijing: red rainstorm alert</li><li>Hebei: orange rainstorm alert</li></ul>
</article>
<footer>Copyright 2023 Example News. All rights reserved.</footer>
</body>
</html>
"""

JSON_EXPORT = {
    "status": "ok",
    "articles": [
        {
            "id": "wire-0001",
            "headline": "Kim Jong Un's train crosses into Russia",
            "body": "North Korean leader Kim Jong Un's armoured train crossed into Russia at "
                    "Khasan on Tuesday.\n\nThe Kremlin said he would meet Vladimir Putin in the "
                    "Russian Far East.",
            "pubDate": "Tue, 12 Sep 2023 08:15:00 +0300",
            "link": "https://example.com/wire-0001",
            "source": {"id": "example-wire", "name": "Example Wire"},
            "authors": ["A. Writer", "B. Editor"],
        },
        {
            "id": "wire-0002",
            "headline": "Putin and Kim meet at Vostochny",
            "body": "Vladimir Putin and Kim Jong Un met at the Vostochny Cosmodrome in the Amur "
                    "region on Wednesday.",
            "pubDate": "2023-09-13T06:00:00Z",
            "link": "https://example.com/wire-0002",
            "source": {"id": "example-wire", "name": "Example Wire"},
        },
    ],
}

JSONL_RECORDS = [
    {"title": "习近平抵达莫斯科", "content": "中国国家主席习近平周一乘专机抵达莫斯科伏努科沃机场。",
     "date": "2023-03-20", "language": "zh-CN", "category": "国际"},
    {"title": "习近平结束访问", "content": "习近平周三结束对俄罗斯的国事访问，乘专机离开莫斯科回国。",
     "date": "2023年3月22日", "language": "zh-CN", "category": "国际"},
]

CSV_EXPORT = (
    "headline,article,publish_time,url,section\n"
    '"Blinken arrives in Beijing","US Secretary of State Antony Blinken landed in Beijing on '
    'Sunday.\n\nHe met Foreign Minister Qin Gang at the Diaoyutai State Guesthouse.",'
    "2023-06-18 09:00,https://example.com/blinken-1,World\n"
    '"Blinken meets Xi","President Xi Jinping received Blinken at the Great Hall of the People '
    'on Monday.",2023-06-19T17:30:00+08:00,https://example.com/blinken-2,World\n'
)

# a CSV whose text column has no recognisable name: needs columns={"text": "copy"}
CSV_ODD = (
    "slug,copy,when\n"
    "flood-1,\"Heavy rain hit Zhuozhou in Hebei province on Tuesday.\",2023-08-01\n"
)

# too short for trafilatura's main-text heuristics: the loader falls back to the page's blocks
SHORT_HTML = """\
<html><head><title>Flood warning for Hebei</title></head>
<body><div class="x"><h2>Flood warning</h2><p>Heavy rain is expected in Hebei province on Tuesday.</p>
<ul><li>Zhuozhou: evacuate low-lying villages</li><li>Baoding: schools closed</li></ul></div>
<footer>Site footer</footer></body></html>
"""

# a CMS that writes garbage into its date meta tag: the page still loads, the date is dropped
BAD_META_DATE_HTML = """\
<html><head><title>Rescue in Zhuozhou</title>
<meta property="article:published_time" content="2023-02-30T10:00:00Z"></head>
<body><article><h1>Rescue in Zhuozhou</h1>
<p>Rescuers in boats reached flooded villages around Zhuozhou in Hebei province, where thousands
of residents had been cut off by the water for two days.</p>
<p>Officials said the water had started to fall on Thursday, but warned more rain was on the way.</p>
</article></body></html>
"""

# BBC 中文 page markup, reduced: the credit and caption labels are visually-hidden spans
BBC_HTML = """\
<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8">
<title>金正恩访俄：朝鲜领导人进入俄罗斯国境 - BBC News 中文</title>
<meta property="og:title" content="金正恩访俄：朝鲜领导人进入俄罗斯国境">
<meta property="article:published_time" content="2023-09-12T06:20:31.000Z">
<meta property="og:site_name" content="BBC News 中文"></head>
<body><header><nav><a href="/zhongwen/simp">主页</a> <a href="/zhongwen/simp/world">国际</a></nav></header>
<main><article>
<h1>金正恩访俄：朝鲜领导人进入俄罗斯国境</h1>
<figure><div><img src="_131062506_train.jpg" alt="金正恩在专列上挥手">
<p><span class="visually-hidden">图像来源，</span><span>Reuters</span></p></div>
<figcaption><span class="visually-hidden">图像加注文字，</span>金正恩在离开平壤前往俄罗斯之前从专列上挥手致意。</figcaption>
</figure>
<p><b>朝鲜领导人金正恩已进入俄罗斯国境，预计将与普京总统举行高峰会面。</b></p>
<p>韩国国防部较早前证实，金正恩的私人列车已于周二早上进入俄罗斯境内。该列车从边境的哈桑火车站驶入俄罗斯，随后经过乌苏里斯克。</p>
<p>国营媒体俄罗斯新闻社指，列车稍后又离开乌苏里斯克，驶向哈巴罗夫斯克方向，其终点站仍然未明。</p>
</article></main>
<footer>© 2023 BBC</footer></body></html>
"""

# metadata only in schema.org JSON-LD (an @graph, as many CMSs write it)
JSON_LD_HTML = """\
<html><head><title>Floods | Example Daily</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "WebSite", "name": "Example Daily"},
 {"@type": "NewsArticle", "headline": "Floods in Hebei", "datePublished": "2023-08-01T10:00:00+08:00",
  "author": [{"@type": "Person", "name": "Li Wei"}], "articleSection": "China",
  "publisher": {"@type": "Organization", "name": "Example Daily"},
  "mainEntityOfPage": {"@id": "https://example.com/floods"}}]}</script></head>
<body><article><p>Heavy rain hit Zhuozhou in Hebei province on Tuesday, cutting off villages and
forcing thousands of residents to leave their homes as rivers rose.</p></article></body></html>
"""

FRONT_MATTER_CATALOG = """\
---
title: From the front matter
published: 2023-08-02
---

Rescuers reached villages in Mentougou district, west of Beijing, on Wednesday.
"""

CATALOGUED = """\
# 北京门头沟遭遇洪水

北京西部的门头沟区周一遭遇严重洪水，多个村庄被困。
"""

CATALOG = (
    "file,title,published,source,lang,section,url\n"
    "flood.md,北京门头沟洪水,2023-08-01,Example 中文,zh-Hans,China,https://example.com/flood\n"
    "frontmatter.md,Catalog title loses,2023-01-01,Example 中文,,China,\n"
)


def write(path: Path, data: bytes | str, encoding: str = "utf-8") -> None:
    """Write one fixture file (text in ``encoding`` or raw bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))


def main() -> None:
    f = HERE / "formats"
    write(f / "bbc-style.en.md", BBC_EN)
    write(f / "plain.zh-Hant.txt", PLAIN_HANT)
    write(f / "page.html", HTML)
    write(f / "export.json", json.dumps(JSON_EXPORT, ensure_ascii=False, indent=1))
    write(f / "export.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in JSONL_RECORDS) + "\n")
    write(f / "export.csv", CSV_EXPORT)
    write(HERE / "columns" / "odd.csv", CSV_ODD)
    write(HERE / "html" / "short.html", SHORT_HTML)
    write(HERE / "html" / "bbc-style.zh.html", BBC_HTML)
    write(HERE / "html" / "json-ld.html", JSON_LD_HTML)
    # long enough for trafilatura's own extraction (which keeps the <img> but not the figcaption)
    more = "".join(
        f"<p>第{i}段：克里姆林宫此前证实了金正恩的访俄行程，但是莫斯科的声明仅确认两国领导人将会于"
        "远东会面，未具体说明地点。外界预期金正恩进入俄罗斯后会需五至六个小时车程到达符拉迪沃斯托克。</p>\n"
        for i in range(1, 9)
    )
    write(HERE / "html" / "bbc-style-long.zh.html", BBC_HTML.replace("</article>", more + "</article>"))
    write(HERE / "html" / "bad-meta-date.html", BAD_META_DATE_HTML)

    c = HERE / "catalog"
    write(c / "articles.csv", CATALOG)
    write(c / "stories" / "flood.md", CATALOGUED)
    write(c / "stories" / "frontmatter.md", FRONT_MATTER_CATALOG)

    e = HERE / "encodings"
    write(e / "utf8.txt", PLAIN_HANS)
    write(e / "utf8-bom.txt", PLAIN_HANS, "utf-8-sig")
    write(e / "gb18030.txt", PLAIN_HANS, "gb18030")
    write(e / "utf16-le-bom.txt", PLAIN_HANS, "utf-16")  # Python writes the BOM (LE here)
    write(e / "utf16-be-bom.txt", b"\xfe\xff" + PLAIN_HANS.encode("utf-16-be"))
    write(e / "big5.txt", PLAIN_HANT, "big5")
    write(e / "utf8-hant.txt", PLAIN_HANT)

    b = HERE / "bad"
    write(b / "empty.md", b"")
    write(b / "blank.txt", b"  \n\n \t\n")
    write(b / "binary.txt", bytes(range(256)) * 4)
    rng = random.Random(20230912)
    # random bytes with no NUL that are neither UTF-8 nor any CJK legacy encoding
    write(b / "random.txt", bytes(rng.randrange(1, 256) for _ in range(3000)))
    write(b / "frontmatter.md", "---\ntitle: [unclosed\npublished: : :\n---\n\n北京今天下雨。\n")
    write(b / "unclosed.md", "---\ntitle: never closed\n\nBody text about Beijing.\n")
    write(b / "baddate.md", "---\ntitle: Bad date\npublished: 2023-02-30\n---\n\n北京今天下雨。\n")
    write(b / "broken.json", b'{"articles": [{"text": "Moscow said"},')
    write(b / "broken.jsonl", b'{"text": "Moscow said"}\n{"text": "Beijing said"\n')
    write(b / "notext.json", json.dumps([{"headline": "No body here", "url": "https://x"}]))
    write(b / "partial.jsonl", '{"text": "Rescuers reached Zhuozhou on Wednesday."}\n{"text": "  "}\n')
    write(b / "onlymeta.md", "---\ntitle: Only metadata\npublished: 2023-09-12\n---\n\n")

    d = HERE / "duplicates"
    write(d / "first.md", PLAIN_HANS)
    write(d / "second.md", PLAIN_HANS)


if __name__ == "__main__":
    main()
