"""The English temporal grammar: recognise time expressions and describe them for :mod:`timex`.

The grammar is a set of named rules. Each rule is one pattern built from a small shared vocabulary
(numbers in digits and words, ordinals, months, weekdays, units, parts of the day, relative
modifiers) and a handler that turns the match into a :class:`~analysis.timex.TimeExpr` with the
shared normaliser (``point``, ``part_of_day``, ``interval``, ``nearest_weekday`` ...). Every rule
is one compiled pattern (C speed, no Python loop per character); in a document each rule only
scans windows around the words none of its matches can do without (a month name, a unit, a
four-digit number ...: :data:`_TRIGGERS`), found by one pass over the words, which gives the
whole-text scan's matches at a fraction of its cost (about 1M characters/s of CPU on news). The
longest matches win, and a second pass joins neighbours the way Duckling's composition rules do
("Tuesday" + "morning", "3pm" + "on Friday", "9:30" + "-" + "11:00").

Two callers, two modes:

- :func:`find` tags whole documents (TempEval-3 / TimeML conventions): only what TimeML
  annotates, month names must be capitalised, bare weekdays fall on the side of the reference
  the clause's tense points to ("will meet on Friday" is the coming Friday) and otherwise on the
  past side (95% of TimeBank's bare weekdays), bare months and holidays on the nearest side.
  A document pass then reads the story: a part of the day joins the last day named, "that
  year" / "the following month" count from the last date named, and in a quarterly report
  "a year ago" is the year-ago quarter.
- :func:`parse` reads one expression (Duckling's conventions): a standalone expression with no
  tense cue points forward ("monday" is the coming Monday, "3am" the next 3 o'clock).

The clause's tense comes from cue words around the expression (:meth:`_Ctx.tense`): modals and
"next"/"until"/"effective"/"ahead of" look ahead; reporting verbs, common irregular pasts and
any lower-case word in -ed look back (not after be/is/are, and not un-...-ed adjectives). The
clause ends at a full stop (not after "a.m.", "U.S.", "Mr.", "Oct."), a line break or a quotation
mark. In find(), a clock hour 1-6 with no am/pm is afternoon ("five to seven today" is 18:55;
parse() keeps Duckling's next 6:55), and weekday opening hours need "from"/"between"
("Wednesday from 10-4"; "Monday 12-4" in news is a score, in parse() 12:00-16:00).

Measured (``score.py``, 2026-12-03): Duckling's English corpus 0.9225 (940/1019); TempEval-3
(250 dev documents) span F1 0.9432, value F1 0.8118 (HeidelTime: 0.776 on the test set).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from analysis.timex import calendars
from analysis.timex import expr as T

if TYPE_CHECKING:
    import pandas as pd

# ----------------------------------------------------------------------------- vocabulary

_UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_ORD_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}
#: vague amounts: the value Duckling computes with, and True for "unknown" in TIMEX3 (PXD)
_VAGUE_AMOUNTS = {"a few": 3, "few": 3, "several": 3, "a couple of": 2, "a couple": 2,
                  "couple of": 2, "a pair of": 2, "many": 3, "some": 3, "dozens of": 24,
                  "a number of": 3}
_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4, "saturday": 5,
    "sat": 5, "sunday": 6, "sun": 6,
}
_UNIT_NAMES = {
    "second": "second", "sec": "second", "minute": "minute", "min": "minute", "hour": "hour",
    "hr": "hour", "h": "hour", "day": "day", "night": "day", "week": "week", "fortnight": "week",
    "month": "month", "quarter": "quarter", "qtr": "quarter", "year": "year", "yr": "year",
    "decade": "decade", "century": "century", "centurie": "century", "weekend": "weekend",
}
#: finer grain Duckling uses for "in 3 days" / "3 days ago" (a moment, not the whole unit)
_FINER = {"second": "second", "minute": "second", "hour": "minute", "day": "hour", "week": "day",
          "month": "day", "quarter": "day", "year": "month", "decade": "year", "century": "year"}

_GRAINS = ("second", "minute", "hour", "part_of_day", "day", "week", "month", "season",
           "quarter", "half", "year", "decade", "century")  # finest first

_X_VALUES = {
    "year": "XXXX", "decade": "XXX", "quarter": "XXXX-QX", "half": "XXXX-HX", "season": "XXXX-XX",
    "month": "XXXX-XX", "week": "XXXX-WXX", "day": "XXXX-XX-XX", "part_of_day": "XXXX-XX-XXTXX",
    "hour": "XXXX-XX-XXTXX:XX", "minute": "XXXX-XX-XXTXX:XX", "second": "XXXX-XX-XXTXX:XX:XX",
}


def _alt(words) -> str:
    """A regex alternation of ``words``, longest first (so "sept" beats "sep")."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


# pattern fragments ---------------------------------------------------------------------------
_UNIT_W = _alt(_UNITS)
_TENS_W = _alt(_TENS)
_NUMWORD = rf"(?:(?:{_TENS_W})(?:[\s-]+(?:{_alt(k for k in _UNITS if 0 < _UNITS[k] < 10)}))?|{_UNIT_W})"
_BIG = rf"(?:(?:a|one|two|three|four|five|six|seven|eight|nine)\s+hundred(?:\s+(?:and\s+)?{_NUMWORD})?)"
_VAGUE = _alt(_VAGUE_AMOUNTS)
_DIGITS = r"\d+(?:[.,]\d+)?"
_FRACTION = r"(?:\d/\d)"
_NUM = (rf"(?:\d+\s+[13]/[24]|{_DIGITS}(?:\s+and\s+(?:an?\s+)?half)?|{_BIG}|{_NUMWORD}(?:\s+and\s+(?:a\s+|an\s+)?half)?"
        rf"|{_VAGUE}|an?|{_FRACTION})")
_ORD_W = "|".join([f"(?:twenty|thirty)[\\s-]+(?:{_alt(list(_ORD_WORDS)[:9])})",
                   _alt(_ORD_WORDS)])
_DOM = rf"(?:(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?|{_ORD_W})"
_MONTH = (r"(?:january|february|march|april|may|june|july|august|september|october|november|"
          r"december|(?:jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?:\.|\b|(?=\d)))")
_WEEKDAY = (r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|"
            r"(?:mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)(?:\.|\b))")
_YEAR = r"(?:1[0-9]{3}|20[0-9]{2})"
_YEAR_ANY = r"(?:'\d\d|1[0-9]{3}|20[0-9]{2}|\d{2}(?=\b))"
_AMPM = r"(?:[ap]\.?\s?m\b\.?|[ap]\b\.?(?!\w))"
_TZ_NAMES = r"(?:gmt|utc|cet|cest|est|edt|pst|pdt|cst|cdt|mst|mdt|bst|ist|jst|msk|hkt)"
_TZ = rf"(?:\s*\({_TZ_NAMES}\)|\s*\b{_TZ_NAMES}\b)"
_POD = (r"(?:early\s+morning|late\s+morning|morning|mornings|afternoon|afternoonish|evening|"
        r"night|late\s+night|lunch(?:time)?|midday|mid\s+day|noon|midnight|daytime|dawn|dusk)")
_UNIT = (r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|(?<=\d)h(?=\b)|days?|nights?|weeks?|fortnights?|"
         r"months?|quarters?|qtrs?|years?|yrs?|decades?|centuries|century|weekends?)")
_REL = r"(?:this|next|last|past|previous|coming|upcoming|current|following|prior|the\s+following|the\s+previous|this\s+past)"
_APPROX = {
    "about": "APPROX", "around": "APPROX", "approximately": "APPROX", "roughly": "APPROX",
    "some": "APPROX", "nearly": "LESS_THAN", "almost": "LESS_THAN", "more than": "MORE_THAN",
    "over": "MORE_THAN", "at least": "EQUAL_OR_MORE", "less than": "LESS_THAN",
    "under": "LESS_THAN", "up to": "EQUAL_OR_LESS", "at most": "EQUAL_OR_LESS",
    "fewer than": "LESS_THAN", "just over": "MORE_THAN", "just under": "LESS_THAN",
    "barely": "LESS_THAN", "only": None, "just": None, "a full": None, "a whole": None,
    "full": None, "whole": None, "another": None, "an additional": None, "the first": None,
    "the last": None, "the past": None, "the next": None, "the coming": None, "the latest": None,
    "the previous": None, "the final": None, "the": None,
}
_MODS = _alt(k for k in _APPROX if not k.startswith("the"))


# ----------------------------------------------------------------------------- small parsers

def _num(s: str) -> tuple[float, bool] | None:
    """The amount a number phrase denotes and whether it is vague ("several" -> (3, True))."""
    s = " ".join(s.lower().replace("-", " ").split())
    if not s:
        return None
    half = 0.0
    m = re.search(r"\s+and\s+(?:an?\s+)?half$", s)
    if m:
        half, s = 0.5, s[: m.start()]
    if s in _VAGUE_AMOUNTS:
        return float(_VAGUE_AMOUNTS[s]), "couple" not in s and "pair" not in s
    m = re.fullmatch(r"(\d+)\s+(\d)/(\d)", s)
    if m:
        return int(m[1]) + int(m[2]) / int(m[3]) + half, False
    if s in ("a", "an"):
        return 1 + half, False
    if re.fullmatch(r"\d/\d", s):
        a, b = s.split("/")
        return int(a) / int(b), False
    if re.fullmatch(r"\d+(?:[.,]\d+)?", s):
        return float(s.replace(",", ".")) + half, False
    total, cur = 0, 0
    for w in s.split():
        if w == "and":
            continue
        if w in _UNITS:
            cur += _UNITS[w]
        elif w in _TENS:
            cur += _TENS[w]
        elif w == "hundred":
            cur = max(cur, 1) * 100
        elif w in ("a",):
            cur += 1
        else:
            return None
    total += cur
    return float(total) + half, False


def _ord(s: str) -> int | None:
    """The number of an ordinal ("3rd", "twenty-first") or plain day number."""
    s = " ".join(s.lower().replace("-", " ").split())
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?", s)
    if m:
        return int(m.group(1))
    parts = s.split()
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _ORD_WORDS:
        return _TENS[parts[0]] + _ORD_WORDS[parts[1]]
    return _ORD_WORDS.get(s)


def _month(s: str) -> int:
    return _MONTHS[s.lower().rstrip(".")]


def _weekday(s: str) -> int:
    s = s.lower().rstrip(".")
    if s.endswith("s") and s[:-1] in _WEEKDAYS:
        s = s[:-1]
    return _WEEKDAYS[s]


def _year(s: str, ref: pd.Timestamp | None = None) -> int:
    s = s.strip().lstrip("'")
    y = int(s)
    if len(s) == 2:  # '74 -> 1974, 15 -> 2015: the century that puts it within 50 years of now
        base = ref.year if ref is not None else 2000
        y += (base // 100) * 100
        if y > base + 50:
            y -= 100
    return y


def _unit(s: str) -> str:
    s = s.lower().rstrip(".")
    if s.endswith("ies"):
        s = s[:-3] + "y"
    elif s.endswith("s") and s not in ("s",):
        s = s[:-1]
    return _UNIT_NAMES.get(s, s)


# ----------------------------------------------------------------------------- context


class _NeedRef(Exception):
    """A relative expression met an unknown reference time; carries the granularity."""

    def __init__(self, grain: str):
        super().__init__(grain)
        self.grain = grain


_FUTURE_CUES = re.compile(
    r"\b(?:will|won't|wo\s+n't|shall|'ll|would|going\s+to|expected\s+to|expects?\s+to|plans?\s+to|planned\s+to|"
    r"planning\s+to|scheduled|set\s+to|intends?\s+to|to\s+be\s+held|is\s+to|are\s+to|"
    r"next(?!\s+to\b)|upcoming|tomorrow|until|as\s+soon\s+as|as\s+early\s+as|effective|ahead\s+of)\b", re.I)
_trie = T.word_alternation  # the shared trie alternation (analysis.timex)


_PAST_WORDS = (
    "said was were had did ago last earlier previously told announced reported "
    "met left arrived visited held began ended rose fell closed opened took gave came went made "
    "won lost attended launched agreed decided approved rejected released returned crashed "
    "exploded struck killed died signed landed flew traveled travelled crossed headed "
    "started finished completed occurred happened filed issued ruled voted elected named "
    "appointed resigned accused charged arrested attacked fired called urged warned denied "
    "confirmed acknowledged added noted stated declared wrote published posted tweeted "
    # reporting verbs: the report is past even when what it reports is ahead ("X will ..., Cuba
    # predicted Wednesday")
    "predicted insisted argued explained revealed claimed estimated indicated suggested promised "
    "vowed pledged threatened asked demanded criticized criticised disclosed unveiled "
    "reiterated stressed admitted conceded recalled testified "
    # irregular simple pasts (the regular ones are any lower-case word in -ed, below)
    "brought bought sold sought caught taught thought fought got paid kept sent spent built "
    "found led fled saw knew grew threw drew wrote spoke broke chose froze stole became ran sat "
    "stood understood felt meant heard hid shot stuck swore tore wore forgot ate sank sang "
    "withdrew overtook undertook sprang dug hung slid spun bled fed sped wept slept swept dealt "
    "didn't wasn't weren't hadn't").split()
#: one word between word boundaries: no two words fit at one place, so the trie finds what the
#: plain alternation of the words finds; then any lower-case word in -ed (a regular past or
#: perfect: "stepped down in March", "has received"), lower-case so names (Fred, Ahmed) stay out
_PAST_CUES = re.compile(rf"\b(?:{_trie(_PAST_WORDS)}|(?-i:[a-z]{{2,}}ed))\b", re.I)
#: -ed words that are no past tense: not verbs, or participles that look ahead
_NOT_PAST = {"expected", "scheduled", "planned", "need", "indeed", "proceed", "succeed",
             "exceed", "speed", "seed", "feed", "breed", "bed", "red", "shed", "hundred",
             "based", "united", "limited", "related", "called", "named", "used", "concerned",
             "proposed", "intended", "supposed", "alleged", "so-called", "interested", "detailed",
             "advanced", "sacred", "naked", "wicked", "rugged", "beloved", "aged", "creed", "greed",
             "deed", "weed", "bleed", "embed", "unprecedented", "unexpected", "unidentified",
             "unnamed", "armed", "skilled", "talented", "married", "retired", "required"}
#: "be"/"being"/"is"/"are" before a participle make a passive whose tense is the auxiliary's
#: ("will be completed Friday", "the case is heard in May")
_PASSIVE_AUX = re.compile(r"\b(?:be|being|is|are)\s+(?:\w+ly\s+)?$", re.I)
#: un-…-ed words are adjectives ("markets untouched by the crisis")
_UN_ED = re.compile(r"un\w+ed", re.I)
#: a clause ends at . ; ! ? before a space or at a line break, but not after an abbreviation
#: ("at 9 a.m. Tuesday", "U.S. officials", "Mr. Smith", "Oct. 23"); a quotation mark ends one
#: too ("``He will leave Thursday,'' Castro said": the quote's tense, not the reporting verb's)
_CLAUSE_END = re.compile(
    r"(?<![A-Z])(?<!\b[ap]\.m)(?<!\bMrs)(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bGen)"
    r"(?<!\bSen)(?<!\bRep)(?<!\bGov)(?<!\bLt)(?<!\bCol)(?<!\bSgt)(?<!\bCapt)(?<!\bNo)(?<!\bvs)"
    r"(?<!\bJan)(?<!\bFeb)(?<!\bAug)(?<!\bSept)(?<!\bSep)(?<!\bOct)(?<!\bNov)(?<!\bDec)"
    r"[.;!?]\s|\n|''|``|[\"“”]")


@dataclass
class _Ctx:
    """What a handler needs: the reference, the mode and the text around the match."""

    ref: Any  # pandas.Timestamp or None
    text: str
    lenient: bool  # parse(): Duckling conventions (latent readings, future by default)
    start: int = 0
    end: int = 0

    def need(self, grain: str) -> pd.Timestamp:
        if self.ref is None:
            raise _NeedRef(grain)
        return self.ref

    def tense(self) -> str | None:
        """The tense of the clause around the match: past, future, or None."""
        text, a, b = self.text, self.start, self.end
        lo = max(0, a - 120)
        left = text[lo:a]
        cut = [m.end() for m in _CLAUSE_END.finditer(left)]
        if cut:
            left = left[cut[-1]:]
        right = text[b: b + 80]
        m = _CLAUSE_END.search(right)
        if m:
            right = right[: m.start()]
        best: tuple[int, str] | None = None
        for side, s in (("l", left), ("r", right)):
            for rx, tense0 in ((_FUTURE_CUES, "future"), (_PAST_CUES, "past")):
                for m in rx.finditer(s):
                    tense = tense0
                    w = m.group(0).lower()
                    if tense == "past" and (w in _NOT_PAST or _UN_ED.fullmatch(w) or _PASSIVE_AUX.search(
                            s[max(0, m.start() - 20): m.start()])):
                        continue
                    if tense == "future" and not w.startswith("plan") and re.search(
                            r"\b(?:had\s+been|was|were)\s+$", s[max(0, m.start() - 12): m.start()],
                            re.I):
                        tense = "past"  # "had been scheduled to expire Friday"
                    dist = len(s) - m.end() if side == "l" else m.start()
                    if side == "r":
                        dist += 15  # the governing verb usually comes first in news English
                    if best is None or dist < best[0]:
                        best = (dist, tense)
        if best is None:
            return "future" if self.lenient else None
        return best[1]


# ----------------------------------------------------------------------------- the rules


@dataclass
class _Hit:
    """One recognised expression and what the joining pass needs to know about it."""

    start: int
    end: int
    expr: T.TimeExpr
    rule: str
    tod: tuple[int, int, int, bool] | None = None  # hour, minute, second, am/pm known
    pod: str | None = None  # a part of the day without its own day ("morning")
    day_given: bool = False  # the expression names a day (so a time can attach to it)
    prio: int = 0
    tag: str | None = None  # "year_back": "a year ago" compares with the quarter in focus
    expr_args: tuple | None = None  # "anchor": (unit, offset, default expression)


_RULES: list[tuple[str, re.Pattern, Callable, int, bool | str]] = []

#: what may not follow a match: more of the word, more of a number, or a compound it is part of
#: ("the year-ago quarter", "year-end", "decades-long", "the quarter-to-quarter comparison")
_TAIL = r"(?![\w/]|[-.,]\d|'(?!s\b)\w|-(?:ago|earlier|end|long|old|to|over|on)\b)"


def _rule(name: str, pattern: str, *, prio: int = 0, lenient_only: bool = False,
          flags: int = re.I, find_prefix: str | None = None):
    """Register a handler for ``pattern`` (compiled once, with word boundaries around it).

    ``find_prefix`` is a cheap lookahead that find() puts in front of the pattern to skip most
    positions of a long document quickly (parse() reads the pattern without it)."""

    def deco(fn):
        rx = re.compile(rf"(?<![\w'/.-])(?:{pattern}){_TAIL}", flags)
        if find_prefix is None:
            _RULES.append((name, rx, fn, prio, lenient_only))
        else:
            fast = re.compile(rf"(?<![\w'/.-]){find_prefix}(?:{pattern}){_TAIL}", flags)
            _RULES.append((name, rx, fn, prio, "parse"))
            _RULES.append((name, fast, fn, prio, "find"))
        return fn

    return deco


# shared resolution helpers -------------------------------------------------------------------

def _date_no_year(ctx: _Ctx, month: int, day: int, weekday: int | None = None):
    """A month/day without a year: the year the tense (or the weekday) points to."""
    import pandas as pd

    ref = ctx.need("day")
    cands = []
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            cands.append(pd.Timestamp(year=y, month=month, day=day))
        except ValueError:
            continue
    if not cands:
        return None
    if weekday is not None:
        match = [c for c in cands if c.weekday() == weekday]
        if match:
            return min(match, key=lambda c: abs(c - ref))
    day0 = T.floor(ref, "day")
    tense = ctx.tense()
    if tense == "past":
        past = [c for c in cands if c <= day0]
        if past and (day0 - past[-1]).days < 300:
            return past[-1]
    if tense == "future":
        fut = [c for c in cands if c >= day0]
        if fut:
            return fut[0]
    return min(cands, key=lambda c: abs((c - day0).days) * (1.0 if c <= day0 else 1.2))


def _month_no_year(ctx: _Ctx, month: int):
    """A bare month: this year's, or the nearest one the tense points to."""
    import pandas as pd

    ref = ctx.need("month")
    this = pd.Timestamp(year=ref.year, month=month, day=1)
    cur = T.floor(ref, "month")
    tense = ctx.tense()
    if this == cur:
        return this
    for k in (-1, 1):  # news: next month's events and last month's figures
        if T.shift(cur, k, "month").month == month and not ctx.lenient:
            return T.shift(cur, k, "month")
    if tense == "future":
        return this if this > cur else T.shift(this, 1, "year")
    if tense == "past":
        return this if this < cur else T.shift(this, -1, "year")
    # no cue: the nearest one (news looks back a little more readily than ahead)
    cands = [T.shift(this, k, "year") for k in (-1, 0, 1)]
    return min(cands, key=lambda c: abs((c - cur).days) * (1.0 if c < cur else 1.2))


def _weekday_day(ctx: _Ctx, wd: int, rel: str | None):
    import pandas as pd

    ref = ctx.need("day")
    rel = (rel or "").lower().split()[-1] if rel else None
    if rel in ("next",) or rel == "following":
        if ctx.lenient:
            return T.weekday_in_week(ref, wd, 1)
        d = T.nearest_weekday(ref, wd, "future")
        return d if d > T.floor(ref, "day") else d + pd.Timedelta(days=7)
    if rel in ("last", "past", "previous", "prior"):
        if ctx.lenient:
            return T.weekday_in_week(ref, wd, -1)
        d = T.nearest_weekday(ref, wd, "past")
        return d if d < T.floor(ref, "day") else d - pd.Timedelta(days=7)
    if rel in ("this", "coming", "upcoming"):
        return T.nearest_weekday(ref, wd, "future" if rel != "this" or ctx.lenient else None)
    tense = ctx.tense()
    if tense is None and not ctx.lenient:
        # news reports what happened: a bare weekday with no future cue is the last one
        tense = "past"
    return T.nearest_weekday(ref, wd, tense)


def _day_expr(d, text: str = "") -> T.TimeExpr:
    return T.point(d, "day", text=text)


# dates ---------------------------------------------------------------------------------------

@_rule("iso_datetime",
       r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s](\d{1,2}):(\d{2})(?::(\d{2}))?)?"
       r"(?:\s*/\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s](\d{1,2}):(\d{2})(?::(\d{2}))?)?)?", prio=3)
