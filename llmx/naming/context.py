"""Deterministic readings of the text around a number: what the model is not asked.

- `clause_before`: the words a number completes (`新认定高新技术企业` for `68家`),
  used for the quote, for the model's list and as the regex-only baseline's name.
- `kind_of`: `target` on cue words (力争, 目标, 确保…) or inside a plan part.
- `period_of`: the time span the sentence gives (`2024年1-11月`, `截至2024年底`),
  else the span of the part or of the report (`2024`, or `2024年上半年` in a half-year report).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.sections import wraps

__all__ = ["Frame", "is_clause_stop", "sentence_of", "expand_abbreviations", "clause_before", "clause_after", "kind_of", "period_of", "kind_and_rule", "period_and_rule", "ratio_start", "frame_for", "baseline_name", "with_measure", "joined", "squash_spaces", "drop_achieved",
           "one_sentence"]

# Characters that end a clause / a sentence (shared with llmx.naming.rules.rules).
CLAUSE_STOPS = "，,。；;：:、！？!?\n（(）)"
SENTENCE_STOPS = "。；;！？!?\n"


def is_clause_stop(text: str, i: int) -> bool:
    """Whether `text[i]` ends a clause: a stop character, except a comma with a digit on
    both sides, which groups the digits of one number (`1,016家`, `３，２８６家`)."""
    if text[i] not in CLAUSE_STOPS or _wrapped(text, i):
        return False  # a line break that only wraps a long line (a PDF copy) ends nothing
    return not (text[i] in ",，" and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit())

# 计划 is a cue as a verb (`2025年计划新增`, `，计划完成`), not inside a programme's name
# (`国家级重大人才计划43人`, `“金种子”计划新增入库`).
_TARGET_CUES = re.compile(r"力争|目标|确保|争取|预计|(?:^|[，,；;。：:\s年将拟])计划|到\d{4}年|将达|要达到|达到.{0,6}以上的?目标")
_PAST_CUES = re.compile(r"已|累计|截至|截止|去年|上年|完成了")
_PLAN_PART = re.compile(r"(\d{4})年度?(?:工作要点|工作计划|工作思路|工作安排|工作打算|工作设想)")
_SUMMARY_PART = re.compile(r"(\d{4})年度?(?:工作总结|主要工作)")
# Parts of a year a report or a part of it may cover (`2024年上半年工作总结`, `二、下半年工作打算`).
_PART_OF_YEAR = re.compile(r"上半年|下半年|前三季度|第?[一二三四]季度|(?<![\d年])\d{1,2}[-—–至]\d{1,2}月")
_HALF_PLAN = re.compile(r"下半年(?:[\u4e00-\u9fff]{0,6}?)(?:计划|打算|安排|思路|要点|重点|任务)")
_SPANS = (
    re.compile(r"截[至止](?:目前|\d{4}年(?:底|末|\d{1,2}月(?:底|末)?)?)"),
    re.compile(r"截[至止]\d{1,2}月(?:底|末)|截[至止]年[底末]|年末(?=[全共])"),  # the report's year
    re.compile(r"(?<![较比与])(?:\d{4}年)?(?:上半年|下半年|前三季度|第?[一二三四]季度)"),  # not 较一季度
    re.compile(r"\d{4}[-—–至]\d{4}年(?!度)|“?十[一二三四五六七八九]五”?(?:时期|期间|以来)"),
    re.compile(r"\d{4}年[（(]?\d{1,2}[-—–至~～]\d{1,2}月[）)]?"),
    re.compile(r"\d{4}年\d{1,2}月至\d{4}年\d{1,2}月"),
    re.compile(r"\d{4}年以来"),
    re.compile(r"(?<![\d年])\d{1,2} ?[-—–至~～] ?\d{1,2} ?月"),  # `1-7月`, and as a web copy spaces it: `1~12 月`
    re.compile(r"(?<![\d较比与])(?:19|20)\d{2}(?:年度?|年)(?![底末]?的)"),  # not a year compared with (`较2023年`, `是2023年的`)
    re.compile(r"目前|全年|年内"),  # the report's (or plan's) own year, ending any span before it
)
_OWN_YEAR = ("截至目前", "目前", "全年", "年内")
# A figure stated for the year before (`由上年的41.6%提高到44.3%`): the number right after 上年的.
_LAST_YEAR = re.compile(r"(?:(?:由|从)(?:上年|去年)(?:同期)?的?|(?:较|比)(?:上年|去年)(?:同期)?的)[ \t\u3000]*$")
# ... or for a year it names (`较2023年底的605家净增107家`: 605 is 截至2023年底's).
_EARLIER_YEAR = re.compile(r"(?:由|从|较|比)((?:19|20)\d{2})年(底|末)?的[ \t\u3000]*$")
_MAX_CLAUSE = 30
# A short gloss in brackets between what is measured and its number (`地区生产总值（GDP）152.8亿元`,
# `研究与试验发展(R&D)经费`, `载体(含孵化器、众创空间)43家`): the brackets end no clause there.
_GLOSS = re.compile(r"[（(][A-Za-z&\d.\u4e00-\u9fff、]{1,16}[）)][ \t\u3000]*\Z")


def _before_gloss(text: str, start: int, floor: int) -> int:
    m = _GLOSS.search(text, max(floor, start - 20), start)
    if not m or re.search(r"\d[\u4e00-\u9fff%％]", m.group()):  # `研发服务（32个）`: a figure in brackets is no gloss
        return start
    return m.start() if m.start() > floor and not is_clause_stop(text, m.start() - 1) else start



def clause_before(text: str, start: int, floor: int = 0) -> int:
    """Offset where the words leading to a number at `start` begin: the last clause
    stop before it, reaching one clause further back when that clause is too short to
    say what is measured (`同比增长`, `达到`)."""
    pos = _before_gloss(text, start, floor)
    for _ in range(2):
        i = pos - 1
        while i >= floor and not is_clause_stop(text, i):
            i -= 1
        while i > floor and text[i] in "）)" and (gloss := _before_gloss(text, i + 1, floor)) <= i:
            i = gloss - 1  # `院士(专家)工作站12家`: a gloss inside the clause ends nothing either
            while i >= floor and not is_clause_stop(text, i):
                i -= 1
        pos = i + 1
        if start - pos >= 4 or i < floor or text[i] in SENTENCE_STOPS:
            break
        pos = i  # step over the stop and look one clause further back
    return max(pos, start - _MAX_CLAUSE, floor)


def clause_after(text: str, end: int, ceiling: int | None = None) -> int:
    """Offset where the words right after a number (`115家` → `院士专家工作站`) stop."""
    ceiling = len(text) if ceiling is None else ceiling
    i = end
    while i < ceiling and i - end < 15 and text[i] not in CLAUSE_STOPS and not text[i].isdigit():
        i += 1
    return i


def sentence_of(text: str, start: int, end: int, floor: int = 0, ceiling: int | None = None) -> str:
    """The whole sentence the span `[start, end)` stands in (within `[floor, ceiling)`)."""
    ceiling = len(text) if ceiling is None else ceiling
    a, b = start, end
    while a > floor and text[a - 1] not in SENTENCE_STOPS:
        a -= 1
    while b < ceiling and text[b] not in SENTENCE_STOPS:
        b += 1
    return text[a:b]


def one_sentence(text: str, start: int, end: int) -> bool:
    """Whether no sentence stops between `start` and `end` (two figures of one sentence)."""
    return not any(ch in SENTENCE_STOPS for ch in text[start:end])


def sentence_before(text: str, start: int, floor: int = 0) -> str:
    i = start - 1
    while i >= floor and text[i] not in SENTENCE_STOPS:
        i -= 1
    return text[i + 1 : start]


@dataclass(frozen=True)
class Frame:
    """What a part of the report says about time and intent: its year and whether it plans."""

    year: int | None
    planning: bool
    part: str = ""  # the part of the year it covers, when not the whole: 上半年, 下半年, 1-6月

    @property
    def period(self) -> str | None:
        """The period of a figure that states none: `2024`, `2024年上半年`, or the part alone
        (`1-7月`) where the report states no year (a news item titled by its months)."""
        if self.year is None:
            return _normalise_span(self.part) if self.part else None
        return f"{self.year}年{self.part}" if self.part else str(self.year)


def frame_for(path: tuple[str, ...], doc_kind: str, doc_years: list[int], title: str | None = None) -> Frame:
    """The frame of a section from its heading path and the report's kind, years and title:
    a half-year report's figures are its half's (`2024年上半年工作总结`), the part headed
    `下半年工作打算` plans the second half."""
    first = min(doc_years) if doc_years else None
    for heading in path:
        if m := _PLAN_PART.search(heading):
            return Frame(int(m.group(1)), True)
        if _HALF_PLAN.search(heading):
            return Frame(max(doc_years) if doc_years else None, True, "下半年")
        if m := _SUMMARY_PART.search(heading):
            return Frame(int(m.group(1)), False)
        if "上半年" in heading:
            return Frame(first, False, "上半年")
    part = m.group() if (m := _PART_OF_YEAR.search(title or "")) else ""
    if doc_kind == "plan":
        return Frame(max(doc_years) if doc_years else None, True, part)
    return Frame(first, False, part)


# Funds, projects or support won from above (`争取上级科技资金1.35亿元`) are what a year brought
# in, not a goal, where the part reports on the year; and a plan's baseline (`在2024年…达到132.6亿元
# …的基础上`) is what was done.
_WON = re.compile(r"争取(?:到)?(?:上级|省级以上|省级|国家级|国家|中央|省|市|各级)[^，,。；;]{0,10}?(?:资金|经费|补助|专项|项目|支持)"
                  # a goal met, or a share of one (`实现了…提升目标`, `占全年目标任务的201%`): no goal ahead
                  r"|(?:实现|完成|达成)了?[^，,。；;]{0,8}?目标(?:任务)?|目标任务的")
_BASELINE_OPEN = re.compile(r"在[^。；;！？!?\n]*$")
_BASELINE_CLOSE = re.compile(r"[^。；;！？!?\n]*?的?基础上")


# The parts of a ratio before a number (`6.9:55.9:` before `37.2`): a part's kind and period are
# the ratio's, read from what comes before its first part (`由上年的6.9:55.9:37.2` is last year's).
_RATIO_BEFORE = re.compile(r"(?:\d+(?:\.\d+)?[:：∶])+$")


def ratio_start(text: str, start: int, floor: int = 0) -> int:
    """Where the ratio a number is the second or later part of begins (`6.9:55.9:37.2`), else `start`."""
    before = _RATIO_BEFORE.search(text, max(floor, start - 40), start)
    return before.start() if before else start


def kind_of(text: str, start: int, frame: Frame, floor: int = 0) -> str:
    """The kind of the number at `start` (`kind_and_rule` gives the rule that decided it)."""
    return kind_and_rule(text, start, frame, floor)[0]


def kind_and_rule(text: str, start: int, frame: Frame, floor: int = 0) -> tuple[str, str]:
    """`target` when the sentence before the number states a goal (`kind.target_cue`) or a
    forecast or dated plan opens it (`kind.forecast`), or the part is a plan and the sentence
    does not speak of what is already done (`kind.plan_part`); `actual` for a baseline
    (`在…的基础上`, `kind.baseline`) and otherwise (`kind.actual`); funds won (`争取上级资金…`)
    in a part that reports are no goal. Returns (kind, the id of the rule that decided it)."""
    start = ratio_start(text, start, floor)
    sentence = sentence_before(text, start, floor)
    if _BASELINE_OPEN.search(sentence) and _BASELINE_CLOSE.match(text, start):
        return "actual", "kind.baseline"
    cues = sentence if frame.planning else _WON.sub("", sentence)
    if _TARGET_CUES.search(cues):
        return "target", "kind.target_cue"
    if _FORECAST.search(_whole_sentence(text, start, floor)):
        return "target", "kind.forecast"
    if frame.planning and not _PAST_CUES.search(sentence):
        return "target", "kind.plan_part"
    return "actual", "kind.actual"


# A forecast or a dated plan governs the whole sentence it opens, across `；` up to `。`
# (`预计上半年全县GDP增长6.3%；重点项目完成投资…`, `到2027年，…达到160以上；…`), as a period does.
_FORECAST = re.compile(r"(?:^|[，,：:（(])(?:预计|预测|初步预计|据预测)|^[^，,。]{0,6}到(?:19|20)\d{2}年(?:底|末)?[，,]")


def _whole_sentence(text: str, start: int, floor: int) -> str:
    """The sentence of the number at `start` from its beginning (back to `。` or a line break)."""
    i = start - 1
    while i >= floor and text[i] not in "。！？!?\n":
        i -= 1
    return text[i + 1 : start]


def _normalise_span(span: str) -> str:
    span = re.sub(r"[（(](\d{1,2}[-—–至~]\d{1,2}月)[）)]", r"\1", span)
    span = re.sub(r"(?<=\d) ?([-—–~～至]) ?(?=\d{1,2} ?月)", r"\1", span).replace(" 月", "月")
    span = re.sub(r"(?<!截)[—–~～至](?=\d{1,2}月)", "-", span)
    if re.fullmatch(r"\d{4}年度?", span):
        return span[:4]
    return span


# Labelling decision 6 and the notes under it (eval/README.md): a time span governs the whole
# sentence it opens, across `；` up to `。`; a year that is part of a name is no period: inside a
# title 《…》, the year of an award or grant won in the report's year (`荣获2023年度上海市科学技术奖`,
# `拨付2022年度…配套资金`), the year of a programme's batch (`2022年度青浦区科研专项项目验收4项`).
_PERIOD_STOPS = "。！？!?\n"
_TITLE = re.compile(r"《[^《》]*》")
_NAME_YEAR_BEFORE = re.compile(r"(?:获得?|荣获|拨付|兑现|入选|申报)$")
_NAME_YEAR_AFTER = re.compile(r"^[^，,。；;：:、\d]{0,16}?(?:奖|项目|计划|资金|专项)")


def _blank_titles(s: str) -> str:
    return _TITLE.sub(lambda t: "□" * len(t.group()), s)


def _period_sentences(text: str, start: int, floor: int) -> tuple[str, str]:
    """The words before `start` back to the last sentence stop (`；` included), and the
    opening clause of the whole sentence (back to `。`), titles blanked in both."""
    i = start - 1
    while i >= floor and (text[i] not in _PERIOD_STOPS or _wrapped(text, i)):
        i -= 1
    whole = _blank_titles(text[i + 1 : start].replace("\n", ""))
    part = re.split(f"[{re.escape(SENTENCE_STOPS)}]", whole)[-1]
    opening = re.split(r"[，,：:]", whole, maxsplit=1)[0] if len(part) < len(whole) else ""
    return part, opening


def _wrapped(text: str, i: int) -> bool:
    """Whether the line break at `i` only wraps a paragraph (a PDF copied with hard breaks),
    as the outline reads it (`llmx.text.sections.wraps`)."""
    if text[i] != "\n":
        return False
    end = text.find("\n", i + 1)
    return wraps(text[text.rfind("\n", 0, i) + 1 : i], text[i + 1 : len(text) if end < 0 else end])


def _names_a_thing(sentence: str, m: re.Match) -> bool:
    """Whether the year span `m` is part of an award's, grant's or programme batch's name."""
    if not re.fullmatch(r"(?:19|20)\d{2}年度?", m.group()):
        return False
    return bool(_NAME_YEAR_BEFORE.search(sentence[: m.start()])
                or (m.group().endswith("年度") and _NAME_YEAR_AFTER.match(sentence[m.end() :])))


