"""Private parsers behind :func:`analysis.load_articles`: bytes -> text -> article structure.

Every parser returns :class:`Parsed` records: the article ``text`` (paragraphs joined by one blank
line, ``"\\n\\n"``), the metadata the file itself states, and the structure found while parsing
(paragraph kinds with offsets into ``text``, images with their credit and caption). Offsets are
computed while the text is assembled, so they are exact by construction.

Data errors raise :class:`FormatError` with a reason and a fix; the public loader adds the file
name and applies the caller's ``errors=`` policy.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import html as _html
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from analysis import schema as S
from analysis.text import script as _script


class FormatError(ValueError):
    """A data problem in one input (the loader adds the file name)."""


@dataclass
class Parsed:
    """One article as parsed from its source, before metadata merging."""

    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    paragraphs: list[tuple[str, int, int]] = field(default_factory=list)
    images: list[dict[str, Any]] = field(default_factory=list)
    where: str = ""  # "record 3" for multi-article files
    error: str | None = None  # a record that could not be read (the rest of its file can)
    notes: list[str] = field(default_factory=list)  # repairs made while reading (bytes replaced)


# ----------------------------------------------------------------------------- decoding

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# charset-normalizer only weighs these: the CJK legacy codecs news comes in, plus Windows-1252
# for Western pages, so it never "finds" an exotic codec in a corrupt file.
_CANDIDATES = ["gb18030", "big5", "cp1252"]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


_EMPTY = "the file is empty; remove it or add the article text"


def decode(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` for raw file bytes; raise FormatError for non-text."""
    text, enc, _ = decode_noted(data)
    return text, enc


# a few stray bytes in an otherwise good file are repaired (and reported), not the file lost
_STRAY_SHARE = 1000  # at most one stray byte per this many bytes (and at least 2 are allowed)