def _iso(m, ctx):
    import pandas as pd

    def one(g):
        y, mo, d, hh, mi, ss = g
        t = pd.Timestamp(year=int(y), month=int(mo), day=int(d))
        if hh is None:
            return T.point(t, "day")
        t = t + pd.Timedelta(hours=int(hh), minutes=int(mi), seconds=int(ss or 0))
        return T.point(t, "second" if ss else "minute")

    a = one(m.groups()[:6])
    if m.group(7):
        return T.interval(a, one(m.groups()[6:]))
    return a


@_rule("slash_date", r"(\d{4})/(\d{1,2})/(\d{1,2})", prio=3)
def _ymd_slash(m, ctx):
    import pandas as pd

    return _day_expr(pd.Timestamp(year=int(m[1]), month=int(m[2]), day=int(m[3])))


@_rule("numeric_date", r"(\d{1,2})\s?([/.-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})", prio=3)
def _mdy(m, ctx):
    import pandas as pd

    a, b = int(m[1]), int(m[3])
    mo, d = (a, b) if a <= 12 else (b, a)  # US month first, unless it cannot be a month
    if m[2] == "." and not ctx.lenient and len(m[4]) == 2:
        return None  # 1.5.12 is a version number more often than a date in prose
    return _day_expr(pd.Timestamp(year=_year(m[4], ctx.ref), month=mo, day=d))


@_rule("year_month_num", r"(\d{4})[-/](\d{1,2})", prio=2)
def _ym(m, ctx):
    import pandas as pd

    if not 1 <= int(m[2]) <= 12:
        return None
    return T.point(pd.Timestamp(year=int(m[1]), month=int(m[2]), day=1), "month")


@_rule("month_year_num", r"(\d{1,2})/(\d{4})", prio=2)
def _my(m, ctx):
    import pandas as pd

    if not 1 <= int(m[1]) <= 12:
        return None
    return T.point(pd.Timestamp(year=int(m[2]), month=int(m[1]), day=1), "month")


@_rule("month_day_num", r"(\d{1,2})\s?[/-]\s?(\d{1,2})", lenient_only=True)
def _md(m, ctx):
    mo, d = int(m[1]), int(m[2])
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    x = _date_no_year(ctx, mo, d)
    return _day_expr(x) if x is not None else None


def _wd_prefix() -> str:
    return rf"(?:(?P<wd>{_WEEKDAY})\s*,?\s*(?:the\s+)?)?"


@_rule("month_day",
       r"(?:(?P<mrel>last|next|this\s+past|this\s+coming)\s+)?" + _wd_prefix() + rf"(?P<mon>{_MONTH})\s*(?:,\s*(?=(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)\b))?"
       rf"(?:the\s+)?(?P<dom>{_DOM})(?!\s*(?:%|percent))"
       rf"(?:(?:\s*,\s*|\s+)(?:(?P<wd2>{_WEEKDAY})|(?:of\s+)?(?P<year>{_YEAR_ANY})))?", prio=2)
def _month_day(m, ctx):
    """A calendar day written month first or day first, with an optional weekday and year."""
    import pandas as pd

    if not _month_ok(m, "mon", ctx, strong=True):
        return None
    mo, d = _month(m["mon"]), _ord(m["dom"])
    if d is None or d > 31:
        return None
    wd = m["wd"] or m.groupdict().get("wd2")
    wd = _weekday(wd) if wd else None
    if m["year"]:
        try:
            return _day_expr(pd.Timestamp(year=_year(m["year"], ctx.ref), month=mo, day=d))
        except ValueError as err:
            if "out of range for month" in str(err):
                raise  # no such day: _candidates drops the parts of the span, not a wrong month
            return None
    mrel = (m.groupdict().get("mrel") or "").lower()
    if mrel:  # "last Oct. 23": the latest one before today; "next May 1" the first one after
        day0 = T.floor(ctx.need("day"), "day")
        step = -1 if mrel in ("last", "this past") else 1
        for k in range(0, 9):
            try:
                x = pd.Timestamp(year=day0.year + step * k, month=mo, day=d)
            except ValueError:
                continue
            if (x < day0) if step < 0 else (x > day0):
                return _day_expr(x)
        return None
    x = _date_no_year(ctx, mo, d, wd)
    return _day_expr(x) if x is not None else None


_rule("day_month",
       _wd_prefix() + rf"(?P<dom>{_DOM})\s*(?:of\s+(?:the\s+month\s+of\s+)?|/|-)?\s*(?P<mon>{_MONTH})"
       rf"(?:\s*,?\s*(?:/|-)?\s*(?P<year>{_YEAR_ANY}))?", prio=2)(_month_day)


@_rule("ides", rf"the\s+ides\s+of\s+(?P<mon>{_MONTH})", lenient_only=True)
def _ides(m, ctx):
    mo = _month(m["mon"])
    x = _date_no_year(ctx, mo, 15 if mo in (3, 5, 7, 10) else 13)
    return _day_expr(x)


def _month_ok(m, group: str, ctx: _Ctx, strong: bool = False) -> bool:
    """Month names in prose must be capitalised; "may" and "march" need more than that."""
    if ctx.lenient:
        return True
    w = m[group]
    if not w[0].isupper():
        return False
    if w.lower() in ("may", "march", "mar", "jan", "sun", "sat", "wed") and not strong:
        return False
    return True


@_rule("month_year",
       rf"(?:(?P<pos>early|mid|late|the\s+end\s+of|end\s+of|the\s+beginning\s+of|beginning\s+of|"
       rf"the\s+start\s+of|the\s+middle\s+of)[\s-]+)?(?P<mon>{_MONTH})\s*,?\s*(?:of\s+)?(?P<year>{_YEAR}|'\d\d)",
       prio=1)
def _month_year(m, ctx):
    import pandas as pd

    if not _month_ok(m, "mon", ctx, strong=True):
        return None
    s = pd.Timestamp(year=_year(m["year"], ctx.ref), month=_month(m["mon"]), day=1)
    return _part_of(T.point(s, "month"), m["pos"], ctx)


@_rule("unit_after_next", r"the\s+(?P<unit>week|month|year|quarter)\s+(?P<dir>after\s+next|before\s+last)")
def _unit_after_next(m, ctx):
    """"the week after next" / "the month before last": two units from this one."""
    unit = m["unit"].lower()
    ref = ctx.need("day")
    n = 2 if m["dir"].lower().startswith("after") else -2
    return T.point(T.shift(T.floor(ref, unit), n, unit), unit)


@_rule("year_month", rf"(?P<year>{_YEAR})\s*,?\s+(?P<mon>{_MONTH})", prio=1, lenient_only=True)
def _year_month(m, ctx):
    """"2017 April": a year, then its month (one expression typed on its own)."""
    import pandas as pd

    return T.point(pd.Timestamp(year=int(m["year"]), month=_month(m["mon"]), day=1), "month")


@_rule("month",
       rf"(?:(?P<pos>early|mid|late|the\s+end\s+of|end\s+of|the\s+beginning\s+of|beginning\s+of|"
       rf"the\s+start\s+of|the\s+middle\s+of|(?:at\s+)?the\s+end\s+of)[\s-]+)?"
       rf"(?:(?P<rel>this|next|last|past|coming|previous)\s+)?(?P<mon>{_MONTH})"
       rf"(?P<after>\s+after\s+next)?(?:\s+(?P<inyear>in\s+(?:a|1|one)\s+year))?")
def _month_alone(m, ctx):
    import pandas as pd

    w = m["mon"]
    if not ctx.lenient:
        if not w[0].isupper():
            return None
        if w.lower().rstrip(".") in ("may", "mar", "march", "jan", "dec", "jun") and not (
            m["pos"] or m["rel"] or _prep_before(ctx, m.start())
        ):
            return None
        if w.endswith(".") is False and len(w) <= 3 and w.lower() not in ("may",):
            return None
    mo = _month(w)
    ref = ctx.need("month")
    rel = (m["rel"] or "").lower()
    if rel in ("next", "coming"):
        s = pd.Timestamp(year=ref.year, month=mo, day=1)
        if s <= T.floor(ref, "month"):
            s = T.shift(s, 1, "year")
    elif rel in ("last", "past", "previous"):
        s = pd.Timestamp(year=ref.year, month=mo, day=1)
        if s >= T.floor(ref, "month"):
            s = T.shift(s, -1, "year")
    elif rel == "this":
        s = pd.Timestamp(year=ref.year, month=mo, day=1)
    else:
        s = _month_no_year(ctx, mo)
    if m["after"]:
        s = T.shift(s, 1, "year")
    if m["inyear"]:
        s = T.shift(s, 1, "year")
    return _part_of(T.point(s, "month"), m["pos"], ctx)


_PREP_BEFORE = re.compile(r"(?:\b(?:in|of|since|until|till|by|from|through|during|before|after|"
                          r"over|into|throughout|this|that|last|next|"
                          r"early|late|mid|last|next|this|between|and|to|on|for)[\s-]+)$", re.I)


def _prep_before(ctx: _Ctx, start: int) -> bool:
    return bool(_PREP_BEFORE.search(ctx.text[max(0, start - 12): start]))


def _part_of(e: T.TimeExpr, pos: str | None, ctx: _Ctx) -> T.TimeExpr:
    """early/mid/late: Duckling's thirds of a month (1-10, 11-20, 21-end) and of a year
    (first/last four months); TIMEX3 keeps the whole value with a mod."""
    if not pos:
        return e
    import pandas as pd

    p = pos.lower()
    kind = ("START" if ("early" in p or "beginning" in p or "start" in p) else
            "END" if ("late" in p or "end" in p) else "MID")
    s, g = e.start, e.granularity
    if g == "month":
        bounds = {"START": (0, 10), "MID": (10, 20), "END": (20, None)}[kind]
        a = s + pd.Timedelta(days=bounds[0])
        b = s + pd.Timedelta(days=bounds[1]) if bounds[1] is not None else e.end
    elif g == "year":
        bounds = {"START": (0, 3), "MID": (4, 8), "END": (8, 12)}[kind]
        a, b = T.shift(s, bounds[0], "month"), T.shift(s, bounds[1], "month")
    elif g == "week":
        bounds = {"START": (0, 3), "MID": (2, 5), "END": (4, 7)}[kind]
        a, b = s + pd.Timedelta(days=bounds[0]), s + pd.Timedelta(days=bounds[1])
    else:
        return replace(e, mod=kind)
    return replace(e, start=a, end=b, mod=kind)


# years, decades, quarters ----------------------------------------------------------------------

_YEAR_BLOCK_AFTER = re.compile(
    r"\s*(?:%|percent|per\s*cent|people|persons|troops|soldiers|men|women|shares|tons|tonnes|"
    r"barrels|miles|kilometers|km|feet|meters|metres|dollars|yuan|euros|points|votes|cases|"
    r"deaths|jobs|units|acres|homes|cars|pounds|workers|employees|students|words|pages)\b", re.I)
_YEAR_BLOCK_BEFORE = re.compile(r"(?:[$€£#¥]|\bno\.|\bnumber|\bflight|\broute|\bcode|\bpage|"
                                r"\bmodel|\bversion|\broom|\bpoint|\babout|\bsome|\bnearly|"
                                r"\balmost|\bover|\bthan|\bthe|\bof)\s*$", re.I)


@_rule("year",
       rf"(?:(?P<pos>mid|early|late|post|pre)-)?(?:(?P<fy>fiscal(?:\s+year)?|fy)\s*)?(?P<year>{_YEAR})"
       rf"(?P<era>\s*(?:a\.d\.|ad\b|b\.c\.|bc\b))?")
def _year_rule(m, ctx):
    import pandas as pd

    y = int(m["year"])
    if not m["fy"] and not m["era"]:
        before = ctx.text[max(0, m.start() - 12): m.start()]
        if _YEAR_BLOCK_AFTER.match(ctx.text, m.end()):
            return None
        if re.search(r"[$€£#¥]\s*$", before) or re.search(r"[\d,.]$", before):
            return None
        if not ctx.lenient:
            if _YEAR_BLOCK_BEFORE.search(before) and not re.search(r"\b(?:of|the|over)\s*$", before):
                return None
            if re.search(r"\bthe\s*$", before) and not re.match(r"\s+[A-Za-z]", ctx.text[m.end():]):
                return None
            if not 1800 <= y <= 2100:
                return None
            if ctx.text[m.end(): m.end() + 1] == ",":
                nxt = ctx.text[m.end() + 1: m.end() + 5]
                if re.match(r"\d{3}", nxt):
                    return None
    era = (m["era"] or "").lower()
    if "b" in era:
        return _bc_year(-y)
    e = T.point(pd.Timestamp(year=y, month=1, day=1), "year")
    pos = (m["pos"] or "").lower()
    if pos in ("mid", "early", "late"):
        e = _mod(e, pos)
    elif pos in ("post", "pre"):
        e = replace(e, mod="AFTER" if pos == "post" else "BEFORE")
    return e


def _bc_year(y: int) -> T.TimeExpr:
    """A year before the common era (pandas cannot hold it: start/end stay None)."""
    return T.TimeExpr(None, None, "year", f"-{abs(y):04d}", None, "date")


@_rule("year_ad_short", r"(?P<year>\d{1,3})\s*(?:a\.d\.|ad\b)", lenient_only=True)
def _year_ad(m, ctx):
    import pandas as pd

    return T.point(pd.Timestamp(year=int(m["year"]), month=1, day=1), "year")


@_rule("spelled_year",
       rf"(?:nineteen|twenty)[\s-]+(?:{_NUMWORD})|two\s+thousand(?:\s+(?:and\s+)?(?:{_NUMWORD}))?")
def _spelled_year(m, ctx):
    import pandas as pd

    s = m.group(0).lower().replace("-", " ")
    parts = s.split()
    if parts[:2] == ["two", "thousand"]:
        rest = _num(" ".join(p for p in parts[2:] if p != "and")) if len(parts) > 2 else (0, False)
        y = 2000 + int(rest[0]) if rest else None
    else:
        rest = _num(" ".join(parts[1:]))
        if rest is None or rest[0] < 10 and parts[1] not in ("oh",):
            return None
        y = (19 if parts[0] == "nineteen" else 20) * 100 + int(rest[0])
    if y is None:
        return None
    if not ctx.lenient and y > (ctx.ref.year + 10 if ctx.ref is not None else 2100):
        return None
    return T.point(pd.Timestamp(year=y, month=1, day=1), "year")


_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                 "seventies": 7, "eighties": 8, "nineties": 9}


@_rule("decade",
       rf"(?:the\s+)?(?:(?P<pos>early|mid|late)[\s-]+)?(?:(?P<full>1[0-9]{{2}}0|20[0-9]0)'?s|'(?P<short>\d0)'?s|"
       rf"(?P<word>{_alt(_DECADE_WORDS)}))")
def _decade(m, ctx):
    import pandas as pd

    if m["full"]:
        y = int(m["full"])
    elif m["short"]:
        y = 1900 + int(m["short"])
        if ctx.ref is not None and y + 100 <= ctx.ref.year:
            y += 100
    else:
        if not re.match(r"the\s", m.group(0), re.I):
            return None
        y = 1900 + 10 * _DECADE_WORDS[m["word"].lower()]
    e = T.point(pd.Timestamp(year=y, month=1, day=1), "decade")
    if m["pos"]:
        e = replace(e, mod={"early": "START", "mid": "MID", "late": "END"}[m["pos"].lower()])
    return e


@_rule("century", rf"(?:the\s+)?(?P<n>\d{{1,2}}(?:st|nd|rd|th)|{_ORD_W})[\s-]+century")
def _century(m, ctx):
    import pandas as pd

    n = _ord(m["n"])
    if not n or n > 21:
        return None
    return T.point(pd.Timestamp(year=max(1, (n - 1) * 100), month=1, day=1), "century")


_QORD = rf"(?:{_ORD_W}|[1-4](?:st|nd|rd|th))"
_ENDED = re.compile(rf"\s+end(?:ed|ing)\s+(?P<mon>{_MONTH})\s*(?P<dom>{_DOM})\b", re.I)


@_rule("quarter",
       rf"(?:the\s+)?(?:(?:comparable|corresponding)\s+)?"
       rf"(?:(?P<ypre>{_YEAR})\s+|(?P<relyp>this|last|next)\s+year's\s+|(?P<yback>year-ago|year-earlier)\s+(?={_QORD}))?"
       rf"(?:fiscal[\s-]+)?"
       rf"(?P<q>{_QORD}|last|latest|final|past|previous|next|this|current|coming|"
       rf"year-ago|year-earlier|same)[\s-]+(?:(?:fiscal|calendar)[\s-]+)?(?:quarter|qtr)"
       rf"(?:\s+(?:of\s+)?(?:(?:fiscal\s+)?(?P<year>{_YEAR})|(?P<rely>this|last|next)\s+year))?"
       rf"|(?P<y2>{_YEAR})\s*-?\s*q(?P<q2>[1-4])|(?P<yy>\d\d)q(?P<q3>[1-4])"
       rf"|the\s+(?P<yq>{_YEAR})\s+(?:fiscal\s+)?quarter"
       rf"|(?:the\s+)?(?P<bare>quarter)", prio=2)
def _quarter(m, ctx):
    import pandas as pd

    if m["y2"] or m["yy"]:
        y = int(m["y2"]) if m["y2"] else _year(m["yy"], ctx.ref)
        q = int(m["q2"] or m["q3"])
        return T.point(pd.Timestamp(year=y, month=3 * q - 2, day=1), "quarter")
    if m["yq"]:
        ref = ctx.need("quarter")
        last = T.shift(T.floor(ref, "quarter"), -1, "quarter")
        return T.point(last.replace(year=int(m["yq"])), "quarter")
    if m["bare"]:
        return _bare_quarter(m, ctx)
    word = m["q"].lower()
    ref = ctx.need("quarter") if not m["year"] else ctx.ref
    cur = T.floor(ref, "quarter") if ref is not None else None
    if word in ("last", "latest", "past", "previous") or word == "final" and not m["year"]:
        return T.point(T.shift(cur, -1, "quarter"), "quarter")
    if word in ("next", "coming"):
        return T.point(T.shift(cur, 1, "quarter"), "quarter")
    if word in ("this", "current"):
        return T.point(cur, "quarter")
    if word in ("year-ago", "year-earlier", "same"):
        return T.point(T.shift(T.shift(cur, -1, "quarter"), -1, "year"), "quarter")
    q = 4 if word == "final" else _ord(word)
    if q is None or not 1 <= q <= 4:
        return None
    y = int(m["year"] or m["ypre"]) if m["year"] or m["ypre"] else _quarter_year(m, ctx, q)
    return T.point(pd.Timestamp(year=y, month=3 * q - 2, day=1), "quarter")


