"""Who went where, when: the timeline of place events and the route they trace.

:func:`build_timeline` turns place mentions and time expressions into events, one row per place at
a time, and decides for each what the text says happened there (``movement``) and how sure the text
is (``certainty``), from the words around the place in Chinese or English. :func:`route` keeps the
reported travel stops in chronological order and joins them into legs.

How an event is read
--------------------
- Sentences split on 。！？；, line breaks (Chinese) and English sentence ends (not after "U.S."
  or "Gen."); clauses on ，,：; and "and", "then" (and on spaces in a Chinese headline); a
  parenthesis is a clause of its own (a gloss, not part of the sentence's action). Traditional
  characters are read through a one-to-one fold of the cue words, so offsets never move.
- The verb governing a place is the nearest movement cue before it in its clause (离开平壤,
  "left Beijing"), or, when a preposition introduces the place, the verb after it (在晋江登陆,
  从哈桑火车站驶入). A list shares its verb (穿过福建、江西和安徽). A place that only locates the
  next one (福建晋江, 符拉迪沃斯托克北边的城市乌苏里斯克, "China's") is context: ``mention``.
- Certainty cues (预计, 可能, 并未, "was expected to", "did not") count from the start of the
  clause to the place; a conditional (如果, "if") makes the whole sentence ``speculated``.
- Route granularity: a country or region entered or visited is context (``mention``) when the
  article reports finer stops inside it (same country code); the stops are the route. A trip the
  article recalls from long before its publication (more than :data:`BACKGROUND_DAYS` days) is
  background and also becomes ``mention``.
- Time: the expression in the clause, else in the sentence, else the nearest preceding time of
  its paragraph, which governs the later sentences (``paragraph``), else the time of the same event
  told elsewhere in the article (same place and movement: ``coreference``), else the previous event's
  (``previous``), else the publication date (``published``). "当天下午", "that afternoon" and a
  bare "下午" are re-anchored on the day under discussion. Headings and image captions summarise
  the body, so they take only their own expression or the body event they retell (a headline
  the body never retells takes the publication date; a caption stays undated).
- Plans and speculation (expected, speculated, negated) take only their own time, else the
  publication day; a plan on a bare weekday is next week's. A sentence opening on 此前 /
  "Earlier" tells background: its undated events stay undated (``time_source`` background).
  A number glued to a name (1号站台) is no time; a bare clock time keeps the story's day.
- Who: ``actor`` is NA for the story's traveller, "journalist" for the reporter's own travel, or
  the name of another titled person whose travel the sentence tells (普京已抵达…).
- Where: a relative position ("20 miles west of X", X以东120公里) shifts the point
  (``offset_km``, ``offset_bearing``); continents, world regions, clocks (北京时间), titles and
  affiliations (美国总统, "officials from") are never stops. All cue words are data files in
  ``analysis/timeline/data/{zh,en}/``.
- Order: chronological by ``time_start`` (NaT last). Within one time, an event with its own time
  comes before the events that inherited it (the story moves on from a dated fact), and a
  departure with no time of its own from a place not reached before opens the trip.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from analysis import schema as S
from analysis.text.script import is_zh
from analysis.timeline import cues as C

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    import pandas as pd

log = logging.getLogger(__name__)

#: a reported trip this many days before publication is background, not this story's route
BACKGROUND_DAYS = 90

#: features that are areas containing the stops rather than stops themselves
_CONTAINER_FEATURES = {"continent", "country", "region"}
#: feature rank, coarse to fine, to tell a container from the place it contains
_FEATURE_RANK = {f: i for i, f in enumerate(S.FEATURES)}

_ZH_SENT = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]*[”」』\"]?")
_EN_SENT = re.compile(r".+?(?:[.!?](?:[\"”’')\]]*)(?=\s+[\"“‘(A-Z0-9])|$)", re.DOTALL)
_EN_ABBREV = re.compile(
    r"(?:^|[\s(])(?:[A-Z]|[A-Z]\.[A-Z]|[A-Z]\.[A-Z]\.[A-Z]|Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|Capt|Gov|Sen|Rep|"
    r"St|Jr|Sr|Prof|No|Mt|Ft|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec|a\.m|p\.m|etc|vs)\.$"
)
# (a comma or colon inside a number or a clock time, "1,000" or "10:30", splits nothing)
_ZH_CLAUSE = re.compile(r"[，：—]+|[,:](?!\d)")
# a headline separates its phrases with spaces (台风北上 京冀遭遇暴雨)
_ZH_HEAD_CLAUSE = re.compile(r"[，：—]+|[,:](?!\d)|\s+(?=[\u3400-\u9fff])")
_EN_CLAUSE = re.compile(
    r"\s*[;—]\s*|:\s+|,\s+(?:and\s+then|and|then|but|while)\s+"
    r"|\s+(?:and\s+then|then|and|but|while)\s+|,\s+"
)
_PAREN = re.compile(r"[（(][^（()）]*[)）]")
# a line of a paragraph: only Chinese text ends a sentence at a line break
_ZH_PARA = re.compile(r".+", re.DOTALL)
_EN_LINE = re.compile(r"(?:[^\n]|\n(?!\s*\n))+")
# a clause ending on a departure with no place (稍后又离开, "then left"): zero anaphora
_ZH_DEPART = tuple(v for v, mv in C.ZH_LEFT.items() if mv == "depart")
_EN_LEFT_END = re.compile(r"\b(?:left|departed)\s*[.!?]?$")
# aspect particles and adverbs between a verb and its place (离开了, 直接前往)
_ZH_VERB_TAIL = re.compile(r"^(?:了|着|过|至|到|往|入|进|直接|一路)+")
# a preposition before the place, perhaps with a short descriptor ending in 的 (从边境的哈桑火车站)
_ZH_PREP = re.compile(
    r"(正在|在|于|从|自|由|对|向|往|到)"
    r"([^，,。；：、\s在于从自由]{1,12}(?:的|[东南西北中]部|沿海|境内|边境|附近|一带))?$"
)


# ----------------------------------------------------------------------------- segmentation


@dataclass(eq=False, slots=True)
class _Clause:
    start: int
    end: int
    sentence: int
    paren: bool = False


@dataclass(slots=True)
class _Sentence:
    start: int
    end: int
    kind: str
    clauses: list[_Clause] = field(default_factory=list)
    para_start: int = 0  # where its paragraph starts (a time there governs later clauses)


def _sentences(text: str, start: int, end: int, kind: str, zh: bool) -> list[_Sentence]:
    """Split ``text[start:end]`` into sentences and clauses (offsets into ``text``)."""
    chunk = text[start:end]
    out = []
    pattern = _ZH_SENT if zh else _EN_SENT
    # a paragraph may be soft-wrapped: only Chinese text ends a sentence at a line break
    # (a Chinese sentence never spans one, so the whole paragraph is scanned at once)
    for line_m in (_ZH_PARA if zh else _EN_LINE).finditer(chunk):
        line, base = line_m.group(), start + line_m.start()
        for m in pattern.finditer(line):
            s, e = base + m.start(), base + m.end()
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e <= s:
                continue
            # "U.S." or "Gen." does not end an English sentence
            # (the abbreviation ends the previous sentence: search only its last characters)
            if out and not zh and out[-1].end <= s and text[out[-1].end - 1] == "." \
                    and _EN_ABBREV.search(prev := text[out[-1].start:out[-1].end], max(0, len(prev) - 12)) \
                    and text[out[-1].end:s].strip() == "":
                out[-1].end = e
            else:
                out.append(_Sentence(s, e, kind))
    for i, sent in enumerate(out):
        sent.clauses = _clauses(text, sent, i, zh)
    return out


def _clauses(text: str, sent: _Sentence, index: int, zh: bool) -> list[_Clause]:
    """Clauses of one sentence: split on separators, parentheses set apart."""
    body = text[sent.start:sent.end]
    parens = [(m.start(), m.end()) for m in _PAREN.finditer(body)]
    out = [_Clause(sent.start + a, sent.start + b, index, True) for a, b in parens]
    # blank the parentheses so a separator inside one does not split the outer clause
    masked = body
    for a, b in parens:
        masked = masked[:a] + "\x00" * (b - a) + masked[b:]
    pos = 0
    splitter = (_ZH_HEAD_CLAUSE if sent.kind == "heading" else _ZH_CLAUSE) if zh else _EN_CLAUSE
    cuts = [(m.start(), m.end()) for m in splitter.finditer(masked)]
    if not zh and ("，" in masked or "：" in masked):  # Chinese text in an English article
        cuts += [(m.start(), m.end()) for m in re.finditer(r"[，：]", masked)]  # splits on its comma
        cuts.sort()
    for a, b in cuts + [(len(body), len(body))]:
        if a > pos:
            out.append(_Clause(sent.start + pos, sent.start + a, index))
        pos = max(pos, b)
    return out


# ----------------------------------------------------------------------------- movement


@dataclass(slots=True)
class _Mention:
    idx: Any  # the place's record (a dict of the places frame's columns)
    start: int
    end: int
    place_id: Any
    feature: Any
    country: Any
    role: Any
    clause: _Clause | None = None
    movement: str = "mention"
    certainty: str = "reported"
    modifier: bool = False
    offset: tuple[float, float] | None = None  # (km, bearing) of a relative position
    actor: str | None = None  # None: the story's traveller


def _strip_in_clause(text: str, a: int, b: int, clause: _Clause, parens: list) -> str:
    """``text[a:b]`` with parenthetical glosses removed, as the outer clause reads it."""
    if not parens:
        return text[a:b]
    out, pos = [], a
    for ps, pe in parens:
        if ps >= a and pe <= b:
            out.append(text[pos:ps])
            pos = pe
    out.append(text[pos:b])
    return "".join(out)


def _link_chains(text: str, ms: list[_Mention], parens: list, zh: bool) -> None:
    """Mark places that only locate the next place (福建晋江, "China's") as modifiers."""

    gap_re = C.ZH_MODIFIER_GAP if zh else C.EN_MODIFIER_GAP
    for a, b in pairwise(ms):
        if a.clause is not b.clause or b.start < a.end:
            continue
        gap = _strip_in_clause(text, a.end, b.start, a.clause, parens)
        if gap_re.match(gap.strip() if not zh else gap) and not C.LIST_GAP.match(gap) or (
            zh and gap == "" and (_inside(b, a) or C.ZH_SUBDIVISION_RE.search(text, b.start, b.end))
        ):
            a.modifier = True
    if not zh:
        for m in ms:
            # "China's", but not "Berlin's airport": a place's own facility locates the event there
            if (re.match(r"(?:'s|’s)\b", text[m.end:m.end + 3])
                    and not C.EN_FACILITY_RE.match(text, m.end + 2)):
                m.modifier = True


def _finer(b: _Mention, a: _Mention) -> bool:
    """Whether ``b`` is a finer feature than ``a`` (a city after its province)."""
    ra = _FEATURE_RANK.get(a.feature if isinstance(a.feature, str) else "", 99)
    rb = _FEATURE_RANK.get(b.feature if isinstance(b.feature, str) else "", 99)
    return rb > ra


def _inside(b: _Mention, a: _Mention) -> bool:
    """Whether ``b``, written right after ``a`` with nothing between, lies inside it: finer, or
    as fine in the same country below the provinces (江门台山: a city inside its prefecture city)."""
    ra = _FEATURE_RANK.get(a.feature if isinstance(a.feature, str) else "", 99)
    rb = _FEATURE_RANK.get(b.feature if isinstance(b.feature, str) else "", 99)
    return rb > ra or (rb == ra != 99 and a.feature not in _CONTAINER_FEATURES | {"admin1"}
                       and isinstance(a.country, str) and a.country == b.country)


def _blocked(text: str, lo: int, m: _Mention, ms: list[_Mention], parens: list) -> bool:
    """Whether another place between ``lo`` and ``m`` breaks the verb's hold (not a list)."""

    # walk back through the places between the verb and m: each gap must be a list or a modifier
    chain = [o for o in ms if o.clause is m.clause and o.start >= lo and o.end <= m.start]
    chain.sort(key=lambda o: o.start)
    nxt = m
    for o in reversed(chain):
        gap = _strip_in_clause(text, o.end, nxt.start, m.clause, parens)
        if not (C.LIST_GAP.match(gap) or o.modifier):
            return True
        nxt = o
    return False