def _stray_limit(data: bytes) -> int:
    return max(2, len(data) // _STRAY_SHARE)


def decode_noted(data: bytes) -> tuple[str, str, list[str]]:
    """Return ``(text, encoding, notes)``; notes say which stray bytes were dropped or replaced.

    A file with a few NUL bytes (at most one in :data:`_STRAY_SHARE`, no byte-order mark) has them
    removed; a file that no candidate encoding decodes strictly is decoded by the candidate that
    needs the fewest replacements (U+FFFD), when that is a few. Anything worse is "not a text file".
    """
    if not data.strip():
        raise FormatError(_EMPTY)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as err:
                raise FormatError(
                    f"starts with a {enc} byte-order mark but is not valid {enc} ({err.reason} at "
                    f"byte {err.start}); re-save it as UTF-8"
                ) from None
            if not text.strip():
                raise FormatError(_EMPTY)
            return text, enc, []
    notes: list[str] = []
    nuls = data.count(b"\x00")
    if nuls:
        if nuls > _stray_limit(data):
            raise FormatError(
                "not a text file (it contains NUL bytes: binary data, or UTF-16 without a "
                "byte-order mark); save articles as UTF-8 text, HTML, JSON or CSV"
            )
        first = data.index(b"\x00")
        notes.append(f"removed {nuls} NUL byte(s) (first at byte {first})")
        data = data.replace(b"\x00", b"")
    try:
        text, enc = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, enc, note = _decode_legacy(data)
        if note:
            notes.append(note)
    controls = len(_CONTROL.findall(text, 0, 100_000))
    if controls > max(2, len(text[:100_000]) // 200):
        raise FormatError(
            f"not a text file ({controls} control characters after decoding as {enc}); "
            "save articles as UTF-8 text, HTML, JSON or CSV"
        )
    return text, enc, notes


def _decode_legacy(data: bytes) -> tuple[str, str, str]:
    """Decode non-UTF-8 bytes: charset-normalizer, else the fewest-replacements candidate."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is not None:
        return str(best), best.encoding, ""
    tries = []
    for enc in ("utf-8", *_CANDIDATES):
        text = data.decode(enc, errors="replace")
        tries.append((text.count("\ufffd"), enc, text))
    bad, enc, text = min(tries, key=lambda t: t[0])  # min keeps the first of equals: utf-8 first
    if bad > _stray_limit(data):
        raise FormatError(
            "could not detect the text encoding (tried UTF-8, GB18030, Big5, Windows-1252): "
            "binary or corrupt data; re-save it as UTF-8"
        )
    first = text.index("\ufffd")
    return text, enc, (f"decoded as {enc} with {bad} undecodable byte sequence(s) replaced by "
                       f"U+FFFD (first at character {first})")


# ----------------------------------------------------------------------------- dates


_DATE_ONLY = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$|^(\d{4})(\d{2})(\d{2})$")
_ZH_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]\s*(.*)$")
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}|T\d{2}")


# "12/03/2024", "12.03.2024 08:30": day and month in an order only the source knows
_NUMERIC_DATE = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T]+(.*))?$")


def ambiguous_date(value: Any) -> tuple[str, str] | None:
    """``(month-first, day-first)`` ISO dates when a numeric date reads validly both ways.

    >>> ambiguous_date("12/03/2024"), ambiguous_date("25/03/2024"), ambiguous_date("3/3/2024")
    (('2024-12-03', '2024-03-12'), None, None)
    """
    m = _NUMERIC_DATE.match(value.strip()) if isinstance(value, str) else None
    if not m:
        return None
    a, b, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
    if a == b or a > 12 or b > 12:
        return None
    return f"{y:04d}-{a:02d}-{b:02d}", f"{y:04d}-{b:02d}-{a:02d}"


def _numeric_date(s: str, dayfirst: bool | None) -> str | None:
    """A numeric date rewritten as ISO in the order ``dayfirst`` says (None: month first when that
    is a valid date, else day first), the time kept; None when ``s`` is not one."""
    m = _NUMERIC_DATE.match(s)
    if not m:
        return None
    a, b, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
    if dayfirst is None:
        dayfirst = a > 12
    d, mo = (a, b) if dayfirst else (b, a)
    _dt.date(y, mo, d)  # raises on an impossible reading ("13/25/2024")
    rest = (m.group(5) or "").strip()
    return f"{y:04d}-{mo:02d}-{d:02d}" + (f" {rest}" if rest else "")


def parse_published(value: Any, dayfirst: bool | None = None) -> tuple[Any, Any]:
    """Return ``(UTC timestamp or NaT, offset)`` as :func:`_parse_published`, inside pandas' range.

    pandas holds timestamps in nanoseconds (1677-09-22 to 2262-04-11); a date outside that range
    (0001-01-01, 9999-12-31) is a ValueError naming the range, not an ``OutOfBoundsDatetime`` later.
    A numeric date ("12/03/2024") is read day first when ``dayfirst`` is True, month first when
    False, and when None month first unless only the day-first reading is a date
    (:func:`ambiguous_date` tells the caller when to warn).
    """
    import pandas as pd

    if isinstance(value, str) and _NUMERIC_DATE.match(value.strip()):
        try:
            value = _numeric_date(value.strip(), dayfirst)
        except ValueError as err:
            raise ValueError(f"invalid published date {value!r} ({err}); write it as "
                             "YYYY-MM-DD or ISO 8601") from None
    ts, offset = _parse_published(value)
    if ts is not pd.NaT:
        try:
            ts = ts.as_unit("ns")
        except (OverflowError, ValueError):
            raise ValueError(
                f"published date {value!r} is outside the supported range 1677-09-22 to "
                "2262-04-11; correct the date"
            ) from None
    return ts, offset


def _parse_published(value: Any) -> tuple[Any, Any]:  # noqa: C901
    """Return ``(UTC timestamp or NaT, source offset in minutes or None)``; ValueError if invalid.

    Date-only values give midnight UTC of that date; naive date-times are taken as UTC (offset
    unknown, None); zoned ones keep their offset.
    """
    import pandas as pd

    if value is None or value is pd.NaT:
        return pd.NaT, None
    if isinstance(value, float) and value != value:
        return pd.NaT, None
    if isinstance(value, pd.Timestamp | _dt.datetime):
        ts = pd.Timestamp(value)
        if ts.tzinfo is None:
            return ts.tz_localize("UTC"), None
        offset = ts.utcoffset()
        return ts.tz_convert("UTC"), int(offset.total_seconds() // 60)
    if isinstance(value, _dt.date):
        return pd.Timestamp(value.year, value.month, value.day, tz="UTC"), None
    if hasattr(value, "dtype") and str(getattr(value, "dtype", "")).startswith("datetime64"):
        value = pd.Timestamp(value)
        if value is pd.NaT:
            return pd.NaT, None
        return _parse_published(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1000_01_01 <= value <= 2999_12_31:
        value = str(value)  # 20230912 written without quotes
    if isinstance(value, bool):
        raise ValueError(f"invalid published date {value!r}; give a date like 2023-09-12")
    if isinstance(value, int | float):
        seconds = value / 1000 if abs(value) > 1e11 else value  # epoch milliseconds or seconds
        return pd.Timestamp(seconds, unit="s", tz="UTC"), 0
    if not isinstance(value, str):
        raise ValueError(f"invalid published date {value!r}; give a date like 2023-09-12")
    s = value.strip()
    if not s:
        return pd.NaT, None
    if not re.search(r"\d", s):  # "now", "today": not a publication date
        raise ValueError(f"invalid published date {value!r}; write it as YYYY-MM-DD or ISO 8601")
    try:
        m = _DATE_ONLY.match(s)
        if m:
            y, mo, d = (int(g) for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
            _dt.date(y, mo, d)  # raises on impossible dates such as 2023-02-30
            return pd.Timestamp(y, mo, d, tz="UTC"), None
        m = _ZH_DATE.match(s)
        if m:
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
            _dt.date(y, mo, d)
            rest = m.group(4).strip()
            if not rest:
                return pd.Timestamp(y, mo, d, tz="UTC"), None
            s = f"{y:04d}-{mo:02d}-{d:02d} {rest}"
        try:
            return _parse_published(_dt.datetime.fromisoformat(s.replace("Z", "+00:00")))
        except ValueError as err:
            if "out of range" in str(err) or "must be in" in str(err):
                raise
        if re.match(r"^[A-Za-z]{3},", s):  # RFC 2822, as in RSS <pubDate>
            from email.utils import parsedate_to_datetime

            try:
                return _parse_published(parsedate_to_datetime(s))
            except (TypeError, ValueError):
                pass
        ts = pd.Timestamp(s)
        if ts is pd.NaT:
            return pd.NaT, None
        if not _HAS_TIME.search(s):
            return pd.Timestamp(ts.year, ts.month, ts.day, tz="UTC"), None
        return _parse_published(ts)
    except (ValueError, OverflowError) as err:
        raise ValueError(
            f"invalid published date {value!r} ({err}); write it as YYYY-MM-DD or ISO 8601"
        ) from None


# ----------------------------------------------------------------------------- language

_LANG_ALIASES = {
    "zh-cn": "zh-Hans", "zh-sg": "zh-Hans", "zh-my": "zh-Hans", "zh-hans": "zh-Hans",
    "zh-hans-cn": "zh-Hans", "chs": "zh-Hans", "zh-tw": "zh-Hant", "zh-hk": "zh-Hant",
    "zh-mo": "zh-Hant", "zh-hant": "zh-Hant", "zh-hant-tw": "zh-Hant", "zh-hant-hk": "zh-Hant",
    "cht": "zh-Hant", "english": "en", "eng": "en", "chinese": "zh", "zho": "zh", "chi": "zh",
}
_BCP47 = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def normalise_lang(value: Any) -> str | None:
    """Return the BCP 47 form of a language tag ("zh_CN" -> "zh-Hans"), or None if not a tag."""
    if value is None or not isinstance(value, str) or not value.strip():
        return None
    tag = value.strip().replace("_", "-")
    low = tag.lower()
    if low in _LANG_ALIASES:
        return _LANG_ALIASES[low]
    if not _BCP47.match(tag):
        return None
    parts = low.split("-")
    out = [parts[0]]
    for p in parts[1:]:
        out.append(p.title() if len(p) == 4 and p.isalpha() else p.upper() if len(p) == 2 else p)
    return "-".join(out)


# ----------------------------------------------------------------------------- text assembly

# Image credit / caption labels as BBC (and others) print them before the value.
_CREDIT_LABELS = (
    "图像来源", "圖像來源", "图片来源", "圖片來源", "图片版权", "圖片版權",
    "Image source", "Image credit", "Photo credit", "Picture source",
)
_CAPTION_LABELS = (
    "图像加注文字", "圖像加註文字", "圖像加注文字", "图片说明", "圖片說明",
    "Image caption", "Photo caption",
)
_LABEL = re.compile(
    r"^(?:(?P<credit>" + "|".join(map(re.escape, _CREDIT_LABELS)) + r")|(?P<caption>"
    + "|".join(map(re.escape, _CAPTION_LABELS)) + r"))\s*[，,:：]\s*",
    re.IGNORECASE,
)


def split_label(paragraph: str) -> tuple[str, int] | None:
    """Return ``(kind, offset of the value)`` when a paragraph starts with a credit/caption label."""
    m = _LABEL.match(paragraph)
    if not m or m.end() >= len(paragraph):
        return None
    return ("image_credit" if m.group("credit") else "image_caption"), m.end()


class Builder:
    """Assemble article text paragraph by paragraph, recording kinds, offsets and images."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.paragraphs: list[tuple[str, int, int]] = []
        self.images: list[dict[str, Any]] = []
        self._open: dict[str, Any] | None = None  # image still collecting its credit/caption

    def add(self, kind: str, text: str) -> None:
        """Append one paragraph; a labelled credit/caption attaches to the open image."""
        text = text.strip()
        if not text:
            return
        offset = 0
        if kind in ("body", "quote", "image_caption", "image_credit"):
            label = split_label(text)
            if label:
                kind, offset = label
        if self.parts:
            self.pos += 2
        start = self.pos
        self.parts.append(text)
        self.pos += len(text)
        span = (start + offset, self.pos)
        self.paragraphs.append((kind, *span))
        if kind in ("image_credit", "image_caption"):
            slot = "credit" if kind == "image_credit" else "caption"
            if self._open is None or self._open[slot] is not None:
                self._open = new_image(None, None)
                self.images.append(self._open)
            if slot == "credit":
                self._open["credit"] = text[offset:]
            else:
                self._open.update(caption=text[offset:], start=span[0], end=span[1])
        else:
            self._open = None

    def image(self, file: str | None, alt: str | None) -> None:
        """Record an image (not part of the text); following credit/caption lines attach to it."""
        self._open = new_image(file or None, alt or None)
        self.images.append(self._open)

    def last(self) -> tuple[str, str] | None:
        """Return ``(kind, text)`` of the last paragraph, if any."""
        if not self.paragraphs:
            return None
        kind, start, end = self.paragraphs[-1]
        return kind, self.parts[-1]

    def done(self, meta: dict[str, Any] | None = None) -> Parsed:
        """Return the Parsed article; the first body paragraph becomes the lead."""
        paras = list(self.paragraphs)
        for i, (kind, s, e) in enumerate(paras):
            if kind == "body":
                paras[i] = ("lead", s, e)
                break
        return Parsed("\n\n".join(self.parts), dict(meta or {}), paras, self.images)


def new_image(file: str | None, alt: str | None) -> dict[str, Any]:
    """Return an empty image record."""
    return {"file": file, "alt": alt, "credit": None, "caption": None, "start": None, "end": None}


def derive_structure(text: str, title: Any = None) -> tuple[list, list]:
    """Re-derive paragraphs and images from ``text`` alone (blank-line paragraphs).

    Used for frames the loader did not parse in this process: a first paragraph equal to the
    title is the heading, labelled lines are image credits/captions, the first body paragraph is
    the lead; everything else is body.
    """
    b = Builder()
    title = " ".join(title.split()) if isinstance(title, str) else None
    paras: list[tuple[str, int, int]] = []
    for m in re.finditer(r"(?:[^\n]|\n(?![ \t\r\f\v]*(?:\n|$)))+", text):
        s, e = m.span()
        chunk = m.group()
        lead_ws = len(chunk) - len(chunk.lstrip())
        s, e = s + lead_ws, e - (len(chunk) - len(chunk.rstrip()))
        if s >= e:
            continue
        para = text[s:e]
        kind, offset = "body", 0
        label = split_label(para)
        if label:
            kind, offset = label
        elif not paras and title and " ".join(para.split()) == title:
            kind = "heading"
        paras.append((kind, s + offset, e))
        if kind in ("image_credit", "image_caption"):
            slot = "credit" if kind == "image_credit" else "caption"
            if b._open is None or b._open[slot] is not None:
                b._open = new_image(None, None)
                b.images.append(b._open)
            if slot == "credit":
                b._open["credit"] = text[s + offset:e]
            else:
                b._open.update(caption=text[s + offset:e], start=s + offset, end=e)
        else:
            b._open = None
    for i, (kind, s, e) in enumerate(paras):
        if kind == "body":
            paras[i] = ("lead", s, e)
            break
    return paras, b.images


_CJK = _script.CJK


def join_lines(lines: list[str]) -> str:
    """Join soft-wrapped lines: no space between two CJK characters, one space otherwise."""
    parts: list[str] = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if parts and not (_CJK.match(parts[-1][-1]) and _CJK.match(line[0])):
            parts.append(" ")
        parts.append(line)
    return "".join(parts)


# ----------------------------------------------------------------------------- front matter


def _yaml_loader():
    """A SafeLoader that keeps dates as strings, so impossible dates get our clear error."""
    import yaml

    class Loader(yaml.SafeLoader):
        def compose_node(self, parent, index):  # refuse aliases: no "billion laughs"
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise FormatError(
                    f"YAML front matter uses an alias (*{event.anchor}) at line "
                    f"{event.start_mark.line + 2}; write the value out instead of '*' references"
                )
            return super().compose_node(parent, index)

    Loader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


_LOADER = None
#: front matter longer than this is refused (metadata is a few lines; this bounds parse work)
FRONT_MATTER_LIMIT = 64_000
_FRONT = re.compile(r"\A(?:---|\+\+\+)[ \t]*\n")


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return ``(front matter mapping, body)``; FormatError if the block is malformed."""
    global _LOADER
    m = _FRONT.match(text)
    if not m:
        return {}, text
    fence = text[:3]
    close = re.compile(r"^(?:" + re.escape(fence) + r"|\.\.\.)[ \t]*$", re.M)
    end = close.search(text, m.end())
    if end is None:
        raise FormatError(
            f"front matter opened with '{fence}' on line 1 is never closed; add a '{fence}' "
            "line after the metadata"
        )
    block, body = text[m.end():end.start()], text[end.end():]
    if len(block) > FRONT_MATTER_LIMIT:
        raise FormatError(
            f"front matter is {len(block):,} characters (limit {FRONT_MATTER_LIMIT:,}); keep "
            "metadata short, or check that the closing '---' line is where it should be"
        )
    if fence == "+++":
        import tomllib

        try:
            meta = tomllib.loads(block)
        except tomllib.TOMLDecodeError as err:
            raise FormatError(f"malformed TOML front matter ({err}); fix the +++ block") from None
    else:
        import yaml

        if _LOADER is None:
            _LOADER = _yaml_loader()
        try:
            meta = yaml.load(block, Loader=_LOADER)  # noqa: S506 - SafeLoader subclass
        except yaml.YAMLError as err:
            where = getattr(err, "problem_mark", None)
            line = f" at line {where.line + 2}" if where is not None else ""
            problem = getattr(err, "problem", None) or str(err).splitlines()[0]
            raise FormatError(
                f"malformed YAML front matter{line} ({problem}); fix the block between the "
                "'---' lines (quote values that contain ':' or '[')"
            ) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FormatError(
            "front matter is not a mapping of 'key: value' lines; write e.g. 'title: ...'"
        )
    return {str(k).lower(): v for k, v in meta.items()}, body.lstrip("\n")


def _meta_from_mapping(raw: dict[str, Any]) -> dict[str, Any]:
    """Pick the article fields out of a front matter / JSON mapping by their usual names."""
    out: dict[str, Any] = {}
    keys = {_norm_key(k): k for k in raw}
    for column, aliases in FIELD_ALIASES.items():
        if column == S.TEXT:
            continue
        for alias in aliases:
            if alias in keys:
                value = _scalar(raw[keys[alias]])
                if value is not None and value != "":
                    out[column] = value
                    break
    return out


# ----------------------------------------------------------------------------- markdown

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)")  # the heading text is cut by _atx_text
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_LIST = re.compile(r"^[ \t]{0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+")
_QUOTE = re.compile(r"^ {0,3}>[ ]?")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_REFDEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s+\S+")
# Linear time on hostile input: no repetition may run past the next delimiter of its own kind,
# so an unclosed "[", "_" or "<!--" never makes a regex rescan the rest of a long paragraph.
_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\(\s*<?([^()\s<>]*)>?(?:\s+[\"'][^\"'()\n]*[\"'])?\s*\)")
_LINK = re.compile(r"\[([^\[\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+[\"'][^\"'()\n]*[\"'])?\)")
_REFLINK = re.compile(r"\[([^\[\]\n]+)\]\[[^\[\]\n]*\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>|<!--[^<>]*-->")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")
_STRONG = re.compile(r"\*\*(?=[^\s*])([^*]+?)(?<=[^\s*])\*\*")
_EMPHASIS = (
    _STRONG,
    re.compile(r"(?<!\w)__(?=[^\s_])([^_]+?)(?<=[^\s_])__(?!\w)"),
    re.compile(r"~~(?=[^\s~])([^~]+?)(?<=[^\s~])~~"),
    re.compile(r"(?<![*\w])\*(?=[^\s*])([^*]+?)(?<=[^\s*])\*(?![*\w])"),
    re.compile(r"(?<![_\w])_(?=[^\s_])([^_]+?)(?<=[^\s_])_(?![_\w])"),
    _STRONG,  # **bold with *italics* inside**, once the inner pair is gone
)
_CODE = re.compile(r"`+([^`\n]+?)`+")
_SPACES = re.compile(r"[ \t]+")
_SECTION = re.compile(r"^\[([^\[\]\n]{1,40})\](?!\()\s*")


def _atx_text(rest: str) -> str:
    """The text of an ATX heading after its opening hashes, without closing hashes."""
    rest = rest.strip()
    bare = rest.rstrip("#")
    if bare != rest and (not bare or bare[-1] in " \t"):
        return bare.strip()
    return rest


def _inline(s: str) -> str:
    """Strip inline markdown (emphasis, links, code, tags, escapes) keeping the words."""
    escaped = "\\" in s
    if escaped:
        s = _ESCAPE.sub(lambda m: chr(0xE000 + ord(m.group(1))), s)
    if "`" in s:
        s = _CODE.sub(r"\1", s)
    if "[" in s:
        s = _LINK.sub(r"\1", s)
        s = _REFLINK.sub(r"\1", s)
    if "<" in s:
        s = _AUTOLINK.sub(r"\1", s)
        s = _TAG.sub("", s)
    if "*" in s or "_" in s or "~" in s:
        for rx in _EMPHASIS:
            s = rx.sub(r"\1", s)
    if "&" in s:
        s = _html.unescape(s)
    if escaped:
        s = "".join(chr(ord(c) - 0xE000) if "\ue000" <= c <= "\ue07f" else c for c in s)
    return _SPACES.sub(" ", s).strip()


def parse_markdown(text: str) -> Parsed:
    """Parse markdown (with optional front matter; BBC-style image blocks) into a Parsed article."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta_raw, body = split_front_matter(text)
    reader = _MarkdownBlocks(_meta_from_mapping(meta_raw))
    for line in body.split("\n"):
        reader.feed(line)
    reader.end_quote()
    reader.end_block()
    parsed = reader.b.done(reader.meta)
    heading_title = parsed.meta.pop("_heading", None)
    if heading_title and S.TITLE not in parsed.meta:
        parsed.meta["_derived_title"] = heading_title
    return parsed


def _md_flush(b: Builder, kind: str, lines: list[str]) -> None:
    """Emit one block: images out of the text, labelled lines as their own paragraphs."""
    group: list[str] = []

    def emit() -> None:
        if group:
            b.add(kind, _inline(join_lines(group)))
            group.clear()

    for line in lines:
        if "![" in line:
            images = list(_IMAGE.finditer(line))
            if images:
                emit()
                for m in images:
                    b.image(m.group(2), _inline(m.group(1)))
                line = _IMAGE.sub("", line)
                if not _inline(line):
                    continue  # an image-only line (possibly wrapped in a link)
        if group and _LABEL.match(line.strip()):
            emit()
        group.append(line)
    emit()


class _MarkdownBlocks:
    """Markdown read line by line: the open block (paragraph or list item), quote and fence."""

    def __init__(self, meta: dict[str, Any]) -> None:
        self.meta = meta
        self.b = Builder()
        self.first_heading = True
        self.block: list[str] = []
        self.kind = "body"
        self.quote: list[str] = []
        self.in_fence = False

    def heading(self, raw: str) -> None:
        """Add a heading; the first one may carry a [section] and gives the derived title."""
        title = _inline(raw)
        if self.first_heading:
            self.first_heading = False
            m = _SECTION.match(title)
            if m:
                self.meta.setdefault(S.SECTION, m.group(1).strip())
                title = title[m.end():].strip()
            if title:
                self.meta.setdefault("_heading", title)
        last = self.b.last()
        if last and last[0] == "heading" and " ".join(last[1].split()) == " ".join(title.split()):
            return  # the title repeated as a second heading (BBC pages do this)
        self.b.add("heading", title)

    def end_block(self) -> None:
        """Emit the open block and start a new body block."""
        _md_flush(self.b, self.kind, self.block)
        self.block, self.kind = [], "body"

    def end_quote(self) -> None:
        """Emit the open block quote, one paragraph per blank-line-separated part."""
        if self.quote:
            sub: list[str] = []
            for q in self.quote:
                if q.strip():
                    sub.append(q)
                else:
                    _md_flush(self.b, "quote", sub)
                    sub = []
            _md_flush(self.b, "quote", sub)
            self.quote = []

    def feed(self, line: str) -> None:
        """Take one line of the markdown body."""
        if not self._fence_or_quote(line):
            self._block_line(line)

    def _fence_or_quote(self, line: str) -> bool:
        """Handle a fence, fenced or quoted line; return whether the line was taken."""
        if _FENCE.match(line):
            self.end_quote()
            self.end_block()
            self.in_fence = not self.in_fence
            return True
        if self.in_fence:
            self.block.append(line)
            return True
        if _QUOTE.match(line):
            self.end_block()
            self.quote.append(_QUOTE.sub("", line, count=1))
            return True
        if self.quote:
            if line.strip() and not _ATX.match(line):
                self.quote.append(line)  # lazy continuation
                return True
            self.end_quote()
        return False

    def _block_line(self, line: str) -> None:
        """Handle a line outside fences and quotes: blank, heading, rule, list item or text."""
        if not line.strip():
            self.end_block()
            return
        m = _ATX.match(line)
        if m:
            self.end_block()
            self.heading(_atx_text(line[m.end():]))
            return
        if self.block and self.kind == "body" and _SETEXT.match(line):
            text_ = join_lines(self.block)
            self.block = []
            self.heading(text_)
            return
        if _RULE.match(line):
            self.end_block()
            return
        if _REFDEF.match(line):
            return
        if _LIST.match(line):
            self.end_block()
            self.kind = "list"
            self.block = [_LIST.sub("", line, count=1)]
            return
        self.block.append(line)


# ----------------------------------------------------------------------------- plain text

_SENTENCE_END = tuple(".。!！?？…\"”’』」)）:：;；")


def parse_plain(text: str, *, front_matter: bool = True, title: Any = None) -> Parsed:
    """Parse plain text: blank-line paragraphs (or one per line when there are no blank lines).

    A first paragraph equal to ``title`` is the heading; without a title, a short first line
    with no sentence punctuation is taken as the heading and the derived title.
    """
    meta: dict[str, Any] = {}
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if front_matter:
        raw, text = split_front_matter(text)
        meta = _meta_from_mapping(raw)
    lines = text.split("\n")
    has_blank = re.search(r"\n[ \t\u3000]*\n", text.strip("\n")) is not None
    if has_blank:
        blocks: list[list[str]] = [[]]
        for line in lines:
            if line.strip():
                blocks[-1].append(line)
            elif blocks[-1]:
                blocks.append([])
    else:
        blocks = [[line] for line in lines if line.strip()]
    paras: list[str] = []
    for blk in blocks:
        group: list[str] = []
        for line in blk:
            if _LABEL.match(line.strip()) and group:
                paras.append(join_lines(group))
                group = []
            group.append(line)
        if group:
            paras.append(join_lines(group))
    b = Builder()
    title = _squash(title) if isinstance(title, str) else None
    for i, p in enumerate(paras):
        first = i == 0 and len(paras) > 1
        if i == 0 and title is not None:
            b.add("heading" if _squash(p) == title else "body", p)
        elif first and len(p) <= 80 and not p.endswith(_SENTENCE_END):
            b.add("heading", p)
            meta.setdefault("_derived_title", p)
        else:
            b.add("body", p)
    return b.done(meta)


# ----------------------------------------------------------------------------- HTML

_META_DATES = (
    "article:published_time", "og:article:published_time", "datepublished", "pubdate",
    "publishdate", "publish-date", "publication_date", "dc.date.issued", "dcterms.created",
    "parsely-pub-date", "sailthru.date", "date",
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def _html_tree(text: str):
    """Parse HTML leniently with lxml; None when it holds no element at all."""
    import lxml.html
    from lxml import etree

    text = _XML_DECL.sub("", text, count=1)
    try:
        parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True)
        return lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        return None


def _squash(s: str | None) -> str:
    """Collapse all whitespace runs to one space."""
    return " ".join((s or "").split())


def _block_text(el) -> str:
    """The text of an element, its line breaks joined like soft-wrapped lines."""
    raw = "".join(el.itertext())
    if "\n" not in raw:
        return _squash(raw)
    return join_lines([_squash(line) for line in raw.split("\n")])


def _html_meta(tree) -> dict[str, Any]:  # noqa: C901
    """Title, date, author, language, url and site name from the page's <head>."""
    meta: dict[str, Any] = {}
    if tree is None:
        return meta
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = (el.get("content") or "").strip()
        if key and value:
            found.setdefault(key, value)
    ld = _json_ld(tree)
    for key in _META_DATES:
        if key in found:
            meta[S.PUBLISHED], meta["_published_field"] = found[key], f'<meta "{key}">'
            break
    else:
        if ld.get(S.PUBLISHED):
            meta[S.PUBLISHED], meta["_published_field"] = ld[S.PUBLISHED], "JSON-LD datePublished"
        for el in tree.iter("time") if S.PUBLISHED not in meta else ():
            if el.get("datetime"):
                meta[S.PUBLISHED] = el.get("datetime").strip()
                meta["_published_field"] = "<time datetime>"
                break
    for key, column in (("og:title", S.TITLE), ("author", S.AUTHOR), ("article:author", S.AUTHOR),
                        ("og:url", S.URL), ("og:site_name", S.SOURCE),
                        ("article:section", S.SECTION)):
        if key in found and column not in meta:
            if column == S.AUTHOR and found[key].startswith("http"):
                continue  # a profile link, not a name
            meta[column] = found[key]
    for column, value in ld.items():  # schema.org NewsArticle fills what <meta> lacks
        if column != S.PUBLISHED and value:
            meta.setdefault(column, value)
    if S.URL not in meta:
        for link in tree.iter("link"):
            if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
                meta[S.URL] = link.get("href").strip()
                break
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if lang:
        meta[S.LANG] = lang
    if S.TITLE not in meta:
        title = tree.find(".//title")
        if title is not None and _squash(title.text_content()):
            meta["_derived_title"] = _squash(title.text_content())
    return meta


_LD_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle",
             "blogposting", "liveblogposting", "webpage"}


def _json_ld(tree) -> dict[str, Any]:
    """Article fields from schema.org JSON-LD (headline, datePublished, author, section, ...)."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = _json_loads(script.text)  # FormatError is a ValueError: skipped
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
                continue
            if not isinstance(item, dict):
                continue
            stack.extend(v for k, v in item.items() if k == "@graph")
            types = item.get("@type")
            types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
            lowered = {str(t).lower() for t in types}
            if not lowered & _LD_TYPES or (lowered <= {"webpage"} and "datePublished" not in item):
                continue
            out = {
                S.TITLE: _scalar(item.get("headline")),
                S.PUBLISHED: _scalar(item.get("datePublished")),
                S.AUTHOR: _scalar(item.get("author")),
                S.SECTION: _scalar(item.get("articleSection")),
                S.SOURCE: _scalar(item.get("publisher")),
                S.LANG: _scalar(item.get("inLanguage")),
                S.URL: _scalar(item.get("url") or item.get("mainEntityOfPage")),
            }
            return {k: str(v).strip() for k, v in out.items() if v not in (None, "")}
    return {}


def _figure_captions(tree) -> dict[str, tuple[str | None, list[str]]]:
    """Map image src -> (alt, [credit line, caption]) of its <figure> in the original page.

    The caption is the <figcaption>; a credit is any other text in the figure that starts with
    a credit label (BBC: ``<span>图像来源，</span>Reuters``), which main-text extraction drops.
    """
    out: dict[str, tuple[str | None, list[str]]] = {}
    if tree is None:
        return out
    for fig in tree.iter("figure"):
        imgs = [img for img in fig.iter("img") if img.get("src")]
        if not imgs:
            continue
        lines: list[str] = []
        for el in fig.iter():
            if not isinstance(el.tag, str) or el.tag == "figcaption":
                continue
            if any(a.tag == "figcaption" for a in el.iterancestors()):
                continue
            for chunk in (el.text, el.tail if el is not fig else None):
                chunk = _squash(chunk)
                if chunk:
                    lines.append(chunk)
        credit = None
        joined = "".join(lines)
        for cut in range(len(lines)):  # the label and its value may sit in sibling spans
            candidate = "".join(lines[cut:]) if cut else joined
            label = split_label(candidate)
            if label and label[0] == "image_credit":
                credit = candidate
                break
        cap = fig.find(".//figcaption")
        caption = _block_text(cap) if cap is not None else None
        found = [t for t in (credit, caption) if t]
        if found:
            for img in imgs:
                out.setdefault(img.get("src"), (img.get("alt") or None, found))
    return out


def parse_html(text: str) -> Parsed:
    """Parse an HTML page: main text via trafilatura, lxml block text as a fallback."""
    tree = _html_tree(text)
    meta, bad_date = _html_checked_meta(tree)
    captions = _figure_captions(tree)
    b = Builder()
    doc = _trafilatura_doc(text)
    if doc is not None:
        _html_doc_meta(doc, meta, bad_date)
        main = doc.find("main")
        if main is not None:
            _TrafilaturaWalk(b, captions).walk(main)
    if len(b.parts) <= 1 and tree is not None:
        # trafilatura found nothing, or flattened a short page into one paragraph (its
        # baseline mode): the page's own block elements are the better structure then
        fallback = Builder()
        _html_fallback(tree, fallback, captions)
        if len(fallback.parts) > len(b.parts):
            b = fallback
    parsed = b.done(meta)
    if not parsed.text.strip():
        raise FormatError("the HTML page holds no readable text; check it is an article page")
    return parsed


def _html_checked_meta(tree) -> tuple[dict[str, Any], bool]:
    """The page's <meta> fields, a broken published date dropped; and whether it was."""
    meta = _html_meta(tree)
    bad_date = False
    if S.PUBLISHED in meta:
        try:
            parse_published(meta[S.PUBLISHED])
        except ValueError:  # a page's broken <meta> date is dropped, not a data error...
            field = meta.get("_published_field", S.PUBLISHED)
            # ...but said: the loader's warning names the file and this field
            meta["_bad_published"] = f"field {field} {meta.pop(S.PUBLISHED)!r} is not a date"
            bad_date = True  # ...and htmldate's guess from the same tag is not trusted either
    return meta, bad_date


def _trafilatura_doc(text: str):
    """trafilatura's XML for the page as an lxml element (<br> as newlines), or None."""
    import trafilatura
    from lxml import etree

    try:
        xml = trafilatura.extract(
            text, output_format="xml", include_images=True, include_tables=True,
            include_comments=False, include_links=False, include_formatting=False,
            with_metadata=True,
        )
    except (ValueError, etree.LxmlError, RecursionError):  # trafilatura gives up on some pages
        xml = None
    if not xml:
        return None
    doc = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(huge_tree=True, recover=True))
    for lb in doc.iter("lb"):  # <br> inside a paragraph: a line break, not nothing
        lb.text = "\n"
    return doc


