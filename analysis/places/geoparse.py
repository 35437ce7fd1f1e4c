"""Find the places an article mentions and resolve each to a point: ``find_places``.

Three steps, as in T-Res: recognise (Chinese by the longest gazetteer match on jieba's word
boundaries, English by capitalised spans looked up in the gazetteer), rank every sense of each name on
the article's evidence (feature importance, explicit qualifiers, the other places of the article, one
sense per article), and tell governments speaking (``role == "metonymic"``) from places.
"""

from __future__ import annotations

import gc
import logging
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import schema
from analysis.places.metonymy import role_cue
from analysis.text.invisible import original_span, strip_invisible
from analysis.text.script import is_zh

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    import pandas as pd

    from analysis.places.index import Gazetteer

logger = logging.getLogger(__name__)

__all__ = ["find_places"]

# ---------------------------------------------------------------------------- cue words
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9 .,'’&\-]*")

# an organisation, product or publication whose name starts with a place name ends with one of these
_ZH_ORG_HEADS = (
    "公司", "集团", "银行", "研究院", "研究所", "研究中心", "大学", "学院", "中学", "小学", "论坛", "日报",
    "时报", "晚报", "早报", "周刊", "报社", "电视台", "广播", "电台", "通讯社", "新闻社", "新闻台", "航空",
    "俱乐部", "球队", "足球队", "篮球队", "协会", "学会", "基金会", "委员会", "国防部", "外交部", "商务部",
    "财政部", "国务院", "国务卿", "系列", "导弹", "火箭", "号", "级", "队", "报", "社", "党", "军团",
    "交易所", "医院", "酒店", "饭店", "宾馆", "博物馆", "体育场", "体育馆", "剧院", "峰会", "宣言", "协议",
    "条约", "公约", "会议", "进程", "模式", "共识", "机制", "牌", "型", "部", "共产党", "民主党",
    "共和党", "国民党", "保守党", "工党", "自由党", "人民党", "航天局", "航母", "舰", "理工",
)
_ZH_ORG_HEADS_1 = frozenset(h for h in _ZH_ORG_HEADS if len(h) == 1)
_ZH_ORG_HEADS_N = re.compile("|".join(h for h in _ZH_ORG_HEADS if len(h) > 1))
# words that end the modifiers between a place name and an organisation's head word
_ZH_NOT_MODIFIER = re.compile(
    r"[的在和与是了将向对从及或等于把被让给为，。、；：！？]|主办|举办|举行|召开|参加|出席|访问|发表|表示|"
    r"宣布|成立|设立|建立|加入|退出|支持|反对|前往|抵达|离开|进入|会见|会晤|签署|发射|部署|进行|开展|"
    r"提供|出售|购买|报道|指出|称")
# a place name directly followed by these is part of a longer name (a person, an ethnic word, ...)
_ZH_NOT_AFTER = ("人", "族", "语", "文", "式", "菜", "籍", "裔")
_ZH_METO_AFTER = re.compile(
    r"^(?:方面|当局|政府|官方|领导层|高层)|^(?:的)?(?:此前|曾|已经|已|也|则|还|一直|再次|随即|持续|将|"
    r"今天|周[一二三四五六日]|较早前|早前|近日|日前|当天|正式|随后|多次|再度|公开|强烈|坚决|一再|不断|"
    r"并|又|都|亦){0,3}"
    r"(?:表示|警告|希望|称|宣布|证实|否认|敦促|要求|指责|谴责|回应|声明|认为|强调|呼吁|拒绝|批评|反对|"
    r"支持|承认|同意|决定|威胁|抗议|坚持|主张|指出|说|声称|发表|计划|试图|寻求|应当|应该|愿意|不感兴趣)"
)
_ZH_LOCATIVE_BEFORE = re.compile(r"(?:在|到|抵达|前往|飞往|访问|离开|位于|进入|驶入|来到|于|从|经|赴|抵)$")
_EN_METO_AFTER = re.compile(
    r"^(?:\s*(?:has|have|had|is|was|will|would|could|may|might|should|must|also|then|"
    r"later|quickly|again|repeatedly|previously|already|reportedly|officially|firmly|strongly|"
    r"not|never|\w+ly)\s+){0,2}\s*"
    r"(?:said|says|say|announced|announces|warned|warns|claimed|claims|accused|accuses|denied|denies|"
    r"rejected|rejects|insisted|insists|urged|urges|demanded|demands|responded|responds|agreed|agrees|"
    r"refused|refuses|threatened|threatens|condemned|condemns|criticized|criticised|criticizes|wants|"
    r"wanted|hopes|hoped|believes|believed|confirmed|confirms|declared|declares|signed|signs|imposed|"
    r"imposes|sanctioned|vowed|vows|called|calls|pledged|pledges|blamed|blames|decided|decides|"
    r"announce|warn|deny|reject|insist|urge|want|hope|sign|impose|plans|planned|intends|"
    r"recognized|recognised|recognizes|protested|protests|objected|objects|retaliated|negotiated|"
    r"blames|blamed|expects|expected|seeks|sought|opposes|opposed|backs|backed|supports|expels|"
    r"expelled|considers|accepts|accepted|insisted|announced|responded|retaliates|vetoed|vetoes)\b"
)
_EN_METO_BEFORE = re.compile(
    r"(?:talks with|ties with|relations with|pressure on|sanctions (?:on|against)|deal with|"
    r"agreement with|dialogue with|negotiations with|urged|accused|warned|criticized|criticised|"
    r"condemned|asked|told|called on|support(?:ed)? for|backed by|supported by|allies of|"
    r"war (?:with|against|on)|trade with|blames|blamed|accuses|sanctioned|worried about|"
    r"worrying about|confront|confronted|punish|punished)\s+(?:the\s+)?$"
)
# "Turkey has shelled", "Mexico should limit", "Iran's exports": the state acts, owns or decides
_EN_SUBJECT_VERB = re.compile(
    r"^(?:\s+(?:has|have|had|will|would|could|should|must|may|might|can|cannot|did|does|is|was|"
    r"also|already|now|then|still|not|n't|never|has not|did not|\w+ly)\b)*\s+([a-z]+)\b"
)
_EN_POSSESSED = re.compile(
    r"^(?:'s|’s)\s+(?:own\s+)?(?:\w+\s+)?(?:exports?|imports?|trade|policy|policies|decision|"
    r"response|position|stance|sanctions|demands?|proposal|efforts?|support|influence|interests?|"
    r"offensive|protection|strategy|relations|ties|allies|backing|involvement|intervention|"
    r"mission|future|view|views|request|requests|decisions|bid|refusal|approval|concerns?|"
    r"commitment|claims?|warning|threats?|vote|ruling|withdrawal|recognition|accession|"
    r"membership|reaction|reply|gdp|GDP|ambitions?|stance|veto|objections?)\b"
)
_EN_MODAL_VERB = re.compile(
    r"^\s+(?:would|will|should|must|could|can|cannot|may|might|had to|has to|have to|wants to|"
    r"needs to|plans to|intends to|is to|was to|is expected to|is going to|has|had|have)"
    r"(?:\s+(?:also|not|never|now|then|still|soon|again|already|\w+ly))?\s+"
    r"(?!be\b|been\b|a\b|an\b|the\b|no\b|to\b|more\b|many\b|some\b|about\b|been\b|long\b|"
    r"over\b|seen\b|become\b|experienced\b|suffered\b|lost\b)[a-z]{3,}\b")
_EN_AGENT_BY = re.compile(r"\b[a-z]+(?:ed|en|wn|ht|de)\s+by\s+(?:the\s+)?$")
_EN_COORDINATED = re.compile(r"^\s+and\s+(?:the\s+)?(?:[A-Z][\w.]*\s?){1,3}(?=\s)")
# a present-tense verb after a country as subject ("maintains", "leads", "wants"), not a plural noun
_EN_PRESENT_VERB = re.compile(
    r"^(?:maintains|leads|wants|needs|says|sees|seeks|plans|hopes|believes|considers|remains|holds|"
    r"keeps|takes|makes|gives|sends|imposes|faces|hosts|supports|opposes|refuses|encourages|"
    r"continues|intends|insists|argues|expects|accounts|ranks|lacks|owns|buys|sells|pays|imports|"
    r"exports|produces|spends|stands|wins|loses|tops|joins|backs|blocks|bans|signs|vows|pledges|"
    r"announces|demands|rejects|accepts|agrees|denies|welcomes|condemns|warns|urges|threatens|"
    r"doesn|isn|won|can|cannot|did|does)$")
_EN_NOT_VERBS = {"and", "or", "but", "the", "a", "an", "of", "in", "on", "at", "to", "for", "with",
                 "is", "was", "are", "were", "be", "been", "being", "city", "county", "state",
                 "area", "region", "native", "resident", "residents", "based", "born", "police",
                 "time", "bed", "red", "led", "need", "seed", "feed", "speed", "shed"}
