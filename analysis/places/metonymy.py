"""English context cues for a place name that stands for an actor: a state, its government or a team.

The cue words are data (``data/metonymy_en.csv``, one ``kind,cue,example`` row each):

- ``relation_noun``: "talks between Seoul and Pyongyang", "partnership with Vietnam" -- states
  relate to each other, places do not;
- ``object_verb``: "tariffs that targeted China", "allowing France to assume" -- the state is
  the object of a political act;
- ``subject_verb`` / ``plural_verb``: "China advocates", "China and Russia hope" -- the state
  speaks or wants;
- ``team_prep`` / ``team_verb``: "played against Portland", "the defeat of Bolton", "Liverpool
  have" -- a club named after its town (a singular name with a plural verb is a team);
- ``control_verb``: "the need for Malta to defend itself", "wants Russia to play" -- the state
  is the one to act;
- ``action_noun``: "the campaign by Turkey", "an investigation by the United States";
- ``possessed_noun``: "Tunisia's reluctance", "Beijing's tough talk" -- what a state has or does;
- ``modifier_noun``: "US Ambassador", "London police", "a White House dinner" -- a name
  modifying a noun is neither the government nor a team (``literal``); so is a name heading a
  longer capitalised name ("Pakistan Army", "Abuja Chamber of Commerce") or a compound
  ("Los Angeles-based").

A dated verb ("China on April 4 unveiled", "Tamil Nadu on Saturday moved") and the second of two
coordinated states before a verb ("Morocco and the United States share") count as subjects too.

``role_cue`` returns ``"metonymic"``, ``"literal"`` or None (no cue: the caller's rules decide).
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).parent / "data" / "metonymy_en.csv"
# features whose name can stand for a state or its government; the rest only for a team
STATE_FEATURES = frozenset({"country", "capital", "admin1"})
TEAM_FEATURES = frozenset({"country", "capital", "admin1", "admin2", "city", "town", "village"})
_LOCATIVE = re.compile(r"\b(?:in|at|to|from|into|near|visit|visited|visiting|toward|towards|across|"
                       r"throughout|around|inside|outside|of)\s+(?:the\s+)?$")
_ADVERB = r"(?:(?:always|also|often|still|now|already|never|not|\w+ly)\s+)?"


@lru_cache(maxsize=1)
def cues() -> dict[str, frozenset[str]]:
    """The cue words of each kind, as read from ``data/metonymy_en.csv``."""
    out: dict[str, set[str]] = {}
    with _DATA.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            out.setdefault(row["kind"], set()).add(row["cue"])
    return {k: frozenset(v) for k, v in out.items()}


def _alt(kind: str) -> str:
    words = sorted(cues().get(kind, ()), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    name = r"(?:the\s+)?[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,3}"
    return {
        "relation": re.compile(rf"\b(?:{_alt('relation_noun')})\s+(?:with|between)\s+(?:the\s+)?$"),
        "relation2": re.compile(rf"\b(?:{_alt('relation_noun')})\s+between\s+{name}\s+and\s+(?:the\s+)?$"),
        "object": re.compile(rf"\b(?:{_alt('object_verb')})\s+(?:the\s+)?$"),
        "team_before": re.compile(rf"\b(?:{_alt('team_prep')})\s+(?:the\s+)?$"),
        "subject": re.compile(rf"^\s+{_ADVERB}(?:{_alt('subject_verb')})\b"),
        "plural": re.compile(rf"^\s+and\s+{name}\s+{_ADVERB}(?:{_alt('plural_verb')}|{_alt('subject_verb')})\b"),
        "team_after": re.compile(rf"^\s+(?:{_alt('team_verb')})\b"),
        "modifier": re.compile(rf"^\s+(?:{_alt('modifier_noun')})\b", re.IGNORECASE),
        "heads_name": re.compile(r"^(?:-[a-z]| (?!And\b|The\b|On\b|In\b)[A-Z][a-z])"),
        "control": re.compile(rf"\b(?:{_alt('control_verb')})\s+(?:the\s+)?$"),
        "to_verb": re.compile(rf"^(?:\s+and\s+{name})?\s+to\s+(?!be\b|the\b|a\b)[a-z]{{3,}}\b"),
        "action_by": re.compile(rf"\b(?:{_alt('action_noun')})\s+by\s+(?:the\s+)?$"),
        "possessed": re.compile(rf"^(?:'s|’s)\s+(?:[\w\-]+\s+){{0,2}}(?:{_alt('possessed_noun')})\b"),
        "dated": re.compile(r"^,?\s+(?:on|last|this|early|late)\s+(?:[A-Z][a-z]+|\d+)(?:\s+\d{1,2})?,?\s+"
                            rf"(?:[a-z]{{3,}}ed|{_alt('subject_verb')})\b"),
        "conj2": re.compile(r"[A-Z][\w.]*\s+and\s+(?:the\s+)?$"),
        # "the US was conducting drone flights", "Russia is trying": a state doing something now
        "progressive": re.compile(r"^\s+(?:is|was|are|were|has\s+been|have\s+been)\s+" + _ADVERB
                                  + r"(?!being\b|going\b|bring\b|ring\b|king\b|thing\b)[a-z]{3,}ing\b"),
    }


def role_cue(text: str, start: int, end: int, feature: str) -> str | None:
    """The role the context of ``text[start:end]`` (a place of ``feature``) gives, or None."""
    if feature not in TEAM_FEATURES:
        return None
    pat = _patterns()
    after = text[end:end + 80]
    before = text[max(0, start - 80):start]
    if pat["modifier"].match(after) or (
            not text[start:end].endswith(".") and pat["heads_name"].match(after)):
        return "literal"  # "US Ambassador Jon Huntsman", "London police", "Pakistan Army"
    if pat["team_before"].search(before):
        return "metonymic"  # "played against Portland", "convincingly beating Sunderland"
    if feature not in STATE_FEATURES:
        # "Louisville and Lexington have", "the Netherlands are": plural subjects, not a team
        plural_ok = not text[start:end].endswith("s") and not re.search(r"(?:\bthe|\band|\bor|,)\s+$", before) \
            and not _LOCATIVE.search(before)  # "sick in Imperial Beach have prompted lawsuits"
        return "metonymic" if plural_ok and pat["team_after"].match(after) else None
    if any(pat[k].search(before) for k in ("relation", "relation2", "object", "action_by")):
        return "metonymic"  # "talks between Seoul and Pyongyang", "tariffs that targeted China"
    if pat["control"].search(before) and pat["to_verb"].match(after):
        return "metonymic"  # "the need for Malta to defend itself"
    if _LOCATIVE.search(before):
        return None
    return _subject_cue(pat, before, after)


def _subject_cue(pat: dict[str, re.Pattern], before: str, after: str) -> str | None:
    """``metonymic`` when the name is the subject of a political verb or owns a political act."""
    if pat["possessed"].match(after) or pat["dated"].match(after):
        return "metonymic"  # "Tunisia's reluctance", "China on April 4 unveiled"
    if pat["subject"].match(after) or pat["plural"].match(after) or pat["progressive"].match(after):
        return "metonymic"  # "China advocates", "China and Russia hope", "the US was conducting"
    if pat["conj2"].search(before) and re.match(rf"^\s+(?:{_alt('plural_verb')})\b", after):
        return "metonymic"  # "Morocco and the United States share"
    return None
