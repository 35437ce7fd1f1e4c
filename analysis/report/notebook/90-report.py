# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # News geotimeline report
#
# Where the news says things happened, and when: the places each article names, the events the
# text ties to them, and the route they trace. Every table quotes its evidence from the article.
# Rendered by `make report` or `python -m analysis report PATH… -o report.html`; the code that
# made it lives in `notebooks/90-report.ipynb`.

# %% tags=["parameters"]
ARTICLES = "../data/articles"  # an article file, folder or glob, or a list of them
LABELS = "auto"  # place labels: "auto" (each article's language), "zh" or "en"

# %%
import html
import warnings

import pandas as pd
from IPython.display import HTML, display

import analysis as an
from analysis import schema as S
from analysis.report.render import evidence_column, figure_html, format_when, table_html

# a stray file in the folder should not sink the report: it is skipped and named below
with warnings.catch_warnings(record=True) as load_warnings:
    warnings.simplefilter("always")
    articles = an.load_articles(ARTICLES, errors="warn")
places = an.find_places(articles)
times = an.find_times(articles)
timeline = an.build_timeline(articles, places=places, times=times)


def use_zh(lang) -> bool:
    """Chinese labels for this article's language under the LABELS parameter."""
    if LABELS != "auto":
        return LABELS == "zh"
    return isinstance(lang, str) and lang.lower().startswith("zh")


MAPS_PER_ARTICLE = 8  # above this many routes, only the overview map is drawn


def place_label(row, zh: bool) -> str:
    """The place's name in the label language, falling back to what the article wrote."""
    first = row.get(S.NAME_ZH) if zh else row.get(S.NAME)
    for value in (first, row.get(S.NAME), row.get(S.SURFACE)):
        if isinstance(value, str) and value:
            return value
    return "?"


lang_of = dict(zip(articles[S.ARTICLE_ID], articles[S.LANG], strict=True))


def plain_title(title, source) -> str:
    """The title without a trailing site name ("… | Harbour News"), which the source column shows."""
    if not isinstance(title, str) or not title:
        return "(untitled)"
    if isinstance(source, str) and source:
        for sep in (" | ", " - ", " – ", " — ", "｜"):
            if title.endswith(sep + source):
                return title[: -len(sep + source)].strip()
    return title


title_of = {a: plain_title(t, s) for a, t, s in zip(
    articles[S.ARTICLE_ID], articles[S.TITLE], articles[S.SOURCE], strict=True)}
routes = {}
for aid in articles[S.ARTICLE_ID]:
    if (timeline[S.ARTICLE_ID] == aid).any():
        stops = an.route(timeline, article_id=aid).stops
        if len(stops):
            routes[aid] = stops

# %% [markdown]
# ## At a glance

# %%
resolved = places[places[S.LATITUDE].notna()]
counts = pd.DataFrame({
    "places": places.groupby(S.ARTICLE_ID).size(),
    "events": timeline[timeline[S.MOVEMENT] != "mention"].groupby(S.ARTICLE_ID).size(),
}).reindex(articles[S.ARTICLE_ID]).fillna(0).astype(int)
overview = articles.assign(
    title=[title_of[a] for a in articles[S.ARTICLE_ID]],
    published_day=articles[S.PUBLISHED].dt.strftime("%Y-%m-%d"),
    places=counts["places"].to_numpy(),
    events=counts["events"].to_numpy(),
    stops=[len(routes.get(a, ())) for a in articles[S.ARTICLE_ID]],
)
display(HTML(
    f"<p class='report-meta'>Rendered {pd.Timestamp.now():%Y-%m-%d %H:%M} with news-geotimeline "
    f"{html.escape(an.__version__)} · {len(articles)} article(s) · {len(places)} place mentions of "
    f"{resolved[S.PLACE_ID].nunique()} places ({len(places) - len(resolved)} unresolved) · "
    f"{int((timeline[S.MOVEMENT] != 'mention').sum())} movement events · "
    f"{sum(len(s) for s in routes.values())} route stops</p>"
))
for w in load_warnings:
    display(HTML(f"<p class='report-meta'>⚠ {html.escape(str(w.message))}</p>"))
