"""Names decided by rule rather than by the model: a model name tidied to the naming
convention (`tidy_name`: copied figures, verbs and linking words at the ends, a share
fragment such as `占GDP` given its subject, measures and short forms); the name of a count
whose object stands after it (`counted_after`) and of a table cell (`cell_name`); and the
scope a name lacks, from the heading (`heading_scope`), an event held earlier in the sentence
(`event_scope`) or a body that opens it (`sentence_subject`). Figures that hang on another
figure are named in `llmx.naming.rules.dependents`.
"""

from __future__ import annotations

import re
import unicodedata

from .context import (
    BARE_VERB, COUNTS, TRAILING_VERBS, drop_achieved, expand_abbreviations, is_clause_stop, joined, sentence_before,
    squash_spaces, with_measure,
)
from ..finder.mention import RANK_FIELD, RANK_VERBS
from ..finder.numbers import RANK_SCOPE, Mention
from ..finder.tables import Cell
from ..finder.units import cn_value

__all__ = ["immediate_lead", "tidy_name", "rank_suffix", "evaluation_rank", "cell_name", "heading_scope", "with_scope", "counted_after",
           "event_scope", "with_event", "sentence_subject", "without_examples"]

_MARK = re.compile(r"【\d+[:：][^】]*】")
# A figure the model copied into the name: a year, or the figure itself (its number,
# with the unit and approx word around it). Other numbers stay: a threshold that defines
# the object (`市场估值超10亿元的企业数`), a number in a name (`12345热线`, `5G`, `第39届`).
_YEAR = re.compile(r"(?<![\d.较比与是自从于])\d{4}年度?(?!以来|来|起)")
_FIGURE = re.compile(
    r"(?<![A-Za-z+\d.第])(?:超过|超|近|约|逾|突破|达到|达|共|计)?"
    r"(\d[\d,，]*(?:\.\d+)?|[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*)"
    r"(?:余|多)?(?:个百分点|%|％|倍|[万亿千百]?(?:元|人次|家次|场次|批次|户次|个月|小时|平方米|亩|"
    r"[家个项件人名位场批所座台套篇部支次张册份户款种条门例年期轮组处]))(?:以上|左右)?(?![A-Za-z+\d])"
)
_CLAUSE = re.compile(r"[，,。；;：:！？!?]")
_LEADING = re.compile(r"^(?:全年|今年|当年|年末|年底|前三季度|上半年|下半年|[一二三四]季度|其中|共计|共有|已经|已|并|实现|完成了|达到|"
                      r"累计实现|力争|争取|确保|计划)+")
_RANK_WORDS = re.compile(
    f"(?:居|位列|位居|排名|排在|列|保持)*(?:{RANK_SCOPE})?(?:排名)?(?:第[一二三四五六七八九十\\d]+|首位|榜首|前[一二三四五六七八九十\\d]+)$"
)


def immediate_lead(text: str, start: int, floor: int = 0) -> str:
    """The words between the last clause stop and the number (no reaching back)."""
    i = start - 1
    while i >= floor and not is_clause_stop(text, i):
        i -= 1
    return text[i + 1 : start]


# A rank in a published evaluation (`在国家高新区综合评价中，成都高新区位列第三`): the clause before
# names the evaluation, the rank's own clause only the place ranked (the reporting district, or
# 我市) and where. Named as the evaluation's rank, in the scope the rank gives, if any.
_EVALUATION = re.compile(r"在(?:(?:19|20)\d{2}年度?|[上下]半年|今年|近日)?(?:[^，,。；;：:]{0,8}?(?:公布|发布)的)?"
                         r"([^，,。；;：:在]{2,30}?(?:评价|评估|监测|考核|评比|评选|榜单|排行榜))(?:结果)?中[，,]\s*$")
_RANKED_PLACE = re.compile(r"^(?:我市|我区|我县|全区|全市|全县|本区|本市|[\u4e00-\u9fff]{1,8}(?:高新区|开发区|园区|新区|区|市|县))?\s*"
                           rf"(?:{RANK_VERBS}|保持|再次|继续|首次|在)*\s*$")


def evaluation_rank(text: str, m: Mention, floor: int = 0) -> str | None:
    """The name of a rank in a published evaluation (see `_EVALUATION`), or None."""
    own = immediate_lead(text, m.start, floor)  # the rank's mention holds its scope (`位列全国区县第八`)
    if not _RANKED_PLACE.match(own):
        return None
    before = _EVALUATION.search(text, max(floor, m.start - len(own) - 40), m.start - len(own))
    if before is None:
        return None
    fields = RANK_FIELD.findall(m.text)
    return before.group(1) + (fields[-1] if fields else "") + "排名"


