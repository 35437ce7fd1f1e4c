"""Articles into DataFrames: the loader every later stage starts from.

:func:`load_articles` reads news articles from files, folders, globs or a DataFrame and returns
one row per article (columns :data:`analysis.schema.ARTICLE_COLUMNS`). :func:`paragraphs` and
:func:`images` return the companion tables from the same parse.

The article text
----------------
``text`` is the body all later offsets refer to. For files it is rebuilt from the parse:
headings, body paragraphs, quotes, list items and image credit / caption lines, one paragraph
each, joined by one blank line (``"\\n\\n"``). Markdown syntax is stripped (``**``, links, ``#``,
``>``), soft-wrapped lines are joined (no space between two CJK characters), images
(``![alt](file.jpg)``) leave the text and go to :func:`images`, and a title repeated as a second
heading is kept once. Credit and caption lines keep their printed label (``图像来源，Reuters``,
``Image caption, ...``) so the text reads as printed; the paragraph and image rows point past the
label at the value. For a DataFrame source the ``text`` is kept exactly as given.

Metadata precedence
-------------------
``published=`` / ``lang=`` arguments > the file's own metadata (YAML/TOML front matter, HTML
``<meta>``/JSON-LD/``<html lang>``, JSON/CSV fields) > the catalog row > what the content implies
(first heading or ``<title>`` as title, trafilatura's date, script-detected language).

Encodings are detected, not guessed: a byte-order mark (UTF-8, UTF-16, UTF-32), else strict
UTF-8, else charset-normalizer limited to GB18030, Big5 and Windows-1252. A few stray bytes (at
most one in 1,000) are repaired and reported in the summary warning: NUL bytes removed, bytes no
candidate decodes replaced by U+FFFD (the candidate needing fewest replacements). More NUL bytes
without a BOM, more undecodable bytes and control-character noise are "not a text file" errors.

Every failure is caught at the file's boundary and becomes a skip naming the file (and record),
the problem and the fix: published dates outside pandas' range (1677-09-22 to 2262-04-11), JSON
nested more than 200 levels (refused before parsing), YAML front matter with aliases or over
64,000 characters, file names that are not UTF-8. A bad JSON Lines or CSV record skips that
record only.

- ``published``: tz-aware UTC; a date-only value is midnight UTC of that date and
  ``published_offset`` keeps the source's own UTC offset in minutes (NA when it gave none).
- ``lang``: BCP 47; ``zh-CN``-style tags become ``zh-Hans`` / ``zh-Hant``; when missing it is
  detected from the script (CJK share, simplified vs traditional by comparing OpenCC
  conversions; Latin text is ``en``; otherwise ``und``).
- ``article_id``: ids given by the source (a DataFrame column, a JSON/CSV ``id`` field) are kept
  as given; otherwise ``<file stem>-<8 hex>`` where the hex is a BLAKE2b hash of the file name and
  the article text, so the same file gives the same id on every run and machine wherever it
  lies (``kim-jong-un-enters-russia.zh-1a2b3c4d``). Frames without ids get ``article-<8 hex>``
  (hash of the text). A given id reused by another file gets ``-2``, ``-3``, ... in load order;
  a DataFrame giving one id to two different texts is an error.

Catalog
-------
Files without front matter take metadata from a CSV catalog: ``catalog=`` (a path or a
DataFrame), or by default a file named ``articles.csv`` next to the file, in its parent, or in
the loaded folder or its parent. Rows match on the ``file`` column (the file name; a relative
path disambiguates). Catalog and hidden files are never loaded as articles, nor are
``README`` / ``LICENSE`` files.

Structure (paragraphs and images)
---------------------------------
The parse is kept in a process-wide registry keyed by ``(article_id, hash of text)``, bounded to
the most recent :data:`REGISTRY_SIZE` articles. :func:`paragraphs` and :func:`images` use it when
the row's text is unchanged; otherwise (a frame you built, one read back from parquet, or another
process) they re-derive the structure from ``text`` alone: blank-line paragraphs, a first
paragraph equal to the title is the heading, labelled credit/caption lines are image rows (with
``file`` NA), the first body paragraph is the lead, the rest is body.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from analysis import schema as S
from analysis.articles import formats as F
from analysis.articles.discovery import CATALOG_NAME, discover
from analysis.text.script import chinese_script, detect_lang

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["ArticleError", "ArticleWarning", "images", "load_articles", "paragraphs"]

log = logging.getLogger(__name__)

_ERRORS = get_args(S.Errors)
_META_FIELDS = (S.ARTICLE_ID, S.TITLE, S.SECTION, S.LANG, S.PUBLISHED, S.SOURCE, S.URL, S.AUTHOR)
_CATALOG_FILE_KEYS = ("file", "filename", "name", "path")



class ArticleError(ValueError):
    """An input that cannot be loaded as an article; the message names it and the fix."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class ArticleWarning(UserWarning):
    """Skipped inputs or duplicate articles, reported once per call."""