def _quarter_year(m, ctx, q: int) -> int:
    """The year of "the third quarter" with no year: this one, or last year's if it is ahead."""
    import pandas as pd

    r = ctx.need("quarter")
    y = r.year
    if m["rely"] or m["relyp"]:
        y += {"this": 0, "last": -1, "next": 1}[(m["rely"] or m["relyp"]).lower()]
    elif not ctx.lenient:
        start = pd.Timestamp(year=y, month=3 * q - 2, day=1)
        if start > T.floor(r, "quarter") and (m["yback"] or ctx.tense() != "future"):
            y -= 1
    if m["yback"]:  # "the year-ago third quarter"
        y -= 1
    return y


def _bare_quarter(m, ctx):
    """ "the quarter": the one a report is about (find() reads the story), else the last one."""
    if ctx.lenient or not m.group(0).lower().startswith("the"):
        return None
    if re.match(r"\s+(?:of|point|century|mile|hour|final)", ctx.text[m.end():], re.I):
        return None
    ref = ctx.need("quarter")
    ended = _ENDED.match(ctx.text, m.end())
    if ended and _ord(ended["dom"]):
        # "the quarter ended Sept. 30": the calendar quarter most of its three months are in
        day = _date_no_year(replace(ctx, start=ended.start("mon")), _month(ended["mon"]), _ord(ended["dom"]))
        if day is not None:
            return T.point(T.floor(T.shift(day, -1, "month"), "quarter"), "quarter")
    return ("period", ((None, 0), T.point(T.shift(T.floor(ref, "quarter"), -1, "quarter"), "quarter")))


@_rule("half",
       rf"(?:the\s+)?(?P<h>first|second|1st|2nd|last|latter)\s+half(?:\s+of\s+(?:(?P<year>{_YEAR})|"
       rf"(?P<rel>this|last|next|the)\s+year))?")
def _half(m, ctx):
    import pandas as pd

    if m["year"]:
        y = int(m["year"])
    elif m["rel"]:
        y = ctx.need("half").year + {"this": 0, "the": 0, "last": -1, "next": 1}[m["rel"].lower()]
    else:
        return None
    h = 1 if m["h"].lower() in ("first", "1st") else 2
    return T.point(pd.Timestamp(year=y, month=1 if h == 1 else 7, day=1), "half")


# relative days and units -------------------------------------------------------------------------

@_rule("deictic_day",
       r"(?P<w>the\s+day\s+after\s+tomorrow|day\s+after\s+tomorrow|the\s+day\s+before\s+yesterday|"
       r"day\s+before\s+yesterday|today|yesterday|tomorrows?|tonight|tonite|"
       r"(?P<now>right\s+now|just\s+now|now|at\s+the\s+moment|atm|at\s+this\s+time|at\s+present|"
       r"presently|currently|nowadays|these\s+days))")
def _deictic(m, ctx):
    import pandas as pd

    w = " ".join(m["w"].lower().split())
    if m["now"]:
        if w in ("atm",) and not ctx.lenient:
            return None
        if not ctx.lenient:
            if w == "at this time":
                return None
            return T.vague("present", ctx.ref)
        ref = ctx.need("second")
        if w == "at this time":
            return T.point(ref, "day")
        return T.TimeExpr(ref.floor("s"), ref.floor("s") + pd.Timedelta(seconds=1), "second",
                          "PRESENT_REF", None, "date")
    ref = ctx.need("day")
    if w in ("tonight", "tonite"):
        return T.part_of_day(ref, "night")
    off = {"today": 0, "yesterday": -1, "tomorrow": 1, "tomorrows": 1}.get(w)
    if off is None:
        off = 2 if "after" in w else -2
    e = T.point(T.shift(ref, off, "day"), "day")
    return e


@_rule("late_day", r"(?P<pos>early|late)\s+(?P<w>today|yesterday|tomorrow)")
def _late_day(m, ctx):
    ref = ctx.need("day")
    off = {"today": 0, "yesterday": -1, "tomorrow": 1}[m["w"].lower()]
    return T.point(T.shift(ref, off, "day"), "day",
                   mod="START" if m["pos"].lower() == "early" else "END")


_REL_OFF = {"this": 0, "current": 0, "next": 1, "coming": 1, "upcoming": 1, "following": 1,
            "last": -1, "past": -1, "previous": -1, "prior": -1, "this past": -1}


def _rel_off(word: str) -> int:
    w = " ".join(word.lower().split())
    if w.startswith("the "):
        w = w[4:]
    return _REL_OFF[w]


@_rule("rel_unit",
       rf"(?:(?P<pos>(?:at\s+)?(?:the\s+)?(?:beginning|start|end|middle)\s+of|early|mid|late|"
       rf"earlier|later)[\s-]+)?(?P<rel>{_REL})\s+(?P<unit>weekend|week-end|wkend|week|month|year|yr|quarter|qtr|decade|century|"
       rf"season|seasons|summer|winter|spring|autumn|fall)"
       rf"(?P<poss>'s)?", prio=1)
def _rel_unit(m, ctx):
    if m["poss"]:
        if re.match(rf"\s+{_WEEKDAY}", ctx.text[m.end():], re.I):
            return None  # "last week's sunday": the weekday rule's
        return ("trim", (m.end() - 2, _rel_unit_expr(m, ctx)))
    return _rel_unit_expr(m, ctx)


def _rel_unit_expr(m, ctx):
    """this/next/last + unit: the whole unit, moved from the reference's."""
    import pandas as pd

    rel = " ".join(m["rel"].lower().split())
    unit = m["unit"].lower().replace("-", "")
    ref = ctx.need("week" if "week" in unit else "year")
    off = _rel_off(rel)
    if unit in ("weekend", "wkend"):
        friday = T.floor(ref, "week") + pd.Timedelta(days=4)
        if rel == "this past":
            off = -1
        friday = friday + pd.Timedelta(weeks=off)
        e = T.TimeExpr(friday + pd.Timedelta(hours=18), friday + pd.Timedelta(days=3), "hour",
                       f"{T.timex_value(friday, 'week')}-WE", None, "date")
        return e
    if unit in ("summer", "winter", "spring", "autumn", "fall"):
        return _season(ctx, unit, off)
    if unit in ("year", "yr") and off == -1 and not ctx.lenient and not m["pos"] and re.search(
            r"(?:million|billion|cents|a\s+share)\s*,?\s*$", ctx.text[max(0, m.start() - 30): m.start()]):
        # "a loss of $3 million last year": in a quarterly report, the year-ago quarter
        return ("year_back", T.point(T.shift(T.floor(ref, "year"), -1, "year"), "year"))
    if unit in ("season", "seasons"):
        return _astro_season(ref, off, ctx.lenient)
    grain = {"yr": "year", "qtr": "quarter"}.get(unit, unit)
    s = T.shift(T.floor(ref, grain), off, grain)
    e = T.point(s, grain)
    if m["pos"]:
        pos = m["pos"].lower()
        if pos in ("earlier", "later"):
            e = replace(e, mod="START" if pos == "earlier" else "END")
        else:
            e = _part_of(e, pos, ctx)
    return e


def _season(ctx: _Ctx, name: str, off: int) -> T.TimeExpr:
    """A named season: Duckling's astronomical windows in parse(), TIMEX3 codes in find()."""
    import pandas as pd

    ref = ctx.need("season")
    name = "autumn" if name == "fall" else name
    first = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}[name]
    y = ref.year
    if name == "winter" and ref.month < 3:
        y -= 1
    s = pd.Timestamp(year=y, month=first, day=1)
    if off > 0 and s <= ref:
        s = T.shift(s, 1, "year")
    elif off < 0:
        if s + pd.Timedelta(days=90) >= ref:
            s = T.shift(s, -1, "year")
    e = T.season(s.year, name)
    if ctx.lenient:  # Duckling: solstice to equinox windows
        days = {"spring": ((3, 20), (6, 21)), "summer": ((6, 21), (9, 24)),
                "autumn": ((9, 23), (12, 21)), "winter": ((12, 21), (3, 21))}[name]
        a = pd.Timestamp(year=s.year, month=days[0][0], day=days[0][1])
        b = pd.Timestamp(year=s.year + (name == "winter"), month=days[1][0], day=days[1][1])
        e = replace(e, start=a, end=b)
    return e


def _astro_season(ref, off: int, lenient: bool) -> T.TimeExpr:
    """"this season": Duckling's astronomical season containing the reference, moved by ``off``."""
    import pandas as pd

    starts = []
    for y in (ref.year - 2, ref.year - 1, ref.year, ref.year + 1):
        starts += [pd.Timestamp(year=y, month=3, day=20), pd.Timestamp(year=y, month=6, day=21),
                   pd.Timestamp(year=y, month=9, day=23), pd.Timestamp(year=y, month=12, day=21)]
    i = max(k for k, s in enumerate(starts) if s <= ref) + off
    a, b = starts[i], starts[i + 1] - pd.Timedelta(days=1)
    names = {3: "spring", 6: "summer", 9: "autumn", 12: "winter"}
    e = T.season(a.year, names[a.month])
    return replace(e, start=a, end=b)


@_rule("season",
       rf"(?:(?P<pos>early|mid|late)[\s-]+)?(?:the\s+)?(?P<name>summer|winter|spring|autumn|fall)"
       rf"(?:\s+(?:of\s+)?(?P<year>{_YEAR}))?")
def _season_rule(m, ctx):
    name = m["name"].lower()
    if not m["year"]:
        if not ctx.lenient:
            if name == "fall" or name == "spring":
                if not re.search(r"\b(?:in|this|last|next|the|early|late|during|by|since)\s+$",
                                 ctx.text[max(0, m.start() - 8): m.start()] + " ", re.I):
                    return None
            if not _prep_before(ctx, m.start()) and not m["pos"]:
                return None
            ref = ctx.need("season")
            tense = ctx.tense()
            e = _season(ctx, name, 0)
            if tense == "past" and e.start > ref:
                e = _season(ctx, name, -1)
            return _mod(e, m["pos"])
        return _season(ctx, name, 0)
    e = T.season(int(m["year"]), "autumn" if name == "fall" else name)
    return _mod(e, m["pos"])


def _mod(e: T.TimeExpr, pos: str | None) -> T.TimeExpr:
    if not pos:
        return e
    return replace(e, mod={"early": "START", "mid": "MID", "late": "END"}[pos.lower()])


@_rule("the_weekend", r"(?:over\s+)?the\s+weekend")
def _the_weekend(m, ctx):
    import pandas as pd

    ref = ctx.need("week")
    monday = T.floor(ref, "week")
    if ctx.tense() != "future" and ref.weekday() < 5:
        monday = monday - pd.Timedelta(weeks=1)
    fri = monday + pd.Timedelta(days=4)
    return T.TimeExpr(fri + pd.Timedelta(hours=18), fri + pd.Timedelta(days=3), "hour",
                      f"{T.timex_value(monday, 'week')}-WE", None, "date")


@_rule("fiscal_year",
       r"(?:the\s+)?(?P<rel>current|latest|last|previous|next|coming|full|same)?\s*(?:fiscal|financial|full)\s+year"
       r"(?P<ended>\s+(?:ended|ending|that\s+ended|to|through))?")
def _fiscal_year(m, ctx):
    if m["ended"]:
        return T.TimeExpr(None, None, "year", "P1Y", None, "duration")
    ref = ctx.need("year")
    rel = (m["rel"] or "").lower()
    off = {"last": -1, "previous": -1, "latest": -1, "next": 1, "coming": 1}.get(rel, 0)
    return T.point(T.shift(T.floor(ref, "year"), off, "year"), "year")


@_rule("this_unit_bare",
       r"(?P<rel>the\s+(?:current|same|latest|past))\s+(?P<unit>week|month|year)"
       r"|(?P<the>the|all)\s+(?P<unit2>week|month|year)(?!\s+(?:of|before|after|earlier|ago|in|to))",
       prio=-1)
def _the_unit(m, ctx):
    unit = (m["unit"] or m["unit2"]).lower()
    if m["the"]:
        if ctx.lenient:
            if unit != "week":
                return None
            import pandas as pd

            ref = ctx.need("week")
            day = T.floor(ref, "day") if m["the"].lower() == "the" else T.floor(ref, "week")
            return T.TimeExpr(day, T.floor(ref, "week") + pd.Timedelta(days=6), "day",
                              T.timex_value(day, "week"), None, "date")
        if re.match(r"\s+(?:ended|ending|that\s+ended|through)\b", ctx.text[m.end():], re.I):
            return T.TimeExpr(None, None, unit, f"P1{unit[0].upper()}", None, "duration")
        ref = ctx.need(unit)
        return T.point(ref, unit)
    ref = ctx.need(unit)
    rel = m["rel"].lower().split()[-1]
    if rel == "past":
        return T.point(T.shift(T.floor(ref, unit), -1, unit), unit)
    return T.point(ref, unit)


@_rule("boundary",
       r"(?:at\s+)?(?:the\s+)?(?P<pos>beginning|start|end|middle)\s+of\s+(?:the\s+)?"
       r"(?P<unit>week|month|year)|(?:the\s+)?(?P<abbr>eom|bom|eoy|boy|eod)"
       rf"|(?:at\s+)?(?:the\s+)?(?P<pos2>beginning|start|end)\s+of\s+(?P<year>{_YEAR})"
       r"|(?P<ye>year-end|year(?:'s)?\s+end|month-end)", prio=1)
def _boundary(m, ctx):
    import pandas as pd

    if m["abbr"]:
        if not ctx.lenient:
            return None
        a = m["abbr"].lower()
        unit = {"m": "month", "y": "year", "d": "day"}[a[-1]]
        pos = "beginning" if a[0] == "b" else "end"
        if unit == "day":
            ref = ctx.need("day")
            return T.part_of_day(ref, "evening")
    elif m["ye"]:
        ref = ctx.need("year")
        unit = "month" if m["ye"].lower().startswith("month") else "year"
        e = T.point(ref, unit)
        if not ctx.lenient and "-" not in m["ye"]:  # "by year end": the end of the year (TimeML)
            return _part_of(e, "end", ctx)
        end_day = e.end - pd.Timedelta(days=1)
        return replace(T.point(end_day, "day"), mod=None)
    elif m["year"]:
        e = T.point(pd.Timestamp(year=int(m["year"]), month=1, day=1), "year")
        return _part_of(e, m["pos2"], ctx)
    else:
        unit, pos = m["unit"].lower(), m["pos"].lower()
    ref = ctx.need(unit)
    return _part_of(T.point(ref, unit), pos, ctx)


@_rule("by_end",
       r"by\s+(?:the\s+)?(?:(?P<abbr>eod|eom|eoy)|end\s+of\s+(?:the\s+)?(?P<rel>next\s+)?(?P<unit>day|month|year))"
       r"|by\s+(?P<h>\d{1,2})(?::(?P<mi>\d\d))?\s*(?P<ap>[ap]\.?m\.?)", lenient_only=True, prio=2)
def _by_end(m, ctx):
    import pandas as pd

    ref = ctx.need("second")
    if m["h"]:
        h = int(m["h"]) % 12 + (12 if m["ap"].lower().startswith("p") else 0)
        end = T.floor(ref, "day") + pd.Timedelta(hours=h, minutes=int(m["mi"] or 0))
    else:
        unit = {"d": "day", "m": "month", "y": "year"}[m["abbr"][-1].lower()] if m["abbr"] else m["unit"].lower()
        end = T.shift(T.floor(ref, unit), 2 if m["rel"] else 1, unit)
    return T.TimeExpr(ref, end, "second", T.timex_value(ref, "day"), None, "date")


@_rule("within", rf"within\s+(?P<n>{_NUM})\s+(?P<unit>{_UNIT})", lenient_only=True, prio=2)
def _within(m, ctx):
    ref = ctx.need("second")
    n = _num(m["n"])
    unit = _unit(m["unit"])
    end = T.floor(T.shift(ref, int(n[0]), unit), "day")
    return T.TimeExpr(ref, end, "second", f"P{int(n[0])}{unit[0].upper()}", None, "duration")


# weekdays ------------------------------------------------------------------------------------------

@_rule("weekday",
       rf"(?:(?P<early>early|late|earlier|later)(?:\s+on)?\s+)?"
       rf"(?:(?P<rel>last|next|this|coming|upcoming|past|previous|this\s+past|the\s+following|"
       rf"the\s+previous)\s+)?(?:(?P<wkrel>last|next|this)\s+week(?:'s)?,?\s+)?(?P<wd>{_WEEKDAY})"
       rf"(?:(?P<afternext>\s+after\s+next)|\s+(?:of\s+)?(?:(?:from\s+)?(?P<wk>this|next|last)\s+week))?"
       rf"(?:\s*,?\s*(?:the\s+)?(?P<dom>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)|{_ORD_W})"
       # "Friday, the fourth decline": an ordinal before a noun is no day of the month
       rf"(?!\s+(?!(?:of|at|in|and|to|through|till|until|or)\b)[a-z]))?")
def _weekday_rule(m, ctx):
    import pandas as pd

    w = m["wd"]
    if not ctx.lenient:
        if not w[0].isupper():
            return None
        if len(w.rstrip(".")) <= 4 and not w.endswith("."):
            return None
    wd = _weekday(w)
    if m["dom"]:
        ref = ctx.need("day")
        d = _ord(m["dom"])
        if not d:
            return None
        # the nearest month (forward) whose day d falls on that weekday
        s = T.floor(ref, "month")
        for k in range(0, 24):
            mo = T.shift(s, k, "month")
            try:
                cand = mo.replace(day=d)
            except ValueError:
                continue
            if cand.weekday() == wd and cand >= T.floor(ref, "day"):
                return _day_expr(cand)
        return None
    ref = ctx.need("day")
    wk = m["wk"] or m["wkrel"]
    if wk:
        off = {"this": 0, "next": 1, "last": -1}[wk.lower()]
        return _day_expr(T.weekday_in_week(ref, wd, off))
    if m["afternext"]:
        return _day_expr(T.weekday_in_week(ref, wd, 1) if wd > ref.weekday() else
                         T.weekday_in_week(ref, wd, 2)) if ctx.lenient else \
            _day_expr(T.nearest_weekday(ref, wd, "future") + pd.Timedelta(days=7))
    d = _weekday_day(ctx, wd, m["rel"])
    rel = " ".join((m["rel"] or "").lower().split())
    if rel in ("the previous", "the following") and not ctx.lenient and not m["early"]:
        # anaphoric, unlike "last Friday": counted from the story's last day (find() has it)
        return ("anchor", (f"wd{wd}", -1 if rel == "the previous" else 1, _day_expr(d)))
    if m["early"] and m["early"].lower() == "earlier" and d > ref and not m["rel"]:
        d = d - pd.Timedelta(days=7)
    e = _day_expr(d)
    if m["early"] and m["early"].lower() in ("early", "late"):  # "late on Monday"
        e = replace(e, mod="START" if m["early"].lower() == "early" else "END")
    if w.lower().rstrip(".").endswith("s") and w.lower().rstrip(".") not in _WEEKDAYS and not ctx.lenient:
        # "on Mondays": a set
        return T.TimeExpr(None, None, "day", f"XXXX-WXX-{wd + 1}", None, "set")
    return e


@_rule("weekday_hours",
       rf"(?P<wd>{_WEEKDAY})\s*,?\s+(?P<from>from\s+|between\s+)?(?P<h1>1[0-2]|0?[1-9])\s*(?P<sep>-|–|to|and)\s*"
       rf"(?P<h2>1[0-2]|0?[1-9])(?![\d/:-]|\.\d|\s*(?:%|percent|[ap]\.?m\b))", prio=3)
def _weekday_hours(m, ctx):
    """Opening hours on a weekday: "monday 12-4", "wednesday from 10-4" (12:00-16:00, not 4 Dec)."""
    import pandas as pd

    if not ctx.lenient and not m["from"]:
        return None  # "beat Boston Monday 12-4" in news is a score
    if (m["sep"].lower() == "and") != (m["from"] or "").lower().startswith("between"):
        return None  # "between 10 and 4", "from 10 to 4"

    def daytime(h: int) -> int:  # hours people keep: 7 to 12 as written, 1 to 6 in the afternoon
        return h if 7 <= h <= 12 else h + 12

    h1, h2 = daytime(int(m["h1"])), daytime(int(m["h2"]))
    if h2 <= h1:
        h2 += 12  # "8-7": until 7 pm
    if h2 > 24:
        return None
    day = _weekday_day(ctx, _weekday(m["wd"]), None)
    return T.interval(T.point(day + pd.Timedelta(hours=h1), "hour"),
                      T.point(day + pd.Timedelta(hours=h2), "hour"))