_EN_TITLES = {
    "Mr", "Mrs", "Ms", "Miss", "Dr", "Sen", "Senator", "Rep", "Gov", "Governor", "President", "Judge",
    "Officer", "Sgt", "Sergeant", "Lt", "Capt", "Captain", "Coach", "Prof", "Professor", "Rev",
    "Pastor", "Father", "Sister", "Brother", "Mayor", "Sheriff", "Deputy", "Chief", "General", "Gen",
    "Col", "Maj", "Secretary", "Minister", "Prime", "King", "Queen", "Prince", "Princess", "Pope",
    "Saint", "Detective", "Trooper", "Councilman", "Councilwoman", "Commissioner", "Attorney", "Lady",
    "Sir", "Lord", "Justice", "Chairman", "Director", "Superintendent", "Principal", "Bishop",
}
_EN_STREET = {
    "Street", "St", "Road", "Rd", "Avenue", "Ave", "Boulevard", "Blvd", "Drive", "Dr", "Lane", "Ln",
    "Highway", "Hwy", "Way", "Court", "Ct", "Place", "Pl", "Parkway", "Pkwy", "Circle", "Trail",
    "Terrace", "Pike", "Turnpike", "Expressway", "Freeway", "Square",
}
_EN_STREET_ABBR = {"St", "Rd", "Ave", "Blvd", "Dr", "Ln", "Hwy", "Ct", "Pl", "Pkwy"}
_EN_ORG_HEADS = {
    "University", "College", "Institute", "Corporation", "Corp", "Inc", "Company", "Co", "Bank",
    "Times", "Post", "Journal", "Herald", "Tribune", "Gazette", "News", "Press", "Daily", "Chronicle",
    "Magazine", "Airlines", "Airways", "Group", "Foundation", "Endowment", "Association", "Society",
    "Club", "Party", "Capitals", "Nationals", "Rangers", "Giants", "Jets", "Kings", "United",
    "Stars", "Bears", "Lions", "Tigers", "Hawks", "Eagles", "Reds", "Sox", "Cubs", "Braves", "Royals",
    "Mets", "Yankees", "Dodgers", "Redskins", "Cowboys", "Steelers", "Saints", "Raiders", "Packers",
    "Express", "Motors", "Railway", "Railroad", "Hotel", "Hospital", "Church", "Cathedral",
    "Stadium", "Arena", "Center", "Centre", "Mall", "Theater", "Theatre", "Museum", "Library",
    "Agreement", "Accord", "Accords", "Treaty", "Convention", "Protocol", "Declaration", "Summit",
    "Conference", "Forum", "Review", "Standard", "Observer", "Telegraph", "Guardian", "Examiner",
    "Sentinel", "Courier", "Register", "Record", "Star", "Sun", "Bee", "Mail", "Globe", "Dispatch",
}
# words after a name that keep it a place ("Rapides Parish", "Ussuriysk region")
_EN_ADMIN_HEADS = {"County", "Parish", "Borough", "Township", "Province", "Prefecture", "Oblast",
                   "Krai", "Region", "State", "District", "Territory", "Governorate", "Municipality"}
# capitalised only because they start a sentence; never the first word of a place's name here
_EN_LEADING = {
    "The", "A", "An", "But", "And", "Or", "If", "When", "While", "After", "Before", "As", "At", "In",
    "On", "For", "From", "With", "By", "To", "Of", "It", "He", "She", "They", "We", "I", "You",
    "This", "That", "These", "Those", "There", "Here", "His", "Her", "Their", "Our", "My", "Your",
    "Its", "So", "Then", "Now", "Also", "Yet", "Although", "Because", "Since", "During", "Despite",
    "Meanwhile", "However", "According", "Every", "Each", "Many", "Most", "All", "Both", "Only",
    "Even", "Still", "Just", "Like", "Unlike", "Though", "Where", "What", "Who", "Why", "How",
}
_EN_INSTITUTION = {
    "Police", "Fire", "Sheriff", "Sheriff's", "City", "Council", "School", "Schools", "High",
    "Middle", "Elementary", "Board", "Court", "Hospital", "Medical", "Regional", "Community",
    "Chamber", "Public", "Library", "Water", "Airport", "Park", "Parks", "Zoo", "Fair", "Area",
    "Metro", "Transit", "Housing", "Commission", "Department", "Dept", "Health", "Municipal",
    "Township", "Town", "Village", "Borough", "Harbor", "Harbour", "Port", "Bay", "River", "Lake",
    "Mountain", "Valley", "Beach", "Memorial", "Civic", "Convention", "Symphony", "Rotary",
    "Chapter", "Branch", "Office", "Station", "Bureau", "Authority", "District",
}
_EN_DETERMINERS = {"The", "A", "An", "This", "That", "These", "Those", "Our", "Their", "His", "Her",
                   "Its", "My", "Your", "North", "South", "East", "West", "New", "Old", "Great"}
_EN_LOWER_HEADS = {"region", "oblast", "krai", "province", "prefecture", "county", "parish",
                   "district", "governorate"}
_EN_FUNCTION = {"of", "the", "de", "del", "da", "la", "le", "du", "upon", "on", "au", "el", "al", "and"}
_MONTHS_DAYS = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
    "Nov", "Dec", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
}
_EN_TOKEN = re.compile(r"W\. Va\.|(?:St|Ste|Ft|Mt)\.(?= [A-Z])|[A-Z]\.(?:[A-Z][a-z]?\.)+|[A-Z][\w'’\-]*(?:\.(?=\s[a-z]))?|[a-z]+|\d[\w]*|[^\w\s]")
_SENT_END = re.compile(r"[.!?:\"“”]\s*$|^\s*$")

_NAME_DOTS = ("·", "•", "‧", "・", "･")
STRONG_FEATURES = {"continent", "country", "admin1", "capital", "region"}
_SEAT_FEATURES = {"capital", "country", "building", "military_base", "admin1"}
_NEAR_KM = {"country": 3000, "continent": 6000, "region": 1500, "admin1": 600, "admin2": 120,
            "capital": 120, "city": 120, "town": 60, "village": 40}


@dataclass
class _Mention:
    start: int
    end: int
    surface: str
    key: str
    lang: str
    senses: list[int]
    qualifiers: list[int] = field(default_factory=list)  # places named as its container
    meto: bool = False
    reason: str | None = None


# ---------------------------------------------------------------------------- public API
def find_places(
    articles: pd.DataFrame,
    *,
    gazetteer: Gazetteer | None = None,
    progress: bool = False,
    min_confidence: float = 0.0,
) -> gpd.GeoDataFrame:
    """Find and resolve every place mention in ``articles``.

    Parameters
    ----------
    articles : DataFrame
        One row per article with a ``text`` column; ``article_id`` and ``lang`` are used when
        present (``lang`` is guessed from the script otherwise).
    gazetteer : Gazetteer, optional
        The gazetteer to use (e.g. one with an analyst's overrides); defaults to
        :func:`analysis.gazetteer`.
    progress : bool, default False
        Show a progress bar over articles.
    min_confidence : float, default 0.0
        Drop resolved mentions whose confidence is below this.

    Returns
    -------
    GeoDataFrame
        One row per mention in EPSG:4326 with the columns of ``schema.PLACE_COLUMNS``: offsets into
        the article's ``text``, the chosen sense (``place_id``, names, feature, coordinates), its
        ``confidence`` (0..1), the runner-up senses (``alternatives``), ``role`` (``literal`` or
        ``metonymic``) and, for names that could not be placed, NA coordinates and a ``reason``.

    Notes
    -----
    Every article is processed on its own, so its places never depend on the rest of the batch.
    Chinese names are matched on the text folded to simplified characters (same offsets) and kept
    only where they fall on jieba word boundaries and are not part of an organisation or product
    name (哥伦比亚广播公司, 东方经济论坛); English names come from capitalised spans, with people,
    streets (kept unresolved, with a ``reason``) and common words filtered out. Each name takes one
    sense per article, ranked on feature importance, population, qualifiers (", Texas", 福建晋江),
    the countries and states the article names and the other places' proximity; ``confidence`` is
    the softmax share of the chosen sense and ``alternatives`` the runners-up.

    Examples
    --------
    >>> import pandas as pd, analysis as an
    >>> arts = pd.DataFrame({"article_id": ["a"], "text": ["金正恩离开平壤，前往俄罗斯。"]})
    >>> an.find_places(arts)["name"].tolist()
    ['Pyongyang', 'Russia']
    """
    import geopandas as gpd
    import pandas as pd

    _check_articles(articles)
    if gazetteer is None:
        from analysis.places.index import gazetteer as _gaz

        gazetteer = _gaz()
    ids = (articles[schema.ARTICLE_ID].astype("string") if schema.ARTICLE_ID in articles.columns
           else pd.Series(articles.index.astype(str), index=articles.index, dtype="string"))
    langs = articles[schema.LANG] if schema.LANG in articles.columns else None
    it = range(len(articles))
    if progress:
        from tqdm.auto import tqdm

        it = tqdm(it, desc="places", unit="article")
    texts = articles[schema.TEXT].tolist()  # plain lists: no pandas indexing per article
    langs = langs.tolist() if langs is not None else None
    chunks, unresolved = _collect_chunks(it, texts, ids.tolist(), langs, gazetteer, min_confidence)
    frame = chunks[0] if len(chunks) == 1 else pd.concat(chunks, ignore_index=True)
    if unresolved:
        logger.warning("find_places: %d of %d mentions could not be placed (NA coordinates, see "
                       "'reason')", unresolved, len(frame))
    geometry = gpd.points_from_xy(frame[schema.LONGITUDE].astype("float64"),
                                  frame[schema.LATITUDE].astype("float64"), crs=schema.CRS)
    out = gpd.GeoDataFrame(frame, geometry=geometry, crs=schema.CRS)
    return out.reset_index(drop=True)


def _check_articles(articles) -> None:
    """Raise if ``articles`` is not a frame with a text column."""
    import pandas as pd

    if not isinstance(articles, pd.DataFrame):
        raise TypeError(f"articles must be a DataFrame (see analysis.load_articles), "
                        f"not {type(articles).__name__}")
    if schema.TEXT not in articles.columns:
        raise ValueError(f"articles has no {schema.TEXT!r} column; columns are {list(articles.columns)}")


