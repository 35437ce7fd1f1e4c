"""Traditional -> simplified Chinese folding, one character for one character.

The table is OpenCC's ``TSCharacters`` (the package is a dependency, its dictionaries ship with
it): every traditional character that has a one-character simplified form maps to the first
form listed. Multi-character entries are skipped, so ``len(fold(text)) == len(text)`` and every
offset found in the folded text is an offset in the original. The table is read once per
process (``functools.lru_cache``, safe under threads) and never changes, so results do not
depend on which worker or thread built it.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["fold", "opencc_table", "t2s_table"]


@lru_cache(maxsize=4)
def opencc_table(name: str) -> dict[str, tuple[str, ...]]:
    """Return one of OpenCC's dictionary files (e.g. ``"TSCharacters.txt"``) as key -> values."""
    from importlib.resources import files

    text = files("opencc").joinpath("dictionary", name).read_text(encoding="utf-8")
    out: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        key, _, values = line.partition("\t")
        if key and values:
            out[key] = tuple(values.split())
    return out


@lru_cache(maxsize=1)
def t2s_table() -> dict[int, str]:
    """Return the one-character traditional -> simplified table, for :meth:`str.translate`.

    Returns
    -------
    dict of int to str
        Code point of a traditional character -> its (first) simplified character.

    Examples
    --------
    >>> t2s_table()[ord("華")]
    '华'
    """
    table: dict[int, str] = {}
    for key, values in opencc_table("TSCharacters.txt").items():
        if len(key) == 1 and len(values[0]) == 1 and values[0] != key:
            table[ord(key)] = values[0]
    return table


def fold(text: str) -> str:
    """Return ``text`` with traditional Chinese characters folded to simplified ones.

    Parameters
    ----------
    text : str
        Any text; characters without a simplified form (Latin, punctuation, simplified
        characters) are kept as they are.

    Returns
    -------
    str
        The folded text, of the same length as ``text`` (offsets carry over).

    Examples
    --------
    >>> fold("列車離開平壤，駛向哈巴羅夫斯克")
    '列车离开平壤，驶向哈巴罗夫斯克'
    """
    return text.translate(t2s_table())