# ----------------------------------------------------------------------------- public API


def load_articles(
    source: Any,
    *,
    published: Any = None,
    lang: str | None = None,
    errors: S.Errors = "raise",
    catalog: Any = None,
    columns: dict[str, str | None] | None = None,
    progress: bool = False,
    dayfirst: bool | None = None,
) -> pd.DataFrame:
    """Load news articles into a DataFrame, one row per article.

    Parameters
    ----------
    source : path, glob, list of these, or DataFrame
        A file (markdown, text, HTML, JSON, JSON Lines, CSV/TSV; other suffixes are sniffed),
        a folder (read recursively, following symlinks once), a glob pattern (``**`` allowed),
        a list of any of these, or a DataFrame with a ``text`` column (and optionally
        ``article_id``, ``title``, ``published``, ``lang``, ``url``, ``source``, ``section``,
        ``author``). Folders and globs take only known article suffixes and skip hidden files,
        ``README``/``LICENSE`` files and ``articles.csv`` catalogs.
    published : str, date or Timestamp, optional
        Publication time for every row, overriding what the sources say. A date-only value is
        midnight UTC of that date.
    lang : str, optional
        BCP 47 language tag for every row (``"zh-Hans"``, ``"en"``); detected when not given.
    errors : {"raise", "warn", "ignore"}
        What a bad input (unreadable, binary, empty, malformed, impossible date) does: raise
        :class:`ArticleError`, be skipped with one summary warning, or be skipped silently.
    catalog : path, DataFrame or False, optional
        Metadata for files by file name (column ``file`` plus any article column). Default:
        ``articles.csv`` next to the files or one folder up; ``False`` turns catalogs off.
    columns : dict, optional
        Field names, ``{"text": "body", "title": "hed"}``: for JSON/CSV exports they override
        the auto-detected mapping (``body``/``content``/``article`` -> text, ``headline`` ->
        title, ``date``/``pubDate``/``publish_time`` -> published, ``link`` -> url, ...); a
        DataFrame uses its schema-named columns plus these. ``None`` as a value ignores a field.
    progress : bool
        Show a progress bar over the files.
    dayfirst : bool, optional
        ``12/03/2024`` is 12 March if True, December 3 if False (a catalog's ``dayfirst`` column
        sets its rows); if None, month first, and the warning names dates that read both ways.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`analysis.schema.ARTICLE_COLUMNS` with the dtypes of
        :data:`analysis.schema.ARTICLE_DTYPES` (DataFrame sources keep their extra columns
        after these). Duplicate texts are reported and kept once.

    Raises
    ------
    FileNotFoundError
        A path or pattern that does not exist.
    ArticleError
        A bad input under ``errors="raise"``.

    Examples
    --------
    >>> import analysis as an
    >>> arts = an.load_articles("data/articles")
    >>> arts.loc[0, ["title", "section", "lang"]].tolist()
    ['金正恩访俄：朝鲜领导人进入俄罗斯国境，将与普京会面', 'World', 'zh-Hans']
    >>> str(arts.loc[0, "published"].date())
    '2023-09-12'
    """
    import pandas as pd

    if errors not in _ERRORS:
        raise ValueError(f"errors={errors!r} is not one of 'raise', 'warn', 'ignore'")
    columns = _check_columns(columns)
    pub_override, lang_override = _check_overrides(published, lang)
    run = _Run(errors, _check_dayfirst(dayfirst))
    if isinstance(source, pd.DataFrame):
        frame = _from_frame(source, run, columns, pub_override, lang_override)
    else:
        frame = _from_files(source, run, columns, pub_override, lang_override, catalog, progress)
    _summarise(run, errors)
    return frame


