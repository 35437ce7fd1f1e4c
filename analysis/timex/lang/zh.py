"""Chinese temporal grammar: recognise time expressions and describe them for :mod:`analysis.timex`.

The grammar is a table of named rules (:data:`RULES`). Each rule is a regular expression over
*folded* text (traditional characters mapped to simplified ones and full-width forms to ASCII,
one character for one character so offsets survive) and a builder that turns the match into a
small description, a dict of fields::

    {"Y": 2023, "M": 9, "D": 12}             # 2023年9月12日
    {"Wr": -1, "wd": 1}                       # 上周二
    {"Dr": 0, "pod": "evening"}               # 今晚
    {"dur": (5, "hour"), "mod": "EQUAL_OR_MORE"}   # 五至六个小时

All rules are compiled once into one master regex. :func:`find` scans a document with it (in
effect: it jumps to the characters some rule can start with and tries only those rules there,
which finds the same matches several times faster), joins adjacent atoms whose fields fit together ("2023年" + "9月12日" + "晚上" + "8时许"), joins
ranges ("9月10日至12日"), reads the clause's tense for bare weekdays and hands each description
to :func:`resolve`, which builds the :class:`analysis.timex.TimeExpr` with the shared helpers.

Conventions (where Duckling's and JioNLP's test corpora disagree, the news reading wins):

- "三天前" / "两年后" are the day / year that far from the reference (a point, as HeidelTime and
  JioNLP read them), not Duckling's interval "the last three days"; "之前/以前/之后/以后" after
  an amount of days or longer are open-ended (``mod`` BEFORE/AFTER, one side ``None``), after
  seconds, minutes or hours the moment itself ("10分钟之前" is 10分钟前: nobody means "any time
  before ten minutes ago"). "几十年后" / "数百年前" are the span 2 to 10 tens (hundreds) of
  units away (2041-2121 for 几十年后 in 2021).
- "马上" / "立刻" / "即刻" are the reference instant (second grain, as 现在) with the value
  FUTURE_REF: imminent, not a date the timeline anchors an event to.
- "上半月" / "下半月" are the 1st-15th and the 16th-last day of the month named before them, or
  of the reference's month; "四月的最后一个星期一" is the last Monday of April (in a document
  the April the clause's tense picks, as for a month alone) and "四月最后一周" its last seven days.
- A bare weekday is the nearest one; a future cue in the clause (将, 预计 ...) takes the coming
  one, a past cue (已, 曾 ...) the last one. :func:`parse` has no clause and reads a lone
  weekday, month and day or clock time as the coming one (as Duckling and JioNLP do), today
  included (a lone day of the month: see below).
- 早上 / 早晨 run from daybreak to noon (04:00-12:00, Duckling's Chinese reading: 凌晨 comes
  first, so a timeline sorts them apart); 上午 is the working morning (07:00-12:00) and 白天
  runs 06:00-19:00, 夜间 20:00-24:00 (weather reports' night; JioNLP's readings; Duckling's
  corpus has none of the three).
- In a document, 当天 / 次日 / 当晚 count from the day the text last named, 当时 / 届时 take the
  time it last named, and days listed after a date (3月5日和6日) keep its month. News reports
  the past: a day of the month alone (29日) later than the reference's day is last month's
  unless a future cue in the clause (将于, 预计 ...) puts it ahead (then the coming one); after
  a day the text named ahead of the reference it is the one nearest that day; a
  month alone (12月) is the nearest one, or by the clause's tense the last or the coming one.
  :func:`parse` sees no text before it: the reference; a lone day of the month is this month's
  (JioNLP's 9日上午; Duckling's corpus has only days after the reference's, which agree) and a
  lone month the coming one.
- :func:`parse` given a list of consecutive days and nothing else (9月10号，11号，12号) returns
  their span; :func:`find` keeps one row per day.
- Open-ended spans (三天之后, 今晚八点以后, 第三天起 in the future) have one side ``None``;
  :func:`parse` returns ``None`` for them, as it returns one bounded interval or nothing.
- "N个工作日/交易日内/后" count Monday-Friday days (public holidays are not known to the grammar);
  "二十几年前" / "十几天后" are the span of those units 20-30 / 10-20 back or ahead.
- A month and a day in Chinese numerals with no 日/号 (八月十五, 十一月廿九) is a lunar date, as
  Chinese writes them; 八月十五日, 8月15 and 8月15日 are solar.
- Holidays: fixed-date ones, Easter-based ones (dateutil, Western and Orthodox) and, through the
  ``holidays`` package's tables, Chinese lunar, Hebrew (from the eve, as Duckling), Islamic and
  Hindu ones; a bare holiday is the nearest one, or by the clause's tense the coming or the last
  one (:func:`parse`: the coming one, today included, as Duckling reads it).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from analysis.text.fold import t2s_table
from analysis.timex import calendars
from analysis.timex import expr as T
from analysis.timex.first_chars import first_chars as _first_chars

# ----------------------------------------------------------------------------- folding

_EXTRA_FOLD = {
    # traditional / variant forms OpenCC may leave alone or that need a fixed answer
    "週": "周", "禮": "礼", "點": "点", "鐘": "钟", "後": "后", "兩": "两", "時": "时", "個": "个",
    "號": "号", "幾": "几", "這": "这", "當": "当", "現": "现", "聖": "圣", "節": "节", "間": "间",
    "晝": "昼", "尋": "寻", "聽": "听", "來": "来", "過": "过", "內": "内", "約": "约", "餘": "余",
    "於": "于", "將": "将", "經": "经", "農": "农", "曆": "历", "陰": "阴",
    "陽": "阳", "歲": "岁", "萬": "万", "億": "亿", "臘": "腊", "國": "国",
    "慶": "庆", "勞": "劳", "動": "动", "婦": "妇", "兒": "儿", "軍": "军", "誕": "诞",
    "復": "复", "齋": "斋", "開": "开", "爾": "尔", "東": "东", "傑": "杰", "靈": "灵",
    "臨": "临", "紀": "纪", "歸": "归", "門": "门", "費": "费", "權": "权", "樹": "树",
    "難": "难", "獻": "献", "燭": "烛", "實": "实", "穫": "获", "獲": "获", "闆": "板",
    "務": "务", "贖": "赎", "穌": "稣", "預": "预", "計": "计", "擬": "拟",
    "準": "准", "備": "备", "會": "会", "進": "进", "頭": "头", "許": "许",
    "鬧": "闹", "淩": "凌", "僅": "仅", "長": "长", "達": "达",
    "還": "还", "與": "与", "屆": "届", "歷": "历", "黃": "黄", "連": "连", "續": "续", "層": "层",
    "：": ":", "～": "~", "－": "-", "—": "-", "–": "-", "／": "/", "．": ".", "，": ",",
    "\u3000": " ", "﹣": "-", "〜": "~",
}


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """One-to-one table: the shared traditional -> simplified fold, full-width -> ASCII, variants."""
    table = {0xFF10 + i: str(i) for i in range(10)}
    for cp in range(0xFF01, 0xFF5F):  # full-width ASCII
        table.setdefault(cp, chr(cp - 0xFEE0))
    for k, v in _EXTRA_FOLD.items():
        table[ord(k)] = v
    t2s = t2s_table()  # the one traditional -> simplified fold (analysis.text.fold)
    for cp, ch in t2s.items():
        if ord(ch) not in t2s:  # no chains, so fold() may replace character by character
            table.setdefault(cp, ch)
    return table


@lru_cache(maxsize=1)
def _fold_chars() -> frozenset[str] | None:
    """The characters :func:`fold` changes, or None if one's output is another's input."""
    table = _fold_table()
    if any(ord(v) in table for v in table.values()):  # pragma: no cover - a chain: translate only
        return None
    return frozenset(chr(k) for k in table)


def fold(text: str) -> str:
    """Map traditional characters and full-width forms to the grammar's, keeping every offset."""
    chars = _fold_chars()
    if chars is None:  # pragma: no cover
        return text.translate(_fold_table())
    # a simplified text holds only a few of the characters to fold (，：), many times over:
    # str.replace() per distinct character beats a table lookup for every character, and the
    # set of the text's characters (C speed) finds them 50x faster than a class of ~4,000 in re
    found = chars.intersection(text)
    if len(found) > 40:  # traditional text: most of the table is in use
        return text.translate(_fold_table())
    table = _fold_table()
    for ch in found:
        text = text.replace(ch, table[ord(ch)])
    return text


# ----------------------------------------------------------------------------- numerals

_DIGIT = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "俩": 2,
          "三": 3, "叁": 3, "仨": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6,
          "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
NUM = r"[0-9零〇○一二两三四五六七八九十百千万廿卅壹贰叁肆伍陆柒捌玖拾仨俩]+"
DIG = r"[0-9零〇○一二三四五六七八九]"


def cn2num(s: str) -> int | None:
    """Read a Chinese or Arabic numeral: "2023", "二〇二三", "二十三", "廿九", "一百零五", "两"."""
    s = s.strip()
    if not s or len(s) > 18:  # no count or date in news has more digits (and int() may refuse)
        return None
    if s.isdigit() and s.isascii():
        return int(s)
    if all(ch in _DIGIT or ch.isdigit() for ch in s) and len(s) > 1:  # digit by digit: 二〇二三
        return int("".join(str(_DIGIT[ch]) if ch in _DIGIT else ch for ch in s))
    total = section = num = 0
    digits = ""
    for ch in s:
        if ch.isdigit() and ch.isascii():
            digits += ch
            num = int(digits)
            continue
        digits = ""
        if ch in _DIGIT:
            num = _DIGIT[ch]
        elif ch == "廿":
            section += 20
        elif ch == "卅":
            section += 30
        elif ch in _UNIT:
            section += (num or 1) * _UNIT[ch]
            num = 0
        elif ch == "万":
            total += (section + num) * 10000
            section = num = 0
        else:
            return None
    return total + section + num


# ----------------------------------------------------------------------------- vocabulary

WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}

#: Chinese part-of-day words -> key of :data:`analysis.timex.PARTS_OF_DAY`.
POD = {
    "凌晨": "early_morning", "黎明": "dawn", "拂晓": "dawn", "破晓": "dawn",
    "清晨": "day_morning", "早晨": "day_morning", "早上": "day_morning", "早间": "day_morning",
    "晨间": "day_morning", "早": "day_morning", "晨": "day_morning", "上午": "forenoon",
    "中午": "noon", "正午": "noon", "午间": "noon", "晌午": "noon",
    "下午": "afternoon", "午后": "afternoon", "晏昼": "afternoon",
    "傍晚": "evening", "晚上": "evening", "晚间": "evening", "黄昏": "evening", "晚": "evening",
    "夜间": "nighttime", "夜里": "night", "夜晚": "night", "晚夜": "night", "夜": "night",
    "深夜": "late_night", "半夜": "late_night", "午夜": "late_night", "前半夜": "late_night",
    "后半夜": "early_morning", "通宵": "overnight", "整夜": "overnight", "彻夜": "overnight",
    "白天": "daylight", "白日": "daylight", "日间": "daylight",
}
_PM_PODS = {"afternoon", "evening", "night", "nighttime", "late_night"}

#: Relative day words -> offset in days from the reference.
REL_DAY = {
    "今天": 0, "今日": 0, "本日": 0, "当天": 0, "当日": 0, "是日": 0, "同日": 0, "即日": 0,
    "昨天": -1, "昨日": -1, "寻日": -1, "前天": -2, "前日": -2, "大前天": -3, "大前日": -3,
    "明天": 1, "明日": 1, "听日": 1, "次日": 1, "翌日": 1, "隔天": 1, "隔日": 1, "第二天": 1,
    "后天": 2, "后日": 2, "大后天": 3, "大后日": 3, "大大后天": 4,
}
#: Day words that refer to the day the text last talked about, not to the publication day.
ANAPHORIC = {"当天", "当日", "同日", "是日", "次日", "翌日", "隔天", "隔日", "第二天", "当", "翌", "次"}
#: One-character day words that only count before a part of the day (今晚, 昨晨, 明早).
REL_DAY_SHORT = {"今": 0, "昨": -1, "明": 1, "当": 0, "翌": 1, "次": 1}

REL_YEAR = {
    "今年": 0, "本年": 0, "这一年": 0, "这年": 0, "当年": 0, "同年": 0, "是年": 0, "本年度": 0,
    "去年": -1, "上年": -1, "上一年": -1, "前一年": -1, "旧年": -1, "前年": -2, "大前年": -3,
    "明年": 1, "下年": 1, "来年": 1, "次年": 1, "翌年": 1, "下一年": 1, "后年": 2, "大后年": 3,
}
REL_MONTH = {
    "本月": 0, "这个月": 0, "这月": 0, "当月": 0, "同月": 0, "今个月": 0, "是月": 0, "本月份": 0,
    "上月": -1, "上个月": -1, "上一个月": -1, "上一月": -1, "前一个月": -1, "上上个月": -2,
    "下月": 1, "下个月": 1, "下一个月": 1, "下一月": 1, "次月": 1, "翌月": 1, "下下个月": 2,
}
_WEEK = r"(?:周|星期|礼拜|週)"
REL_WEEK_PREFIX = {"上上": -2, "上": -1, "下下": 2, "下": 1, "这": 0, "本": 0, "今": 0, "今个": 0,
                   "这个": 0, "上个": -1, "下个": 1, "上一": -1, "下一": 1, "这一": 0, "同": 0,
                   "当": 0, "上上个": -2, "下下个": 2}

UNITS = {
    "秒钟": "second", "秒": "second", "分钟": "minute", "分": "minute", "小时": "hour",
    "钟头": "hour", "个钟": "hour", "钟": "hour", "天": "day", "日": "day", "周": "week",
    "星期": "week", "礼拜": "week", "个月": "month", "月": "month", "季度": "quarter",
    "年": "year", "世纪": "century", "刻钟": "quarter_hour",
}

VAGUE = {
    # word: (direction, days of span or None)
    "此前": ("past", None), "较早前": ("past", None),
    "早前": ("past", None), "早些时候": ("past", None), "稍早": ("past", None), "稍早前": ("past", None),
    "日前": ("past", 7), "近日": ("past", 7), "近年来": ("past", 3 * 365), "近年": ("past", 3 * 365),
    "近些年": ("past", 3 * 365), "这些年": ("past", 3 * 365), "近几年": ("past", 3 * 365), "近期": ("past", 30), "最近": ("past", 30),
    "前不久": ("past", 30), "不久前": ("past", 30), "近来": ("past", 30), "过去": ("past", None),
    "昔日": ("past", None), "当时": ("past", None), "那时": ("past", None), "彼时": ("past", None),
    "届时": ("future", None), "此后": ("future", None),
    "晚些时候": ("future", None), "稍晚时候": ("future", None), "稍晚": ("future", None),
    "稍后": ("future", 1), "随后": ("future", None), "今后": ("future", None),
    "未来": ("future", None), "将来": ("future", None), "日后": ("future", None),
    "不久后": ("future", 30), "近期内": ("future", 30), "短期内": ("future", 30),
    "目前": ("present", None), "当前": ("present", None), "现在": ("present", None),
    "眼下": ("present", None), "此时": ("present", None), "此刻": ("present", None),
    "如今": ("present", None), "现时": ("present", None), "时下": ("present", None),
    "当下": ("present", None), "宜家": ("present", None), "而家": ("present", None),
    "依家": ("present", None), "至今": ("present", None), "迄今": ("present", None),
}
# words that are the reference instant itself in Duckling's corpus (second grain)
_NOW = {"现在", "此时", "此刻", "当前", "宜家", "而家", "依家", "目前", "眼下", "当下"}
# "马上" / "立刻": the reference instant, marked FUTURE_REF (see the module docstring)
_IMMINENT = {"马上", "立刻", "即刻"}
_FEW = r"(?:[一二三四五六七八九]?十几|几十|几百|几千|好几|几|数十|数百|数|若干|多)"

