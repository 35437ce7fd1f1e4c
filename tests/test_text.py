"""analysis.text: the one script/language rule and the one traditional->simplified fold."""

from __future__ import annotations

import pytest

from analysis.text.fold import fold, t2s_table
from analysis.text.script import chinese_script, detect_lang, has_cjk, is_zh, normalise_tag


# ----------------------------------------------------------------------------- detection
@pytest.mark.parametrize("text, tag", [
    ("金正恩乘坐的专列驶入俄罗斯境内。", "zh-Hans"),          # simplified
    ("金正恩乘坐的專列駛入俄羅斯境內。", "zh-Hant"),          # traditional
    ("Kim Jong Un's train crossed into Russia.", "en"),       # Latin
    ("東京で会談が行われました。ロシアの大統領", "ja"),       # kana
    ("김정은 위원장이 러시아에 도착했다", "ko"),               # Hangul
    ("2023-09-12 12:00", "und"),                              # no letters
    ("Путин встретил Ким Чен Ына", "und"),                    # a script we do not read
])
def test_detect_lang_by_script(text, tag):
    assert detect_lang(text) == tag


def test_declared_tag_wins_and_is_normalised():
    assert detect_lang("Kim's train", declared="zh-TW") == "zh-Hant"
    assert detect_lang("金正恩", declared="en") == "en"
    assert detect_lang("金正恩的专列", declared="") == "zh-Hans"  # empty: detect
    assert normalise_tag("zh-CN") == "zh-Hans" and normalise_tag("fr") == "fr"


def test_chinese_needs_a_quarter_of_the_letters():
    # one place name in an English sentence does not make it Chinese; a few Latin letters in a
    # Chinese sentence do not make it English
    assert not is_zh("Kim Jong Un met Putin at Vostochny (东方航天发射场) on Wednesday.")
    assert is_zh("金正恩周三在Vostochny会见普京")
    assert is_zh("周二早上") and not is_zh("Tuesday morning")
    assert is_zh("Tuesday", declared="zh-Hans") and not is_zh("周二", declared="en")


def test_has_cjk_and_script():
    assert has_cjk("Pyongyang 平壤") and not has_cjk("Pyongyang")
    assert chinese_script("臺灣") == "zh-Hant" and chinese_script("台湾") == "zh-Hans"
    assert chinese_script("中文") == "zh"  # the same in both scripts: undecided


# ----------------------------------------------------------------------------- folding
def test_fold_keeps_offsets_and_only_changes_traditional_characters():
    trad = "列車離開平壤，駛向哈巴羅夫斯克方向。Kim 2023年"
    folded = fold(trad)
    assert folded == "列车离开平壤，驶向哈巴罗夫斯克方向。Kim 2023年"
    assert len(folded) == len(trad)
    simp = "金正恩乘坐的专列驶入俄罗斯"
    assert fold(simp) == simp


def test_fold_table_is_one_to_one_and_built_once():
    table = t2s_table()
    assert table is t2s_table()  # cached
    assert all(len(v) == 1 and chr(k) != v for k, v in table.items())
    assert table[ord("華")] == "华" and table[ord("後")] == "后"


def test_every_stage_folds_with_the_shared_table():
    from analysis.places import build
    from analysis.timeline import cues
    from analysis.timex.lang import zh

    text = "上週二下午兩點鐘，列車離開平壤，駛向哈巴羅夫斯克"
    assert cues.fold(text) == fold(text)
    assert build.t2s_table() == t2s_table()
    # the time grammar folds the same characters, plus full-width forms to ASCII
    assert zh.fold(text) == fold(text).replace("，", ",")


def test_dominant_lang_of_a_collection():
    from analysis.text.script import dominant_lang

    assert dominant_lang(["zh-Hans", "en"]) == "zh"  # a tie draws Chinese labels
    assert dominant_lang(["en", "en", "zh-Hans"]) == "en"
    assert dominant_lang(["zh-Hant", "zh-TW", "zh-Hans", None]) == "zh-Hant"
    assert dominant_lang([None, ""], ["列车驶入俄罗斯", "平壤"]) == "zh"
    assert dominant_lang([], ["Kim's train left Pyongyang", "平壤"]) == "en"
    assert dominant_lang([]) == "en"


def test_views_use_the_shared_rule():
    import pandas as pd

    from analysis.views.labels import resolve_lang as _resolve_lang
    from analysis.views.webmap import _lang

    frame = pd.DataFrame({"lang": ["zh-Hant", "zh-Hant", "en"], "evidence": ["a", "b", "c"]})
    assert _lang("auto", frame) == "zh-Hant" and _resolve_lang("auto", [frame]) == "zh"
    frame = pd.DataFrame({"evidence": ["金正恩的专列驶入俄罗斯", "抵达哈桑站"]})
    assert _lang("auto", frame) == "zh" and _resolve_lang("auto", [frame]) == "zh"
