"""Names of figures that hang on another figure, decided by rule rather than by the model.

The 1.5B model reads subjects well but attaches growth rates and ranks to the wrong indicator,
so a *dependent* figure is named from the figure it hangs on (`llmx.pipeline.work` finds which): a bare
rate, change or rank after it (`技术合同成交额同比增速`, `…全市排名`), a level it is compared
with (`比上年度(4.41%)`, `高于全省平均水平（25.9%）`), what was done of a target, a multiple, a
streak of years; a bare rate, share or total after a count (`结案率`, `全市占比`, `总数`); and
figures given respectively (`A、B分别达到812家、68家`).
"""

from __future__ import annotations

import re

from .context import TRAILING_VERBS, baseline_name, is_clause_stop, joined, with_measure
from .rules import immediate_lead, rank_suffix
from ..finder.mention import RANK_FIELD
from ..finder.numbers import RANK_VERBS, Mention
from ..finder.units import family

__all__ = ["dependent_suffix", "compared_level", "AVERAGE", "rate_of_count", "join_name", "streak", "respective_name",
           "level_only", "level_of_total", "part_of_total"]

# The words of a change that hangs on the figure before it: a rate (`同比增长12%`), points
# (`比上年同期提高1.1个百分点`, `增速较一季度回落0.3个百分点`) or an amount (`较上年增加56家`).
_COMPARED = r"同比|环比|(?:比|较)(?:上年|去年|年初|上半年|[一二三四]季度|上月|(?:19|20)\d{2}年(?:底|末)?)(?:同期|末)?"
_RATE = re.compile(rf"^(?:累计)?(?:增速|增幅)?({_COMPARED})?(增长|增加|净增|上升|提高|提升|下降|减少|降低|回落|收窄|下滑|前移|前进|后移|后退)(了|达到|达)?$"
                   r"|^(?:累计)?(增幅|增速|降幅)(达到|达|为)?$")
_FALL = re.compile(r"下降|减少|降低|降幅|回落|收窄|下滑|后移|后退")
_RANK_LEAD = re.compile(rf"^(?:(增速|增幅|提高率|总量|数量|规模)?(?:{RANK_VERBS}|保持|继续|在|中)?)*$")
# A level in brackets after what it is compared with (decision 20's comparisons): `…比重达4.53%，
# 比上年度(4.41%)提高…` is the same measure a year before, named as the figure it is compared
# with; `高于全省平均水平（25.9%）` is the wider scope's average of it (`全省…平均水平`).
_LEVEL_COMPARED = re.compile(r"(?:(?:比|较)(?:上年度?|去年)(?:同期)?|(?:略?高于|略?低于|超过|超出|优于)?"
                             r"(全国|全省|全市|全区|全县)平均(?:水平|值))$")
AVERAGE = re.compile(r"^(全国|全省|全市|全区|全县)平均水平$")
_OWN_SCOPE = re.compile(r"^(?:全社会|全区|全市|全县|全省|全国|本区|本县|[区县](?![域级内外]))+")


def compared_level(text: str, m: Mention, floor: int = 0) -> str | None:
    """The suffix of a level in brackets after what it is compared with (see above): "" for
    last year's, `全省平均水平` for a wider scope's average; None for any other figure."""
    if m.start - 1 <= floor or text[m.start - 1] not in "(（" or text[m.end : m.end + 1] not in (")", "）"):
        return None
    compared = _LEVEL_COMPARED.search(text, max(floor, m.start - 20), m.start - 1)
    if not compared:
        return None
    return f"{compared.group(1)}平均水平" if compared.group(1) else ""