def _check_overrides(published: Any, lang: str | None) -> tuple[Any, str | None]:
    """The ``published=`` and ``lang=`` arguments checked and parsed (None when not given)."""
    import pandas as pd

    pub_override = None
    if published is not None:
        try:
            pub_override = F.parse_published(published)
        except ValueError as err:
            raise ValueError(f"published={published!r}: {err}") from None
        if pub_override[0] is pd.NaT:
            raise ValueError(f"published={published!r} is empty; pass a date like '2023-09-12'")
    lang_override = None
    if lang is not None:
        lang_override = F.normalise_lang(lang)
        if lang_override is None:
            raise ValueError(f"lang={lang!r} is not a BCP 47 tag; pass e.g. 'zh-Hans' or 'en'")
    return pub_override, lang_override


def _summarise(run: _Run, errors: str) -> None:
    """ONE warning for the call (at the caller): skips, repaired bytes, duplicates, renamed ids.

    Skips are listed under ``errors="warn"`` only; under ``"ignore"`` the rest goes to the log.
    """
    parts = []
    if run.skipped and errors == "warn":
        parts.append(_listing(f"skipped {len(run.skipped)} input(s) that could not be loaded",
                              [f"{name}: {reason}" for name, reason in run.skipped]))
    if run.repaired:
        parts.append(_listing(f"loaded {len(run.repaired)} input(s) with stray bytes replaced",
                              [f"{name}: {note}" for name, note in run.repaired]))
    if run.unread_dates:
        parts.append(_listing(
            f"left {len(run.unread_dates)} published date(s) empty that could not be read (the "
            "times in those articles have no anchor: fix the field, or pass published=)",
            [f"{name}: {note}" for name, note in run.unread_dates]))
    if run.ambiguous:
        parts.append(_listing(
            f"read {len(run.ambiguous)} ambiguous numeric date(s) month first (pass "
            "dayfirst=True to load_articles, or a dayfirst column in the catalog, if the day "
            "comes first; dayfirst=False to confirm)",
            [f"{name}: {note}" for name, note in run.ambiguous]))
    if run.duplicates:
        parts.append(_listing(f"found {len(run.duplicates)} duplicate article(s) (same text)",
                              [f"{b} repeats {a}{note}" for a, b, note in run.duplicates]))
    if run.renamed:
        parts.append(_listing(f"renamed {len(run.renamed)} reused article_id(s) to keep ids unique",
                              [f"{where} gives article_id {base!r} again: now {aid!r}"
                               for where, base, aid in run.renamed]))
    if not parts:
        return
    message = ". ".join(parts)
    if errors == "ignore":
        log.info(message)
    else:
        warnings.warn(message, ArticleWarning, stacklevel=3)


def _listing(head: str, items: list[str], limit: int = 50) -> str:
    """``load_articles <head>: a; b; ...`` with at most ``limit`` items shown."""
    more = f"; and {len(items) - limit} more" if len(items) > limit else ""
    return f"load_articles {head}: {'; '.join(items[:limit])}{more}"


def paragraphs(articles: pd.DataFrame) -> pd.DataFrame:
    """Return one row per paragraph of each article, with its kind and offsets in ``text``.

    Parameters
    ----------
    articles : pandas.DataFrame
        :func:`load_articles` output, or any frame with ``article_id`` and ``text`` columns.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`analysis.schema.PARAGRAPH_COLUMNS`: ``kind`` is one of heading, lead,
        body, image_caption, image_credit, quote, list; ``text`` equals
        ``article_text[start:end]``.

    Examples
    --------
    >>> import analysis as an
    >>> paras = an.paragraphs(an.load_articles("data/articles"))
    >>> paras["kind"].iloc[:2].tolist()
    ['heading', 'image_credit']
    """
    import pandas as pd

    _check_frame(articles, "paragraphs")
    cols: dict[str, list] = {c: [] for c in S.PARAGRAPH_COLUMNS}
    for aid, text, (paras, _) in _structures(articles):
        for i, (kind, start, end) in enumerate(paras):
            cols[S.ARTICLE_ID].append(aid)
            cols[S.PARAGRAPH].append(i)
            cols[S.KIND].append(kind)
            cols[S.START].append(start)
            cols[S.END].append(end)
            cols[S.TEXT].append(text[start:end])
    return S.coerce(pd.DataFrame(cols), S.PARAGRAPH_DTYPES)