def _collect_chunks(it, texts: list, ids: list, langs: list | None, gazetteer: Gazetteer,
                    min_confidence: float) -> tuple[list, int]:
    """Run every article of ``it`` and return the mention frame chunks and the unresolved count."""
    vocabulary: frozenset[str] = frozenset()
    unresolved = 0
    rows: list[dict] = []
    # rows are dicts until they reach a frame: turn every ~50k of them into a typed frame chunk, so
    # peak memory follows the compact frames, not hundreds of thousands of dicts (10 MB of news)
    chunks: list = []
    # the loop allocates many small objects and creates no reference cycles: the cyclic garbage
    # collector only costs time here (7% on Chinese news), so it pauses and resumes after
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        for k in it:
            text = texts[k]
            if not isinstance(text, str) or not text:
                continue
            lang = langs[k] if langs is not None else None
            out = _one_article_rows(text, lang if isinstance(lang, str) else None, ids[k], gazetteer,
                                    vocabulary)
            unresolved += sum(r[schema.REASON] is not None for r in out)
            rows.extend(r for r in out if r[schema.REASON] is not None
                        or r[schema.CONFIDENCE] >= min_confidence)
            if len(rows) >= _ROWS_PER_CHUNK:
                chunks.append(_rows_frame(rows))
                rows = []
    finally:
        if gc_was_on:
            gc.enable()
    if rows or not chunks:
        chunks.append(_rows_frame(rows))
    return chunks, unresolved


def _one_article_rows(text: str, lang: str | None, aid, gazetteer: Gazetteer,
                      vocabulary: frozenset[str]) -> list[dict]:
    """Mention rows of one article, with offsets into its original text and its id."""
    clean, where = strip_invisible(text)  # 平\u200b壤 is 平壤; offsets stay the text's
    out = _article_places(clean, lang, gazetteer, vocabulary)
    if where is not None:
        for r in out:
            r[schema.START], r[schema.END] = original_span(where, r[schema.START], r[schema.END])
            r[schema.SURFACE] = text[r[schema.START]:r[schema.END]]
    for r in out:
        r[schema.ARTICLE_ID] = aid
    return out


#: mention rows held as dicts before they become a frame chunk (bounds peak memory)
_ROWS_PER_CHUNK = 50_000


def _rows_frame(rows: list[dict]):
    """Turn mention rows (dicts) into a frame with the schema's columns and dtypes."""
    import pandas as pd

    return schema.coerce(pd.DataFrame(rows, columns=list(schema.PLACE_DTYPES)), schema.PLACE_DTYPES)


# ---------------------------------------------------------------------------- one article
def _article_places(text: str, lang: str | None, gaz: Gazetteer,
                    vocabulary: frozenset[str] = frozenset()) -> list[dict]:
    """Recognise, resolve and classify the place mentions of one article."""
    mentions: list[_Mention] = []
    if is_zh(text, lang):
        mentions += _recognise_zh(text, gaz)
        mentions += _recognise_en(text, gaz, embedded=True, taken=mentions, vocabulary=vocabulary)
    else:
        mentions += _recognise_en(text, gaz, vocabulary=vocabulary)
    mentions.sort(key=lambda m: m.start)
    if not is_zh(text, lang):
        mentions = _and_names(text, mentions, gaz)
    mentions = _capital_phrases(text, mentions, gaz)
    _county_lists(text, mentions, gaz)
    _facility_heads(text, mentions, gaz)
    if not mentions:
        return []
    return _resolve(text, mentions, gaz)


_AND_NAME = re.compile(r"(?<![\w'’.])((?:[A-Z][\w'’.\-]*\s+){0,2}[A-Z][\w'’\-]*)\s+and\s+"
                       r"((?:the\s+)?[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){0,1})")
_AND_FEATURES = ("country", "admin1", "admin2", "region")


def _and_names(text: str, mentions: list[_Mention], gaz: Gazetteer) -> list[_Mention]:
    """One mention for a country or division whose name joins two names with "and".

    "Trinidad and Tobago", "Bosnia and Herzegovina", "Saint Vincent and the Grenadines": the
    capitalised span stops at "and", so its halves were found (or missed) as places of their own.
    """
    if " and " not in text:
        return mentions
    found: list[_Mention] = []
    for am in _AND_NAME.finditer(text):
        left, right = am.group(1).split(), am.group(2).split()
        hit = None
        for a in range(len(left)):  # the longest name first
            for b in range(len(right), 0, -1):
                name = " ".join(left[a:]) + " and " + " ".join(right[:b])
                senses = [x for x in gaz.en_senses(name) if gaz.feature[x] in _AND_FEATURES]
                if senses:
                    hit = (name, senses)
                    break
            if hit:
                break
        if hit:
            s = text.find(hit[0], am.start())
            if s >= 0:
                found.append(_Mention(s, s + len(hit[0]), hit[0], hit[0], "en", hit[1]))
    if not found:
        return mentions
    kept = [m for m in mentions if not any(m.start < f.end and f.start < m.end for f in found)]
    return sorted(kept + found, key=lambda m: m.start)


# "the Chinese capital", "the Russian capital", "the U.S. capital": a country's capital, unless the
# word is money ("the Chinese capital markets") or the capital is named right after ("..., Beijing")
_EN_CAPITAL = re.compile(
    r"\b[Tt]he\s+(U\.S\.|U\.K\.|US|UK|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+(capital)\b"
    r"(?!\s+(?:markets?|flows?|flight|gains?|controls?|investments?|spending|accounts?|"
    r"expenditures?|punishment|requirements?|ratios?|base|stocks?|goods|outflows?|inflows?|"
    r"injections?|raising|costs?|buffers?|adequacy|surplus|formation|allocation|assets?|"
    r"projects?|budget|funds?|reserves?|cities|region)\b)")
_ZH_CAPITAL = re.compile(r"(?:的)?首都")


_COUNTY_LIST_TAIL = re.compile(
    r"(?:(?:,\s*|\s+(?:and|or)\s+|,\s*(?:and|or)\s+)[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*)?)*\s+[Cc]ounties\b")


_FACILITY_TAIL = re.compile(r"\s+(international airport|airport|air base|air force base|station)\b")


def _facility_heads(text: str, mentions: list[_Mention], gaz: Gazetteer) -> None:
    """"Heathrow airport", "Ramstein air base": the facility of that name when the gazetteer has it."""
    for m in mentions:
        t = _FACILITY_TAIL.match(text, m.end) if m.lang == "en" else None
        if t is None:
            continue
        hits = _lookup_en(gaz, f"{m.key} {t.group(1).title()}")
        if hits:
            m.senses, m.end = list(hits), t.end()
            m.surface, m.key = text[m.start:m.end], f"{m.key} {t.group(1).title()}"


_STATE_TAIL = re.compile(r"\s+state\b(?![- ](?:visit|media|run|owned|television|tv|news|secretary|dinner|"
                         r"funeral|banquet|department|council|sponsored|broadcaster|agency|of)\b)")


def _county_lists(text: str, mentions: list[_Mention], gaz: Gazetteer) -> None:
    """"Camden and Charlton counties": each name of the list means its county, not a town; "Washington
    state", "Georgia state government": the first-level division of that name where there is one."""
    for m in mentions:
        if m.lang == "en" and _STATE_TAIL.match(text, m.end):
            admin = [x for x in m.senses if gaz.feature[x] == "admin1"]
            if admin:
                m.senses = admin
            continue
        if m.lang != "en" or not _COUNTY_LIST_TAIL.match(text, m.end):
            continue
        county = gaz.en_senses(f"{m.key} County")
        if county:
            m.senses = list(county)


def _capital_of(gaz: Gazetteer, cc: str) -> int | None:
    """Row of country ``cc``'s capital (the most important one where GeoNames lists several)."""
    def capitals() -> dict[str, int]:
        caps: dict[str, int] = {}
        for i, f in enumerate(gaz.feature):
            if f == "capital" and gaz.country_code[i]:
                j = caps.get(gaz.country_code[i])
                if j is None or gaz.prior(i) > gaz.prior(j):
                    caps[gaz.country_code[i]] = i
        return caps

    caps = gaz.derived("capitals", capitals)
    return caps.get(cc)


def _capital_phrases(text: str, mentions: list[_Mention], gaz: Gazetteer) -> list[_Mention]:
    """Add "the Chinese capital" / 中国首都 as mentions of that country's capital.

    The word "capital" (首都) becomes the capital's mention; the modifier keeps its own (China for
    "Chinese", as annotated corpora such as GeoWebNews mark it). Neither is added when the capital's own name comes
    right after ("the Chinese capital, Beijing", 韩国首都首尔), which is a mention already.
    """
    added: list[_Mention] = []
    if "capital" in text:
        for cm in _EN_CAPITAL.finditer(text):
            word = cm.group(1)
            cc = None
            d = gaz.en_demonyms.get(word)
            if d is not None:
                cc = gaz.country_code[d]
            else:
                hits = _lookup_en(gaz, word) or []
                cc = next((gaz.country_code[h] for h in hits if gaz.feature[h] == "country"), None)
            cap = _capital_of(gaz, cc) if cc else None
            if cap is None or gaz.name[cap] in text[cm.end():cm.end() + 40] \
                    or any(0 < m.start - cm.end() <= 3 and not text[cm.end():m.start].strip(" ,(")
                           for m in mentions):
                continue  # "the Sri Lankan capital Colombo": the name says it
            s, e = cm.start(2), cm.end(2)
            added.append(_Mention(s, e, text[s:e], f"{word} capital", "en", [cap]))
    if "首都" in text:
        starts = {m.start for m in mentions}
        for m in mentions:
            if m.lang != "zh" or not m.senses or gaz.feature[m.senses[0]] != "country" \
                    or len(m.senses) > 2:
                continue
            q = _ZH_CAPITAL.match(text, m.end)
            if q is None or q.end() in starts:
                continue
            cap = _capital_of(gaz, gaz.country_code[m.senses[0]])
            if cap is None:
                continue
            s, e = q.end() - 2, q.end()
            added.append(_Mention(s, e, text[s:e], m.key + "首都", "zh", [cap]))
    if not added:
        return mentions
    out = mentions + added
    out.sort(key=lambda m: m.start)
    return out