def _last_span(sentence: str) -> tuple[int, str] | None:
    """The last time span of `sentence` (the longer of two ending together), names' years left out."""
    best: tuple[int, str] | None = None
    for pattern in _SPANS:
        for m in pattern.finditer(sentence):
            if _names_a_thing(sentence, m):
                continue
            candidate = (m.end(), m.group())
            if best is None or candidate[0] > best[0] or (candidate[0] == best[0] and len(m.group()) > len(best[1])):
                best = candidate
    return best


def period_of(text: str, start: int, frame: Frame, floor: int = 0) -> str | None:
    """The period of the number at `start` (`period_and_rule` gives the rule that decided it)."""
    return period_and_rule(text, start, frame, floor)[0]


def period_and_rule(text: str, start: int, frame: Frame, floor: int = 0) -> tuple[str | None, str]:
    """The period a number refers to: the year before the report's for a change from last
    year (`period.last_year`) or a year named as the start (`period.earlier_year`); else the
    last time span its sentence gives (`period.span`: a span that opens a sentence holds
    across `；`; a year in a title or in an award's or programme's name is no span), with the
    report's year where the span has none (`period.own_year`: `全年`, `截至目前`; `period.year_end`:
    `年末`; `period.span_in_year`: `1-6月`); else the frame's (`period.frame`). Returns
    (period, the id of the rule that decided it)."""
    part, opening = _period_sentences(text, ratio_start(text, start, floor), floor)
    if frame.year and _LAST_YEAR.search(part):
        return str(frame.year - 1), "period.last_year"
    if earlier := _EARLIER_YEAR.search(part):
        return (f"截至{earlier.group(1)}年底" if earlier.group(2) else earlier.group(1)), "period.earlier_year"
    best = _last_span(part) or _last_span(opening)
    if best is not None:
        span = _normalise_span(best[1])
        if span in _OWN_YEAR:
            return (str(frame.year) if frame.year else (span if span == "截至目前" else None)), "period.own_year"
        if frame.year and re.fullmatch(r"(?:截[至止])?年[底末]", span):
            return f"截至{frame.year}年底", "period.year_end"  # 年末, 截至年底: the end of the report's year
        if frame.year and not re.search(r"\d{4}|十.五", span):  # 1-6月, 上半年, 截至6月底: the report's year
            return re.sub(r"^(截[至止])?", lambda c: f"{c.group()}{frame.year}年", span, count=1), "period.span_in_year"
        return span, "period.span"
    return frame.period, "period.frame"