@_rule("nth_weekday_from_now",
       rf"(?P<n>{_NUM})\s+(?P<wd>{_WEEKDAY})\s+(?P<dir>from\s+now|ago|back|hence)", lenient_only=True,
       prio=2)
def _nth_wd(m, ctx):
    import pandas as pd

    ref = ctx.need("day")
    n = int(_num(m["n"])[0])
    wd = _weekday(m["wd"])
    if m["dir"].lower() in ("ago", "back"):
        d = T.nearest_weekday(ref - pd.Timedelta(days=1), wd, "past")
        return _day_expr(d - pd.Timedelta(weeks=n - 1))
    d = T.nearest_weekday(ref + pd.Timedelta(days=1), wd, "future")
    return _day_expr(d + pd.Timedelta(weeks=n - 1))


@_rule("ordinal_in",
       rf"(?:the\s+)?(?P<ord>{_ORD_W}|\d(?:st|nd|rd|th)|last)\s+(?:(?P<lastn>last)\s+)?(?P<what>{_WEEKDAY}|day|week|weekend|week-end|week\s+end|wkend)"
       rf"(?:\s+(?P<pod>morning|afternoon|evening|night))?\s+(?:of|in)\s+(?:(?P<mon>{_MONTH})(?:\s+(?P<year>{_YEAR}))?|(?P<y2>{_YEAR})|(?P<rel>this|the|last|next)\s+month)",
       lenient_only=True, prio=2)
def _ordinal_in(m, ctx):
    import pandas as pd

    ref = ctx.need("day")
    if m["mon"]:
        y = int(m["year"]) if m["year"] else ref.year
        s = pd.Timestamp(year=y, month=_month(m["mon"]), day=1)
        if not m["year"] and s < T.floor(ref, "month"):
            s = T.shift(s, 1, "year")
        e_ = T.shift(s, 1, "month")
    elif m["y2"]:
        s = pd.Timestamp(year=int(m["y2"]), month=1, day=1)
        e_ = T.shift(s, 1, "year")
    else:
        off = {"this": 0, "the": 0, "last": -1, "next": 1}[m["rel"].lower()]
        s = T.shift(T.floor(ref, "month"), off, "month")
        e_ = T.shift(s, 1, "month")
    what = m["what"].lower().replace("-", " ")
    o = m["ord"].lower()
    last = o == "last" or bool(m["lastn"])
    n = 1 if o == "last" else _ord(o)
    if n is None:
        return None
    if what in ("day",):
        d = (e_ - pd.Timedelta(days=n)) if last else s + pd.Timedelta(days=n - 1)
        return _day_expr(d)
    if what in ("weekend", "week end", "wkend"):
        last_day = e_ - pd.Timedelta(days=1)
        fri = last_day - pd.Timedelta(days=(last_day.weekday() - 4) % 7)
        if not last:
            fri = s + pd.Timedelta(days=(4 - s.weekday()) % 7) + pd.Timedelta(weeks=n - 1)
        return T.TimeExpr(fri + pd.Timedelta(hours=18), fri + pd.Timedelta(days=3), "hour",
                          f"{T.timex_value(fri, 'week')}-WE", None, "date")
    if what == "week":
        if last:  # the nth last week: weeks (Mon-Sun) that end inside the period, from the end
            mondays = pd.date_range(s - pd.Timedelta(days=6), e_ - pd.Timedelta(days=7), freq="W-MON")
            if len(mondays) < n:
                return None
            return T.point(mondays[-n], "week")
        first_mon = s + pd.Timedelta(days=(7 - s.weekday()) % 7)
        return T.point(first_mon + pd.Timedelta(weeks=n - 1), "week")
    wd = _weekday(what)
    if last:
        last_day = e_ - pd.Timedelta(days=1)
        d = last_day - pd.Timedelta(days=(last_day.weekday() - wd) % 7) - pd.Timedelta(weeks=n - 1)
    else:
        d = s + pd.Timedelta(days=(wd - s.weekday()) % 7) + pd.Timedelta(weeks=n - 1)
    # "the first Monday evening of next month": that Monday's evening
    return T.part_of_day(d, m["pod"].lower()) if m["pod"] else _day_expr(d)


@_rule("week_of", rf"the\s+week\s+of\s+(?P<mon>{_MONTH})\s+(?P<dom>{_DOM})", lenient_only=True, prio=2)
def _week_of(m, ctx):
    d = _date_no_year(ctx, _month(m["mon"]), _ord(m["dom"]))
    return T.point(d, "week")


@_rule("dom_of_month",
       rf"(?:the\s+)?(?P<dom>{_DOM})\s+(?:day\s+)?of\s+(?:the\s+)?(?P<rel>next|this|current|previous|last)\s+month",
       lenient_only=True, prio=2)
def _dom_of(m, ctx):
    ref = ctx.need("day")
    off = {"next": 1, "this": 0, "current": 0, "previous": -1, "last": -1}[m["rel"].lower()]
    s = T.shift(T.floor(ref, "month"), off, "month")
    return _day_expr(s.replace(day=_ord(m["dom"])))


@_rule("dom_alone", rf"(?:on\s+)?the\s+(?P<dom>{_DOM})|on\s+(?P<dom2>{_DOM})", lenient_only=True, prio=-1)
def _dom_alone(m, ctx):
    dom = m["dom"] or m["dom2"]
    if m["dom2"] and not re.search(r"(st|nd|rd|th)$", dom, re.I) and not _ord(dom):
        return None
    d = _ord(dom)
    if not d or d > 31:
        return None
    ref = ctx.need("day")
    s = T.floor(ref, "month")
    for k in range(0, 3):
        mo = T.shift(s, k, "month")
        try:
            cand = mo.replace(day=d)
        except ValueError:
            continue
        if cand >= T.floor(ref, "day"):
            return _day_expr(cand)
    return None


# times of day --------------------------------------------------------------------------------------

def _tod(h: int, mi: int = 0, s: int = 0, ampm: str | None = None) -> tuple[int, int, int, bool] | None:
    if ampm:
        a = ampm.lower().replace(".", "").replace(" ", "")
        if h > 12 or h == 0:
            return None
        h = h % 12 + (12 if a.startswith("p") else 0)
        known = True
    else:
        known = h > 12 or h == 0
    if not (0 <= h <= 24 and 0 <= mi < 60 and 0 <= s < 60):
        return None
    return h, mi, s, known


def _resolve_tod(ctx: _Ctx, tod, day=None, pod: str | None = None) -> T.TimeExpr:
    """A wall-clock time: on ``day`` if given, else the next (or, in past clauses, last) one."""
    import pandas as pd

    h, mi, s, known = tod[:4]
    grain = "second" if s else ("minute" if mi or tod_has_minutes(tod) else "hour")
    cands = [h] if known else [h, (h + 12) % 24] if h != 12 else [12, 0]
    if pod is not None and not known:
        # "this evening at 2" is 14:00, "tonight at 12" midnight: after noon, read the pm hour
        cands = [h % 12] if pod in ("early_morning", "morning", "late_morning") else \
            [h + 12 if h < 12 else 12 if (pod in ("afternoon", "noon") and mi) else 24]
    if day is not None:
        d = T.floor(day, "day")
        # news: with no am/pm, 1 to 6 o'clock is the afternoon ("five to seven today": 18:55)
        h0 = cands[0] if ctx.lenient or known or pod is not None or cands[0] >= 7 else cands[-1]
        t = d + pd.Timedelta(hours=h0, minutes=mi, seconds=s)
        if pod is not None and ctx.lenient and ctx.ref is not None and t < ctx.ref \
                and d == T.floor(ctx.ref, "day"):
            t = t + pd.Timedelta(days=1)  # "this morning at 3" at 04:30: Duckling's next one
        return _hhmm(T.point(t, grain))
    ref = ctx.need(grain)
    day0 = T.floor(ref, "day")
    times = sorted(day0 + pd.Timedelta(days=k, hours=c, minutes=mi, seconds=s)
                   for k in (-1, 0, 1) for c in cands)
    tense = ctx.tense()
    if tense == "past" and (ctx.lenient or ref != day0):
        past = [t for t in times if t <= ref]
        return _hhmm(T.point(past[-1], grain))
    # news: a time with no day is on the story's day, also in a past clause when the story is
    # dated without a time (its reference, midnight, is no moment the story was written at)
    if tense != "future" and not ctx.lenient:
        return _hhmm(T.point(day0 + pd.Timedelta(hours=cands[0] if known or cands[0] >= 7 else
                                                 cands[-1], minutes=mi, seconds=s), grain))
    fut = [t for t in times if t >= ref]
    return _hhmm(T.point(fut[0], grain))


def _hhmm(e: T.TimeExpr) -> T.TimeExpr:
    """TIMEX3 values of clock times carry minutes ("T15:00"), as TimeBank writes them."""
    if e.granularity == "hour" and e.start is not None:
        return replace(e, value=T.timex_value(e.start, "minute"))
    return e


def tod_has_minutes(tod) -> bool:
    return len(tod) > 4 and tod[4]


_HOURW = _alt(k for k, v in _UNITS.items() if 1 <= v <= 12)
_MINW = rf"(?:(?:{_TENS_W})(?:[\s-]+(?:{_alt(k for k in _UNITS if 0 < _UNITS[k] < 10)}))?|{_UNIT_W})"


@_rule("clock",
       rf"(?:(?P<at>at|@|around|about|approximately|approx\.?)\s+)?"
       rf"(?:(?P<h>[01]?\d|2[0-4])(?::(?P<mi>[0-5]\d)(?::(?P<s>[0-5]\d))?|(?P<hmark>h)(?P<mi2>[0-5]\d)?)"
       rf"|(?P<h3>[01]?\d|2[0-3])(?:ish)?\s*(?P<ap_req>{_AMPM}|o'?clock|in\s+the\s+[ap]m\b)"
       rf"|(?P<hm>[0-2]?\d[0-5]\d)(?=\s*(?:ish\b)?\s*(?:{_AMPM}|in\s+the))"
       rf"|(?<=at\s)(?P<hm2>[0-2]?\d[0-5]\d)(?:ish)?"
       rf"|(?P<mil>(?:[01]\d|2[0-3])[0-5]\d)(?=\s*(?:gmt|utc|hrs\b|hours\s+(?:gmt|utc|local)|local\s+time))"
       rf"(?:\s*(?:hrs|hours)\b)?"
       rf"|(?<=around\s)(?P<hm3>[0-2]?\d[0-5]\d)|(?<=approximately\s)(?P<hm4>[0-2]?\d[0-5]\d))"
       rf"(?:ish)?(?:\s*(?P<oc>o'?clock))?(?:\s*(?P<ap>{_AMPM}))?(?P<tz>{_TZ})?"
       rf"(?:\s*(?P<approx>approximately))?", prio=1)
def _clock(m, ctx):  # noqa: C901
    if not ctx.lenient:
        if re.search(r"[$€£¥#]\s*[\d,]*$", ctx.text[max(0, m.start() - 8): m.start() + 1]):
            return None
        for g in ("ap", "ap_req"):
            if m[g] and re.fullmatch(r"[ap]\.?", m[g].strip(), re.I):
                return None  # "$1 a share"
    ap = m["ap"] or (m["ap_req"] if m["ap_req"] and "clock" not in m["ap_req"].lower() else None)
    if ap and ap.lower().startswith("in the"):
        ap = ap.split()[-1]
    hm = m["hm"] or m["hm2"] or m["hm3"] or m["hm4"] or m["mil"]  # "2100 GMT": military time
    if hm:
        if not ctx.lenient and not ap and not m["mil"]:
            return None
        h, mi, s = int(hm[:-2]), int(hm[-2:]), 0
        if m["mil"]:
            return ("tod", (h, mi, 0, True, True))
    elif m["h3"] is not None:
        h, mi, s = int(m["h3"]), 0, 0
    else:
        h = int(m["h"])
        mi = int(m["mi"] or m["mi2"] or 0)
        s = int(m["s"] or 0)
        if m["hmark"]:  # "15h", "15h30": the 24-hour clock
            if not ap:
                if h > 24 or re.search(r"\bin\s+$", ctx.text[max(0, m.start() - 3): m.start()]) \
                        and m["mi2"] is None:
                    return None
                return ("tod", (h % 24, mi, s, True, True))
            if m["mi2"] is None and re.search(r"\bin\s+$", ctx.text[max(0, m.start() - 3): m.start()]):
                return None  # "in 1h" is a duration
        elif m["mi"] is None and not ap:
            return None
    tod = _tod(h, mi, s, ap)
    if tod is None:
        return None
    has_min = bool(m["mi"] or m["mi2"] or hm or m["hmark"])
    return ("tod", tod + (has_min,))


@_rule("clock_words",
       rf"(?:(?P<at>at|@)\s+)?(?P<h>{_HOURW})(?:[\s-]+(?P<mi>(?:o|oh|ou|zero)[\s-]+(?:{_UNIT_W})|{_MINW}))?"
       rf"(?:\s*(?P<ap>{_AMPM}|o'?clock))?", prio=0)
def _clock_words(m, ctx):
    h = _UNITS[m["h"].lower()]
    mi = 0
    ap = m["ap"] if m["ap"] and "clock" not in m["ap"].lower() else None
    if m["mi"]:
        parts = re.split(r"[\s-]+", m["mi"].lower())
        if parts[0] in ("o", "oh", "ou", "zero"):
            mi = _UNITS.get(parts[1], 0)
        else:
            v = _num(" ".join(parts))
            if v is None:
                return None
            mi = int(v[0])
        if not (ap or m["at"]) and parts[0] not in ("o", "oh", "ou", "zero", "thirty", "fifteen", "forty"):
            return None
        if mi >= 60:
            return None
    elif not ap and not m["ap"]:
        return None
    if not ctx.lenient and not ap and not (m["ap"] and "clock" in m["ap"].lower()):
        return None
    tod = _tod(h, mi, 0, ap)
    if tod is None:
        return None
    return ("tod", tod + (bool(m["mi"]),))


@_rule("noon", r"(?:at\s+)?(?P<w>noon|midday|mid\s+day|the\s+midday|midnight)", prio=1)
def _noon(m, ctx):
    w = m["w"].lower()
    if "midnight" in w:
        return ("tod", (0, 0, 0, True, False))
    return ("tod", (12, 0, 0, True, False))


#: a day right after a clock reading makes it one ("five to seven today")
_DAY_AFTER = re.compile(rf"\s+(?:today|tonight|tomorrow|yesterday|this\s+(?:morning|afternoon|evening)|"
                        rf"in\s+the\s+(?:morning|afternoon|evening)|(?:on\s+)?{_WEEKDAY})\b", re.I)


@_rule("past_to",
       rf"(?<![\d:.])(?:(?:at|for)\s+)?(?P<m>(?:a\s+)?quarter|half|{_NUMWORD}|\d{{1,2}})(?:\s+minutes?)?\s+"
       rf"(?P<dir>past|after|to|till|before|of|from)\s+(?P<h>noon|midnight|\d{{1,2}}|{_HOURW})(?P<hh>h)?"
       rf"(?:\s*(?P<ap>{_AMPM}))?", prio=2)
def _past_to(m, ctx):
    mw = m["m"].lower()
    mi = 15 if "quarter" in mw else 30 if mw == "half" else None
    if mi is None:
        v = _num(mw)
        if v is None:
            return None
        mi = int(v[0])
    if not ctx.lenient and not m["ap"] and m["h"].lower() not in ("noon", "midnight") and not (
            re.search(r"\bat\s+$", ctx.text[max(0, m.start() - 4): m.start()])
            or _DAY_AFTER.match(ctx.text, m.end())):
        return None  # "five to seven people"; but "at five to seven", "five to seven today"
    hw = m["h"].lower()
    if hw == "noon":
        h, known = 12, True
    elif hw == "midnight":
        h, known = 0, True
    else:
        h = int(hw) if hw.isdigit() else _UNITS[hw]
        known = False
    ap = m["ap"]
    if ap and not known:
        tod = _tod(h, 0, 0, ap)
        if tod is None:
            return None
        h, known = tod[0], True
    elif m["hh"] or h > 12:
        known = True
    if m["dir"].lower() in ("to", "till", "before", "of"):
        total = h * 60 - mi
        h, mi = divmod(total % (24 * 60), 60)
    else:
        h, mi = divmod(h * 60 + mi, 60)
    return ("tod", (h % 24, mi, 0, known, True))


@_rule("latent_at_hour",
       rf"(?:at|@)\s*(?P<h>[01]?\d|2[0-3]|{_HOURW})(?:\s*o'?clock)?(?!\s*(?:%|percent|:|\d))"
       rf"|(?:at|@)\s*(?P<h4>[01]?\d|2[0-3])\s+(?P<mi4>[0-5]\d)$"
       rf"|(?P<h2>[01]?\d|2[0-3]|{_HOURW})(?=\s+(?:tonight|tonite|tomorrow|this\s+(?:evening|morning|afternoon)|"
       rf"in\s+the\s+(?:morning|evening|afternoon)))", lenient_only=True, prio=-2)
def _latent_at(m, ctx):
    if m["h4"]:
        return ("tod", (int(m["h4"]), int(m["mi4"]), 0, int(m["h4"]) > 12, True))
    w = (m["h"] or m["h2"]).lower()
    h = int(w) if w.isdigit() else _UNITS[w]
    return ("tod", (h, 0, 0, h > 12 or h == 0, False))


@_rule("half_h", rf"half\s+(?P<h>{_HOURW}|\d{{1,2}})", lenient_only=True)
def _half_h(m, ctx):
    h = _UNITS.get(m["h"].lower()) or int(m["h"])
    return ("tod", (h, 30, 0, False, True))


@_rule("latent_hour", r"(?P<h>[01]?\d|2[0-3])(?P<ap>[ap])?|(?P<hm>[0-2]?\d)\s+(?P<mi>[0-5]\d)(?=$)",
       lenient_only=True, prio=-2)
def _latent_hour(m, ctx):
    if m["hm"]:
        if not re.search(r"\bat\s*$", ctx.text[: m.start()]):
            return None
        return ("tod", (int(m["hm"]), int(m["mi"]), 0, False, True))
    if m.start() != 0 or m.end() != len(ctx.text.rstrip()):
        return None
    h = int(m["h"])
    if m["ap"]:
        if h > 12:
            return None
        if m["ap"].lower() == "a" and h == 4:
            return None
        return ("tod", (h % 12 + (12 if m["ap"].lower() == "p" else 0), 0, 0, True, False))
    return ("tod", (h, 0, 0, h > 12, False))


# parts of the day -----------------------------------------------------------------------------------

_POD_NAMES = {
    "morning": "morning", "mornings": "morning", "early morning": "early_morning",
    "late morning": "late_morning", "afternoon": "afternoon", "afternoonish": "afternoon",
    "evening": "evening", "night": "night", "late night": "late_night", "lunch": "noon",
    "lunchtime": "noon", "daytime": "daytime", "dawn": "early_morning", "dusk": "evening",
    "overnight": "overnight", "tonight": "night", "tonite": "night",
}


_GREETING = re.compile(r"\bgood\s+$", re.I)


@_rule("part_of_day",
       r"(?:(?P<early>early|late)\s+)?(?:(?P<day>this|tomorrow|yesterday|today|last|tonight|tonite)\s+)?"
       r"(?:(?P<early2>early|late)\s+)?(?:in\s+the\s+)?"
       r"(?P<pod>early\s+morning|late\s+morning|morning|mornings|afternoon|afternoonish|evening|"
       r"night|lunch(?:time)?|daytime|dawn|dusk|overnight)"
       r"|(?P<late>late)\s+(?P<t>tonight|tonite)|(?P<t2>tonight|tonite)", prio=0)