# ---------------------------------------------------------------------------- Chinese
class _Segmenter:
    """jieba's dictionary segmentation (``cut(..., HMM=False)``), computed the same way but faster.

    jieba builds each sentence's word graph by probing a prefix dictionary one character at a time;
    here one Aho-Corasick pass over the trimmed dictionary (see ``Gazetteer.jieba_dict``) yields the
    same graph, and the same maximum-probability route is taken over it (same log-probabilities, same
    tie-break on the longer word), so the word boundaries are identical. Loading skips jieba's
    prefix dictionary, which was most of its start-up time.
    """

    _HAN = re.compile(r"[\u4E00-\u9FD5]+")  # jieba's own blocks: other characters stand alone

    def __init__(self, path) -> None:
        import ahocorasick_rs

        words, self.logp, self.miss = self._table(Path(path))
        self.ac = ahocorasick_rs.AhoCorasick(words)

    @staticmethod
    def _table(path: Path) -> tuple[list[str], list[float], float]:
        """Words with a frequency, their log-probabilities and an unknown character's, as jieba
        computes them; kept beside the dictionary in a pickle (re-read when the dictionary is newer)."""
        import pickle

        cache = path.with_name(path.stem + ".table.pkl")
        try:
            if cache.stat().st_mtime_ns >= path.stat().st_mtime_ns:
                with open(cache, "rb") as fh:
                    return pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError):
            pass
        freq: dict[str, int] = {}
        total = 0
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                word, f = line.strip().split(" ")[:2]
                freq[word] = int(f)
                total += int(f)
        logtotal = math.log(total)
        words = [w for w, f in freq.items() if f]
        table = (words, [math.log(freq[w]) - logtotal for w in words], math.log(1) - logtotal)
        try:
            from analysis.io.atomic import atomic_write, pickle_to

            atomic_write(cache, lambda tmp: pickle_to(tmp, table))
        except OSError:  # a read-only cache: parse again next time
            pass
        return table

    def bounds(self, text: str, lo: int, hi: int, out: set[int]) -> None:
        """Add the word boundaries of ``text[lo:hi]`` (offsets into ``text``) to ``out``."""
        out.add(lo)
        out.add(hi)
        run = text[lo:hi]
        m = self._HAN.fullmatch(run)
        if m is not None:
            self._route(run, lo, out)
            return
        pos = 0
        for m in self._HAN.finditer(run):
            out.update(range(lo + pos, lo + m.start() + 1))
            self._route(m.group(0), lo + m.start(), out)
            pos = m.end()
        out.update(range(lo + pos, hi + 1))

    def bounds_at(self, text: str, lo: int, hi: int, points: set[int], out: set[int]) -> None:
        """Add to ``out`` which of ``points`` are word boundaries of the run ``text[lo:hi]``.

        A point no dictionary word spans is a boundary of every segmentation, so the route is
        computed only when some point lies inside a dictionary word.
        """
        run = text[lo:hi]
        if self._HAN.fullmatch(run) is None:
            self.bounds(text, lo, hi, out)
            return
        matches = self.ac.find_matches_as_indexes(run, overlapping=True)
        spans = [(s + lo, e + lo) for _, s, e in matches if e - s > 1]
        inner = [p for p in points if lo < p < hi]
        if any(s < p < e for p in inner for s, e in spans):
            self._route(run, lo, out, matches)
        else:
            out.update(inner)
        out.add(lo)
        out.add(hi)

    def first(self, text: str) -> str:
        """Return jieba's first word of ``text`` (a run of Chinese characters)."""
        if not text:
            return ""
        b: set[int] = set()
        self.bounds(text, 0, len(text), b)
        return text[:min(x for x in b if x > 0)]

    def _route(self, block: str, off: int, out: set[int], matches=None) -> None:
        n = len(block)
        edges: list[list] = [[] for _ in range(n)]
        logp = self.logp
        if matches is None:
            matches = self.ac.find_matches_as_indexes(block, overlapping=True)
        for w, s, e in matches:
            edges[s].append((e - 1, logp[w]))
        miss = self.miss
        val = [0.0] * (n + 1)
        nxt = [0] * n
        for idx in range(n - 1, -1, -1):
            es = edges[idx]
            if not es:
                val[idx] = miss + val[idx + 1]
                nxt[idx] = idx
                continue
            bv, bx = None, -1
            for x, lp in es:
                v = lp + val[x + 1]
                if bv is None or v > bv or (v == bv and x > bx):
                    bv, bx = v, x
            val[idx] = bv
            nxt[idx] = bx
        x = 0
        while x < n:
            x = nxt[x] + 1
            out.add(off + x)


_SEGMENTERS: dict[str, _Segmenter] = {}


def _segmenter(gaz: Gazetteer | None = None) -> _Segmenter:
    if gaz is None:
        from analysis.places.index import gazetteer as _gaz

        gaz = _gaz()
    the = gaz

    def make() -> _Segmenter:
        path = str(the.jieba_dict())
        seg = _SEGMENTERS.get(path)
        if seg is None:
            seg = _SEGMENTERS[path] = _Segmenter(path)
        return seg

    return the.derived("segmenter", make)


def _boundaries(text: str, lo: int, hi: int, gaz: Gazetteer | None = None) -> set[int]:
    """Return jieba's word boundaries in ``text[lo:hi]`` (as offsets into ``text``)."""
    out: set[int] = set()
    _segmenter(gaz).bounds(text, lo, hi, out)
    return out


def _recognise_zh(text: str, gaz: Gazetteer) -> list[_Mention]:
    folded = gaz.fold(text)
    ac, keys = gaz.zh_automaton()
    raw = ac.find_matches_as_indexes(folded, overlapping=True)
    if not raw:
        return []
    # jieba boundaries only around the matches, one CJK run at a time
    bounds: set[int] = set()
    runs = {}
    for m in _CJK_RUN.finditer(folded):
        runs[m.start()] = m.end()
    run_starts = sorted(runs)
    import bisect

    def run_of(pos: int) -> tuple[int, int]:
        j = bisect.bisect_right(run_starts, pos) - 1
        if j >= 0 and runs[run_starts[j]] > pos:
            return run_starts[j], runs[run_starts[j]]
        return pos, pos

    seg = _segmenter(gaz)
    found = []
    points: dict[tuple[int, int], set[int]] = {}  # the run's offsets we need to know about
    for pat, s, e in raw:
        lo, hi = run_of(s)
        if folded[lo - 1:lo] in _NAME_DOTS or folded[hi:hi + 1] in _NAME_DOTS:
            continue  # a transliterated person's name: 约翰·柯比尔
        if hi > lo:
            points.setdefault((lo, hi), set()).update((s, e))
        found.append((s, e, keys[pat]))
    for (lo, hi), pts in points.items():
        seg.bounds_at(folded, lo, hi, pts, bounds)
    cands = [((s in bounds) + (e in bounds), e - s, s, e, key) for s, e, key in found]
    # longest, boundary-respecting matches first; a name cut out of a word loses to one that is not
    cands.sort(key=lambda c: (-c[0], -c[1], c[2]))
    taken = bytearray(len(folded) + 1)
    out: list[_Mention] = []
    for ok, _n, s, e, key in cands:
        if taken.find(1, s, e) >= 0:
            continue
        senses = gaz.zh_senses(key)
        if not senses:
            continue
        reason = _zh_reject(folded, s, e, key, ok, senses, gaz, bounds)
        if reason == "part of a longer word":
            continue  # leave the characters free for another reading
        taken[s:e] = b"\x01" * (e - s)
        if reason:
            continue
        out.append(_Mention(s, e, text[s:e], key, "zh", senses))  # senses: a fresh list
    _zh_qualifiers(folded, out, gaz)
    return out


def _best_prior(senses: list[int], gaz: Gazetteer) -> tuple[float, int]:
    best, bi = -1.0, senses[0]
    for i in senses:
        p = gaz.prior(i)
        if p > best:
            best, bi = p, i
    return best, bi


def _zh_reject(folded: str, s: int, e: int, key: str, ok: int, senses: list[int], gaz: Gazetteer,
               bounds: set[int]) -> str | None:
    """Return why the match ``folded[s:e]`` is not a place mention, or None."""
    if ok < 2:
        # the name starts or ends inside one of jieba's words; keep it only for long, important names
        p, bi = _best_prior(senses, gaz)
        if not (e - s >= 3 and p >= 0.9) and gaz.feature[bi] not in STRONG_FEATURES:
            return "part of a longer word"
    after = folded[e:e + 12]
    if after.startswith(_ZH_NOT_AFTER) and gaz.feature[_best_prior(senses, gaz)[1]] != "country":
        return "part of a longer word"
    # organisation / product names: the place is followed, within a few words, by an org head
    run = _CJK_RUN.match(after)
    if run:
        tail = run.group(0)[:10]
        # one-character heads (号, 报, 社 ...) only as a word of their own right after the name:
        # 辽宁号, 新华社, not 以色列军队 or 北京报道
        if tail[0] in _ZH_ORG_HEADS_1 and _segmenter(gaz).first(tail) in _ZH_ORG_HEADS_1:
            return "part of an organisation or product name"
        # the earliest longer head, unless a verb, particle or another place comes before it (a
        # later head would have the same words before it)
        h = _ZH_ORG_HEADS_N.search(tail)
        if h is not None:
            between = tail[:h.start()]
            if not (_ZH_NOT_MODIFIER.search(between) or (between and _places_inside(between, gaz))):
                return "part of an organisation or product name"
    p, bi = _best_prior(senses, gaz)
    feat = gaz.feature[bi]
    curated = not gaz.place_id[bi].startswith("geonames:") or gaz.metonym[bi]
    if key in gaz.zh_common and not (feat in STRONG_FEATURES or curated
                                     or gaz.population[bi] >= 1_000_000):
        return "a common word"
    if (feat == "village" and gaz.population[bi] > 0 or feat == "village" and key not in gaz.zh_ns) \
            and not curated and len(key) < 3:
        return "a common word, or a tiny place without evidence"
    return None