_VERBS = re.compile(
    r"^(?:全年|年末|年底|前三季度|上半年|下半年|共|累计|其中|已|并|和|及|与|为|向|将|把|由|实现|完成|达到|达|超过|超|突破|获得|获|"
    r"引进|培育|举办|开展|推动|支持|"
    r"力争|争取|确保|预计|"
    # the months a figure covers are its period, not its name (`1-6月份`, `1—7月`)
    r"\d{1,2}\s*[-—–~～至]\s*\d{1,2}\s*月份?)+"
)
# The words that lead up to a figure at the end of a name: verbs of reaching (`达到`, `突破`),
# of aiming (`力争`), of holding or bringing to a level (`保持在`, `压缩至`), approx words.
TRAILING_VERBS = re.compile(
    r"(?:达到|达|为|共|累计|实现|超过|超|(?<![通经度越])过|近|约|逾|总计|合计|共计|突破|约为|力争|争取|确保|分别|预计(?:完成|实现)?|首次|再次|"
    r"(?:保持|稳定|控制|维持)在?|(?:压缩|缩短|降低|降|提高|提升|增加|增|升|扩大)(?:至|到)|由(?:上年度?|去年)的?)+$")
BARE_VERB = re.compile(
    r"(?:建成|新建|新增|建设|签约|签订|举办|开展|组织|引进|培育|认定|新认定|申报|设立|成立|打造|推出|发布|入选|获批|落地|服务|"
    r"实施|带动|吸引|集聚|孵化|拥有|建立|组建|出台|制定|评选|遴选|培训|覆盖|走访|对接|办理|受理|挂牌|授牌|布置|部署)+")
