"""Tests for the English temporal grammar (analysis._timex_en) behind parse_time / find_times.

Reference: Tuesday 2023-09-12 10:00 unless a case says otherwise. Corpus floors run on committed
copies of Duckling's English corpus and 60 TempEval-3 documents (tests/data/README.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.timex import parse_time
from analysis.timex.lang import en as en

DATA = Path(__file__).parent / "data"
REF = pd.Timestamp("2023-09-12 10:00")  # a Tuesday


def P(text, ref=REF):
    return en.parse(text, ref)


def day(s):
    return pd.Timestamp(s)


# ----------------------------------------------------------------------------- expression families

@pytest.mark.parametrize("text, value, start, end, grain", [
    # full and partial dates
    ("12 Sept 2023", "2023-09-12", "2023-09-12", "2023-09-13", "day"),
    ("September 12", "2023-09-12", "2023-09-12", "2023-09-13", "day"),
    ("Sept. 30, 1989", "1989-09-30", "1989-09-30", "1989-10-01", "day"),
    ("2023-09-12", "2023-09-12", "2023-09-12", "2023-09-13", "day"),
    ("9/12/2023", "2023-09-12", "2023-09-12", "2023-09-13", "day"),
    ("31/10/1974", "1974-10-31", "1974-10-31", "1974-11-01", "day"),
    ("the 1st of march 2015", "2015-03-01", "2015-03-01", "2015-03-02", "day"),
    ("Tuesday, Sept. 5", "2023-09-05", "2023-09-05", "2023-09-06", "day"),
    # months and years
    ("September 2023", "2023-09", "2023-09-01", "2023-10-01", "month"),
    ("in 2019", "2019", "2019-01-01", "2020-01-01", "year"),
    ("this month", "2023-09", "2023-09-01", "2023-10-01", "month"),
    ("last year", "2022", "2022-01-01", "2023-01-01", "year"),
    ("next week", "2023-W38", "2023-09-18", "2023-09-25", "week"),
    ("the third quarter", "2023-Q3", "2023-07-01", "2023-10-01", "quarter"),
    ("the first quarter of 2019", "2019-Q1", "2019-01-01", "2019-04-01", "quarter"),
    ("1998Q1", "1998-Q1", "1998-01-01", "1998-04-01", "quarter"),
    ("the 1990s", "199", "1990-01-01", "2000-01-01", "decade"),
    # relative days and weekdays
    ("yesterday", "2023-09-11", "2023-09-11", "2023-09-12", "day"),
    ("tomorrow", "2023-09-13", "2023-09-13", "2023-09-14", "day"),
    ("the day before yesterday", "2023-09-10", "2023-09-10", "2023-09-11", "day"),
    ("last Tuesday", "2023-09-05", "2023-09-05", "2023-09-06", "day"),
    ("next Friday", "2023-09-22", "2023-09-22", "2023-09-23", "day"),
    ("on Thursday", "2023-09-14", "2023-09-14", "2023-09-15", "day"),
    ("two years ago", "2021", "2021-09-01", "2021-10-01", "month"),
    # parts of the day
    ("Tuesday morning", "2023-09-12TMO", "2023-09-12 00:00", "2023-09-12 12:00", "part_of_day"),
    ("yesterday evening", "2023-09-11TEV", "2023-09-11 18:00", "2023-09-12 00:00", "part_of_day"),
    ("tonight", "2023-09-12TNI", "2023-09-12 18:00", "2023-09-13 00:00", "part_of_day"),
    ("last night", "2023-09-11TNI", "2023-09-11 18:00", "2023-09-12 00:00", "part_of_day"),
    # clock times (a standalone time points forward)
    ("3pm", "2023-09-12T15:00", "2023-09-12 15:00", "2023-09-12 16:00", "hour"),
    ("15:30", "2023-09-12T15:30", "2023-09-12 15:30", "2023-09-12 15:31", "minute"),
    ("noon", "2023-09-12T12:00", "2023-09-12 12:00", "2023-09-12 13:00", "hour"),
    ("midnight", "2023-09-13T00:00", "2023-09-13 00:00", "2023-09-13 01:00", "hour"),
    ("a quarter past 3pm", "2023-09-12T15:15", "2023-09-12 15:15", "2023-09-12 15:16", "minute"),
    ("tomorrow at 5pm", "2023-09-13T17:00", "2023-09-13 17:00", "2023-09-13 18:00", "hour"),
    # ranges
    ("10 to 12 September", "2023-09-10/2023-09-12", "2023-09-10", "2023-09-13", "day"),
    ("July 13-15, 2024", "2024-07-13/2024-07-15", "2024-07-13", "2024-07-16", "day"),
    ("3-4pm", "2023-09-12T15/2023-09-12T16", "2023-09-12 15:00", "2023-09-12 17:00", "hour"),
    # the minutes of a clock time are not "N minutes to the hour" ("30 to six" was 17:30)
    ("from 3:30 to six p.m.", "2023-09-12T15:30/2023-09-12T18:00", "2023-09-12 15:30", "2023-09-12 19:00", "minute"),
])
def test_expression_families(text, value, start, end, grain):
    t = P(text)
    assert t is not None, text
    assert (t.value, t.start, t.end, t.granularity) == (value, day(start), day(end), grain)


def test_early_mid_late_month_are_thirds_with_a_mod():
    early, mid, late = P("early October"), P("mid-September"), P("late November")
    assert (early.value, early.start, early.end, early.mod) == (
        "2023-10", day("2023-10-01"), day("2023-10-11"), "START")
    assert (mid.start, mid.end, mid.mod) == (day("2023-09-11"), day("2023-09-21"), "MID")
    assert (late.start, late.end, late.mod) == (day("2023-11-21"), day("2023-12-01"), "END")


@pytest.mark.parametrize("text, value, mod", [
    ("for about five hours", "PT5H", "APPROX"),
    ("more than two weeks", "P2W", "MORE_THAN"),
    ("five year", "P5Y", None),
    ("a couple of years", "P2Y", None),
    ("2 1/2 years", "P30M", None),
    ("several months", "PXM", None),
])
def test_durations(text, value, mod):
    t = P(text)
    assert (t.kind, t.value, t.mod) == ("duration", value, mod)
    assert t.start is None and t.end is None


def test_anchored_spans_have_an_interval():
    t = P("the last twenty four hours")
    assert (t.kind, t.value) == ("duration", "PT24H")
    assert (t.start, t.end) == (day("2023-09-11 10:00"), day("2023-09-12 10:00"))
    t = P("the next 3 days")
    assert (t.start, t.end) == (day("2023-09-13"), day("2023-09-16"))


@pytest.mark.parametrize("text, value", [
    ("now", "PRESENT_REF"), ("currently", "PRESENT_REF"), ("earlier", "PAST_REF"),
    ("the past", "PAST_REF"), ("recently", "PAST_REF"), ("recent years", "PAST_REF"),
    ("later", "FUTURE_REF"), ("in the coming days", "FUTURE_REF"), ("the future", "FUTURE_REF"),
])
def test_vague_references(text, value):
    assert P(text).value == value


def test_coming_days_is_the_next_days():
    t = P("in the coming days")
    assert t.start == day("2023-09-13") and t.end > t.start


@pytest.mark.parametrize("text, value", [
    ("every week", "P1W"), ("annually", "P1Y"), ("daily", "P1D"), ("quarterly", "P3M"),
    ("every Monday", "XXXX-WXX-1"),
])
def test_sets(text, value):
    t = P(text)
    assert (t.kind, t.value) == ("set", value)


@pytest.mark.parametrize("text, value", [
    ("christmas", "2023-12-25"), ("Thanksgiving 2023", "2023-11-23"), ("easter 2024", "2024-03-31"),
    ("new year's eve", "2023-12-31"), ("Good Friday 2023", "2023-04-07"),
    ("Rabindranath Jayanti 2019", "2019-05-09"),
    # Earth Hour moves a week earlier when the last Saturday of March is Easter eve
    ("Earth Hour 2024", "2024-03-23T20:30"), ("Earth Hour 2019", "2019-03-30T20:30"),
])
def test_holidays(text, value):
    assert P(text).value == value


@pytest.mark.parametrize("text", [
    "laughing out loud", "1 adult", "we are separated", "25", "this one", "at 650.650.6500",
    "two three", "palm",
])
def test_negatives(text):
    assert P(text) is None


def test_parse_time_routes_english_here():
    t = parse_time("Tuesday morning", "2023-09-12", lang="en")
    assert t.value == "2023-09-12TMO"
    assert parse_time("hello there", "2023-09-12", lang="en") is None


# ----------------------------------------------------------------------------- find()

def test_find_weekday_follows_the_clause_tense():
    text = "He arrived on Tuesday and will leave on Friday. Officials said he met them Monday night."
    got = {text[s:e]: t.value for s, e, t in en.find(text, REF)}
    assert got == {"Tuesday": "2023-09-12", "Friday": "2023-09-15",
                   "Monday night": "2023-09-11TNI"}
    text = "The ministry said Wednesday that prices rose. Talks will resume Wednesday."
    vals = [t.value for _s, _e, t in en.find(text, REF)]
    assert vals == ["2023-09-06", "2023-09-13"]
    # a reporting verb is past even after a quoted future ("will")
    text = "Exiles will appeal the ruling, the government predicted Wednesday."
    assert [t.value for _s, _e, t in en.find(text, REF)] == ["2023-09-06"]


def test_find_offsets_on_a_real_article():
    path = DATA / "articles" / "blinken-beijing-2023.en.md"
    text = path.read_text(encoding="utf-8")
    found = en.find(text, pd.Timestamp("2023-06-20"))
    spans = {text[s:e]: t for s, e, t in found}
    for s, e, t in found:  # offsets are real, non-overlapping, and text matches
        assert text[s:e] == t.text
    assert [s for s, _e, _t in found] == sorted(s for s, _e, _t in found)
    assert all(a[1] <= b[0] for a, b in zip(found, found[1:], strict=False))
    assert (spans["late on Monday"].value, spans["late on Monday"].mod) == ("2023-06-19", "END")
    assert spans["Monday"].value == "2023-06-19"
    assert spans["Sunday morning"].value == "2023-06-18TMO"
    assert spans["two days"].value == "P2D"
    assert (spans["more than five hours"].value, spans["more than five hours"].mod) == (
        "PT5H", "MORE_THAN")
    assert spans["February"].value == "2023-02"
    # "in the afternoon" after "On Monday ..." is Monday's afternoon
    assert spans["the afternoon"].value == "2023-06-19TAF"
    # not times: the verb "May", "the first", bare numbers
    assert not any(w in spans for w in ("Xi", "five"))


def test_find_spans_leave_out_what_timeml_leaves_out():
    text = ("In the last twenty four hours, stocks hit a five year low. Now it is worse than "
            "in the past. You may go in March. He will march on. The first came 1,990 days later "
            "for 25 people. It paid $2000 and 1990 shares.")
    got = [(text[s:e], t.value) for s, e, t in en.find(text, REF)]
    assert got[:4] == [("the last twenty four hours", "PT24H"), ("five year", "P5Y"),
                       ("Now", "PRESENT_REF"), ("in the past", "PAST_REF")]
    words = [w for w, _v in got]
    assert "March" in words and "may" not in words and "march" not in words
    assert not any("1990" in w or "2000" in w or "25" == w or "first" in w for w in words)


def test_find_without_reference_keeps_absolute_dates():
    text = "Talks are expected on Thursday, and the deal was signed on 12 Sept 2023."
    got = {text[s:e]: t for s, e, t in en.find(text, None)}
    assert got["Thursday"].value == "XXXX-XX-XX" and got["Thursday"].start is None
    assert got["12 Sept 2023"].value == "2023-09-12"
    assert got["12 Sept 2023"].start == day("2023-09-12")


@pytest.mark.parametrize("text", [
    "8 next 2019 last 11:00 lunch 3pm", "a 8 xmas afternoon in 15:00",
    "two of 13th the year morning next 21:00:00 night July Thursday 2018",
])
def test_find_without_reference_never_raises_on_joins(text):
    found = en.find(text, None)
    assert found and all(t.start is None or t.value[0].isdigit() for _s, _e, t in found)


def test_find_quarter_in_focus_for_year_ago():
    text = ("Net income rose in the third quarter to $5 million from $3 million a year ago. "
            "Sales rose 8% from a year earlier.")
    got = [(text[s:e], t.value) for s, e, t in en.find(text, pd.Timestamp("1989-10-26"))]
    assert got == [("the third quarter", "1989-Q3"), ("a year ago", "1988-Q3"),
                   ("a year earlier", "1988-Q3")]


def test_find_anchors_to_the_story_date():
    text = ("The plant opened in March 2001. The following year it doubled output, and that "
            "year profits rose. Production stopped the next day.")
    got = [(text[s:e], t.value) for s, e, t in en.find(text, REF)]
    assert got == [("March 2001", "2001-03"), ("The following year", "2002"),
                   ("that year", "2002"), ("the next day", "XXXX-XX-XX")]


def test_find_clock_times_military_and_story_day():
    text = "The train arrived at about 6 a.m. local time (2100 GMT Monday); the 1500 hrs meeting."
    got = {text[s:e]: t.value for s, e, t in en.find(text, REF)}
    assert got == {"about 6 a.m.": "2023-09-12T06:00", "2100 GMT Monday": "2023-09-11T21:00",
                   "1500 hrs": "2023-09-12T15:00"}


def test_find_leaves_rates_and_adjectives():
    text = ("It paid $1 a share, or $500 million a year, for its quarterly dividend; the "
            "last-minute talks involved a 6-year-old boy and about three-quarters of the food.")
    assert en.find(text, REF) == []


def test_find_holidays_nearest_the_story_by_tense():
    text = ("Markets closed for the Lunar New Year holiday. Christmas was quiet. "
            "He will be home for Christmas.")
    vals = [t.value for _s, _e, t in en.find(text, pd.Timestamp("2024-02-05"))]
    assert vals == ["2024-02-10", "2023-12-25", "2024-12-25"]


@pytest.mark.parametrize("text, start, end", [
    ("Chinese New Year 1985", "1985-02-20", "1985-02-21"),  # new moons and the solstice
    ("Chinese New Year 2033", "2033-01-31", "2033-02-01"),
    ("Eid al-Fitr 2018", "2018-06-15", "2018-06-16"),  # tabular Hijri calendar
    ("Yom Kippur 2018", "2018-09-18", "2018-09-19"),  # Hebrew calendar, from the eve
    ("Passover 2018", "2018-03-30", "2018-04-08"),
    ("4pm for 30 mins", "2023-09-12 16:00", "2023-09-12 16:31"),
    ("from 18th Dec for 10 days", "2023-12-18", "2023-12-29"),
    ("three days after Easter 2024", "2024-04-03", "2024-04-04"),
    ("9:30 - 11:00 on Thursday", "2023-09-14 09:30", "2023-09-14 11:01"),
])
def test_calendars_and_compositions(text, start, end):
    t = P(text)
    assert (t.start, t.end) == (day(start), day(end))


def test_find_times_frame_for_english_articles():
    from analysis import find_times

    arts = pd.DataFrame({
        "article_id": ["a", "b"],
        "text": ["He left on Monday after the 11th century temple tour.", "Talks end in 2024."],
        "published": pd.to_datetime(["2023-09-12", "2023-09-12"], utc=True),
        "lang": ["en", "en"],
    })
    out = find_times(arts)
    assert list(out["surface"]) == ["Monday", "the 11th century", "2024"]
    assert list(out["value"]) == ["2023-09-11", "10", "2024"]
    assert out["time_start"].iloc[0] == day("2023-09-11") and pd.isna(out["time_start"].iloc[1])


def test_find_keeps_spans_a_frame_can_hold():
    # find_times stores nanosecond timestamps (1678-2261): older times keep only their value
    text = "Angkor Wat, the fabled 11th century temple, was restored in the 1990s."
    got = {text[s:e]: t for s, e, t in en.find(text, REF)}
    assert (got["11th century"].value, got["11th century"].start) == ("10", None)
    assert got["the 1990s"].start == day("1990-01-01")


def test_centuries_and_decades_with_mods():
    assert (P("the 20th century").value, P("the 20th century").granularity) == ("19", "century")
    t = P("mid-1996")
    assert (t.value, t.mod) == ("1996", "MID")


def test_find_scales_linearly_and_returns_sorted_spans():
    text = ("On Monday the minister said talks would resume next week. " * 2000)
    found = en.find(text, REF)
    assert len(found) == 4000
    assert all(a[1] <= b[0] for a, b in zip(found, found[1:], strict=False))


# ----------------------------------------------------------------------------- corpus floors

def _duckling_accuracy() -> float:
    ok = n = 0
    for line in open(DATA / "time" / "duckling_en.jsonl", encoding="utf-8"):
        c = json.loads(line)
        if c["constructor"] == "datetimeOpenInterval":
            continue
        ref = pd.Timestamp(c["reference"][:19])
        try:
            want = ([pd.Timestamp(x) for x in c["interval"]] if "interval" in c
                    else [pd.Timestamp(c["value"])] if c["constructor"] else [])
        except ValueError:
            continue
        got = en.parse(c["text"], ref)
        if c["constructor"] is None:
            good = got is None
        elif got is None:
            good = False
        elif len(want) == 2:
            good = got.start == want[0] and got.end == want[1]
        else:
            good = got.start == want[0]
        ok += good
        n += 1
    return ok / n


def _tempeval_scores() -> tuple[float, float]:
    tp = fp = val = n_gold = 0
    for line in open(DATA / "time" / "tempeval3_dev_60.jsonl", encoding="utf-8"):
        d = json.loads(line)
        gold, used = d["timexes"], set()
        n_gold += len(gold)
        for s, e, t in en.find(d["text"], pd.Timestamp(d["dct"])):
            best = next((i for i, g in enumerate(gold)
                         if i not in used and min(e, g["end"]) > max(s, g["start"])), None)
            if best is None:
                fp += 1
                continue
            used.add(best)
            tp += 1
            val += t.value == gold[best]["value"]
    p, r = tp / (tp + fp), tp / n_gold
    vp, vr = val / (tp + fp), val / n_gold
    return 2 * p * r / (p + r), 2 * vp * vr / (vp + vr)


def test_duckling_en_floor():
    assert _duckling_accuracy() >= DUCKLING_FLOOR


def test_tempeval_floor():
    span_f1, value_f1 = _tempeval_scores()
    assert span_f1 >= TEMPEVAL_SPAN_FLOOR
    assert value_f1 >= TEMPEVAL_VALUE_FLOOR


# measured values rounded down (see the commit that last changed them)
DUCKLING_FLOOR = 0.9224  # 0.92247 (940/1019): Earth Hour off Easter eve
TEMPEVAL_SPAN_FLOOR = 0.9346  # 0.93468 on the committed 60 documents (score.py's 250: 0.9432)
TEMPEVAL_VALUE_FLOOR = 0.7995  # 0.79955 (score.py's 250: 0.8118): -ed pasts, a report's quarter


# ----------------------------------------------------------------------------- windowed scanning

def _hits(text, ref, windows):
    return [(h.start, h.end, h.rule, h.expr) for h in en._run(text, ref, False, windows=windows)]


def test_find_windows_give_the_whole_text_scan():
    # find() runs each rule only around its trigger words: the result must be the full scan's
    texts = [(json.loads(line)["text"], pd.Timestamp(json.loads(line)["dct"]))
             for line in open(DATA / "time" / "tempeval3_dev_60.jsonl", encoding="utf-8")]
    texts.append(((DATA / "articles" / "blinken-beijing-2023.en.md").read_text(encoding="utf-8"), REF))
    for line in open(DATA / "time" / "duckling_en.jsonl", encoding="utf-8"):
        texts.append(("Officials said " + json.loads(line)["text"] + ", he added.", REF))
    differ = [t[:60] for t, ref in texts if _hits(t, ref, True) != _hits(t, ref, False)]
    assert differ == []


@pytest.mark.parametrize("text", [
    "We met someday", "it ran nextweek", "the 2018Q4 results", "Marchfirst", "at fivepm",
    "Hanukkah began", "Chanukah 2009", "Tu B'Shvat", "during Ramadan", "on Thanksgiving",
    "the mid-1990s", "the twenty-first century", "in the long run", "the week-end",
    # the longest lead-ins and tails the windows must reach
    "just under the remaining nine hundred and ninety nine days ago",
    "at the very beginning of the following week", "over the next several more upcoming years",
    "at approximately 3:15 p.m. EDT approximately", "in   the    morning of   this  Christmas  day",
    "Monday of the Holy Spirit 2024", "from the 13th to the 15th of July, 2009",
    "in \uff12\uff10\uff10\uff19", "on 2009-01-05", "fy2009", "12/2009", "at 3:30 pm",
    "Lag B'Omer", "Tu BShvat", "May Day", "Civil Rights Day", "two thousand nine",
    "a quarter past eleven", "at five fifteen",
])
def test_find_windows_cover_glued_and_rare_triggers(text):
    assert _hits(text, REF, True) == _hits(text, REF, False)


# ----------------------------------------------------------------------------- negative corpus

def _negative_lines():
    path = DATA / "time" / "negative_en.txt"
    return [s.strip() for s in path.read_text(encoding="utf-8").splitlines()
            if s.strip() and not s.startswith("#")]


@pytest.mark.parametrize("line", _negative_lines())
def test_negative_corpus_has_no_time(line):
    """Flights, scores, prices, route numbers ... are not times (tests/data/time/negative_en.txt)."""
    assert en.find(line, pd.Timestamp("2023-09-12")) == []


# ----------------------------------------------------------------------------- issue 13 forms

@pytest.mark.parametrize("text,start,end", [
    ("next week wednesday", "2023-09-20", "2023-09-21"),  # a weekday inside "next week"
    ("last week, Monday", "2023-09-04", "2023-09-05"),
    ("wednesday evening next week", "2023-09-20 18:00", "2023-09-21"),  # weekday + pod + week
    ("2014~2018", "2014-01-01", "2019-01-01"),  # a bare year range ends with its last year
    ("2014 to 2018", "2014-01-01", "2019-01-01"),
    ("2014 through may 2018", "2014-01-01", "2018-06-01"),  # a year, then a finer end
    ("the week after next", "2023-09-25", "2023-10-02"),
    ("the month before last", "2023-07-01", "2023-08-01"),
    ("October, 1st", "2023-10-01", "2023-10-02"),  # a comma between the month and its day
    ("2017 april", "2017-04-01", "2017-05-01"),  # the year first
    # opening hours on a weekday, not a date (12-4 is no 4 December): 12:00 to the end of the
    # 16 o'clock hour, as "3-4pm" ends at 17:00; 1 to 6 are afternoon hours
    ("monday 12-4", "2023-09-18 12:00", "2023-09-18 17:00"),
    ("wednesday from 10-4", "2023-09-13 10:00", "2023-09-13 17:00"),
    ("friday between 9 and 5", "2023-09-15 09:00", "2023-09-15 18:00"),
    ("first monday evening of next month", "2023-10-02 18:00", "2023-10-03"),  # nth weekday + pod
    ("the last friday night of march", "2024-03-29 18:00", "2024-03-30"),
])
def test_issue13_forms(text, start, end):
    t = en.parse(text, REF)
    assert t is not None and (t.start, t.end) == (pd.Timestamp(start), pd.Timestamp(end)), t


# ----------------------------------------------------------------------------- lunisolar holidays

def _lunisolar_rows():
    import csv

    path = Path(en.__file__).parent / "data" / "en" / "holidays_lunisolar.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


@pytest.mark.parametrize("row", _lunisolar_rows(), ids=lambda r: r["names"].split("|")[0])
def test_every_lunisolar_holiday_name_reads_its_table_date(row):
    from analysis.timex import calendars

    want = calendars.table_holiday(row["calendar"], row["method"], 2019)
    assert want is not None
    want = want + pd.Timedelta(days=int(row["offset"]))
    for name in row["names"].split("|"):
        t = en.parse(f"{name} 2019", REF)
        assert t is not None and t.start == want, (name, t)


@pytest.mark.parametrize("text,value", [
    ("Diwali 2019", "2019-10-27"),  # public calendars (drikpanchang, Government of India lists)
    ("Holi 2019", "2019-03-21"),
    ("Pongal 2018", "2018-01-14"),
    ("Deepavali in 2019", "2019-10-27"),  # "in" before the year
    ("Christmas in 2019", "2019-12-25"),
])
def test_lunisolar_holiday_dates(text, value):
    assert en.parse(text, REF).value == value


@pytest.mark.parametrize("text,value", [
    ("Christmas 2024", "2024-12-25"),  # fixed
    ("Thanksgiving 2024", "2024-11-28"),  # nth_weekday: the fourth Thursday of November
    ("Easter 2024", "2024-03-31"),  # easter
    ("Orthodox Easter 2024", "2024-05-05"),  # orthodox_easter
    ("Yom Kippur 2024", "2024-10-11"),  # hebrew: from the evening before
    ("Eid al-Fitr 2024", "2024-04-10"),  # hijri (Umm al-Qura)
    ("Koningsdag 2025", "2025-04-26"),  # function: the 27th is a Sunday
])
def test_holiday_rule_classes(text, value):
    assert en.parse(text, REF).value == value


def test_holiday_rows_are_data():
    import csv

    path = Path(en.__file__).parent / "data" / "en" / "holidays.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    assert [p for p, _f, _d in en._HOLIDAYS[:len(rows)]] == [r["pattern"] for r in rows]


def test_weekday_part_of_day_then_week_in_a_story():
    found = en.find("He left Monday morning last week.", REF)
    assert [(s, e, t.value) for s, e, t in found] == [(8, 32, "2023-09-04TMO")]


# ----------------------------------------------------------------------------- tense of the clause

@pytest.mark.parametrize("sentence, surface, value", [
    # a regular past (-ed) or an irregular one sends a bare month back (REF: 2023-09-12)
    ("He stepped down as chairman in March for health reasons.", "March", "2023-03"),
    ("In January, the company brought in a new chief executive.", "January", "2023-01"),
    # a passive with is/are/be takes the auxiliary's tense: not past
    ("The appeal will be heard in May in the circuit court.", "May", "2024-05"),
    # an abbreviation's full stop does not end the clause ("a.m.", "U.S.")
    ("Officials will meet at 9 a.m. Thursday.", "9 a.m. Thursday", "2023-09-14T09:00"),
    # "next to" is a place, not the coming week
    ("Many were killed in the blast next to the U.S. embassy on Friday.", "Friday", "2023-09-08"),
    # the tense inside a quotation, not the reporting verb after it
    ("``The father will leave Thursday,'' Castro said.", "Thursday", "2023-09-14"),
    ("Traders squared positions ahead of the weekend.", "the weekend", "2023-W37-WE"),
    ("The pact, effective June 1, was signed.", "June 1", "2024-06-01"),
    # an un-...-ed adjective is no past verb
    ("Qantas will double its flights by June, in markets untouched by the crisis.", "June",
     "2024-06"),
])
def test_tense_of_the_clause(sentence, surface, value):
    found = {sentence[s:e]: t.value for s, e, t in en.find(sentence, REF)}
    assert found.get(surface) == value, found


def test_clock_time_in_a_past_clause_stays_on_a_story_dated_without_time():
    text = "The suspect was scheduled to appear before a judge at midday."
    found = [(text[s:e], t.value) for s, e, t in en.find(text, pd.Timestamp("1999-10-08"))]
    assert found == [("midday", "1999-10-08T12:00")]


def test_report_period_is_the_quarter_the_report_names_first():
    text = ("XYZ Corp. said third-quarter net fell. In the second quarter it had a gain. "
            "In the year-ago period it lost money. In the 1989 period, costs rose. "
            "The latest period had profit.")
    found = [(text[s:e], t.value) for s, e, t in en.find(text, pd.Timestamp("1989-11-01"))]
    assert ("the year-ago period", "1988-Q3") in found
    assert ("the 1989 period", "1989-Q3") in found
    assert ("The latest period", "1989-Q3") in found


def test_report_period_without_a_quarter():
    text = "Sales in the latest period rose; in the 1988 period they fell."
    found = [(text[s:e], t.value) for s, e, t in en.find(text, pd.Timestamp("1989-11-01"))]
    assert found == [("the 1988 period", "1988")]


def test_year_ago_ordinal_quarter_is_one_span_a_year_back():
    text = "In the year-ago third quarter, the company earned $22.5 million."
    found = [(text[s:e], t.value) for s, e, t in en.find(text, pd.Timestamp("1989-10-30"))]
    assert found == [("the year-ago third quarter", "1988-Q3")]


@pytest.mark.parametrize("text", ["Good evening from Central Park.", "Live from Atlanta, good morning."])
def test_greeting_is_no_time(text):
    assert en.find(text, REF) == []


def test_year_back_after_a_nine_month_figure_is_that_year():
    text = ("XYZ Corp.'s third-quarter net rose 10% to $5 million from $4.5 million a year earlier. "
            "For the nine months, net was $15 million, compared with $12 million a year earlier.")
    found = [(text[s:e].strip(), t.value) for s, e, t in en.find(text, pd.Timestamp("1989-10-26"))]
    assert [v for s, v in found if s == "a year earlier"] == ["1988-Q3", "1988"]


@pytest.mark.parametrize("sentence, surface, value", [
    ("He had been killed within a week of his capture.", "a week", "P1W"),  # "a week of": a span
    ("The appeal could take as long as a month or two.", "a month", "P1M"),  # "as" is no plural
    ("It turned a profit after several quarters of losses.", "several quarters", "PXQ"),
])
def test_durations_that_look_like_amounts(sentence, surface, value):
    found = {sentence[s:e]: t.value for s, e, t in en.find(sentence, REF)}
    assert found.get(surface) == value, found


@pytest.mark.parametrize("sentence, surface, value", [
    ("He was shot to death last Oct. 23 at his home.", "last Oct. 23", "2022-10-23"),
    ("Prices closed lower again Friday, the fourth decline in five days.", "Friday", "2023-09-08"),
])
def test_relative_dates_in_a_story(sentence, surface, value):
    found = {sentence[s:e]: t.value for s, e, t in en.find(sentence, REF)}
    assert found.get(surface) == value, found


def test_the_quarter_in_a_report_is_the_quarter_it_is_about():
    text = ("Sun Microsystems posted a first-quarter loss. Sun said it expected to break even "
            "for the quarter on sales of $530 million.")
    found = {text[s:e]: t.value for s, e, t in en.find(text, pd.Timestamp("1989-10-26"))}
    assert found["first-quarter"] == "1989-Q1" and found["the quarter"] == "1989-Q1", found


def test_five_to_seven_today():
    # parse() keeps Duckling's convention, the next 6:55 after the reference ...
    t = en.parse("five to seven today", pd.Timestamp("2013-02-12 04:30"))
    assert (t.start, t.value) == (pd.Timestamp("2013-02-12 06:55"), "2013-02-12T06:55")
    # ... find() the news one: with no am/pm, 1 to 6 o'clock is the afternoon, so 18:55
    text = "The quake struck at five to seven today, officials said."
    found = [(text[s:e], x.value) for s, e, x in en.find(text, pd.Timestamp("2013-02-12 21:00"))]
    assert found == [("five to seven today", "2013-02-12T18:55")]
    assert en.find("He met five to seven people.", REF) == []  # a number range, no time


def test_weekday_hours_in_news_need_from():
    # "Monday 12-4" in a story is a score; "from 10-4" is opening hours
    assert [t.value for _s, _e, t in en.find("Boston beat Toronto Monday 12-4.", REF)] == ["2023-09-11"]
    text = "The office will be open Wednesday from 10-4."
    found = [(text[s:e], t.value) for s, e, t in en.find(text, REF)]
    assert found == [("Wednesday from 10-4", "2023-09-13T10/2023-09-13T16")]


@pytest.mark.parametrize("sentence, surface, value, mod", [
    ("It will cut 6,000 jobs by year end.", "year end", "1989", "END"),  # as "the end of the year"
    ("Rules should be in place by year's end.", "year's end", "1989", "END"),
    ("Year-end net was low.", "Year-end", "1989-12-31", None),  # the adjective: the last day
])
def test_year_end(sentence, surface, value, mod):
    found = {sentence[s:e]: (t.value, t.mod) for s, e, t in en.find(sentence, pd.Timestamp("1989-10-26"))}
    assert found.get(surface) == (value, mod), found


@pytest.mark.parametrize("sentence, surface, value", [
    ("Prisoners were taken in the first hours of the ground war.", "the first hours", "PTXH"),
    ("In the years that followed, the guerrillas grew.", "the years", "PXY"),
])
def test_plural_units_after_the(sentence, surface, value):
    found = {sentence[s:e]: t.value for s, e, t in en.find(sentence, REF)}
    assert found.get(surface) == value, found


def test_the_previous_and_the_following_weekday_count_from_the_story_day():
    # anaphoric, unlike "last Friday"; a bare "overnight" is no day the story names
    text = ("Frankfurt prices closed lower Friday after overnight losses in New York. The index was "
            "down 4.5% from the previous Friday. He left on Oct. 3 and returned the following Monday.")
    found = {text[s:e]: t.value for s, e, t in en.find(text, pd.Timestamp("1989-10-30"))}
    assert found["the previous Friday"] == "1989-10-20"
    assert found["the following Monday"] == "1989-10-09"
    assert en.parse("the previous Friday", REF).value == "2023-09-08"  # alone: the last one


@pytest.mark.parametrize("sentence, values", [
    ("Orangemen march each July from their church.", ["XXXX-07"]),
    ("Two flights leave on Monday and Tuesday nights.", ["XXXX-WXX-1TNI", "XXXX-WXX-2TNI"]),
    ("We sat nights by the fire.", []),
])
def test_sets_of_months_and_weekday_nights(sentence, values):
    assert [t.value for _s, _e, t in en.find(sentence, REF)] == values


@pytest.mark.parametrize("sentence, surface, value", [
    ("Islam will one day be the second largest religion.", "one day", "FUTURE_REF"),
    ("It took one day to finish.", "one day", "P1D"),
    ("The economy will slow in coming months.", "coming months", "FUTURE_REF"),
])
def test_vague_future(sentence, surface, value):
    found = {sentence[s:e]: t.value for s, e, t in en.find(sentence, REF)}
    assert found.get(surface) == value, found


def test_bracketed_conversion_of_a_clock_time():
    # the GMT reading in brackets is the same moment: one expression, on the day after it
    text = "The blast occurred at about 10:35 a.m. (0735 GMT) Friday, toppling a building."
    found = [t.value for _s, _e, t in en.find(text, pd.Timestamp("1998-08-08"))]
    assert found == ["1998-08-07T10:35"]
