"""Which files hold articles: the one discovery rule for ``load_articles`` and ``process_corpus``.

Both used to walk folders with rules of their own (the corpus runner picked up README/LICENSE
files and skipped ``.tsv``/``.xhtml``, the loader did not); now both call :func:`discover`.
"""

from __future__ import annotations

import errno
import glob
import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from analysis.articles import formats as F

__all__ = ["CATALOG_NAME", "article_files", "discover", "is_article_name"]

log = logging.getLogger(__name__)

#: a folder's catalog of per-file metadata, never an article itself
CATALOG_NAME = "articles.csv"
_NOT_ARTICLES = re.compile(r"^(readme|license|licence|changelog|copying|notice)(\.[^.]*)?$", re.I)


def discover(source: Any, skip: Iterable[str] = (),
             hidden: list[str] | None = None) -> list[tuple[Path, Path]]:
    """The article files of ``source``: ``(file, root)`` pairs in a stable order, each real file once.

    ``source`` is a file, a folder (searched recursively), a glob, or a list of these. A file
    named directly is always taken; folders and globs take files with a known article suffix
    and leave out hidden files and folders, ``README``/``LICENSE``-like files and the
    ``articles.csv`` catalog. Symlink loops are walked once. ``skip`` holds real paths to leave
    out (a catalog given by path). ``root`` is the folder the file was found under. Hidden files
    with an article suffix are appended to ``hidden`` (when given), so callers can name them in
    their skip summary instead of leaving them out silently.

    Raises
    ------
    FileNotFoundError
        A path that does not exist, or a glob that matches nothing.
    TypeError
        A source that is not a path or a list of paths.
    """
    if isinstance(source, str | os.PathLike):
        items = [source]
    elif isinstance(source, Iterable) and not isinstance(source, bytes | dict):
        items = list(source)
    else:
        raise TypeError(
            f"source must be a path, a glob, a list of these or a DataFrame, not {type(source).__name__}"
        )
    out: list[tuple[Path, Path]] = []
    seen: set[str] = {os.path.realpath(x) for x in skip}

    def add(path: Path, root: Path) -> None:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            out.append((path, root))

    for item in items:
        if not isinstance(item, str | os.PathLike):
            raise TypeError(f"source list item {item!r} is not a path")
        text = os.path.expanduser(os.fspath(item))
        path = Path(text)
        if path.is_dir():
            walk(path, add, hidden)
        elif path.exists():
            add(path, path.parent)
        elif glob.has_magic(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                raise FileNotFoundError(
                    errno.ENOENT, f"no files match the pattern {text!r}; check the pattern", text
                )
            for m in matches:
                p = Path(m)
                if p.is_dir():
                    walk(p, add, hidden)
                elif is_article_name(p.name):  # like folder entries: no catalogs, images, READMEs
                    add(p, p.parent)
        else:
            raise FileNotFoundError(
                errno.ENOENT,
                f"article source not found: {text!r} (relative to {os.getcwd()}); check the path",
                text,
            )
    return out


def is_article_name(name: str) -> bool:
    """True for a file a folder or glob may hold articles in (known suffix, not a catalog)."""
    if name.startswith(".") or name.lower() == CATALOG_NAME or _NOT_ARTICLES.match(name):
        return False
    return os.path.splitext(name)[1].lower() in F.KNOWN


def walk(root: Path, add, hidden: list[str] | None = None) -> None:
    """Add the article files under ``root`` (sorted, depth first, symlink loops visited once)."""
    visited: set[str] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if real in visited:
            log.debug("not entering %s again (symlink loop)", folder)
            continue
        visited.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as err:
            log.warning("cannot list folder %s: %s", folder, err.strerror or err)
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                if hidden is not None and is_article_name(entry.name[1:]) and entry.is_file():
                    hidden.append(entry.path)
                continue
            try:
                if entry.is_dir():
                    subfolders.append(Path(entry.path))
                    continue
                if not entry.is_file():
                    continue
            except OSError:
                continue
            if is_article_name(entry.name):
                add(Path(entry.path), root)
        stack.extend(reversed(subfolders))


def article_files(source: Any) -> list[Path]:
    """The article files of ``source`` as sorted absolute paths (see :func:`discover`)."""
    return sorted({Path(os.path.realpath(f)) for f, _ in discover(source)})
