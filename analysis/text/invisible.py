"""Invisible format characters (zero-width, bidi controls): matched through, offsets kept.

Copied web text carries characters that print as nothing (U+200B zero-width space, U+200D
joiner, U+FEFF, U+202A..U+202E and U+2066..U+2069 bidi controls, soft hyphen). Inside a name
(``平\\u200b壤``) they hide it from a gazetteer lookup. :func:`strip_invisible` gives the text
without them plus where each kept character was, so a matcher runs on the clean text and
:func:`original_span` maps its offsets back into the article ``text`` (the surface then holds
the invisible character, as printed).
"""

from __future__ import annotations

import re

__all__ = ["INVISIBLE", "original_span", "strip_invisible"]

#: Unicode format characters that carry no letter: zero-width, joiners, BOM, bidi controls,
#: soft hyphen, word joiner and the invisible math operators
INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def strip_invisible(text: str) -> tuple[str, list[int] | None]:
    """Return ``(clean text, positions)``; ``positions[i]`` is clean character i's offset in ``text``.

    ``positions`` has one extra entry, ``len(text)``, for end offsets; it is None (and the text
    returned unchanged) when ``text`` holds no invisible character, the common case, at the cost
    of one regex search.

    >>> clean, where = strip_invisible("平\\u200b壤")
    >>> clean, original_span(where, 0, 2)
    ('平壤', (0, 3))
    """
    if INVISIBLE.search(text) is None:
        return text, None
    positions = [i for i, ch in enumerate(text) if not INVISIBLE.match(ch)]
    positions.append(len(text))
    return "".join(text[i] for i in positions[:-1]), positions


def original_span(positions: list[int], start: int, end: int) -> tuple[int, int]:
    """The ``[start, end)`` span of the clean text as offsets in the original text."""
    if end <= start:
        return positions[start], positions[start]
    return positions[start], positions[end - 1] + 1
