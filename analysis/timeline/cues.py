"""Movement and certainty cue lexicons for Chinese and English news (private to the timeline).

A cue is a short pattern around a place mention that says what happened there. The lexicons are
grouped by what they decide, so adding a verb is one edit:

- ``ZH_LEFT`` / ``EN_VERBS``: a verb that governs the place after it (离开平壤, "left Beijing").
- ``ZH_LOCATIVE`` + ``ZH_RIGHT``: a place introduced by a preposition and followed by its verb
  (在晋江登陆, 从哈桑驶入, 在克里姆林宫举行会谈).
- ``EN_PREP``: the English preposition before a place narrows the verb ("flew to" vs "flew from").
- certainty cues, scoped to the clause, and sentence-wide conditionals.
"""

from __future__ import annotations

import re

from analysis.text.fold import fold as _fold

# ----------------------------------------------------------------------------- Chinese movement

#: verb -> movement, for a verb that precedes the place it governs. Longer verbs win at a position.
ZH_LEFT: dict[str, str] = {
    # depart
    "离开": "depart", "离境": "depart", "撤离": "depart", "告别": "depart", "飞离": "depart",
    "驶离": "depart", "启程离开": "depart",
    # arrive
    "抵达": "arrive", "到达": "arrive", "飞抵": "arrive", "抵": "arrive", "降落": "arrive",
    "登陆": "arrive", "来到": "arrive", "回到": "arrive", "返回": "arrive", "到了": "arrive",
    "着陆": "arrive", "驶抵": "arrive", "运抵": "arrive", "返抵": "arrive", "飞到": "arrive",
    "赶到": "arrive", "抵京": "arrive",
    # enter
    "进入": "enter", "驶入": "enter", "驶进": "enter", "开进": "enter", "进抵": "enter",
    "入境": "enter", "越境进入": "enter", "越过边境进入": "enter", "深入": "enter", "移入": "enter",
    # pass
    "经过": "pass", "途经": "pass", "穿过": "pass", "穿越": "pass", "过境": "pass", "经由": "pass",
    "取道": "pass", "横穿": "pass", "掠过": "pass", "路过": "pass", "经停": "pass", "横扫": "pass",
    "越过": "pass", "经": "pass", "取道经": "pass",
    # stay
    "留在": "stay", "停留在": "stay", "逗留在": "stay", "滞留": "stay", "驻留": "stay",
    # toward
    "前往": "toward", "驶往": "toward", "驶向": "toward", "开往": "toward", "飞往": "toward",
    "赶往": "toward", "奔赴": "toward", "赴": "toward", "去往": "toward", "转往": "toward",
    "转赴": "toward", "直奔": "toward", "北上": "toward", "南下": "toward", "西进": "toward",
    "东进": "toward", "移向": "toward", "趋向": "toward", "逼近": "toward", "前去": "toward",
    "动身前往": "toward", "启程前往": "toward", "返回至": "toward",
    # visit
    "访问": "visit", "出访": "visit", "到访": "visit", "访": "visit", "走访": "visit",
    "视察": "visit", "考察": "visit",
}

#: words that contain a verb above but are none (已经, 抵制, 采访)
ZH_LEFT_NOT = ("已经", "曾经", "经济", "经验", "经常", "经历", "经营", "神经", "经理", "经典", "经费",
               "经贸", "经纪", "财经", "经由于", "抵制", "抵抗", "抵御", "抵消", "抵押", "抵触", "采访",
               "访谈", "暗访", "回到了原点", "进入了新", "深入了解", "深入研究", "深入推进")

#: prepositions that introduce a place whose verb follows it (在 X 登陆, 从 X 出发)
ZH_LOCATIVE = ("正在", "在", "于", "从", "自", "由", "对", "向", "往", "到")