COUNTS = frozenset({"家", "个", "项", "件", "人", "名", "位", "场", "批", "所", "座", "台", "套", "篇", "部", "支",
                     "家次", "人次", "场次", "户", "款", "种", "条", "门", "例", "起"})
_MEASURES = ("数", "量", "次", "率", "额", "人才", "规模")


# An item's marker at a clause's start (decision 21: `1．`, `2. `, `(1)`, `（一）`, `一、`, `①`, `⑴`).
_ITEM_MARKER = re.compile(r"^\s*(?:\d{1,2}[.．、](?!\d)|[（(][一二三四五六七八九十\d]{1,2}[）)]|[一二三四五六七八九十]{1,2}、"
                          r"|[\u2460-\u2473\u2474-\u2487\u2488-\u249b\u2776-\u277f])\s*")


# Spaces a copied PDF leaves around Latin letters and digits (`全社会 R&D 经费支出占 GDP 比重`): no
# part of a name where a Chinese character stands on either side.
_LOOSE_SPACE = re.compile(r"\s+(?=[\u4e00-\u9fff（“])|(?<=[\u4e00-\u9fff）”])\s+")
# A year at a name's start is the report's period, no part of the name; one a figure is compared
# with (`较2020年提高`) or counted from (`2021年以来累计培育`) stays.
_NAME_YEAR = re.compile(r"^(?:19|20)\d{2}年度?(?!以来|来|起|底|末|初|前|后)")


