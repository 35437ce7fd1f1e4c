"""Column names and dtypes of every frame the package returns, in one place.

Every stage imports its column names from here, so a rename is one edit and the frames stay
consistent across modules, notebooks and exports.

Conventions
-----------
- Offsets (``start``, ``end``) are Python string indices into the article's ``text`` column,
  ``end`` exclusive.
- ``published`` is a tz-aware timestamp in UTC. A date-only value ("2023-09-12") is taken as
  midnight UTC of that date, so its calendar date is the stated date. ``published_offset`` keeps
  the source's own UTC offset in minutes when it gave one (NA otherwise); the time normaliser
  works on the article's local wall-clock time, ``published + published_offset``.
- ``time_start`` / ``time_end`` are naive timestamps in the article's local wall-clock time
  (news rarely says which zone), ``time_end`` exclusive.
"""

from __future__ import annotations

from typing import Literal, get_args

# ----------------------------------------------------------------------------- articles
ARTICLE_ID = "article_id"
TITLE = "title"
SECTION = "section"
LANG = "lang"
PUBLISHED = "published"
PUBLISHED_OFFSET = "published_offset"
SOURCE = "source"
URL = "url"
AUTHOR = "author"
PATH = "path"
TEXT = "text"
#: the parsed paragraphs and images of ``text`` as JSON (``{"paragraphs": [[kind, start, end],
#: ...], "images": [{...}]}``), so the structure travels with the frame (Parquet, Dask
#: workers, a fresh process); NA when the article came from a DataFrame (derived from ``text``)
STRUCTURE = "structure"

ARTICLE_DTYPES: dict[str, str] = {
    ARTICLE_ID: "string",
    TITLE: "string",
    SECTION: "string",
    LANG: "string",
    PUBLISHED: "datetime64[ns, UTC]",
    PUBLISHED_OFFSET: "Int32",
    SOURCE: "string",
    URL: "string",
    AUTHOR: "string",
    PATH: "string",
    TEXT: "string",
    STRUCTURE: "string",
}
ARTICLE_COLUMNS = list(ARTICLE_DTYPES)

# ----------------------------------------------------------------------------- paragraphs / images
PARAGRAPH = "paragraph"  # 0-based index of the paragraph within the article
KIND = "kind"
START = "start"
END = "end"

ParagraphKind = Literal["heading", "lead", "body", "image_caption", "image_credit", "quote", "list"]
PARAGRAPH_KINDS: tuple[str, ...] = get_args(ParagraphKind)
PARAGRAPH_DTYPES: dict[str, str] = {
    ARTICLE_ID: "string",
    PARAGRAPH: "Int64",
    KIND: "string",
    START: "Int64",
    END: "Int64",
    TEXT: "string",
}
PARAGRAPH_COLUMNS = list(PARAGRAPH_DTYPES)

IMAGE = "image"
FILE = "file"
CREDIT = "credit"
CAPTION = "caption"
ALT = "alt"
IMAGE_DTYPES: dict[str, str] = {
    ARTICLE_ID: "string",
    IMAGE: "Int64",  # 0-based index of the image within the article
    FILE: "string",
    ALT: "string",
    CREDIT: "string",
    CAPTION: "string",
    # offsets of the caption in the article text, so captions stay addressable as evidence
    START: "Int64",
    END: "Int64",
}
IMAGE_COLUMNS = list(IMAGE_DTYPES)

# ----------------------------------------------------------------------------- places
SURFACE = "surface"
PLACE_ID = "place_id"
NAME = "name"
NAME_ZH = "name_zh"
FEATURE = "feature"
COUNTRY_CODE = "country_code"
LATITUDE = "latitude"
LONGITUDE = "longitude"
GEOMETRY = "geometry"
CONFIDENCE = "confidence"
ROLE = "role"
REASON = "reason"
ALTERNATIVES = "alternatives"
Role = Literal["literal", "metonymic"]
ROLES: tuple[str, ...] = get_args(Role)
# feature classes used in the gazetteer and in ``feature``; ordered by default importance
FEATURES = (
    "continent", "country", "region", "admin1", "admin2", "capital", "city", "town", "village",
    "district", "station", "border_crossing", "airport", "spaceport", "port", "military_base",
    "building", "landmark", "island", "sea", "river", "lake", "mountain", "strait", "other",
)