# What was done of a target (`完成年度目标的58%` -> `…年度目标完成率`, `占全年任务的124%`) and a multiple of another
# level (`是2020年的2.3倍` -> `…与2020年之比`) hang on the figure before them too.
_OF_TARGET = re.compile(r"^(?:完成|占)(全年|年度|年)?(目标任务|目标|任务|计划)的?$")
# The gap to a wider scope's level (`比全省平均水平高2.4个百分点`, `高于全市平均值1.6个百分点`).
_SCOPE = r"(全国|全省|全市|全区|全县)(平均水平|平均值|平均增速|平均)?"
_ABOVE = (re.compile(rf"^(?:比|较){_SCOPE}(高出|高|低)$"), re.compile(rf"^(高于|低于|超过|超出|超){_SCOPE}$"))
# ... or to the schedule (`超时序进度3.5个百分点`, `领先时间进度7个百分点`).
_AHEAD = re.compile(r"^(超|超过|领先|快于|落后|慢于)(时序进度|序时进度|时间进度)$")
_DONE_RATE = re.compile(r"^((?:全年|年度|年)(?:目标任务|目标|任务|计划)?完成率)(?:达到|达|为)?$")
_TIMES_OF = re.compile(r"^(?:是|为)((?:19|20)\d{2}年|上年|去年|全[国省市区县]平均水平)的$")


def _gap_to(lead: str) -> str | None:
    """`高于全省平均水平幅度` for a lead such as `比全省平均水平高`, `高于全市平均值`; else None."""
    if m := _ABOVE[0].match(lead):
        scope, level, word = m.group(1), m.group(2) or "", m.group(3)
    elif m := _ABOVE[1].match(lead):
        word, scope, level = m.group(1), m.group(2), m.group(3) or ""
    elif m := _AHEAD.match(lead):
        return f"{m.group(1)}{m.group(2)}幅度"
    else:
        return None
    return f"{'低于' if '低' in word else '高于'}{scope}{level}幅度"


def dependent_suffix(text: str, m: Mention, floor: int = 0) -> str | None:
    """The suffix that names `m` from the figure before it, or None when `m` has a subject of
    its own ("" for last year's level of the same measure, `compared_level`)."""
    if (level := compared_level(text, m, floor)) is not None:
        return level
    lead = immediate_lead(text, m.start, floor)
    if m.unit == "%" and (target := _OF_TARGET.match(lead.strip())):
        return f"{target.group(1) or '年度'}{target.group(2)}完成率"
    if m.unit == "%" and (done := _DONE_RATE.match(lead.strip())):  # `，年度任务完成率107%`
        return done.group(1)
    if m.unit == "倍" and (times := _TIMES_OF.match(lead.strip())):
        return f"与{times.group(1)}之比"
    if m.unit == "个百分点" and (gap := _gap_to(lead.strip())):  # `比全省平均水平高2.4个百分点`
        return gap
    if m.category == "rank":
        words = RANK_FIELD.sub("", lead)
        if _RANK_LEAD.fullmatch(words):
            rated = re.search(r"增速|增幅|提高率", words)
            return ("提高率" if rated and rated.group(0) == "提高率" else "增速" if rated else "") + rank_suffix(text, m, floor)
        return None
    match = _RATE.match(lead.strip())
    if not match:
        return None
    fall = bool(_FALL.search(lead))
    if re.search(r"前移|前进|后移|后退", match.group(0)) and m.unit != "位":  # only a place moves
        return None
    if m.unit == "个百分点":
        return "下降幅度" if fall else "提高幅度"
    if m.unit == "位":  # a rank moved (`较上年提升两位`, decision 20)
        return "下降位次" if fall else "上升位次"
    if family(m.unit) not in ("%", "倍", ""):  # a change in the figure's own unit (decision 20)
        compared = match.group(1) or ""
        since = "较年初" if "年初" in compared else "同比" if compared in ("同比", "环比") else "比上年"
        return since + ("减少量" if fall else "增加量")
    if fall:
        return "同比降幅" if "同比" in lead else "降幅"
    return "同比增速" if "同比" in lead or "增速" in lead else "增幅"


# Figures given respectively (`专精特新企业、“小巨人”企业分别达到812家、68家`,
# `智能软件、研发服务产业分别实现区税同比增长10.05%、12.68%`): the k-th figure after `分别`
# measures the k-th item of the list before it, as much as there are items and figures.
_LIST_STOP = "，,。；;！？!?\n"