def _html_doc_meta(doc, meta: dict[str, Any], bad_date: bool) -> None:
    """Fill metadata the page's <meta> tags lacked from trafilatura's document attributes."""
    for attr, column in (("title", "_derived_title"), ("author", S.AUTHOR),
                         ("date", S.PUBLISHED), ("sitename", S.SOURCE), ("url", S.URL)):
        value = doc.get(attr)
        if column == S.PUBLISHED and bad_date:
            continue
        if value and column not in meta and (column != "_derived_title" or S.TITLE not in meta):
            meta[column] = value


class _TrafilaturaWalk:
    """Walk trafilatura's XML into a Builder, placing figures and their captions."""

    def __init__(self, b: Builder, captions: dict) -> None:
        self.b = b
        self.captions = captions
        self.used_captions: set[str] = set()
        self.placed: set[str | None] = set()
        self.by_line = {line: src for src, (_, lines) in captions.items() for line in lines}

    def walk(self, el, inherited: str | None = None) -> None:
        """Add the children of one element, recursing into lists, quotes and containers."""
        for child in el:
            tag = child.tag
            if tag == "head":
                self.b.add("heading", _block_text(child))
            elif tag == "graphic":
                self._graphic(child)
            elif tag in ("list", "quote") and len(child):
                self.walk(child, "list" if tag == "list" else "quote")
            elif tag == "table":
                for row in child.iter("row"):
                    cells = [_block_text(c) for c in row]
                    self.b.add("body", " | ".join(c for c in cells if c))
            elif tag in ("p", "item", "quote", "code"):
                self._paragraph(child, tag, inherited)
            else:
                self.walk(child, inherited)

    def _graphic(self, child) -> None:
        """Add an image and the figure caption/credit lines that belong to it."""
        src = child.get("src")
        self.placed.add(src)
        self.b.image(src, child.get("alt") or child.get("title"))
        for line in self.captions.get(src or "", (None, []))[1]:
            self.used_captions.add(line)
            label = split_label(line)
            self.b.add(label[0] if label else "image_caption", line)

    def _paragraph(self, child, tag: str, inherited: str | None) -> None:
        """Add a text block, skipping captions already placed with their image."""
        para = _block_text(child)
        if para in self.used_captions:
            return
        src = self.by_line.get(para)
        if src is not None and src not in self.placed:
            # trafilatura kept the figure's text but dropped its <img>
            self.placed.add(src)
            self.b.image(src, self.captions[src][0])
        kind = {"item": "list", "quote": "quote"}.get(tag, inherited or "body")
        self.b.add(kind, para)