#: a clause break followed by "with someone": the adjunct and its verb still belong to the place
_ZH_WITH_NEXT = re.compile(r"[，,]\s*(?:与|同|跟|和)")


def _zh_right(text: str, m: _Mention, parens: list) -> str:
    """The words after a place where its verb may stand (glosses skipped)."""
    cl = m.clause
    right = _strip_in_clause(text, m.end, cl.end, cl, parens)[:16]
    if _ZH_WITH_NEXT.match(text, cl.end):  # 在西米谷的图书馆，与麦卡锡会晤: one predicate
        right += _PAREN.sub("", text[cl.end:cl.end + 48])[:20]
    return right


def _zh_movement(text: str, m: _Mention, ms: list[_Mention], parens: list) -> str:
    """Movement of one place mention in Chinese."""

    cl = m.clause
    head = m  # the first place of the modifier chain ending at m carries the preposition
    for o in reversed([o for o in ms if o.clause is cl and o.end <= m.start]):
        if o.modifier and _strip_in_clause(text, o.end, head.start, cl, parens).strip() == "" or (
            o.modifier and C.ZH_MODIFIER_GAP.match(text[o.end:head.start])
        ):
            head = o
        else:
            break
    left = _strip_in_clause(text, cl.start, head.start, cl, parens)
    left_abs = head.start
    # the nearest governing verb before the place
    verb = None
    for vm in C.ZH_LEFT_RE.finditer(C.ZH_LEFT_NOT_RE.sub(_mask, left)):
        verb = vm
    direct = None
    if verb is not None:
        between = left[verb.end():]
        between = _ZH_VERB_TAIL.sub("", between)
        lo = left_abs - len(left) + verb.end()
        # the verb governs the place when only places, a list or a short locating phrase lie between
        words = len(between) - sum(o.end - o.start for o in ms if o.start >= lo and o.end <= left_abs)
        if between == "" or (words <= 8 and not _blocked(text, lo, m, ms, parens)):
            direct = (C.ZH_LEFT[verb.group()], len(between))
    # a preposition right before the place: the verb follows it
    prep = None
    pm = _ZH_PREP.search(left)
    if pm is not None and (pm.group(2) is None or not C.ZH_LEFT_RE.search(pm.group(2))):
        prep = pm.group(1)
    if prep is not None and not (verb is not None and verb.end() == len(left)):
        group = C.ZH_RIGHT[C.ZH_LOCATIVE_GROUP[prep]]
        right = _zh_right(text, m, parens)
        best = None
        for verb_r, mv in group.items():
            k = right.find(verb_r)
            if k >= 0 and (best is None or k < best[0] or (k == best[0] and len(verb_r) > best[2])):
                best = (k, mv, len(verb_r))
        if best is not None:
            return best[1]
        if prep in ("向", "往", "对", "到"):
            return direct[0] if direct else "mention"
    if direct is not None:
        return direct[0]
    after = text[m.end:m.end + 3]
    for word, mv in C.ZH_AFTER.items():
        if after.startswith(word):
            return mv
    return "mention"


