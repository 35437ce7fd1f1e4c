"""Movement and certainty cue lexicons for Chinese and English news (private to the timeline).

A cue is a short pattern around a place mention that says what happened there. The lexicons are
data, one file per table and language in ``analysis/timeline/data/{zh,en}/`` (read once, at
import), grouped by what they decide, so adding a verb is one line of a CSV file and one line of
``tests/data/timeline/cue_cases_{zh,en}.tsv``:

- ``ZH_LEFT`` / ``EN_VERBS``: a verb that governs the place after it (离开平壤, "left Beijing").
- ``ZH_LOCATIVE`` + ``ZH_RIGHT``: a place introduced by a preposition and followed by its verb
  (在晋江登陆, 从哈桑驶入, 在克里姆林宫举行会谈).
- ``EN_PREP``: the English preposition before a place narrows the verb ("flew to" vs "flew from").
- certainty cues, scoped to the clause, and sentence-wide conditionals.
"""

from __future__ import annotations

import re

from analysis.text.fold import fold as _fold


def _data_lines(lang: str, name: str) -> list[str]:
    """The entries of analysis/timeline/data/<lang>/<name>: one a line, ``#`` comments skipped."""
    from importlib import resources

    text = resources.files("analysis.timeline").joinpath(f"data/{lang}/{name}").read_text("utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _rows(lang: str, name: str) -> list[list[str]]:
    """The rows of a CSV rule table (its header line dropped)."""
    import csv

    return list(csv.reader(_data_lines(lang, name)))[1:]


def _pairs(lang: str, name: str) -> dict[str, str]:
    """A two-column table as a dict, in file order."""
    return {k: v for k, v in _rows(lang, name)}


def _grouped(lang: str, name: str) -> dict[str, dict[str, str]]:
    """A three-column table as {first: {second: third}}, in file order."""
    out: dict[str, dict[str, str]] = {}
    for g, k, v in _rows(lang, name):
        out.setdefault(g, {})[k] = v
    return out


def _by_certainty(lang: str) -> dict[str, tuple[str, ...]]:
    """certainty.csv as {certainty: cues}."""
    out: dict[str, list[str]] = {}
    for k, v in _rows(lang, "certainty.csv"):
        out.setdefault(k, []).append(v)
    return {k: tuple(v) for k, v in out.items()}


# ----------------------------------------------------------------------------- Chinese movement

#: verb -> movement, for a verb that precedes the place it governs. Longer verbs win at a position.
ZH_LEFT: dict[str, str] = _pairs("zh", "movement_left.csv")

#: words that contain a verb above but are none (已经, 抵制, 采访)
ZH_LEFT_NOT = tuple(_data_lines("zh", "verb_lookalikes.txt"))

#: prepositions that introduce a place whose verb follows it (在 X 登陆, 从 X 出发)
ZH_LOCATIVE = ("正在", "在", "于", "从", "自", "由", "对", "向", "往", "到")

#: (preposition group, verb) -> movement, for verbs after the place
ZH_RIGHT: dict[str, dict[str, str]] = _grouped("zh", "movement_right.csv")
#: a noun right after the place that makes it the trip's goal (莫斯科之行)
ZH_AFTER = ZH_RIGHT.pop("after")
ZH_LOCATIVE_GROUP = {"在": "at", "正在": "at", "于": "at", "到": "at", "从": "from", "自": "from",
                     "由": "from", "向": "to", "往": "to", "对": "visit"}

#: what may stand between a coarser place and the finer place it locates (福建晋江, 菲律宾北部
#: 卡加延省的阿帕里, 符拉迪沃斯托克北边的城市乌苏里斯克, 莫斯科伏努科沃机场, "Fujian's")
ZH_MODIFIER_GAP = re.compile(
    r"^(?:[省市县州区])?(?:的)?(?:以?[东南西北]{1,2}(?:部|边|方|面|侧|郊)?(?:的)?)?"
    r"(?:附近|郊区|境内|地区|沿海|近郊|边境)?(?:的)?"
    r"(?:城市|城镇|小镇|港口|港|机场|车站|火车站|首都|首府|省会|县城|小城|口岸|海域)?$"
)
EN_MODIFIER_GAP = re.compile(
    # "the Texas coast near Matagorda", "the Mexican border at Tijuana": the first locates the next
    r"^(?:'s|’s)?\s*(?:(?:coast|coastline|shore|border|side)\s+(?:near|at|of)\s*)?$")
#: after "X's": a facility of the place itself ("Berlin's airport", "Hamburg's city hall"), where
#: the event happens in X (rather than "China's Hainan", where X only locates the next place)
EN_FACILITY_RE = re.compile(
    r"\s+(?:[A-Z][\w-]*\s+)?(?:" + "|".join(_data_lines("en", "facilities.txt")) + r")\b")

#: separators of a list that shares one verb (穿过福建、江西和安徽; "through Fujian, Jiangxi and Anhui")
LIST_GAP = re.compile(r"^\s*(?:[、，,/]|和|与|及|以及|跟|同|或|and|or|as well as|,\s*and|,\s*or)?\s*$",
                      re.IGNORECASE)

# ----------------------------------------------------------------------------- English movement

#: verb -> movement when the verb takes the place as its object or with a neutral preposition
EN_VERBS: dict[str, str] = _pairs("en", "movement.csv")

#: movement a verb takes with the preposition before the place; "*" is any verb above
EN_PREP: dict[str, dict[str, str]] = _grouped("en", "prepositions.csv")
#: prepositions of motion, which tie a place to the verb even across another place
EN_MOTION_PREP = {"to", "for", "toward", "towards", "into", "on to", "onto", "from", "via",
                  "through", "out of", "off the coast of", "along the coast of"}
#: "bound for", "en route to", "flew on to": the words between verb and preposition that keep it
EN_PREP_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(p) for p in EN_PREP if p), key=len, reverse=True))
    + r")\s+(?:the\s+|a\s+|an\s+)?"
    # a compass adjective may stand before the name ("past western Cuba")
    + r"(?:(?:north|south|east|west|central|north-?east|north-?west|south-?east|south-?west)"
    + r"(?:ern)?\s+)?(?:[A-Z][\w.-]*\s+){0,1}"
    # an appositive head noun before the name ("in the capital Abuja", "to the port city of Odesa")
    + r"(?:(?:" + "|".join(_data_lines("en", "apposition.txt")) + r")\s+){0,2}(?:of\s+)?$"
)
#: a subordinate clause between a verb and a place starts another predicate ("met X when they
#: were living in Y")
EN_BREAK_RE = re.compile(
    r"\b(?:when|while|because|who|whom|which|that|where|after|before|since|although|though|"
    r"until|unless|whose)\b", re.IGNORECASE,
)
EN_VERB_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(v) for v in EN_VERBS), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)