def squash_spaces(name: str) -> str:
    """`name` without the spaces beside its Chinese characters (see above)."""
    return _LOOSE_SPACE.sub("", name)


# `实现` before what an economy yields is the report's verb, no part of the name (N1:
# `规上软件和信息服务业实现营收` -> `规上软件和信息服务业营收`).
_ACHIEVED = re.compile(r"实现(?=营收|营业收入|工业总产值|总产值|产值|增加值|地区生产总值|进出口|出口|利润|税收|区税|收入|销售|交易额|成交额)")


def drop_achieved(name: str) -> str:
    """`name` without a `实现` before an economy's yield (see above)."""
    return _ACHIEVED.sub("", name)


def baseline_name(clause: str, after: str = "", unit: str | None = None) -> str:
    """Name a number from its clause alone (the regex-only baseline, and the rule name of a
    figure the model left): trim verbs and linking words at both ends; when only a verb is
    left before the number, the words after it (`建成10个基础研究中心` → `基础研究中心`);
    a count (a unit such as 家, 个, 项) gets the measure 数 (`基础研究中心数`). A clause reached
    back over that ends in a figure of its own gives its subject, not its figure
    (`有效高新技术企业达到1,286家，净增` -> `有效高新技术企业净增`)."""
    clause = _without_figure_before(clause)
    name = TRAILING_VERBS.sub("", drop_achieved(_NAME_YEAR.sub("", squash_spaces(_ITEM_MARKER.sub("", clause)))).strip(" ，,、"))
    stripped = _VERBS.sub("", name)
    if (len(stripped) < 2 or BARE_VERB.fullmatch(stripped)) and after.strip():
        stripped = after.strip()
    name = stripped or name
    return with_measure(name, unit)