def _en_movement(text: str, m: _Mention, ms: list[_Mention], parens: list) -> str:
    """Movement of one place mention in English."""

    cl = m.clause
    left = _strip_in_clause(text, cl.start, m.start, cl, parens)
    verbs = list(C.EN_VERB_RE.finditer(left))
    if not verbs:
        return _en_shared_verb(text, cl, left)
    verb = verbs[-1]
    vm = C.EN_VERBS[verb.group().lower()]
    if (len(verbs) > 1 and C.EN_VERBS[verbs[-2].group().lower()] == "end"
            and re.fullmatch(r"\s+(?:(?:his|her|their|its|the|a|an)\s+)?(?:[\w-]+\s+)?",
                             left[verbs[-2].end():verb.start()])):
        vm = "end"  # "wrapped up his (state) visit to Vietnam": the visit ends
    after = left[verb.end():]
    # a prepositional phrase attaches to the nearest head: far from the verb, it belongs to a
    # noun in between ("set off expulsions of diplomats from Britain")
    if len(after.split()) > 6 or C.EN_BREAK_RE.search(after):
        return "mention"
    pm = C.EN_PREP_RE.search(left)
    if pm is not None and re.search(r"\bof\b", left[verb.end():pm.start()]):
        return "mention"  # the phrase belongs to a noun: "expulsions of diplomats from Britain"
    if pm is not None and pm.start() >= verb.end():
        # a preposition of motion before the place carries the verb past another place
        # ("flew from Paris to London", "left Paris for London")
        table = C.EN_PREP[pm.group(1).lower()]
        mv = table.get(vm) or table.get("*")
        if mv and (pm.group(1).lower() in C.EN_MOTION_PREP
                   or not _blocked(text, m.start - len(after), m, ms, parens)):
            return mv
        return "mention"
    if _blocked(text, m.start - len(after), m, ms, parens):
        return "mention"
    if len(after.split()) <= 1:
        return C.EN_PREP[""].get(vm, "mention")
    return "mention"


_EN_CONJOINED = re.compile(r"\b(?:and|then|and then)\s*$")


def _en_shared_verb(text: str, cl: _Clause, left: str) -> str:
    """A verbless clause joined by "and"/"then" that opens on a motion preposition shares the verb
    before it ("moved past Cuba and into the Gulf of Mexico"); a fronted source shares the verb
    after it ("From Paris, Xi flew to Belgrade")."""
    pm = C.EN_PREP_RE.search(left[:1].lower() + left[1:])  # ("From Paris" opens a sentence)
    if pm is None or pm.start() > 0 and left[:pm.start()].strip():
        return "mention"
    prep = pm.group(1).lower()
    opens = not text[max(0, cl.start - 3):cl.start].strip(" \n\"“") or re.search(
        r"[.!?\n][\"”’]?\s*$", text[max(0, cl.start - 4):cl.start])
    if prep in C.EN_MOTION_PREP and _EN_CONJOINED.search(text[max(0, cl.start - 12):cl.start]):
        verbs = list(C.EN_VERB_RE.finditer(text, max(0, cl.start - 100), cl.start))
    elif (prep in ("from", "out of", "in", "at") and opens
          and text[cl.end:cl.end + 2].strip() in ("", ",")):
        # a fronted place: "From Paris, Xi flew to Belgrade", "In Hanoi, Biden met Trong"
        verbs = [v for v in list(C.EN_VERB_RE.finditer(text, cl.end, cl.end + 60))[:1]
                 if len(text[cl.end:v.start()].split()) <= 3]  # right after a short subject
    else:
        return "mention"
    if not verbs:
        return "mention"
    table = C.EN_PREP[pm.group(1).lower()]
    vm = C.EN_VERBS[verbs[-1].group().lower()]
    return table.get(vm) or table.get("*") or "mention"


def _mask(match: re.Match) -> str:
    """Blank a look-alike word so no cue inside it matches (offsets kept)."""
    return "\x00" * (match.end() - match.start())


def _certainty(text: str, m: _Mention, sent_text: str, sent_start: int, zh: bool,
               cache: dict | None = None) -> str:
    """Certainty of one place event from the cues in its clause (and conditionals in its sentence).

    ``cache`` (one dict per article) keeps what depends only on the clause or the sentence.
    """
    cache = {} if cache is None else cache
    cl = m.clause
    # negation before the place; in Chinese, modality anywhere in the (short) clause (抵达X的计划);
    # an English clause runs on through "that …", so only what precedes the place counts
    found = set()
    if zh:
        before = C.ZH_NOT_CUE_RE.sub(_mask, text[cl.start:m.start])
        if C.ZH_CERTAINTY_RE["negated"].search(before):
            found.add("negated")
        modal = cache.get(cl)
        if modal is None:  # the whole clause's modality, the same for each of its places
            whole = C.ZH_NOT_CUE_RE.sub(_mask, text[cl.start:cl.end])
            modal = cache[cl] = {k for k, rx in C.ZH_CERTAINTY_RE.items()
                                 if k != "negated" and rx.search(whole)}
        found |= modal
        rumour_re, cond_re = C.ZH_RUMOUR_RE, C.ZH_CONDITIONAL_RE
    else:
        before = text[cl.start:m.start]
        for k, rx in C.EN_CERTAINTY_RE.items():
            if rx.search(before):
                found.add(k)
        rumour_re, cond_re = C.EN_RUMOUR_RE, C.EN_CONDITIONAL_RE
    whole = text[cl.start:cl.end]
    if (C.ZH_CANCELLED_RE if zh else C.EN_CANCELLED_RE).search(whole):
        found.add("negated")
    opening = C.ZH_VERB_OPENING_RE if zh else C.EN_VERB_OPENING_RE
    if not found and cl.start > sent_start and (
            opening.match(text[cl.start:m.start]) or zh and C.ZH_REPORTED_SPEECH_RE.search(
                text, sent_start, cl.start)):
        # the subject and modal are in the clause before ("Xi will then go to Budapest",
        # 教宗将于11日转往新加坡，13日返回罗马)
        head = text[sent_start:cl.start]
        rx = C.ZH_CERTAINTY_RE if zh else C.EN_CERTAINTY_RE
        for k in ("expected", "speculated"):
            if rx[k].search(C.ZH_NOT_CUE_RE.sub(_mask, head) if zh else head):
                found.add(k)
    rumour = cache.get((cl.sentence, "rumour"))
    if rumour is None:
        rumour = cache[(cl.sentence, "rumour")] = rumour_re.search(sent_text) is not None
    cond = rumour or cond_re.search(sent_text[: m.start - sent_start]) is not None
    if "negated" in found:
        return "negated"
    if cond or "speculated" in found:
        return "speculated"
    return "expected" if "expected" in found else "reported"


# ----------------------------------------------------------------------------- time


def _anchorable(row) -> bool:
    import pandas as pd

    if pd.isna(row[S.TIME_START]):
        return False
    kind = row.get(S.KIND) if isinstance(row.get(S.KIND), str) else "date"
    value = row.get(S.VALUE) if isinstance(row.get(S.VALUE), str) else ""
    return kind in ("date", "time") and not value.endswith("_REF")


# ----------------------------------------------------------------------------- public API