# ----------------------------------------------------------------------------- certainty

#: certainty -> cue words; a cue counts from the start of the clause up to the place's verb
ZH_CERTAINTY: dict[str, tuple[str, ...]] = _by_certainty("zh")
#: look-alikes that contain a cue but are not one (将军, 未来, 会议)
ZH_NOT_CUE = tuple(_data_lines("zh", "certainty_lookalikes.txt"))
EN_CERTAINTY: dict[str, tuple[str, ...]] = _by_certainty("en")
#: a conditional makes the whole sentence hypothetical
ZH_CONDITIONAL = tuple(_data_lines("zh", "conditional.txt"))
EN_CONDITIONAL = tuple(_data_lines("en", "conditional.txt"))
#: hearsay makes the whole sentence speculated (有传闻指…, "rumours say")
ZH_RUMOUR = tuple(_data_lines("zh", "rumour.txt"))
EN_RUMOUR = tuple(_data_lines("en", "rumour.txt"))

# ----------------------------------------------------------------------------- time anaphora

#: time expressions that point back to the day already under discussion (当天下午, "that day")
ANAPHORIC_TIME = re.compile(
    r"^(?:当天|当日|同日|同一天|当晚|当夜|翌日|次日|随后|(?:on\s+)?(?:that|the same)\s+"
    r"(?:day|morning|afternoon|evening|night)|later that day)",
    re.IGNORECASE,
)
#: a bare part of the day, which also belongs to the day under discussion (下午, "in the afternoon")
BARE_PART_OF_DAY = re.compile(
    r"^(?:(?:in|during)\s+the\s+|(?:around|about|at|by|near|shortly\s+(?:before|after))\s+)?"
    r"(?:上午|下午|早上|早晨|晚上|中午|凌晨|傍晚|深夜|夜间|午后|清晨|晚间|早间|午间|夜里|午夜|黄昏|"
    r"morning|afternoon|evening|night|overnight|midday|noon|midnight)$",
    re.IGNORECASE,
)
NEXT_DAY = re.compile(r"^(?:翌日|次日|the next day|the following day|next morning)",
                      re.IGNORECASE)


#: a clause opening with one of these retells the previous clause's event (its certainty)
ZH_RETELL_RE = re.compile("^(?:" + "|".join(map(re.escape, _data_lines("zh", "retell.txt"))) + ")")
EN_RETELL_RE = re.compile(r"^\W*(?:" + "|".join(map(re.escape, _data_lines("en", "retell.txt")))
                          + r")\b", re.IGNORECASE)


#: a sentence opening with one of these tells background: its undated events are not dated
ZH_BACKGROUND_RE = re.compile(
    "^(?:" + "|".join(map(re.escape, _data_lines("zh", "background.txt"))) + ")")