_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "pre", "td"}


def _html_fallback(tree, b: Builder, captions: dict) -> None:
    """Plain lxml extraction: block elements and figures in order, or all visible text by lines."""
    for bad in tree.xpath("//script|//style|//noscript|//template|//nav|//footer|//header"):
        bad.drop_tree()
    found = False
    for el in tree.iter(*_BLOCKS, "figure"):
        if any(a.tag in _BLOCKS or a.tag == "figure" for a in el.iterancestors()):
            continue
        tag = el.tag
        if tag == "figure":
            for img in el.iter("img"):
                alt, lines = captions.get(img.get("src") or "", (img.get("alt"), []))
                b.image(img.get("src"), alt)
                for line in lines:
                    label = split_label(line)
                    b.add(label[0] if label else "image_caption", line)
                    found = True
            continue
        text = _block_text(el)
        if not text:
            continue
        found = True
        kind = ("heading" if tag[0] == "h" and tag[1:].isdigit() else "list" if tag == "li"
                else "quote" if tag == "blockquote" else "image_caption" if tag == "figcaption"
                else "body")
        b.add(kind, text)
    if not found:
        body = tree.find("body")
        root = body if body is not None else tree
        for line in root.text_content().split("\n"):
            b.add("body", _squash(line))


# ----------------------------------------------------------------------------- records