def build_timeline(
    articles: pd.DataFrame,
    *,
    places: pd.DataFrame | None = None,
    times: pd.DataFrame | None = None,
    progress: bool = False,
) -> gpd.GeoDataFrame:
    """Build the timeline of place events of every article.

    Parameters
    ----------
    articles : pandas.DataFrame
        The frame :func:`analysis.load_articles` returns (``article_id``, ``text``,
        ``published``, ``lang``).
    places : geopandas.GeoDataFrame, optional
        :func:`analysis.find_places` of ``articles``; computed when omitted.
    times : pandas.DataFrame, optional
        :func:`analysis.find_times` of ``articles``; computed when omitted.
    progress : bool
        Show a progress bar over the articles.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per event (a place at a time), EPSG:4326, columns
        :data:`analysis.schema.TIMELINE_COLUMNS`, in chronological order (``time_start``, NaT
        last); ``seq`` keeps the story order within each article. ``movement`` is one of
        :data:`analysis.schema.MOVEMENTS`, ``certainty`` one of
        :data:`analysis.schema.CERTAINTIES`, ``time_source`` says where the time came from.

    Examples
    --------
    >>> import analysis as an
    >>> arts = an.load_articles("data/articles")
    >>> tl = an.build_timeline(arts)
    >>> stops = tl[(tl.certainty == "reported") & (tl.movement != "mention")]
    >>> list(zip(stops.name, stops.movement))  # doctest: +SKIP
    [('Pyongyang', 'depart'), ('Pyongyang', 'depart'), ('Khasan station', 'pass'),
     ('Ussuriysk', 'enter'), ('Ussuriysk', 'depart'), ('Khabarovsk', 'toward')]
    """
    import pandas as pd

    _check_articles(articles)
    if len(articles) == 0:
        return _empty()
    places, times = _inputs(articles, places, times)
    batches = _article_batches(articles)
    if len(batches) > 1:
        # a big corpus goes in batches of articles: the per-event records of one batch are held
        # at a time, and the typed frames (far more compact) are joined; events are ordered
        # within their article only, so the result equals one pass over everything
        parts = []
        for ids in batches:
            keep = articles[S.ARTICLE_ID].isin(ids)
            parts.append(build_timeline(
                articles[keep],
                places=places[places[S.ARTICLE_ID].isin(ids)],
                times=times[times[S.ARTICLE_ID].isin(ids)],
            ))
        parts = [p for p in parts if len(p)] or parts[:1]
        return parts[0] if len(parts) == 1 else _concat(parts)
    rows = _all_events(articles, places, times, progress)
    if not rows:
        return _empty()
    # one frame built column-wise from the row tuples
    return _finish(pd.DataFrame(dict(zip(_ROW_COLUMNS, map(list, zip(*rows, strict=True)), strict=True))))


def _all_events(articles, places, times, progress: bool) -> list[tuple]:
    """The event rows of every article, in article order."""
    paras = _paragraph_kinds(articles)
    # plain records grouped by article once: no per-article frame slicing in the loop
    places_by = _records_by_article(places, _PLACE_COLUMNS)
    times_by = _records_by_article(times, _TIME_COLUMNS)
    rows: list[tuple] = []
    it = articles.itertuples(index=False)
    if progress:
        from tqdm.auto import tqdm

        it = tqdm(it, total=len(articles), desc="timeline", unit="article")
    for art in it:
        aid = getattr(art, S.ARTICLE_ID)
        text = getattr(art, S.TEXT)
        if not isinstance(text, str) or not text or aid not in places_by:
            continue
        rows += _article_events(art, text, places_by[aid], times_by.get(aid), paras.get(aid, []))
    return rows


def _check_articles(articles) -> None:
    """Raise with the fix when ``articles`` is not a frame of articles."""
    import pandas as pd

    if not isinstance(articles, pd.DataFrame):
        raise TypeError(
            f"articles must be a DataFrame, not {type(articles).__name__}; "
            "pass analysis.load_articles(path)"
        )
    missing = {S.ARTICLE_ID, S.TEXT} - set(articles.columns)
    if missing:
        raise ValueError(
            f"articles lacks column(s) {sorted(missing)}; pass analysis.load_articles() output"
        )


def _inputs(articles, places, times):
    """The places and times frames (computed when not given), checked for their columns."""
    if places is None:
        from analysis.places import find_places

        places = find_places(articles)
    if times is None:
        from analysis.timex import find_times

        times = find_times(articles)
    for name, frame, need in (
        ("places", places, {S.ARTICLE_ID, S.START, S.END}),
        ("times", times, {S.ARTICLE_ID, S.START, S.END, S.TIME_START, S.TIME_END}),
    ):
        lack = need - set(frame.columns)
        if lack:
            raise ValueError(
                f"{name} lacks column(s) {sorted(lack)}; pass analysis.find_{name}(articles) output"
            )
    return places, times


#: characters of article text per batch in build_timeline (bounds peak memory on big corpora)
_BATCH_CHARS = 2_000_000


def _article_batches(articles) -> list[list]:
    """The article ids in input order, cut into batches of about ``_BATCH_CHARS`` characters."""
    batches: list[list] = [[]]
    size = 0
    seen: set = set()
    for aid, text in zip(articles[S.ARTICLE_ID].tolist(), articles[S.TEXT].tolist(), strict=True):
        if aid in seen:  # a repeated id stays with its first batch
            continue
        seen.add(aid)
        if size >= _BATCH_CHARS and batches[-1]:
            batches.append([])
            size = 0
        batches[-1].append(aid)
        size += len(text) if isinstance(text, str) else 0
    return batches


def _concat(parts):
    """Join timeline batches, keeping the GeoDataFrame type and CRS."""
    import geopandas as gpd
    import pandas as pd

    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry=S.GEOMETRY, crs=S.CRS)


#: the columns of the places and times frames an event reads
_PLACE_COLUMNS = (S.START, S.END, S.PLACE_ID, S.NAME, S.NAME_ZH, S.FEATURE, S.COUNTRY_CODE,
                  S.LATITUDE, S.LONGITUDE, S.ROLE)
_TIME_COLUMNS = (S.START, S.END, S.SURFACE, S.TIME_START, S.TIME_END, S.GRANULARITY, S.KIND, S.VALUE)


def _records_by_article(frame, columns) -> dict[Any, list[dict]]:
    """Rows of ``frame`` as dicts of the ``columns`` it has, grouped by article in frame order."""
    import pandas as pd

    cols = [c for c in columns if c in frame.columns]
    data = [frame[c].tolist() for c in cols]
    out: dict[Any, list[dict]] = {}
    for aid, *values in zip(frame[S.ARTICLE_ID].tolist(), *data, strict=True):
        if not isinstance(aid, str) and pd.isna(aid):  # NA ids belong to no article
            continue
        out.setdefault(aid, []).append(dict(zip(cols, values, strict=True)))
    return out


def _empty():
    import geopandas as gpd

    return gpd.GeoDataFrame(S.empty_frame(S.TIMELINE_DTYPES), geometry=gpd.GeoSeries([], crs=S.CRS))


def _paragraph_kinds(articles) -> dict[str, list[tuple[int, int, str]]]:
    """(start, end, kind) of each paragraph, per article."""
    from analysis.articles import paragraphs

    paras = paragraphs(articles)
    out: dict[str, list] = {}
    cols = (paras[c].tolist() for c in (S.ARTICLE_ID, S.START, S.END, S.KIND))
    for aid, a, b, kind in zip(*cols, strict=True):
        out.setdefault(aid, []).append((int(a), int(b), str(kind)))
    return out


def _article_events(art, text: str, places, times, paras) -> list[tuple]:
    """All events of one article, in story order, with movement, certainty and time."""
    import pandas as pd

    aid = getattr(art, S.ARTICLE_ID)
    zh = is_zh(text, getattr(art, S.LANG, None))
    pub = _local_day(art)
    sentences = _split_sentences(text, paras, zh)
    pl = sorted((r for r in places if not pd.isna(r[S.START])), key=lambda r: r[S.START])
    ms = _mentions(pl, sentences)
    if not ms:
        return []
    # cue matching reads traditional characters as simplified (offsets unchanged)
    raw, text = text, (C.fold(text) if zh else text)
    parens_of = [[(c.start, c.end) for c in s.clauses if c.paren] for s in sentences]
    by_clause: dict[_Clause, list[_Mention]] = {}
    for m in ms:
        by_clause.setdefault(m.clause, []).append(m)
    for group in by_clause.values():
        _link_chains(text, group, parens_of[group[0].clause.sentence], zh)
    _read_cues(text, ms, sentences, by_clause, parens_of, zh)
    _lists_share_verbs(text, ms)
    ms = sorted(ms + _zero_anaphora(text, sentences, by_clause, zh),
                key=lambda m: (m.clause.start, m.start))
    times = _names_are_no_times(_time_index(times), pl, raw, zh)
    return _resolve(art, aid, raw, _dedupe(text, ms), sentences, times, pub, places, zh)