table_html(overview, columns={S.TITLE: "title", S.SOURCE: "source", "published_day": "published",
                              S.LANG: "language", "places": "place mentions",
                              "events": "movement events", "stops": "route stops"})

# %% [markdown]
# ## Routes
#
# The reported travel stops of each article in the order they happened, then each stop with the
# time the text gives it and the sentence that says so (the place highlighted).

# %%
for aid, stops in routes.items():
    zh = use_zh(lang_of[aid])
    names = [place_label(r, zh) for _, r in stops.iterrows()]
    line = [n for i, n in enumerate(names) if i == 0 or n != names[i - 1]]
    last = str(stops.iloc[-1][S.MOVEMENT]).split(", ")[-1]
    tail = {"toward": " (heading toward)"}.get(last, "")
    display(HTML(
        f"<h3>{html.escape(title_of[aid])}</h3>"
        f"<p class='report-route'>{' → '.join(html.escape(n) for n in line)}"
        f"{html.escape(tail)}</p>"
    ))
    table = stops.assign(place=names, evidence_html=evidence_column(stops), when=[
        format_when(a, b, g, "zh" if zh else "en") for a, b, g in zip(
            stops[S.TIME_START], stops[S.TIME_END], stops[S.GRANULARITY], strict=True)])
    display(table_html(table, columns={
        S.STOP: "#", "place": "place", "when": "time", S.TIME_TEXT: "as written",
        S.TIME_SOURCE: "time from", S.MOVEMENT: "movement", "evidence_html": "evidence"}))
    if 1 < len(routes) <= MAPS_PER_ARTICLE:  # with several stories, each route on its own map too
        display(figure_html(
            an.plot_map(an.route(timeline, article_id=aid), labels=LABELS, figsize=(7, 5.5)),
            caption=f"Route: {title_of[aid]}", css_class="report-route-map"))
if not routes:
    display(HTML("<p>No article reports travel between places.</p>"))

# %% [markdown]
# ## The story across the articles
#
# When several articles report one journey, their stops merge into one route in time order; each
# stop names the articles that report it (shown only when there are several articles).

# %%
if len(articles) > 1 and len(timeline):
    story = an.route(timeline).stops
    zh_story = use_zh(articles[S.LANG].mode().iat[0] if len(articles) else None)
    if len(story):
        names = [place_label(r, zh_story) for _, r in story.iterrows()]
        sources = story[S.SOURCES] if S.SOURCES in story.columns else [[]] * len(story)
        display(HTML(
            f"<h3>The story across {len(articles)} articles</h3>"
            f"<p class='report-route'>{' → '.join(html.escape(n) for n in names)}</p>"))
        display(table_html(story.assign(
            place=names, evidence_html=evidence_column(story),
            when=[format_when(a, b, g, "zh" if zh_story else "en") for a, b, g in zip(
                story[S.TIME_START], story[S.TIME_END], story[S.GRANULARITY], strict=True)],
            reported_by=["; ".join(title_of.get(x, x) for x in (v if isinstance(v, list) else []))
                         for v in sources]),
            columns={"place": "place", "when": "time", S.MOVEMENT: "movement",
                     "reported_by": "reported by", "evidence_html": "evidence"}))

# %% [markdown]
# ## Map
#
# Numbered discs are route stops with their dates, one colour per article when there are several;
# solid arrows are reported legs, dashed ones expected, dotted speculated. Places named as
# governments (Moscow for the Russian government) are left off.

# %%
figure_html(an.plot_map(timeline, labels=LABELS, figsize=(9, 7.5), titles=title_of),
            caption="Places and routes named in the articles", alt="Map of places and routes",
            css_class="report-map")

# %% [markdown]
# ## Timeline
#
# Events on a time axis, one row per place: a point for a day or finer, a bar for a coarser time
# (a month, a year).

# %%
figure_html(an.plot_timeline(timeline, labels=LABELS),
            caption="Events in time", alt="Timeline of events", css_class="report-timeline")

# %% [markdown]
# ## The route, leg by leg
#
# Press play, or step with the buttons.

# %%
for aid in routes:
    anim = an.animate_route(timeline[timeline[S.ARTICLE_ID] == aid], labels=LABELS)
    display(HTML(f"<h3>{html.escape(title_of[aid])}</h3>"))
    display(HTML(anim.to_jshtml()))