def _places_inside(s: str, gaz: Gazetteer) -> bool:
    """Whether ``s`` (a few characters after a name) itself holds a place name."""
    if len(s) < 2:
        return False
    ac, keys = gaz.zh_automaton()
    return bool(ac.find_matches_as_indexes(s))


def _zh_qualifiers(folded: str, mentions: list[_Mention], gaz: Gazetteer) -> None:
    """Attach a preceding container name ("福建晋江", "俄罗斯远东城市乌苏里斯克") as qualifier."""
    for a, b in zip(mentions, mentions[1:], strict=False):
        gap = folded[a.end:b.start]
        if len(gap) <= 6 and not re.search(r"[，。、；：！？,.;:!?（）()和与及或]", gap):
            b.qualifiers.append(a)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- English
def _tokens(text: str):
    return [(m.group(0), m.start(), m.end()) for m in _EN_TOKEN.finditer(text)]


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper()


def _lookup_en(gaz: Gazetteer, key: str) -> list[int] | None:
    hits = gaz.en_senses(key) or None
    if hits is None:
        for a, b in (("St. ", "Saint "), ("St ", "Saint "), ("Ft. ", "Fort "), ("Mt. ", "Mount "),
                     ("Saint ", "St. ")):
            if key.startswith(a):
                hits = gaz.en_senses(b + key[len(a):]) or None
                if hits:
                    break
    return hits


def _recognise_en(text: str, gaz: Gazetteer, *, embedded: bool = False,
                  taken: list[_Mention] | None = None,
                  vocabulary: frozenset[str] = frozenset()) -> list[_Mention]:
    """Find English place names: gazetteer names among capitalised spans, with their context."""
    if embedded:
        # Latin runs inside Chinese text; a gloss in brackets after a Chinese word shares its fate
        out: list[_Mention] = []
        zh_ends = {m.end for m in (taken or [])}
        lower_words = _LowerWords(text, vocabulary)  # one scan of the text for all its spans
        for m in re.finditer(r"[A-Za-z][A-Za-z .'’\-]*[A-Za-z.]", text):
            s = m.start()
            before = text[max(0, s - 2):s]
            if before.endswith(("（", "(")):
                j = s - 1
                if j in zh_ends:
                    continue  # gloss of a place we already have
                if j > 0 and _CJK.match(text[j - 1]):
                    continue  # gloss of a Chinese word that is not a place
            out += _recognise_en_span(text, m.start(), m.end(), gaz, strict=True,
                                      vocabulary=vocabulary, lower_words=lower_words)
        return out
    return _recognise_en_span(text, 0, len(text), gaz, vocabulary=vocabulary)


_CAP_WORD = r"(?:W\. Va\.|(?:St|Ste|Ft|Mt)\.(?= [A-Z])|[A-Z]\.(?:[A-Z][a-z]?\.)+|[A-Z][\w'’]*(?:-[A-Z][\w'’]*)*)"
_CAP_SPAN = re.compile(
    rf"{_CAP_WORD}(?:(?: (?:of|the|de|del|da|la|le|du|upon|on|au|el|al) | ){_CAP_WORD})*")
_WORD_SPLIT = re.compile(r"[\s\-]+|['’]s\b")
_PREV_WORD = re.compile(r"([\w.'’]+)[^\w]*$")
_NEXT_WORD = re.compile(r"\s*([A-Za-z][\w'’\-]*\.?|[^\w\s])")


_LOWER_WORD = re.compile(r"(?<![\w'’])[a-z]+(?![\w'’])")
# words that qualify a place before its name ("Downtown Greer", "Metro Nashville"): never a given name
_EN_PLACE_MODIFIERS = {"Downtown", "Uptown", "Midtown", "Metro", "Metropolitan", "Greater", "Historic",
                       "Old", "Suburban", "Rural", "Coastal", "Inner", "Outer", "Upstate", "Downstate",
                       "Northern", "Southern", "Eastern", "Western", "Central", "Northeast", "Northwest",
                       "Southeast", "Southwest", "Northeastern", "Northwestern", "Southeastern",
                       "Southwestern", "East", "West", "North", "South"}
_PLACE_PREPOSITIONS = {"of", "in", "from", "at", "near", "to", "across", "throughout", "around"}
_SAID_AFTER = re.compile(r",? (?:said|says|told|added|who|wrote|asked)\b")
_LONE_SPEAKER = re.compile(r"(?<![\w.'’-])([A-Z][a-z]+) (?:said|says|told|added|asked|explained|recalled)\b")
_PERSON_SPAN = re.compile(r"(?<![\w.])[A-Z][a-z]+(?: [A-Z]\.)?(?: [A-Z][a-z]+){1,2}(?![\w'’])")


class _LowerWords:
    """Whether a word occurs in lower case in the text or the batch (a common word, not a name)."""

    def __init__(self, text: str, vocabulary: frozenset[str] = frozenset()) -> None:
        self.text, self.words, self.vocabulary = text, None, vocabulary

    def __contains__(self, word: str) -> bool:
        if word in self.vocabulary:
            return True
        if self.words is None:
            self.words = set(_LOWER_WORD.findall(self.text))
        return word in self.words


def _surnames(text: str, lo: int, hi: int, gaz: Gazetteer,
              lower_words: _LowerWords | None = None) -> set[str]:
    """Last words of "First Last" names anywhere in the text: a lone "Baker" later is a person.

    A first word the text or batch also writes in lower case ("Metropolitan Atlanta", "Downtown
    Greer", "Metro Nashville") is a modifier, not a given name, unless the span has a person's
    context: a title before it, a middle initial, or "said"/"says"/", who" after it.
    """
    out = set()
    for sm in _PERSON_SPAN.finditer(text, lo, hi):
        words = sm.group(0).split()
        if words[0] in _EN_LEADING or words[0] in _EN_DETERMINERS or words[-1] in _EN_ADMIN_HEADS \
                or words[-1] in _EN_INSTITUTION or words[-1] in _EN_ORG_HEADS \
                or words[-1] in _EN_STREET or words[-1] in _MONTHS_DAYS:
            continue
        if gaz.en_senses(sm.group(0)) or gaz.en_senses(" ".join(words[-2:])):
            continue  # "Fort Worth", "New York": a place, not a person
        if (words[0] in _EN_PLACE_MODIFIERS or (lower_words is not None and words[0].lower() in lower_words)) \
                and not _person_context(text, sm.start(), sm.end(), words):
            continue
        out.add(words[-1])
    for sm in _LONE_SPEAKER.finditer(text, lo, hi):
        pm = _PREV_WORD.search(text, max(0, sm.start() - 24), sm.start())
        prev = pm.group(1) if pm else ""
        if pm is not None and prev[:1].isupper() and pm.end(1) == sm.start() - 1:
            continue  # the end of a longer capitalised name ("Metropolitan Atlanta said")
        if prev not in _PLACE_PREPOSITIONS and prev not in _EN_LEADING and prev not in _EN_DETERMINERS:
            out.add(sm.group(1))  # '"Thank God," Baker said': a speaker, here and in the whole article
    return out


def _person_context(text: str, s: int, e: int, words: list[str]) -> bool:
    """Whether the capitalised span text[s:e] reads as a person: a title, a middle initial, 'said'."""
    pm = _PREV_WORD.search(text, max(0, s - 24), s)
    prev = pm.group(1).rstrip(".") if pm else ""
    if prev in _EN_TITLES:
        return True
    if prev in _PLACE_PREPOSITIONS:
        return False  # "United Way of Metropolitan Atlanta said": an organisation's place
    return any(len(w) == 2 and w.endswith(".") for w in words) or bool(_SAID_AFTER.match(text, e))


def _recognise_en_span(text: str, lo: int, hi: int, gaz: Gazetteer,  # noqa: C901
                       strict: bool = False, vocabulary: frozenset[str] = frozenset(),
                       lower_words: _LowerWords | None = None) -> list[_Mention]:
    if lower_words is None:
        lower_words = _LowerWords(text, vocabulary)
    out: list[_Mention] = []
    person_names = _surnames(text, lo, hi, gaz, lower_words)
    first_words = gaz.en_first
    for sm in _CAP_SPAN.finditer(text, lo, hi):
        s0, e0 = sm.start(), sm.end()
        if s0 > 0 and (text[s0 - 1].isalnum() or text[s0 - 1] in "'’"):
            continue  # inside a word ("McDonald" split, "l'Est")
        span = sm.group(0)
        if not any(w in first_words or w.title() in first_words
                   for w in _WORD_SPLIT.split(span)):
            continue  # no word of the span starts any place name
        toks = [(m.group(0), m.start() + s0, m.end() + s0) for m in _EN_TOKEN.finditer(sm.group(0))]
        pm = _PREV_WORD.search(text, max(lo, s0 - 24), s0)
        prev = [(pm.group(1), pm.start(1), pm.end(1))] if pm else [("", s0, s0)]
        nm = _NEXT_WORD.match(text, e0, min(hi, e0 + 30))
        nxt = [(nm.group(1), nm.start(1), nm.end(1))] if nm else [("", e0, e0)]
        # "Fargo-Moorhead" is two places unless the gazetteer knows the hyphenated name
        split: list = []
        for t in toks:
            if "-" in t[0] and not _lookup_en(gaz, t[0]):
                pos = t[1]
                for n_, part in enumerate(t[0].split("-")):
                    if n_:
                        split.append(("-", pos - 1, pos))
                    if part:
                        split.append((part, pos, pos + len(part)))
                    pos += len(part) + 1
            else:
                split.append(t)
        toks = split
        # months, weekdays and hyphens break a span ("March Blinken")
        cur: list = []
        for t in toks + [None]:
            if t is None or t[0] in _MONTHS_DAYS or t[0] == "-":
                if cur:
                    # strip function words hanging at either end
                    while cur and cur[-1][0] in _EN_FUNCTION:
                        cur.pop()
                    while cur and (cur[0][0] in _EN_FUNCTION or cur[0][0] in _EN_LEADING):
                        prev = [cur.pop(0)]
                if cur:
                    seq = prev + cur + ([t] if t is not None else nxt)
                    out += _match_span(text, seq, 1, 1 + len(cur), gaz, lower_words,
                                       person_names, strict)
                cur = []
                if t is not None:
                    prev = [t]
                continue
            cur.append(t)
    return out