def _pod(m, ctx):
    import pandas as pd

    if not ctx.lenient and m.group(0) == m["pod"] and _GREETING.search(ctx.text, max(0, m.start() - 12), m.start()):
        return None  # "Good evening from Central Park": a greeting, no time
    if m["t"] or m["t2"]:
        ref = ctx.need("part_of_day")
        return T.part_of_day(ref, "late_night" if m["late"] else "night")
    name = " ".join(m["pod"].lower().split())
    pod = _POD_NAMES.get(name, name)
    early = (m["early"] or m["early2"] or "").lower()
    if early == "early" and pod == "morning":
        pod = "early_morning"
    day = (m["day"] or "").lower()
    if day == "last" and pod != "night" and pod != "evening":
        day = "yesterday"
    if early == "late" and pod in ("night", "evening"):
        pod = "late_night"
    if not day:
        if pod == "overnight":
            ref = ctx.need("part_of_day")
            d = T.floor(ref, "day")
            if ctx.tense() != "future":
                d = d - pd.Timedelta(days=1)
            return T.part_of_day(d, "overnight")
        # a bare "morning" joins a day beside it, else the story's day (find) or today (parse)
        return ("pod", pod)
    ref = ctx.need("part_of_day")
    if pod == "early_morning" and ctx.lenient:  # Duckling: "early morning" is 0-9
        d = T.shift(T.floor(ref, "day"), {"tomorrow": 1, "yesterday": -1}.get(day, 0), "day")
        return replace(T.part_of_day(d, pod), end=d + pd.Timedelta(hours=9))
    off = {"this": 0, "today": 0, "tonight": 0, "tonite": 0, "tomorrow": 1, "yesterday": -1,
           "last": -1}[day]
    return T.part_of_day(T.shift(T.floor(ref, "day"), off, "day"), pod)


@_rule("after_lunch", r"after\s+(?P<w>lunch|school|work)", lenient_only=True)
def _after_lunch(m, ctx):
    import pandas as pd

    ref = ctx.need("part_of_day")
    d = T.floor(ref, "day")
    h0, h1 = {"lunch": (13, 17), "school": (15, 21), "work": (17, 21)}[m["w"].lower()]
    return T.TimeExpr(d + pd.Timedelta(hours=h0), d + pd.Timedelta(hours=h1), "hour",
                      f"{T.timex_value(d, 'day')}TAF", None, "time")


# durations and offsets ------------------------------------------------------------------------------

def _dur_value(n: float, unit: str, vague: bool) -> str:
    if unit == "weekend":
        return "P2D" if not vague else "PXWE"
    code = {"second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "month": "M",
            "year": "Y", "decade": "DE", "century": "CE", "quarter": "Q"}[unit]
    t = "T" if unit in ("second", "minute", "hour") else ""
    if vague:
        return f"P{t}X{code}"
    if unit == "quarter":
        n, code = n * 3, "M"
    if unit == "decade":
        n, code = n * 10, "Y"
    if unit == "century":
        n, code = n * 100, "Y"
    if not float(n).is_integer():  # "2.5 hours" -> PT2H30M, "a year and a half" -> P18M
        lower = {"hour": ("minute", 60), "day": ("hour", 24), "year": ("month", 12),
                 "minute": ("second", 60), "week": ("day", 7), "month": ("day", 30)}.get(unit)
        if lower:
            whole = int(n)
            rest = round((n - whole) * lower[1])
            sub = {"minute": "M", "hour": "H", "month": "M", "second": "S", "day": "D"}[lower[0]]
            if unit in ("hour", "minute"):
                return f"PT{whole}{code}{rest}{sub}" if whole else f"PT{rest}{sub}"
            if unit == "day":
                return f"P{whole}DT{rest}H" if whole else f"PT{rest}H"
            return f"P{whole * lower[1] + rest}{sub}" if unit != "week" else f"P{whole * 7 + rest}D"
        return f"P{t}{n}{code}"
    return f"P{t}{int(n)}{code}"


_NUM_CAP = rf"(?P<n>{_NUM})"
_MODAL_BEFORE = re.compile(r"\b(?:will|would|could|might|may|can|shall|should|to)\s+$|'ll\s+$", re.I)
#: words in -s before "a year" that are no plural noun of a rate ("as long as a month")
_NOT_PLURAL = re.compile(r"\b(?:as|was|is|has|this|thus|plus|less|unless|across|perhaps|always|whereas)\s*$",
                         re.I)


@_rule("duration",
       rf"(?:(?P<mod>{_MODS})\s+)?(?:(?P<the>the\s+)(?P<rel>past|last|next|coming|first|latest|"
       rf"previous|final|following|prior|same|entire|full|whole|remaining|\w+ing)?\s*)?"
       rf"(?P<rel2>past|last|next|coming|upcoming|previous|first|final|another|further)?\s*"
       rf"(?:(?P<mod2>about|around|nearly|almost|some|over|approximately)\s+)?"
       rf"(?P<n>{_NUM})?(?:\s+more)?[\s-]*(?P<upcoming>upcoming\s+)?(?P<unit>{_UNIT})"
       rf"(?:[\s-]+(?:and\s+(?P<half>a\s+half)|or\s+so|(?P<long>long)))?(?![\s-]+old\b)"
       rf"(?:\s+(?P<dir>ago|earlier|later|before|after|from\s+(?:now|today|right\s+now)|hence|back|"
       rf"from\s+(?P<from>christmas|xmas)))?", prio=0)
def _duration(m, ctx):  # noqa: C901

    unit = _unit(m["unit"])
    if unit not in ("second", "minute", "hour", "day", "week", "month", "quarter", "year",
                    "decade", "century", "weekend"):
        return None
    n_txt = m["n"]
    rel = (m["rel"] or m["rel2"] or "").lower()
    the = bool(m["the"])
    if rel.endswith("ing") and rel not in ("coming", "upcoming", "following", "remaining"):
        return None
    unit_txt = m["unit"].lower()
    plural = unit_txt.endswith("s") or unit_txt.endswith("ies")
    if unit == "weekend" and not n_txt:
        return None
    if n_txt is None:
        return _bare_unit(m, ctx, unit, rel, the, plural)
    if re.fullmatch(r"(?:[01]\d|2[0-3])[0-5]\d", n_txt) and m["unit"].lower() in ("hrs", "hours"):
        return None  # "1500 hrs": a time on the 24-hour clock, the clock rule's
    amt = _num(n_txt)
    if amt is None:
        return None
    n, vague = amt
    if not ctx.lenient and unit == "quarter" and not vague and re.match(r"\s+of\b", ctx.text[m.end():]):
        return None  # "three-quarters of its food" (but "several quarters of losses")
    if n_txt.lower() in ("a", "an") and not (the or rel or m["dir"] or m["mod"] or m["mod2"]) and not ctx.lenient:
        # "a year" alone: after an amount of money it is a rate ("$5 a year")
        before = ctx.text[max(0, m.start() - 25): m.start()]
        if re.search(r"(?:\d|dollars?|cents?|percent|%|times|once|twice|[a-z]+s|[mbtr]illion|thousand|hundred)\s*$", before, re.I) \
                and not _NOT_PLURAL.search(before):
            return None  # "$500 million a year", "four flights a week": a rate
        if unit == "second" or unit == "quarter" and re.match(r"\s+of\b", ctx.text[m.end():]):
            return None  # "a second group", "a quarter of" (but "within a week of his capture")
    if not ctx.lenient and n == 1 and unit == "day" and n_txt.lower() == "one" and not (the or rel or m["dir"]) \
            and _MODAL_BEFORE.search(ctx.text, max(0, m.start() - 12), m.start()):
        return replace(T.vague("future", ctx.ref), value="FUTURE_REF")  # "Islam will one day be ..."
    if m["half"]:
        n += 0.5
    if m["upcoming"] or rel == "upcoming":
        if not ctx.lenient:
            return T.duration(n, unit)
    mod = _APPROX.get((m["mod"] or m["mod2"] or "").lower())
    if re.search(r"or\s+so$", m.group(0), re.I):
        mod = "APPROX"
    if n_txt.strip().isdigit() and not ctx.lenient:
        before = ctx.text[max(0, m.start() - 2): m.start()]
        if re.search(r"[$£€#]\s*$", before):
            return None
    value = _dur_value(n, unit, vague)
    if m["dir"]:
        d = m["dir"].lower()
        ref = ctx.need("day")
        sign = -1 if d in ("ago", "earlier", "before", "back") else 1
        if m["from"]:
            return None
        if d in ("earlier", "later", "before", "after") and not ctx.lenient and not (
                unit in ("year", "quarter", "month") and d == "earlier"):
            # "two days later": relative to the story's last date; TimeML keeps a duration
            return T.TimeExpr(None, None, unit, value, mod, "duration")
        if unit == "weekend":
            return None
        if not ctx.lenient and unit in ("year", "quarter") and n == 1 and sign < 0:
            return ("year_back", _offset(ref, n, unit, sign, ctx, vague, mod))
        return _offset(ref, n, unit, sign, ctx, vague, mod)
    return _span_or_amount(m, ctx, n, unit, rel, value, mod, vague)


def _plural_unit_alone(m, ctx, unit: str):
    """"for years", "in recent months", "in coming days": a vague span or an unknown amount."""
    before = ctx.text[max(0, m.start() - 20): m.start()].lower()
    if re.search(r"\b(?:recent|coming)\s+$", before):
        # "in coming months" is the future, as "in coming days"; "in recent days" the past
        if "coming" in before:
            return replace(T.vague("future", ctx.ref), value="FUTURE_REF")
        if unit in ("year", "day"):
            return T.vague("past", ctx.ref)
        return T.TimeExpr(None, None, unit, _dur_value(0, unit, True), None, "duration")
    if re.search(r"\b(?:for|over|in|of|take|took|takes|within|several|many|few)\s+$", before):
        return T.TimeExpr(None, None, unit, _dur_value(0, unit, True), None, "duration")
    return None


def _bare_unit(m, ctx, unit: str, rel: str, the: bool, plural: bool):
    """A unit with no number: "the week", "years" (PXY), "the past year", "years ago"."""
    # a bare unit: "the week" (TimeML: the reference week), "years" (PXY), "the past year"
    if m["dir"] and not plural:
        return None
    if not (rel or the or m["mod"] or m["dir"]):
        if not plural or ctx.lenient:
            return None
        return _plural_unit_alone(m, ctx, unit)
    if m["dir"] and plural:  # "years ago", "days later"
        return T.vague("past" if m["dir"].lower() in ("ago", "earlier", "before", "back") else "future",
                       ctx.ref)
    if plural:
        if rel in ("coming", "upcoming") and not the:  # "in coming months", as "in coming days"
            return replace(T.vague("future", ctx.ref), value="FUTURE_REF")
        if rel in ("coming", "next", "following") or rel == "upcoming":
            return T.vague("future", ctx.ref) if unit == "day" else \
                T.TimeExpr(None, None, unit, _dur_value(0, unit, True), None, "duration")
        if rel in ("past", "last", "previous", "recent", "first", "final") or not rel and the and \
                re.search(r"\b(?:over|in|during|through|throughout)\s+$", ctx.text[max(0, m.start() - 12): m.start()], re.I):
            # "the first hours of the war", "over the years", "in the years that followed"
            return T.TimeExpr(None, None, unit, _dur_value(0, unit, True), None, "duration")
        return None
    if not rel:
        return None  # "the week" etc. is this_unit_bare's
    if "-" in m.group(0)[m.start("unit") - m.start() - 1:m.start("unit") - m.start()]:
        return None  # "the last-minute talks": an adjective
    if rel in ("past", "last", "previous", "latest", "first", "final", "entire",
               "full", "whole") and the:
        if rel in ("last", "past") and not ctx.lenient and unit != "weekend":
            # TimeBank: "the past year" is last year, "the last decade" the 1980s
            ref = ctx.need(unit)
            return T.point(T.shift(T.floor(ref, unit), -1, unit), unit)
        return None
    if not the and rel in ("past",):
        return None
    return None


def _span_or_amount(m, ctx, n: float, unit: str, rel: str, value: str, mod, vague: bool):
    """An amount with no direction: an anchored span ("the last two days", "next 3 weeks"),
    a moment ("in 3 days") or a duration."""
    # an anchored span: "the last two days", "next 3 weeks", "the past 24 hours"
    if rel in ("past", "last", "next", "coming", "previous", "following", "upcoming") or m["upcoming"]:
        if ctx.lenient:
            ref = ctx.need(unit)
            k = int(n)
            if m["upcoming"] or rel == "upcoming":  # Duckling: "upcoming two weeks" = the 2nd next
                return T.point(T.shift(T.floor(ref, unit), k, unit), unit)
            if rel in ("past", "last", "previous"):
                end = T.floor(ref, unit)
                return T.TimeExpr(T.shift(end, -k, unit), end, unit, value, mod, "duration")
            start = T.shift(T.floor(ref, unit), 1, unit)
            return T.TimeExpr(start, T.shift(start, k, unit), unit, value, mod, "duration")
        e = T.duration(n, unit, mod=mod) if not vague else T.TimeExpr(None, None, unit, value, mod, "duration")
        e = replace(e, value=value)
        if ctx.ref is not None and not vague and float(n).is_integer() and unit != "weekend":
            k = int(n)
            if rel in ("past", "last", "previous"):
                e = replace(e, start=T.shift(ctx.ref, -k, unit), end=ctx.ref)
            else:
                e = replace(e, start=ctx.ref, end=T.shift(ctx.ref, k, unit))
        return e
    if ctx.lenient:
        # "in 3 days" -> a moment; a bare duration has no place on the calendar
        before = ctx.text[max(0, m.start() - 12): m.start()].lower()
        if re.search(r"\bin\s+(?:about\s+|another\s+)?$", before) or m.start() >= 3 and \
                re.search(r"\bin\s+$", ctx.text[: m.start()].lower()):
            ref = ctx.need("second")
            return _offset(ref, n, unit, 1, ctx, vague, mod)
        return T.TimeExpr(None, None, unit, value, mod, "duration")
    if not vague and ctx.ref is not None and unit in ("year", "month", "week", "day") and \
            re.search(r"\bin\s+$", ctx.text[max(0, m.start() - 4): m.start()]) and ctx.tense() == "future":
        return _offset(ctx.ref, n, unit, 1, ctx, False, mod)  # "will be redeemed in five years"
    return T.TimeExpr(None, None, unit, value, mod, "duration")


def _offset(ref, n: float, unit: str, sign: int, ctx: _Ctx, vague: bool, mod) -> T.TimeExpr:
    """ref moved by n units: Duckling's moment at the next finer grain; TIMEX3 value at the unit."""
    import pandas as pd

    if float(n).is_integer():
        t = T.shift(ref, sign * int(n), unit)
    else:
        secs = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}.get(unit)
        if secs is None:
            t = T.shift(ref, sign * int(round(n * 12)), "month") if unit == "year" else \
                T.shift(ref, sign * int(n), unit)
        else:
            t = ref + pd.Timedelta(seconds=sign * n * secs)
    if ctx.lenient:
        fine = _FINER[unit]
        if unit == "hour" and (not float(n).is_integer()):
            fine = "second"
        e = T.point(t, fine)
        vg = {"quarter": "quarter", "week": "day", "decade": "year", "century": "year"}.get(unit, unit)
        if unit in ("second", "minute", "hour"):
            return e
        return replace(e, value=T.timex_value(T.floor(t, vg), vg) if vg not in ("hour",) else e.value)
    grain = {"second": "second", "minute": "minute", "hour": "hour", "week": "week",
             "decade": "year", "century": "year"}.get(unit, unit)
    if vague:
        return replace(T.vague("past" if sign < 0 else "future", ref), mod=mod)
    e = T.point(t, grain)
    return replace(e, mod=mod)


@_rule("fraction_hour",
       r"(?P<in>in\s+)?(?:(?P<about>about|around)\s+)?(?:(?P<q>a\s+quarter|three[\s-]quarters|half)\s+(?:of\s+)?an?\s+hour|(?P<f>[13]/[24])\s*(?:h|hours?)\b)",
       prio=1)
def _fraction_hour(m, ctx):
    q = (m["q"] or "").lower()
    frac = 0.25 if "quarter" in q and "three" not in q else 0.75 if "three" in q else 0.5 if q else None
    if frac is None:
        a, b = m["f"].split("/")
        frac = int(a) / int(b)
    minutes = int(round(frac * 60))
    if m["in"] and ctx.lenient:
        import pandas as pd

        ref = ctx.need("second")
        return T.point(ref + pd.Timedelta(minutes=minutes), "second")
    return T.TimeExpr(None, None, "minute", f"PT{minutes}M",
                      "APPROX" if m["about"] else None, "duration")


@_rule("in_prime", r"in\s+(?P<n>\d+)\s*(?P<u>['\"])", lenient_only=True)
def _in_prime(m, ctx):
    import pandas as pd

    ref = ctx.need("second")
    n = int(m["n"])
    return T.point(ref + (pd.Timedelta(minutes=n) if m["u"] == "'" else pd.Timedelta(seconds=n)), "second")


@_rule("in_bare_minutes", r"in\s+(?P<n>\d{1,2})$", lenient_only=True, prio=-1)
def _in_bare(m, ctx):
    import pandas as pd

    ref = ctx.need("second")
    return T.point(ref + pd.Timedelta(minutes=int(m["n"])), "second")


@_rule("fortnight", r"(?P<a>a|one)\s+fortnight\s+(?P<dir>ago|hence)", prio=2)
def _fortnight(m, ctx):
    ref = ctx.need("day")
    return _offset(ref, 14, "day", -1 if m["dir"].lower() == "ago" else 1, ctx, False, None)


@_rule("years_from_today", rf"(?P<n>{_NUM})\s+(?P<unit>{_UNIT})\s+from\s+(?:today|right\s+now)", prio=2)
def _from_today(m, ctx):

    ref = ctx.need("day")
    n = int(_num(m["n"])[0])
    unit = _unit(m["unit"])
    if "right" in m.group(0).lower():
        return T.point(T.shift(ref, n, unit), "second")
    return T.point(T.shift(T.floor(ref, "day"), n, unit), "day")


# vague references and sets ------------------------------------------------------------------------

#: vague words TimeML annotators rarely tag in running news text (TempEval-3: "previously" is a
#: TIMEX3 3 times in 19, "earlier" once in 9, "later" never): find() leaves them, parse() reads them
_WEAK_VAGUE = {"previously", "formerly", "earlier", "later", "recent", "future", "eventually",
               "presently", "in the long run", "shortly", "lately"}


@_rule("vague",
       r"(?P<past>recently|lately|the\s+past|in\s+the\s+past|previously|formerly|once\s+upon\s+a\s+time|"
       r"in\s+recent\s+years|recent\s+years|recent|earlier|before\s+now|not\s+long\s+ago|long\s+ago|"
       r"some\s+time\s+ago|former\s+times)"
       r"|(?P<future>the\s+future|in\s+future|soon|later|shortly|in\s+the\s+coming\s+days|the\s+coming\s+days|"
       r"in\s+the\s+days\s+ahead|in\s+the\s+near\s+future|the\s+near\s+future|as\s+soon\s+as\s+possible|"
       r"future|eventually|in\s+the\s+long\s+run|in\s+the\s+long\s+term|the\s+long\s+term|"
       r"in\s+the\s+short\s+term|the\s+short\s+term|in\s+coming\s+days|in\s+the\s+coming\s+weeks|"
       r"in\s+the\s+weeks\s+ahead)"
       r"|(?P<present>current|this\s+time|the\s+moment|the\s+present|present|today's)",
       prio=-1)
def _vague(m, ctx):  # noqa: C901
    import pandas as pd

    if not ctx.lenient and " ".join(m.group(0).lower().split()) in _WEAK_VAGUE:
        return None

    w = " ".join(m.group(0).lower().split())
    if m["present"]:
        nxt = ctx.text[m.end(): m.end() + 25]
        if w in ("current", "present"):
            if w == "present" and not re.match(r"\s+(?:day|time|situation|crisis)", nxt, re.I):
                return None
            if w == "current" and re.match(r"\s+(?:account|affairs|events|accounts|flowing|"
                                           r"law|rules?|members?|president|chairman|leader|"
                                           r"minister|administration|government|head|chief|"
                                           r"owner|manager|director|holders?|ceo)\b", nxt, re.I):
                return None
        if w == "the moment" and not re.search(r"\b(?:at|for)\s+$",
                                               ctx.text[max(0, m.start() - 5): m.start()]):
            return None
        if w in ("this time", "today's"):
            return None
        return T.vague("present", ctx.ref)
    if m["past"]:
        if w == "earlier":
            nxt = ctx.text[m.end(): m.end() + 12]
            if re.match(r"\s+(?:this|last|in|on|that|than)\b", nxt, re.I) or re.match(r"[\s-]*\w", nxt) and \
                    re.match(r"\s*(?:version|model|report|plan|estimate|forecast)", nxt, re.I):
                return None
            if re.search(r"\b(?:than|an|the|its|their|his|her)\s+$", ctx.text[max(0, m.start() - 8): m.start()]):
                return None
        if w == "recent":
            nxt = ctx.text[m.end(): m.end() + 15]
            if re.match(r"\s+(?:years|months|weeks|days)", nxt, re.I) and not w.endswith("years"):
                return None
        if w == "the past" and re.match(r"\s+(?:few|several|two|three|\d|year|month|week|day|decade)",
                                        ctx.text[m.end(): m.end() + 12], re.I):
            return None
        return T.vague("past", ctx.ref)
    if w in ("soon", "shortly"):
        around = ctx.text[max(0, m.start() - 3): m.end() + 8].lower()
        if w == "shortly" or re.search(r"as\s+soon|soon\s+(?:after|before|as)", around):
            return None
    if w == "later":
        nxt = ctx.text[m.end(): m.end() + 12]
        if re.match(r"\s+(?:this|that|in|on|than|today|tonight|next)\b", nxt, re.I):
            return None
    if w == "future" and re.match(r"\s+(?:tense|perfect|contracts?|markets?|prices?)\b",
                                  ctx.text[m.end(): m.end() + 12], re.I):
        return None
    span = pd.Timedelta(days=3) if "days" in w else None
    return T.vague("future", ctx.ref, span=span)