def _holiday_tables():
    """The holiday names of lang/data/zh/holidays.csv, read once, as the tables the rules use:
    fixed (month, day); Easter offset; Easter span (offset, days); lunar (month, day); the
    ``holidays`` package's calendars (calendar, method, offset, days); Orthodox-only names."""
    import csv
    from pathlib import Path

    fixed, easter, span, lunar, table, orthodox = {}, {}, {}, {}, {}, set()
    path = Path(__file__).parent / "data" / "zh" / "holidays.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(line for line in fh if not line.startswith("#")):
            name, rule, days = r["name"], r["rule"], int(r["days"])
            if rule == "fixed":
                fixed[name] = (int(r["month"]), int(r["day"]))
            elif rule == "easter" and days == 1:
                easter[name] = int(r["offset"])
            elif rule == "easter":
                span[name] = (int(r["offset"]), days)
            elif rule == "lunar":
                lunar[name] = (int(r["month"]), int(r["day"]))
            elif rule == "table":
                table[name] = (r["calendar"], r["method"], int(r["offset"]), days)
            else:
                raise ValueError(f"{path}: unknown rule {rule!r} for {name}; use fixed, easter, "
                                 "lunar or table")
            if r["orthodox"] == "1":
                orthodox.add(name)
    return fixed, easter, span, lunar, table, orthodox


HOLIDAYS_FIXED, HOLIDAYS_EASTER, HOLIDAYS_EASTER_SPAN, HOLIDAYS_LUNAR, HOLIDAYS_TABLE, \
    _ORTHODOX_ONLY = _holiday_tables()
_HOLIDAY_NAMES = sorted(
    set(HOLIDAYS_FIXED) | set(HOLIDAYS_EASTER) | set(HOLIDAYS_EASTER_SPAN) | set(HOLIDAYS_LUNAR)
    | set(HOLIDAYS_TABLE) | {"东正教" + k for k in HOLIDAYS_EASTER},
    key=len, reverse=True,
)

_alt = T.word_alternation  # the shared trie alternation (analysis.timex)


# ----------------------------------------------------------------------------- rules
# Each rule: (name, pattern); :data:`_BUILDERS` maps the name to the function that turns the
# match's groups into fields. Order matters only between rules that can start at the same place:
# the first that matches wins, so longer, more specific rules come first.

_APPROX = r"(?P<approx>许|左右|前后|之际|时分)?"
_HOUR_WORD = r"(?:点钟|点|时|钟)"
_UNIT_RE = r"(?P<u>秒钟|秒|分钟|小时|钟头|个钟头|个钟|刻钟|天|日|周(?!年)|星期|礼拜|个月|月|季度|年|世纪)"
_NUMX = r"(?P<n>" + NUM + r"|" + _FEW + r")"
_DAYNUM = r"(?:[12][0-9]|3[01]|0?[1-9]|(?:二十|十|廿|三十|卅)[一二三四五六七八九]?|[一二三四五六七八九]|三十一)"

#: Approximate amounts said with two neighbouring digits (两三天, 七八个小时): the lower one counts.
_APPROX_PAIRS = {"一两": 1, "一二": 1, "两三": 2, "二三": 2, "三四": 3, "四五": 4, "五六": 5,
                 "六七": 6, "七八": 7, "八九": 8, "三五": 3}
_PAIR_RE = "|".join(_APPROX_PAIRS)
# two Chinese digits that are not neighbours ("五八年") spell a year, not an amount
_YEAR_DIGITS2 = r"(?!" + _PAIR_RE + r")[零〇○一二三四五六七八九]{2}"


def _data_words(name: str) -> list[str]:
    """The words of lang/data/zh/``name`` (one a line, ``#`` comments), read once at import."""
    from pathlib import Path

    path = Path(__file__).parent / "data" / "zh" / name
    lines = path.read_text(encoding="utf-8").splitlines()
    return [w.strip() for w in lines if w.strip() and not w.lstrip().startswith("#")]


#: "1号月台", "3号线": a label, not a day (data/zh/label_after_hao.txt)
_LABEL_AFTER_HAO = "(?:" + "|".join(sorted(map(re.escape, _data_words("label_after_hao.txt")),
                                           key=len, reverse=True)) + ")"

RULES: list[tuple[str, str]] = [
    # numeric dates and clock times
    ("ymd_num", r"(?<![0-9.])(?P<y>[12][0-9]{3})(?P<sep>[-/.])(?P<m>[01]?[0-9])(?P=sep)(?P<d>[0-3]?[0-9])"
                r"(?:(?:[ T]|-|\s*)(?P<hh>[0-2]?[0-9]):(?P<mi>[0-5][0-9])(?::(?P<ss>[0-5][0-9]))?)?(?![0-9])"),
    ("ymd_mixed", r"(?<![0-9.])(?P<y>[12][0-9]{3})\.(?P<m>[01]?[0-9])-(?P<d>[0-3]?[0-9])(?![0-9])"),
    ("ymd_compact", r"(?<![0-9])(?P<y>(?:19|20)[0-9]{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12][0-9]|3[01])(?![0-9])"),
    ("ymd_space", r"(?<![0-9])(?P<y>(?:19|20)[0-9]{2}) (?P<m>0?[1-9]|1[0-2]) (?P<d>[0-3]?[0-9])(?![0-9])"),
    ("mdy_num", r"(?<![0-9/])(?P<m>[01]?[0-9])/(?P<d>[0-3]?[0-9])/(?P<y>[0-9]{4}|[0-9]{2})(?![0-9/])"),
    ("ym_num", r"(?<![0-9.])(?P<y>[12][0-9]{3})[./-](?P<m>0[1-9]|1[0-2])(?![0-9./]|-[0-9]{2}(?![0-9]))"),
    ("md_num", r"(?<![0-9./-])(?P<m>0?[1-9]|1[0-2])(?P<sep>/|·)(?P<d>[0-3]?[0-9])(?![0-9/])(?P<suf>号|日)?"),
    ("md_dash", r"(?<![0-9./-])(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12][0-9]|3[01])(?![0-9-])"),
    ("clock_num", r"(?<![0-9:])(?P<hh>[0-5]?[0-9]):(?P<mi>[0-5][0-9])(?::(?P<ss>[0-5][0-9]))?(?![0-9])"
                  r"(?:\s*(?P<ap>am|pm|AM|PM|a|p)(?![a-zA-Z]))?(?:时|分)?" + _APPROX),
    ("clock_ampm", r"(?<![0-9])(?P<hh>1[0-2]|0?[1-9])\s*(?P<ap>am|pm|AM|PM)(?![a-zA-Z])"),
    # centuries and decades
    ("decade", r"(?:(?P<cent>上个?|本|这个?|[0-9]{1,2}|" + NUM + r")世纪的?)?"
               r"(?P<dec>[0-9]0|[0-9]{3}0|[一二三四五六七八九]十|[零〇一二三四五六七八九][零〇])年代"
               r"(?P<part>初期|中期|末期|前期|后期|初|中|末)?"),
    ("century", r"(?P<cent>上个?|本|这个?|[0-9]{1,2}|" + NUM + r")世纪"
                r"(?P<part>初期|中期|末期|前期|后期|初叶|中叶|末叶|初|中|末)?"),
    ("holiday", r"(?P<orth>东正教)?(?P<hol>" + _alt(_HOLIDAY_NAMES) + r")(?:第(?P<hn>[一二三四])天)?"),
    # relative amounts: "三天前", "两年后", "四年多以来", "上两周", "未来7天", "近三个月", "过去一周"
    ("rel_workday", r"(?P<n>" + NUM + r")(?:个)?(?:工作日|交易日)(?P<dir>之内|以内|内|之后|以后|后)"),
    ("rel_ago", r"(?![12][0-9]{3}年|[零〇一二三四五六七八九]{4}年|" + _YEAR_DIGITS2 + r"年|[0-9]+月|[一二三四五六七八九十]+月)" + _NUMX + r"(?P<more>多)?(?:个)?(?P<more3>多)?(?P<half>半)?" + _UNIT_RE +
                r"(?P<half2>半)?(?P<more2>多|左右)?(?P<dir>之前|以前|之后|以后|前|后|以来|来|之内|以内|内)(?!夕|后|任|往|方|线|面|者|身|所|进|述|锋|台|期)"),
    ("rel_half_ago", r"(?P<half>半)(?:个)?(?P<u>小时|钟头|天|月|年)(?P<dir>之前|以前|之后|以后|前|后|以来|内)"),
    # "四月的最后一个星期一": the last such weekday of the month (before rel_last's "最后一个星期")
    ("last_weekday", r"最后(?:一|1)个(?:周|星期|礼拜)(?P<wd>[一二三四五六日天])"),
    ("rel_last", r"(?P<which>上|前|下|后|过去的?|未来的?|今后的?|近|最近的?|接下来的?|最后|再过|过)"
                 r"(?![12][0-9]{3}年|[零〇一二三四五六七八九]{4}年)" + _NUMX +
                 r"(?P<more>多)?(?:个)?(?P<more3>多)?(?P<half>半)?" + _UNIT_RE + r"(?:里|内|中|间|以来)?"),
    ("rel_last_half", r"(?P<which>再过|过去的?|未来的?|今后的?|最近的?)(?P<half>半)(?:个)?(?P<u>小时|钟头|天|月|年)"),
    # "过去一周", "近一年" (but "近年" is vague: "in recent years")
    ("rel_one", r"(?:(?P<which>过去的?|未来的?|今后的?)(?:一)?|(?P<which2>近|最近的?)一)(?:个)?"
                r"(?P<u>小时|天|周|星期|月|年)(?:里|内|中|间|以来)?"),
    ("lunar_date", r"(?P<lun>农历|阴历)(?P<y>" + DIG + r"{4}年)?(?P<m>" + NUM + r"|正|腊|冬)月(?P<d>初[一二三四五六七八九十]|" + NUM + r")?(?:日|号)?"),
    ("lunar_month", r"(?P<m>正|腊|冬)月(?P<d>初[一二三四五六七八九十]|" + NUM + r")?(?:日|号)?"),
    ("lunar_day", r"大年(?P<d>初[一二三四五六七八九十]|" + NUM + r")"),
    # years
    ("year_pair", r"今明两年|今明年"),
    # "91年5月" is a year, "30年" alone an amount: two Arabic digits need a month or part after them
    ("year_num", r"(?P<y>[12][0-9]{3}|" + DIG + r"{4}|[0-9]{2}(?=年(?:度)?的?(?:[0-9一二三四五六七八九十]{1,2}月|[上下]半年|[第首一二三四1-4]季度|底|初|末|第))|"
                 + _YEAR_DIGITS2 + r")年(?:度)?(?!代|级|前|后|来|间|内|多|半|左右)"),
    ("year_num_before", r"(?P<y>[12][0-9]{3}|" + DIG + r"{4}|" + _YEAR_DIGITS2 + r")年(?=前|后|内)"),
    ("year_rel", r"(?P<yr>" + _alt(REL_YEAR) + r")(?:度)?"),
    ("year_bare", r"(?<![0-9.:/])(?P<y>(?:1[5-9]|20)[0-9]{2})(?![0-9年.:/])"),
    # parts of a year
    ("quarter", r"(?P<which>第[一二三四1-4]|[一二三四1-4]|首|上个?|下个?|本|这个?|当|上一个?|下一个?)季度"
                r"|Q(?P<q>[1-4])(?:季度)?"),
    ("half", r"(?P<h>上|下)半年"),
    ("half_month", r"(?P<h>上|下)半(?:个)?月(?!份)"),  # 上半月: the 1st-15th, a part of the month
    ("season", r"(?P<s>春季|夏季|秋季|冬季|春天|夏天|秋天|冬天|暑假|寒假|暑期)"),
    # months
    ("month", r"(?P<m>1[0-2]|0?[1-9]|十[一二]|[一二三四五六七八九十])月(?:份)?(?!内|以来)"
              r"(?:的?(?P<d>" + _DAYNUM + r")(?![0-9]|年|月|个|天|周|世纪)(?P<dsuf>日|号)?)?"),
    ("month_range", r"(?P<m1>1[0-2]|0?[1-9]|十[一二]|[一二三四五六七八九十])(?:月)?(?:-{1,2}|~|至|到)"
                    r"(?P<m2>1[0-2]|0?[1-9]|十[一二]|[一二三四五六七八九十])月(?:份)?"),
    ("month_rel", r"(?P<mr>" + _alt(REL_MONTH) + r")|(?P<first>首月)"),
    # weeks and weekdays
    ("weekday", r"(?P<rel>上上个?|下下个?|上一个?|下一个?|这一个?|上个?|下个?|这个?|本|今个?|同)?"
                + _WEEK + r"(?:的)?(?:" + _WEEK + r")?(?P<wd>[一二三四五六日天末])"),
    ("week_rel", r"(?P<rel>上上个?|下下个?|上一个?|下一个?|这一个?|上个?|下个?|这个?|本|今个|同)" + _WEEK + r"(?!几)"),
    ("nth_weekday", r"第(?P<n>" + NUM + r")个(?:周|星期|礼拜)(?P<wd>[一二三四五六日天])"),
    ("nth_week", r"第(?P<n>" + NUM + r")(?:个)?(?:周|星期|礼拜)"),
    # days
    ("day_rel", r"(?P<dr>" + _alt(REL_DAY) + r")"),
    ("nth_day", r"第(?P<n>" + NUM + r")天"),
    ("hour_range", r"(?P<h1>" + NUM + r")(?:点|时)?(?:~|至|到|-)(?P<h2>" + NUM + r")(?:点钟|点|时)(?P<half>半)?(?![0-9零〇一二三四五六七八九十]|刻|分|过|整)"),
    ("hour_pair", r"(?P<h1>一(?=二)|二(?=三)|三(?=四)|四(?=五)|五(?=六)|六(?=七)|七(?=八)|八(?=九)|九(?=十))(?P<h2>[二三四五六七八九十])(?:点钟|点)"),
    ("clock_cn", r"(?P<h>" + NUM + r")" + _HOUR_WORD + r"(?!间|候|期|代|刻钟|事|半刻|速|数)"
                 r"(?P<rest>整|半|过?一刻|过?三刻|(?P<q>[1-3一二三])刻"
                 r"|踏(?P<k>[0-9一二三四五六七八九十]+)|搭(?P<k2>[0-9一二三四五六七八九十]+)|踏半|搭半"
                 r"|(?P<k3>[一二三四五六七八九十]+)个字"
                 r"|(?:过|零)?(?P<mi>[0-5]?[0-9]|" + NUM + r")(?:分(?:钟)?)?(?:(?P<s>[0-5]?[0-9]|" + NUM + r")秒)?)?(?P<more>多钟|多)?(?P<zh>钟)?" + _APPROX),
    ("day_num", r"(?<![0-9.第])(?P<d>" + _DAYNUM + r")(?:日|号(?!" + _LABEL_AFTER_HAO + r"))"
                r"(?!元|本|报|子|常|期|记|益|军|产|用|语|文|志|程|化|趋|渐|夜)"),
    # durations
    ("duration", r"(?P<full>整整|足足|长达|大约|约|将近|超过)?" + _NUMX + r"(?P<to>(?:至|到|-|~)(?P<n2>" + NUM + r"))?"
                 r"(?P<more>多)?(?:个)?(?P<more3>多)?(?P<half>半)?(?P<u>秒钟|秒|分钟|小时|钟头|个钟头|个钟|天|周(?!年)|星期|礼拜|个月|年|世纪)"
                 r"(?!级|龄|薪|会|货|线)(?P<more2>多|左右|以上|之久)?"),
    ("duration_half", r"(?P<full>整整)?(?P<half>半)(?:个)?(?P<u>小时|钟头|天|月|年|世纪)"),
    ("whole", r"(?P<w>全天|整天|全年|全月|整晚|全周)"),
    # parts of the day
    ("pod", r"(?P<rel>今|昨|明|当|翌|次)(?P<pod>" + _alt(POD) + r")|(?P<pod2>" + _alt(p for p in POD if len(p) > 1) + r")"),
    # "12日晚", "周二早": a one-character part of the day right after a day
    ("pod_short", r"(?:(?<=[日号天])|(?<=[周期拜][一二三四五六日天]))(?P<pod>早|晚|晨|夜)(?![饭餐报会上间点场宴些于了到])"),
    # parts of a year / month, only kept after a year or month
    ("part", r"(?<![0-9一二两三四五六七八九十几每个多])(?P<p>年初|年中|年底|年末|年终|年尾|年内|伊始|开年|年头|月初|月中|月底|月末|上旬|中旬|下旬"
             r"|初期|中期|末期|前期|后期|初|中|底|末)"
             r"(?!国|央|心|方|间|部|文|外|美|俄|日|韩|朝|共|小|学|东|西|南|北|华|欧|亚|非|止|断|立|期|叶|旬|考|医|等|级|型|层|队|场|午|班|子|尾|稿|路)"),
    # sets
    ("every", r"每(?:个)?(?:(?P<wk>周|星期|礼拜)(?P<wd>[一二三四五六日天])|(?P<u>天|日|晚|周|星期|礼拜|月|年|小时|季度))"),
    # vague references
    ("vague", r"(?P<v>" + _alt(VAGUE) + r")"),
    # "马上" / "立刻": right now (not the 上 of a following 上周 / 上个月)
    ("imminent", r"(?P<v>" + _alt(_IMMINENT) + r")(?!周|星期|礼拜|个?月|半)"),
]