def _sentence_initial(text: str, s: int) -> bool:
    before = text[max(0, s - 3):s]
    return s == 0 or bool(_SENT_END.search(before)) or "\n" in before


def _lookup_span(text: str, gaz: Gazetteer, s: int, e: int):
    """Gazetteer senses for ``text[s:e]``: as written, title-cased from capitals, with a final dot."""
    key = text[s:e]
    if text[e:e + 1] == "." and len(key) <= 5:  # "Kan." is Kansas before it is a village "Kan"
        hits = _lookup_en(gaz, key + ".")
        if hits:
            return key + ".", e + 1, hits
    hits = _lookup_en(gaz, key)
    if hits is None and key.isupper() and len(key) >= 4:
        hits = _lookup_en(gaz, key.title())
    if hits is None and key.endswith(("'s", "’s")):
        e -= 2
        key = key[:-2]
        hits = _lookup_en(gaz, key)
    if hits is None:
        d = gaz.en_demonyms.get(key)
        if d is not None:
            hits = [d]
    return key, e, hits


def _match_span(text, toks, i, j, gaz, lower_words, person_names, strict) -> list[_Mention]:
    """Longest gazetteer names inside the capitalised span toks[i:j], with acceptance rules."""
    out: list[_Mention] = []
    k = i
    last = toks[j - 1][0].rstrip(".")
    if j - i >= 2 and last in _EN_STREET and toks[j - 2][0] not in _EN_FUNCTION and \
            toks[i][0].rstrip(".") not in _EN_TITLES:
        s, e = toks[i][1], toks[j - 1][2]
        e += text[e:e + 1] == "." and last in _EN_STREET_ABBR  # "Victoria St.", not "River Avenue."
        return [_Mention(s, e, text[s:e], text[s:e], "en", [],
                         reason="a street or road: not in the gazetteer")]
    while k < j:
        found = None
        for m in range(min(j, k + 6), k, -1):
            if toks[m - 1][0] in _EN_FUNCTION:
                continue
            s, e = toks[k][1], toks[m - 1][2]
            key, e, hits = _lookup_span(text, gaz, s, e)
            if hits:
                found = (m, s, e, key, hits)
                break
        if found is None:
            k += 1
            continue
        m, s, e, key, hits = found
        reason = _en_reject(text, toks, i, j, k, m, key, hits, gaz, lower_words, person_names, strict)
        if reason is None:
            # "Rapides Parish", "Ussuriysk region": extend over an admin head word
            nxt = toks[m][0] if m < len(toks) else ""
            if (nxt in _EN_ADMIN_HEADS and m < j) or (m == j and nxt in _EN_LOWER_HEADS
                                                      and text[e:toks[m][1]] == " "):
                full = text[s:toks[m][2]]
                hits2 = _lookup_en(gaz, full)
                if hits2:
                    hits, key = hits2, full
                e = toks[m][2]
                m += 1
            out.append(_Mention(s, e, text[s:e], key, "en", list(hits)))
        k = m
    return out


def _en_reject(text, toks, i, j, k, m, key, hits, gaz, lower_words, person_names, strict):
    """Return why tokens k..m of the capitalised span i..j are not a place, or None."""
    p, bi = _best_prior(hits, gaz)
    feat = gaz.feature[bi]
    pop = int(max(gaz.population[h] for h in hits))
    curated = not gaz.place_id[bi].startswith(("geonames:", "fips:"))
    very_strong = feat in STRONG_FEATURES or curated
    strong = very_strong or pop >= 100_000
    first = toks[k][0]
    prev = toks[k - 1][0].rstrip(".") if k > 0 else ""
    if prev in _EN_TITLES and not very_strong:
        return "after a title: a person"
    nxt = toks[m][0] if m < len(toks) else ""
    nxt_clean = nxt.rstrip(".")
    if m < j and nxt_clean in _EN_ORG_HEADS and not very_strong:
        return "part of an organisation name"
    if key in person_names and not (very_strong and (feat != "capital" or pop >= 100_000)):
        # a small capital is no shield: "Chief Robert Douglas ... Douglas said" is not the Isle of Man
        return "a person's name earlier in the article"
    partial = (m - k) < (j - i)
    if partial and not very_strong and not (m < j and nxt_clean in _EN_ADMIN_HEADS):
        # "Gainesville Police", "Laurel County Fiscal Court": a place heading a longer name is
        # still named; one ending a longer name is usually a person ("Kevin George Baker")
        heads_a_name = k == i and (pop >= 5000 or feat == "admin2") and (
            nxt_clean in _EN_INSTITUTION or nxt_clean in _EN_ORG_HEADS
            or nxt_clean.lower() in lower_words)  # "Gainesville sewer", not "Tyler Smith"
        # "University of Cincinnati", "United Way of Metropolitan Atlanta", "Downtown Greer": a
        # place ending the name after "of" or a common-word modifier is named
        modifier = k > i and (toks[k - 1][0].lower() in lower_words or toks[k - 1][0] in _EN_PLACE_MODIFIERS) and (
            k - 1 == i or toks[k - 2][0] == "of") and not _person_context(
            text, toks[k - 1][1], toks[m - 1][2], [t[0] for t in toks[k - 1:m]])
        after_of = k > i and (toks[k - 1][0] == "of" or modifier) and m == j and pop >= 1000
        if not heads_a_name and not after_of:
            return "part of a longer name"
    if first.lower() in lower_words and (m - k) == 1 and not strong:
        return "a common word"
    if (m - k) == 1 and _sentence_initial(text, toks[k][1]) and not strong and pop < 10_000:
        return "sentence-initial capital"
    if key.isupper() and len(key) <= 3 and feat != "country" and not (curated and feat == "region") \
            and not (feat == "admin1" and gaz.country_code[bi] != "US"):  # NSW, BC (admin_abbreviations.csv)
        return "an abbreviation"  # but "UK", "EU": countries and unions of them
    if strict and not strong:
        return "embedded Latin name without strong evidence"
    if pop < 1000 and feat in ("village", "town", "city") and (m - k) == 1:
        # a tiny place: only with a qualifier (", Texas") right after it
        tail = text[toks[m - 1][2]:toks[m - 1][2] + 40]
        q = re.match(r"^,\s+([A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)", tail)
        if not q:
            return "a tiny place without a qualifier"
    return None


# ---------------------------------------------------------------------------- resolution
def _haversine(lat1, lon1, lat2, lon2):
    import numpy as np

    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def _en_qualifier(text: str, m: _Mention, gaz: Gazetteer) -> list[int]:
    """Senses of ", South Carolina" / " (Texas)" right after an English mention."""
    tail = text[m.end:m.end + 40]
    q = re.match(r"^(?:,\s*|\s+\(|\s+in\s+)([A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})", tail)
    if not q:
        return []
    words = q.group(1).split()
    for n in range(len(words), 0, -1):
        hits = _lookup_en(gaz, " ".join(words[:n]))
        if hits:
            return [h for h in hits if gaz.feature[h] in ("country", "admin1", "region", "admin2")]
    return []


def _resolve(text: str, mentions: list[_Mention], gaz: Gazetteer) -> list[dict]:
    """Choose one sense per name of the article and return one row per mention."""
    rows = [_row(text, m, None, 0.0, [], gaz) for m in mentions if not m.senses]
    mentions = [m for m in mentions if m.senses]
    qual = _qualifier_senses(text, mentions, gaz)
    countries, states = _article_regions(mentions, gaz)
    keys = list(dict.fromkeys(m.key for m in mentions))
    senses = {m.key: m.senses for m in mentions}
    lang_of = {m.key: m.lang for m in mentions}
    base = _base_scores(keys, senses, qual, countries, states, lang_of, gaz)
    _definite_article_scores(text, mentions, base, gaz)
    final = _coherence_scores(keys, senses, base, gaz)
    decided = _decide(keys, senses, final, lang_of, gaz)
    _article_coherence(keys, senses, final, decided, gaz)
    rows.extend(_mention_rows(text, mentions, decided, gaz))
    rows.sort(key=lambda r: r[schema.START])
    _place_in_town(text, rows)
    return rows


_SETTLEMENTS = ("capital", "city", "town", "village", "district")
# "Collins Avenue in Miami Beach", "Kingsley Road in Estey's Bridge", "on Kamenné Square in Bratislava"
_IN_TOWN_GAP = re.compile(r"^\.?,?\s+(?:in|at|near|,)?\s*(?:the\s+|downtown\s+|central\s+)?$")