def rank_suffix(text: str, m: Mention, floor: int = 0) -> str:
    """`全市排名`, `中心城区排名`, `全省县（市）排名`…: the scope the rank's own words give
    (its mention's, which may hold brackets, else the words before it in its clause)."""
    scopes = RANK_FIELD.findall(m.text) or RANK_FIELD.findall(immediate_lead(text, m.end, floor))  # the last one
    return f"{scopes[-1] if scopes else '全市'}排名"


# A count that opens its clause (`9家企业荣获国赛“优秀企业”称号`, `其中6项已完成结题验收`), that
# follows an example list (`华测导航等7家企业…`) or a bare verb (`支持145家科技企业获得银行授信`):
# what is counted stands after the number, and what was done to it after that. Naming convention
# N1 puts the deed before the object and the measure last (`荣获国赛“优秀企业”称号企业数`); a
# deed written as a noun after `的` does the same (`完成9个国家级系统的链接挂载` ->
# `完成链接挂载的国家级系统数`).
_LINKING = re.compile(r"(?:其中|另有|另|共有|共计|共|累计|已有|现有|有|还有|并|和|及|与|以及|等|力争|争取|确保|计划|预计|将|要|再)*")
_EXAMPLES = re.compile(r"^.{1,24}?等$")
_JOINED = re.compile(r"\d.*(?:以及|和|及|与|、)$")
# A clause that ends in 的 before the count says what its object, after the number, is or did
# (`8家单位参与的16个项目荣获…`, `与全球14个国家和地区的32家创新机构签订…`); not a base of
# comparison (`由上年的2个增至5个`, `较上年的605家`), which names the figure before it.
_ATTRIBUTIVE = re.compile(r"^(?!.*(?:由|较|比|从)[^的]*的$).*[^的]的$")
_LEAD_VERB = re.compile(rf"(?:{BARE_VERB.pattern}|推动|支持|针对|对|帮助|指导|形成|细化|梳理|完成|创建|新增|推荐)+"
                        r"(?:首批|新一批|第[一二三四五六七八九十\d]+批)?")
_DEED = re.compile(
    r"(?:已经|已|均|都|先后|陆续|成功|正式|基本|全面|顺利|圆满|全部)*"
    r"(?:荣获|获得|获评|获批|获|入选|通过|提交|完成|签约|签署|签订|落地|参加|参与|实现|申报|注册|纳入|进入|入驻|入库|"
    r"认定|列入|承担|启动|上线|投产|开工|达产|挂牌|被)")
_NOUN_DEED = re.compile(r"^(.{2,16}?)的(.{2,8})$")
_CHANGE_AFTER = re.compile(r"^(?:提高|提升|增加|增长|增至|增到|净增|减少|下降|上升|达到|升至|降至|到)")
_YEAR_AHEAD = re.compile(r"(?:19|20)\d{2}年度?")
_AFTER_MAX = 30


def _words_after(text: str, end: int, ceiling: int) -> str:
    """The words after a number up to its clause's end or the next number (a year is read over)."""
    i, stop = end, min(ceiling, end + _AFTER_MAX)
    while i < stop and not is_clause_stop(text, i):
        if text[i].isdigit():
            year = _YEAR_AHEAD.match(text, i)
            if not year:
                break
            i = year.end()
            continue
        i += 1
    return _YEAR_AHEAD.sub("", text[end:i]).strip()


def counted_after(text: str, m: Mention, lead: str, ceiling: int) -> str | None:
    """The name of a count whose object stands after it (see above), or None. `lead` is the
    number's own words before it in its clause (`immediate_lead`): only linking words, an
    example list or a verb that only reports the act."""
    if m.unit not in COUNTS:
        return None
    rest = lead.strip()
    # after an example list, or after a count it is joined to (`3个试点项目和`), nothing is its verb
    rest = "" if _EXAMPLES.match(rest) or _JOINED.search(rest) or _ATTRIBUTIVE.search(rest) else _LINKING.sub("", rest, count=1)
    verb = _LEAD_VERB.fullmatch(rest)
    if rest and not verb and (len(rest) > 2 or not re.fullmatch(r"[\u4e00-\u9fff]+", rest)):
        return None  # a word or two before the count is its verb as well (`关停9个…系统`, `涉及10个牵头单位`)
    after = _words_after(text, m.end, ceiling)
    if _CHANGE_AFTER.match(after):
        return None  # `由上年的2个增至5个`: the words after say how it changed, not what it counts
    deed = _DEED.search(after)
    thing, done = (after[: deed.start()], after[deed.start() :]) if deed else (after, "")
    done = re.sub(r"^(?:已经|已|均|都|先后|陆续)+", "", done)
    thing = thing.strip()
    if not done and (nd := _NOUN_DEED.match(thing)):
        thing, done = nd.group(1), (rest if rest.endswith("完成") else "") + nd.group(2) + "的"
    thing = re.sub(r"的$", "", thing)
    if len(thing) + len(done) < 2:
        return None
    return with_measure(done + thing, m.unit) if thing else with_measure(done, m.unit)