#: no expression starts inside a number: "2023" is not also read as "023", "三十五天" not as "十五天"
_INSIDE = r"(?!(?<=[0-9])[0-9])(?!(?<=[零〇○一二两三四五六七八九十百千万])[零〇○一二两三四五六七八九十百千万])"


def _rule_parts() -> list[tuple[str, str, str | None]]:
    """(rule, its pattern as a named group of the master, the characters it can start with)."""
    parts = []
    for name, pat in RULES:
        # named groups must be unique across rules: prefix each rule's own groups with its name
        pat = re.sub(r"\(\?P<(\w+)>", lambda m, n=name: f"(?P<{n}__{m.group(1)}>", pat)
        pat = re.sub(r"\(\?P=(\w+)\)", lambda m, n=name: f"(?P={n}__{m.group(1)})", pat)
        own = _first_chars(pat)  # each rule fails at its first character where it cannot start
        parts.append((name, f"(?P<R_{name}>(?={own}){pat})" if own else f"(?P<R_{name}>{pat})", own))
        _GROUPED.append((name, pat))
    return parts


_GROUPED: list[tuple[str, str]] = []  # (rule, its pattern with its groups renamed)
_PARTS = _rule_parts()


def _compile_master() -> re.Pattern:
    """One regex for all rules; each rule's groups are prefixed with its name."""
    body = "|".join(p for _, p, _ in _PARTS)
    first = _first_chars(body)
    return re.compile(f"(?={first}){_INSIDE}(?:{body})" if first else body)


MASTER = _compile_master()

# A document scan with MASTER tries every rule at every position where some rule can start
# (a fifth of Chinese news text). _master_matches() instead jumps to those positions and tries
# only the rules that can start with the character there, in MASTER's order, so it finds the
# same matches as MASTER.finditer() with a fraction of the work.
_OWN_CHARS: list[tuple[str, frozenset[str]]] = []
if all(own for _, _, own in _PARTS):
    for _name, _pat, _own in _PARTS:  # _first_chars() lists every character, escaped
        _OWN_CHARS.append((_name, frozenset(re.sub(r"\\(.)", r"\1", _own[1:-1], flags=re.S))))
else:  # pragma: no cover - every rule has a first-character class today
    _OWN_CHARS = []


def _word_rules() -> dict[str, set[str]]:
    """Rules whose every match begins with one of a list of words: rule -> those words."""
    rel = "今昨明当翌次"
    words = {
        "holiday": set(_HOLIDAY_NAMES) | {"东正教"},
        "year_rel": set(REL_YEAR), "month_rel": set(REL_MONTH) | {"首月"}, "day_rel": set(REL_DAY),
        "vague": set(VAGUE), "whole": {"全天", "整天", "全年", "全月", "整晚", "全周"},
        "pod": {r + p for r in rel for p in POD} | {p for p in POD if len(p) > 1},
    }
    own = dict(_OWN_CHARS)
    # a list that does not give exactly the rule's first characters is out of date: not used
    return {k: v for k, v in words.items() if k in own and {w[0] for w in v} == set(own[k])}


def _compile_start() -> re.Pattern | None:
    """Where a match can begin: a character some rule starts with and, where only word-list
    rules start with it (国, 是, 正 ... begin far more words than holidays), one of their words."""
    if not _OWN_CHARS or not MASTER.pattern.startswith("(?=["):
        return None
    lists = _word_rules()
    chars = set().union(*(c for _, c in _OWN_CHARS))
    listed = {c for c in chars if all(name in lists for name, cs in _OWN_CHARS if c in cs)}
    plain = "".join(re.escape(c) for c in sorted(chars - listed))
    if not listed:
        return re.compile(f"[{plain}]")
    words = {w for name in lists for w in lists[name] if w[0] in listed}
    first = "".join(re.escape(c) for c in sorted(listed))
    return re.compile(f"[{plain}]|(?=[{first}])(?={_alt(words)})")


_START = _compile_start()
_SUBSET: dict[str, tuple[str, ...]] = {}
_SUB: dict[tuple[str, ...], re.Pattern] = {}


def _sub_master(ch: str) -> re.Pattern:
    """MASTER restricted to the rules that can start with ``ch`` (compiled once per rule set)."""
    key = _SUBSET.get(ch)
    if key is None:
        key = _SUBSET[ch] = tuple(name for name, chars in _OWN_CHARS if ch in chars)
    rx = _SUB.get(key)
    if rx is None:
        # every rule here can start with ``ch`` and the sub-master only runs where ``ch`` is:
        # the rules' first-character lookaheads would always pass, so they are left out
        body = "|".join(f"(?P<R_{name}>{pat})" for name, pat in _GROUPED if name in key) or "(?!)"
        rx = _SUB[key] = re.compile(f"{_INSIDE}(?:{body})")
    return rx


_MATCHERS: dict[str, Any] = {}  # character -> the match method of its sub-master


def _master_matches(folded: str) -> list:
    """The matches of ``MASTER.finditer(folded)``, found by jumping between candidate positions."""
    if _START is None:  # pragma: no cover
        return list(MASTER.finditer(folded))
    out = []
    pos = 0
    matchers = _MATCHERS
    for c in _START.finditer(folded):
        p = c.start()
        if p < pos:  # inside the last match
            continue
        ch = folded[p]
        match = matchers.get(ch)
        if match is None:
            match = matchers[ch] = _sub_master(ch).match
        m = match(folded, p)
        if m is not None:
            out.append(m)
            pos = m.end()
    return out
#: rule -> [(group name inside the rule, group name in MASTER)]
_GROUPS = {name: [(k.split("__", 1)[1], k) for k in MASTER.groupindex if k.startswith(name + "__")]
           for name, _ in RULES}


# ----------------------------------------------------------------------------- builders
# Each builder turns one rule's match into a description (a dict of fields), or None.
# Date fields: C (century), DEC (decade), Y / Yr (year, relative year), Q / H / S (quarter,
# half, season), M / Mr, Wr (relative week), D / Dr, wd (weekday), hol (holiday), pod,
# h / mi / s (clock). Other kinds: dur (a duration), rel (an amount from now), last (the last /
# next N units), part (a position inside the previous atom), vague.

_LEVEL = {"C": 0, "DEC": 1, "Y": 2, "Yr": 2, "Q": 3, "Qr": 3, "H": 3, "S": 3, "M": 4, "Mr": 4, "Wr": 5,
          "nthw": 5, "D": 6, "Dr": 6, "wd": 6, "hol": 6, "lun": 6, "nthd": 6, "pod": 7, "h": 8,
          "mi": 9, "s": 10}
_UNIT_OF = {"秒钟": "second", "秒": "second", "分钟": "minute", "小时": "hour", "钟头": "hour",
            "个钟头": "hour", "个钟": "hour", "刻钟": "quarter_hour", "天": "day", "日": "day",
            "周": "week", "星期": "week", "礼拜": "week", "个月": "month", "月": "month",
            "季度": "quarter", "年": "year", "世纪": "century"}


def _year2(yy: int, ref) -> int:
    """A two-digit year: 20yy unless that is more than ten years after the reference, else 19yy."""
    y = 2000 + yy
    return y - 100 if ref is not None and y > ref.year + 10 else y


def _year(s: str) -> int | None:
    """A written year; two-digit ones come back negative (-(yy+1)) to resolve against the reference."""
    n = cn2num(s)
    if n is None:
        return None
    return n if len(s) >= 3 else -(n + 1)  # negative marks a two-digit year, resolved later


def _n(s: str | None) -> float | None:
    """An amount, or None for 几/数/若干 (a vague amount)."""
    if not s:
        return None
    if re.fullmatch(_FEW, s):
        return None
    return cn2num(s)


def _b_ymd(g):
    y, m, d = int(g["y"]), int(g["m"]), int(g["d"])
    if len(g["y"]) == 2:
        y = -(y + 1)
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    f = {"Y": y, "M": m, "D": d}
    if g.get("hh"):
        f.update(h=int(g["hh"]), mi=int(g["mi"]), clock24=True)
        if g.get("ss"):
            f["s"] = int(g["ss"])
    return f


def _b_md(g):
    m, d = int(g["m"]), int(g["d"])
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    f = {"M": m, "D": d}
    # "2/3" is as often a fraction and "10-12" a span of numbers: a date only with 号/日,
    # 9·11-style dots, a zero-padded month ("09-01") or a clock time after it
    if g.get("sep") == "/" and not g.get("suf") or g.get("sep") is None and not g["m"].startswith("0"):
        f["weak"] = True
    return f


def _b_ym(g):
    return {"Y": int(g["y"]), "M": int(g["m"])}


def _b_clock_num(g):
    h, mi = int(g["hh"]), int(g["mi"])
    ap = (g.get("ap") or "").lower()
    if ap.startswith("p") and h < 12:
        h += 12
    if h > 24:
        if g.get("ss") is None:  # "35:37" is minutes and seconds
            return {"mmss": (h, mi)} if h < 60 else None
        return None
    f = {"h": h, "mi": mi, "clock24": h > 12 or h == 0 or bool(ap) or len(g["hh"]) == 2}
    if g.get("ss"):
        f["s"] = int(g["ss"])
    if g.get("approx"):
        f["mod"] = "APPROX"
    return f


def _b_clock_ampm(g):
    h = int(g["hh"])
    if g["ap"].lower() == "pm" and h < 12:
        h += 12
    return {"h": h, "clock24": True}


def _century(s: str) -> int | None:
    """Century number of 上世纪 / 本世纪 (-1 / 0, relative) or of 20世纪 (20)."""
    if s.startswith("上"):
        return -1
    if s.startswith(("本", "这")):
        return 0
    n = cn2num(s)
    return None if n is None or not 1 <= n <= 30 else n


_DEC_PART = {"初期": (0, 3), "前期": (0, 3), "初": (0, 3), "中期": (3, 4), "中": (3, 4),
             "末期": (7, 3), "后期": (7, 3), "末": (7, 3)}
_CENT_PART = {"初期": (0, 20), "前期": (0, 20), "初叶": (0, 20), "初": (0, 20), "中期": (40, 20),
              "中叶": (40, 20), "中": (40, 20), "末期": (80, 20), "后期": (80, 20), "末叶": (80, 20),
              "末": (80, 20)}


def _b_decade(g):
    dec = g["dec"]
    n = cn2num(dec) if not dec.isdigit() else int(dec)
    if n is None:
        return None
    f = {"DEC": n}
    if g.get("cent"):
        c = _century(g["cent"])
        if c is None:
            return None
        f["C"] = c
    if g.get("part"):
        f["subyears"] = _DEC_PART[g["part"]]
    return f


def _b_century(g):
    c = _century(g["cent"])
    if c is None:
        return None
    f = {"C": c}
    if g.get("part"):
        f["subyears"] = _CENT_PART[g["part"]]
    return f


def _b_holiday(g):
    name = g["hol"]
    f = {"hol": name, "orth": bool(g.get("orth"))}
    if g.get("orth") and name not in HOLIDAYS_EASTER:
        return None
    if g.get("hn"):
        f["holday"] = cn2num(g["hn"])
    return f


_DIRS = {"前": "ago", "后": "later", "之前": "before", "以前": "before", "之后": "after",
         "以后": "after", "以来": "since", "来": "since", "之内": "within", "以内": "within",
         "内": "within"}


def _amount(g):
    """(amount, unit) of a rule's n / half / u groups; 刻钟 counts in minutes."""
    if g.get("n") in _APPROX_PAIRS:
        n = _APPROX_PAIRS[g["n"]]
    else:
        n = _n(g.get("n")) if g.get("n") else (0 if g.get("half") else None)
    if g.get("half"):
        n = (n or 0) + 0.5
    unit = _UNIT_OF[g["u"]]
    if unit == "quarter_hour":
        unit, n = "minute", None if n is None else n * 15
    return n, unit