def respective_name(text: str, start: int, spans: list[tuple[int, int]], floor: int = 0,
                    unit: str | None = None) -> str | None:
    """The name of the figure at `start` where its clause gives figures respectively (see
    above): its item and the words between `分别` and the first figure (`研发服务产业` +
    `区税同比增速`); None where the clause does not, or items and figures do not pair up.
    The items may lead the clause (`A、B分别达到X、Y`, `A、B达X、Y`) or, where the clause has
    none (`，分别增长P、Q`, `，占区税比重P、Q`), the clause before it. `spans` are the
    section's figures in order."""
    i = _clause_stop_before(text, start, floor)
    end = start
    while end < len(text) and text[end] not in _LIST_STOP:
        end += 1
    figures = [(a, b) for a, b in spans if i < a < end]
    if len(figures) < 2 or any(not re.fullmatch(r"\s*[、和及与]\s*", text[b1:a2]) for (_, b1), (a2, _) in zip(figures, figures[1:])):
        return None
    lead = text[i + 1 : figures[0][0]]
    items, measure = _items_of(lead)
    if not items and "、" not in lead and i > floor and text[i] in "，,":
        before = _clause_stop_before(text, i, floor)
        items = _items_of(text[before + 1 : next((a for a, _ in spans if before < a < i), i)])[0]
        items = items if len([a for a, _ in spans if before < a < i]) == len(items) else []
        measure = measure if "分别" in lead else lead
    if len(items) < 2 or len(items) != len(figures):
        return None
    k = [a for a, _ in figures].index(start)
    item = _with_shared_tail(items[k], items[0], items[-1])
    return with_measure(item + (baseline_name(measure, "", unit) if measure.strip() else ""), unit)


def _clause_stop_before(text: str, start: int, floor: int) -> int:
    """The offset of the list stop that opens the clause of `start` (`floor - 1` where none does)."""
    i = start - 1
    while i >= floor and text[i] not in _LIST_STOP:
        i -= 1
    return i


def _items_of(lead: str) -> tuple[list[str], str]:
    """The items a clause's words before its first figure list, and the words after `分别` that
    say what each figure measures: (`[专精特新企业, 小巨人企业]`, `达到`) for
    `专精特新企业、小巨人企业分别达到`; ([], "") where they list fewer than two."""
    at = lead.find("分别")
    words, measure = (lead[:at], lead[at + 2 :]) if at >= 0 else (re.sub(r"(?:达到|达|为|有|共)\s*$", "", lead), "")
    items = [x.strip() for x in words.split("、") if x.strip()]
    return (items, measure) if len(items) >= 2 else ([], measure)


# The head a list's items share with its last (`PM2.5、PM10年均浓度`, `第一、二、三产业`,
# `国家级、省级孵化器`): what follows the last item's own head is every item's measure.
_ITEM_HEADS = (r"[A-Za-z0-9.&]+", r"第?[一二三四五六七八九十]+", r"(?:国家|国际|省|市|区|县|部|院|校)级")


def _with_shared_tail(item: str, first: str, last: str) -> str:
    """`item` of a list from `first` to `last` with the measure the last one states and the
    words that open the first (`新认定国家级、省级研发机构` -> `新认定省级研发机构`)."""
    for head in _ITEM_HEADS:
        opening = re.fullmatch(rf"(.{{0,6}}?)({head})", first)
        m = re.match(head, last)
        if opening and m and m.end() < len(last) and (item == first or re.fullmatch(head, item) or item == last):
            if item == first:
                return item + last[m.end():]
            core = item[: m.end()] if item == last else item
            ordinal = "第" if opening.group(2).startswith("第") and not core.startswith("第") else ""  # 第一、二产业
            return opening.group(1) + ordinal + core + last[m.end():]
    return item