def _local_day(art):
    """The article's publication day in its own wall-clock time (naive), or None."""
    import pandas as pd

    published = getattr(art, S.PUBLISHED, None)
    if published is None or pd.isna(published):
        return None
    pub = pd.Timestamp(published)
    offset = getattr(art, S.PUBLISHED_OFFSET, None)
    if pub.tzinfo is not None:
        if offset is not None and not pd.isna(offset):
            pub = pub + pd.Timedelta(minutes=int(offset))
        pub = pub.tz_localize(None)
    return pub.normalize()


def _split_sentences(text: str, paras, zh: bool) -> list[_Sentence]:
    """The article's sentences (with their clauses numbered), paragraph by paragraph."""
    if not paras:
        paras = [(m.start(), m.end(), "heading" if m.group().startswith("#") else "body")
                 for m in re.finditer(r"(?:[^\n]|\n(?!\s*\n))+", text)]
    sentences: list[_Sentence] = []
    for ps, pe, kind in sorted(paras):
        for sent in _sentences(text, ps, pe, kind, zh):
            sent.para_start = ps
            sentences.append(sent)
    for i, s in enumerate(sentences):
        for c in s.clauses:
            c.sentence = i
    return sentences


def _mentions(pl: list[dict], sentences: list[_Sentence]) -> list[_Mention]:
    """One mention per place record that falls in a clause (the innermost, a gloss first)."""
    starts = [s.start for s in sentences]

    def clause_of(a: int) -> _Clause | None:
        i = bisect.bisect_right(starts, a) - 1
        if i < 0 or a >= sentences[i].end:
            return None
        inner = [c for c in sentences[i].clauses if c.start <= a < c.end]
        inner.sort(key=lambda c: (not c.paren, c.end - c.start))
        return inner[0] if inner else None

    ms: list[_Mention] = []
    for r in pl:
        a, b = int(r[S.START]), int(r[S.END])
        cl = clause_of(a)
        if cl is not None:
            ms.append(_Mention(r, a, b, _str(r.get(S.PLACE_ID)), _str(r.get(S.FEATURE)),
                               _str(r.get(S.COUNTRY_CODE)), _str(r.get(S.ROLE)), cl))
    return ms


def _read_cues(text: str, ms: list[_Mention], sentences: list, by_clause: dict, parens_of: list,
               zh: bool) -> None:
    """Movement, certainty and actor of every mention from the words around it."""
    cert_cache: dict = {}
    for m in ms:
        if m.role == "metonymic" or m.modifier:
            continue
        m.movement = (_zh_movement if zh else _en_movement)(
            text, m, by_clause[m.clause], parens_of[m.clause.sentence])
        s = sentences[m.clause.sentence]
        m.certainty = _certainty(text, m, text[s.start:s.end], s.start, zh, cert_cache)
    _no_travel(text, ms, zh, sentences)
    _retell_certainty(text, ms, zh)
    _relative_positions(text, ms, zh)
    _actors(text, ms, zh)
    _other_travellers(text, ms, zh, sentences)


def _lists_share_verbs(text: str, ms: list[_Mention]) -> None:
    """A list continues its verb across clause splits ("through Fujian, Jiangxi and Anhui");
    "Nashville, Tennessee" is a city and its state, not a list."""
    for a, b in pairwise(ms):
        if (b.movement == "mention" and a.movement != "mention" and not b.modifier
                and b.role != "metonymic" and a.clause is not b.clause
                and a.clause.sentence == b.clause.sentence and not b.clause.paren
                and C.LIST_GAP.match(text[a.end:b.start]) and not _finer(a, b)):
            b.movement, b.certainty = a.movement, a.certainty


def _zero_anaphora(text: str, sentences: list, by_clause: dict, zh: bool) -> list[_Mention]:
    """"驶入了乌苏里斯克，稍后又离开" leaves the place just entered: extra departure events."""
    extra: list[_Mention] = []
    for s in sentences:
        cls = [c for c in s.clauses if not c.paren]
        for prev_c, c in pairwise(cls):
            if c in by_clause:
                continue
            seg = text[c.start:c.end]
            # (cheap tests first: the clause must end on a departure verb)
            if zh:
                if not seg.rstrip("。！？；").endswith(_ZH_DEPART):
                    continue
                hits = [v for v in C.ZH_LEFT_RE.findall(seg) if C.ZH_LEFT[v] == "depart"]
                hits = hits if seg.rstrip("。！？；").endswith(tuple(hits)) else []
            else:
                if not (("left" in seg or "departed" in seg) and _EN_LEFT_END.search(seg)):
                    continue
                hits = [v for v in C.EN_VERB_RE.findall(seg) if C.EN_VERBS[v.lower()] == "depart"]
            if not hits:
                continue
            before = [m for m in by_clause.get(prev_c, ()) if m.movement in
                      ("enter", "arrive", "stay", "visit") and not m.modifier]
            if len(before) == 1:
                src = before[0]
                extra.append(_Mention(src.idx, src.start, src.end, src.place_id, src.feature,
                                      src.country, src.role, c, "depart", src.certainty))
    return extra


def _dedupe(text: str, ms: list[_Mention]) -> list[_Mention]:
    """One event per place, movement and certainty within a sentence."""
    seen, events = set(), []
    for m in ms:
        key = (m.clause.sentence, m.place_id if isinstance(m.place_id, str) else
               text[m.start:m.end], m.movement, m.certainty)
        if key in seen:
            continue
        seen.add(key)
        events.append(m)
    return events


def _names_are_no_times(times: list[dict], places: list[dict], text: str, zh: bool) -> list[dict]:
    """Drop time expressions inside a place's name or glued to a name's suffix (平壤1号站台)."""
    # a time overlaps a name iff some name starting before the time's end ends after its start:
    # names sorted by start with the running maximum of their ends answer that by bisection
    # (one long article has thousands of times and names; testing every pair was quadratic)
    spans = sorted((int(p[S.START]), int(p[S.END])) for p in places)
    starts = [a for a, _ in spans]
    reach, far = [], -1
    for _, b in spans:
        far = max(far, b)
        reach.append(far)
    out = []
    for t in times:
        k = bisect.bisect_left(starts, t["end"])  # names starting before the time ends
        if k and reach[k - 1] > t["start"]:
            continue
        if zh and C.ZH_NAME_SUFFIX_RE.match(C.fold(text[t["end"]:t["end"] + 3])):
            continue
        out.append(t)
    return out


def _time_index(times: list[dict] | None) -> list[dict]:
    """Anchorable time expressions of one article (its records of the times frame), in text order."""
    import numpy as np
    import pandas as pd

    if not times:
        return []
    rs = [r for r in times if not (pd.isna(r[S.START]) or pd.isna(r[S.END]))]
    # the order pandas' sort_values gives (numpy quicksort on the int64 offsets)
    order = np.asarray([r[S.START] for r in rs], dtype="int64").argsort(kind="quicksort")
    out = []
    for r in (rs[i] for i in order):
        start, end = _stamp(r[S.TIME_START]), _stamp(r[S.TIME_END])
        out.append({
            "start": int(r[S.START]), "end": int(r[S.END]),
            "surface": r.get(S.SURFACE) if isinstance(r.get(S.SURFACE), str) else "",
            "time_start": start, "time_end": end,
            "granularity": r.get(S.GRANULARITY),
            # a time outside pandas' range (有效期至9999年) keeps its TIMEX3 value but no span:
            # it cannot date an event, nor become the day later times are read against
            "ok": _anchorable(r) and not pd.isna(start),
        })
    return out


def _stamp(v: Any):
    """A time as a Timestamp, NaT when missing or outside pandas' range."""
    import pandas as pd

    if v is None or (not isinstance(v, pd.Timestamp) and pd.isna(v)):
        return pd.NaT
    try:
        return pd.Timestamp(v)
    except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
        return pd.NaT