def _place_in_town(text: str, rows: list[dict]) -> None:
    """Give a street, square or court the gazetteer lacks the point of the town it lies in.

    The town is the settlement named right after it ("Collins Avenue in Miami Beach"), else the
    settlement the article names most often (its story's town); the row keeps no place id, a
    lower confidence and a reason that says where its point comes from.
    """
    towns = [r for r in rows if r.get(schema.LATITUDE) is not None and r.get(schema.FEATURE) in _SETTLEMENTS]
    if not towns:
        return
    counts: dict[str, int] = {}
    for r in towns:
        counts[r[schema.PLACE_ID]] = counts.get(r[schema.PLACE_ID], 0) + 1
    main = max(towns, key=lambda r: (counts[r[schema.PLACE_ID]], -r[schema.START]))
    for r in rows:
        if r.get(schema.LATITUDE) is not None or r.get(schema.PLACE_ID) is not None \
                or not _EN_FACILITY_END.search(r[schema.SURFACE]):
            continue
        after = [t for t in towns if 0 <= t[schema.START] - r[schema.END] <= 30
                 and _IN_TOWN_GAP.match(text[r[schema.END]:t[schema.START]])]
        town = after[0] if after else main
        r.update({schema.LATITUDE: town[schema.LATITUDE], schema.LONGITUDE: town[schema.LONGITUDE],
                  schema.COUNTRY_CODE: town[schema.COUNTRY_CODE],
                  schema.CONFIDENCE: round(0.5 * (town[schema.CONFIDENCE] or 0.0), 4),
                  schema.REASON: f"{r.get(schema.REASON) or 'not in the gazetteer'}; "
                                 f"the point of {town[schema.NAME]}, the town it is in"})


# the last word of a street, square or court's name
_EN_FACILITY_END = re.compile(
    r"\b(?:Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Place|Pl|Square|Court|"
    r"Terrace|Parkway|Circle|Crescent|Row|Quay|Embankment)\.?$")


# "the tropical Atlantic", "the eastern Pacific", "the Hudson": a name after the definite article
# (and at most one lower-case adjective) is a sea, river or region, not a town ("Atlantic, Iowa")
_EN_THE_BEFORE = re.compile(r"\b[Tt]he\s+(?:[a-z]+\s+)?$")
_THE_FEATURES = ("sea", "river", "lake", "strait", "region")


def _definite_article_scores(text: str, mentions: list[_Mention], base: dict, gaz: Gazetteer) -> None:
    """Raise in ``base`` the sea/river/region senses of an English name the article writes with 'the'."""
    done: set[str] = set()
    for m in mentions:
        if m.lang != "en" or m.key in done or m.key not in base:
            continue
        if not _EN_THE_BEFORE.search(text, max(0, m.start - 24), m.start):
            continue
        done.add(m.key)
        for n, x in enumerate(m.senses):
            if gaz.feature[x] in _THE_FEATURES:
                base[m.key][n] += 1.5


def _qualifier_senses(text: str, mentions: list[_Mention], gaz: Gazetteer) -> dict[str, set[int]]:
    """Senses that qualify each name: English ", State" and Chinese preceding containers."""
    qual: dict[str, set[int]] = {}
    for m in mentions:
        if m.lang == "en":
            qs = _en_qualifier(text, m, gaz)
        else:
            qs = [x for q in m.qualifiers for x in q.senses
                  if gaz.feature[x] in ("country", "admin1", "region", "admin2", "capital", "city")]
        if qs:
            qual.setdefault(m.key, set()).update(qs)
    return qual


def _article_regions(mentions: list[_Mention], gaz: Gazetteer) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Countries and admin1 regions the article names, each with the names that named it."""
    # a name is no evidence for its own senses, hence the names kept with each region
    countries: dict[str, set[str]] = {}
    states: dict[str, set[str]] = {}
    for m in mentions:
        for x in m.senses:
            f = gaz.feature[x]
            if f == "country" and len(m.senses) <= 2:
                countries.setdefault(gaz.country_code[x], set()).add(m.key)
            if f in ("admin1", "admin2") and (len(m.senses) == 1 or f == "admin1"):
                states.setdefault(gaz.admin1[x], set()).add(m.key)
                countries.setdefault(gaz.country_code[x], set()).add(m.key)
    for m in mentions:  # a name with one sense tells which country the story is in
        if len(m.senses) == 1 and gaz.feature[m.senses[0]] not in ("country", "continent"):
            cc = gaz.country_code[m.senses[0]]
            if cc:
                countries.setdefault(cc, set()).add(m.key)
    return countries, states


def _base_scores(keys: list[str], senses: dict[str, list[int]], qual: dict[str, set[int]],
                 countries: dict[str, set[str]], states: dict[str, set[str]], lang_of: dict[str, str],
                 gaz: Gazetteer) -> dict:
    """Score every sense of each ambiguous name on prior, qualifiers and the article's regions."""
    import numpy as np

    # US states any sense of each name lies in: names sharing a state support each other
    key_states = {k: {gaz.admin1[x] for x in senses[k] if gaz.admin1[x]} if len(senses[k]) <= 4
                  else set() for k in keys}
    state_votes: dict[str, int] = {}
    for st_set in key_states.values():
        for st in st_set:
            state_votes[st] = state_votes.get(st, 0) + 1
    base: dict[str, np.ndarray] = {}
    for key in keys:
        ss = senses[key]
        if len(ss) == 1:
            continue  # nothing to rank
        sc = np.array([gaz.prior(x) for x in ss])
        qs = qual.get(key, set())
        for n, x in enumerate(ss):
            cc = gaz.country_code[x]
            if not gaz.place_id[x].startswith(("geonames:", "fips:")) or gaz.metonym[x]:
                sc[n] += 0.3
            _add_qualifier_scores(sc, n, x, qs, gaz)
            named_by = countries.get(cc, ())
            if named_by and (len(named_by) > 1 or key not in named_by):
                # the country (or, for a country sense, something in it) is named elsewhere
                sc[n] += 0.5
            a1 = gaz.admin1[x]
            if a1 and gaz.feature[x] != "admin1" and states.get(a1, set()) - {key}:
                sc[n] += 0.6
            if a1 and gaz.feature[x] != "admin1":
                others_in_state = state_votes.get(a1, 0) - (a1 in key_states[key])
                sc[n] += 0.25 * min(others_in_state, 3)
            if lang_of[key] == "zh" and cc in ("CN", "TW", "HK", "MO"):
                sc[n] += 0.15
        base[key] = sc
    return base


def _add_qualifier_scores(sc, n: int, x: int, qs: set[int], gaz: Gazetteer) -> None:
    """Add to ``sc[n]`` the support of the name's qualifiers for sense ``x``."""
    cc = gaz.country_code[x]
    for q in qs:
        if x == q:
            continue
        fq = gaz.feature[q]
        if fq == "country" and cc == gaz.country_code[q]:
            sc[n] += 1.2
        elif fq == "admin1" and gaz.admin1[x] and gaz.admin1[x] == gaz.admin1[q]:
            sc[n] += 1.5
        elif fq == "admin1" and not gaz.admin1[x] and cc and cc == gaz.country_code[q]:
            sc[n] += 1.2  # "London, Ontario": outside the US places carry no admin1 code
        elif fq != "country" and not math.isnan(gaz.lat[q]) and _haversine(
                gaz.lat[q], gaz.lon[q], gaz.lat[x], gaz.lon[x]) <= _NEAR_KM.get(fq, 300):
            sc[n] += 1.2


def _coherence_scores(keys: list[str], senses: dict[str, list[int]], base: dict, gaz: Gazetteer) -> dict:
    """Add to the base scores the support of the article's other names' nearby senses."""
    import numpy as np

    # a sense near some sense of the article's other names is more likely (one sense per name and
    # article); countries and continents are too big to say anything about proximity
    locs = {}
    for key in keys:
        xs = [x for x in senses[key][:200] if gaz.feature[x] not in ("country", "continent")
              and not math.isnan(gaz.lat[x])]
        if xs:
            locs[key] = (np.array([gaz.lat[x] for x in xs]), np.array([gaz.lon[x] for x in xs]))
    final: dict[str, np.ndarray] = {}
    for key in keys:
        ss = senses[key]
        if len(ss) == 1:
            continue
        sc = base[key].copy()
        others = [v for k2, v in locs.items() if k2 != key]
        if len(ss) > 1 and others:
            _add_proximity_scores(sc, ss, others, gaz)
        final[key] = sc
    return final


def _add_proximity_scores(sc, ss: list[int], others: list, gaz: Gazetteer) -> None:
    """Add to ``sc`` the count of other names with a sense within 250 and 1000 km of each sense."""
    import numpy as np

    olat = np.concatenate([o[0] for o in others])
    olon = np.concatenate([o[1] for o in others])
    owner = np.concatenate([np.full(len(o[0]), n) for n, o in enumerate(others)])
    idx = np.array(ss[:200])
    ok = ~np.isnan(gaz.lat[idx]) & ~np.isin(
        np.array([gaz.feature[x] for x in idx]), ("country", "continent"))
    if ok.any():
        rows_ = np.flatnonzero(ok)
        d = _haversine(gaz.lat[idx[rows_]][:, None], gaz.lon[idx[rows_]][:, None],
                       olat[None, :], olon[None, :])
        n_own = len(others)
        for r_, n in enumerate(rows_):
            near = np.zeros(n_own, bool)
            near[owner[d[r_] < 250]] = True
            mid = np.zeros(n_own, bool)
            mid[owner[d[r_] < 1000]] = True
            sc[n] += 0.35 * min(int(near.sum()), 2) + 0.1 * min(int(mid.sum()), 2)


def _decide(keys: list[str], senses: dict[str, list[int]], final: dict, lang_of: dict[str, str],
            gaz: Gazetteer) -> dict[str, tuple[int, float, list[int]]]:
    """The best sense of each name, its softmax confidence and the runners-up."""
    import numpy as np

    decided: dict[str, tuple[int, float, list[int]]] = {}  # one sense per name and article
    for key in keys:
        ss = senses[key]
        if len(ss) == 1:
            best, conf, alts = ss[0], 1.0, []
        else:
            sc = final[key]
            order = np.argsort(-sc, kind="stable")
            z = np.exp(3.0 * (sc - sc.max()))
            best, conf, alts = ss[order[0]], float(z.max() / z.sum()), [ss[o] for o in order[1:4]]
        if lang_of[key] == "en" and len(ss) == 1 and gaz.population[best] < 1000:
            conf *= 0.85
        decided[key] = (best, conf, alts)
    return decided


