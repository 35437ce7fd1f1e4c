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
# # Places: the gazetteer, candidates and the places table
#
# How a place name in the text becomes a point on the map: the gazetteer's candidates for a name,
# the context that picks one, and the places table that `analysis.find_places` returns, with
# literal places kept apart from metonyms (Moscow for the Russian government).

# %% tags=["parameters"]
ARTICLES = "../data/articles"  # an article file, folder or glob, or a list of them
LABELS = "auto"  # place labels on the map: "auto" (the article's language), "zh" or "en"

# %%
import analysis as an
from analysis import schema as S

articles = an.load_articles(ARTICLES)

# %% [markdown]
# ## The gazetteer
#
# Built offline from GeoNames, CLDR/ISO country names, Natural Earth and a small curated list
# (stations, spaceports, buildings the news names); loaded once and cached.

# %%
gaz = an.gazetteer()
gaz

# %% [markdown]
# ## Candidates: every place with a name, most important first
#
# Without context a name is ambiguous; `candidates` shows the senses and their context-free prior.

# %%
gaz.candidates("哈桑").head(5)

# %%
gaz.candidates("Washington").head(5)

# %% [markdown]
# ## The places table
#
# One row per mention: offsets into the article, the chosen sense, the `confidence`, the
# runner-up senses (`alternatives`) and the `role`.

# %%
places = an.find_places(articles)
places[[S.SURFACE, S.NAME, S.NAME_ZH, S.FEATURE, S.COUNTRY_CODE, S.CONFIDENCE, S.ROLE,
        S.ALTERNATIVES]].head(20)

# %%
summary = (
    places.groupby([S.NAME, S.FEATURE, S.ROLE], dropna=False).size().rename("mentions")
    .reset_index().sort_values("mentions", ascending=False)
)
summary

# %% [markdown]
# ## Literal places and metonyms
#
# Governments and institutions named by their seat (克里姆林宫, 华盛顿, 五角大楼) are metonymic:
# they are kept in the table but left off the map.

# %%
places[places[S.ROLE] == "metonymic"][[S.SURFACE, S.NAME, S.FEATURE]].drop_duplicates()

# %% [markdown]
# ## Unresolved names
#
# A name the gazetteer cannot place keeps NA coordinates and a `reason`, rather than a guess.

# %%
places[places[S.LATITUDE].isna()][[S.SURFACE, S.REASON]]

# %% [markdown]
# ## The map
#
# Literal places, styled by feature; with a places table there is no route yet (see
# `30-timeline-route`).

# %%
an.plot_map(places, labels=LABELS);

# %% [markdown]
# ## Summary
#
# - `an.gazetteer().candidates(name)` lists the senses of a name; `find_places` picks one per
#   mention from the article's context and says how sure it is.
# - Metonyms and unresolved names stay in the table, marked, instead of being dropped or guessed.
