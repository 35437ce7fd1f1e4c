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
# # One story across several articles: the consolidated route and its sources
#
# Analysts collect a folder of reports about one trip, written on different days, in different
# languages. `analysis.route(timeline)` over all of them gives ONE route: the same stop told by
# several articles is one stop that lists its `sources`, with the first and last day it was
# reported and a `conflict` flag where the reports disagree on the day or the place. The bundled
# story (`data/stories/biden-asia-2023`) is three short articles written for this project: simplified
# Chinese, English and traditional Chinese, published on three days.

# %% tags=["parameters"]
ARTICLES = "../data/stories/biden-asia-2023"  # a folder (or list) of articles about one journey
LABELS = "auto"  # place labels: "auto" (the article's language), "zh" or "en"

# %%
import matplotlib.pyplot as plt

import analysis as an
from analysis import schema as S

articles = an.load_articles(ARTICLES)
timeline = an.build_timeline(articles)
articles[[S.ARTICLE_ID, S.LANG, S.PUBLISHED, S.TITLE]]

# %% [markdown]
# ## Each article's own route
#
# `route(timeline, article_id=…)` keeps one article's reported stops. Each report sees only part
# of the trip, and a later one retells earlier stops.

# %%
for aid in articles.sort_values(S.PUBLISHED)[S.ARTICLE_ID]:
    print(an.route(timeline, article_id=aid))

# %% [markdown]
# ## The consolidated route
#
# One stop per place and visit, in time order; `sources` names the articles that report it,
# `first_reported` / `last_reported` when, `conflict` where they disagree.

# %%
story = an.route(timeline)
story

# %%
story.stops[[S.STOP, S.NAME, S.NAME_ZH, S.TIME_START, S.MOVEMENT, S.SOURCES, S.N_SOURCES,
             S.FIRST_REPORTED, S.LAST_REPORTED, S.CONFLICT]]

# %% [markdown]
# ## Which article told what
#
# Every reported event, by article: where the story's stops come from, and what each article only
# expected or mentioned.

# %%
moves = timeline[timeline[S.MOVEMENT] != "mention"]
moves.pivot_table(index=S.NAME, columns=S.ARTICLE_ID, values=S.CERTAINTY,
                  aggfunc=lambda s: ", ".join(sorted(set(s))), fill_value="")

# %% [markdown]
# ## Map and multi-day timeline
#
# The map shows the events of every article (coloured by article where the map supports it) and
# the route; the timeline plot spans the days of the trip.

# %%
fig, (ax_map, ax_time) = plt.subplots(1, 2, figsize=(13, 5))
an.plot_map(timeline, ax=ax_map, labels=LABELS, title="Events and route, all articles")
an.plot_timeline(timeline, ax=ax_time, labels=LABELS)
fig.tight_layout()

# %% [markdown]
# ## Summary
#
# The story's route, stop by stop, with how many articles report each.

# %%
for r in story.stops.itertuples():
    print(f"{r.stop}. {r.name} {r.time_start:%Y-%m-%d} ({r.movement}) "
          f"— {r.n_sources} article(s){'; disagree on ' + r.conflict if isinstance(r.conflict, str) else ''}")