def _reanchor(t: dict, day) -> dict:
    """Move an anaphoric expression ("当天下午") onto ``day``, keeping its time of day."""
    import pandas as pd


    if day is None or pd.isna(day):
        return t
    anchor = pd.Timestamp(day)
    day = anchor.normalize()
    if C.NEXT_DAY.match(C.fold(t["surface"].strip())):
        day = day + pd.Timedelta(days=1)
    old = pd.Timestamp(t["time_start"])
    delta = old - old.normalize()
    length = pd.Timestamp(t["time_end"]) - old if not pd.isna(t["time_end"]) else pd.Timedelta(days=1)
    if length > pd.Timedelta(days=1):
        return t
    if anchor != day and anchor.hour < 6 and delta + length > pd.Timedelta(days=1):
        day = day - pd.Timedelta(days=1)  # "landed at 5am … after an overnight flight": that night
    out = dict(t)
    out["time_start"] = day + delta
    out["time_end"] = day + delta + length
    return out


def _resolve(art, aid, text, events, sentences, times, pub, places, zh) -> list[tuple]:
    """Give every event its time, apply the route-granularity rules, return rows."""
    rec = _own_times(events, sentences, _reanchor_all(times), text, zh)
    _coreference(rec)
    _mark_background(rec, text, sentences, zh)
    _plans_look_ahead(rec, pub)
    background = _old_trip_test(pub)
    _carry_forward(rec, pub, background)
    _summaries(rec, pub, text)
    _route_granularity(rec, text, background)
    _order_ranks(rec, text)
    return _rows(art, aid, text, rec, sentences)


#: paragraph kinds that only retell the body (their events take no carried time)
_SUMMARY = frozenset({"heading", "image_caption", "image_credit"})


def _day_of(pub) -> dict:
    """The publication day as a time record (the coarse fallback window)."""
    import pandas as pd

    return {"surface": None, "time_start": pub, "time_end": pub + pd.Timedelta(days=1),
            "granularity": "day"}


def _reanchor_all(times: list[dict]) -> list[dict]:
    """Anaphoric, bare part-of-day and clock-only expressions take the day of the last anchor
    before them; only anchorable expressions are kept."""
    last_day = None
    fixed = []
    for t in times:
        if not t["ok"]:
            continue
        surf = C.fold(t["surface"].strip())
        if last_day is not None and (C.ANAPHORIC_TIME.match(surf) or C.BARE_PART_OF_DAY.match(surf)
                                     or C.CLOCK_ONLY.match(surf)):
            t = _reanchor(t, last_day)
        else:
            last_day = t["time_start"]
        fixed.append(t)
    return fixed


def _own_times(events: list[_Mention], sentences: list, times: list[dict], text: str,
               zh: bool) -> list[dict]:
    """One record per event with the time its clause (else its sentence) gives, if any; a clause
    that puts its event before the news (他此前访问了…, "had earlier visited") takes no time from
    its sentence and is background."""
    inline = C.ZH_BACKGROUND_INLINE_RE if zh else C.EN_BACKGROUND_INLINE_RE
    tstarts = [t["start"] for t in times]

    def pick(lo: int, hi: int, pos: int, nearest: bool = False):
        """The expression in [lo, hi): the last one before ``pos``, else the first after it;
        with ``nearest``, whichever side is closer ("to Fatima on Saturday before returning to
        Rome on Sunday")."""
        i, j = bisect.bisect_left(tstarts, lo), bisect.bisect_left(tstarts, hi)
        if i >= j:
            return None
        k = bisect.bisect_right(tstarts, pos, i, j)
        before = times[k - 1] if k > i else None
        after = times[k] if k < j else None
        if before is None or after is None:
            return before or after
        if nearest and after["start"] - pos < pos - before["end"]:
            return after
        return before

    rec = []
    for seq, m in enumerate(events):
        s = sentences[m.clause.sentence]
        t = pick(m.clause.start, m.clause.end, m.start, nearest=True)
        earlier = t is None and inline.search(text, m.clause.start, m.start) is not None
        own = t is not None
        if t is None and not m.clause.paren and not earlier:
            t = pick(s.start, s.end, m.start)
        src = "expression" if t is not None else ("background" if earlier else None)
        if not own and t is not None and t["start"] < m.clause.start and C.SEQUENCE_OPENING_RE.match(
                C.fold(text[m.clause.start:m.start]) if zh else text[m.clause.start:m.start]):
            src = "paragraph"  # "13日抵达惠灵顿，随后到奥克兰": after that time, not at it
        if src is None and not m.clause.paren and s.para_start < s.start:
            # the nearest preceding time of its paragraph governs it ("2日上午，…。随后，火炬来到…")
            t = pick(s.para_start, s.start, s.start)
            src = "paragraph" if t is not None else None
        # the event's identity (None for a mere mention); movements change only after its uses
        ekey = None if m.movement == "mention" else (_pid(m, text), m.movement, m.certainty)
        # a past-perfect clause ("Meghan had jetted into London") tells what came before: the
        # story's time does not move on with it
        back = not zh and _EN_PLUPERFECT.search(text, m.clause.start, m.start) is not None
        rec.append({"m": m, "seq": seq, "t": t, "src": src,
                    "kind": s.kind, "anchor": seq, "key": ekey, "flashback": back})
    return rec


_EN_PLUPERFECT = re.compile(r"\b(?:had|'d)\s+(?:\w+ly\s+|already\s+|just\s+)?\w+(?:ed|en|wn|ft|st|ck|ght)\b",
                            re.IGNORECASE)


def _coreference(rec: list[dict]) -> None:
    """An undated clause retelling an event dated elsewhere takes that date; the whole clause
    shares it (从哈桑火车站驶入俄罗斯 = 周二早上进入俄罗斯境内)."""
    dated: dict = {}
    for r in rec:
        if r["src"] == "expression" and r["key"] is not None:
            dated.setdefault(r["key"], []).append(r)
    by_clause: dict = {}
    for r in rec:
        by_clause.setdefault(r["m"].clause, []).append(r)
    for cl, peers in by_clause.items():
        if all(p["src"] is not None or p["kind"] in _SUMMARY for p in peers):
            continue
        for q in peers:
            hit = next((d for d in dated.get(q["key"], ()) if d["m"].clause is not cl), None)
            if hit is not None:
                for p in peers:
                    if p["src"] is None and p["kind"] not in _SUMMARY:
                        p["t"], p["src"] = hit["t"], "coreference"
                break


def _old_trip_test(pub):
    """A test of whether an event's time lies more than BACKGROUND_DAYS before publication."""
    import pandas as pd

    cutoff = pub - pd.Timedelta(days=BACKGROUND_DAYS) if pub is not None else None
    old_trip: dict[int, bool] = {}  # per time record (many events share one)

    def background(r) -> bool:
        t = r["t"]
        if cutoff is None or t is None:
            return False
        hit = old_trip.get(id(t))
        if hit is None:
            end = t["time_end"]
            hit = old_trip[id(t)] = not pd.isna(end) and pd.Timestamp(end) <= cutoff
        return hit

    return background


def _carry_forward(rec: list[dict], pub, background) -> None:
    """Undated body events take the last movement's time (a reported one for a reported event),
    never a recalled old trip's; plans take only the publication day; headings and captions
    only retell."""
    prev_any = prev_rep = None
    for r in rec:
        if r["kind"] in _SUMMARY:
            continue
        if r["src"] is None:
            # an expected, speculated or negated event is dated by its own words only (else the
            # publication day): the time the story moves on with is when things happened
            prev = (prev_rep or prev_any) if r["m"].certainty == "reported" else None
            if prev is None and (prev_any or prev_rep) is not None:
                # (placed in the story where it is told, though dated by the publication day)
                r["order_t"] = (prev_any or prev_rep)["t"]
            if prev is not None:
                r["t"], r["src"] = prev["t"], "previous"
            elif pub is not None:
                r["t"], r["src"] = _day_of(pub), "published"
        if r["t"] is None or background(r):
            continue
        if r["src"] == "published" and r["m"].certainty != "reported":
            continue  # the story's time does not move on to a plan's publication-day window
        if (r["m"].movement != "mention" or prev_any is None) and not r.get("flashback"):
            prev_any = r if _moves_on(r, prev_any) else prev_any
            if r["m"].certainty == "reported" and r["m"].movement != "mention" and _moves_on(
                    r, prev_rep):
                prev_rep = r


