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
# # Timeline and route: events in time, the route, its animation and the explorer
#
# `analysis.build_timeline` joins places to times: one row per event, with what the text says
# happened there (`movement`) and how sure it is (`certainty`). `analysis.route` keeps the
# reported travel in the order it happened. Then the views: the timeline plot, the map with the
# route, the animation, the interactive explorer, and export to GeoJSON, GeoParquet and CSV.

# %% tags=["parameters"]
ARTICLES = "../data/articles"  # an article file, folder or glob, or a list of them
LABELS = "auto"  # place labels: "auto" (the article's language), "zh" or "en"

# %%
import tempfile

from IPython.display import HTML

import analysis as an
from analysis import schema as S

articles = an.load_articles(ARTICLES)
timeline = an.build_timeline(articles)

# %% [markdown]
# ## The timeline
#
# In time order; `seq` keeps the story order. `time_source` says whether the time was written
# beside the place (`expression`), carried from the previous event, or is the publication date.
# Here the events where the text says something happened (places only named are `mention`).

# %%
moves = timeline[timeline[S.MOVEMENT] != "mention"]
moves[[S.SEQ, S.NAME_ZH, S.NAME, S.TIME_TEXT, S.TIME_START, S.GRANULARITY, S.TIME_SOURCE,
       S.MOVEMENT, S.CERTAINTY, S.ROLE]]

# %%
timeline.groupby([S.MOVEMENT, S.CERTAINTY]).size().unstack(fill_value=0)

# %% [markdown]
# ## The route
#
# Reported stops of one article in order, joined into legs.

# %%
route = an.route(timeline, article_id=articles[S.ARTICLE_ID].iloc[0])
route

# %%
route.stops[[S.STOP, S.NAME_ZH, S.NAME, S.TIME_START, S.TIME_TEXT, S.MOVEMENT, S.EVIDENCE]]

# %% [markdown]
# ## Plots
#
# Events on a time axis (a bar where the time is coarser than a day), and the map with the
# numbered route.

# %%
an.plot_timeline(timeline, labels=LABELS);

# %%
an.plot_map(route, labels=LABELS);

# %% [markdown]
# ## Animation
#
# The route drawn leg by leg; `to_jshtml()` gives a self-contained player.

# %%
anim = an.animate_route(timeline, labels=LABELS)
HTML(anim.to_jshtml())

# %% [markdown]
# ## Explorer
#
# Pick an article, step through its events, filter by certainty, role and feature; map, timeline
# and the evidence sentence redraw together.

# %%
an.explore(articles, labels=LABELS)

# %% [markdown]
# ## Export
#
# Places, timeline and route legs as GeoJSON, GeoParquet and CSV, with sensible file names.

# %%
out = tempfile.mkdtemp(prefix="export-")
files = an.export([timeline, route], out)
[f.name for f in files]

# %% [markdown]
# ## Summary
#
# - The timeline is a GeoDataFrame of events; the route is its reported travel, in order.
# - `plot_timeline`, `plot_map`, `animate_route` and `explore` are views of the same frame;
#   `export` hands it to GIS tools.