def images(articles: pd.DataFrame) -> pd.DataFrame:
    """Return one row per image of each article: file, alt text, credit and caption.

    Parameters
    ----------
    articles : pandas.DataFrame
        :func:`load_articles` output, or any frame with ``article_id`` and ``text`` columns.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`analysis.schema.IMAGE_COLUMNS`; ``start``/``end`` locate the caption in
        the article ``text`` (NA when the image has no caption).

    Examples
    --------
    >>> import analysis as an
    >>> an.images(an.load_articles("data/articles"))["credit"].tolist()
    ['Reuters', 'Reuters']
    """
    import pandas as pd

    _check_frame(articles, "images")
    cols: dict[str, list] = {c: [] for c in S.IMAGE_COLUMNS}
    for aid, _text, (_, imgs) in _structures(articles):
        for i, img in enumerate(imgs):
            cols[S.ARTICLE_ID].append(aid)
            cols[S.IMAGE].append(i)
            for key, col in (("file", S.FILE), ("alt", S.ALT), ("credit", S.CREDIT),
                             ("caption", S.CAPTION), ("start", S.START), ("end", S.END)):
                cols[col].append(img[key])
    return S.coerce(pd.DataFrame(cols), S.IMAGE_DTYPES)


# ----------------------------------------------------------------------------- run state


class _Run:
    """Per-call bookkeeping: the error policy, skipped inputs and duplicates."""

    def __init__(self, errors: str, dayfirst: bool | None = None) -> None:
        self.errors = errors
        self.skipped: list[tuple[str, str]] = []
        self.duplicates: list[tuple[str, str, str]] = []
        self.repaired: list[tuple[str, str]] = []  # (input, what was replaced) - loaded anyway
        self.renamed: list[tuple[str, str, str]] = []  # (input, id it gave, id it got)
        self.dayfirst = dayfirst  # how numeric dates read: load_articles(dayfirst=)
        self.ambiguous: list[tuple[str, str]] = []  # (input, what the ambiguous date became)
        self.unread_dates: list[tuple[str, str]] = []  # (input, the date field it could not read)

    def fail(self, name: str, reason: str, path: str | None = None) -> None:
        """Raise, or remember ``name`` as skipped, per the error policy."""
        if self.errors == "raise":
            hint = "" if "errors=" in reason else " (or pass errors='warn' to skip it)"
            raise ArticleError(f"{name}: {reason}{hint}", path=path)
        log.debug("skipped %s: %s", name, reason)
        self.skipped.append((name, reason))


def _digest(text: str) -> str:
    """Return a 128-bit hex digest of ``text`` (identity of an article body)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _short_hash(*parts: str) -> str:
    """Return 8 hex digits from the parts (stable across runs and machines)."""
    data = "\0".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=4).hexdigest()


def _slug(stem: str) -> str:
    """Keep word characters, dots and hyphens of a file stem, for ids."""
    slug = re.sub(r"[^\w.-]+", "-", stem).strip("-.")
    return slug[:60] or "article"


def _check_dayfirst(dayfirst: Any) -> bool | None:
    if dayfirst not in (None, True, False):
        raise ValueError(f"dayfirst={dayfirst!r}: pass True (12/03/2024 is 12 March), False "
                         "(December 3) or None")
    return dayfirst


def _dayfirst(row_value: Any, call_value: bool | None) -> bool | None:
    """The catalog row's ``dayfirst`` (true/false/yes/no/1/0) if it has one, else the call's."""
    if _missing(row_value):
        return call_value
    word = str(row_value).strip().lower()
    if word in ("true", "yes", "1", "1.0", "y"):
        return True
    if word in ("false", "no", "0", "0.0", "n"):
        return False
    return call_value


def _missing(value: Any) -> bool:
    """True for None, NaN/NA and blank strings."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text_or_na(value: Any) -> Any:
    """Return a stripped string, or None for missing values."""
    return None if _missing(value) else str(value).strip()