#: (preposition group, verb) -> movement, for verbs after the place
ZH_RIGHT: dict[str, dict[str, str]] = {
    "at": {  # 在 / 于 / 到
        "登陆": "arrive", "降落": "arrive", "着陆": "arrive", "落地": "arrive",
        "停留": "stay", "逗留": "stay", "过夜": "stay", "停靠": "stay", "驻扎": "stay",
        "会面": "meet", "会晤": "meet", "会谈": "meet", "见面": "meet", "举行会谈": "meet",
        "举行会晤": "meet", "举行峰会": "meet", "峰会": "meet", "举行会面": "meet", "会见": "meet",
        "出席": "meet", "参加": "meet", "会晤了": "meet", "会见了": "meet",
        "访问": "visit", "参观": "visit", "视察": "visit", "期间": "stay", "逗留期间": "stay",
    },
    "from": {  # 从 / 自 / 由
        "出发": "depart", "启程": "depart", "起飞": "depart", "动身": "depart", "离开": "depart",
        "驶出": "depart", "开出": "depart",
        # 从 X 驶入 Y: X is the crossing it came through
        "驶入": "pass", "进入": "pass", "入境": "pass", "越境": "pass", "开进": "pass",
        "前往": "depart", "飞往": "depart", "驶往": "depart", "驶向": "depart", "开往": "depart",
        "飞抵": "depart", "抵达": "depart", "到达": "depart", "出境": "depart",
    },
    "to": {  # 向 / 往 X 驶去: a direction of travel
        "驶去": "toward", "飞去": "toward", "开去": "toward", "进发": "toward", "前进": "toward",
        "移动": "toward", "行进": "toward", "方向": "toward", "驶来": "toward", "靠近": "toward",
    },
    "visit": {  # 对 X 的国事访问
        "国事访问": "visit", "访问": "visit", "正式访问": "visit", "进行访问": "visit",
    },
}
#: a noun right after the place that makes it the trip's goal (莫斯科之行)
ZH_AFTER = {"之行": "visit", "之旅": "visit"}
ZH_LOCATIVE_GROUP = {"在": "at", "正在": "at", "于": "at", "到": "at", "从": "from", "自": "from",
                     "由": "from", "向": "to", "往": "to", "对": "visit"}

#: what may stand between a coarser place and the finer place it locates (福建晋江, 菲律宾北部
#: 卡加延省的阿帕里, 符拉迪沃斯托克北边的城市乌苏里斯克, 莫斯科伏努科沃机场, "Fujian's")
ZH_MODIFIER_GAP = re.compile(
    r"^(?:[省市县州区])?(?:的)?(?:以?[东南西北]{1,2}(?:部|边|方|面|侧|郊)?(?:的)?)?"
    r"(?:附近|郊区|境内|地区|沿海|近郊|边境)?(?:的)?"
    r"(?:城市|城镇|小镇|港口|港|机场|车站|火车站|首都|首府|省会|县城|小城|口岸|海域)?$"
)
EN_MODIFIER_GAP = re.compile(r"^(?:'s|’s)?\s*$")

#: separators of a list that shares one verb (穿过福建、江西和安徽; "through Fujian, Jiangxi and Anhui")
LIST_GAP = re.compile(r"^\s*(?:[、，,/]|和|与|及|以及|跟|同|或|and|or|as well as|,\s*and|,\s*or)?\s*$",
                      re.IGNORECASE)

# ----------------------------------------------------------------------------- English movement