def _moves_on(r: dict, prev: dict | None) -> bool:
    """Whether the story's time moves on to ``r``: a new sentence does; within one sentence only a
    later time ("touched down at 5am … after an overnight flight" stays at 5am)."""
    import pandas as pd

    if prev is None or r["m"].clause.sentence != prev["m"].clause.sentence:
        return True
    a, b = r["t"]["time_start"], prev["t"]["time_start"]
    return pd.isna(a) or pd.isna(b) or pd.Timestamp(a) >= pd.Timestamp(b)


def _summaries(rec: list[dict], pub, text: str) -> None:
    """Headings and captions take the time of the body event they retell (same event, else same
    place); a headline the body never retells is the news of the day."""
    same_key: dict = {}
    same_place: dict = {}
    for q in rec:
        if q["kind"] in _SUMMARY or q["t"] is None or q["key"] is None:
            continue
        same_key.setdefault(q["key"], q)
        same_place.setdefault(_pid(q["m"], text), q)
    for r in rec:
        if r["kind"] not in _SUMMARY or r["src"] is not None or r["key"] is None:
            continue
        hit = same_key.get(r["key"]) or same_place.get(_pid(r["m"], text))
        if hit is not None:
            r["t"], r["src"], r["anchor"], r["same"] = hit["t"], "coreference", hit["seq"], hit
        elif r["kind"] == "heading" and pub is not None:
            r["t"], r["src"] = _day_of(pub), "published"


def _route_granularity(rec: list[dict], text: str, background) -> None:
    """Countries/regions around reported finer stops, scopes (continents) and old background
    trips become context (``mention``)."""
    def stop(r) -> bool:
        return r["m"].movement != "mention" and r["m"].certainty == "reported"

    finest: dict = {}  # country -> finest feature rank among its reported stops
    for q in rec:
        f = q["m"].feature
        if stop(q) and isinstance(q["m"].country, str) and f not in _CONTAINER_FEATURES:
            rank = _FEATURE_RANK.get(f if isinstance(f, str) else "", -1)
            finest[q["m"].country] = max(finest.get(q["m"].country, -1), rank)
    by_country: dict = {}  # country -> its records in order: a container looks only at its own
    for q in rec:
        by_country.setdefault(q["m"].country, []).append(q)
    for r in rec:
        m = r["m"]
        if not stop(r):
            continue
        # "亚洲之行", "his Europe tour", "a tour of East Asia": a scope, never a stop
        if m.feature == "continent" or (m.feature == "region" and not isinstance(m.country, str)):
            m.movement = "mention"
            continue
        if m.feature in _CONTAINER_FEATURES and isinstance(m.country, str):
            if finest.get(m.country, -1) > _FEATURE_RANK.get(m.feature, 99):
                _hand_down_time(r, by_country[m.country], text)
                m.movement = "mention"
                continue
        if background(r):
            m.movement = "mention"


def _order_ranks(rec: list[dict], text: str) -> None:
    """Order within one time: own time first, inherited after, an opening departure before all."""
    reached: set = set()
    for r in rec:
        m = r["m"]
        if r.get("same") is not None:
            continue
        r["rank"] = 0 if r["src"] in ("expression", "coreference") else 1
        if (m.movement == "depart" and r["src"] not in ("expression",)
                and _pid(m, text) not in reached):
            r["rank"] = -1
        if m.movement not in ("mention", "toward", "depart") and m.certainty == "reported":
            reached.add(_pid(m, text))
    for r in rec:
        if r.get("same") is not None:
            r["rank"] = r["same"].get("rank", 1)
        r.setdefault("rank", 1)


def _rows(art, aid, text: str, rec: list[dict], sentences: list) -> list[tuple]:
    """The event rows, in the order of _ROW_COLUMNS."""
    import pandas as pd

    rows = []
    nat = pd.NaT
    published = getattr(art, S.PUBLISHED, None)
    published = pd.NaT if published is None or pd.isna(published) else pd.Timestamp(published)
    if published is not pd.NaT and published.tzinfo is None:
        published = published.tz_localize("UTC")
    for r in rec:
        m, t = r["m"], r["t"]
        p = m.idx  # the place record
        s = sentences[m.clause.sentence]
        lat, lon = _shift(p.get(S.LATITUDE), p.get(S.LONGITUDE), m.offset)
        rows.append((
            aid, r["seq"], p.get(S.PLACE_ID), p.get(S.NAME), p.get(S.NAME_ZH),
            text[m.start:m.end], m.start, m.end, lat, lon,
            t["time_start"] if t else nat, t["time_end"] if t else nat,
            t["surface"] if t else None, t["granularity"] if t else None,
            r["src"], m.movement, m.certainty, m.role,
            text[s.start:s.end], s.start, s.end, p.get(S.FEATURE), p.get(S.COUNTRY_CODE),
            published, m.offset[0] if m.offset else None, m.offset[1] if m.offset else None,
            m.actor, r["rank"], r["anchor"],
            (r.get("order_t") or t or {}).get("time_start", nat),
        ))
    return rows


def _no_travel(text: str, ms: list[_Mention], zh: bool, sentences: list) -> None:
    """Places that are no stop whatever the verb: a clock (北京时间, "Beijing time"), an
    affiliation (来自美国的记者, "officials from Ottawa"), anything in a photo credit."""
    after, before = ((C.ZH_NON_TRAVEL_AFTER, C.ZH_NON_TRAVEL_BEFORE) if zh
                     else (C.EN_NON_TRAVEL_AFTER, C.EN_NON_TRAVEL_BEFORE))
    for m in ms:
        if m.movement == "mention":
            continue
        if (sentences[m.clause.sentence].kind == "image_credit"
                or after.match(text, m.end)
                or before.search(text, max(m.clause.start, m.start - 20), m.start)):
            m.movement = "mention"


def _actors(text: str, ms: list[_Mention], zh: bool) -> None:
    """Movements whose subject is someone else than the traveller (the reporter: 记者抵达…,
    "reporters flew to …") say so in ``actor``; the subject is what opens the clause or, for
    the clause's first place, the sentence."""
    for m in ms:
        if m.movement == "mention":
            continue
        lead = text[m.clause.start:m.start]
        if (C.ZH_EFFECT_RE if zh else C.EN_EFFECT_RE).match(lead):
            m.movement = "mention"  # the storm's surge or rain reached it, not the storm
            continue
        if zh:
            hit = C.ZH_ACTOR_RE.match(lead.lstrip(" ，,"))
            m.actor = C.ZH_ACTORS[hit.group(1)] if hit else None
        else:
            hit = C.EN_ACTOR_RE.match(lead)
            m.actor = (next(v for k, v in C.EN_ACTORS.items() if k.lower() == hit.group(1).lower())
                       if hit else None)


_TRAVEL = ("arrive", "depart", "enter", "toward", "pass")


def _other_travellers(text: str, ms: list[_Mention], zh: bool, sentences: list) -> None:
    """Someone else's travel (俄罗斯总统普京已抵达…, "President Vucic flew to …"): a movement whose
    sentence names, with a title, a person other than the article's traveller (the first titled
    person who travels) and does not name the traveller is that person's (``actor``)."""
    rx = C.ZH_TITLED_RE if zh else C.EN_TITLED_RE

    def names(name: str) -> set[str]:  # "Xi Jinping" is also "Xi" and "Jinping"
        return {name} if zh else set(name.split())

    main: set[str] | None = None
    for m in ms:
        if m.movement not in _TRAVEL or m.certainty != "reported" or m.actor is not None:
            continue
        s = sentences[m.clause.sentence]
        who = [h.group(1) for h in rx.finditer(text, s.start, m.start)]
        if not who:
            continue
        if main is None:
            main = names(who[-1])
            continue
        sentence = text[s.start:s.end]
        if not names(who[-1]) & main and not any(n in sentence for n in main):
            m.actor = who[-1]


