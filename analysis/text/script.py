"""Script and language detection: the one rule every stage uses.

The rule
--------
1. A declared tag wins. ``detect_lang(text, declared)`` with a non-empty ``declared`` returns it
   normalised (``zh``/``zh-CN``... -> ``zh-Hans`` / ``zh-Hant`` / ``zh``; anything else as given);
   the article loader always declares one, so the stages agree with ``articles.lang``.
2. Otherwise the script of the first 8,000 characters decides, counting letters (``\\w`` minus
   digits and ``_``): Japanese when there are at least 5 kana and kana are over 10% of Han+kana;
   Korean when Hangul is over 30% of letters; Chinese when Han characters are over 25% of letters
   (then simplified or traditional by OpenCC's character tables); English when Latin letters are
   over 60%; else ``"und"``. A text with no letters is ``"und"``.

``is_zh`` is rule 1 or 2 answered yes/no ("zh" prefix), without the simplified/traditional step.
``dominant_lang`` is the rule for a collection (which labels a view draws): the declared tags'
majority, else :func:`is_zh` of the joined texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Literal

__all__ = ["Lang", "chinese_script", "detect_lang", "dominant_lang", "has_cjk", "is_zh",
           "normalise_tag"]

Lang = Literal["zh-Hans", "zh-Hant", "zh", "ja", "ko", "en", "und"]

SAMPLE = 8_000
#: Han ideographs (unified, extension A, compatibility, supplementary planes).
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
#: Characters of CJK scripts and full-width forms (for line joining and label choice).
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0002ffff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_LETTER = re.compile(r"[^\W\d_]")

_TAGS = {
    "zh-cn": "zh-Hans", "zh-sg": "zh-Hans", "zh-hans": "zh-Hans", "zh-hans-cn": "zh-Hans",
    "zh-tw": "zh-Hant", "zh-hk": "zh-Hant", "zh-mo": "zh-Hant", "zh-hant": "zh-Hant",
    "zh-hant-tw": "zh-Hant", "zh-hant-hk": "zh-Hant",
}


def has_cjk(text: str) -> bool:
    """Return True when ``text`` holds at least one Han ideograph.

    Examples
    --------
    >>> has_cjk("Pyongyang 平壤"), has_cjk("Pyongyang")
    (True, False)
    """
    return HAN.search(text) is not None


def normalise_tag(tag: str) -> str:
    """Return a BCP 47 tag with Chinese region/script variants as ``zh-Hans``/``zh-Hant``."""
    return _TAGS.get(tag.strip().lower(), tag.strip())


@lru_cache(maxsize=1)
def _script_sets() -> tuple[frozenset[str], frozenset[str]]:
    """Traditional-only and simplified-only characters, from OpenCC's character tables."""
    from analysis.text.fold import opencc_table

    ts, st = opencc_table("TSCharacters.txt"), opencc_table("STCharacters.txt")
    traditional = frozenset(k for k, v in ts.items() if len(k) == 1 and k not in v)
    simplified = frozenset(k for k, v in st.items() if len(k) == 1 and k not in v)
    return traditional, simplified


def chinese_script(text: str) -> Literal["zh-Hans", "zh-Hant", "zh"]:
    """Return ``"zh-Hans"``, ``"zh-Hant"`` or ``"zh"`` (undecided) for Chinese text.

    A character is traditional-only when OpenCC's t2s table converts it to something else, and
    simplified-only when its s2t table does not keep it among the candidates; the side with more
    such characters in the first 8,000 characters wins.

    Examples
    --------
    >>> chinese_script("列車離開平壤"), chinese_script("列车离开平壤")
    ('zh-Hant', 'zh-Hans')
    """
    han = HAN.findall(text, 0, SAMPLE)
    if not han:
        return "zh"
    traditional_only, simplified_only = _script_sets()
    traditional = sum(1 for c in han if c in traditional_only)
    simplified = sum(1 for c in han if c in simplified_only)
    if traditional > simplified:
        return "zh-Hant"
    if simplified > traditional:
        return "zh-Hans"
    return "zh"


def _script_of(sample: str) -> str:
    """Rule 2 without the simplified/traditional step: "zh", "ja", "ko", "en" or "und"."""
    letters = len(_LETTER.findall(sample))
    if not letters:
        return "und"
    han = len(HAN.findall(sample))
    kana = len(_KANA.findall(sample))
    if kana >= 5 and kana > 0.1 * (han + kana):
        return "ja"
    if len(_HANGUL.findall(sample)) > 0.3 * letters:
        return "ko"
    if han > 0.25 * letters:
        return "zh"
    if len(_LATIN.findall(sample)) > 0.6 * letters:
        return "en"
    return "und"


def detect_lang(text: str, declared: str | None = None) -> str:
    """Return the language tag of ``text``: the declared one, else one guessed from its script.

    Parameters
    ----------
    text : str
        The text (only its first 8,000 characters are read).
    declared : str, optional
        A tag the caller already knows (an article's ``lang``); it wins when non-empty.

    Returns
    -------
    str
        ``declared`` normalised, or one of ``Lang``: ``zh-Hans``, ``zh-Hant``, ``zh``, ``ja``,
        ``ko``, ``en``, ``und``.

    Examples
    --------
    >>> detect_lang("金正恩乘坐的列车驶入俄罗斯"), detect_lang("Kim's train", declared="zh-TW")
    ('zh-Hans', 'zh-Hant')
    """
    if isinstance(declared, str) and declared.strip():
        return normalise_tag(declared)
    sample = text[:SAMPLE]
    tag = _script_of(sample)
    return chinese_script(sample) if tag == "zh" else tag


def is_zh(text: str, declared: str | None = None) -> bool:
    """Return True when ``text`` is Chinese by the module's rule (a declared tag wins).

    Examples
    --------
    >>> is_zh("周二早上"), is_zh("Tuesday morning"), is_zh("周二", declared="en")
    (True, False, False)
    """
    if isinstance(declared, str) and declared.strip():
        return declared.strip().lower().startswith("zh")
    return _script_of(text[:SAMPLE]) == "zh"


def dominant_lang(tags: Iterable[Any], texts: Iterable[Any] = ()) -> str:
    """Return the language of a collection of articles or rows (e.g. which labels a view uses).

    Parameters
    ----------
    tags : iterable
        Declared tags (a frame's ``lang`` column); NA and empty values are skipped.
    texts : iterable, optional
        Texts to read when no tag is declared (surfaces, evidence); non-strings are skipped.

    Returns
    -------
    str
        ``"zh-Hant"`` when at least half the tags are Chinese and most of those traditional,
        ``"zh"`` when at least half are Chinese, ``"en"`` otherwise; with no tags, ``"zh"`` when
        the joined texts are Chinese by :func:`is_zh`, else ``"en"``.

    Examples
    --------
    >>> dominant_lang(["zh-Hans", "en", "zh-Hant", "zh-Hant"]), dominant_lang([], ["平壤", "哈桑"])
    ('zh-Hant', 'zh')
    """
    declared = [normalise_tag(t) for t in tags if isinstance(t, str) and t.strip()]
    if declared:
        zh = [t for t in declared if t.lower().startswith("zh")]
        if 2 * len(zh) < len(declared):
            return "en"
        return "zh-Hant" if 2 * sum(t == "zh-Hant" for t in zh) > len(zh) else "zh"
    joined = " ".join(t for t in texts if isinstance(t, str))
    return "zh" if is_zh(joined) else "en"
