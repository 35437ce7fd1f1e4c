"""The characters a regular expression's match can start with, read from the pattern's source.

The Chinese grammar puts a one-character lookahead in front of its master regex so that the scan
skips every position where no rule can start. This reads that set from the pattern text with a
small recursive-descent reader of the regex syntax the grammars use (literals, classes, groups,
alternation, quantifiers, lookarounds), instead of CPython's private ``re._parser``.
"""

from __future__ import annotations

import re

_ZERO_WIDTH_ESCAPES = set("bBAZ")
_OPEN_ESCAPES = set("dDsSwW")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_MAX_RANGE = 2000
_OPEN = "\x00open"  # stands for "any character": only fatal if it can come first


class _Reader:
    """FIRST set and nullability of a pattern (``_OPEN`` in the set: any character can come)."""

    def __init__(self, pattern: str):
        self.p, self.i = pattern, 0

    def alternation(self) -> tuple[set[str], bool]:
        chars, nullable = self.sequence()
        while self.i < len(self.p) and self.p[self.i] == "|":
            self.i += 1
            c, n = self.sequence()
            chars |= c
            nullable = nullable or n
        return chars, nullable

    def sequence(self) -> tuple[set[str], bool]:
        chars: set[str] = set()
        nullable = True
        while self.i < len(self.p) and self.p[self.i] not in "|)":
            c, n = self.atom()
            n = self.quantifier() or n
            if nullable:
                chars |= c
            nullable = nullable and n
        return chars, nullable

    def quantifier(self) -> bool:
        """Skip a quantifier after an atom; True when it allows zero repetitions."""
        p, zero = self.p, False
        if self.i < len(p) and p[self.i] in "?*+":
            zero = p[self.i] in "?*"
            self.i += 1
        elif self.i < len(p) and p[self.i] == "{":
            m = re.match(r"\{(\d*)(?:,(\d*))?\}", p[self.i:])
            if not m:
                return False  # a literal "{"; atom() reads it next time
            zero = not m[1] or int(m[1]) == 0
            self.i += m.end()
        else:
            return False
        if self.i < len(p) and p[self.i] in "?+":  # lazy / possessive
            self.i += 1
        return zero

    def atom(self) -> tuple[set[str], bool]:
        p = self.p
        ch = p[self.i]
        if ch == "(":
            return self.group()
        if ch == "[":
            return self.char_class(), False
        if ch == "\\":
            return self.escape()
        self.i += 1
        if ch in "^$":
            return set(), True
        if ch == ".":
            return {_OPEN}, False
        return {ch}, False

    def group(self) -> tuple[set[str], bool]:
        p = self.p
        self.i += 1
        zero_width = False
        if p.startswith("?", self.i):
            rest = p[self.i + 1:]
            if rest.startswith(("=", "!")):
                zero_width, self.i = True, self.i + 2
            elif rest.startswith(("<=", "<!")):
                zero_width, self.i = True, self.i + 3
            elif rest.startswith("P<"):
                self.i = p.index(">", self.i) + 1
            elif rest.startswith(":"):
                self.i += 2
            elif rest.startswith("P="):
                self.i = p.index(")", self.i) + 1
                return {_OPEN}, True
            else:  # inline flags: "(?i)" on their own, or "(?-i:...)" around a group
                m = re.match(r"\?[aiLmsux-]+([:)])", p[self.i:])
                if not m:
                    raise ValueError(f"cannot read group at {self.i}")
                self.i += m.end()
                if m[1] == ")":
                    return set(), True
        chars, nullable = self.alternation()
        if self.i >= len(p) or p[self.i] != ")":
            raise ValueError("unbalanced group")
        self.i += 1
        return (set(), True) if zero_width else (chars, nullable)

    def escape(self) -> tuple[set[str], bool]:
        c = self.p[self.i + 1]
        self.i += 2
        if c in _ZERO_WIDTH_ESCAPES:
            return set(), True
        if c in _OPEN_ESCAPES or c.isdigit():
            return {_OPEN}, c.isdigit()
        return {_SIMPLE_ESCAPES.get(c, c)}, False

    def char_class(self) -> set[str]:
        p = self.p
        self.i += 1
        items: list[str] = []
        if p[self.i] == "^":
            items.append(_OPEN)
            self.i += 1
        first = True
        while first or p[self.i] != "]":
            first = False
            ch = p[self.i]
            if ch == "\\":
                c = p[self.i + 1]
                ch = _OPEN if c in _OPEN_ESCAPES else _SIMPLE_ESCAPES.get(c, c)
                self.i += 2
            else:
                self.i += 1
            items.append(ch)
            if p[self.i] == "-" and p[self.i + 1] != "]":  # a range
                self.i += 1
                hi = p[self.i]
                if hi == "\\":
                    hi = _SIMPLE_ESCAPES.get(p[self.i + 1], p[self.i + 1])
                    self.i += 2
                else:
                    self.i += 1
                lo = items.pop()
                if lo == _OPEN or ord(hi) - ord(lo) > _MAX_RANGE:
                    items.append(_OPEN)
                    continue
                items.extend(chr(c) for c in range(ord(lo), ord(hi) + 1))
        self.i += 1
        return set(items)


def first_chars(pattern: str) -> str | None:
    """The characters a match of ``pattern`` can start with, as a character class, or None
    when any character could (an open class such as ``\\d`` or ``.`` first, or an empty match).

    Letters are added in both cases (the grammars match case-insensitively).

    Examples
    --------
    >>> first_chars(r"(?P<n>[0-2])?(?:点|时)")
    '[012时点]'
    >>> first_chars(r"\\d+年") is None
    True
    """
    reader = _Reader(pattern)
    try:
        chars, nullable = reader.alternation()
        if reader.i != len(pattern):
            raise ValueError("unbalanced )")
    except (ValueError, IndexError):
        return None
    if nullable or _OPEN in chars:
        return None
    chars |= {c.lower() for c in chars}
    chars |= {c.upper() for c in chars}
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"