def _without_figure_before(clause: str) -> str:
    """`clause` without the figure that ends the clause it reached back over, keeping that clause's
    subject only where it is one: not a change, a bare verb or a sibling measure (`同比增长31.5%，
    成交额排名`, `办结率98.3%，满意率`), and a word said in both clauses once (`解决117项，解决率`)."""
    if (back := _FIGURE_BEFORE_STOP.search(clause)) is None:
        return clause
    head = _CHANGE.sub("", TRAILING_VERBS.sub("", clause[: back.start()])).strip()
    tail = clause[back.end() :]
    word = tail.strip()
    if len(head) < 2 or BARE_VERB.fullmatch(head) or (_MEASURED.search(head) and _MEASURED.search(tail)) or head in word:
        return tail
    return head if word and word in head else head + tail


_TIMES = ("人次", "家次", "场次", "户次")
_MEASURED = re.compile(r"(?:率|额|数|量|比重|占比|规模|指数)\s*$")
_CHANGE = re.compile(r"(?:同比|比上年|较上年|较去年|比去年|较年初)?(?:增长|增加|提高|提升|下降|减少|净增|增)$")
# A figure that ends the clause `clause_before` reached back over (`…达到1,286家，`).
_FIGURE_BEFORE_STOP = re.compile(r"(?<![\d.])\d[\d,.]*\s*(?:余|多)?\s*[\u4e00-\u9fff%％]{0,3}?[，,；;]\s*(?=[^，,；;]*$)")
# Naming convention N2: short forms a table reader may not know, written out.
ABBREVIATIONS = {"高企": "高新技术企业", "软信业": "软件和信息服务业", "科小": "科技型中小企业"}
_ABBREVIATION = re.compile("|".join(ABBREVIATIONS))