def _b_rel_ago(g):
    n, unit = _amount(g)
    if g.get("n") and re.fullmatch(_FEW, g["n"]) is None and n is None:
        return None
    more = bool(g.get("more") or g.get("more3") or (g.get("more2") == "多") or g.get("n") in _APPROX_PAIRS)
    if g.get("half2"):
        n = None if n is None else n + 0.5
    f = {"rel": (n, unit, _DIRS[g["dir"]]), "more": more, "few": n is None}
    scale = {"几十": 10, "数十": 10, "几百": 100, "数百": 100, "几千": 1000}.get(g.get("n") or "")
    if scale and not g.get("half") and not g.get("half2"):
        f["scale"] = scale  # 几十年后: 20 to 100 years ahead
    tens = re.fullmatch(r"([一二三四五六七八九]?)十几", g.get("n") or "")
    if tens and not g.get("half") and not g.get("half2"):
        f["tens"] = cn2num(tens.group(1)) or 1  # 二十几年前: 20 to 30 years back
    return f


def _b_rel_workday(g):
    n = _n(g["n"])
    if n is None or n != int(n) or not 0 < n < 1000:
        return None
    return {"rel": (int(n), "workday", _DIRS[g["dir"]]), "more": False, "few": False}


def _b_rel_last(g):
    n, unit = _amount(g)
    which = g["which"].rstrip("的")
    return {"last": (which, n, unit), "few": n is None, "more": bool(g.get("more") or g.get("more3"))}


def _b_rel_one(g):
    which = (g.get("which") or g["which2"]).rstrip("的")
    return {"last": (which, 1, _UNIT_OF[g["u"]]), "few": False}


def _lunar_day(s: str | None) -> int | None:
    """Day of a lunar month: 初八 -> 8, 十五 -> 15."""
    if not s:
        return None
    return cn2num(s[1:]) if s.startswith("初") else cn2num(s)


def _b_lunar(g):
    m = {"正": 1, "腊": 12, "冬": 11}.get(g["m"]) or cn2num(g["m"])
    d = _lunar_day(g.get("d"))
    if m is None or not 1 <= m <= 12 or (d is not None and not 1 <= d <= 30):
        return None
    f = {"lun": (m, d)}
    if g.get("y"):
        f["Y"] = _year(g["y"][:-1])
    return f


def _b_lunar_day(g):
    d = _lunar_day(g["d"])
    return {"lun": (1 if d != 30 else 0, d)} if d and 1 <= d <= 30 else None


def _b_year_num(g):
    y = _year(g["y"])
    if y is None:
        return None
    f = {"Y": y}
    if y < 0:
        f["weak"] = True  # "24年" alone is more often an amount than a year
    return f


def _b_year_bare(g):
    return {"Y": int(g["y"]), "weak": True}


_ANA_YEAR = {"次年", "翌年", "同年", "当年", "是年"}
_ANA_MONTH = {"次月", "翌月", "同月", "当月", "是月"}


def _b_year_rel(g):
    f = {"Yr": REL_YEAR[g["yr"]]}
    if g["yr"] in _ANA_YEAR:
        f["ana_y"] = True
    return f


def _b_year_pair(g):
    return {"Yr": 0, "Yspan": 2}


_Q_REL = {"上": -1, "上个": -1, "上一": -1, "上一个": -1, "下": 1, "下个": 1, "下一": 1,
          "下一个": 1, "本": 0, "这": 0, "这个": 0, "当": 0}


def _b_quarter(g):
    if g.get("q"):
        return {"Q": int(g["q"])}
    w = g["which"]
    if w in _Q_REL:
        return {"Qr": _Q_REL[w]}
    n = 1 if w == "首" else cn2num(w.lstrip("第"))
    return {"Q": n} if n and 1 <= n <= 4 else None


def _b_half(g):
    return {"H": 1 if g["h"] == "上" else 2}


_SEASON = {"春": "spring", "夏": "summer", "秋": "autumn", "冬": "winter"}


def _b_season(g):
    s = g["s"]
    if s in ("暑假", "暑期"):
        return {"S": "summer_break"}
    if s == "寒假":
        return {"S": "winter_break"}
    return {"S": _SEASON[s[0]]}


def _b_month(g):
    m = cn2num(g["m"])
    if m is None or not 1 <= m <= 12:
        return None
    f = {"M": m}
    if g.get("d"):
        d = cn2num(g["d"])
        if d is None or not 1 <= d <= 31:
            return None
        if not g.get("dsuf") and not g["d"].isascii() and d <= 30:
            # a day in Chinese numerals with no 日/号 is how lunar dates are written (八月十五,
            # 十一月廿九); solar dates take 日 or Arabic digits
            return {"lun": (m, d)}
        f["D"] = d
    return f


def _b_month_range(g):
    m1, m2 = cn2num(g["m1"]), cn2num(g["m2"])
    if not (m1 and m2 and 1 <= m1 <= 12 and 1 <= m2 <= 12 and m1 != m2):
        return None
    return {"M": m1, "rng": {"M": m2}}  # "8月至2月": the end wraps into the next year


def _b_month_rel(g):
    if g.get("first"):
        return {"sub": ("前", 1, "month")}
    f = {"Mr": REL_MONTH[g["mr"]]}
    if g["mr"] in _ANA_MONTH:
        f["ana_m"] = True
    return f


def _week_rel(rel: str | None) -> int | None:
    """Week offset of 上 / 下 / 这 / 上上 ... before 周."""
    if rel is None:
        return None
    return REL_WEEK_PREFIX.get(rel, REL_WEEK_PREFIX.get(rel.rstrip("个")))


def _b_weekday(g):
    f = {"wd": "weekend" if g["wd"] == "末" else WEEKDAY[g["wd"]]}
    wr = _week_rel(g.get("rel"))
    if wr is not None:
        f["Wr"] = wr
    return f


def _b_week_rel(g):
    wr = _week_rel(g["rel"])
    return None if wr is None else {"Wr": wr}


def _b_nth_weekday(g):
    n = cn2num(g["n"])
    return {"nthwd": (n, WEEKDAY[g["wd"]])} if n and 1 <= n <= 5 else None


def _b_last_weekday(g):
    return {"nthwd": (-1, WEEKDAY[g["wd"]])}


def _b_half_month(g):
    return {"part": g["h"] + "半月"}


def _b_nth_week(g):
    n = cn2num(g["n"])
    return {"nthw": n} if n and 1 <= n <= 53 else None


def _b_day_rel(g):
    f = {"Dr": REL_DAY[g["dr"]]}
    if g["dr"] in ANAPHORIC:
        f["ana"] = True
    return f


def _b_nth_day(g):
    n = cn2num(g["n"])
    return {"nthd": n} if n and 1 <= n <= 366 else None


def _b_day_num(g):
    d = cn2num(g["d"])
    if d is None or not 1 <= d <= 31:
        return None
    f = {"D": d}
    if len(g["d"]) == 1 and not g["d"].isdigit():
        f["weak"] = True  # "一日" is as often "one day"
    return f


def _b_hour_range(g):
    h1, h2 = cn2num(g["h1"]), cn2num(g["h2"])
    if h1 is None or h2 is None or not (0 <= h1 <= 24 and 0 <= h2 <= 24):
        return None
    return {"hrange": (h1, h2, 30 if g.get("half") else None)}


def _b_hour_pair(g):
    h1, h2 = cn2num(g["h1"]), cn2num(g["h2"])
    if h1 is None or h2 is None or h2 != h1 + 1:
        return None
    return {"hrange": (h1, h2, None), "hpair": True}


def _b_clock_cn(g):
    h = cn2num(g["h"])
    if h is None or not 0 <= h <= 24:
        return None
    f: dict[str, Any] = {"h": h}
    rest = g.get("rest") or ""
    if rest in ("半", "踏半", "搭半"):
        f["mi"] = 30
    elif rest.endswith("刻"):
        q = 1 if "一" in rest or rest.endswith("1刻") else 3 if "三" in rest or "3" in rest else 2
        f["mi"] = 15 * q
    elif g.get("mi"):
        mi = cn2num(g["mi"])
        if mi is None or mi > 59:
            return None
        f["mi"] = mi
        if g.get("s"):
            s = cn2num(g["s"])
            if s is None or s > 59:
                return None
            f["s"] = s
    elif g.get("k") or g.get("k2") or g.get("k3"):  # Cantonese 三点踏三 / 三点三个字: 5-minute marks
        k = cn2num(g.get("k") or g.get("k2") or g.get("k3"))
        if k is None or k > 11:
            return None
        f["mi"] = 5 * k
    elif rest == "整":
        f["mi_exact"] = True
    if g.get("approx") or g.get("more"):
        f["mod"] = "APPROX"
    if "mi" not in f and not rest and not g.get("approx") and not g.get("zh") and not g.get("more") \
            and len(g["h"]) == 1 and not g["h"].isdigit():
        f["weak"] = True  # "两点" / "一时" need a day or part of the day to be a clock time
    return f


def _b_duration(g):
    n, unit = _amount(g)
    f = {"dur": (n, unit)}
    if g.get("n2") or g.get("n") in _APPROX_PAIRS:
        f["mod"] = "EQUAL_OR_MORE"
    elif g.get("more") or g.get("more3") or g.get("more2") in ("多", "以上"):
        f["mod"] = "MORE_THAN"
    elif g.get("more2") == "左右" or g.get("full") in ("大约", "约"):
        f["mod"] = "APPROX"
    elif g.get("full") in ("将近",):
        f["mod"] = "LESS_THAN"
    elif g.get("full") in ("超过",):
        f["mod"] = "MORE_THAN"
    if n is not None and n == int(n) and n < 2 and unit in ("year",) and not g.get("full"):
        f["weak"] = True
    if not g.get("full") and not g.get("half") and not g.get("more") and not g.get("more2") \
            and g["u"] in ("天", "年", "周") and g.get("n") and len(g["n"]) == 1 and g["n"] in "一":
        f["weak"] = True  # "一天" / "一年" inside idioms
    return f


def _b_duration_half(g):
    return {"dur": (0.5, _UNIT_OF[g["u"]])}


def _b_whole(g):
    return {"whole": g["w"]}


def _b_pod(g):
    if g.get("pod2"):
        return {"pod": POD[g["pod2"]], "podw": g["pod2"]}
    f = {"pod": POD[g["pod"]], "podw": g["pod"]}
    f["Dr"] = REL_DAY_SHORT[g["rel"]]
    if g["rel"] in ANAPHORIC:
        f["ana"] = True
    return f


def _b_pod_short(g):
    return {"pod": POD[g["pod"]], "podw": g["pod"]}


def _b_part(g):
    return {"part": g["p"]}


def _b_every(g):
    if g.get("wd"):
        return {"set": ("weekday", WEEKDAY[g["wd"]])}
    unit = {"晚": "day", "日": "day"}.get(g["u"]) or _UNIT_OF[g["u"]]
    return {"set": (unit, None)}


def _b_vague(g):
    return {"vague": g["v"]}


_BUILDERS = {
    "ymd_num": _b_ymd, "ymd_mixed": _b_ymd, "ymd_compact": _b_ymd, "ymd_space": _b_ymd,
    "mdy_num": _b_ymd, "ym_num": _b_ym, "md_num": _b_md, "md_dash": _b_md,
    "clock_num": _b_clock_num, "clock_ampm": _b_clock_ampm, "decade": _b_decade,
    "century": _b_century, "holiday": _b_holiday, "rel_ago": _b_rel_ago,
    "rel_half_ago": _b_rel_ago, "rel_last": _b_rel_last, "rel_last_half": _b_rel_last, "rel_one": _b_rel_one,
    "rel_workday": _b_rel_workday, "lunar_date": _b_lunar, "lunar_month": _b_lunar, "lunar_day": _b_lunar_day,
    "year_pair": _b_year_pair, "year_num": _b_year_num, "year_num_before": _b_year_num,
    "year_rel": _b_year_rel, "year_bare": _b_year_bare, "quarter": _b_quarter, "half": _b_half,
    "season": _b_season, "month": _b_month, "month_rel": _b_month_rel, "month_range": _b_month_range, "weekday": _b_weekday,
    "week_rel": _b_week_rel, "nth_weekday": _b_nth_weekday, "nth_week": _b_nth_week,
    "day_rel": _b_day_rel, "nth_day": _b_nth_day, "hour_range": _b_hour_range,
    "hour_pair": _b_hour_pair, "clock_cn": _b_clock_cn, "day_num": _b_day_num,
    "duration": _b_duration, "duration_half": _b_duration_half, "whole": _b_whole,
    "pod": _b_pod, "part": _b_part, "vague": _b_vague, "every": _b_every, "pod_short": _b_pod_short,
    "last_weekday": _b_last_weekday, "half_month": _b_half_month, "imminent": _b_vague,
}


# ----------------------------------------------------------------------------- atoms and joining

def _atoms(folded: str) -> list[tuple[int, int, str, dict]]:
    """Every rule match in ``folded`` as (start, end, rule, fields)."""
    out = []
    for m in _master_matches(folded):
        rule = m.lastgroup[2:] if m.lastgroup and m.lastgroup.startswith("R_") else None
        if rule is None:  # lastgroup is the innermost group: find the rule that matched
            rule = next(k[2:] for k, v in m.groupdict().items() if k.startswith("R_") and v is not None)
        g = {short: m.group(full) for short, full in _GROUPS[rule]}
        f = _BUILDERS[rule](g)
        if f is not None:
            out.append((m.start(), m.end(), rule, f))
    return out


_DATE_KEYS = set(_LEVEL)
_GLUE = re.compile(r"(?:的|\s|,\s*|、)?")
_RANGE_SEP = re.compile(r"\s*起?(?:至|到|~|-{1,2}|—|直至|直到|一直到)\s*")
_FROM = re.compile(r"(?:从|自|由)$")
_BETWEEN_SEP = re.compile(r"\s*(?:和|与|跟|到|至)\s*")
_LIST_SEP = re.compile(r"\s*(?:、|,|和|及|与|或|以及)\s*")
_BEFORE = re.compile(r"(?:以前|之前|前)(?!往|进|夕|线|方|景|者|身|任|提|所|列|期|哨|锋)")
_AFTER = re.compile(r"(?:以后|之后|起|开始)(?!来|者|身|期|码|义)")
_UNTIL_NOW = re.compile(r"\s*(?:至今|至今日|到现在|到今天|迄今)")


def _levels(f: dict) -> tuple[int, int]:
    """(coarsest, finest) level of the date fields in ``f``; (99, -1) when it has none."""
    lv = [_LEVEL[k] for k in f if k in _LEVEL]
    if "nthwd" in f:
        lv.append(6)
    if "hrange" in f or "mmss" in f:
        lv.append(8)
    if "sub" in f:
        lv.append(5)
    return (min(lv), max(lv)) if lv else (99, -1)