# Column / key names recognised in JSON, JSON Lines and CSV exports (compared lower-case,
# without "_", "-" or spaces), first match wins.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    S.TEXT: ("text", "body", "content", "article", "articlebody", "articletext", "maintext",
             "fulltext", "story", "bodytext", "contenttext"),
    S.TITLE: ("title", "headline", "heading", "subject"),
    S.PUBLISHED: ("published", "date", "pubdate", "publishtime", "publishedat", "publicationdate",
                  "datepublished", "publishdate", "pubtime", "datetime", "createdat", "created",
                  "time", "timestamp", "dct"),
    S.URL: ("url", "link", "href", "permalink", "canonicalurl", "uri", "webpage"),
    S.SOURCE: ("source", "publisher", "sitename", "site", "outlet", "media", "sourcename",
               "feed", "newspaper"),
    S.LANG: ("lang", "language", "locale", "inlanguage"),
    S.SECTION: ("section", "category", "articlesection", "desk", "channel", "topic"),
    S.AUTHOR: ("author", "authors", "byline", "creator", "writer"),
    S.ARTICLE_ID: ("articleid", "id", "guid", "uuid", "docid", "doc"),
}


def _norm_key(key: Any) -> str:
    """Lower-case a field name and drop separators ("pub_Date" -> "pubdate")."""
    return re.sub(r"[\s_\-.]", "", str(key).lower())