PLACE_DTYPES: dict[str, str] = {
    ARTICLE_ID: "string",
    PARAGRAPH: "Int64",
    START: "Int64",
    END: "Int64",
    SURFACE: "string",
    PLACE_ID: "string",  # "geonames:2014006" or "curated:khasan-station"
    NAME: "string",  # English name
    NAME_ZH: "string",
    FEATURE: "string",
    COUNTRY_CODE: "string",
    LATITUDE: "float64",
    LONGITUDE: "float64",
    CONFIDENCE: "float64",  # 0..1
    ROLE: "string",  # literal / metonymic
    REASON: "string",  # why unresolved, or NA
    ALTERNATIVES: "object",  # list of runner-up place_ids, best first
}
PLACE_COLUMNS = list(PLACE_DTYPES) + [GEOMETRY]

# ----------------------------------------------------------------------------- times
VALUE = "value"
MOD = "mod"
TIME_START = "time_start"
TIME_END = "time_end"
GRANULARITY = "granularity"
TimeKind = Literal["date", "time", "duration", "set"]
TIME_KINDS: tuple[str, ...] = get_args(TimeKind)
GRANULARITIES = (
    "century", "decade", "year", "half", "quarter", "season", "month", "week", "day",
    "part_of_day", "hour", "minute", "second",
)
TIME_DTYPES: dict[str, str] = {
    ARTICLE_ID: "string",
    START: "Int64",
    END: "Int64",
    SURFACE: "string",
    VALUE: "string",  # TIMEX3 value
    MOD: "string",  # TIMEX3 mod (APPROX, START, BEFORE, ...) or NA
    TIME_START: "datetime64[ns]",
    TIME_END: "datetime64[ns]",
    GRANULARITY: "string",
    KIND: "string",
    # why time_start/time_end are NaT although value names a date, or NA: "out_of_range" when
    # pandas cannot hold the date (outside 1677-09-21 .. 2262-04-11); value keeps the TIMEX3
    # reading whatever its range ("9999-12-31", "BC0221")
    REASON: "string",
}
TIME_COLUMNS = list(TIME_DTYPES)

# ----------------------------------------------------------------------------- timeline
SEQ = "seq"
TIME_TEXT = "time_text"
TIME_SOURCE = "time_source"  # expression / paragraph / coreference / previous / published / …
MOVEMENT = "movement"
CERTAINTY = "certainty"
EVIDENCE = "evidence"
EVIDENCE_START = "evidence_start"
EVIDENCE_END = "evidence_end"
OFFSET_KM = "offset_km"
OFFSET_BEARING = "offset_bearing"
ACTOR = "actor"
Movement = Literal["depart", "arrive", "enter", "pass", "stay", "toward", "meet", "visit", "mention"]
MOVEMENTS: tuple[str, ...] = get_args(Movement)
Certainty = Literal["reported", "expected", "speculated", "negated"]
CERTAINTIES: tuple[str, ...] = get_args(Certainty)
# coreference: the time of the same event told elsewhere in the article
# background: an undated event of a sentence telling what happened before the news (此前, earlier)
TimeSource = Literal["expression", "paragraph", "coreference", "previous", "published", "background"]
TIME_SOURCES: tuple[str, ...] = get_args(TimeSource)

TIMELINE_DTYPES: dict[str, str] = {
    ARTICLE_ID: "string",
    SEQ: "Int64",  # story order of the event within its article
    PLACE_ID: "string",
    NAME: "string",
    NAME_ZH: "string",
    SURFACE: "string",
    START: "Int64",  # the place mention's offsets
    END: "Int64",
    LATITUDE: "float64",
    LONGITUDE: "float64",
    TIME_START: "datetime64[ns]",
    TIME_END: "datetime64[ns]",
    TIME_TEXT: "string",
    GRANULARITY: "string",
    TIME_SOURCE: "string",
    MOVEMENT: "string",
    CERTAINTY: "string",
    ROLE: "string",
    EVIDENCE: "string",
    EVIDENCE_START: "Int64",
    EVIDENCE_END: "Int64",
    FEATURE: "string",  # the place's feature class and ISO country, as find_places gives them
    COUNTRY_CODE: "string",
    PUBLISHED: "datetime64[ns, UTC]",  # the article's, so a route can say when a stop was reported
    # a relative position ("20 miles west of X"): latitude/longitude are the shifted point, this
    # far (km, about as uncertain as a fifth of it) and in this direction (degrees) from the place
    OFFSET_KM: "Float64",
    OFFSET_BEARING: "Float64",
    ACTOR: "string",  # whose movement: NA for the story's traveller, else e.g. "journalist"
}
TIMELINE_COLUMNS = list(TIMELINE_DTYPES) + [GEOMETRY]