def _mergeable(a: dict, b: dict, gap: str) -> bool:
    """Can atom ``b`` refine composite ``a`` (2023年 + 9月12日, 周二 + 早上, 今晚 + 8点)?"""
    if any(k in a or k in b for k in ("dur", "rel", "vague", "whole", "set")):
        return False
    if "part" in b:
        return gap == "" and _levels(a)[1] in (0, 1, 2, 3, 4) and "part" not in a
    if "last" in b:
        w = b["last"][0]
        return gap == "" and w in ("前", "后", "最后") and _levels(a)[1] in (2, 3, 4) \
            and "part" not in a and b["last"][1] is not None
    if "last" in a or "part" in a and "pod" not in b and "h" not in b:
        return False
    if not any(k in b for k in _DATE_KEYS) and "nthwd" not in b and "hrange" not in b \
            and "sub" not in b:
        return False
    la, lb = _levels(a), _levels(b)
    if gap.strip(" ") in (",", "、") or gap == " ":
        # "周日, 二月十号" / "2018-11-29 18:59": a weekday and a date name the same day
        if "wd" in a and "Wr" not in a and lb[0] in (2, 4, 6) and "D" in b:
            return True
        if gap == " " and "Y" in a and la[1] == 2 and "M" in b and lb[0] == 4:
            return True  # "2018年 12月": a written year, a space, its month
        if gap == " " and "M" in a and la[1] == 4 and "D" in b and lb[0] == 6:
            return True  # "12月 5日"
        return gap == " " and la[1] >= 6 and lb[0] >= 7
    if "wd" in b and "Wr" not in b and ("D" in a or "Dr" in a) and la[1] == 6:
        return True  # "6月1日周六": the weekday only restates the date
    if "Dr" in b and "pod" in b and la[1] <= 6:
        return False
    return lb[0] > la[1] or (lb[0] == la[1] == 6 and "Wr" in a and "wd" in b)


def _join(folded: str, atoms):
    """Join adjacent atoms that refine each other into composites: [[start, end, fields]]."""
    comps: list[list] = []
    for s, e, _rule, f in atoms:
        if comps:
            ps, pe, pf = comps[-1]
            gap = folded[pe:s]
            paren = gap.strip() == "(" and folded[e:e + 1] == ")" and (
                ("wd" in f and "D" in pf) or ("wd" in pf and "D" in f)) and "Wr" not in pf and "Wr" not in f
            if paren:  # "2023年9月12日(周二)" / "周三(22日)": the bracket restates the same day
                e += 1
                gap = ","
            if paren or len(gap) <= 2 and _GLUE.fullmatch(gap) and _mergeable(pf, f, gap):
                merged = dict(pf)
                if "wd" in f and ("D" in pf or "Dr" in pf):
                    f = {k: v for k, v in f.items() if k != "wd"}
                if "wd" in pf and "D" in f and "Wr" not in pf:
                    merged.pop("wd")
                for k, v in f.items():
                    if k == "weak":
                        continue
                    if k == "last":
                        merged["sub"] = v
                        continue
                    merged[k] = v
                merged["weak"] = False
                comps[-1] = [ps, e, merged]
                continue
        comps.append([s, e, dict(f)])
    return comps


# ----------------------------------------------------------------------------- holidays

def _calendar(name: str):
    """A lunisolar / lunar calendar (the one module :mod:`analysis.timex.calendars`)."""
    return calendars.holiday_calendar(name)


def _lunar_new_year(year: int):
    """Gregorian date of the lunar new year in ``year`` (None outside the tables)."""
    return calendars.lunar_new_year(year)


def _holiday_in(f: dict, year: int):
    """(start, days) of the holiday in ``f`` in Gregorian ``year``, or None."""
    import pandas as pd
    from dateutil.easter import EASTER_ORTHODOX, EASTER_WESTERN, easter

    name = f["hol"]
    if name in HOLIDAYS_FIXED:
        m, d = HOLIDAYS_FIXED[name]
        return pd.Timestamp(year=year, month=m, day=d), 1
    if name in HOLIDAYS_EASTER or name in HOLIDAYS_EASTER_SPAN:
        orth = f.get("orth") or name in _ORTHODOX_ONLY
        e = pd.Timestamp(easter(year, EASTER_ORTHODOX if orth else EASTER_WESTERN))
        if name in HOLIDAYS_EASTER_SPAN:
            off, days = HOLIDAYS_EASTER_SPAN[name]
            return e + pd.Timedelta(days=off), days
        return e + pd.Timedelta(days=HOLIDAYS_EASTER[name]), 1
    if name in HOLIDAYS_LUNAR:
        m, d = HOLIDAYS_LUNAR[name]
        return _lunar_to_solar(year, m, d), 1  # "2023年除夕": the eve that ends lunar year 2023
    if name in HOLIDAYS_TABLE:
        cal, method, off, days = HOLIDAYS_TABLE[name]
        c = _calendar(cal)
        if c is None:
            return None
        try:
            if method == "tu_bishvat":  # 15 Shevat: two (leap year: three) months before Passover
                pesach = c.passover_date(year)
                leap = (7 * (year + 3760) + 1) % 19 < 7
                got = None if pesach is None else pesach - pd.Timedelta(days=89 if leap else 59)
            else:
                got = getattr(c, method)(year)
            if got is None:
                return None
        except Exception:  # noqa: BLE001 - outside the table's years
            return None
        if isinstance(got, tuple):
            got = got[0]
        elif not hasattr(got, "year"):
            got = sorted(x[0] if isinstance(x, tuple) else x for x in got)
            got = next((x for x in got if x.year == year), None)
        if got is not None and got.year != year:
            return None
        if got is None:
            return None
        start = pd.Timestamp(got) + pd.Timedelta(days=off)
        if f.get("holday"):
            start = start + pd.Timedelta(days=f["holday"] - 2)
        return start, days
    return None


def _new_moon_day(k: int):
    """Beijing date of new moon number ``k`` after 2000-01-06 (Meeus, *Astronomical Algorithms* 49)."""
    import math

    import pandas as pd

    t = k / 1236.85
    jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * t * t
    e = 1 - 0.002516 * t - 0.0000074 * t * t
    m = math.radians(2.5534 + 29.10535670 * k)
    mp = math.radians(201.5643 + 385.81693528 * k + 0.0107582 * t * t)
    f = math.radians(160.7108 + 390.67050284 * k - 0.0016118 * t * t)
    om = math.radians(124.7746 - 1.56375588 * k + 0.0020672 * t * t)
    sin = math.sin
    jde += (-0.40720 * sin(mp) + 0.17241 * e * sin(m) + 0.01608 * sin(2 * mp) + 0.01039 * sin(2 * f)
            + 0.00739 * e * sin(mp - m) - 0.00514 * e * sin(mp + m) + 0.00208 * e * e * sin(2 * m)
            - 0.00111 * sin(mp - 2 * f) - 0.00057 * sin(mp + 2 * f) + 0.00056 * e * sin(2 * mp + m)
            - 0.00042 * sin(3 * mp) + 0.00042 * e * sin(m + 2 * f) + 0.00038 * e * sin(m - 2 * f)
            - 0.00024 * e * sin(2 * mp - m) - 0.00017 * sin(om) - 0.00007 * sin(mp + 2 * m)
            + 0.00004 * sin(2 * mp - 2 * f) + 0.00004 * sin(3 * m) + 0.00003 * sin(mp + m - 2 * f)
            + 0.00003 * sin(2 * mp + 2 * f) - 0.00003 * sin(mp + m + 2 * f))
    # Julian day (TT; the ~1 minute to UT does not move a date) -> Beijing (UTC+8) calendar day
    utc8 = pd.Timestamp("1970-01-01") + pd.Timedelta(days=jde - 2440587.5, hours=8)
    return utc8.normalize()


@lru_cache(maxsize=64)
def _lunar_month_starts(year: int):
    """Gregorian first days of the months of lunar year ``year`` (12 or 13) and of the next year's first."""
    import pandas as pd

    ny, ny2 = _lunar_new_year(year), _lunar_new_year(year + 1)
    if ny is None or ny2 is None:
        return None
    k = round((ny - pd.Timestamp("2000-01-06")) / pd.Timedelta(days=29.530588861))
    while _new_moon_day(k) > ny:
        k -= 1
    while _new_moon_day(k) < ny:
        k += 1
    if _new_moon_day(k) != ny:  # pragma: no cover - the table and the astronomy disagree
        return None
    starts = [ny]
    while starts[-1] < ny2:
        k += 1
        starts.append(_new_moon_day(k))
    return tuple(starts) if starts[-1] == ny2 and len(starts) in (13, 14) else None


def _sun_sector(day) -> int:
    """Which 30-degree sector the sun's apparent longitude is in at 00:00 Beijing time on ``day``."""
    import math

    import pandas as pd

    t = ((day - pd.Timestamp("1970-01-01")).total_seconds() / 86400 - 8 / 24 + 2440587.5 - 2451545.0) / 36525
    m = math.radians(357.52911 + 35999.05029 * t - 0.0001537 * t * t)
    lon = (280.46646 + 36000.76983 * t + 0.0003032 * t * t
           + (1.914602 - 0.004817 * t) * math.sin(m) + 0.019993 * math.sin(2 * m)
           + 0.000289 * math.sin(3 * m)
           - 0.00569 - 0.00478 * math.sin(math.radians(125.04 - 1934.136 * t)))
    return int((lon % 360) // 30)


def _lunar_month_index(year: int, m: int):
    """Index of lunar month ``m`` (not a leap one) in :func:`_lunar_month_starts`, when certain.

    In a year of 13 months the leap month is the first one in which no principal solar term
    (a multiple of 30 degrees of the sun's longitude) falls; the festivals the ``holidays``
    package tabulates must agree, else None.
    """
    import pandas as pd

    starts = _lunar_month_starts(year)
    if starts is None or not 1 <= m <= 12:
        return None
    if len(starts) == 13:  # no leap month
        return m - 1
    sectors = [_sun_sector(d) for d in starts]
    leap = next((i for i in range(1, len(starts) - 1) if sectors[i] == sectors[i + 1]), None)
    if leap is None:  # pragma: no cover
        return None
    idx = m - 1 if m - 1 < leap else m
    try:
        from holidays.calendars import _ChineseLunisolar
    except ImportError:  # pragma: no cover
        return idx
    c = _ChineseLunisolar()
    for (mm, dd), fn in (((5, 5), c.dragon_boat_date), ((8, 15), c.mid_autumn_date),
                         ((9, 9), c.double_ninth_date)):
        got = fn(year)[0]
        want = mm - 1 if mm - 1 < leap else mm
        if got is not None and pd.Timestamp(got) - pd.Timedelta(days=dd - 1) != starts[want]:
            return None  # the astronomy and the tables disagree: do not guess
    return idx


def _lunar_month(year: int, m: int):
    """(first day, first day of the next month) of lunar month ``m`` of ``year``, or None if unsure."""
    idx = _lunar_month_index(year, m)
    starts = _lunar_month_starts(year)
    if idx is None or starts is None:
        return None
    return starts[idx], starts[idx + 1]


def _lunar_to_solar(year: int, m: int, d: int | None):
    """Gregorian day of lunar month ``m`` day ``d`` of lunar year ``year`` (month 0: new year's eve).

    Exact for 正月 and 除夕 (counted from the lunar new year) and for the festivals the
    ``holidays`` package tabulates (端午, 中秋, 重阳); other months start on the Beijing day of
    their new moon (:func:`_lunar_month`). Outside the tables, days are counted from the nearest
    festival, so they can be a day off where a lunar month has 29 days.
    """
    import pandas as pd

    try:
        from holidays.calendars import _ChineseLunisolar
    except ImportError:
        return None
    c = _ChineseLunisolar()
    table = {(5, 5): c.dragon_boat_date, (8, 15): c.mid_autumn_date, (9, 9): c.double_ninth_date}
    if (m, d) in table:
        got = table[(m, d)](year)[0]
        return None if got is None else pd.Timestamp(got)
    if m == 0:  # the eve that ends lunar year ``year``
        ny = _lunar_new_year(year + 1)
        return None if ny is None else ny - pd.Timedelta(days=1)
    if m == 1:
        ny = _lunar_new_year(year)
        return None if ny is None else ny + pd.Timedelta(days=(d or 1) - 1)
    got = _lunar_month(year, m)
    if got is not None and (d or 1) <= (got[1] - got[0]).days:
        return got[0] + pd.Timedelta(days=(d or 1) - 1)
    # else: count from the nearest known festival (accurate to the month length, +-1 day)
    anchors = [(1, 1, _lunar_new_year(year)), (5, 5, table[(5, 5)](year)[0]),
               (8, 15, table[(8, 15)](year)[0]), (9, 9, table[(9, 9)](year)[0]),
               (13, 1, _lunar_new_year(year + 1))]
    target = (m - 1) * 29.53 + (d or 1)
    best = min((a for a in anchors if a[2] is not None),
               key=lambda a: abs((a[0] - 1) * 29.53 + a[1] - target))
    days = round(target - ((best[0] - 1) * 29.53 + best[1]))
    return pd.Timestamp(best[2]) + pd.Timedelta(days=days)


# ----------------------------------------------------------------------------- the resolver

def _choose_year(candidates, ref, tense):
    """Pick (year, start) among candidate starts by the clause's tense."""
    import pandas as pd

    day = T.floor(ref, "day")
    cands = [(y, s) for y, s in candidates if s is not None]
    if not cands:
        return None
    if tense == "future":
        fut = [c for c in cands if c[1] >= day]
        return min(fut, key=lambda c: c[1]) if fut else cands[-1]
    if tense == "past":
        past = [c for c in cands if c[1] <= day]
        return max(past, key=lambda c: c[1]) if past else cands[0]
    return min(cands, key=lambda c: abs((c[1] - day) / pd.Timedelta(days=1)))


def _holiday_window(f, year, ref, tense):
    """The day (or days) of the holiday in ``f``: in ``year``, or the year the tense picks."""
    import pandas as pd

    if year is not None:
        got = _holiday_in(f, year)
    else:
        cands = [(y, (_holiday_in(f, y) or (None,))[0]) for y in (ref.year - 1, ref.year, ref.year + 1)]
        pick = _choose_year(cands, ref, tense)
        got = _holiday_in(f, pick[0]) if pick else None
    if got is None or got[0] is None:
        return None
    start, days = got
    if days > 1:
        return start, start + pd.Timedelta(days=days), "day", T.timex_value(start, "day"), None
    return start, start + pd.Timedelta(days=1), "day", T.timex_value(start, "day"), None


def _lunar_window(f, year, ref, tense, mode):
    """The day or month of the lunar date in ``f``."""
    import pandas as pd

    m, d = f["lun"]
    if year is not None:
        start = _lunar_to_solar(year, m, d)
    else:
        cands = [(y, _lunar_to_solar(y, m, d)) for y in (ref.year - 1, ref.year, ref.year + 1)]
        pick = _choose_year(cands, ref, tense if mode == "find" else None)
        start = pick[1] if pick else None
    if start is None:
        return None
    if d is None:
        got = _lunar_month(start.year if year is None else year, m) if m >= 1 else None
        if got is not None and got[0] != start:  # the lunar year began in the solar one before
            got = _lunar_month(start.year - 1, m)
        end = got[1] if got is not None and got[0] == start else start + pd.Timedelta(days=30)
        return start, end, "month", T.timex_value(start, "month"), None
    return start, start + pd.Timedelta(days=1), "day", T.timex_value(start, "day"), None


def _weekday_window(f, ref, tense, day0):
    """The weekday (or weekend) in ``f``: in the week ``Wr`` names, else the nearest one."""
    import pandas as pd

    wd = f["wd"]
    anchor = T.weekday_in_week(ref, 0, f["Wr"]) if "Wr" in f else None
    if wd == "weekend":
        if anchor is None:
            anchor = T.floor(ref, "week")
            if tense == "past" and day0 < anchor + pd.Timedelta(days=5):
                anchor -= pd.Timedelta(weeks=1)
        s = anchor + pd.Timedelta(days=4, hours=18)
        e = anchor + pd.Timedelta(days=7)
        return s, e, "week", T.timex_value(anchor, "week") + "-WE", None
    if anchor is not None:
        d = anchor + pd.Timedelta(days=wd)
    else:
        d = T.nearest_weekday(ref, wd, tense)
    return d, d + pd.Timedelta(days=1), "day", T.timex_value(d, "day"), None


def _day_alone(d: int, y, ref, tense, mode):
    """A day of the month alone ("5日"): this month's, or by the tense the one around it."""
    import pandas as pd

    base = T.floor(ref, "month") if y is None else pd.Timestamp(year=y, month=ref.month, day=1)
    cands = []
    for k in (-1, 0, 1):
        b = T.shift(base, k, "month")
        if d <= pd.Timestamp(b).days_in_month:
            cands.append((k, b.replace(day=d)))
    pick = None
    if mode == "find":  # news reports the past: a later day is last month's unless a cue says ahead
        pick = _choose_year(cands, ref, tense or "past")
    if pick is None:
        pick = next((c for c in cands if c[0] == 0), None)
    if pick is None:
        return None
    s = pick[1]
    return s, s + pd.Timedelta(days=1), "day", T.timex_value(s, "day"), None


def _month_day_window(f, year, ref, tense, mode):
    """A month, a day of a month, or a day alone ("5日": this month's, or by the tense the one
    around it); the year from ``year``, ``Mr``, or the tense when the text names none."""
    import pandas as pd

    if "Mr" in f:
        base = T.shift(T.floor(ref, "month"), f["Mr"], "month")
        y, m = base.year, base.month
    elif "M" in f:
        m = f["M"]
        y = year
    else:
        y, m = year, None
    if "D" not in f:
        if y is None:
            y = ref.year
            if mode == "find":  # news: the nearest such month unless the tense says which
                cands = [(yy, pd.Timestamp(year=yy, month=m, day=1)) for yy in (y - 1, y, y + 1)]
                y = _choose_year(cands, T.floor(ref, "month"), tense)[0]
        start = pd.Timestamp(year=y, month=m, day=1)
        return _month_sub(f, start, ref, tense)
    d = f["D"]
    if m is None:  # a day of the month alone: this month, or by the tense the one around it
        return _day_alone(d, y, ref, tense, mode)
    if y is None:
        y = ref.year
        if mode == "find":
            cands = []
            for yy in (y - 1, y, y + 1):
                try:
                    cands.append((yy, pd.Timestamp(year=yy, month=m, day=d)))
                except ValueError:
                    pass
            pick = _choose_year(cands, ref, tense)
            y = pick[0] if pick else y
    try:
        s = pd.Timestamp(year=y, month=m, day=d)
    except ValueError:
        return None
    return s, s + pd.Timedelta(days=1), "day", T.timex_value(s, "day"), None


def _season_window(f, year, ref):
    """A season of ``year`` (this year when None), or the summer / winter school break."""
    import pandas as pd

    y = year if year is not None else ref.year
    sname = f["S"]
    if sname == "summer_break":
        s = pd.Timestamp(year=y, month=7, day=1)
        return s, T.shift(s, 2, "month"), "month", f"{y:04d}-SU", None
    if sname == "winter_break":
        s = pd.Timestamp(year=y, month=1, day=15)
        return s, s + pd.Timedelta(days=30), "month", f"{y:04d}-WI", None
    te = T.season(y, sname)
    return te.start, te.end, "season", te.value, None


def _nth_weekday_of_month(first, n: int, wd: int):
    """The n-th weekday ``wd`` of the month starting on ``first``; n = -1 is the last one."""
    import pandas as pd

    if n < 0:
        last = T.shift(first, 1, "month") - pd.Timedelta(days=1)
        return last - pd.Timedelta(days=(last.weekday() - wd) % 7)
    return first + pd.Timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))