def _scalar(value: Any) -> Any:
    """Flatten nested metadata values: {"name": x} -> x, lists -> "a, b"."""
    if isinstance(value, dict):
        for k in ("name", "title", "value", "text", "url", "href", "@id"):
            if k in value:
                return _scalar(value[k])
        return None
    if isinstance(value, list | tuple):
        parts = [_scalar(v) for v in value]
        parts = [str(p) for p in parts if p not in (None, "")]
        return ", ".join(parts) if parts else None
    return value


def map_columns(keys: list[str], columns: dict[str, str | None] | None) -> dict[str, str]:
    """Return {schema column: source key}, auto-detected and overridden by ``columns``."""
    by_norm: dict[str, str] = {}
    for k in keys:
        by_norm.setdefault(_norm_key(k), k)
    mapping: dict[str, str] = {}
    for column, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            if alias in by_norm:
                mapping[column] = by_norm[alias]
                break
    if columns:
        for column, key in columns.items():
            if key is None:
                mapping.pop(column, None)
                continue
            if key not in keys:
                match = by_norm.get(_norm_key(key))
                if match is None:
                    raise FormatError(
                        f"columns={{'{column}': '{key}'}} names a field that is not there "
                        f"(fields: {', '.join(map(str, keys[:30]))}); fix the columns= mapping"
                    )
                key = match
            mapping[column] = key
    return mapping


