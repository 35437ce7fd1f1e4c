"""Export places, timelines and routes as GeoJSON, GeoParquet and CSV, with sensible file names.

One call writes every requested format of every frame it is given::

    an.export([places, timeline, an.route(timeline)], "out/")
    # out/kim-jong-un-enters-russia-places.geojson, ...-timeline.parquet, ...-route.csv, ...

Files are written atomically (a temporary file in the target folder, then ``os.replace``), so a
reader never sees half a file and an interrupted run leaves the previous export intact.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from analysis import schema as S
from analysis.io.atomic import atomic_write

logger = logging.getLogger(__name__)

__all__ = ["export"]

FORMATS = {"geojson": ".geojson", "parquet": ".parquet", "csv": ".csv"}
_SUFFIX_FORMAT = {".geojson": "geojson", ".json": "geojson", ".parquet": "parquet",
                  ".geoparquet": "parquet", ".csv": "csv"}


# ----------------------------------------------------------------------------- what is exported
def _kind(frame) -> str:
    """``places``, ``timeline``, ``route`` or ``data``: the file-name suffix for a frame."""
    cols = set(frame.columns)
    if S.MOVEMENT in cols or S.CERTAINTY in cols:
        return "timeline"
    if S.ROLE in cols or S.FEATURE in cols or S.ALTERNATIVES in cols:
        return "places"
    geom = frame.geometry if hasattr(frame, "geometry") and S.GEOMETRY in cols else None
    if geom is not None and len(geom) and (geom.geom_type == "LineString").any():
        return "route"
    return "data"


def _route_frames(route) -> list[tuple[str, Any]]:
    """A Route's legs (LineStrings) and stops (points), as ``route-legs`` and ``route-stops``."""
    return [("route-legs", route.legs), ("route-stops", route.stops)]


def _items(obj) -> list[tuple[str, Any]]:
    """``[(kind, frame), ...]`` from a frame, a Route, or a list/dict of them."""
    import pandas as pd

    if isinstance(obj, pd.DataFrame):
        return [(_kind(obj), obj)]
    if hasattr(obj, "legs") and hasattr(obj, "stops"):
        return _route_frames(obj)
    if isinstance(obj, Mapping):
        out = []
        for key, value in obj.items():
            parts = _items(value)
            if len(parts) == 1:
                out.append((str(key), parts[0][1]))
            else:  # a Route under a key: "<key>-legs", "<key>-stops"
                out.extend((f"{key}-{kind.split('-')[-1]}", frame) for kind, frame in parts)
        return out
    if isinstance(obj, Iterable) and not isinstance(obj, str | bytes | os.PathLike):
        out = [item for value in obj for item in _items(value)]
        if out:
            return out
    raise TypeError(
        "export expects a DataFrame/GeoDataFrame (places, timeline), an analysis.Route, or a "
        f"list or dict of them; got {type(obj).__name__}"
    )


def _slug(text: str) -> str:
    """A file-name-safe version of ``text`` (letters of any script, digits, dot, dash)."""
    slug = re.sub(r"[^\w.-]+", "-", str(text), flags=re.UNICODE).strip("-.")
    return slug[:80] or "export"


def _default_name(items) -> str:
    ids = set()
    for _, frame in items:
        if S.ARTICLE_ID in frame.columns:
            ids |= set(frame[S.ARTICLE_ID].dropna().astype(str))
    return _slug(ids.pop()) if len(ids) == 1 else "export"


# ----------------------------------------------------------------------------- value conversion
def _json_default(value):
    """JSON for what ``json`` does not know: timestamps, numpy scalars, arrays, sets."""
    import numpy as np
    import pandas as pd

    if isinstance(value, pd.Timestamp | np.datetime64):
        return pd.Timestamp(value).isoformat()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.ndarray | set | frozenset | tuple):
        return list(value)
    return str(value)


def _is_nested(value) -> bool:
    import numpy as np

    return isinstance(value, list | tuple | dict | set | frozenset | np.ndarray)


def _nested_columns(frame) -> list[str]:
    """Object columns holding lists or dicts (``alternatives``): JSON strings in CSV and GeoJSON."""
    out = []
    for col in frame.columns:
        if col == S.GEOMETRY or frame[col].dtype != object:
            continue
        if frame[col].map(_is_nested).any():
            out.append(col)
    return out


def _to_json_text(value):
    if _is_nested(value):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    return value