def _day_window(f, ref, tense, mode):  # noqa: C901
    """Resolve the date part of ``f`` to (start, end, grain, value, mod) or None."""
    import pandas as pd

    day0 = T.floor(ref, "day")
    year = None
    if "Y" in f:
        year = f["Y"] if f["Y"] >= 0 else _year2(-f["Y"] - 1, ref)
    elif "Yr" in f:
        year = ref.year + f["Yr"]

    if "hol" in f:
        return _holiday_window(f, year, ref, tense)

    if "lun" in f:
        return _lunar_window(f, year, ref, tense, mode)

    if "Dr" in f:
        d = day0 + pd.Timedelta(days=f["Dr"])
        return d, d + pd.Timedelta(days=1), "day", T.timex_value(d, "day"), None

    if "wd" in f:
        return _weekday_window(f, ref, tense, day0)

    if "nthwd" in f and "M" in f:
        n, wd = f["nthwd"]
        y = year if year is not None else ref.year
        first = pd.Timestamp(year=y, month=f["M"], day=1)
        if year is None and mode == "find":  # news: the nearest such month, or by the tense
            cands = [(yy, first.replace(year=yy)) for yy in (y - 1, y, y + 1)]
            first = _choose_year(cands, T.floor(ref, "month"), tense)[1]
        elif year is None and first < T.floor(ref, "month") and (tense or "future") == "future":
            first = first.replace(year=y + 1)
        d = _nth_weekday_of_month(first, n, wd)
        return d, d + pd.Timedelta(days=1), "day", T.timex_value(d, "day"), None

    if "D" in f or "M" in f or "Mr" in f:
        return _month_day_window(f, year, ref, tense, mode)

    if "Q" in f or "Qr" in f:
        if "Qr" in f:
            s = T.shift(T.floor(ref, "quarter"), f["Qr"], "quarter")
        else:
            s = pd.Timestamp(year=year if year is not None else ref.year, month=3 * f["Q"] - 2, day=1)
        return _container_sub(f, s, "quarter", ref)

    if "H" in f:
        s = pd.Timestamp(year=year if year is not None else ref.year, month=1 if f["H"] == 1 else 7, day=1)
        return s, T.shift(s, 1, "half"), "half", T.timex_value(s, "half"), None

    if "S" in f:
        return _season_window(f, year, ref)

    if "nthw" in f and year is not None:
        jan4 = pd.Timestamp(year=year, month=1, day=4)
        s = T.floor(jan4, "week") + pd.Timedelta(weeks=f["nthw"] - 1)
        return s, s + pd.Timedelta(weeks=1), "week", T.timex_value(s, "week"), None

    if "Wr" in f:
        s = T.floor(ref, "week") + pd.Timedelta(weeks=f["Wr"])
        return s, s + pd.Timedelta(weeks=1), "week", T.timex_value(s, "week"), None

    if "nthd" in f:
        if year is not None:
            s = pd.Timestamp(year=year, month=1, day=1) + pd.Timedelta(days=f["nthd"] - 1)
        else:  # "第三天": counted from the reference day as the first
            s = day0 + pd.Timedelta(days=f["nthd"] - 1)
        return s, s + pd.Timedelta(days=1), "day", T.timex_value(s, "day"), None

    if year is not None:
        s = pd.Timestamp(year=year, month=1, day=1)
        if f.get("Yspan"):
            return s, T.shift(s, f["Yspan"], "year"), "year", T.timex_value(s, "year"), None
        return _container_sub(f, s, "year", ref)

    if "DEC" in f or "C" in f:
        return _decade(f, ref)
    return None


def _decade(f, ref):
    """A decade or century (with 初 / 中 / 末 parts) as a window."""
    import pandas as pd

    c = f.get("C")
    if c is not None and c <= 0:
        c = ref.year // 100 + 1 + c  # 上世纪 / 本世纪 (the n-th century: 21世纪 = 2000s here)
    if "DEC" in f:
        dec = f["DEC"]
        if dec >= 100:
            y0 = dec
        elif c is not None:
            y0 = (c - 1) * 100 + dec
        else:  # "80年代": the most recent such decade
            y0 = ref.year // 100 * 100 + dec
            if y0 > ref.year:
                y0 -= 100
        s = pd.Timestamp(year=y0, month=1, day=1)
        if "subyears" in f:
            a, n = f["subyears"]
            s2 = T.shift(s, a, "year")
            return s2, T.shift(s2, n, "year"), "year", T.timex_value(s, "decade"), \
                {0: "START", 3: "MID", 7: "END"}.get(a)
        return s, T.shift(s, 1, "decade"), "decade", T.timex_value(s, "decade"), None
    s = pd.Timestamp(year=(c - 1) * 100, month=1, day=1) if c > 0 else None
    if s is None:
        return None
    if "subyears" in f:
        a, n = f["subyears"]
        s2 = T.shift(s, a, "year")
        return s2, T.shift(s2, n, "year"), "year", T.timex_value(s, "century"), \
            {0: "START", 40: "MID", 80: "END"}.get(a)
    return s, T.shift(s, 1, "century"), "century", T.timex_value(s, "century"), None


# positions in a year / quarter / month: (start month offset or day, length) and TIMEX3 mod
_YEAR_PART = {"年初": ("START", 0, 2), "初": ("START", 0, 2), "开年": ("START", 0, 2),
              "年头": ("START", 0, 2), "伊始": ("START", 0, 1), "初期": ("START", 0, 2),
              "年中": ("MID", 5, 2), "中": ("MID", 5, 2), "中期": ("MID", 5, 2),
              "年底": ("END", 10, 2), "年末": ("END", 10, 2), "年终": ("END", 10, 2),
              "年尾": ("END", 10, 2), "底": ("END", 10, 2), "末": ("END", 10, 2),
              "末期": ("END", 10, 2), "后期": ("END", 10, 2), "前期": ("START", 0, 2),
              "年内": (None, 0, 12)}
_MONTH_PART = {"月初": ("START", 1, 5), "初": ("START", 1, 5), "上旬": ("START", 1, 10),
               "月中": ("MID", 11, 10), "中": ("MID", 11, 10), "中旬": ("MID", 11, 10),
               "月底": ("END", 25, None), "月末": ("END", 25, None), "底": ("END", 25, None),
               "末": ("END", 25, None), "下旬": ("END", 21, None), "初期": ("START", 1, 10),
               "中期": ("MID", 11, 10), "末期": ("END", 21, None),
               "上半月": ("START", 1, 15), "下半月": ("END", 16, None)}


def _container_sub(f, s, grain, ref):
    """A year or quarter, or the part of it that ``part`` / ``sub`` names."""
    import pandas as pd

    value = T.timex_value(s, grain)
    end = T.shift(s, 1, grain)
    if "part" in f:
        p = f["part"]
        if grain == "quarter":
            mod = {"初": "START", "末": "END", "底": "END", "中": "MID"}.get(p)
            if mod is None:
                return None
            k = {"START": 0, "MID": 1, "END": 2}[mod]
            s2 = T.shift(s, k, "month")
            return s2, T.shift(s2, 1, "month"), "month", value, mod
        if p not in _YEAR_PART:
            return None
        mod, off, n = _YEAR_PART[p]
        s2 = T.shift(s, off, "month")
        return s2, T.shift(s2, n, "month"), "month" if n < 12 else "year", value, mod
    if "nthw" in f and grain == "year":
        jan4 = s.replace(day=4)
        s2 = T.floor(jan4, "week") + pd.Timedelta(weeks=f["nthw"] - 1)
        return s2, s2 + pd.Timedelta(weeks=1), "week", T.timex_value(s2, "week"), None
    if "sub" in f:
        return _sub_span(f["sub"], s, end, value)
    return s, end, grain, value, None


def _sub_span(sub, s, end, value):
    """The first / last N units of the container [s, end)."""
    import pandas as pd

    which, n, unit = sub
    if n is None or n != int(n):
        return None
    n = int(n)
    if unit in ("day", "week"):  # "4月最后一周": the month's last seven days
        step = pd.Timedelta(days=n * (7 if unit == "week" else 1))
        if which == "前":
            return s, s + step, "day", value, "START"
        return end - step, end, "day", value, "END"
    if unit not in ("month", "quarter"):
        return None
    if which == "前":
        return s, T.shift(s, n, unit), unit, value, "START"
    return T.shift(end, -n, unit), end, unit, value, "END"


def _month_sub(f, s, ref, tense):
    """A month, or the part of it (月初, 下旬), n-th week or first / last days that ``f`` names."""
    import pandas as pd

    value = T.timex_value(s, "month")
    end = T.shift(s, 1, "month")
    if "part" in f:
        p = f["part"]
        if p not in _MONTH_PART:
            return None
        mod, d0, n = _MONTH_PART[p]
        s2 = s.replace(day=d0)
        e2 = end if n is None else s2 + pd.Timedelta(days=n)
        return s2, e2, "day", value, mod
    if "nthw" in f:
        # the n-th week of a month: weeks (Monday to Sunday) that start inside the month
        first_monday = s + pd.Timedelta(days=(7 - s.weekday()) % 7)
        s2 = first_monday + pd.Timedelta(weeks=f["nthw"] - 1)
        return s2, s2 + pd.Timedelta(weeks=1), "week", T.timex_value(s2, "week"), None
    if "sub" in f:
        return _sub_span(f["sub"], s, end, value)
    return s, end, "month", value, None