# A bare rate, share or total after a count in its sentence measures what was counted (naming
# convention N3: named from the figure it hangs on):
# - a rate: `办理专利侵权纠纷行政裁决案件1,284件，结案率98.6%` -> `专利侵权纠纷行政裁决案件结案率`;
# - a share of a whole scope: `13项成果获国家科学技术奖，全市占比26.53%` -> `…成果数全市占比`;
# - a total after what was added: `新增小巨人企业26家，总数达到72家` -> `小巨人企业总数`.
_BARE_RATE = re.compile(r"^[\u4e00-\u9fff]{1,5}率$")
_BARE_SHARE = re.compile(r"^(?:全市|全区|全省|全国|全县|全行业)(?:占比|比重|份额)$")
_BARE_TOTAL = re.compile(r"^(?:累计)?(?:总数|总量|总计|累计数)$")
# - an amount of what was counted: `实施重大项目160个，完成投资290亿元` -> `重大项目完成投资`.
_BARE_AMOUNT = re.compile(r"^(?:完成|实现|累计完成|计划)?(?:总投资|投资|合同额|签约额|总金额|金额)额?$")
_COUNT_MEASURE = re.compile(r"(?:数量|数|量)$")
_ADDED = re.compile(r"^(?:全年|年内|当年)?(?:新增|新认定|新引进|新培育|新建|新获批|新设立|新入选|新获评|新成立)"
                    r"|(?:新增|新认定|新引进|新培育|新建|新获批|新设立|新入选|新获评|新成立)$")


def rate_of_count(rate: str, count: str | None) -> str:
    """`rate` (a name such as `结案率`, `全市占比`, `总数`) given the object of the count before it
    (`count`, that count's name), when the rate is bare: at most five characters and 率, a whole
    scope's share, or a total (which counts the object, not what was added to it)."""
    own = re.split(r"[，,；;：:]", rate)[-1]  # a rule name may reach back over the count (`…1,284件，结案率`)
    if not count:
        return rate
    thing = _COUNT_MEASURE.sub("", count)
    if _BARE_SHARE.match(own):
        return count + own if len(thing) >= 2 else rate
    if _BARE_TOTAL.match(own):
        thing = _ADDED.sub("", thing)
        return thing + "总数" if len(thing) >= 2 else rate
    if _BARE_AMOUNT.match(own):
        return thing + own if len(thing) >= 2 else rate
    if not _BARE_RATE.match(own):
        return rate
    return thing + own if len(thing) >= 2 and thing not in own else rate


def join_name(base: str, suffix: str) -> str:
    """`base` + `suffix` without saying 增速 twice (`…同比增速` + `增速全市排名`); a streak counts
    the years of what the rate measured (`…营收同比增速` + `连续保持两位数增长月数`); a wider
    scope's average goes before the base, in place of its own scope (`全区公民具备科学素质比例` +
    `全市平均水平` -> `全市公民具备科学素质比例平均水平`)."""
    if suffix.startswith("增速") and re.search(r"(增速|增幅|降幅)$", base):
        suffix = suffix[2:]
    if suffix.startswith("提高率"):  # the rate of the rise ranks, not the points it rose by
        base = re.sub(r"(?:提高|提升|增加)幅度$", "", base)
    if suffix.startswith("连续"):
        base = re.sub(r"(?:同比|环比)?(?:增速|增幅|增长)$", "", base)
    if AVERAGE.match(suffix):  # the wider scope's average of what the base measures
        return suffix[:2] + _OWN_SCOPE.sub("", base) + suffix[2:]
    return joined(base, suffix)  # what the suffix repeats of the base's end is said once


# A count of consecutive years or months (`连续三年排名全市首位`, `连续四年获评…优秀单位`) is named
# by eval convention rule 8 and decision 20 as what the streak is of, `连续`, what was kept up, and
# the measure: `研发投入强度连续排名全市首位年数`, `连续获评区年度考核优秀单位年数`. What the streak
# is of is the subject before `连续` in its clause, or else the figure before it in the sentence.
_STREAK_MEASURE = {"年": "年数", "个月": "月数"}
_STREAK_LINK = re.compile(r"^(?:其中|并且|并|且|已经|已|均|都|还|也|又|和|及)+|(?:并且|并|且|已经|已|均|都|还|也|又)+$")
_DEED_MAX = 24