def _scalar(value):
    """A JSON-ready property value."""
    import pandas as pd

    if _is_nested(value):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, str | bool | int):
        return value
    return _json_default(value) if not isinstance(value, float) else (
        None if math.isnan(value) else value)


def _geo(frame):
    """``frame`` as a GeoDataFrame in EPSG:4326 (points from latitude/longitude when needed)."""
    import geopandas as gpd

    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns:
        gdf = frame
    elif S.GEOMETRY in frame.columns:
        gdf = gpd.GeoDataFrame(frame, geometry=S.GEOMETRY, crs=S.CRS)
    elif S.LATITUDE in frame.columns and S.LONGITUDE in frame.columns:
        gdf = gpd.GeoDataFrame(
            frame, geometry=gpd.points_from_xy(frame[S.LONGITUDE], frame[S.LATITUDE]), crs=S.CRS
        )
    else:
        return None
    if gdf.crs is None:
        gdf = gdf.set_crs(S.CRS)
    elif gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(S.CRS)
    return _null_unlocated(gdf)


def _null_unlocated(gdf):
    """Unresolved places (``POINT (NaN NaN)``) get a null geometry: GeoJSON has no NaN."""
    import shapely

    geoms = gdf.geometry.values
    coords_nan = shapely.is_empty(geoms) | ~shapely.is_valid_input(geoms)
    points = shapely.get_type_id(geoms) == 0
    if points.any():
        xy = shapely.get_coordinates(geoms[points & ~coords_nan])
        bad = ~(xy == xy).all(axis=1)  # NaN != NaN
        idx = (points & ~coords_nan).nonzero()[0][bad]
        coords_nan[idx] = True
    if not coords_nan.any():
        return gdf
    out = gdf.copy()
    col = out.geometry.name
    out[col] = [None if n else g for g, n in zip(geoms, coords_nan, strict=True)]
    return out.set_geometry(col, crs=gdf.crs)


# ----------------------------------------------------------------------------- writers
def _write_geojson(frame, path: Path) -> None:
    """A GeoJSON FeatureCollection (RFC 7946: WGS84), nested values as JSON strings."""
    from shapely.geometry import mapping

    gdf = _geo(frame)
    geom_col = gdf.geometry.name if gdf is not None else None
    props = [c for c in frame.columns if c != geom_col]
    features = []
    source = gdf if gdf is not None else frame
    geoms = gdf.geometry.tolist() if gdf is not None else [None] * len(frame)
    for geom, record in zip(geoms, source[props].to_dict("records"), strict=True):
        features.append({
            "type": "Feature",
            "properties": {k: _scalar(v) for k, v in record.items()},
            "geometry": None if geom is None or geom.is_empty else mapping(geom),
        })
    with open(path, "w", encoding="utf-8") as fh:
        json.dump({"type": "FeatureCollection", "features": features}, fh, ensure_ascii=False,
                  default=_json_default)


def _write_parquet(frame, path: Path) -> None:
    """GeoParquet when the rows have a location, plain Parquet otherwise; lists stay lists."""
    out = frame.copy()
    for col in _nested_columns(out):
        values = out[col].dropna()
        flat = all(isinstance(v, list | tuple) and all(isinstance(x, str) for x in v)
                   for v in values if _is_nested(v))
        mixed = any(not _is_nested(v) for v in values)
        if not flat or mixed:  # Arrow needs one type per column: fall back to JSON text
            out[col] = out[col].map(_to_json_text)
        else:
            out[col] = out[col].map(lambda v: list(v) if _is_nested(v) else None)
    gdf = _geo(out)
    if gdf is not None:
        gdf.to_parquet(path, index=False)
    else:
        out.to_parquet(path, index=False)


def _write_csv(frame, path: Path) -> None:
    """CSV (UTF-8): geometry as WKT, nested values as JSON strings, timestamps in ISO 8601."""
    import pandas as pd

    gdf = _geo(frame) if S.GEOMETRY in frame.columns else None
    out = pd.DataFrame(gdf if gdf is not None else frame).copy()  # geometry becomes text
    for col in _nested_columns(out):
        out[col] = out[col].map(_to_json_text)
    if S.GEOMETRY in out.columns:
        out[S.GEOMETRY] = pd.Series(
            [None if g is None or getattr(g, "is_empty", True) else g.wkt for g in out[S.GEOMETRY]],
            index=out.index, dtype=object)
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            out[col] = out[col].map(_no_formula)
    out.to_csv(path, index=False, encoding="utf-8", date_format="%Y-%m-%dT%H:%M:%S")