def _check_columns(columns: Any) -> dict[str, str | None] | None:
    """Validate the ``columns=`` mapping (schema column -> source field)."""
    if columns is None:
        return None
    if not isinstance(columns, dict):
        raise TypeError(f"columns= must be a dict like {{'text': 'body'}}, not {type(columns).__name__}")
    allowed = set(_META_FIELDS) | {S.TEXT}
    for key, value in columns.items():
        if key not in allowed:
            raise ValueError(
                f"columns= key {key!r} is not an article column; use one of {sorted(allowed)}"
            )
        if value is not None and not isinstance(value, str):
            raise ValueError(f"columns={{'{key}': {value!r}}}: the value must be a field name")
    if columns.get(S.TEXT, "") is None:
        raise ValueError("columns={'text': None}: the text field cannot be ignored")
    return dict(columns)


def _check_frame(articles: Any, func: str) -> None:
    """Check a frame passed to paragraphs()/images()."""
    import pandas as pd

    if not isinstance(articles, pd.DataFrame):
        raise TypeError(f"{func}() takes the DataFrame load_articles() returns, not {type(articles).__name__}")
    missing = {S.ARTICLE_ID, S.TEXT} - set(articles.columns)
    if missing:
        raise ValueError(
            f"{func}(): the frame lacks column(s) {sorted(missing)}; pass load_articles() output"
        )


# ----------------------------------------------------------------------------- metadata


def _resolve(run: _Run, name: str, text: str, own: dict, extra: dict, pub_override, lang_override,
             extra_name: str = "the catalog", path: str | None = None) -> dict[str, Any] | None:
    """Merge metadata (own > catalog/extra > derived) into one output row; None if it failed."""
    import pandas as pd

    row: dict[str, Any] = {}
    for col in (S.TITLE, S.SECTION, S.SOURCE, S.URL, S.AUTHOR):
        value = own.get(col)
        if _missing(value):
            value = extra.get(col)
        row[col] = _text_or_na(value)
    if row[S.TITLE] is None:
        row[S.TITLE] = _text_or_na(own.get("_derived_title"))

    if pub_override is not None:
        row[S.PUBLISHED], row[S.PUBLISHED_OFFSET] = pub_override
    else:
        raw, origin = own.get(S.PUBLISHED), ""
        if _missing(raw):
            raw, origin = extra.get(S.PUBLISHED), f" (from {extra_name})"
        dayfirst = _dayfirst(extra.get("dayfirst"), run.dayfirst)
        try:
            row[S.PUBLISHED], row[S.PUBLISHED_OFFSET] = F.parse_published(raw, dayfirst)
        except ValueError as err:
            run.fail(name, f"field 'published': {err}{origin}", path=path)
            return None
        both = F.ambiguous_date(raw) if dayfirst is None else None
        if both:
            run.ambiguous.append((name, f"field 'published' {str(raw).strip()!r}{origin} read "
                                        f"month first as {both[0]}, not {both[1]}"))
    if row[S.PUBLISHED] is pd.NaT:
        row[S.PUBLISHED], row[S.PUBLISHED_OFFSET] = None, None
    if row[S.PUBLISHED] is None and own.get("_bad_published"):
        run.unread_dates.append((name, own["_bad_published"]))

    if lang_override is not None:
        tag = lang_override
    else:
        tag = F.normalise_lang(own.get(S.LANG))
        if tag is None:
            tag = F.normalise_lang(extra.get(S.LANG))
        if tag is None:
            tag = detect_lang(text)
    if tag == "zh":  # say which script
        tag = chinese_script(text)
    row[S.LANG] = tag
    return row


# ----------------------------------------------------------------------------- DataFrame source