_HTML_BODY = re.compile(r"<(?:p|div|br|h[1-6]|article|section|span)\b[^>]*>", re.I)


def parse_records(records: list[Any], columns: dict[str, str | None] | None) -> list[Parsed]:
    """Turn exported records (dicts) into Parsed articles with the mapped metadata."""
    if not records:
        raise FormatError("holds no articles (an empty list); remove it or add records")
    keys: list[str] = []
    seen: set[str] = set()
    for rec in records[:200]:
        if isinstance(rec, dict):
            for k in rec:
                if k not in seen:
                    seen.add(k)
                    keys.append(k)
    mapping = map_columns(keys, columns)
    if S.TEXT not in mapping:
        raise FormatError(
            f"no article text field found (fields: {', '.join(map(str, keys[:30])) or 'none'}); "
            "pass columns={'text': '<field>'} to name it"
        )
    out: list[Parsed] = []
    for i, rec in enumerate(records, start=1):
        where = f"record {i}"
        if not isinstance(rec, dict):
            out.append(Parsed("", where=where, error=f"is a {type(rec).__name__}, not an object "
                              "with fields; fix the export"))
            continue
        body = rec.get(mapping[S.TEXT])
        if body is None or (isinstance(body, float) and body != body) or not str(body).strip():
            out.append(Parsed("", where=where, error=f"has no text in field "
                              f"'{mapping[S.TEXT]}'; fill it or drop the record"))
            continue
        body = str(body)
        if _HTML_BODY.search(body[:5000]):
            try:
                parsed = parse_html(body)
            except FormatError as err:
                out.append(Parsed("", where=where, error=str(err)))
                continue
        else:
            title = _scalar(rec.get(mapping[S.TITLE])) if S.TITLE in mapping else None
            parsed = parse_plain(body, front_matter=False, title=str(title or ""))
        for column, key in mapping.items():
            if column == S.TEXT:
                continue
            value = _scalar(rec.get(key))
            if value is None or value == "" or (isinstance(value, float) and value != value):
                continue
            parsed.meta[column] = value
        parsed.where = where
        out.append(parsed)
    return out