@_rule("anchored",
       r"(?:(?P<pos>earlier|later)\s+)?(?:that|the\s+same)\s+(?P<unit>day|week|month|year|quarter|morning|afternoon|evening|night)"
       r"|the\s+(?P<rel>following|next|previous|preceding|prior)\s+(?P<unit2>day|week|month|year|morning|afternoon|evening|night)",
       prio=3)
def _anchored(m, ctx):
    """Times relative to the story's last date ("that year", "the following day")."""
    unit = (m["unit"] or m["unit2"]).lower()
    off = {"following": 1, "next": 1, "previous": -1, "preceding": -1, "prior": -1}.get(
        (m["rel"] or "").lower(), 0)
    if ctx.lenient:
        if not m["rel"]:
            return None
        ref = ctx.need("day")
        if unit in ("morning", "afternoon", "evening", "night"):
            return T.part_of_day(T.shift(ref, off, "day"), unit)
        return T.point(T.shift(T.floor(ref, unit), off, unit), unit)
    return ("anchor", (unit, off, T.TimeExpr(None, None, unit if unit in _X_VALUES else "part_of_day",
                                              _X_VALUES.get(unit, "XXXX-XX-XXTXX"), None, "date")))


def _from_anchor(anchor: T.TimeExpr, unit: str, off: int) -> T.TimeExpr:
    if unit.startswith("wd"):  # "the previous Friday": the one before the story's day
        day, wd = T.floor(anchor.start, "day"), int(unit[2:])
        k = (day.weekday() - wd) % 7 or 7 if off < 0 else (wd - day.weekday()) % 7 or 7
        return _day_expr(T.shift(day, k * off, "day"))
    if unit in ("morning", "afternoon", "evening", "night"):
        return T.part_of_day(T.shift(anchor.start, off, "day"), unit)
    return T.point(T.shift(T.floor(anchor.start, unit), off, unit), unit)


@_rule("earlier_this",
       r"(?P<w>earlier|later)\s+(?P<what>this|that|in\s+the|last|next)\s+(?P<unit>week|month|year|day|morning|afternoon|evening|century|decade)"
       r"|(?P<w2>earlier|later)\s+(?:in\s+)?(?P<what2>today|tonight|tomorrow|yesterday)", prio=2)
def _earlier_this(m, ctx):
    mod = None
    if m["w2"]:
        ref = ctx.need("day")
        what = m["what2"].lower()
        if what == "tonight":
            return T.part_of_day(ref, "night")
        off = {"today": 0, "tomorrow": 1, "yesterday": -1}[what]
        return T.point(T.shift(ref, off, "day"), "day", mod=mod)
    unit = m["unit"].lower()
    what = m["what"].lower()
    ref = ctx.need("day")
    if unit in ("morning", "afternoon", "evening"):
        return T.part_of_day(ref, unit)
    if unit == "day":
        return T.point(ref, "day")
    off = {"this": 0, "in the": 0, "that": 0, "last": -1, "next": 1}[what]
    if what == "that":
        return None
    return T.point(T.shift(T.floor(ref, unit), off, unit), unit, mod=mod)


@_rule("set",
       rf"(?P<adv>daily|weekly|monthly|yearly|annually|quarterly|hourly|nightly|biweekly|bimonthly|"
       rf"semiannually|semi-annually|annual(?=\s+basis))"
       rf"|(?P<every>every|each|per)\s+(?:(?P<n>other|{_NUM})\s+)?(?P<unit>{_UNIT}|{_WEEKDAY}|morning|evening|night|afternoon)"
       rf"|(?:every|each)\s+(?P<mon>{_MONTH})|(?P<wdp>{_WEEKDAY})\s+(?P<pods>mornings|afternoons|evenings|nights)"
       rf"|(?P<wdp2>{_WEEKDAY})(?=\s*(?:,|and|or)\s+{_WEEKDAY}\s+(?P<pods2>mornings|afternoons|evenings|nights))"
       rf"|(?P<a>a|an)\s+(?P<unit2>day|week|month|year)(?=\s*(?:[,.;]|$))", prio=1)
def _set(m, ctx):
    if m["adv"]:
        w = m["adv"].lower()
        if not ctx.lenient:
            nxt = ctx.text[m.end(): m.end() + 12]
            if w == "quarterly" and re.match(r"\s+[a-z]", nxt):
                return None  # "its quarterly dividend": an adjective
            if w == "daily" and (re.match(r"\s+[A-Z]", nxt) or re.search(
                    r"\b(?:average|party|the)\s+$", ctx.text[max(0, m.start() - 9): m.start()], re.I)):
                return None  # "the Communist Party daily Granma", "average daily volume"
            if w in ("daily", "weekly", "monthly", "quarterly", "annual") and re.match(
                    r"\s+(?:newspaper|paper|magazine|journal|basis|news|mail|star|telegraph|"
                    r"express|herald|show|dose|life|routine|budget|report)", nxt, re.I):
                if not (w == "annual" or re.match(r"\s+basis", nxt, re.I)):
                    return None
        v = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "yearly": "P1Y", "annually": "P1Y",
             "annual": "P1Y", "quarterly": "P3M", "hourly": "PT1H", "nightly": "P1D",
             "biweekly": "P2W", "bimonthly": "P2M", "semiannually": "P6M",
             "semi-annually": "P6M"}[w]
        return T.TimeExpr(None, None, None, v, None, "set")
    if m["unit2"]:
        return None
    if m["mon"] or m["wdp"] or m["wdp2"]:
        return _named_set(m, ctx)
    u = m["unit"].lower()
    if re.fullmatch(_WEEKDAY, u, re.I):
        return T.TimeExpr(None, None, "day", f"XXXX-WXX-{_weekday(u) + 1}", None, "set")
    if u in ("morning", "evening", "night", "afternoon"):
        code = {"morning": "MO", "evening": "EV", "night": "NI", "afternoon": "AF"}[u]
        return T.TimeExpr(None, None, "part_of_day", f"XXXX-XX-XXT{code}", None, "set")
    unit = _unit(u)
    if unit not in ("second", "minute", "hour", "day", "week", "month", "quarter", "year", "decade",
                    "century", "weekend"):
        return None
    n = 1
    if m["n"]:
        if m["n"].lower() == "other":
            n = 2
        else:
            v = _num(m["n"])
            if v is None:
                return None
            n = v[0]
    return T.TimeExpr(None, None, unit, _dur_value(n, unit, False), None, "set")


def _named_set(m, ctx):
    """ "each July" (XXXX-07), "Tuesday nights" and "Monday (and Tuesday nights)" (XXXX-WXX-1TNI)."""
    if m["mon"]:
        if not ctx.lenient and not m["mon"][0].isupper():
            return None
        return T.TimeExpr(None, None, "month", f"XXXX-{_month(m['mon']):02d}", None, "set")
    code = {"mornings": "MO", "afternoons": "AF", "evenings": "EV", "nights": "NI"}[
        (m["pods"] or m["pods2"]).lower()]
    w = m["wdp"] or m["wdp2"]
    if not ctx.lenient and (not w[0].isupper() or len(w.rstrip(".")) <= 4 and not w.endswith(".")):
        return None  # "we sat nights", as the weekday rule
    return T.TimeExpr(None, None, "part_of_day", f"XXXX-WXX-{_weekday(w) + 1}T{code}", None, "set")


@_rule("year_ago_adj", r"(?P<w>year-ago|year-earlier|a\s+year\s+earlier|year\s+earlier|year\s+ago)", prio=-1)
def _year_ago_adj(m, ctx):
    if ctx.lenient:
        return None
    ref = ctx.need("year")
    return ("year_back", T.point(T.shift(T.floor(ref, "year"), -1, "year"), "year"))


#: a report's period: "the latest period", "the 1989 period", "the year-ago period", "the same
#: period last year" (financial news: the quarter the report is about, or that quarter a year back)
_PERIOD_BACK = r"(?:a\s+year\s+(?:ago|earlier)|last\s+year|of\s+(?:last|the\s+previous)\s+year)"


@_rule("report_period",
       rf"(?:the\s+)?(?:(?P<w>latest|current|year-ago|year-earlier|year\s+ago|year\s+earlier|(?P<y>{_YEAR}))"
       rf"\s+period(?:\s+(?P<back>{_PERIOD_BACK}))?|(?:same|comparable|corresponding)\s+period\s+"
       rf"(?P<back2>{_PERIOD_BACK}))", prio=1)
def _report_period(m, ctx):
    """("period", (year or year offset, what it is without a quarter in the story))."""
    if ctx.lenient:
        return None
    ref = ctx.need("year")
    if m["y"]:
        y = int(m["y"])
        return ("period", ((y, None), T.point(T.shift(T.floor(ref, "year"), y - ref.year, "year"), "year")))
    back = bool(m["back"] or m["back2"]) or "year" in (m["w"] or "").lower()
    last_year = T.point(T.shift(T.floor(ref, "year"), -1, "year"), "year")
    return ("period", ((None, -1 if back else 0), last_year if back else None))


# holidays --------------------------------------------------------------------------------------

def _easter(year: int, orthodox: bool = False):
    import pandas as pd
    from dateutil.easter import EASTER_ORTHODOX, EASTER_WESTERN, easter

    return pd.Timestamp(easter(year, EASTER_ORTHODOX if orthodox else EASTER_WESTERN))


def _nth_wd(year: int, month: int, wd: int, n: int):
    import pandas as pd

    if n > 0:
        first = pd.Timestamp(year=year, month=month, day=1)
        return first + pd.Timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))
    last = T.shift(pd.Timestamp(year=year, month=month, day=1), 1, "month") - pd.Timedelta(days=1)
    return last - pd.Timedelta(days=(last.weekday() - wd) % 7 + 7 * (-n - 1))


def _boss_day(y):
    import pandas as pd

    d = pd.Timestamp(year=y, month=10, day=16)
    if d.weekday() == 5:
        return d - pd.Timedelta(days=1)
    if d.weekday() == 6:
        return d + pd.Timedelta(days=1)
    return d


def _fixed(mo, d):
    import pandas as pd

    return lambda y: pd.Timestamp(year=y, month=mo, day=d)


def _easter_off(k, orthodox=False):
    import pandas as pd

    return lambda y: _easter(y, orthodox) + pd.Timedelta(days=k)


def _hijri(hy: int, hm: int, hd: int):
    """The tabular (civil) Islamic date hy-hm-hd as a Gregorian day; observed dates, which
    depend on the sighting of the moon, differ by a day now and then."""
    import math

    import pandas as pd

    jd = hd + math.ceil(29.5 * (hm - 1)) + (hy - 1) * 354 + (3 + 11 * hy) // 30 + 1948439.5 - 1
    return pd.Timestamp.fromordinal(int(jd + 0.5) - 1721425)


def _islamic(hm: int, hd: int, offset: int = 0):
    """A Hijri month/day feast as a function of the Gregorian year (the first one in it)."""
    import pandas as pd

    def fn(y: int):
        table = calendars.islamic_feast(y, hm, hd)  # observed (Umm al-Qura) dates where known
        if table is not None:
            return table + pd.Timedelta(days=offset)
        hy = int((y - 622) * 33 / 32)
        for k in range(hy - 1, hy + 3):
            d = _hijri(k, hm, hd) + pd.Timedelta(days=offset)
            if d.year == y:
                return d
        return _hijri(hy, hm, hd)

    return fn


def _eid_friday(y: int):
    """Jumu'atul-Wida: the last Friday of Ramadan."""
    import pandas as pd

    eid = _islamic(10, 1)(y)
    return eid - pd.Timedelta(days=(eid.weekday() - 4) % 7 or 7)


# the Hebrew calendar (Reingold & Dershowitz, Calendrical Calculations): fixed day numbers are
# proleptic Gregorian ordinals (day 1 = 0001-01-01); months count from Nisan (1) to Adar II (13)
_HEBREW_EPOCH = -1373427


def _heb_leap(y: int) -> bool:
    return (7 * y + 1) % 19 < 7


def _heb_elapsed(y: int) -> int:
    months = (235 * y - 234) // 19
    parts = 12084 + 13753 * months
    days = 29 * months + parts // 25920
    return days + 1 if (3 * (days + 1)) % 7 < 3 else days


def _heb_new_year(y: int) -> int:
    ny0, ny1, ny2 = _heb_elapsed(y - 1), _heb_elapsed(y), _heb_elapsed(y + 1)
    corr = 2 if ny2 - ny1 == 356 else 1 if ny1 - ny0 == 382 else 0
    return _HEBREW_EPOCH + ny1 + corr


def _heb_month_days(m: int, y: int) -> int:
    length = _heb_new_year(y + 1) - _heb_new_year(y)
    if m in (2, 4, 6, 10, 13) or (m == 12 and not _heb_leap(y)) or \
            (m == 8 and length not in (355, 385)) or (m == 9 and length in (353, 383)):
        return 29
    return 30


def _hebrew(y: int, m: int, d: int):
    """The Gregorian day of Hebrew date y-m-d."""
    import pandas as pd

    last = 13 if _heb_leap(y) else 12
    if m < 7:
        days = sum(_heb_month_days(k, y) for k in range(7, last + 1)) + \
            sum(_heb_month_days(k, y) for k in range(1, m))
    else:
        days = sum(_heb_month_days(k, y) for k in range(7, m))
    return pd.Timestamp.fromordinal(_heb_new_year(y) + d - 1 + days)


def _jewish(m: int, d: int, eve: bool = True):
    """A Hebrew-calendar feast in Gregorian year y; Jewish days begin at the evening before,
    which is the day Duckling (and calendars) give for the holiday."""
    import pandas as pd

    def fn(y: int):
        hy = y + 3761 if 7 <= m <= 10 else y + 3760  # Shevat and Adar fall early in the year
        mm = 13 if (m == 12 and _heb_leap(hy)) else m
        day = _hebrew(hy, mm, d)
        return day - pd.Timedelta(days=1) if eve else day

    return fn


def _yom_haatzmaut(y: int):
    """Independence Day: 5 Iyar, moved off Friday/Saturday to Thursday and off Monday to Tuesday."""
    import pandas as pd

    d = _jewish(2, 5, eve=False)(y)
    wd = d.weekday()
    shift_by = {4: -1, 5: -2, 0: 1}.get(wd, 0)
    return d + pd.Timedelta(days=shift_by - 1)


def _yom_hashoah(y: int):
    """Holocaust Remembrance Day: 27 Nisan, moved off Friday (back) and Sunday (forward)."""
    import pandas as pd

    d = _jewish(1, 27, eve=False)(y)
    shift_by = {4: -1, 6: 1}.get(d.weekday(), 0)
    return d + pd.Timedelta(days=shift_by - 1)


# the Chinese calendar's new year: the second new moon after the winter solstice, Beijing time
# (Meeus, Astronomical Algorithms, ch. 27 and 49; minutes of error, enough for a date)

def _new_moon_jde(k: int) -> float:
    """Julian ephemeris day of new moon number ``k`` (k=0: 6 January 2000)."""
    import math

    t = k / 1236.85
    jde = (2451550.09766 + 29.530588861 * k + 0.00015437 * t**2 - 0.000000150 * t**3
           + 0.00000000073 * t**4)
    r, s = math.radians, math.sin
    m = r(2.5534 + 29.10535670 * k - 0.0000014 * t**2 - 0.00000011 * t**3)
    mp = r(201.5643 + 385.81693528 * k + 0.0107582 * t**2 + 0.00001238 * t**3
           - 0.000000058 * t**4)
    f = r(160.7108 + 390.67050284 * k - 0.0016118 * t**2 - 0.00000227 * t**3
          + 0.000000011 * t**4)
    om = r(124.7746 - 1.56375588 * k + 0.0020672 * t**2 + 0.00000215 * t**3)
    e = 1 - 0.002516 * t - 0.0000074 * t**2
    return jde + (
        -0.40720 * s(mp) + 0.17241 * e * s(m) + 0.01608 * s(2 * mp) + 0.01039 * s(2 * f)
        + 0.00739 * e * s(mp - m) - 0.00514 * e * s(mp + m) + 0.00208 * e * e * s(2 * m)
        - 0.00111 * s(mp - 2 * f) - 0.00057 * s(mp + 2 * f) + 0.00056 * e * s(2 * mp + m)
        - 0.00042 * s(3 * mp) + 0.00042 * e * s(m + 2 * f) + 0.00038 * e * s(m - 2 * f)
        - 0.00024 * e * s(2 * mp - m) - 0.00017 * s(om) - 0.00007 * s(mp + 2 * m)
        + 0.00004 * s(2 * mp - 2 * f) + 0.00004 * s(3 * m) + 0.00003 * s(mp + m - 2 * f)
        + 0.00003 * s(2 * mp + 2 * f) - 0.00003 * s(mp + m + 2 * f)
        + 0.00003 * s(mp - m + 2 * f) - 0.00002 * s(mp - m - 2 * f) - 0.00002 * s(3 * mp + m)
        + 0.00002 * s(4 * mp))


def _beijing_day(jde: float) -> int:
    """The proleptic Gregorian ordinal of the Beijing (UTC+8) day of ``jde``."""
    return int(jde + 8 / 24 + 0.5) - 1721425


def _chinese_new_year(y: int):
    """The lunar new year: the shared table (:func:`calendars.lunar_new_year`), else the
    astronomical rule (new moon of the second month after the winter solstice's)."""
    import pandas as pd

    table = calendars.lunar_new_year(y)
    if table is not None:
        return table
    yy = (y - 1 - 2000) / 1000  # the December solstice before (mean, Meeus ch. 27)
    solstice = _beijing_day(2451900.05952 + 365242.74049 * yy - 0.06223 * yy**2
                            - 0.00823 * yy**3 + 0.00032 * yy**4)
    k0 = round((y - 1 - 2000) * 12.3685 + 11)
    moons = [_beijing_day(_new_moon_jde(k)) for k in range(k0 - 3, k0 + 6)]
    eleventh = max(i for i, d in enumerate(moons) if d <= solstice)  # the month of the solstice
    return pd.Timestamp.fromordinal(moons[eleventh + 2])


def _kings_day(y: int):
    """Koningsdag: 27 April, or the 26th when the 27th is a Sunday."""
    d = _fixed(4, 27)(y)
    return _fixed(4, 26)(y) if d.weekday() == 6 else d


def _earth_hour(y: int):
    """Earth Hour: the last Saturday of March, a week earlier when that is Easter eve (2013, 2016,
    2018, 2024)."""
    d = _nth_wd(y, 3, 5, -1)
    return d - _days(7) if d == _easter(y, False) - _days(1) else d


#: holidays.csv's "function" rules: dates too irregular for a table row
_HOLIDAY_FUNCTIONS: dict[str, Callable] = {
    "earth_hour": _earth_hour, "kings_day": _kings_day, "boss_day": _boss_day, "chinese_new_year": _chinese_new_year,
    "yom_hashoah": _yom_hashoah, "yom_haatzmaut": _yom_haatzmaut, "eid_friday": _eid_friday,
}


def _holiday_date_fn(rule: str, args: str, where: str) -> Callable:
    """The date function of the year for one row of lang/data/en/holidays.csv."""
    if rule == "function":
        if args not in _HOLIDAY_FUNCTIONS:
            raise ValueError(f"{where}: unknown function {args!r}; known: {sorted(_HOLIDAY_FUNCTIONS)}")
        return _HOLIDAY_FUNCTIONS[args]
    n = [int(x) for x in args.split()]
    if rule == "fixed":
        return _fixed(n[0], n[1])
    if rule in ("easter", "orthodox_easter"):
        return _easter_off(n[0], rule == "orthodox_easter")
    if rule == "hebrew":
        return _jewish(n[0], n[1])
    if rule == "hijri":
        return _islamic(n[0], n[1])
    if rule == "nth_weekday":
        month, wd, nth, extra = n
        return lambda y: _nth_wd(y, month, wd, nth) + _days(extra)
    raise ValueError(f"{where}: unknown rule {rule!r}; use fixed, nth_weekday, easter, "
                     "orthodox_easter, hebrew, hijri or function")