def _relative_positions(text: str, ms: list[_Mention], zh: bool) -> None:
    """"20 miles west of Valdosta", 湛江以东120公里: the point that far from the place; with a verb
    of position (was, centered, 位于) the subject was there (``pass``)."""
    for m in ms:
        if m.role == "metonymic":
            continue
        if zh:
            hit = C.ZH_OFFSET_RE.match(text, m.end)
            if hit is None:
                continue
            direction, number, unit = hit.groups()
            bearing, km = C.ZH_DIRECTIONS[direction], float(number) * C.ZH_UNITS[unit]
            lead = text[m.clause.start:m.start]
            positional = C.ZH_POSITION_RE.search(lead) is not None
        else:
            hit = C.EN_OFFSET_RE.search(text, m.clause.start, m.start)
            if hit is None:
                continue
            number, unit, direction = hit.groups()
            bearing = next(v for k, v in C.EN_DIRECTIONS.items() if k.lower() == direction.lower())
            unit_km = next(v for k, v in C.EN_UNITS.items() if k.lower() == unit.lower())
            km = float(number.replace(",", "")) * unit_km
            positional = C.EN_POSITION_RE.search(text, m.clause.start, hit.start()) is not None
        m.offset = (km, bearing)
        m.modifier = False
        if m.movement == "mention" and positional:
            m.movement = "pass"


def _shift(lat: Any, lon: Any, offset: tuple[float, float] | None) -> tuple[Any, Any]:
    """The point ``offset`` (km, bearing in degrees) away from (lat, lon), on a sphere."""
    import math

    if offset is None or not isinstance(lat, float) or lat != lat:
        return lat, lon
    d = offset[0] / 6371.0088
    b, p1, l1 = math.radians(offset[1]), math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1),
                         math.cos(d) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), (math.degrees(l2) + 540) % 360 - 180


def _retell_certainty(text: str, ms: list[_Mention], zh: bool) -> None:
    """A clause commenting on the one before ("将前往河内，这是他首次访问越南") keeps its certainty."""
    rx = C.ZH_RETELL_RE if zh else C.EN_RETELL_RE
    last: dict[int, tuple[_Clause, str]] = {}  # sentence -> (clause, certainty) of its last event
    for m in ms:
        cl = m.clause
        if m.movement is None or m.movement == "mention" or cl.paren:
            continue
        prev = last.get(cl.sentence)
        if (prev is not None and prev[0] is not cl and prev[0].end <= cl.start
                and rx.match(text[cl.start:m.start].lstrip(" ，,：:—"))):
            m.certainty = prev[1]
        last[cl.sentence] = (cl, m.certainty)


def _plans_look_ahead(rec: list[dict], pub) -> None:
    """A plan dated by a bare weekday ("is due in Nice on Saturday", 将于周六) is next week's, not
    the one just gone: the time engine reads a bare weekday without the clause's tense."""
    import pandas as pd

    if pub is None:
        return
    for r in rec:
        t = r["t"]
        if (r["src"] != "expression" or t is None or r["m"].certainty != "expected"
                or re.search(r"\d|[〇一二三四五六七八九十]+[日号月]", t["surface"] or "")):
            continue
        start = t["time_start"]
        if pd.isna(start) or not (pub - pd.Timedelta(days=7) <= start < pub):
            continue
        week = pd.Timedelta(days=7)
        r["t"] = dict(t, time_start=start + week, time_end=t["time_end"] + week)


def _mark_background(rec: list[dict], text: str, sentences: list, zh: bool) -> None:
    """Undated events of a background sentence ("此前，…", "Earlier, …") take no time: they
    happened before the news, not at the time of the sentence before them."""
    rx = C.ZH_BACKGROUND_RE if zh else C.EN_BACKGROUND_RE
    hit: dict[int, bool] = {}
    for r in rec:
        i = r["m"].clause.sentence
        if i not in hit:
            s = sentences[i]
            head = text[s.start:s.end].lstrip(" \t\n#*“\"「")
            hit[i] = rx.match(C.fold(head[:12]) if zh else head) is not None
        # no time of an earlier sentence governs it either (its own sentence's still does)
        if hit[i] and (r["src"] is None or r["src"] == "paragraph"
                       and r["t"]["start"] < sentences[i].start):
            r["t"], r["src"] = None, "background"


def _hand_down_time(container: dict, rec: list[dict], text: str) -> None:
    """A dated arrival in a country whose city the article names only undated (the headline's
    "lands in Belgrade", the body's "arrived in Serbia late on Tuesday") is that city's arrival."""
    m = container["m"]
    if container["src"] not in ("expression", "coreference") or m.movement not in _ARRIVALS:
        return
    # only when that city is the one stop the article gives inside the country
    finer = [q for q in rec if q is not container and q["m"].country == m.country
             and q["m"].movement != "mention" and q["m"].certainty == "reported"
             and q["m"].feature not in _CONTAINER_FEATURES]
    if len({_pid(q["m"], text) for q in finer}) != 1:
        return
    for q in finer:
        if q["m"].movement in _ARRIVALS and q["src"] in (None, "paragraph", "previous", "published"):
            q["t"], q["src"] = container["t"], "coreference"


_ARRIVALS = ("arrive", "enter")

#: the fields of one event row, as _resolve yields them
_ROW_COLUMNS = (S.ARTICLE_ID, S.SEQ, S.PLACE_ID, S.NAME, S.NAME_ZH, S.SURFACE, S.START, S.END,
                S.LATITUDE, S.LONGITUDE, S.TIME_START, S.TIME_END, S.TIME_TEXT, S.GRANULARITY,
                S.TIME_SOURCE, S.MOVEMENT, S.CERTAINTY, S.ROLE, S.EVIDENCE, S.EVIDENCE_START,
                S.EVIDENCE_END, S.FEATURE, S.COUNTRY_CODE, S.PUBLISHED, S.OFFSET_KM, S.OFFSET_BEARING, S.ACTOR,
                "_rank", "_anchor",
                "_otime")


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) else None


def _pid(m: _Mention, text: str):
    return m.place_id if isinstance(m.place_id, str) else text[m.start:m.end]


def _finish(df: pd.DataFrame) -> gpd.GeoDataFrame:
    """Order chronologically, type the columns, add point geometry."""
    import geopandas as gpd
    import pandas as pd

    df[S.TIME_START] = pd.to_datetime(df[S.TIME_START])
    df[S.PUBLISHED] = pd.to_datetime(df[S.PUBLISHED], utc=True)  # all NaT when undated
    df["_otime"] = pd.to_datetime(df["_otime"]).fillna(df[S.TIME_START])
    df["_nat"] = df["_otime"].isna()
    # articles keep their input order; events within one go chronologically
    order = {a: i for i, a in enumerate(dict.fromkeys(df[S.ARTICLE_ID].tolist()))}
    df["_art"] = df[S.ARTICLE_ID].map(order)
    df = df.sort_values(
        ["_art", "_nat", "_otime", "_rank", "_anchor", S.SEQ], kind="stable",
        na_position="last",
    )
    df = df.drop(columns=["_nat", "_rank", "_anchor", "_art", "_otime"]).reset_index(drop=True)
    df = S.coerce(df, S.TIMELINE_DTYPES)[list(S.TIMELINE_DTYPES)]
    geom = gpd.points_from_xy(df[S.LONGITUDE], df[S.LATITUDE], crs=S.CRS)
    return gpd.GeoDataFrame(df, geometry=geom, crs=S.CRS)


__all__ = ["build_timeline"]