#: deeper JSON nesting is refused before parsing (json.loads recurses; articles nest a few levels)
JSON_DEPTH_LIMIT = 200
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')  # a string (unrolled: fast), a bracket


def json_depth_error(text: str) -> str | None:
    """Why ``text`` nests too deep to parse (None when it is fine); one linear scan, no recursion."""
    if text.count("[") + text.count("{") <= JSON_DEPTH_LIMIT:
        return None
    depth = 0
    for m in _JSON_TOKEN.finditer(text):
        c = m.group()
        if c in "[{":
            depth += 1
            if depth > JSON_DEPTH_LIMIT:
                return (f"JSON nested more than {JSON_DEPTH_LIMIT} levels deep (at character "
                        f"{m.start()}); an article export nests a few levels: fix the file")
        elif c in "]}":
            depth -= 1
    return None


def _json_loads(text: str) -> Any:
    """``json.loads`` after the depth check (FormatError for too deep)."""
    problem = json_depth_error(text)
    if problem:
        raise FormatError(problem)
    return json.loads(text)


def parse_json(text: str, columns: dict[str, str | None] | None) -> list[Parsed]:
    """Parse a JSON export: a list of objects, {"articles": [...]} or one article object."""
    try:
        data = _json_loads(text)
    except json.JSONDecodeError as err:
        raise FormatError(
            f"malformed JSON at line {err.lineno} column {err.colno} ({err.msg}); fix the file "
            "(it must be a list of objects or {\"articles\": [...]})"
        ) from None
    if isinstance(data, dict):
        for key in ("articles", "items", "data", "records", "documents", "docs", "results",
                    "entries", "posts", "news"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
        else:
            data = [data]
    if not isinstance(data, list):
        raise FormatError("JSON holds neither a list of articles nor an object; fix the export")
    return parse_records(data, columns)


def parse_jsonl(text: str, columns: dict[str, str | None] | None) -> list[Parsed]:
    """Parse JSON Lines: one article object per line."""
    records, lines, bad = [], [], []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(_json_loads(line))
            lines.append(n)
        except json.JSONDecodeError as err:
            bad.append(Parsed("", where=f"line {n}", error=(
                f"malformed JSON on line {n} column {err.colno} ({err.msg}); each line must be "
                "one JSON object")))
        except FormatError as err:
            bad.append(Parsed("", where=f"line {n}", error=str(err)))
    if bad and not records:
        raise FormatError(f"no line is a JSON object (line {bad[0].where[5:]}: {bad[0].error})")
    parsed = parse_records(records, columns)
    if len(parsed) == len(records):  # name records by their line, as the skips are
        for p, n in zip(parsed, lines, strict=True):
            p.where = f"line {n}"
    return sorted(parsed + bad, key=lambda p: int(p.where[5:]) if p.where[5:].isdigit() else 0)


def parse_csv(text: str, columns: dict[str, str | None] | None, sep: str = ",") -> list[Parsed]:
    """Parse a CSV/TSV export with a header row."""
    import pandas as pd

    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        raise FormatError(f"malformed CSV ({str(err).strip()}); fix the file") from None
    records = [{k: (v if v != "" else None) for k, v in rec.items()}
               for rec in frame.to_dict("records")]
    return parse_records(records, columns)


# ----------------------------------------------------------------------------- dispatch

MARKDOWN = {".md", ".markdown", ".mdown", ".mkd", ".mkdn"}
PLAIN = {".txt", ".text"}
HTML = {".html", ".htm", ".xhtml", ".shtml"}
JSON = {".json"}
JSONL = {".jsonl", ".ndjson", ".jsonlines"}
CSV = {".csv", ".tsv"}
KNOWN = MARKDOWN | PLAIN | HTML | JSON | JSONL | CSV
_LOOKS_HTML = re.compile(r"\A\s*(?:<!doctype\s+html|<html|<\?xml[^>]*>\s*<html|<head|<body)", re.I)


def parse_file(data: bytes, suffix: str, columns: dict[str, str | None] | None) -> list[Parsed]:
    """Decode and parse one file's bytes by its suffix (sniffed when unknown)."""
    text, _, notes = decode_noted(data)
    suffix = suffix.lower()
    if suffix not in KNOWN:
        stripped = text.lstrip()
        suffix = (".html" if _LOOKS_HTML.match(text) else ".json" if stripped[:1] in "[{"
                  else ".md" if stripped.startswith(("---", "# ")) else ".txt")
    if suffix in MARKDOWN:
        parsed = [parse_markdown(text)]
    elif suffix in PLAIN:
        parsed = [parse_plain(text)]
    elif suffix in HTML:
        parsed = [parse_html(text)]
    elif suffix in JSON:
        parsed = parse_json(text, columns)
    elif suffix in JSONL:
        parsed = parse_jsonl(text, columns)
    else:
        parsed = parse_csv(text, columns, sep="\t" if suffix == ".tsv" else ",")
    for p in parsed:
        if p.error is None and not p.text.strip():
            if not p.where:
                raise FormatError("holds no article text after its metadata; add the body")
            p.error = "holds no article text; fill it or drop the record"
    if notes and parsed:
        parsed[0].notes.extend(notes)
    return parsed
