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
# # Quickstart: from an article to its places, times and route
#
# The whole path in a few cells, on the bundled sample (a BBC News 中文 report of Kim Jong Un's
# train crossing into Russia, 2023-09-12). Each step is one function of `analysis` returning a
# pandas frame: articles → paragraphs and images → places → times → timeline → route.

# %% tags=["parameters"]
ARTICLES = "../data/articles"  # an article file, folder or glob, or a list of them
LABELS = "auto"  # place labels on maps: "auto" (the article's language), "zh" or "en"

# %%
import pandas as pd

import analysis as an
from analysis import schema as S

pd.set_option("display.max_colwidth", 60)

# %% [markdown]
# ## Articles
#
# One row per article; `text` is the body that every later offset (`start`, `end`) points into.

# %%
articles = an.load_articles(ARTICLES)
articles.drop(columns=[S.TEXT])

# %% [markdown]
# ## Paragraphs and images
#
# The same parse, one row per paragraph (with its kind: heading, lead, body, caption, credit)
# and one per image. Captions stay addressable: they are evidence of their own.

# %%
an.paragraphs(articles).head(10)

# %%
an.images(articles)

# %% [markdown]
# ## Places
#
# Every place mention, resolved against the gazetteer: name in English and Chinese, feature,
# coordinates, confidence, and whether the text means the place or its government (`role`).

# %%
places = an.find_places(articles)
places[[S.SURFACE, S.NAME, S.NAME_ZH, S.FEATURE, S.COUNTRY_CODE, S.ROLE, S.CONFIDENCE]].head(15)

# %% [markdown]
# ## Times
#
# Time expressions normalised to TIMEX3 values and intervals, anchored on the publication date.

# %%
times = an.find_times(articles)
times[[S.SURFACE, S.VALUE, S.TIME_START, S.TIME_END, S.GRANULARITY, S.KIND]].head(15)

# %% [markdown]
# ## Timeline and route
#
# Places joined to times: one row per event, with what happened there (`movement`) and how sure
# the text is (`certainty`). The route keeps the reported travel stops in the order they happened.

# %%
timeline = an.build_timeline(articles, places=places, times=times)
timeline[timeline[S.MOVEMENT] != "mention"][
    [S.SEQ, S.NAME_ZH, S.NAME, S.TIME_TEXT, S.TIME_START, S.MOVEMENT, S.CERTAINTY]
]

# %%
route = an.route(timeline, article_id=articles[S.ARTICLE_ID].iloc[0])
route

# %%
an.plot_map(timeline, labels=LABELS);

# %% [markdown]
# ## Summary
#
# - `load_articles` → `find_places` / `find_times` → `build_timeline` → `route`: frames all the way,
#   column names in `analysis.schema`.
# - Next: `10-articles` (formats and metadata), `20-places` (the gazetteer), `30-timeline-route`
#   (timeline, animation, explorer), `90-report` (the HTML report, `make report`).