def expand_abbreviations(text: str) -> str:
    """`text` with the short forms of naming convention N2 written out (`高企` -> `高新技术企业`)."""
    return _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(0)], text)


_PEOPLE = ("人", "名", "位")
# A share said as a ratio to the whole (`相当于地区生产总值的3.52%`): 占 the whole 比重.
_AS_MUCH_AS = re.compile(r"相当于(.{2,12}?)的?(?:比例|比重)?$")
_GREW = re.compile(r"(同比)?(增长|增加|上升|下降|减少|回落)$")
# N1's measures for units with a word of their own (the decisions under the convention):
# events in 场 are 场次, batches in 批 批数, articles in 篇 篇数.
_UNIT_MEASURE = {"场": "场次", "批": "批数", "篇": "篇数"}


def joined(base: str, rest: str) -> str:
    """`base` + `rest`, what `rest` repeats of the end of `base` said once (`…占GDP比重` +
    `比重全省排名` -> `…占GDP比重全省排名`; at least two characters)."""
    overlap = next((k for k in range(min(len(base), len(rest)), 1, -1) if base.endswith(rest[:k])), 0)
    return base + rest[overlap:]


def with_measure(name: str, unit: str | None) -> str:
    """`name` ending in the measure its unit says (naming convention N1), its short forms
    written out (N2): a count of things (家, 个, 项…) that ends in its object gets 数
    (`基础研究中心` → `基础研究中心数`); a count of people 人数 (`科技特派员人数`, but
    `人才数`); of events in 场 场次, of batches 批数, of articles 篇数; a count of visits or
    attendances says so (`服务企业数` in 家次 → `服务企业家次`); a growth rate in % is a 增速 or
    增幅, as the rules name a dependent rate (`营收同比增长` → `营收同比增速`, `工业投资增长` →
    `工业投资增幅`); `高企` → `高新技术企业`. A conjunction that ends the words goes: it links the
    next figure (`8个项目和9名同学` -> `项目数`, not `项目和数`)."""
    name = re.sub(r"(?<=.)(?:以及|和|及|与|、)$", "", expand_abbreviations(name))
    if not name:
        return name
    if unit == "%" and (ratio := _AS_MUCH_AS.search(name)):  # `研发经费支出相当于地区生产总值的` -> `…占地区生产总值比重`
        name = name[: ratio.start()] + "占" + ratio.group(1) + "比重"
    if unit == "%" and (grew := _GREW.search(name)) and len(name) > grew.end() - grew.start():
        fell = grew.group(2) in ("下降", "减少", "回落")
        return name[: grew.start()] + ("同比" if grew.group(1) else "") + ("降幅" if fell else "增速" if grew.group(1) else "增幅")
    unit = re.sub(r"^[万亿千百]+(?=.)", "", unit) if unit else unit  # 万人次 measures 人次
    if unit in _TIMES and not name.endswith(unit):  # `服务企业人次` counted in 家次: 服务企业家次
        return re.sub(r"(?:数量|人数|数|次数|人次|家次|场次|户次)$", "", name) + unit
    if unit in _UNIT_MEASURE and not name.endswith(("率", "额", "规模", "量", _UNIT_MEASURE[unit])):
        return re.sub(r"(?:数量|数|次数|次)$", "", name) + _UNIT_MEASURE[unit]
    if unit in _PEOPLE and not name.endswith(("人数", "人才数", "率", "额", "次", "人次", "规模")):
        bare = re.sub(r"(?:数量|数)$", "", name)
        return bare + ("数" if bare.endswith(("人才", "人", "人口")) else "人数")
    if unit in COUNTS and name.endswith("数量"):
        return name[:-1]  # a count's measure is 数 (N1), not 数量
    if unit in COUNTS and not name.endswith(_MEASURES):
        return name + "数"
    return name