def _with_clock(f, day, ref, mode, has_day):  # noqa: C901
    """Apply the part of the day and the clock time in ``f`` to ``day``."""
    import pandas as pd

    pod = f.get("pod")
    if "hrange" in f:
        h1, h2, m2 = f["hrange"]
        if pod in _PM_PODS and h1 < 12:
            h1 += 12
        # the end is the first such hour after the start: 下午3到5点 ends at 17, 晚上11到1点 at 1
        ends = (h2, h2 + 12, h2 + 24) if 0 < h2 <= 12 else (h2, h2 + 24)
        h2 = min((h for h in ends if h > h1), default=h2 + 24)
        s = day + pd.Timedelta(hours=h1)
        last = day + pd.Timedelta(hours=h2, minutes=m2 or 0)
        if m2:
            e = last + pd.Timedelta(minutes=1)
        elif f.get("hpair"):  # 七八点: from 7 to the end of the 8 o'clock hour
            e = last + pd.Timedelta(hours=1)
        else:
            e = last
        grain = "minute" if m2 else "hour"
        return s, e, "hour", f"{T.timex_value(s, 'hour')}/{T.timex_value(last, grain)}", None
    if "mmss" in f:
        return None
    if "h" not in f:
        if pod is None:
            return None
        te = T.part_of_day(day, pod)
        return te.start, te.end, "part_of_day", te.value, None
    h = f["h"]
    if pod is not None and not f.get("clock24"):
        if pod in _PM_PODS and h < 12:
            h += 12 if not (pod in ("night", "nighttime", "late_night") and h <= 4) else 0
        elif pod == "noon" and h < 6:
            h += 12
        elif pod in ("night", "nighttime", "late_night") and h == 12:
            h = 24
        elif pod in ("early_morning", "morning", "day_morning", "forenoon") and h == 12:
            h = 0
    if pod is not None and not has_day and mode == "parse":
        if day + pd.Timedelta(hours=h, minutes=f.get("mi", 0)) < ref:
            day = day + pd.Timedelta(days=1)
    elif pod is None and not has_day and not f.get("clock24") and h <= 12 and mode == "parse":
        # a lone clock time is the next one on the 12-hour dial (Duckling, JioNLP)
        cand = day + pd.Timedelta(hours=h, minutes=f.get("mi", 0))
        if cand < ref:
            if h < 12 and cand + pd.Timedelta(hours=12) >= ref:
                h += 12
            elif h == 12 and cand + pd.Timedelta(hours=12) >= ref:
                h = 24
            else:
                day = day + pd.Timedelta(days=1)
    s = day + pd.Timedelta(hours=h, minutes=f.get("mi", 0), seconds=f.get("s", 0))
    grain = "second" if "s" in f else "minute" if "mi" in f else "hour"
    te = T.point(s, grain)
    return te.start, te.end, grain, te.value, f.get("mod")


def _mask(value: str, f: dict) -> str:
    """The TIMEX3 value of an expression with no reference: unknown fields become X."""
    if "Y" in f and f["Y"] >= 0:
        return value
    if "wd" in f and f["wd"] != "weekend" and "Wr" not in f and "D" not in f:
        return f"XXXX-WXX-{f['wd'] + 1}" + value[10:]
    if re.match(r"^\d{4}", value):
        value = "XXXX" + value[4:]
        if "M" not in f and "lun" not in f and len(value) >= 7 and value[4] == "-" and value[5:7].isdigit():
            value = value[:5] + "XX" + value[7:]
            if "D" not in f and len(value) >= 10 and value[8:10].isdigit():
                value = value[:8] + "XX" + value[10:]
    return value


def _make(start, end, grain, value, mod, kind="date"):
    """A TimeExpr; clock and part-of-day grains are TIMEX3 type TIME."""
    if grain in ("hour", "minute", "second", "part_of_day"):
        kind = "time"
    return T.TimeExpr(start, end, grain, value, mod, kind)


def _rel(f, ref):  # noqa: C901
    """"三天前" / "两年后" / "四年多以来" / "60日内" ..."""
    import pandas as pd

    n, unit, d = f["rel"]
    if unit == "workday":  # "15个工作日内": counted in Monday-Friday days from the reference day
        import numpy as np

        day = T.floor(ref, "day")
        t = pd.Timestamp(np.busday_offset(day.date(), n, roll="forward"))
        value = f"P{n}D"
        if d == "within":
            return T.TimeExpr(ref, t + pd.Timedelta(days=1), "day", value, "LESS_THAN", "duration")
        if d == "after":
            return T.TimeExpr(t, None, "day", T.timex_value(t, "day"), "AFTER", "date")
        return T.TimeExpr(t, t + pd.Timedelta(days=1), "day", T.timex_value(t, "day"), None, "date")
    if n is None and f.get("tens") and d in ("ago", "later") and ref is not None \
            and unit in ("year", "month", "week", "day", "hour", "minute"):
        # "二十几年前": some time 20 to 30 years back, the span of those units
        lo, hi = (-(10 * f["tens"] + 10), -10 * f["tens"]) if d == "ago" else \
            (10 * f["tens"], 10 * f["tens"] + 10)
        grain = "day" if unit == "week" else unit
        base = T.floor(ref, grain)
        if unit in ("week", "day", "hour", "minute"):
            step = pd.Timedelta(**{unit + "s": 1})
            s, e = base + lo * step, base + (hi + 1) * step
        else:
            s, e = T.shift(base, lo, unit), T.shift(base, hi + 1, unit)
        value = "PAST_REF" if d == "ago" else "FUTURE_REF"
        return T.TimeExpr(s, e, unit, value, "APPROX", "date")
    if n is None and f.get("scale") and d in ("ago", "later", "before", "after") and ref is not None:
        return _few_span(f["scale"], unit, d, ref)  # "几十年后": 20 to 100 years ahead
    if n is None:  # "几天前": a vague past or future
        direction = "past" if d in ("ago", "before", "since") else "future"
        return T.vague(direction, ref)
    if d in ("before", "after") and unit in ("second", "minute", "hour"):
        d = "ago" if d == "before" else "later"  # "10分钟之前": the moment, as 10分钟前
    half = n != int(n)
    code_unit = unit
    if half and unit == "month" and d == "within":
        e = T.shift(ref, int(n), "month") + pd.Timedelta(days=15)
        e = T.floor(e, "day") + pd.Timedelta(days=1)
        return T.TimeExpr(ref, e, "month", T.duration(n, "month").value, "LESS_THAN", "duration")
    if half and unit in ("year", "month", "day", "hour"):
        amount, unit2 = {"year": (n * 12, "month"), "month": (n * 30, "day"),
                         "day": (n * 24, "hour"), "hour": (n * 60, "minute")}[unit]
        unit = unit2
        n = amount
    n = int(n)
    if d in ("ago", "later", "before", "after"):
        sign = -1 if d in ("ago", "before") else 1
        if unit in ("second", "minute", "hour", "day", "week"):
            t = ref + sign * pd.Timedelta(**{unit + "s": n})
        else:
            t = T.shift(ref, sign * n, unit)
        grain = {"century": "year"}.get(unit, unit)
        if f.get("more") or f.get("few"):
            grain = {"second": "second", "minute": "minute", "hour": "hour"}.get(grain, grain)
        p = T.point(t, grain)
        if d == "before":
            return T.TimeExpr(None, p.end, grain, p.value, "BEFORE", p.kind)
        if d == "after":
            return T.TimeExpr(p.start, None, grain, p.value, "AFTER", p.kind)
        return T.TimeExpr(p.start, p.end, grain, p.value, "APPROX" if f.get("more") else None, p.kind)
    dur = T.duration(f["rel"][0], code_unit)
    if d == "since":
        if unit in ("second", "minute", "hour", "day", "week"):
            s = ref - pd.Timedelta(**{unit + "s": n})
        else:
            s = T.shift(ref, -n, unit)
        s = T.floor(s, unit if unit != "week" else "day")
        return T.TimeExpr(s, ref, code_unit, dur.value, "MORE_THAN" if f.get("more") else None, "duration")
    # within
    if unit in ("second", "minute", "hour"):
        e = ref + pd.Timedelta(**{unit + "s": n})
    else:
        e = (ref + pd.Timedelta(days=7 * n)) if unit == "week" else \
            (ref + pd.Timedelta(days=n)) if unit == "day" else T.shift(ref, n, unit)
        e = T.floor(e, "day") + pd.Timedelta(days=1)
    return T.TimeExpr(ref, e, code_unit, dur.value, "LESS_THAN", "duration")


def _few_span(scale: int, unit: str, d: str, ref):
    """"几十年后" / "数百年前": some tens (hundreds ...) of units away, the span from 2 to 10
    times ``scale`` units before or after the reference (20 to 100 years for 几十年)."""
    import pandas as pd

    if unit not in ("year", "month", "week", "day", "hour", "minute"):
        return None
    lo, hi = 2 * scale, 10 * scale
    if d in ("ago", "before"):
        lo, hi = -hi, -lo
    grain = "day" if unit == "week" else unit
    base = T.floor(ref, grain)
    if unit in ("week", "day", "hour", "minute"):
        step = pd.Timedelta(**{unit + "s": 1})
        s, e = base + lo * step, base + (hi + 1) * step
    else:
        s, e = T.shift(base, lo, unit), T.shift(base, hi + 1, unit)
    value = "PAST_REF" if d in ("ago", "before") else "FUTURE_REF"
    return T.TimeExpr(s, e, unit, value, "APPROX", "date")


_PAST_WHICH = {"上", "前", "过去", "近", "最近"}
_FUTURE_WHICH = {"下", "后", "未来", "今后", "接下来", "此后"}


def _last(f, ref):
    """"上两周" / "未来7天" / "近三个月" / "过去一周" / "再过半小时"."""
    import pandas as pd

    which, n, unit = f["last"]
    if n is None:
        direction = "past" if which in _PAST_WHICH else "future"
        span = {"day": 3, "week": 21, "month": 90, "year": 3 * 365}.get(unit)
        return T.vague(direction, ref, span=pd.Timedelta(days=span) if span else None)
    if unit == "quarter":
        unit, n = "month", n * 3
    half = n != int(n)
    if half:
        if unit not in ("hour", "day", "month", "year"):
            return None
        unit, n = {"hour": ("minute", n * 60), "day": ("hour", n * 24), "month": ("day", n * 30),
                   "year": ("month", n * 12)}[unit]
    n = int(n)

    def move(t, k):
        if unit in ("second", "minute", "hour", "day", "week"):
            return t + pd.Timedelta(**{unit + "s": k})
        return T.shift(t, k, unit)

    dur = T.duration(n, unit).value
    if which in ("上", "前"):  # the last n whole units before the current one (Duckling)
        cur = T.floor(ref, unit)
        return T.TimeExpr(move(cur, -n), cur, unit, dur, None, "duration")
    if which in ("下", "后"):
        cur = T.floor(ref, unit)
        return T.TimeExpr(move(cur, 1), move(cur, n + 1), unit, dur, None, "duration")
    if which in ("再过", "过"):
        s = move(ref, n)
        if unit in ("day", "week", "month", "year"):
            s = T.floor(s, "day")
        return T.TimeExpr(s, None, unit, T.point(s, "day" if unit != "hour" else "minute").value,
                          "AFTER", "date")
    if which in ("过去", "近", "最近"):
        s = move(ref, -n)
        if unit in ("month", "year"):
            s = T.floor(s, "day")
        return T.TimeExpr(s, ref, unit, dur, "MORE_THAN" if f.get("more") else None, "duration")
    e = move(ref, n)
    if unit in ("month", "year"):
        e = T.floor(e, "day")
    return T.TimeExpr(ref, e, unit, dur, None, "duration")


def _vague(word, ref):
    """PAST_REF / PRESENT_REF / FUTURE_REF; 现在 / 此刻 are the reference instant itself."""
    import pandas as pd

    if word in _IMMINENT:  # 马上: the reference instant, but ahead of it (not a date to anchor to)
        if ref is None:
            return T.vague("future", None)
        return T.TimeExpr(ref, ref + pd.Timedelta(seconds=1), "second", "FUTURE_REF", None, "date")
    direction, span = VAGUE[word]
    if word in _NOW and word not in ("目前", "眼下", "当下") and ref is not None:
        return T.TimeExpr(ref, ref + pd.Timedelta(seconds=1), "second", "PRESENT_REF", None, "date")
    return T.vague(direction, ref, span=pd.Timedelta(days=span) if span and direction != "present" else None)


def resolve(f: dict, ref, tense: str | None = None, mode: str = "find") -> T.TimeExpr | None:
    """Turn one description into a :class:`~analysis.timex.TimeExpr` against ``ref``.

    Returns None when the description names no time, or one outside what pandas can hold
    ("20230912年前" read as an amount of years).
    """
    try:
        return _resolve(f, ref, tense, mode)
    except (OverflowError, ValueError, NotImplementedError):  # OutOfBoundsDatetime is a ValueError
        return None


def _resolve(f: dict, ref, tense: str | None = None, mode: str = "find") -> T.TimeExpr | None:  # noqa: C901
    """:func:`resolve` without the guard: durations, vague words, amounts, then dates and clocks."""
    import pandas as pd

    if ref is None:  # unknown publication date: absolute dates still resolve
        absolute = ("Y" in f and f["Y"] >= 0) or ("C" in f and f["C"] > 0) or \
            ("DEC" in f and f["DEC"] >= 100)
        if "dur" in f:
            return resolve(f, pd.Timestamp("2000-01-01"), tense, mode)
        if "vague" in f:
            return _vague(f["vague"], None)
        got = resolve(f, pd.Timestamp("2000-06-15"), tense, mode)
        if got is None or absolute:
            return got
        return T.TimeExpr(None, None, got.granularity, _mask(got.value, f), got.mod, got.kind)
    if "dur" in f:
        n, unit = f["dur"]
        if n is None:
            code = {"second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "month": "M",
                    "year": "Y", "century": "CE"}[unit]
            t = "T" if unit in ("second", "minute", "hour") else ""
            return T.TimeExpr(None, None, unit, f"P{t}X{code}", f.get("mod"), "duration")
        return T.duration(n, unit, mod=f.get("mod"))
    if "vague" in f:
        return _vague(f["vague"], ref)
    if "set" in f:  # 每周一 / 每天: TIMEX3 sets
        unit, wd = f["set"]
        if unit == "weekday":
            return T.TimeExpr(None, None, "day", f"XXXX-WXX-{wd + 1}", None, "set")
        return T.TimeExpr(None, None, unit, T.duration(1, unit).value, None, "set")
    if "rel" in f:
        return _rel(f, ref)
    if "last" in f:
        return _last(f, ref)
    if "whole" in f:
        w = f["whole"]
        grain = {"全天": "day", "整天": "day", "全年": "year", "全月": "month", "全周": "week"}.get(w)
        if grain is None:
            te = T.part_of_day(ref, "night")
            return te
        return T.point(ref, grain)
    if "part" in f and _levels(f)[0] == 99:  # "年底" / "月底" alone: this year's / month's
        p = f["part"]
        if p in ("初", "中", "底", "末"):
            return None
        f = dict(f, Mr=0) if p.startswith("月") or p.endswith(("旬", "半月")) else dict(f, Yr=0)
    if "sub" in f and _levels(f)[0] == 5 and "Mr" not in f and "M" not in f:
        return None
    has_day = any(k in f for k in ("D", "Dr", "wd", "hol", "lun", "nthd", "nthwd"))
    clock = any(k in f for k in ("h", "pod", "hrange", "mmss"))
    date_keys = any(k in f for k in ("Y", "Yr", "M", "Mr", "Q", "Qr", "H", "S", "Wr", "nthw", "DEC", "C",
                                     "D", "Dr", "wd", "hol", "lun", "nthd", "nthwd"))
    if "mmss" in f and not date_keys:
        mi, s = f["mmss"]
        t = T.floor(ref, "hour") + pd.Timedelta(minutes=mi, seconds=s)
        return T.point(t, "second")
    if date_keys:
        win = _day_window(f, ref, tense, mode)
        if win is None:
            return None
        start, end, grain, value, mod = win
    else:
        start = T.floor(ref, "day")
        end, grain, value, mod = start + pd.Timedelta(days=1), "day", T.timex_value(start, "day"), None
    if clock:
        if date_keys and grain != "day":  # a clock time needs a day ("去年下午" is not one)
            return None
        got = _with_clock(f, start, ref, mode, has_day or date_keys)
        if got is None:
            return None
        start, end, grain, value, mod2 = got
        mod = mod2 or mod
    return _make(start, end, grain, value, mod or f.get("mod"))