EN_BACKGROUND_RE = re.compile(
    r"^\W*(?:" + "|".join(map(re.escape, _data_lines("en", "background.txt"))) + r")\b(?!\s+(?:on|in|this|that|today))",
    re.IGNORECASE)


def _offsets(lang: str) -> tuple[dict[str, float], dict[str, float]]:
    """offsets.csv as ({unit: km}, {direction: bearing})."""
    units: dict[str, float] = {}
    dirs: dict[str, float] = {}
    for kind, word, value in _rows(lang, "offsets.csv"):
        (units if kind == "unit" else dirs)[word] = float(value)
    return units, dirs


def _longest_first(words) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


EN_UNITS, EN_DIRECTIONS = _offsets("en")
ZH_UNITS, ZH_DIRECTIONS = _offsets("zh")
#: "20 miles west of ", "about 50 km SSE of the " right before the place
EN_OFFSET_RE = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(" + _longest_first(EN_UNITS) + r")\s+(" + _longest_first(EN_DIRECTIONS)
    + r")\s+of\s+(?:the\s+)?$", re.IGNORECASE)
#: "以东120公里", "东南方约80千米" right after the place
ZH_OFFSET_RE = re.compile(
    r"(?:的)?以?(" + _longest_first(ZH_DIRECTIONS) + r")(?:方|边|面|部)?(?:约|大约|约为)?"
    r"(\d+(?:\.\d+)?)多?(" + _longest_first(ZH_UNITS) + r")")
EN_POSITION_RE = re.compile(r"\b(?:" + _longest_first(_data_lines("en", "position.txt")) + r")\b",
                            re.IGNORECASE)
ZH_POSITION_RE = re.compile(_longest_first(_data_lines("zh", "position.txt")))


#: subjects that are not the traveller ("记者…抵达", "Reporters flew to"): word -> actor
ZH_ACTORS: dict[str, str] = _pairs("zh", "actors.csv")
EN_ACTORS: dict[str, str] = _pairs("en", "actors.csv")
ZH_ACTOR_RE = re.compile("(" + _longest_first(ZH_ACTORS) + ")")
#: a storm's effects as the clause's subject ("Storm surge swept through Naples", 暴雨横扫…): what
#: they reach is no point of the track
EN_EFFECT_RE = re.compile(r"^\W*(?:the\s+|a\s+|heavy\s+|torrential\s+)*(?:"
                          + _longest_first(_data_lines("en", "effects.txt")) + r")\b", re.IGNORECASE)
ZH_EFFECT_RE = re.compile(r"^\W*(?:" + _longest_first(_data_lines("zh", "effects.txt")) + ")")
EN_ACTOR_RE = re.compile(r"^\W*(?:\w+\s+){0,3}?(" + _longest_first(EN_ACTORS) + r")\b",
                         re.IGNORECASE)


def _non_travel(lang: str) -> tuple[re.Pattern, re.Pattern]:
    """non_travel.csv as (after the place, before the place) patterns."""
    rows = _rows(lang, "non_travel.csv")
    after = [w for side, w in rows if side == "after"]
    before = [w for side, w in rows if side == "before"]
    if lang == "zh":
        return (re.compile("(?:" + _longest_first(after) + ")"),
                re.compile("(?:" + _longest_first(before) + ")$"))
    return (re.compile(r"\s*(?:" + _longest_first(after) + r")\b", re.IGNORECASE),
            re.compile(r"\b(?:" + _longest_first(before) + r")\s+(?:the\s+)?$", re.IGNORECASE))


#: words beside a place that make it no stop (北京时间, 来自美国的, "Beijing time", "officials from")
ZH_NON_TRAVEL_AFTER, ZH_NON_TRAVEL_BEFORE = _non_travel("zh")
EN_NON_TRAVEL_AFTER, EN_NON_TRAVEL_BEFORE = _non_travel("en")


#: a clause with one of these anywhere is a cancelled trip (negated)
ZH_CANCELLED_RE = re.compile(_longest_first(_data_lines("zh", "cancelled.txt")))
EN_CANCELLED_RE = re.compile(r"\b(?:" + _longest_first(_data_lines("en", "cancelled.txt")) + r")\b",
                             re.IGNORECASE)
#: an English clause that opens on a verb shares the subject and modal of the clause before
#: ("Xi will visit Paris, then go to Budapest")
EN_VERB_OPENING_RE = re.compile(r"^\W*(?:then\s+|also\s+|later\s+|next\s+)?(?:(?:" + _longest_first(
    EN_VERBS) + r")|(?:(?:then|and|and then)\s+)?(?:through|into|across|over|toward|towards|on to))\b",
    re.IGNORECASE)