def streak(text: str, m: Mention, floor: int = 0, ceiling: int | None = None) -> tuple[str, str] | None:
    """(subject, suffix) of a streak `m` (see above): the subject written before `连续` in its
    clause (linking words dropped; "" when none) and `连续<what was kept up><年数|月数>`; None
    when `m` is no streak."""
    if m.unit not in _STREAK_MEASURE:
        return None
    lead = immediate_lead(text, m.start, floor)
    if not lead.endswith("连续"):
        return None
    end, stop = m.end, min(len(text) if ceiling is None else ceiling, m.end + _DEED_MAX)
    while end < stop and not is_clause_stop(text, end):
        end += 1
    subject = _STREAK_LINK.sub("", TRAILING_VERBS.sub("", lead[:-2].strip()))
    return subject, "连续" + text[m.end : end].strip() + _STREAK_MEASURE[m.unit]


# The levels of a total given one by one (`科普教育基地28个，其中国家级2个、省级9个、市级17个`): a name
# that says only a level (`国家级数`, `国家级、省级数`) is that level of what the total counts
# (`国家级科普教育基地数`).
_LEVEL = re.compile(r"[\u4e00-\u9fff]{0,3}?(?:国家|国际|省|市|区|县)级(?:以上)?")
_LEVEL_IN = re.compile(r"(?:国家|国际|省|市|区|县)级(?:以上)?")
_LEVEL_MEASURE = re.compile(r"(?:数量|人数|个数|数)$")
_LEVEL_FIGURE = re.compile(r"[\d.]+[\u4e00-\u9fff]?$")  # `国家级2个、省级数`: the figure a rule name reached back over
_TOTAL_WORDS = re.compile(r"^(?:全[区县市省国]|本[区县市])?(?:共有|拥有|现有|共计|共)?|各类|各级")


def level_only(name: str) -> str | None:
    """The last level of a name that says nothing but levels (`国家级、省级数` -> `省级`), else None."""
    parts = [_LEVEL_FIGURE.sub("", p) for p in re.split("[、和及]", _LEVEL_MEASURE.sub("", name)) if p]
    return parts[-1] if parts and all(_LEVEL.fullmatch(p) for p in parts) else None


def level_of_total(level: str, total: str, unit: str | None) -> str | None:
    """The name of `level` of what the total named `total` counts (`省级` of `科普教育基地数` ->
    `省级科普教育基地数`; `企业技术中心等省级以上研发平台数` -> `国家级企业技术中心等研发平台数`),
    or None where the total says nothing more than a level either."""
    thing = _LEVEL_IN.sub("", _TOTAL_WORDS.sub("", _LEVEL_MEASURE.sub("", total)))
    return with_measure(level + thing, unit) if len(thing) >= 2 and level_only(total) is None else None


# The parts of a total given after 其中 (`主动公开政务信息114条，其中组织机构2条、规划计划10条`): a part
# of a few words (six characters at most) whose words share nothing with what the total counts is that part of it, named after the
# total's words (`…主动公开政务信息组织机构数`, `孵化载体在孵企业数`); a part that says what it is
# (`其中发明专利320件` after `专利授权1200件`) keeps its name.
_PART_OPENING = re.compile(r"^(?:其中|包括|另有|含)+")


def part_of_total(name: str, total: str, unit: str | None) -> str | None:
    """The name of a part (named `name`) of the total named `total`, where its own says too
    little (see above); None where it says enough."""
    thing = _TOTAL_WORDS.sub("", _LEVEL_MEASURE.sub("", total))
    item = _PART_OPENING.sub("", _LEVEL_MEASURE.sub("", name))
    if not 2 <= len(item) <= 6 or len(thing) < 4 or level_only(name) is not None or _bigrams(item) & _bigrams(thing):
        return None
    return with_measure(thing + item, unit)


def _bigrams(s: str) -> set[str]:
    return {s[k : k + 2] for k in range(len(s) - 1)}
