# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Articles: formats, metadata and the tables of one parse
#
# `analysis.load_articles` reads markdown and plain text (with optional YAML front matter),
# BBC-style markdown, HTML pages, JSON, JSON Lines and CSV exports, or a DataFrame, and returns one
# row per article with documented dtypes. This notebook loads the bundled sample, then the same
# kind of story in other formats written to a scratch folder, and shows where metadata comes from.

# %% tags=["parameters"]
ARTICLES = "../data/articles"  # an article file, folder or glob, or a list of them
LABELS = "auto"  # not used here; kept so every notebook takes the same parameters

# %%
import json
import shutil
import tempfile
import warnings
from pathlib import Path

import pandas as pd

import analysis as an
from analysis import schema as S

scratch = Path(tempfile.mkdtemp(prefix="articles-"))

# %% [markdown]
# ## The bundled sample
#
# The sample has no front matter: its title and section come from the BBC-style heading
# (`# [World] …`), and its date, source and language from the catalog `data/articles.csv`,
# matched by file name.

# %%
articles = an.load_articles(ARTICLES)
articles.drop(columns=[S.TEXT]).T

# %%
articles.dtypes

# %% [markdown]
# ## Paragraphs and images
#
# Paragraph kinds and offsets: `text[start:end]` of the article is the paragraph. Image credits
# (`图像来源`) and captions (`图像加注文字`) are paragraphs of their own kinds.

# %%
paras = an.paragraphs(articles)
paras[S.KIND].value_counts()

# %%
art = articles.iloc[0]
first = paras.iloc[3]
assert art[S.TEXT][first[S.START]:first[S.END]] == first[S.TEXT]
paras.head(8)[[S.PARAGRAPH, S.KIND, S.START, S.END, S.TEXT]]

# %%
an.images(articles)[[S.IMAGE, S.FILE, S.CREDIT, S.CAPTION]]

# %% [markdown]
# ## Other formats
#
# The same kind of story as markdown with front matter, as plain text, as a JSON Lines export,
# as a CSV export and as an HTML page. The loader detects the format and the fields.

# %%
(scratch / "front-matter.md").write_text(
    "---\ntitle: Train reaches the border\npublished: 2023-09-12T08:30:00+09:00\n"
    "source: Example Wire\nlang: en\n---\n\n"
    "The armoured train left Pyongyang on Monday and crossed into Russia at Khasan on Tuesday.\n",
    encoding="utf-8",
)
(scratch / "plain.txt").write_text(
    "列车周二早上经哈桑火车站进入俄罗斯，随后驶向乌苏里斯克。\n", encoding="gb18030"
)
rows = [
    {"headline": "Leaders to meet in the Far East", "body": "Officials said the leaders would "
     "meet in Vladivostok later this week.", "date": "2023-09-11"},
    {"headline": "Train heads north", "body": "The train left Ussuriysk and headed toward "
     "Khabarovsk.", "date": "2023-09-12"},
]
(scratch / "export.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
pd.DataFrame({
    "title": ["Forum opens in Vladivostok"],
    "text": ["The Eastern Economic Forum opened in Vladivostok on Tuesday."],
    "published": ["2023-09-12"],
}).to_csv(scratch / "export.csv", index=False)
(scratch / "page.html").write_text(
    "<html><head><title>Summit venue unclear</title>"
    "<meta property='article:published_time' content='2023-09-12'></head><body><article>"
    "<h1>Summit venue unclear</h1><p>Reporters waited in Vladivostok while the train went on to "
    "Ussuriysk, north of the port city.</p><p>The Kremlin did not confirm where the leaders "
    "would meet, saying only that it would be in the Russian Far East.</p></article></body></html>",
    encoding="utf-8",
)
others = an.load_articles(scratch, errors="warn")
others[[S.ARTICLE_ID, S.TITLE, S.LANG, S.PUBLISHED, S.PUBLISHED_OFFSET, S.SOURCE, S.PATH]]

# %% [markdown]
# `plain.txt` was written in GB18030: the encoding is detected, not guessed. A date with a UTC
# offset keeps it in `published_offset` (minutes), so times in the text are read in the article's
# own local time.

# %% [markdown]
# ## A DataFrame, and metadata from the arguments
#
# Text already in a frame loads the same way; `published=` and `lang=` set metadata for every
# row when the sources do not carry it.

# %%
frame = pd.DataFrame({"title": ["Short note"],
                      "text": ["金正恩的专列从平壤出发，驶向俄罗斯。"]})
an.load_articles(frame, published="2023-09-11", lang="zh-Hans")[
    [S.ARTICLE_ID, S.TITLE, S.LANG, S.PUBLISHED]
]

# %% [markdown]
# ## Bad input is named, not hidden
#
# An empty file raises a clear error naming it under `errors="raise"` (the default), and is
# skipped with one summary warning under `errors="warn"`.

# %%
(scratch / "empty.md").write_text("", encoding="utf-8")
try:
    an.load_articles(scratch / "empty.md")
except an.ArticleError as exc:
    print("ArticleError:", exc)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    kept = an.load_articles(scratch, errors="warn")
print(len(kept), "articles kept;", [str(w.message)[:120] for w in caught])

# %%
shutil.rmtree(scratch)

# %% [markdown]
# ## Summary
#
# - One call reads files, folders, globs, lists or a frame; the format and encoding are detected.
# - Metadata comes from front matter, from the page, from a catalog CSV beside the files, or from
#   the arguments, in that spirit: what the source says, unless told otherwise.
# - `paragraphs` and `images` come from the same parse, with offsets into `text`.