def _mention_rows(text: str, mentions: list[_Mention], decided: dict, gaz: Gazetteer) -> list[dict]:
    """One row per mention, carrying its name's decided sense."""
    rows = []
    chosen: dict[str, dict] = {}  # the sense's columns, the same for every mention of the name
    for m in mentions:
        best, conf, alts = decided[m.key]
        sense = chosen.get(m.key)
        if sense is None:
            sense = chosen[m.key] = _sense_columns(best, conf, alts, gaz)
        row = dict(sense)
        row[schema.PARAGRAPH] = _paragraph(text, m.start)
        row[schema.START], row[schema.END], row[schema.SURFACE] = m.start, m.end, m.surface
        row[schema.ALTERNATIVES] = list(sense[schema.ALTERNATIVES])
        # data/metonymy_en.csv: "talks between X and Y", "against X", "X Ambassador"; else the rules
        row[schema.ROLE] = _en_role_cue(text, m, gaz.feature[best], gaz) or _role(text, m, best, gaz)
        rows.append(row)
    return rows


_FAMOUS_FEATURES = ("capital", "country", "admin1", "continent", "region")


def _near_decided(key: str, ss: list[int], decided: dict[str, tuple[int, float, list[int]]],
                  gaz: Gazetteer):
    """Support for each sense of ``key`` from the other names' chosen points within 250 km, weighted
    by how sure each choice was (a sure "Springfield" outweighs a coin-flip "Webster County")."""
    import numpy as np

    pts = [(gaz.lat[b], gaz.lon[b], conf) for k, (b, conf, _) in decided.items()
           if k != key and gaz.feature[b] not in ("country", "continent") and not math.isnan(gaz.lat[b])]
    idx = np.array(ss[:200])
    out = np.zeros(len(ss))
    if not pts:
        return out
    lat, lon, w = (np.array(v) for v in zip(*pts, strict=True))
    d = _haversine(gaz.lat[idx][:, None], gaz.lon[idx][:, None], lat[None, :], lon[None, :])
    near = np.nan_to_num((d < 250) @ w)
    out[:len(idx)] = 0.4 * np.minimum(near, 2.0)
    return out


def _article_coherence(keys: list[str], senses: dict[str, list[int]], final: dict,
                       decided: dict[str, tuple[int, float, list[int]]], gaz: Gazetteer) -> None:
    """Re-rank each ambiguous name towards the country (and US state) most of the other names chose.

    A local story names its own town and a few others: when at least two other names were resolved
    in one country and they are most of the article's names, a sense in that country gains; the same
    for a US state ("Alexandria" in a story whose other places are in Louisiana).
    """
    import numpy as np

    country = {k: gaz.country_code[b] for k, (b, _, _) in decided.items() if gaz.country_code[b]}
    state = {k: gaz.admin1[b] for k, (b, _, _) in decided.items()
             if gaz.admin1[b] and gaz.feature[b] != "continent"}
    for key in keys:
        ss = senses[key]
        if len(ss) == 1 or key not in final or gaz.feature[decided[key][0]] in _FAMOUS_FEATURES:
            continue  # "Washington" the capital stays the capital in a Georgia story
        bonus = np.zeros(len(ss))
        for votes, attr, weight, least, share in ((country, gaz.country_code, 0.6, 3, 0.75),
                                                  (state, gaz.admin1, 0.4, 2, 0.5)):
            others = [v for k, v in votes.items() if k != key]
            if len(others) < least:
                continue
            top, n = max(((v, others.count(v)) for v in set(others)), key=lambda t: t[1])
            if n >= least and n > share * len(others):
                bonus += weight * np.array([attr[x] == top for x in ss], dtype=float)
        bonus += _near_decided(key, ss, decided, gaz)
        if not bonus.any():
            continue
        sc = final[key] + bonus
        order = np.argsort(-sc, kind="stable")
        z = np.exp(3.0 * (sc - sc.max()))
        decided[key] = (ss[order[0]], float(z.max() / z.sum()), [ss[o] for o in order[1:4]])


def _sense_columns(best: int, conf: float, alts: list[int], gaz: Gazetteer) -> dict:
    """The output columns that follow from a name's chosen sense (see ``_row``)."""
    lat, lon = float(gaz.lat[best]), float(gaz.lon[best])
    reason = None
    if math.isnan(lat):
        lat = lon = None
        reason = "the gazetteer has no coordinates for this place"
    return {
        schema.PLACE_ID: gaz.place_id[best], schema.NAME: gaz.name[best],
        schema.NAME_ZH: gaz.name_zh[best] or None, schema.FEATURE: gaz.feature[best],
        schema.COUNTRY_CODE: gaz.country_code[best] or None, schema.LATITUDE: lat,
        schema.LONGITUDE: lon, schema.CONFIDENCE: round(conf, 4), schema.REASON: reason,
        schema.ALTERNATIVES: [gaz.place_id[a] for a in alts],
    }


_PARA_CACHE: list = [("", [])]  # the last article's text and its paragraph breaks


def _paragraph(text: str, pos: int) -> int:
    """Return how many paragraph breaks ("\\n\\n", counted as ``str.count`` does) precede ``pos``."""
    import bisect

    cached, breaks = _PARA_CACHE[0]
    if cached is not text:
        breaks, i = [], text.find("\n\n")
        while i >= 0:
            breaks.append(i)
            i = text.find("\n\n", i + 2)
        _PARA_CACHE[0] = (text, breaks)
    # a break counts when it ends at or before pos (str.count(sub, 0, pos) needs the whole "\n\n")
    return bisect.bisect_right(breaks, pos - 2)


def _row(text: str, m: _Mention, best: int | None, conf: float, alts: list[int],
         gaz: Gazetteer) -> dict:
    """One output row for mention ``m`` resolved to place row ``best`` (None: unresolved)."""
    row = {schema.PARAGRAPH: _paragraph(text, m.start), schema.START: m.start,
           schema.END: m.end, schema.SURFACE: m.surface, schema.ALTERNATIVES: [], schema.ROLE: "literal"}
    if best is None:
        row.update({schema.REASON: m.reason or "not in the gazetteer", schema.CONFIDENCE: None})
        return row
    row.update(_sense_columns(best, conf, alts, gaz))
    # data/metonymy_en.csv: "talks between X and Y", "against X", "X Ambassador"; else the rules
    row[schema.ROLE] = _en_role_cue(text, m, gaz.feature[best], gaz) or _role(text, m, best, gaz)
    return row


def _en_role_cue(text: str, m: _Mention, feat: str, gaz: Gazetteer) -> str | None:
    """The role an English cue of ``metonymy.role_cue`` gives (a demonym has its own rule)."""
    if m.lang == "zh" or m.key in gaz.en_demonyms:
        return None
    return role_cue(text, m.start, m.end, feat)


def _role(text: str, m: _Mention, best: int, gaz: Gazetteer) -> str:
    """``metonymic`` when a capital, country or seat of government stands for its government."""
    feat = gaz.feature[best]
    seat = bool(gaz.metonym[best])
    if not seat and feat not in _SEAT_FEATURES:
        return "literal"
    if m.lang == "zh":
        after = text[m.end:m.end + 16]
        before = text[m.start - 4 if m.start > 4 else 0:m.start]
        if _ZH_LOCATIVE_BEFORE.search(before):
            return "literal"
        if _ZH_METO_AFTER.search(after):
            return "metonymic"
        return "metonymic" if seat and not re.match(r"^[举会内外前里中]", after) else "literal"
    after = text[m.end:m.end + 60]
    before = text[max(0, m.start - 30):m.start]
    if re.search(r"\b(?:in|at|to|from|into|near|visit|visited|visiting|toward|towards|across|"
                 r"throughout|around|inside|outside)\s+(?:the\s+)?$", before):
        return "metonymic" if seat and _EN_METO_AFTER.match(after) else "literal"
    if _EN_METO_AFTER.match(after):
        return "metonymic"
    if gaz.feature[best] == "country" and m.key in gaz.en_demonyms:
        return "literal"  # "Russian officials": an adjective, not the state itself
    if feat in ("country", "capital", "admin1") or seat:
        if _EN_POSSESSED.match(after):
            return "metonymic"
        co = _EN_COORDINATED.match(after)
        if co:  # "China and Russia will continue": the verb after the second name
            after = after[co.end():]
        v = _EN_SUBJECT_VERB.match(after)
        # a comma after a name ("Paris, France") or a bracket ties it to a list; a clause comma does not
        free = not re.search(r"(?:[A-Z][\w.]*,|[;:(])\s*$|\b(?:and|or|of|in|between|with)\s+$", before)
        if v and v.group(1) not in _EN_NOT_VERBS and free and (
                v.group(1).endswith("ed") or (feat in ("country", "capital") and _EN_PRESENT_VERB.match(v.group(1)))):
            return "metonymic"  # "Russia maintains", "the United States strongly encourages"
        if free and feat in ("country", "capital") and _EN_MODAL_VERB.match(after):
            return "metonymic"  # "Russia would retaliate", "the United States will pull out"
        if feat in ("country", "capital") and _EN_AGENT_BY.search(before):
            return "metonymic"  # "a measure also taken by Bulgaria"
    if feat in ("country", "capital") and _EN_METO_BEFORE.search(before):
        return "metonymic"
    return "metonymic" if seat else "literal"