def cell_name(cell: Cell) -> str:
    """The name of a plain-text table's cell (labelling decision 17): its row header without
    the bracketed unit, given its measure (`高新技术企业（家）` -> `高新技术企业数`; `总数` of a
    stock is `数`); a cell of a growth column (`增长率`, `增速（%）`) rates the row's measure
    (`高新技术企业数增速`). A row that is a part of the row above (`其中：城镇`) is named without
    its `其中`, as a part given in prose is (`其中国家级2个`)."""
    label = re.sub(r"^其中[:：]?", "", cell.label.strip())
    base = with_measure(re.sub(r"总数$", "数", label), cell.row_unit)
    return (base if re.search(r"(?:增速|增幅|降幅)$", base) else base + "增速") if cell.is_rate else base


# A heading that names the body its section reports on (naming convention N1: "scope from the
# heading when the clause lacks it"): `（二）攀高逐新，扩大上海清华国际创新中心品牌效应`.
_HEAD_MARKER = re.compile(r"^[（(][一二三四五六七八九十\d]+[）)]|^[一二三四五六七八九十]+、|^\d+[.．、]")
_HEAD_VERB = re.compile(r"^(?:全力|着力|扎实|稳步|加快|持续|全面|大力|深入)?(?:推进|推动|深化|扩大|加速|加快|拓展|打造|建设|提升|促进|做强|做优)+")
_HEAD_BODY = re.compile(r"^(.{2,20}(?:(?<![家校公花乐菜果])园|创新中心|共同体|高新区|研究院|孵化器|功能区|科学城))")
# A body the heading calls by a quoted short name and then describes (`“大零号湾”科技创新策源
# 功能区`, `“创新里”科创产业空间`) is called by that name in a figure's name (N6: as short as N1
# allows); the description says what kind of body it is, not which.
_CALLED = re.compile(r"^[“\"]([^”\"]{2,8})[”\"].{5,}")


def heading_scope(path: tuple[str, ...]) -> str | None:
    """The body the innermost heading names as its subject (`上海清华国际创新中心`,
    `张江高新区青浦园`), or None: the heading's last clause, its leading verbs dropped,
    up to a word for a park, centre or institute; a body called by a quoted short name is
    that name (`“大零号湾”科技创新策源功能区` -> `大零号湾`)."""
    if not path:
        return None
    last = re.split(r"[，,]", _HEAD_MARKER.sub("", path[-1]).strip())[-1]
    m = _HEAD_BODY.match(_HEAD_VERB.sub("", last))
    if not m or m.group(1).startswith(("产业", "各类", "重点")):
        return None
    called = _CALLED.match(m.group(1))
    return called.group(1) if called else m.group(1)


# An event the sentence says was held (`举办第七届中国（成都）国际科技成果转化大会，现场签约项目47个、
# 签约金额约126亿元`) is what the figures after it in that sentence measure (naming convention
# N1: the subject from the sentence): `…转化大会签约金额`, not a bare `签约金额`. The event is a
# whole clause of its own, opened by a verb of holding, with no figure in it but how many times
# it was held (`举办…科技成果对接活动十五场`); its year and its ordinal (`第七届`) are no part of its name.
# Events given by examples (`“智造武进”投资推介会等招商活动`) are a kind of event, not the one the
# figures after them measure, and scope nothing.
_HELD = re.compile(r"(?:成功|精心|隆重|先后|累计|共)?(?:举办|承办|主办|召开|举行|组织开展|开展)了?")
_EVENT = re.compile(r"(.{2,30}?(?:大会|会议|论坛|研讨会|博览会|交易会|对接会|推介会|洽谈会|年会|峰会|活动周|宣传周|"
                    r"人才周|周|节|科普日|大赛|比赛|竞赛|活动|展览会|展会|赛事|培训|培训班|讲座|宣讲会|路演|沙龙|训练营)[”\"]?)")