def _freeze(f):
    """A hashable copy of a description (for the resolve cache)."""
    if isinstance(f, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in f.items()))
    return f


@lru_cache(maxsize=4096)
def _resolve_cached(frozen, ref, tense, mode):
    """:func:`resolve` for a frozen description: a corpus repeats 此前, 周二, 今年 ... many times."""
    return resolve(_thaw(frozen), ref, tense, mode)


def _thaw(frozen):
    """Undo :func:`_freeze`."""
    return {k: _thaw(v) if k == "rng" else v for k, v in frozen}  # "rng" is the only nested one


# ----------------------------------------------------------------------------- tense, ranges, find

# bare 将 is also the object marker (警方将嫌犯逮捕): it only counts right before the expression
#: Words that mean "at the time just named" (金正恩上次出国是在2019年，当时 ...).
_THEN = {"当时", "那时", "彼时", "届时"}
_FUTURE_CUE = re.compile(r"将于|将在|将会|将要|将(?=\s*(?:当地时间|北京时间)?$)|预计|预定|计划|拟|准备|即将|打算|有望|定于"
                         r"|下一步|届时|会在|会于")
_PAST_CUE = re.compile(r"已经|已于|已|曾经|曾|此前|早前|较早前|刚刚|刚")
_CLAUSE_END = re.compile(r"[。！？；!?;\n]")


def _tense(folded: str, start: int, end: int) -> str | None:
    """The tense of the clause around [start, end): a cue before it, else 了/过 after the verb."""
    lo = max(0, start - 40)
    for m in _CLAUSE_END.finditer(folded, max(0, start - 40), start):
        lo = m.end()
    before = folded[max(lo, start - 30):start]
    cues = [(m.end(), "future") for m in _FUTURE_CUE.finditer(before)]
    cues += [(m.end(), "past") for m in _PAST_CUE.finditer(before)]
    if cues:
        return max(cues)[1]
    m = _CLAUSE_END.search(folded, end, end + 40)
    after = folded[end:m.start() if m else end + 40]
    if _FUTURE_CUE.search(after[:12]):
        return "future"
    if re.search(r"了|过(?!程|去|渡)|已", after[:20]):
        return "past"
    return None


def _needs_tense(f: dict) -> bool:
    """Does the expression leave out what the clause's tense would decide (year, week)?"""
    if "Y" in f or "Yr" in f or "Dr" in f:
        return False
    return ("wd" in f and "Wr" not in f) or "D" in f or "M" in f or "hol" in f or "lun" in f


def _range(a: T.TimeExpr, b: T.TimeExpr, fb: dict) -> T.TimeExpr:
    """The span from ``a`` to ``b``; a clock time at the hour ends at that hour."""
    if b.granularity == "hour" and "h" in fb and "hrange" not in fb:
        stop = b.start
    elif fb.get("_now"):
        stop = b.start
    else:
        stop = b.end
    grain = a.granularity if a.granularity else b.granularity
    return T.TimeExpr(a.start, stop, grain, f"{a.value}/{b.value}", None, a.kind)


def _wrap_year(a, b, fa: dict, fb: dict, ref, tense, mode: str):
    """The right end of a range that names no year of its own is in the left end's year, or
    the year after when it would end before the left one starts ("8月至2月", "十二月到三月")."""
    if a is None or b is None or a.start is None or b.start is None or b.start >= a.start \
            or "Y" in fb or "M" not in fb:
        return b
    for year in (a.start.year, a.start.year + 1):
        later = resolve({**_inherit(fa, fb), "Y": year}, ref, tense, mode)
        if later is not None and later.start is not None and later.start >= a.start:
            return later
    return b


def _inherit(fa: dict, fb: dict) -> dict:
    """Complete the right end of a range from the left ("9月10日至12日" -> 12 is in September)."""
    la, lb = _levels(fa), _levels(fb)
    if lb[0] <= la[0] or lb[0] == 99:
        return fb
    out = {k: v for k, v in fa.items() if k in _LEVEL and _LEVEL[k] < lb[0] and k not in ("pod",)}
    if "pod" in fa and "h" in fb and "pod" not in fb and "Dr" not in fb:
        out["pod"] = fa["pod"]
    if "wd" in out and "Wr" not in out:
        out.pop("wd")
    out.update(fb)
    return out


def _ahead(f: dict, tense, anchor, ref, mode: str) -> bool:
    """Is ``f`` a bare day of the month, with no tense cue, after the text named a day ahead of ``ref``?

    Then it is the one nearest that day ("预计3日登陆。5日减弱": the 5th follows the forecast 3rd),
    not last month's.
    """
    return mode == "find" and tense is None and anchor is not None and ref is not None \
        and "D" in f and "M" not in f and "Y" not in f and anchor > T.floor(ref, "day")


def _sep_range(comps, i: int, f: dict, folded: str, span: tuple[int, int], ref, ref_f, anchor,
               mode: str):
    """"A 至 B" / "A和B之间" from composite ``i`` and the next: (expr or None, end, index after,
    the reference ``f`` resolves against)."""
    s, e = span
    consumed, expr = i + 1, None
    s2, e2, f2 = comps[i + 1]
    sep = folded[e:s2]
    # "三月和九月之间": A and B, then "between", is the range from A to B
    between = bool(_BETWEEN_SEP.fullmatch(sep)) and folded.startswith("之间", e2)
    if (_RANGE_SEP.fullmatch(sep) or between) and "dur" not in f2 and "rel" not in f2 \
            and "last" not in f2:
        f2 = dict(f2)
        if f2.get("vague") in _NOW or f2.get("vague") == "至今" or f2 == {"Dr": 0}:
            f2 = {"Dr": 0, "_now": True}
            b_now = True
        else:
            b_now = False
        fb = _inherit(f, f2) if not b_now else f2
        ta = f.get("_t") or _tense(folded, s, e) if _needs_tense(f) else None
        if _ahead(f, ta, anchor, ref, mode):
            ta, ref_f = "nearest", anchor
        a = resolve(f, ref_f, ta, mode)
        ref_b = T.floor(a.start, "day") if fb.get("ana") and a is not None and a.start is not None \
            else ref
        b = resolve(fb, ref_b, ta, mode)
        if b_now and ref is not None:
            b = T.TimeExpr(ref, ref, "second", "PRESENT_REF", None, "date")
        elif "M" in f2 and "Y" not in f2:
            b = _wrap_year(a, b, f, f2, ref_b, ta, mode)
        if a is not None and b is not None and a.start is not None and b.start is not None \
                and b.start >= a.start:
            expr = _range(a, b, fb if not b_now else {"_now": True})
            e = e2 + (2 if between else 0)
            consumed = i + 2
            m = re.match(r"止|为止", folded[e:])
            if m:
                e += m.end()
    return expr, e, consumed, ref_f


def _suffix(expr: T.TimeExpr, folded: str, e: int, stop: int, ref):
    """"X起" / "X以来" / "年底前" / "X左右" right after an expression: (expr, its new end)."""
    rest = folded[e:min(e + 3, stop)]
    mu = _UNTIL_NOW.match(folded[e:min(e + 6, stop)])
    if mu and expr.start > ref:
        mu = None
    ma = _AFTER.match(rest)
    mb = _BEFORE.match(rest)
    if rest.startswith(("左右", "前后")):
        ma = mb = mu = None
    if ma:
        m2 = _UNTIL_NOW.match(folded[e + ma.end():min(e + ma.end() + 6, stop)])
        if expr.start <= ref:
            expr = T.TimeExpr(expr.start, ref, expr.granularity, expr.value, "AFTER", expr.kind)
        else:
            expr = T.TimeExpr(expr.start, None, expr.granularity, expr.value, "AFTER", expr.kind)
        e += ma.end() + (m2.end() if m2 else 0)
    elif mu:
        expr = T.TimeExpr(expr.start, ref, expr.granularity, expr.value, "AFTER", expr.kind)
        e += mu.end()
    elif mb:
        if expr.end is not None and expr.end > ref:
            expr = T.TimeExpr(ref, expr.end, expr.granularity, expr.value, "BEFORE", expr.kind)
        else:
            expr = T.TimeExpr(None, expr.start, expr.granularity, expr.value, "BEFORE", expr.kind)
        e += mb.end()
    elif rest.startswith(("左右", "前后")):
        expr = T.TimeExpr(expr.start, expr.end, expr.granularity, expr.value, "APPROX", expr.kind)
        e += 2
    return expr, e


def _scan(text: str, ref, mode: str):  # noqa: C901
    """All expressions in ``text``: [(start, end, TimeExpr)]."""
    folded = fold(text)
    comps = _join(folded, _atoms(folded))
    out: list[tuple[int, int, T.TimeExpr]] = []
    anchor = None  # the day the text last named: 当天 / 次日 count from it
    last_time = None  # the last anchored expression: 当时 / 那时 refer to it
    prev = None  # (end, fields) of the last date: "9月10日、11日和12日" lists days of one month
    i = 0
    while i < len(comps):
        s, e, f = comps[i]
        f = dict(f)
        if prev is not None and _LIST_SEP.fullmatch(folded[prev[0]:s]) and set(f) & {"D", "M"} \
                and _levels(f)[0] > _levels(prev[1])[0] and "M" in prev[1] and "D" in prev[1]:
            f = _inherit(prev[1], {k: v for k, v in f.items() if k != "weak"})
        ref_f = anchor if f.get("ana") and anchor is not None and mode == "find" else ref
        if mode == "find" and last_time is not None and last_time.start is not None:
            # 次年 / 同月 count from the year / month the text last named
            if f.get("ana_y") and "Yr" in f:
                f["Y"] = last_time.start.year + f.pop("Yr")
            elif f.get("ana_m") and "Mr" in f and last_time.granularity not in (
                    "year", "decade", "century", "half", "quarter", "season"):
                base = T.shift(T.floor(last_time.start, "month"), f.pop("Mr"), "month")
                f["Y"], f["M"] = base.year, base.month
        consumed = i + 1
        expr = None
        # a range "A 至 B"
        if i + 1 < len(comps) and "dur" not in f and "vague" not in f and "rel" not in f:
            expr, e, consumed, ref_f = _sep_range(comps, i, f, folded, (s, e), ref, ref_f,
                                                  anchor, mode)
        if expr is None and "rng" in f:
            fa = {k: v for k, v in f.items() if k != "rng"}
            tense = _tense(folded, s, e) if _needs_tense(fa) else None
            a, b = resolve(fa, ref_f, tense, mode), resolve(_inherit(fa, f["rng"]), ref_f, tense, mode)
            b = _wrap_year(a, b, fa, f["rng"], ref_f, tense, mode)
            if a is not None and b is not None and a.start is not None and b.start is not None \
                    and b.start >= a.start:  # a range never ends before it starts
                expr = _range(a, b, f["rng"])
            f = fa
        if expr is None:
            if f.get("weak") and mode == "find":
                i += 1
                continue
            tense = _tense(folded, s, e) if _needs_tense(f) else None
            if _ahead(f, tense, anchor, ref, mode):
                tense, ref_f = "nearest", anchor
            if mode == "parse" and tense is None and _needs_tense(f):
                tense = "future"
            if f.get("vague") in _THEN and last_time is not None and mode == "find":
                expr = T.TimeExpr(last_time.start, last_time.end, last_time.granularity,
                                  last_time.value, None, last_time.kind)
            else:
                expr = _resolve_cached(_freeze(f), ref_f, tense, mode)
            if expr is None:
                i += 1
                continue
            # "X起" / "X以来" / "年底前": open or bounded by the reference
            # a suffix never reaches into the next expression ("复活节前天" is 复活节 + 前天)
            stop = comps[consumed][0] if consumed < len(comps) else len(folded)
            if "dur" not in f and "rel" not in f and "last" not in f and "vague" not in f \
                    and expr.start is not None and ref is not None:
                expr, e = _suffix(expr, folded, e, stop, ref)
        if s > 0 and _FROM.search(folded[max(0, s - 1):s]) and consumed == i + 2:
            s -= 1
        out.append((s, e, T.with_text(expr, text[s:e])))
        if expr.start is not None and expr.end is not None and expr.kind != "duration" \
                and not expr.value.endswith("_REF"):
            last_time = expr
        if expr.start is not None and expr.kind != "duration" and expr.granularity in (
                "day", "part_of_day", "hour", "minute", "second"):
            anchor = T.floor(expr.start, "day")
        prev = (e, f) if consumed == i + 1 else None
        i = consumed
    return out


def find(text: str, ref) -> list[tuple[int, int, T.TimeExpr]]:
    """Every time expression in ``text`` with its offsets ``(start, end, TimeExpr)``, end exclusive.

    ``ref`` is the publication time (a naive Timestamp) or ``None``: then absolute dates still
    resolve and relative ones get ``start``/``end`` ``None`` and a TIMEX3 value with X's.

    Examples
    --------
    >>> import pandas as pd
    >>> [(s, e, t.value) for s, e, t in find("金正恩周二早上进入俄罗斯", pd.Timestamp("2023-09-12"))]
    [(3, 7, '2023-09-12TMO')]
    """
    if not text:
        return []
    return _scan(text, ref, "find")


def _day_run(text: str, found) -> T.TimeExpr | None:
    """The span of a list of consecutive days that is the whole text ("9月10号，11号，12号"), or None."""
    folded = fold(text)
    if len(found) < 2 or folded[:found[0][0]].strip() or folded[found[-1][1]:].strip():
        return None
    for (_, e1, a), (s2, _, b) in zip(found, found[1:], strict=False):
        if not _LIST_SEP.fullmatch(folded[e1:s2]) or a.granularity != "day" or b.granularity != "day" \
                or a.kind != "date" or b.kind != "date" or a.end is None or b.start != a.end:
            return None
    first, last = found[0][2], found[-1][2]
    return T.TimeExpr(first.start, last.end, "day", f"{first.value}/{last.value}", None, "date",
                      text[found[0][0]:found[-1][1]])


def parse(text: str, ref) -> T.TimeExpr | None:
    """Read ``text`` as one time expression (the longest one in it), or ``None``.

    Examples
    --------
    >>> import pandas as pd
    >>> parse("上周二", pd.Timestamp("2023-09-12")).value
    '2023-09-05'
    >>> parse("人民币5元", pd.Timestamp("2023-09-12")) is None
    True
    """
    found = _scan(text, ref, "parse")
    if not found:
        return None
    run = _day_run(text, found)
    if run is not None:
        return run
    s, e, expr = max(found, key=lambda x: (x[1] - x[0], -x[0]))
    if expr.start is not None and expr.end is None or expr.start is None and expr.end is not None:
        return None  # an open-ended span ("三天之后") has no interval to give
    return expr