def _holidays_from_data() -> list[tuple[str, Callable, int]]:
    """name pattern -> (date function of the year, days the holiday lasts), in the file's order
    (lang/data/en/holidays.csv, read once)."""
    import csv
    from pathlib import Path

    path = Path(__file__).parent / "data" / "en" / "holidays.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    return [(r["pattern"], _holiday_date_fn(r["rule"], r["args"], f"{path} row {i + 2}"),
             int(r["days"])) for i, r in enumerate(rows)]


_HOLIDAYS: list[tuple[str, Callable, int]] = _holidays_from_data()


def _days(n):
    import pandas as pd

    return pd.Timedelta(days=n)


def _table_holiday(calendar: str, method: str, offset: int):
    """A holiday of a lunisolar calendar table as a function of the Gregorian year."""
    import pandas as pd

    def fn(y: int):
        d = calendars.table_holiday(calendar, method, y)
        if d is None:
            raise ValueError(f"{method} has no date in {y}")
        return d + pd.Timedelta(days=offset)

    return fn


def _name_pattern(name: str) -> str:
    return r"[\s-]+".join(re.escape(w) for w in name.split())


def _lunisolar_holidays() -> list[tuple[str, Callable, int]]:
    """The holidays of lang/data/en/holidays_lunisolar.csv, read once at import."""
    import csv
    from pathlib import Path

    path = Path(__file__).parent / "data" / "en" / "holidays_lunisolar.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    out = []
    for r in rows:
        names = sorted(r["names"].split("|"), key=len, reverse=True)
        out.append(("|".join(_name_pattern(n) for n in names),
                    _table_holiday(r["calendar"], r["method"], int(r["offset"])), int(r["days"])))
        _LUNISOLAR_FIRST_WORDS.update(n.split()[0].lower() for n in names)
    return out


_LUNISOLAR_FIRST_WORDS: set[str] = set()
_HOLIDAYS.extend(_lunisolar_holidays())

_HOLIDAY_RX = "|".join(f"(?P<h{i}>{p})" for i, (p, _f, _d) in enumerate(_HOLIDAYS))


@_rule("holiday",
       rf"(?:(?P<part>morning|evening|afternoon|night)\s+of\s+)?(?:(?P<rel>this|next|last)\s+)?(?:{_HOLIDAY_RX})"
       rf"(?:\s+(?:(?:of\s+|in\s+)?(?P<year>{_YEAR})|of\s+(?P<rely>this|next|last)\s+year|(?P<spelled>two\s+thousand(?:\s+\w+)?)"
       rf"|in\s+(?P<inn>{_NUM})\s+(?P<inu>years?|months?)|(?P<agon>{_NUM})\s+(?P<agou>years?|months?)\s+(?P<agod>ago|from\s+now|hence)))?",
       prio=2, find_prefix=r"(?=(?-i:[A-Z])|(?:morning|evening|afternoon|night|this|next|last)\s)")
def _holiday(m, ctx):  # noqa: C901
    import pandas as pd

    idx = next(i for i in range(len(_HOLIDAYS)) if m[f"h{i}"])
    name = m[f"h{idx}"]
    _p, fn, length = _HOLIDAYS[idx]
    if not ctx.lenient:
        if not name[0].isupper():
            return None
        if name.lower() in ("lent", "boss", "bosss", "boss's", "earth hour"):
            return None
    if name.lower() == "boss'" or (name.lower().startswith("boss") and not ctx.lenient):
        return None
    ref = ctx.ref
    if m["year"]:
        d = fn(int(m["year"]))
    elif m["spelled"]:
        v = _spelled_year(re.match(r".*", m["spelled"]), ctx)
        if v is None or isinstance(v, tuple):
            return None
        d = fn(v.start.year)
    else:
        ref = ctx.need("day")
        today = T.floor(ref, "day")
        if m["rely"]:
            d = fn(ref.year + {"this": 0, "next": 1, "last": -1}[m["rely"].lower()])
        else:
            this = fn(ref.year)
            rel = (m["rel"] or "").lower()
            if rel == "last":
                d = this if this < today else fn(ref.year - 1)
            elif rel in ("next", "this") or ctx.lenient:
                d = this if this >= today else fn(ref.year + 1)
            else:
                # the nearest one; the clause's tense weighs the other side down
                tense = ctx.tense()
                ahead = {"past": 10.0, "future": 1.0}.get(tense, 1.2)
                behind = {"past": 1.0, "future": 10.0}.get(tense, 1.0)
                d = min((fn(y) for y in (ref.year - 1, ref.year, ref.year + 1)),
                        key=lambda x: abs((x - today).days) * (ahead if x > today else behind))
            if m["inn"] or m["agon"]:
                k = int(_num(m["inn"] or m["agon"])[0])
                unit = _unit(m["inu"] or m["agou"])
                sign = -1 if (m["agod"] or "").lower() == "ago" else 1
                target = T.shift(ref, sign * k, unit)
                d = min(x for x in (fn(y) for y in (target.year - 1, target.year, target.year + 1))
                        if x >= T.floor(target, "day"))
    if length == 0:  # earth hour: 20:30-21:30
        s = d + pd.Timedelta(hours=20, minutes=30)
        return T.TimeExpr(s, s + pd.Timedelta(minutes=61), "minute", T.timex_value(s, "minute"), None, "time")
    if m["part"]:
        return T.part_of_day(d, m["part"].lower())
    e = T.point(d, "day")
    if name.lower() == "ramadan":  # the month ends when Eid al-Fitr begins
        eid = _islamic(10, 1)(d.year)
        return replace(e, end=eid if eid > d else _islamic(10, 1)(d.year + 1))
    if length > 1:
        e = replace(e, end=d + pd.Timedelta(days=length))
    return e


# ----------------------------------------------------------------------------- where rules can match
# find() reads long documents; most of their text holds no time expression. Every match of a rule
# contains one of the rule's trigger words (a digit, a month name, a unit ...), so find() runs each
# rule only on windows around the rule's own triggers, found by one tokenising pass. The windows
# reach far enough either side (_WIN_BACK/_WIN_FWD characters) for the longest lead-in ("at
# approximately", "the beginning of the") and every lookaround; tests compare the windowed scan
# with a scan of the whole text.

_WIN_BACK = 48
_WIN_FWD = 48

_UNIT_WORDS = {"second", "sec", "minute", "min", "hour", "hr", "h", "day", "night", "week", "wk",
               "fortnight", "month", "quarter", "qtr", "year", "yr", "decade", "century",
               "centuries", "weekend", "wkend", "season"}
_SEASON_WORDS = {"summer", "winter", "spring", "autumn", "fall"}
_POD_WORDS = {"morning", "afternoon", "afternoonish", "evening", "night", "lunch", "lunchtime",
              "daytime", "dawn", "dusk", "overnight", "tonight", "tonite", "midday", "noon",
              "midnight", "day"}
_DEICTIC_WORDS = {"today", "yesterday", "tomorrow", "tomorrows", "tonight", "tonite", "now",
                  "moment", "atm", "time", "present", "presently", "currently", "nowadays", "days"}
_VAGUE_WORDS = {"recently", "lately", "past", "previously", "formerly", "once", "time", "times",
                "recent", "earlier", "later", "now", "ago", "former", "future", "soon", "shortly",
                "days", "ahead", "eventually", "long", "run", "term", "weeks", "years", "current",
                "moment", "present", "today", "near", "possible"}
_SET_WORDS = {"daily", "weekly", "monthly", "yearly", "annually", "quarterly", "hourly", "nightly",
              "biweekly", "bimonthly", "semiannually", "annual"}
_HOLIDAY_WORDS = set("""christmas xmas boxing year years valentine valentines halloween patrick
paddy independence july veterans armistice remembrance vegan saints may labor labour earth
koningsdag king kings thanksgiving friday mlk martin civil rights memorial columbus presidents
washington birthday mother mothers father fathers boss bosss easter orthodox monday mon saturday
fast sunday thursday thu pentecost whitsunday whit trinity ascension pancake mardi gras shrove
wednesday lent election chinese lunar festival rosh yom kippur shemini simchat sukkot succos
tabernacles ingathering booths purim shushan passover pesach hashoah holocaust haatzmaut omer
bomer shavuot shavuos tisha eid fitr adha sacrifice bakr ramadan islamic amun jadid hijri ashura
mawlid prophet laylat kadr qadr measures power decree isra journey jamat jumu atul wida
vida jayanti""".split()) | _LUNISOLAR_FIRST_WORDS
_HOLIDAY_STEMS = ("hanu", "hannu", "chanu", "channu", "hashan", "shvat", "ishvat", "bishvat",
                  "bshvat")


def _plural(words) -> set[str]:
    return {x for w in words for x in (w, w + "s")}


_ALL_MONTHS = set(_MONTHS)
_ALL_WEEKDAYS = _plural(w for w in _WEEKDAYS if w.endswith("day")) | set(_WEEKDAYS)
_NUM_WORDS = set(_UNITS) | set(_TENS) | {"hundred", "thousand"}
_ORDINALS = set(_ORD_WORDS)
_HOUR_WORDS = {w for w, v in _UNITS.items() if 1 <= v <= 12}

#: rule -> the words one of which each of its matches contains ("#" stands for any number,
#: "####" for a number of exactly four digits (a year), "##" for one of one or two digits (an
#: hour, a day, a month): the number these rules cannot do without)
_TRIGGERS: dict[str, set[str]] = {
    "iso_datetime": {"####"}, "slash_date": {"####"}, "year_month_num": {"####"},
    "month_year_num": {"####"}, "year": {"####"},
    "numeric_date": {"##"}, "clock": {"#"}, "range_hours": {"##"},
    "month_day": _ALL_MONTHS, "day_month": _ALL_MONTHS, "month_year": _ALL_MONTHS,
    "year_month": _ALL_MONTHS, "unit_after_next": {"week", "month", "year", "quarter"},
    "month": _ALL_MONTHS, "range_month_days": _ALL_MONTHS, "range_days_month": _ALL_MONTHS,
    "spelled_year": {"nineteen", "twenty", "thousand"},
    "decade": {"####", "##"} | set(_DECADE_WORDS),  # 1990s, '90s
    "century": {"century"},
    "quarter": {"quarter", "qtr", "q"},  # "2018Q4"
    "half": {"half"},
    "deictic_day": _DEICTIC_WORDS,
    "late_day": {"today", "yesterday", "tomorrow"},
    "rel_unit": _plural(_UNIT_WORDS | _SEASON_WORDS),
    "season": _SEASON_WORDS,
    "the_weekend": {"weekend"},
    "fiscal_year": {"year"},
    "this_unit_bare": {"week", "month", "year"},
    "boundary": {"beginning", "start", "end", "middle", "eom", "bom", "eoy", "boy", "eod", "year",
                 "month"},
    "weekday": _ALL_WEEKDAYS,
    "weekday_hours": _ALL_WEEKDAYS,
    "clock_words": _HOUR_WORDS,  # the hour is the one word every match has
    "noon": {"noon", "midday", "day", "midnight"},
    "past_to": {"##", "noon", "midnight"} | _HOUR_WORDS,
    "part_of_day": _plural(_POD_WORDS),
    "duration": _plural(_UNIT_WORDS) | {"hundred"},  # "nine hundred and ninety nine days"
    "fraction_hour": {"hour", "hours", "h"},
    "fortnight": {"fortnight"},
    "years_from_today": _plural(_UNIT_WORDS) | {"hundred"},
    "vague": _VAGUE_WORDS,
    "anchored": _plural(_UNIT_WORDS | _POD_WORDS),
    "earlier_this": {"earlier", "later"},
    "set": _SET_WORDS | _plural(_UNIT_WORDS | _POD_WORDS) | _ALL_WEEKDAYS | _ALL_MONTHS,
    "year_ago_adj": {"year"},
    "report_period": {"period"},
    "holiday": _HOLIDAY_WORDS,
}
#: rules with the same triggers share their windows: one bit per distinct trigger set
_GROUP_OF: dict[str, int] = {}
_GROUP_WORDS: list[frozenset[str]] = []
for _name, _words in _TRIGGERS.items():
    _key = frozenset(_words)
    if _key not in _GROUP_WORDS:
        _GROUP_WORDS.append(_key)
    _GROUP_OF[_name] = _GROUP_WORDS.index(_key)
#: word -> bit mask of the trigger groups it belongs to; rules not in _TRIGGERS scan everything
_WORD_MASK: dict[str, int] = {}
for _i, _words in enumerate(_GROUP_WORDS):
    for _w in _words:
        _WORD_MASK[_w] = _WORD_MASK.get(_w, 0) | 1 << _i
_DIGIT_MASK = _WORD_MASK.pop("#")
_YEAR_MASK = _WORD_MASK.pop("####")
_SHORT_MASK = _WORD_MASK.pop("##")
#: the trigger groups of a number by its length
_NUMBER_MASK = [_DIGIT_MASK | (_SHORT_MASK if n <= 2 else 0) | (_YEAR_MASK if n == 4 else 0)
                for n in range(6)]
_HOLIDAY_BIT = 1 << _GROUP_OF["holiday"]
#: words a pattern may glue to the next or previous word with ``\s*`` ("someday", "nextweek",
#: "marchfirst"): a longer token that ends or begins with one of them triggers the same rules
_GLUED_END = tuple(sorted(w for w in _WORD_MASK if len(w) >= 3 and w in (
    _plural(_UNIT_WORDS | _POD_WORDS) | _ALL_MONTHS | _NUM_WORDS)))
_GLUED_START = tuple(sorted(w for w in _WORD_MASK if len(w) >= 3 and w in (
    {m for m in _MONTHS if len(m) > 3} | _ALL_WEEKDAYS | _NUM_WORDS | _ORDINALS)))
_TOKEN = re.compile(r"[A-Za-z]+|\d+")  # \d as in the rules: other scripts' digits too
_TOKEN_MASK: dict[str, int] = {}  # memo of _token_mask over the words seen so far
_MASK_BITS: dict[int, tuple[int, ...]] = {}


def _token_mask(w: str) -> int:
    """The trigger groups a lower-case word belongs to, glued forms and holiday stems included."""
    mask = _WORD_MASK.get(w, 0)
    if not mask and len(w) > 3:
        if w.endswith(_GLUED_END):
            for x in _GLUED_END:
                if w.endswith(x):
                    mask |= _WORD_MASK[x]
        if w.startswith(_GLUED_START):
            for x in _GLUED_START:
                if w.startswith(x):
                    mask |= _WORD_MASK[x]
        if w.startswith(_HOLIDAY_STEMS):
            mask |= _HOLIDAY_BIT
    return mask


def _windows(text: str) -> dict[str, list[tuple[int, int]]]:
    """For each rule with triggers, the merged spans of ``text`` its matches can lie in."""
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two; offsets must hold
        low = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    memo = _TOKEN_MASK
    if len(memo) > 200_000:
        memo.clear()
    spans: list[list[list[int]]] = [[] for _ in _GROUP_WORDS]
    for m in _TOKEN.finditer(low):
        w = m.group()
        if w[0].isdigit():
            mask = _NUMBER_MASK[len(w)] if len(w) < 6 else _DIGIT_MASK
        else:
            mask = memo.get(w)
            if mask is None:
                mask = memo[w] = _token_mask(w)
            if not mask:
                continue
        bits = _MASK_BITS.get(mask)
        if bits is None:
            bits = _MASK_BITS[mask] = tuple(i for i in range(len(_GROUP_WORDS)) if mask >> i & 1)
        a, b = m.start() - _WIN_BACK, m.end() + _WIN_FWD
        for i in bits:
            g = spans[i]
            if g and a <= g[-1][1]:
                g[-1][1] = b
            else:
                g.append([a, b])
    n = len(text)
    clipped = [[(max(a, 0), min(b, n)) for a, b in g] for g in spans]
    return {name: clipped[i] for name, i in _GROUP_OF.items()}


# ----------------------------------------------------------------------------- running the rules

def _select(hits: list[_Hit]) -> list[_Hit]:
    """Longest match first, then rule priority; no overlaps."""
    hits.sort(key=lambda h: (-(h.end - h.start), -h.prio, h.start))
    taken: list[_Hit] = []
    occupied: list[tuple[int, int]] = []
    import bisect

    for h in hits:
        i = bisect.bisect_left(occupied, (h.start, h.end))
        if i > 0 and occupied[i - 1][1] > h.start:
            continue
        if i < len(occupied) and occupied[i][0] < h.end:
            continue
        occupied.insert(i, (h.start, h.end))
        taken.append(h)
    taken.sort(key=lambda h: h.start)
    return taken


_JOIN = re.compile(r"\s*(?:\([^()]{1,24}\)\s*)?(?:,\s*)?(?:(?:at|on|in\s+the|in|of|@|for|from)\s*)?(?:the\s+)?$", re.I)
_RANGE = re.compile(r"\s*(?:-|–|~|〜|to|through|thru|till|until|untill|and|but\s+before)\s*$", re.I)


def _join(hits: list[_Hit], text: str, ctx: _Ctx) -> list[_Hit]:
    """Compose neighbours: a day and a time or part of the day, and ranges between two times."""
    out: list[_Hit] = []
    for h in hits:
        if out:
            prev = out[-1]
            gap = text[prev.end: h.start]
            if len(gap) <= 12 or len(gap) <= 36 and "(" in gap:
                merged = None
                try:
                    if _JOIN.fullmatch(gap) and "\n" not in gap:
                        merged = _combine(prev, h, ctx)
                    if merged is None and ctx.lenient and _RANGE.fullmatch(gap):
                        merged = _range(prev, h, ctx, gap)
                except (_NeedRef, ValueError, OverflowError, KeyError, TypeError, IndexError):
                    merged = None  # no reference time, or a day that does not exist
                if merged is not None:
                    out[-1] = merged
                    continue
        out.append(h)
    return out


def _weekday_into_week(a: _Hit, b: _Hit) -> T.TimeExpr | None:
    """A weekday (with its part of the day) followed by a named week, moved into that week."""
    ea, eb = a.expr, b.expr
    if "weekday" not in a.rule or ea.granularity not in ("day", "part_of_day") or \
            eb.granularity != "week" or eb.kind != "date" or ea.start is None or eb.start is None:
        return None
    shift = eb.start - T.floor(ea.start, "week")
    start = ea.start + shift
    value = T.timex_value(T.floor(start, "day"), "day") + ea.value[10:]
    return replace(ea, start=start, end=ea.end + shift, value=value)