# How many times it was held, before the event (`开展8场科技政策宣传培训`) or after it (`…对接活动十五场`).
_TIMES = r"(?:近|超过|超|约)?\s*(?:\d+|[一二两三四五六七八九十百千]+)\s*余?(?:场|次|期|轮)"
# Words that make an event a kind of event (`各类科普活动`): the kind is the scope, and a kind
# with nothing more to it (`各类活动`) scopes nothing.
_KIND_OF_EVENT = re.compile(r"^(?:各类|各种|各项|系列|一系列|多场|多项|相关|有关|主题|专题)")
# Before an event's own name: its year, its ordinal, and the reporting district (N1: `闵行区科技节`
# is `科技节`), a district being two characters and 区 or 县 that are no park's or campus's.
_EVENT_NOISE = re.compile(r"(?:19|20)\d{2}年度?|第[一二三四五六七八九十百\d]+届|[\u4e00-\u9fff](?<![园校社城景片街新港湾])[区县](?![域级])"
                          r"|[\u4e00-\u9fff]{2}(?<![园校社城景片街新港湾])[区县](?![域级])")
_TIMES_HELD = re.compile(f"^{_TIMES}|{_TIMES}$")


def event_scope(text: str, start: int, floor: int = 0) -> str | None:
    """The event held in an earlier clause of the sentence of the figure at `start` (see
    above), or None."""
    found = None
    for clause in re.split(r"[，,]", sentence_before(text, start, floor))[:-1]:
        held = _HELD.match(clause.strip())
        event = held and _EVENT.fullmatch(_TIMES_HELD.sub("", clause.strip()[held.end() :]).strip())
        if event and not re.search(r"\d", _YEAR.sub("", re.sub(r"第[\d]+届", "", event.group(1)))):
            name = event.group(1)
            while (noise := _EVENT_NOISE.match(name)):
                name = name[noise.end() :]
            kind = _KIND_OF_EVENT.match(name)  # `各类科普活动` is scoped by its kind, `各类活动` by none
            name = name[kind.end() :] if kind else name
            found = name if len(name) >= (3 if kind else 2) and "等" not in name else found
    return found


# A body that opens its sentence as its subject (naming convention N1: the subject from the
# sentence): `交大“大零号湾一公里孵化器”已有21个项目注册落地`, `北斗导航功能型平台累计引进企业811家`.
# It is a proper body: a quoted name or words ending in a word for a park, platform, centre or
# fund, right before a word of having, adding or doing (not `的`, which makes it a qualifier).
_BODY = (r"孵化器|加速器|众创空间|平台|园区|产业园|科技园|基地|中心|研究院|实验室|联盟|基金|科技馆|"
         r"服务站|工作站|小镇|高新区|开发区|创新区|功能区|集群|共同体|示范区")
_SUBJECT = re.compile(rf"^((?:[\u4e00-\u9fffA-Za-z]{{0,8}}[“\"][^”\"]{{2,16}}[”\"]|[\u4e00-\u9fffA-Za-z“”\"]{{2,20}}?(?:{_BODY}))[”\"]?)"
                      r"(?=已有|已|累计|共|全年|年内|现有|拥有|新增|引进|集聚|入驻|吸引|孵化|培育|服务|完成|实现|获|带动|举办|开展|发布|推出|建成|落地|签约|在孵)")


_NOT_A_SUBJECT = re.compile(rf"^(?:{_LEAD_VERB.pattern}|指导|依托|通过|协同|围绕|聚焦|加强|借助|联合|促进|推进|加快|积极|全力|着力)"
                            r"|[并和及与、]")


def sentence_subject(text: str, start: int, floor: int = 0) -> str | None:
    """The body that opens the sentence of the figure at `start` as its subject (see above):
    none where the opening words are a verb's (`依托…平台`, `指导并协同中心`) or join two."""
    m = _SUBJECT.match(sentence_before(text, start, floor).strip())
    return m.group(1) if m and not _NOT_A_SUBJECT.search(m.group(1)) else None