# %% [markdown]
# ## Places
#
# Every place the articles name, how often, and whether as a place (literal) or as a government
# or institution (metonymic). Unresolved names are listed with the reason.

# %%
zh_all = use_zh(articles[S.LANG].iloc[0]) if len(articles) else False
found = resolved.assign(
    place=[place_label(r, zh_all) for _, r in resolved.iterrows()],
    literal=resolved[S.ROLE].eq("literal").astype(int),
    metonymic=resolved[S.ROLE].eq("metonymic").astype(int),
)
place_table = (
    found.groupby(S.PLACE_ID, sort=False)
    .agg(place=("place", "first"), name=(S.NAME, "first"), feature=(S.FEATURE, "first"),
         country=(S.COUNTRY_CODE, "first"), mentions=(S.SURFACE, "size"),
         literal=("literal", "sum"), metonymic=("metonymic", "sum"),
         written=(S.SURFACE, lambda s: "、".join(dict.fromkeys(s))),
         confidence=(S.CONFIDENCE, "mean"), lat=(S.LATITUDE, "first"), lon=(S.LONGITUDE, "first"))
    .sort_values(["mentions", "literal"], ascending=False)
    .reset_index()
)
display(table_html(place_table, columns={
    "place": "place", "name": "English name", "feature": "feature", "country": "country",
    "mentions": "mentions", "literal": "literal", "metonymic": "metonymic",
    "written": "as written", "confidence": "confidence", "lat": "lat", "lon": "lon",
    S.PLACE_ID: "id"}))
unresolved = places[places[S.LATITUDE].isna()]
if len(unresolved):
    display(table_html(
        unresolved.groupby([S.SURFACE, S.REASON], dropna=False).size().rename("mentions")
        .reset_index(), caption="Names not placed on the map"))

# %% [markdown]
# ## Events and their evidence
#
# What the text says happened at each place (``movement``) and how sure it is (``certainty``:
# reported, expected, speculated, negated), in time order, with the sentence it comes from.

# %%
def short(title: str, n: int = 22) -> str:
    """A title cut to fit a table column (the full titles are in the table at the top)."""
    return title if len(title) <= n else title[: n - 1] + "…"


def event_table(frame):
    zh = [use_zh(lang_of.get(a)) for a in frame[S.ARTICLE_ID]]
    return frame.assign(
        article=[short(title_of.get(a, a)) for a in frame[S.ARTICLE_ID]],
        place=[place_label(r, z) for (_, r), z in zip(frame.iterrows(), zh, strict=True)],
        evidence_html=evidence_column(frame),
        when=[format_when(a, b, g) for a, b, g in zip(
            frame[S.TIME_START], frame[S.TIME_END], frame[S.GRANULARITY], strict=True)],
    )


columns = {"when": "time", S.TIME_TEXT: "as written", "place": "place",
           S.MOVEMENT: "movement", S.CERTAINTY: "certainty", S.ROLE: "role",
           "evidence_html": "evidence"}
if len(articles) > 1:
    columns = {"article": "article", **columns}
moves = timeline[timeline[S.MOVEMENT] != "mention"]
display(table_html(event_table(moves), columns=columns,
                   caption=f"{len(moves)} movement events"))
rest = timeline[timeline[S.MOVEMENT] == "mention"]
display(HTML(
    f"<details><summary>{len(rest)} further mentions (places named without movement)</summary>"
    + table_html(event_table(rest), columns=columns).data + "</details>"
))

# %% [markdown]
# ## Explore the map
#
# Pan and zoom; click a numbered stop for its time, movement and evidence sentence; drag the time
# slider to see the journey up to a day, untick a certainty to hide it. The table under the map
# follows the same filters. It runs in the page itself (no Python kernel, no network).

# %%
an.map_interactive(timeline, labels=LABELS, titles=title_of)

# %% [markdown]
# ## Summary
#
# - The route line and the numbered map stops are the article's reported travel, in time order;
#   expected and speculated destinations are drawn but not counted as stops.
# - Times are as the text gives them, resolved against the publication date; "as written" keeps
#   the words, so a reader can check each step against its evidence sentence.
# - Names the gazetteer could not place are listed above rather than guessed.