def _from_frame(frame: pd.DataFrame, run: _Run, columns, pub_override, lang_override) -> pd.DataFrame:
    """Load articles from a DataFrame with a text column; the text is kept verbatim."""
    # a frame's columns are the caller's own: only the schema names count, plus columns=
    keys = [str(c) for c in frame.columns]
    mapping = {col: col for col in (S.TEXT, *_META_FIELDS) if col in keys}
    for col, key in (columns or {}).items():
        if key is None:
            mapping.pop(col, None)
        elif key not in keys:
            raise ValueError(
                f"columns={{'{col}': '{key}'}}: the DataFrame has no column {key!r} "
                f"(columns: {keys[:20]})"
            )
        else:
            mapping[col] = key
    if S.TEXT not in mapping:
        raise ValueError(
            f"the DataFrame has no 'text' column (columns: {list(frame.columns)[:20]}); "
            "pass columns={'text': '<column>'}"
        )
    names = {str(c): c for c in frame.columns}
    values = {col: frame[names[key]].tolist() for col, key in mapping.items()}
    texts = values[S.TEXT]
    labels = frame.index.tolist()
    given_ids = values.get(S.ARTICLE_ID)
    rows: list[dict[str, Any]] = []
    keep: list[int] = []
    seen: dict[str, tuple[str, str | None]] = {}  # digest -> (id, given id)
    ids: dict[str, str] = {}  # id -> digest
    for i, text in enumerate(texts):
        name = f"DataFrame row {labels[i]!r}"
        if not isinstance(text, str) or not text.strip():
            run.fail(name, f"has no text in column '{mapping[S.TEXT]}'; fill it or drop the row")
            continue
        own = {col: _scalar_value(v[i]) for col, v in values.items() if col != S.TEXT}
        given = None if given_ids is None or _missing(given_ids[i]) else str(given_ids[i])
        digest = _digest(text)
        aid = given or f"article-{_short_hash(text)}"
        if digest in seen:
            first_id, first_given = seen[digest]
            if given is not None and first_given is not None and given != first_given:
                run.duplicates.append((first_id, aid, " (both kept: their article_ids differ)"))
            else:
                run.duplicates.append((first_id, aid, ""))
                continue
        if aid in ids and ids[aid] != digest:
            raise ValueError(
                f"article_id {aid!r} is given to two different texts; make the ids unique"
            )
        row = _resolve(run, name, text, own, {}, pub_override, lang_override)
        if row is None:
            continue
        seen.setdefault(digest, (aid, given))
        ids[aid] = digest
        row[S.ARTICLE_ID] = aid
        row[S.PATH] = None
        row[S.TEXT] = text
        rows.append(row)
        keep.append(i)
    out = _frame(rows)
    mapped = {names[k] for k in mapping.values()}
    extras = [c for c in frame.columns if c not in mapped and c not in S.ARTICLE_DTYPES]
    for c in extras:  # the caller's own columns ride along with their dtypes
        out[c] = frame[c].iloc[keep].reset_index(drop=True)
    if S.STRUCTURE in frame.columns:  # a frame this loader made, read back: keep its structure
        kept = frame[S.STRUCTURE].iloc[keep].reset_index(drop=True)
        out[S.STRUCTURE] = kept.where(kept.notna(), None).astype("string")
    return out


def _scalar_value(value: Any) -> Any:
    """Turn numpy scalars into Python ones for metadata handling."""
    import numpy as np

    if isinstance(value, np.generic) and not isinstance(value, np.datetime64):
        return value.item()
    return value


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Build the article frame with the schema's columns and dtypes."""
    import pandas as pd

    data = {col: [r.get(col) for r in rows] for col in S.ARTICLE_COLUMNS}
    data[S.PUBLISHED] = pd.to_datetime(
        pd.Series([pd.NaT if v is None else v for v in data[S.PUBLISHED]], dtype=object), utc=True
    ) if rows else pd.Series(dtype="datetime64[ns, UTC]")
    data[S.PUBLISHED_OFFSET] = pd.array(data[S.PUBLISHED_OFFSET], dtype="Int32")
    return S.coerce(pd.DataFrame(data), S.ARTICLE_DTYPES)


# ----------------------------------------------------------------------------- file sources