def _combine(a: _Hit, b: _Hit, ctx: _Ctx) -> _Hit | None:  # noqa: C901
    import pandas as pd

    def mk(expr, **kw):
        return _Hit(a.start, b.end, expr, a.rule + "+" + b.rule, **kw)

    moved = _weekday_into_week(a, b)
    if moved is not None:  # "Wednesday evening next week": that Wednesday evening
        return mk(moved)

    # a start and how long: "4pm for 30 mins", "from 18th Dec for 10 days" (Duckling's
    # inclusive end: the last minute or day is part of the span)
    for x, y in ((a, b), (b, a)):
        if ctx.lenient and y.expr.kind == "duration" and y.expr.start is None and \
                x.expr.start is not None and x.expr.kind in ("date", "time") and \
                x.expr.granularity in ("day", "hour", "minute"):
            m = re.fullmatch(r"P(T?)(\d+)([DHMW])", y.expr.value)
            if m:
                unit = {"D": "day", "H": "hour", "W": "week", "M": "minute" if m[1] else "month"}[m[3]]
                fine = "day" if x.expr.granularity == "day" else "minute"
                end = T.shift(x.expr.start, int(m[2]), unit) + pd.Timedelta(
                    **{fine + "s": 1})
                return mk(T.TimeExpr(x.expr.start, end, fine, x.expr.value + "/" + y.expr.value,
                                     None, x.expr.kind))
    # an offset from a named day: "three days after Easter"
    if ctx.lenient and a.rule == "duration" and b.expr.start is not None and b.day_given:
        m = re.search(rf"(?P<n>{_NUM})[\s-]+(?P<unit>{_UNIT})\s+(?P<dir>after|before)$",
                      ctx.text[a.start:a.end], re.I)
        if m and _num(m["n"]) is not None:
            k = int(_num(m["n"])[0]) * (1 if m["dir"].lower() == "after" else -1)
            return mk(T.point(T.shift(b.expr.start, k, _unit(m["unit"])), "day"), day_given=True)

    for x, y in ((a, b), (b, a)):
        # a day and a range of times: "9:30 - 11:00 on Thursday"
        if x.day_given and y.rule in ("range_hours", "range") and y.expr.start is not None \
                and y.expr.granularity in ("hour", "minute", "second") and x.expr.start is not None:
            shift_by = T.floor(x.expr.start, "day") - T.floor(y.expr.start, "day")
            return mk(replace(y.expr, start=y.expr.start + shift_by, end=y.expr.end + shift_by,
                              value=_shift_value(y.expr, shift_by)))
        # a day and a time of day
        if x.day_given and y.tod is not None and x.expr.start is not None:
            return mk(_resolve_tod(ctx, y.tod, day=x.expr.start))
        # a day and a part of the day
        if x.day_given and y.pod is not None and x.expr.start is not None:
            e = replace(T.part_of_day(x.expr.start, y.pod), mod=x.expr.mod)
            if y.pod == "early_morning" and ctx.lenient:  # Duckling: "early morning" is 0-9
                e = replace(e, end=e.start + pd.Timedelta(hours=9))
            return mk(e, day_given=False, pod=None)
        if x.day_given and y.expr.granularity == "part_of_day" and y.rule == "part_of_day" and \
                y.expr.start is not None and x.expr.start is not None and y.pod is None:
            continue
    # a part of the day and a time: "this morning at 3", "tonight at 11", "at 8 in the evening"
    for x, y in ((a, b), (b, a)):
        if y.tod is not None and x.expr.granularity == "part_of_day" and x.tod is None:
            pod = x.pod or _pod_of(x.expr)
            if pod is None:
                continue
            day = x.expr.start if x.pod is None else None
            if day is not None:
                return mk(_resolve_tod(ctx, y.tod, day=T.floor(day, "day"), pod=pod))
            return mk(_resolve_tod(ctx, y.tod, pod=pod))
    # a month or season and the year beside it: "July last year", "January nineteen ninety-seven",
    # "the winter of 1994"
    if a.rule in ("month", "season") and b.expr.granularity == "year" and b.expr.start is not None \
            and a.expr.start is not None and b.rule in ("year", "spelled_year", "rel_unit"):
        y = b.expr.start.year
        if a.rule == "month":
            return mk(T.point(a.expr.start.replace(year=y), "month"))
        name = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}[a.expr.value[-2:]]
        return mk(T.season(y, name))
    if a.rule == "this_unit_bare" and a.expr.granularity == "year" and b.rule in ("year", "spelled_year"):
        return mk(b.expr)  # "the year two thousand"
    # a weekday and a date: "Friday, Oct. 23" (the date wins)
    if a.rule == "weekday" and b.day_given and a.day_given:
        return mk(b.expr, day_given=True)
    # "in 7 days at 5pm": an offset and a time
    if b.tod is not None and a.expr.start is not None and a.expr.granularity in ("hour", "minute", "second", "month", "day") \
            and a.rule == "duration" and ctx.lenient:
        return mk(_resolve_tod(ctx, b.tod, day=a.expr.start if a.expr.granularity != "month" else a.expr.start))
    return None


def _shift_value(e: T.TimeExpr, by) -> str:
    """The TIMEX3 value of an interval of times moved by ``by`` (whole days)."""
    a = T.point(e.start + by, e.granularity).value
    b = T.point(e.end + by - _GRAIN_STEP[e.granularity], e.granularity).value
    return f"{a}/{b}"


def _grain_step():
    import pandas as pd

    return {"hour": pd.Timedelta(hours=1), "minute": pd.Timedelta(minutes=1),
            "second": pd.Timedelta(seconds=1)}


class _LazyStep(dict):
    """Timedeltas per grain, built on first use (pandas loads lazily)."""

    def __missing__(self, key):
        self.update(_grain_step())
        return dict.__getitem__(self, key)


_GRAIN_STEP = _LazyStep()


def _pod_of(e: T.TimeExpr) -> str | None:
    if e.start is None or e.end is None:
        return None
    h0 = e.start.hour
    span = int((e.end - e.start).total_seconds() // 3600)
    for name, (_c, s, t) in T.PARTS_OF_DAY.items():
        if s == h0 and t - s == span:
            return name
    return None


def _range(a: _Hit, b: _Hit, ctx: _Ctx, gap: str) -> _Hit | None:
    if a.expr.start is None or b.expr.start is None:
        return None
    if a.tod is not None and b.tod is not None:
        ea, eb = a.expr, b.expr
        if not a.tod[3] and b.tod[3] and b.tod[0] >= 12 and a.tod[0] < 12:  # "3:30 - 6pm"
            ea = _resolve_tod(ctx, (a.tod[0] + 12,) + tuple(a.tod[1:3]) + (True,) + tuple(a.tod[4:]),
                              day=eb.start)
        if ea.start.normalize() != eb.start.normalize() and eb.start < ea.start:
            eb = _resolve_tod(ctx, b.tod, day=ea.start)
        if eb.start < ea.start and not b.tod[3]:
            eb = _resolve_tod(ctx, (b.tod[0] + 12,) + tuple(b.tod[1:3]) + (True,) + tuple(b.tod[4:]),
                              day=ea.start)
        if eb.start <= ea.start:
            return None
        return _Hit(a.start, b.end, T.interval(ea, eb), "range", tod=None)
    ga, gb = a.expr.granularity, b.expr.granularity
    calendar = ("day", "month", "year", "week", "quarter")
    # "2014 through May 2018": a coarser start and a finer end still make one span
    if (ga != gb or ga not in calendar + ("hour", "minute")) and not (
            ga == "year" and gb in calendar and b.expr.start.year > a.expr.start.year):
        return None
    if "and" in gap.lower() and not re.search(r"between\s+$", ctx.text[max(0, a.start - 9): a.start], re.I):
        return None
    if b.expr.start <= a.expr.start:
        return None
    return _Hit(a.start, b.end, T.interval(a.expr, b.expr), "range")


# explicit ranges with a shared part ("July 13-15", "13 to 15 July", "3-4pm") --------------------

_RSEP = r"\s*(?:-|–|to|thru|through|till|until|untill)\s*"


@_rule("range_month_days",
       rf"(?:from\s+|between\s+)?(?P<mon>{_MONTH})\s*(?P<d1>{_DOM})(?:{_RSEP}|\s+and\s+)(?:(?P<mon2>{_MONTH})\s*)?(?P<d2>{_DOM})"
       rf"(?:\s*,?\s*(?P<year>{_YEAR}))?", prio=3)
def _range_md(m, ctx):
    import pandas as pd

    if not _month_ok(m, "mon", ctx, strong=True):
        return None
    mo1 = _month(m["mon"])
    mo2 = _month(m["mon2"]) if m["mon2"] else mo1
    if m["mon2"] and not ctx.lenient:
        return None  # "from Aug. 26 to Oct. 20": TimeML tags each date
    d1, d2 = _ord(m["d1"]), _ord(m["d2"])
    if not d1 or not d2 or d1 > 31 or d2 > 31:
        return None
    if m["year"]:
        y = int(m["year"])
        a = pd.Timestamp(year=y, month=mo1, day=d1)
    else:
        a = _date_no_year(ctx, mo1, d1)
        y = a.year
    b = pd.Timestamp(year=y + (mo2 < mo1), month=mo2, day=d2)
    if b <= a:
        return None
    return T.interval(T.point(a, "day"), T.point(b, "day"))


@_rule("range_days_month",
       rf"(?:from\s+|between\s+)?(?:the\s+)?(?P<d1>{_DOM})(?:\s+(?P<mon1>{_MONTH}))?(?:{_RSEP}|\s+and\s+)(?:the\s+)?(?P<d2>{_DOM})\s*(?:of\s+)?(?P<mon>{_MONTH})"
       rf"(?:\s*,?\s*(?P<year>{_YEAR}))?", prio=3)
def _range_dm(m, ctx):
    import pandas as pd

    if not _month_ok(m, "mon", ctx, strong=True):
        return None
    mo2 = _month(m["mon"])
    mo1 = _month(m["mon1"]) if m["mon1"] else mo2
    d1, d2 = _ord(m["d1"]), _ord(m["d2"])
    if not d1 or not d2 or d1 > 31 or d2 > 31:
        return None
    if m["year"]:
        y = int(m["year"])
        b = pd.Timestamp(year=y, month=mo2, day=d2)
    else:
        b = _date_no_year(ctx, mo2, d2)
        y = b.year
    a = pd.Timestamp(year=y - (mo1 > mo2), month=mo1, day=d1)
    if b <= a:
        return None
    return T.interval(T.point(a, "day"), T.point(b, "day"))


@_rule("range_hours",
       rf"(?:from\s+|between\s+|around\s+)?(?P<h1>[01]?\d|2[0-3])(?::(?P<m1>[0-5]\d)|(?P<hk>h)(?P<m1b>[0-5]\d)?)?(?P<ap1>\s*{_AMPM})?"
       rf"(?:{_RSEP}|\s+and\s+)(?P<h2>[01]?\d|2[0-3])(?::(?P<m2>[0-5]\d)(?::(?P<s2>[0-5]\d))?|h(?P<m2b>[0-5]\d)?)?(?:ish)?"
       rf"(?:\s*(?P<ap2>{_AMPM}|in\s+the\s+[ap]m))?", prio=2)
def _range_hours(m, ctx):
    import pandas as pd

    ap2 = m["ap2"]
    ap1 = m["ap1"]
    hm1 = m["m1"] is not None or m["hk"] is not None
    hm2 = m["m2"] is not None or m["m2b"] is not None
    if not (ap2 or ap1 or (hm1 and hm2) or (ctx.lenient and (hm1 or hm2))):
        return None
    if not ctx.lenient and not (ap2 or ap1) and not (m["m1"] and m["m2"]):
        return None
    if ap2 and ap2.lower().startswith("in the"):
        ap2 = ap2.split()[-1]
    h1, h2 = int(m["h1"]), int(m["h2"])
    mi1, mi2 = int(m["m1"] or m["m1b"] or 0), int(m["m2"] or m["m2b"] or 0)
    s2 = int(m["s2"] or 0)
    t2 = _tod(h2, mi2, s2, ap2)
    t1 = _tod(h1, mi1, 0, ap1 or (ap2 if ap2 and h1 <= 12 else None))
    if t1 is None or t2 is None:
        return None
    if ap2 and not ap1 and t1[0] > t2[0]:  # "11-1pm", "8am - 1pm"
        t1 = _tod(h1, mi1, 0, "am")
    ref = ctx.need("minute")
    day = T.floor(ref, "day")
    if not (t1[3] or t2[3]) and ctx.lenient:
        # "9:30 - 11:00" both ambiguous: Duckling keeps them as written, today
        pass
    g1 = "minute" if (hm1 or hm2) else "hour"
    g2 = "second" if m["s2"] is not None else g1
    a = T.point(day + pd.Timedelta(hours=t1[0], minutes=t1[1]), g1)
    h2v = t2[0] if t2[0] >= t1[0] else t2[0] + 12 if not t2[3] else t2[0]
    b = T.point(day + pd.Timedelta(hours=h2v, minutes=t2[1], seconds=t2[2]), g2)
    if b.start <= a.start:
        return None
    e = T.interval(a, b)
    return ("tod_range", e)


# ----------------------------------------------------------------------------- public entry points


def _drop_conversions(hits: list[_Hit], text: str) -> list[_Hit]:
    """A clock time in brackets right after another is the same moment in another zone
    ("10:35 a.m. (0735 GMT) Friday"): keep the first, so it can join the day after the bracket."""
    out: list[_Hit] = []
    for h in hits:
        if out and h.tod is not None and out[-1].tod is not None and \
                re.fullmatch(r"\s*\(\s*", text[out[-1].end: h.start]) and re.match(r"\s*\)", text[h.end:]):
            continue
        out.append(h)
    return out


def _run(text: str, ref: Any, lenient: bool, windows: bool = True) -> list[_Hit]:
    ctx = _Ctx(ref=ref, text=text, lenient=lenient)
    sel = _select(_candidates(text, ctx, windows and not lenient))
    if not lenient:
        sel = _drop_conversions(sel, text)
    sel = _join(sel, text, ctx)
    sel = _join(sel, text, ctx)
    return sel


def _candidates(text: str, ctx: _Ctx, windows: bool = False) -> list[_Hit]:
    out = []
    spans = _windows(text) if windows else {}
    whole = [(0, len(text))]
    impossible: list[tuple[int, int]] = []  # spans naming a day that does not exist
    for name, rx, fn, prio, only in _RULES:
        if (only is True or only == "parse") and not ctx.lenient or only == "find" and ctx.lenient:
            continue
        for m in (m for a, b in spans.get(name, whole) for m in rx.finditer(text, a, b)):
            if m.end() == m.start():
                continue
            ctx.start, ctx.end = m.start(), m.end()
            try:
                res = fn(m, ctx)
            except _NeedRef as e:
                g = e.grain
                res = T.TimeExpr(None, None, g, _X_VALUES.get(g, "XXXX-XX-XX"), None, "date")
            except (ValueError, OverflowError, KeyError, TypeError, IndexError) as err:
                impossible += _no_such_day(err, m)
                res = None
            if res is None:
                continue
            hit = _Hit(m.start(), m.end(), None, name, prio=prio)  # type: ignore[arg-type]
            if isinstance(res, tuple):
                kind, payload = res
                try:
                    if kind == "tod":
                        hit.tod = payload
                        hit.expr = _resolve_tod(ctx, payload)
                    elif kind == "pod":
                        hit.pod = payload
                        ref = ctx.need("part_of_day")
                        hit.expr = T.part_of_day(ref, payload)
                    elif kind == "trim":  # the match ran past the expression ("'s")
                        hit.end, hit.expr = payload
                    elif kind == "period":  # the report's quarter, found in find()
                        hit.expr_args = payload[0]
                        hit.expr = payload[1] or T.TimeExpr(None, None, "quarter", "XXXX-QX", None, "date")
                        hit.tag = kind
                    elif kind == "anchor":  # resolved against the story's last date in find()
                        hit.expr_args = payload
                        hit.expr = payload[2]
                        hit.tag = kind
                    else:  # a ready expression with a tag the document pass reads
                        hit.expr = payload
                        hit.tag = kind
                except _NeedRef:
                    g = "part_of_day" if kind == "pod" else "minute"
                    hit.expr = T.TimeExpr(None, None, g, _X_VALUES[g], None, "time")
            else:
                hit.expr = res
            hit.day_given = (hit.expr.granularity == "day" and hit.expr.start is not None
                             and hit.expr.kind != "duration"
                             and (hit.expr.end - hit.expr.start).days == 1)
            out.append(hit)
    return _outside(out, impossible)


def _no_such_day(err: Exception, m: re.Match) -> list[tuple[int, int]]:
    """``[(start, end)]`` of a match naming a day that does not exist ("February 29, 2023")."""
    return [(m.start(), m.end())] if "out of range for month" in str(err) else []


def _outside(hits: list[_Hit], impossible: list[tuple[int, int]]) -> list[_Hit]:
    """The hits not inside an impossible date: "February" of "February 29, 2023" is no time."""
    return [h for h in hits if not any(a <= h.start and h.end <= b and (a, b) != (h.start, h.end)
                                       for a, b in impossible)]


def find(text: str, ref: Any) -> list[tuple[int, int, T.TimeExpr]]:
    """Every time expression in ``text``: ``(start, end, TimeExpr)``, non-overlapping.

    Examples
    --------
    >>> import pandas as pd
    >>> [(s, e, t.value) for s, e, t in find("He left on Monday.", pd.Timestamp("2023-09-12"))]
    [(11, 17, '2023-09-11')]
    """
    if ref is not None:
        ref = T.reference_time(ref)
    out = []
    hits = _run(text, ref, lenient=False)
    quarters = [h for h in hits if h.expr.granularity == "quarter" and h.expr.start is not None
                and not re.search(r"year[\s-](?:ago|earlier)|same", text[h.start:h.end], re.I)]
    focus = None  # the last day the story named: "in the afternoon" is that day's afternoon
    prev = None  # the expression before
    anchor = None  # the last date the story named, any grain: "that year", "the following day"
    for h in hits:
        if h.pod is not None and focus is not None and h.start - focus.end < 400:
            h.expr = T.part_of_day(focus.expr.start, h.pod)
        if h.tag == "anchor":
            unit, off, _default = h.expr_args
            grains = _GRAINS
            fine = "day" if unit in ("morning", "afternoon", "evening", "night") or unit.startswith("wd") else unit
            if anchor is not None and anchor.expr.granularity in grains and fine in grains and \
                    grains.index(anchor.expr.granularity) <= grains.index(fine):
                # only an anchor at least as fine: "the next day" after "that year" is unknown
                h.expr = _from_anchor(anchor.expr, unit, off)
        if h.day_given:
            focus = h
        if h.expr.start is not None and h.expr.kind in ("date", "time") and h.expr.granularity in (
                "day", "week", "month", "quarter", "year", "part_of_day", "hour", "minute") \
                and h.tag in (None, "anchor") and h.rule not in ("deictic_day", "vague", "part_of_day"):
            anchor = h
        if h.tag in ("period", "year_back"):
            if not _in_report(h, quarters, prev, text):
                continue  # "the latest period" with no quarter named: no time we can tell
        prev = h
        s, e = h.start, h.end
        # TimeML spans leave out a leading preposition ("at 3pm" -> "3pm", "for about 5 hours")
        m = re.match(r"(?:at|on|in|from|for|during|by|@)\s+", text[s:e], re.I)
        if m and h.expr.kind != "set" and not re.match(r"in\s+the\s+(?:past|future|coming|near|days|weeks|long|short)",
                                                       text[s:e], re.I):
            s += m.end()
        expr = h.expr
        if any(t is not None and not 1678 <= t.year <= 2261 for t in (expr.start, expr.end)):
            # frames hold nanosecond timestamps: the 11th century keeps its value, not its span
            expr = replace(expr, start=None, end=None)
        out.append((s, e, T.with_text(expr, text[s:e])))
    return out


_SENTENCE_END = re.compile(r"[.!?]\s")


def _in_report(h: _Hit, quarters: list[_Hit], prev: _Hit | None, text: str) -> bool:
    """Resolve a report's period or "a year ago" against the quarters the story names (in
    place); False when the expression has no time without one ("the latest period")."""
    if h.tag == "period":
        if not quarters:
            return h.expr.start is not None
        # the period a report is about is the quarter it names first (its headline's)
        year, off = h.expr_args
        q = quarters[0].expr.start
        q = q.replace(year=year) if year is not None else T.shift(q, off, "year")
        h.expr = replace(T.point(q, "quarter"), text=h.expr.text)
        return True
    if not quarters:
        return True
    if prev is not None and not _SENTENCE_END.search(text, prev.end, h.start) and (
            re.fullmatch(r"P(?:\d+Y|(?:[6-9]|1[0-2])M)", prev.expr.value or "")
            or prev.expr.granularity == "year" and prev.expr.kind == "date"):
        return True  # "in the first nine months, compared with 40% a year earlier": that year
    # financial news compares with the quarter in focus: "a year ago" is that quarter
    # one year back (TimeBank: 1988-Q3 in a report on 1989's third quarter)
    before = [q for q in quarters if q.start < h.start] or quarters
    q = before[-1].expr
    h.expr = replace(T.point(T.shift(q.start, -1, "year"), "quarter"), text=h.expr.text)
    return True


_STRIP = re.compile(r"^\s*(?:on|at|in|during|for|from|@|around|about|approximately)\s+(?=\S)", re.I)


def parse(text: str, ref: Any) -> T.TimeExpr | None:
    """The time expression that ``text`` (mostly) is, or ``None``.

    Examples
    --------
    >>> import pandas as pd
    >>> parse("next tuesday", pd.Timestamp("2013-02-12 04:30")).value
    '2013-02-19'
    >>> parse("laughing out loud", pd.Timestamp("2013-02-12")) is None
    True
    """
    ref = T.reference_time(ref) if ref is not None else None
    hits = _run(text, ref, lenient=True)
    if not hits:
        return None
    # the expression covering most of the text
    best = max(hits, key=lambda h: h.end - h.start)
    covered = sum(h.end - h.start for h in hits)
    letters = len(re.sub(r"[\W_]", "", _STRIP.sub("", text)))
    if letters and len(re.sub(r"[\W_]", "", text[best.start:best.end])) < 0.5 * letters and covered < 0.5 * len(text):
        return None
    return T.with_text(best.expr, text[best.start:best.end])