#: verb -> movement when the verb takes the place as its object or with a neutral preposition
EN_VERBS: dict[str, str] = {
    "left": "depart", "leave": "depart", "leaves": "depart", "leaving": "depart",
    "departed": "depart", "depart": "depart", "departs": "depart", "departing": "depart",
    "exited": "depart", "fled": "depart", "quit": "depart",
    "arrived": "arrive", "arrive": "arrive", "arrives": "arrive", "arriving": "arrive",
    "landed": "arrive", "lands": "arrive", "land": "arrive", "landing": "arrive",
    "reached": "arrive", "reach": "arrive", "reaches": "arrive", "reaching": "arrive",
    "touched down": "arrive", "made landfall": "arrive", "makes landfall": "arrive",
    "returned": "arrive", "returns": "arrive", "return": "arrive", "returning": "arrive",
    "came": "arrive", "docked": "arrive", "docks": "arrive",
    "entered": "enter", "enter": "enter", "enters": "enter", "entering": "enter",
    "crossed into": "enter", "crosses into": "enter", "crossing into": "enter",
    "moved into": "enter", "rolled into": "enter", "drove into": "enter",
    "passed through": "pass", "passes through": "pass", "passing through": "pass",
    "transited": "pass", "crossed": "pass", "crosses": "pass", "traversed": "pass",
    "pass": "pass", "cross": "pass", "crossing": "pass", "transit": "pass", "transiting": "pass",
    "stopped over": "pass", "stopover": "pass",
    "stayed": "stay", "stay": "stay", "stays": "stay", "staying": "stay", "remained": "stay",
    "remains": "stay", "spent": "stay", "stopped": "stay",
    "headed": "toward", "heads": "toward", "heading": "toward", "head": "toward",
    "flew": "toward", "flying": "toward", "fly": "toward", "flies": "toward",
    "travelled": "toward", "traveled": "toward", "travel": "toward", "travelling": "toward",
    "traveling": "toward", "went": "toward", "go": "toward", "going": "toward", "goes": "toward",
    "bound": "toward", "en route": "toward", "set off": "toward", "sailed": "toward",
    "drove": "toward", "moved": "toward", "moving": "toward", "continued": "toward",
    "carried on": "toward", "pushed on": "toward", "swept": "pass",
    "passed": "pass", "passing": "pass",
    "met": "meet", "meet": "meet", "meets": "meet", "meeting": "meet", "talks": "meet",
    "summit": "meet", "received": "meet", "hosted": "meet", "held talks": "meet",
    "attended": "meet", "attends": "meet", "attending": "meet",
    "visited": "visit", "visit": "visit", "visits": "visit", "visiting": "visit", "toured": "visit",
    "trip": "visit", "tour": "visit", "touring": "visit", "tours": "visit",
    "evacuated": "depart", "withdrew": "depart", "moored": "stay", "anchored": "stay",
}

#: movement a verb takes with the preposition before the place; "*" is any verb above
EN_PREP: dict[str, dict[str, str]] = {
    "into": {"*": "enter"},
    "through": {"*": "pass"}, "via": {"*": "pass"}, "across": {"*": "pass"},
    "from": {"depart": "depart", "toward": "depart", "enter": "depart", "pass": "depart"},
    "out of": {"depart": "depart", "toward": "depart", "pass": "depart"},
    "toward": {"*": "toward"}, "towards": {"*": "toward"},
    "to": {"depart": "toward", "toward": "toward", "visit": "visit", "arrive": "arrive",
           "enter": "toward"},
    "for": {"depart": "toward", "toward": "toward"},
    "on to": {"*": "toward"}, "onto": {"*": "toward"},
    "in": {"arrive": "arrive", "stay": "stay", "meet": "meet", "visit": "visit"},
    "at": {"arrive": "arrive", "stay": "stay", "meet": "meet", "visit": "visit", "pass": "pass"},
    "past": {"*": "pass"},
    "near": {"arrive": "arrive", "pass": "pass"}, "over": {"arrive": "arrive"},
    "": {"depart": "depart", "arrive": "arrive", "enter": "enter", "pass": "pass",
         "visit": "visit"},
}
#: prepositions of motion, which tie a place to the verb even across another place
EN_MOTION_PREP = {"to", "for", "toward", "towards", "into", "on to", "onto", "from", "via",
                  "through", "out of"}