def _from_files(source, run: _Run, columns, pub_override, lang_override, catalog, progress) -> pd.DataFrame:
    """Load articles from paths, folders and globs."""
    catalogs = _Catalogs(catalog, run)
    hidden: list[str] = []
    files = discover(source, skip={catalogs.fixed_path} if catalogs.fixed_path else set(),
                     hidden=hidden)
    if run.errors != "raise":  # named in the summary, not left out silently
        run.skipped.extend((_shown(Path(h)), _HIDDEN) for h in hidden)
    if progress:
        from tqdm.auto import tqdm

        files = tqdm(files, desc="articles", unit="file")
    rows: list[dict[str, Any]] = []
    seen: dict[str, tuple[str, dict]] = {}  # digest -> (first source name, its row)
    ids: set[str] = set()
    for path, root in files:
        name = _shown(path)
        try:
            parsed_all = _read(path, columns)
            extra, extra_name = catalogs.lookup(path, root)
        except F.FormatError as err:
            run.fail(name, str(err), path=str(path))
            continue
        except (ValueError, RecursionError, OverflowError, UnicodeError) as err:  # a parser's bug
            run.fail(name, f"could not be parsed ({type(err).__name__}: {str(err)[:200]}); "
                     "check the file, and report it if it looks fine", path=str(path))
            continue
        for parsed in parsed_all:
            where = f"{name} ({parsed.where})" if parsed.where else name
            if parsed.error is not None:
                run.fail(where, parsed.error, path=str(path))
                continue
            run.repaired.extend((where, note) for note in parsed.notes)
            text = parsed.text
            digest = _digest(text)
            if digest in seen:
                first, kept = seen[digest]
                run.duplicates.append((first, where, ""))
                for col in (S.TITLE, S.SECTION, S.SOURCE, S.URL, S.AUTHOR):  # keep what it adds
                    if kept[col] is None:
                        kept[col] = _text_or_na(parsed.meta.get(col)) or _text_or_na(extra.get(col))
                continue
            row = _resolve(run, where, text, parsed.meta, extra, pub_override, lang_override,
                           extra_name, path=str(path))
            if row is None:
                continue
            given = _text_or_na(parsed.meta.get(S.ARTICLE_ID)) or _text_or_na(extra.get(S.ARTICLE_ID))
            aid = given or f"{_slug(Path(path.name).stem)}-{_short_hash(path.name, text)}"
            base, n = aid, 2
            while aid in ids:  # a given id reused by another file; keep ids unique
                aid, n = f"{base}-{n}", n + 1
            if aid != base:
                run.renamed.append((where, base, aid))
            ids.add(aid)
            seen[digest] = (where, row)
            row.update({S.ARTICLE_ID: aid, S.PATH: name, S.TEXT: text})
            rows.append(row)
            row[S.STRUCTURE] = _structure_json(parsed.paragraphs, parsed.images)
    if not rows and not run.skipped:
        log.warning("load_articles found no article files in %r", source)
    return _frame(rows)