# ----------------------------------------------------------------------------- route
STOP = "stop"  # 1-based order of a stop on the route
FROM = "from"
TO = "to"
FROM_PLACE_ID = "from_place_id"
TO_PLACE_ID = "to_place_id"
SOURCES = "sources"
N_SOURCES = "n_sources"
FIRST_REPORTED = "first_reported"
LAST_REPORTED = "last_reported"
CONFLICT = "conflict"
ROUTE_STOP_DTYPES: dict[str, str] = {
    ARTICLE_ID: "string",
    STOP: "Int64",
    PLACE_ID: "string",
    NAME: "string",
    NAME_ZH: "string",
    SURFACE: "string",
    MOVEMENT: "string",  # the movements at this stop in order, e.g. "enter, depart"
    LATITUDE: "float64",
    LONGITUDE: "float64",
    TIME_START: "datetime64[ns]",
    TIME_END: "datetime64[ns]",
    TIME_TEXT: "string",
    GRANULARITY: "string",
    TIME_SOURCE: "string",
    EVIDENCE: "string",
    EVIDENCE_START: "Int64",
    EVIDENCE_END: "Int64",
    FEATURE: "string",
    COUNTRY_CODE: "string",
    SOURCES: "object",  # list of the article ids that report the stop
    N_SOURCES: "Int64",
    FIRST_REPORTED: "datetime64[ns, UTC]",  # earliest and latest ``published`` of those articles
    LAST_REPORTED: "datetime64[ns, UTC]",
    CONFLICT: "string",  # NA, or what the reports disagree on ("day", "place")
    OFFSET_KM: "Float64",
    OFFSET_BEARING: "Float64",
}
ROUTE_STOP_COLUMNS = list(ROUTE_STOP_DTYPES) + [GEOMETRY]
LEG_DTYPES: dict[str, str] = {
    ARTICLE_ID: "string",
    FROM: "string",  # place names
    TO: "string",
    FROM_PLACE_ID: "string",
    TO_PLACE_ID: "string",
    START: "datetime64[ns]",  # time_start of the leg's first stop
    END: "datetime64[ns]",  # time_start of its last stop
    MOVEMENT: "string",  # how the leg ends: the movement at its last stop
    CERTAINTY: "string",
}
LEG_COLUMNS = list(LEG_DTYPES) + [GEOMETRY]

CRS = "EPSG:4326"


def empty_frame(dtypes: dict[str, str]):
    """Return an empty DataFrame with the given column dtypes."""
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in dtypes.items()})


def coerce(frame, dtypes: dict[str, str]):
    """Return ``frame`` with the schema's columns in order and cast to their dtypes."""
    import pandas as pd

    out = frame.copy()
    for col, dtype in dtypes.items():
        if col not in out.columns:
            out[col] = pd.Series(pd.NA, index=out.index, dtype=dtype if dtype != "object" else None)
        elif dtype != "object":
            out[col] = out[col].astype(dtype)
    rest = [c for c in out.columns if c not in dtypes]
    return out[list(dtypes) + rest]


# ----------------------------------------------------------------------------- enumerations
# The column enumerations above are ``Literal`` types with their tuples read from them (one list of
# values each); these are the arguments' own.
#: what a call does with a bad file or record
Errors = Literal["raise", "warn", "ignore"]
#: the language of a view's labels ("auto": the articles' own)
Labels = Literal["auto", "zh", "en"]
#: how views draw metonymic mentions ("Moscow said")
Metonyms = Literal["hide", "grey", "gray"]
