"""A CJK web font subset, so Chinese text reads on a machine without CJK fonts (no □).

The glyphs come from Noto Sans CJK (SIL OFL 1.1, the ``noto-cjk-sans-otc`` package the static maps
use too), subset to the characters a page shows and embedded as a WOFF ``data:`` URI.
"""

from __future__ import annotations

import base64
import functools
import io
import logging
import re
from importlib import resources

__all__ = ["CJK_CHARS", "CJK_FAMILY", "cjk_font_face"]

logger = logging.getLogger(__name__)

CJK_FAMILY = "Report CJK"
CJK_CHARS = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef]")
_FAMILIES = {"zh-Hant": "Noto Sans CJK TC", "zh": "Noto Sans CJK SC"}


def cjk_font_face(text: str, *, family: str = CJK_FAMILY, lang: str = "zh") -> str:
    """An ``@font-face`` rule holding just the CJK glyphs of ``text`` ("" when it has none).

    Parameters
    ----------
    text : str
        Everything the page may show (labels, titles, options, sentences).
    family : str
        The CSS family name the rule defines; put it first in the page's ``font-family``.
    lang : {"zh", "zh-Hant"}
        Which Noto face draws the glyphs (traditional text takes the TC face's forms).

    Returns
    -------
    str
        A CSS rule limited by ``unicode-range`` to CJK code points, so Latin text keeps the
        reader's fonts.

    Examples
    --------
    >>> "font-face" in cjk_font_face("平壤")
    True
    """
    chars = "".join(sorted(set(CJK_CHARS.findall(text or ""))))
    if not chars:
        return ""
    data = _subset(chars, _FAMILIES.get(lang, _FAMILIES["zh"]))
    if not data:
        return ""
    b64 = base64.b64encode(data).decode("ascii")
    return (f'@font-face {{ font-family: "{family}"; font-style: normal; font-weight: 100 900; '
            f"unicode-range: U+2E80-9FFF, U+F900-FAFF, U+FF00-FFEF; "
            f'src: url(data:font/woff;base64,{b64}) format("woff"); }}\n')


@functools.lru_cache(maxsize=8)
def _subset(chars: str, face: str) -> bytes:
    """WOFF bytes of the Noto CJK face ``face`` cut down to ``chars``."""
    try:
        font_file = resources.files("noto_cjk_sans_otc").joinpath("NotoSansCJK-Regular.ttc")
        from fontTools import subset
        from fontTools.ttLib import TTFont
    except ImportError as exc:  # pragma: no cover - both are install requirements
        logger.info("no CJK font embedded (%s)", exc)
        return b""
    with resources.as_file(font_file) as path:
        font = TTFont(str(path), fontNumber=_font_number(str(path), face))
    options = subset.Options()
    options.flavor = "woff"  # zlib-compressed; woff2 would need brotli
    options.hinting = False
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    logger.info("embedded %d CJK glyphs (%d kB)", len(chars), len(buf.getvalue()) // 1024)
    return buf.getvalue()


@functools.lru_cache(maxsize=4)
def _font_number(path: str, family: str) -> int:
    """Index of ``family`` in a font collection (0 when it is not found)."""
    from fontTools.ttLib import TTCollection

    collection = TTCollection(path, lazy=True)
    for i, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == family:
            return i
    return 0