def _shown(path: Path) -> str:
    """``path`` for messages: undecodable bytes of a file name as ``\\xff`` (printable anywhere)."""
    name = str(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return name


_HIDDEN = "hidden file (its name starts with '.'), not loaded; rename it or name it directly"


def _read(path: Path, columns) -> list[F.Parsed]:
    """Read one file read-only and parse it."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        raise F.FormatError(
            f"its name is not valid UTF-8 ({os.fsencode(path.name)!r}); rename the file with a "
            "UTF-8 name (e.g. convmv -f gb18030 -t utf-8)"
        ) from None
    if not path.is_file():
        raise F.FormatError("is not a regular file; pass article files or folders")
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as err:
        raise F.FormatError(
            f"cannot be read ({err.strerror or err}); check that the file exists and is readable"
        ) from None
    return F.parse_file(data, path.suffix, columns)


# ----------------------------------------------------------------------------- catalog


class _Catalogs:
    """Catalog rows by file name: a fixed catalog, or ``articles.csv`` found near each file."""

    def __init__(self, catalog: Any, run: _Run) -> None:
        import pandas as pd

        self.run = run
        self.fixed: dict | None = None
        self.fixed_path: str | None = None
        self.fixed_name = "the catalog"
        self.auto = catalog is None
        self.cache: dict[str, dict | None] = {}
        if catalog is None or catalog is False:
            return
        if isinstance(catalog, pd.DataFrame):
            try:
                self.fixed = self._index(catalog, "catalog=DataFrame")
            except F.FormatError as err:
                raise ValueError(f"catalog= DataFrame {err}") from None
            self.fixed_name = "catalog=DataFrame"
        elif isinstance(catalog, str | os.PathLike):
            path = Path(catalog).expanduser()
            if not path.is_file():
                raise FileNotFoundError(
                    errno.ENOENT, f"catalog not found: {str(catalog)!r}; check catalog=", str(catalog)
                )
            self.fixed_path = os.path.realpath(path)
            self.fixed_name = f"catalog {path}"
            try:
                self.fixed = self._read(path)
            except F.FormatError as err:
                raise ArticleError(f"catalog {path}: {err}", path=str(path)) from None
        else:
            raise TypeError(f"catalog= must be a path, a DataFrame or False, not {type(catalog).__name__}")

    def _read(self, path: Path) -> dict:
        """Read and index a catalog CSV."""
        import io

        import pandas as pd

        with open(path, "rb") as fh:
            text, _ = F.decode(fh.read())
        try:
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
            raise F.FormatError(f"malformed CSV ({str(err).strip()}); fix the catalog") from None
        return self._index(frame, str(path))

    def _index(self, frame, name: str) -> dict:
        """Index catalog rows by file name: {basename: [(file value, metadata)]}."""
        lower = {str(c).strip().lower(): c for c in frame.columns}
        key = next((lower[k] for k in _CATALOG_FILE_KEYS if k in lower), None)
        if key is None:
            raise F.FormatError(
                f"has no 'file' column (columns: {list(frame.columns)}); add one with the article "
                "file names"
            )
        others = [str(c) for c in frame.columns if c != key]
        mapping = F.map_columns(others, None)
        mapping.pop(S.TEXT, None)
        index: dict[str, list] = {}
        for rec in frame.to_dict("records"):
            value = str(rec[key] or "").strip().replace("\\", "/")
            if not value:
                continue
            meta = {col: rec[src] for col, src in mapping.items() if not _missing(rec[src])}
            if "dayfirst" in lower and not _missing(rec[lower["dayfirst"]]):
                meta["dayfirst"] = rec[lower["dayfirst"]]  # how this catalog writes dates
            index.setdefault(value.rsplit("/", 1)[-1], []).append((value, meta))
        return index

    def _near(self, folder: Path) -> dict | None:
        """The auto catalog in ``folder`` (cached), None if there is none or it is broken."""
        key = os.path.realpath(folder)
        if key not in self.cache:
            self.cache[key] = None
            path = folder / CATALOG_NAME
            if path.is_file():
                try:
                    self.cache[key] = self._read(path)
                except F.FormatError as err:
                    self.run.fail(f"catalog {path}", str(err), path=str(path))
        return self.cache[key]

    def lookup(self, path: Path, root: Path) -> tuple[dict, str]:
        """Return ``(catalog metadata, catalog name)`` for one article file."""
        if self.fixed is not None:
            return self._match(self.fixed, path), self.fixed_name
        if not self.auto:
            return {}, ""
        folders: list[Path] = []
        for f in (path.parent, path.parent.parent, root, root.parent):
            if f not in folders:
                folders.append(f)
        for folder in folders:
            index = self._near(folder)
            if index:
                meta = self._match(index, path)
                if meta:
                    return meta, f"catalog {folder / CATALOG_NAME}"
        return {}, ""

    @staticmethod
    def _match(index: dict, path: Path) -> dict:
        """The catalog row for ``path``: by file name, a relative path breaking ties."""
        rows = index.get(path.name)
        if not rows:
            return {}
        if len(rows) > 1:
            full = path.as_posix()
            for value, meta in rows:
                if full.endswith(value):
                    return meta
        return rows[0][1]


# ----------------------------------------------------------------------------- structure registry


def _structure_json(paras: list, imgs: list) -> str:
    """The ``structure`` column's value: the parsed paragraphs and images as compact JSON."""
    import json

    value = {"paragraphs": [list(p) for p in paras], "images": [dict(i) for i in imgs]}
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _structures(articles: pd.DataFrame):
    """Yield (article_id, text, (paragraphs, images)) per article with text.

    The structure comes from the frame's ``structure`` column (what the loader parsed), else it
    is derived from ``text`` and ``title`` alone: the same answer in any process.
    """
    import json

    n = len(articles)
    titles = articles[S.TITLE] if S.TITLE in articles.columns else [None] * n
    stored = articles[S.STRUCTURE] if S.STRUCTURE in articles.columns else [None] * n
    for aid, text, title, js in zip(articles[S.ARTICLE_ID], articles[S.TEXT], titles, stored,
                                    strict=True):
        if not isinstance(text, str):
            continue
        if isinstance(js, str) and js:
            value = json.loads(js)
            yield aid, text, ([tuple(p) for p in value["paragraphs"]], value["images"])
        else:
            yield aid, text, F.derive_structure(text, title if isinstance(title, str) else None)