#: a Chinese clause that opens on a movement verb (after its time and a sequence word) shares the
#: subject and modal of the clause before (教宗将于11日转往新加坡，13日返回罗马)
ZH_VERB_OPENING_RE = re.compile(
    r"^\W*(?:\d{1,2}[日号]|当天|当日|次日|翌日|随后|然后|接着|之后|继而|先后|依次|先|再|并|又|[上中下]午|早上|"
    r"上午|傍晚|晚上|当晚|凌晨|[于在])*(?:" + _longest_first(ZH_LEFT) + r")")


#: a clause that only says who forecasts (天文台预料，山竹今日移入广西): the next clause is the forecast
ZH_REPORTED_SPEECH_RE = re.compile(r"(?:预料|预计|预测|预报|估计|料)[，,：:]\s*$")


#: a clause that opens on a sequence word happens after the time of the clause before it
SEQUENCE_OPENING_RE = re.compile(
    r"^\W*(?:随后|然后|接着|之后|继而|稍后|then|later|afterwards|subsequently|after that)", re.IGNORECASE)


#: what makes a number a name (1号站台): a time expression followed by one is no time
ZH_NAME_SUFFIX_RE = re.compile(_longest_first(_data_lines("zh", "name_suffixes.txt")))
#: a name ending in a subdivision word right after another place lies inside it (湛江徐闻县,
#: 文昌市翁田镇), whatever the gazetteer's feature classes say
ZH_SUBDIVISION_RE = re.compile("(?:" + _longest_first(_data_lines("zh", "subdivisions.txt")) + ")$")
#: a clock time with no day ("下午3点", "at 3pm"): it belongs to the day under discussion
CLOCK_ONLY = re.compile(
    r"^(?:(?:at|around|about|by)\s+)?(?:上午|下午|早上|早晨|晚上|中午|凌晨|傍晚|深夜|夜间)?\s*"
    r"\d{1,2}(?:[:：.]\d{2})?\s*(?:[点时](?:\d{1,2}分?|半|整)?|a\.?m\.?|p\.?m\.?|o'clock|"
    r"(?:a\.?m\.?|p\.?m\.?)?\s*(?:local time)?)?(?:左右|前后|许)?"
    r"(?:\s*(?:local time|当地时间|GMT|UTC|[ECMPA][SD]T|HKT|JST|KST|BST|CES?T))?$", re.IGNORECASE)


#: a title and the name after it, opening a clause: who moves (俄罗斯总统普京, "President Putin")
ZH_TITLED_RE = re.compile(
    "(?:" + _longest_first(_data_lines("zh", "titles.txt")) + ")"
    + "([\u4e00-\u9fff·]{2,4}?)(?=[在于已将乘从周今昨当随抵到离前飞赴访会出进穿经返也又再并和与为的，,\\d]|$)")
EN_TITLED_RE = re.compile(
    r"\b(?:" + _longest_first(_data_lines("en", "titles.txt")) + r")\s+"
    r"((?:[A-Z][\w'-]+\s+){0,2}[A-Z][\w'-]+)")


#: inside a clause, before the place: its undated event happened before the news
ZH_BACKGROUND_INLINE_RE = re.compile(_longest_first(_data_lines("zh", "background_inline.txt")))
EN_BACKGROUND_INLINE_RE = re.compile(
    r"\b(?:" + _longest_first(_data_lines("en", "background_inline.txt")) + r")\b", re.IGNORECASE)


def _alternation(words) -> re.Pattern:
    """Compile ``words`` into one regex alternation, longest first."""
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


ZH_LEFT_RE = _alternation(ZH_LEFT)
ZH_LEFT_NOT_RE = _alternation(ZH_LEFT_NOT)
ZH_CERTAINTY_RE = {k: _alternation(v) for k, v in ZH_CERTAINTY.items()}
ZH_NOT_CUE_RE = _alternation(ZH_NOT_CUE)
EN_CERTAINTY_RE = {
    k: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(v, key=len, reverse=True))
                  + r")\b", re.IGNORECASE)
    for k, v in EN_CERTAINTY.items()
}
ZH_CONDITIONAL_RE = _alternation(ZH_CONDITIONAL)
ZH_RUMOUR_RE = _alternation(ZH_RUMOUR)
EN_RUMOUR_RE = re.compile(r"\b(?:" + "|".join(EN_RUMOUR) + r")\b", re.IGNORECASE)
EN_CONDITIONAL_RE = re.compile(r"\b(?:" + "|".join(EN_CONDITIONAL) + r")\b", re.IGNORECASE)


def fold(text: str) -> str:
    """Fold traditional characters to simplified ones, keeping offsets (:mod:`analysis.text.fold`).

    >>> fold("列車離開平壤，駛向哈巴羅夫斯克方向")
    '列车离开平壤，驶向哈巴罗夫斯克方向'
    """
    return _fold(text)