#: "bound for", "en route to", "flew on to": the words between verb and preposition that keep it
EN_PREP_RE = re.compile(
    r"\b(out of|on to|onto|into|through|via|across|past|from|towards|toward|to|for|in|at|near|over)\s+"
    r"(?:the\s+|a\s+|an\s+)?(?:[A-Z][\w.-]*\s+){0,1}$"
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
ZH_CERTAINTY: dict[str, tuple[str, ...]] = {
    "negated": ("并未", "并没有", "没有", "没", "未曾", "不是", "不会", "不再", "不要", "不打算",
                "不能", "并非", "取消", "推迟", "而非", "而不是", "拒绝"),
    "speculated": ("可能", "或许", "也许", "有可能", "据传", "传闻", "传言", "似乎", "或将", "或会",
                   "恐将", "疑似", "猜测", "推测", "估计", "料将", "应该", "应当", "应会", "理应",
                   "应在", "有望", "是否"),
    "expected": ("预计", "预期", "将于", "将会", "将在", "将要", "将", "计划", "拟", "打算", "准备",
                 "安排", "定于", "即将", "宣布", "预定", "预料", "会前往", "期待"),
}
#: look-alikes that contain a cue but are not one (将军, 未来, 会议)
ZH_NOT_CUE = ("将军", "将领", "将其", "将近", "未来", "没收", "应对", "反应", "供应", "相应",
              "答应", "适应", "响应", "准备好", "计划经济", "淹没", "埋没", "出没", "沉没", "吞没",
              "不断", "不久", "不少", "不仅")
EN_CERTAINTY: dict[str, tuple[str, ...]] = {
    "negated": ("did not", "didn't", "does not", "doesn't", "do not", "don't", "never", "not",
                "instead of", "rather than", "no longer", "cancelled", "canceled", "called off",
                "won't", "will not", "would not", "without", "yet to"),
    "speculated": ("may", "might", "could", "possibly", "probably", "likely", "perhaps",
                   "rumoured", "rumored", "speculated", "should", "would likely", "whether"),
    "expected": ("is expected to", "are expected to", "was expected to", "were expected to",
                 "expected to", "will", "would", "plans to", "planned to", "plan to", "plans",
                 "is scheduled to", "was scheduled to", "scheduled to", "is due to", "was due to",
                 "is set to", "was set to", "set to", "intends to", "going to",
                 "is to", "was to", "announced"),
}
#: a conditional makes the whole sentence hypothetical
ZH_CONDITIONAL = ("如果", "假如", "倘若", "要是", "若是", "一旦", "如若")
EN_CONDITIONAL = ("if", "unless", "in case", "should it")
#: hearsay makes the whole sentence speculated (有传闻指…, "rumours say")
ZH_RUMOUR = ("据传", "传闻", "传言", "有传", "坊间传")
EN_RUMOUR = ("rumou?red", "rumou?rs?", "speculation", "unconfirmed reports?")

# ----------------------------------------------------------------------------- time anaphora

#: time expressions that point back to the day already under discussion (当天下午, "that day")
ANAPHORIC_TIME = re.compile(
    r"^(?:当天|当日|同日|同一天|当晚|当夜|翌日|次日|随后|(?:on\s+)?(?:that|the same)\s+"
    r"(?:day|morning|afternoon|evening|night)|later that day)",
    re.IGNORECASE,
)
#: a bare part of the day, which also belongs to the day under discussion (下午, "in the afternoon")
BARE_PART_OF_DAY = re.compile(
    r"^(?:(?:in|during)\s+the\s+)?(?:上午|下午|早上|早晨|晚上|中午|凌晨|傍晚|深夜|夜间|午后|清晨|"
    r"morning|afternoon|evening|night|overnight)$",
    re.IGNORECASE,
)
NEXT_DAY = re.compile(r"^(?:翌日|次日|the next day|the following day|next morning)",
                      re.IGNORECASE)


def _data_lines(lang: str, name: str) -> list[str]:
    """The entries of analysis/timeline/data/<lang>/<name>: one a line, ``#`` comments skipped."""
    from importlib import resources

    text = resources.files("analysis.timeline").joinpath(f"data/{lang}/{name}").read_text("utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


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