# A category after an example list says what is counted (`“太湖科创汇”路演等对接活动210余场`,
# `企业技术中心等研发平台214个`): the examples go where it says enough on its own, four characters
# or more past a kind word (各类) and without its measure; they stay where it does not
# (`“海淀创新沙龙”等活动`, `商标侵权、假冒专利等案件`) or opens on a word for any kind of thing
# (`…等事项`, `…等领域`, `…等企业`). A grade is no list (`一等奖`, `优秀等次`).
_EXAMPLE_LIST = re.compile(r"^[^等]{2,40}?(?<![一二三四五六七八九十优高平对同均中上下初特次])等(?![奖次级同于])"
                           r"(?:各类|各种|各项|一系列|系列|多项|多场)?(?=[\u4e00-\u9fff“\"])")
_GENERIC_HEAD = re.compile(r"事项|领域|方面|产品|机构|单位|部门|行业|地区|国家|城市|企业|项目|内容")
_MEASURE_END = re.compile(r"(?:场次|次数|人次|家次|批次|人数|数量|数|额|规模|总量|量)$")


def without_examples(name: str) -> str:
    """`name` without the example list before its category, where the category names the figure
    on its own (see `_EXAMPLE_LIST`)."""
    if not (m := _EXAMPLE_LIST.match(name)):
        return name
    category = name[m.end() :]
    if _GENERIC_HEAD.match(category):
        return name  # `商标侵权等事项…`, `低空经济等领域…`: the examples say which
    return category if len(_MEASURE_END.sub("", category)) >= 4 else name


def with_event(name: str, event: str | None) -> str:
    """`name` with the sentence's `event` in front, unless it already holds three characters
    running of it."""
    if not event or not name or any(event[i : i + 3] in name for i in range(len(event) - 2)):
        return name
    return event + name


def _bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)}


def with_scope(name: str, scope: str | None) -> str:
    """`name` with the heading's `scope` in front where it names no scope of its own (shares
    no two characters with it and says no `全区`/`全市`/`全社会`)."""
    if not scope or not name or _names_scope(name, scope) or name.startswith(("全社会", "全区", "全市", "全县")):
        return name
    return scope + name


def _names_scope(name: str, scope: str) -> bool:
    """Whether `name` already says `scope`: it holds three characters running of it, or the
    two its proper name begins with (`滨江`) or its word for the kind of body ends with
    (`科学城`'s `学城`). Two characters from its middle can be another word's (`高新` of
    `高新技术企业` is not `跨省域高新区`'s)."""
    trigrams = {scope[i : i + 3] for i in range(len(scope) - 2)}
    return scope[:2] in name or scope[-2:] in name or any(t in name for t in trigrams)


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "").replace("，", "")) if text[0].isdigit() else cn_value(text)
    except (ValueError, KeyError, IndexError):
        return None


def tidy_name(name: str, previous: str | None, mention: Mention | None = None, text: str = "", floor: int = 0) -> str:
    """A model name brought to the naming convention's form where rules can tell:

    control, format and bidi characters dropped; what the model copied into it (a year,
    the section's `【n:…】` marks, the figure's own number with its unit) removed, and of a copied
    stretch of sentence only the clause nearest the figure kept; verbs and linking words
    at the ends dropped; a share fragment (`占GDP`) given the subject of the figure before
    it; a count given its measure (`数`); a rank's name made to say where it ranks. Terms
    with their own brackets, quotes and `、` (`上市企业(含新三板)数`, `支持区"互联网+"企业数`,
    `市、区科技小巨人企业数`) are kept whole. A name that is nothing but a copied figure
    comes back empty."""
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" and unicodedata.category(ch) not in ("Zl", "Zp"))
    name = drop_achieved(_YEAR.sub("", squash_spaces(_MARK.sub("", name))))
    if mention is not None:
        name = _FIGURE.sub(lambda f: "" if _number(f.group(1)) == mention.value else f.group(0), name)
    clauses = [c.strip() for c in _CLAUSE.split(name) if c.strip(" 、")]
    name = clauses[-1].strip(" 、") if clauses else ""
    name = TRAILING_VERBS.sub("", _LEADING.sub("", name)) or name
    if mention is not None and mention.category == "rank":
        name = _RANK_WORDS.sub("", name)
    if not name:
        return ""
    if previous and re.match(r"^(占|比重|比例|占比)", name):
        if not re.search(r"比重|比例|占比", name):
            name += "比重"
        name = joined(previous, name)
    if mention is not None and mention.category == "rank":
        if "排名" not in name:
            name += rank_suffix(text, mention, floor)
        name = expand_abbreviations(name)  # N2 (`with_measure` does it for the rest)
    elif mention is not None:
        name = with_measure(name, mention.unit)
    return name