#: a cell starting with one of these is a formula to a spreadsheet (=HYPERLINK(...), +cmd, @SUM)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _no_formula(value):
    """A text cell a spreadsheet would run as a formula, prefixed with ``'`` (shown as text)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _plan(items, formats: list[str], target: Path, stem: str) -> list[tuple[Path, str, Any]]:
    """``(path, format, frame)`` for every file; ValueError when two would share a name.

    Names are slugs, so two dict keys ("Seoul Busan", "Seoul/Busan") can make one file name:
    the second would overwrite the first, so nothing is written and the error names both.
    """
    plan: list[tuple[Path, str, Any]] = []
    labels: dict[Path, str] = {}
    seen: dict[str, int] = {}
    for kind, frame in items:
        seen[kind] = seen.get(kind, 0) + 1
        label = kind if seen[kind] == 1 else f"{kind}{seen[kind]}"
        for fmt in formats:
            path = target / f"{stem}-{_slug(label)}{FORMATS[fmt]}"
            if path in labels:
                raise ValueError(
                    f"{labels[path]!r} and {label!r} would both be written to {path.name}; "
                    "give them names that differ in letters or digits"
                )
            labels[path] = label
            plan.append((path, fmt, frame))
    return plan


_WRITERS: dict[str, Callable[[Any, Path], None]] = {
    "geojson": _write_geojson, "parquet": _write_parquet, "csv": _write_csv,
}


# ----------------------------------------------------------------------------- public API
def export(
    frame_or_route,
    path_or_dir: str | os.PathLike,
    *,
    formats: Iterable[str] = ("geojson", "parquet", "csv"),
    name: str | None = None,
) -> list[Path]:
    """Write places, timelines and route legs as GeoJSON, GeoParquet and CSV.

    Files are named ``<name>-<kind>.<ext>`` where kind is ``places``, ``timeline``,
    ``route-legs`` or ``route-stops`` (a Route gives both), or a dict's keys when a dict is given. List columns such as ``alternatives`` become JSON
    strings in CSV and GeoJSON and stay lists in Parquet. Every file is written atomically.

    Parameters
    ----------
    frame_or_route : GeoDataFrame, Route, or a list/dict of them
        Output of :func:`analysis.find_places`, :func:`analysis.build_timeline` or
        :func:`analysis.route`.
    path_or_dir : str or Path
        A folder (created when missing), or one file whose suffix (``.geojson``, ``.parquet``,
        ``.csv``) picks the single format to write.
    formats : iterable of {"geojson", "parquet", "csv"}
        Formats to write into a folder.
    name : str, optional
        File-name stem; defaults to the article id when all rows share one, else ``"export"``.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> import analysis as an
    >>> timeline = an.build_timeline(an.load_articles("data/articles"))  # doctest: +SKIP
    >>> an.export([timeline, an.route(timeline)], "out", formats=["geojson"])  # doctest: +SKIP
    [PosixPath('out/kim-jong-un-enters-russia-timeline.geojson'), ...]
    """
    items = _items(frame_or_route)
    target = Path(path_or_dir)
    suffix = target.suffix.lower()
    if suffix in _SUFFIX_FORMAT:
        if len(items) != 1:
            raise ValueError(
                f"path_or_dir {str(target)!r} names one file but {len(items)} frames were given; "
                "pass a folder instead"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        writer, frame = _WRITERS[_SUFFIX_FORMAT[suffix]], items[0][1]
        atomic_write(target, lambda tmp: writer(frame, tmp))
        return [target]
    if target.exists() and not target.is_dir():
        raise ValueError(
            f"path_or_dir {str(target)!r} is a file without a .geojson/.parquet/.csv suffix; "
            "pass a folder or a file name ending in one of those"
        )
    formats = [formats] if isinstance(formats, str) else list(formats)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"formats must be a non-empty subset of {sorted(FORMATS)}, got {formats!r}")
    stem = _slug(name) if name else _default_name(items)
    target.mkdir(parents=True, exist_ok=True)
    plan = _plan(items, formats, target, stem)
    paths: list[Path] = []
    for path, fmt, frame in plan:
        atomic_write(path, lambda tmp, w=_WRITERS[fmt], f=frame: w(f, tmp))
        paths.append(path)
    logger.info("exported %d file(s) to %s", len(paths), target)
    return paths
