"""Find every number in Chinese report text by regex, with its span, and classify it.

`find_numbers(text)` scans for numerals (Arabic, full-width and Chinese) and
returns one `Mention` per number, sorted by start, spans never overlapping. A
mention covers what belongs to the figure: an approximation word before it
(`超3668家`, `近300位`), a magnitude and the unit after it (`197.54亿`,
`1.5万人次`, `1.04 个百分点`), 余/多/以上/左右 (`60余场`, `亿元以上`), and for
a rank the words that scope it (`全市第一`, `排名位列全市第 3`).

    value     the number as written, in the unit as written: 197.54 for 197.54亿;
              the upper bound of a range (`1-2个` -> 2, approx "under");
              a fraction as a percentage (`占比1/4` -> 25, "%");
              for a date the leading number (the year when there is one)
    unit      as written, magnitude included, per the labelling guide: a bare
              money 亿/万 gets 元 (`成交额197.54亿` -> "亿元") where its clause speaks of money
              (elsewhere a bare magnitude stays bare: `服务企业3.5万` -> "万"), a rank gets "名"
    approx    "exact" | "over" (超 逾 突破 余 多 以上 ...) | "about" (约 近 左右)
              | "under" (不足 不到 以内 以下, ranges, 前五)
    category  "quantity" | "rank" | "year" | "date" | "ordinal" | "list_marker"
              | "doc_number" | "contact" | "name" | "other"
              | "furniture" | "identifier" | "placeholder" | "power" (`llmx.finder.furniture`)

Not quantities: years and dates (`2024年`, `2025-01-16`, `1-11月`, `19:37:14`),
document numbers (`〔2025〕4号`, `QA530100020250001`), list markers (`一是`,
`（一）`, `二、`, a caption's `表1`), ordinals (`第七届`, `第一批`, `一等奖`), contact
numbers (`0731-88665000`, `邮编：710016`: `llmx.finder.identifiers`), numbers in names and
slogans (`5G`, `3+5+X`, `十四五`, `两大产业`, `“五类”`, `15分钟科普生态圈`, `平台2.0`,
`三年行动计划`, a numeral inside a short quotation or a 《title》), and leftovers such as a
number alone on a line or the vague `一批` ("other"). Words that merely
contain a numeral character (`统一`, `进一步`, `长三角`, `百姓`) give no mention.

`find_quantities` keeps the quantities and ranks; `parse_chinese_number`
reads a Chinese numeral. Unit knowledge (the unit words, magnitudes, unit
families) and the numeral reader live in `llmx.finder.units`; `Mention` in `llmx.finder.mention`;
what a scan numeral by numeral cannot read (a unit before its number, `首位`, `翻一番`,
a table cell's column unit) in `llmx.finder.readings`.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

from .furniture import POWER, FurnitureMap, placeholder_span, short_date
from .identifiers import contact_end, is_caption, is_programme, is_version
from .mention import SPACES, RANK_SCOPE, RANK_VERBS, Mention, make_mention, rank_scope
from .readings import second_readings
from .units import UNIT_PATTERN, cn_value, parse_chinese_number

__all__ = ["Mention", "RANK_SCOPE", "RANK_VERBS", "find_numbers", "find_quantities", "parse_chinese_number"]


# ---------------------------------------------------------------- patterns

_D = "0-9０-９"
_SPACES = " \t\u3000\xa0"
_NUM = rf"(?:[0-9]{{1,3}}(?:,[0-9]{{3}}(?![0-9])){{1,6}}|[{_D}]{{1,24}})(?:[.．][{_D}]{{1,24}})?"
_CN = "零〇○一二两三四五六七八九十百千"
_LEX = (r"(?<=[统唯同单逐专万之划新其])一|(?<=长)三角|(?<=老)百姓|"
        r"一(?:体|流|站式|系列|些|直|定|般|致|旦|方面|起|线|道|揽子|把手|带一路|手|心|律|向|贯|同|切|举|番|次性|再|"
        r"度|键|步|样|边|并|齐|部分|下|刻|环|员|如既往|目了然|以贯之|年来|视同仁|对一|览|路|带|脉|张网|张图|张蓝图|"
        r"本账|件事|条龙|一|时|头)|两头|三次产业|十分|十足|千方百计|千家万户|百姓|百度|百花|百科|百分点|四面八方|三角洲|"
        r"零(?:售|部件|距离|碳|星|散|件|基础|排放|容忍|起点)")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
_ROMAN |= {chr(0x2160 + i): i + 1 for i in range(12)}
# Enclosed numbers (①, ⑴, ⒈, ❶): list markers, read so that they are counted like `（一）`.
_ENCLOSED = "\u2460-\u249b\u24eb-\u24ff\u2776-\u2793"
_CORE = re.compile(
    rf"(?=[{_D}{_CN}IVXⅠ-Ⅻ{_ENCLOSED}])(?:(?P<lex>{_LEX})|(?P<enc>[{_ENCLOSED}])"
    rf"|(?P<rom>(?<![A-Za-z])(?:[Ⅰ-Ⅻ]|VI{{0,3}}|I[VX]|I{{1,3}}|X)(?=[类级期型]))"
    rf"|(?P<ar>{_NUM})|(?P<cn>[{_CN}][{_CN}万亿]{{0,23}}(?:点[零〇○一二三四五六七八九]{{1,12}})?))")
_UNIT = UNIT_PATTERN
_MAG = "万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千"
_TAIL = re.compile(
    rf"(?P<inf1>{SPACES}(?:余(?!额)|多(?={SPACES}(?:{_MAG}|{_UNIT}))))?{SPACES}"
    rf"(?:(?P<unit0>{_UNIT})"
    rf"|(?P<mag>{_MAG})(?P<inf2>余(?!额)|多(?![\u4e00-\u9fff])|多(?={_UNIT}))?{SPACES}(?P<unit>{_UNIT})?)?"
    r"(?P<suf>以上|左右|以内|以下|之多)?")
_RANGE = re.compile(rf"(?P<l>{SPACES})(?:[%％]{SPACES})?[-－−–—~～至到](?P<r>{SPACES})(?P<n2>{_NUM})")
# A minus sign (`-`; the cleaned text writes `−` and `－` so) belongs to the number after it
# unless it joins two things: a digit, a letter, a percent sign or a bracket before it.
_NOT_SIGN_BEFORE = frozenset("0123456789.%)）]-~～")


def _signs(before: str) -> bool:
    """Whether a `-` after the character `before` is the sign of the number that follows."""
    return before not in _NOT_SIGN_BEFORE and not (before.isascii() and before.isalpha())
_CN_RANGE = re.compile(rf"[至到~～\-－−](?P<n2>[{_CN}]+)")
_RANGE_HINT = frozenset("-－−–—~～至到%％ \t\u3000")
_DATE = re.compile(
    rf"[{_D}]{{4}}(?P<s>[-/.．])[{_D}]{{1,2}}(?P=s)"                                             # 2025-01-16
    rf"(?:[{_D}]{{1,2}}(?![{_D}])|[{_D}]{{2}}(?=[{_D}]{{1,2}}[:：]))"                           # (2025-01-1619:37)
    rf"|[{_D}]{{4}}{SPACES}年{SPACES}(?P<m1>[{_D}]{{1,2}}){SPACES}月(?:{SPACES}[{_D}]{{1,2}}{SPACES}[日号])?"  # 2025年2月6日
    rf"|[{_D}]{{1,2}}{SPACES}[-–—~～至]{SPACES}[{_D}]{{1,2}}{SPACES}月(?!份?[{_D}])"                    # 1-11月
    rf"|(?P<m2>[{_D}]{{1,2}}){SPACES}月份?(?:{SPACES}[{_D}]{{1,2}}{SPACES}[日号])?"                     # 7月11日
    rf"|[{_D}]{{1,2}}[:：][{_D}]{{2}}(?:[:：][{_D}]{{2}})?")                                    # 19:37:14
_DATE_HINT = frozenset("-/.．年月:：~～至–—")
_YEAR = re.compile(rf"(?:19|20)[0-9]{{2}}(?:{SPACES}[-–—~～至到]{SPACES}(?:19|20)?[0-9]{{2}}(?![0-9]))?{SPACES}(?:年度|年(?!级|代))?")
_FORMULA = re.compile(rf"[{_D}]+(?:{SPACES}[+＋]{SPACES}(?:[{_D}]+|[A-Za-z]+))+")
_FRACTION = re.compile(rf"[{_D}]+/([{_D}]+)(?![{_D}/])")
_LATIN_UNIT = re.compile(r"(?:kWh|kW|MW|GW|km|kg|TB|GB|PB)(?![A-Za-z])")
_INDEX_NO = re.compile(r"[A-Z]{1,4}[0-9]{8,}")
_DOC_PAREN = re.compile(rf"[0-9]{{4}}[)）]{SPACES}[0-9]+{SPACES}号")
_HAO = re.compile(SPACES + "号")
_APPROX_BEFORE = re.compile(
    r"(?P<w>不超过|不高于|不少于|不低于|超过|超出|高于|多于|至少|突破|将近|接近|大约|约为|不足|不到|低于|少于|逾|超|近|约)"
    + SPACES + "$")
_APPROX_LAST = frozenset("过于出少低破近约足到逾超为")
_APPROX = {"不超过": "under", "不高于": "under", "不足": "under", "不到": "under", "低于": "under", "少于": "under",
           "将近": "about", "接近": "about", "大约": "about", "约为": "about", "近": "about", "约": "about"}
_NOT_APPROX = {"近": "最附邻靠亲就临", "约": "签节制集履预合公条特相邀违", "超": "赶高"}
_SUFFIX = {"以上": "over", "之多": "over", "左右": "about", "以内": "under", "以下": "under"}
_NOT_PLACE = re.compile(SPACES + "(?:梯队|方阵|阵营|集团)")
_RANK_NAME = re.compile(SPACES + "(?:名|位)(?!单|列|于|数)")
_ORD_CLS = re.compile(SPACES + r"(?:届次|届|批次|批|次|期|个|轮|季度|代|章|条|款|项|号|部分|阶段|课|版|家|年|天|站|类|组|等奖|等)")
_LIST_AFTER = re.compile(SPACES + r"(?:[.．、](?![0-9])|[)）])")
_PAREN_CLOSE = re.compile(SPACES + "[)）]")
_INLINE_ITEM = re.compile(r"[\u4e00-\u9fffA-Za-z“《]")
_NAMES = re.compile(r"[“‘「『][^“”‘’「」『』。；;]{0,14}[”’」』]|《[^《》。；;\n]{0,40}》")
_KEY_YEAR = re.compile(r"(?:关键|重要|决胜|攻坚|开局|收官|奋进|新的|过去的?|上|这|那|每|同|一)$")
# An age that defines a group (`65周岁以上老年人`, `60岁以上的老人`) is part of the group's name.
_AGE_GROUP = re.compile(SPACES + r"(?:及以上|以上|以下)?的?[\u4e00-\u9fff]{0,4}?(?:老年人|老人|人口|居民|人群|群众|儿童|妇女|学生)")
_SLOGAN = re.compile(r"十[一二三四五六七八九]五")
# The parts of a rhetorical frame (`四个方面`, `为三个抓手`, `三层路径`) are labels, not
# figures (labelling decision 15): the counted noun is one of these frame words.
_FRAME = re.compile(SPACES + r"(?:方面|抓手|维度|层面|路径|支柱|着力点|突破口|主线|导向)")
# A threshold that defines a category (`营收超2亿元企业26家`, `营收超十亿元的科技型企业`,
# `30家企业市场估值超10亿元`) is part of the category's name (labelling decision 16): an
# amount above which firms are counted, followed by the firms or stated as their valuation.
_THRESHOLD_AFTER = re.compile(
    SPACES + r"(?:及以上|以上)?的?[\u4e00-\u9fff（）()]{0,8}?(?:企业|公司|项目|村|社区|集群|楼宇|园区|平台)")
# `百亿级产业集群`, `千亿级`: an order of magnitude that names a class.
_CLASS_LEVEL = re.compile(SPACES + "级")
_VALUATION = re.compile(r"(?:估值|市值)(?:超过|超|达)?$")
_PLAN_PHASE = re.compile(r"项目|工程|建设|用地|规划")
_CIRCLE = re.compile(r"[^\s，。；、,;]{0,6}圈")
_LIST_NEXT = re.compile(SPACES + "、" + SPACES + r"[\u4e00-\u9fff]")
_NAME_NEXT = re.compile(SPACES + r"(?:热线|专线|号线)")
# A time of day (`上午9时`, `14时30分`, `晚8点`): a clock after a part of the day, or with its minutes.
_CLOCK = re.compile(r"[时点](\d{1,2}分)?")
_DAY_PARTS = ("上午", "下午", "中午", "晚上", "早上", "凌晨", "晚", "早", "日")
# A rate or a share whose number stands bare before the clause ends: its percent sign was lost.
_RATE_BEFORE = re.compile(r"(?:增长|下降|增速为?|增幅为?|提高|降低|比重为?|占比为?|占[^，。；,;：:\n]{1,24}的)[ \t\u3000]*\Z")
_BARE_END = re.compile(r"[ \t\u3000]*(?:[，,。；;）)]|以上|左右)")
_PERCENT = re.compile(rf"百分之(?P<n>[零〇○一二两三四五六七八九十百]+(?:点[零〇○一二三四五六七八九]+)?|{_NUM})")
_CN_FRACTION = re.compile(r"(?P<d>[一二两三四五六七八九十百千]+)分之(?P<n>[一二两三四五六七八九十百千]+)")
# 概数: two neighbouring numerals give an approximate count (三四家, 一两个, 三五家, 十二三个, 二三十人).
_PAIR = re.compile("(?P<head>.*?)(?P<a>[一两二三四五六七八九])(?P<b>[两二三四五六七八九])(?P<place>[十百千万]?)")
_FW = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)} | {"．": ".", ",": ""})


# A fraction is a share the text states (`占比1/4`) only as a part of a small whole: a number
# over a larger one (`0305/12345`, a path) is no figure, and none is computed from it.
_SHARE_MAX = 1000


def _share(part: float, whole: float) -> float:
    """A fraction as a percentage to two decimals, as analysts write it (decision 25: 1/3 -> 33.33)."""
    return round(100 * part / whole, 2) if whole else 0.0


def _num_value(s: str) -> float:
    return float(s.translate(_FW))


def _skip_back(text: str, i: int, floor: int) -> int:
    while i > floor and text[i - 1] in _SPACES:
        i -= 1
    return i


def _at_line_start(text: str, i: int) -> bool:
    while i > 0 and text[i - 1] in " \t\u3000\xa0*#•·":
        i -= 1
    return i == 0 or text[i - 1] in "\n\r"


def _alone_on_line(text: str, a: int, b: int) -> bool:
    if not _at_line_start(text, a):
        return False
    while b < len(text) and text[b] in _SPACES:
        b += 1
    return b == len(text) or text[b] in "\n\r"


class _Ctx:
    """Per-text state: the text, its short quotations and titles (numbers there are names), and
    its page furniture and identifiers (`llmx.finder.furniture`)."""

    __slots__ = ("text", "starts", "ends", "furniture")

    def __init__(self, text: str) -> None:
        self.text = text
        self.furniture = FurnitureMap(text)
        spans = [m.span() for m in _NAMES.finditer(text)]
        self.starts = [a for a, _ in spans]
        self.ends = [b for _, b in spans]

    def in_name(self, a: int, b: int) -> bool:
        i = bisect_right(self.starts, a) - 1
        return i >= 0 and self.ends[i] >= b


def _approx_before(text: str, a: int, floor: int) -> tuple[int, str]:
    """(start, approx) for an approximation word right before offset a."""
    b = _skip_back(text, a, floor)
    if b <= floor or text[b - 1] not in _APPROX_LAST:
        return a, "exact"
    window = text[max(floor, a - 6):a]
    m = _APPROX_BEFORE.search(window)
    if not m:
        return a, "exact"
    w, start = m.group("w"), a - len(window) + m.start()
    if w in _NOT_APPROX and start > 0 and text[start - 1] in _NOT_APPROX[w]:
        return a, "exact"
    return start, _APPROX.get(w, "over")


def _ordinal(text, a, s, e, number, value, floor, bracket=False) -> Mention | None:
    """第N or 前N (a is the offset of 第/前): a rank, an ordinal, or (前N) nothing."""
    if _NOT_PLACE.match(text, e):
        return make_mention(text, a, e, number, value, None, "exact", "ordinal")  # 第一梯队
    scope = rank_scope(text, a, floor)
    tail = _RANK_NAME.match(text, e)
    cls = None if tail else _ORD_CLS.match(text, e)
    if bracket:  # 全市前五: a bracket of places
        if (scope is None and not tail) or cls:
            return None
        return make_mention(text, a if scope is None else scope, tail.end() if tail else e, number, value, "名", "under", "rank")
    if tail:
        return make_mention(text, a if scope is None else scope, tail.end(), number, value, "名", "exact", "rank")
    if cls:
        return make_mention(text, a, cls.end(), number, value, cls.group().strip(), "exact", "ordinal")
    if scope is not None:
        return make_mention(text, scope, e, number, value, "名", "exact", "rank")
    return make_mention(text, a, e, number, value, None, "exact", "ordinal")


def _special_prefix(text, s, e, number, value, floor) -> Mention | None:
    """Rank, ordinal and list-marker readings shared by both scripts, or None."""
    b = _skip_back(text, s, floor)
    prev = text[b - 1] if b > floor else "\n"
    if prev == "第":
        return _ordinal(text, b - 1, s, e, number, value, floor)
    if b > floor and is_caption(text, b):
        return make_mention(text, b - 1, e, number, value, None, "exact", "list_marker")  # 表1
    if prev == "前":
        m = _ordinal(text, b - 1, s, e, number, value, floor, bracket=True)
        if m:
            return m
    if prev in "（(":
        c = _PAREN_CLOSE.match(text, e)
        if c:
            return make_mention(text, b - 1, c.end(), number, value, None, "exact", "list_marker")
    if value <= 99 and prev in "\n\r*#•· \t\u3000\xa0" and _at_line_start(text, s):
        c = _LIST_AFTER.match(text, e)
        if c:
            return make_mention(text, s, c.end(), number, value, None, "exact", "list_marker")
    if value <= 99 and prev in "：:。；;":  # a list run on inside a paragraph: `注：1.本公报…。2.地区…`
        c = _LIST_AFTER.match(text, e)
        if c and _INLINE_ITEM.match(text, c.end()):
            return make_mention(text, s, c.end(), number, value, None, "exact", "list_marker")
    return None


# A bare 亿/万 is an amount of money (the labelling guide: `197.54亿` -> 亿元) where its clause
# speaks of money; elsewhere (`服务企业3.5万`) the unit is not said, and none is invented.
_MONEY = re.compile(r"营收|收入|金额|额|资金|投资|投入|产值|税|利润|成交|融资|贷款|规模|基金|总值|增加值|销售|出口|进口|"
                    r"消费|补贴|奖励|经费|价值|GDP|支出|预算|资产|市值|估值|资本|元|资助|拨付|兑现|授信|募资|营业|收益|效益|"
                    r"贸易|进出口|外资|内资|财政|存款|余额|保费|工资|薪酬|租金|债|款")
_CLAUSE_END = re.compile(r"[，,。；;：:\n]")


def _money_said(text: str, s: int, end: int, floor: int) -> bool:
    """Whether the clause of the number at `s` (its words before, and a few after `end`) speaks of money."""
    before = text[max(floor, s - 30) : s]
    before = _CLAUSE_END.split(before)[-1]
    after = _CLAUSE_END.split(text[end : end + 8])[0]
    return bool(_MONEY.search(before + after))


def _measure(text, s, e, number, value, floor, cn_run=None):
    """Approximation, range, magnitude and unit around the numeral at [s, e):
    (start, end, number, value, unit, approx)."""
    start, approx = _approx_before(text, s, floor)
    rng = None
    if e < len(text) and text[e] in _RANGE_HINT:
        rng = (_CN_RANGE if cn_run else _RANGE).match(text, e)
    if rng and not cn_run and (
        (rng.group("l") and not rng.group("r")) or _num_value(rng.group("n2")) <= value
    ):
        rng = None  # `198 -7.0%`: a column of its own, not a range; a range goes up
    if rng:
        n2 = rng.group("n2")
        value = cn_value(n2) if cn_run else _num_value(n2)
        number, e, approx = text[s:rng.end()].strip(), rng.end(), "under"
        cn_run = n2 if cn_run else None
    t = _TAIL.match(text, e)
    unit, mag = t.group("unit0") or t.group("unit"), t.group("mag")
    end = t.end() if t.end() > e and (unit or mag or t.group("inf1") or t.group("suf")) else e
    if cn_run and not rng and len(cn_run) > 1 and cn_run[-1] in "万亿" and not set(cn_run[:-1]) & {"万", "亿"}:
        mag, number, value = cn_run[-1], number[:-1], cn_value(cn_run[:-1])  # 三千万元 -> 三千 + 万元
    if mag:
        unit = mag + (unit or ("元" if _money_said(text, s, end, floor) else ""))
    if approx == "exact":
        if t.group("inf1") or t.group("inf2"):
            approx = "over"
        elif t.group("suf"):
            approx = _SUFFIX[t.group("suf")]
    return start, end, number, value, unit, approx


def _classify(ctx: _Ctx, start: int, end: int, unit: str | None) -> str:
    """Category of a measured number from its unit and what follows it."""
    text = ctx.text
    if unit in ("月", "日", "季度"):
        return "date"
    if unit == "周年":
        return "ordinal"
    if unit in ("号", "强", "佳") or (unit == "次" and text.startswith(("全会", "会议", "全体会议"), end)):
        return "name"  # 二十届三中全会, 五届人大四次会议
    if unit == "千" and text.startswith("伏", end):
        return "name"  # 500千伏变电站: a voltage grade names the equipment
    if unit in ("分钟", "小时", "公里") and _CIRCLE.match(text, end):
        return "name"  # 15分钟科普生态圈
    if _FRAME.match(text, end) or is_programme(text, end, unit):
        return "name"  # 四个方面, 三年行动计划
    if unit and unit.endswith(("大", "大类")):
        return "name"  # 5大重点方向, 7大类
    if unit in ("周岁", "岁") and (_AGE_GROUP.match(text, end) or text.endswith(("以上", "以下"), start, end) or text.startswith("及以上", end)
                                  or re.search(r"\d\s*[-－—–~～至到]\s*\d", text[start:end])):
        return "name"  # 65周岁以上老年人, an age band heading a column (18岁以下, 18-59岁)
    if unit and (unit.endswith("元") or unit in ("万", "亿")) and (_threshold(text, start, end) or _CLASS_LEVEL.match(text, end)):
        return "name"  # 营收超2亿元企业, 10亿元以上项目, 百亿级产业集群
    return "name" if ctx.in_name(start, end) else "quantity"


def _threshold(text: str, start: int, end: int) -> bool:
    """Whether the amount at [start, end) is a threshold that defines a category (`_THRESHOLD_AFTER`)."""
    over = (text.startswith(("超", "过"), start) or (start > 0 and text[start - 1] in "超过")
            or text.endswith("以上", start, end) or text.startswith("以上", end))
    return (over and bool(_THRESHOLD_AFTER.match(text, end))) or bool(_VALUATION.search(text, max(0, start - 4), start))


def _dotted(text: str, s: int, e: int) -> bool:
    """Whether the numeral at [s, e) is a link of a dotted code (`2.0.1`, `1.2.3`)."""
    return (e + 1 < len(text) and text[e] == "." and text[e + 1].isdigit()) or (
        s >= 2 and text[s - 1] == "." and text[s - 2].isdigit())


# A line that is only a page number (`— 2 —`, `- 12 -`, `第3页 共10页`, `3/10`): not a figure.
_PAGE_LINE = re.compile(r"[ \t\u3000]*(?:[-—–－]+[ \t\u3000]*\d{1,4}[ \t\u3000]*[-—–－]+"
                        r"|第[ \t\u3000]*\d{1,4}[ \t\u3000]*页(?:[ \t\u3000，,]*共[ \t\u3000]*\d{1,4}[ \t\u3000]*页)?"
                        r"|\d{1,4}[ \t\u3000]*/[ \t\u3000]*\d{1,4})[ \t\u3000]*")


def _page_marker(text: str, s: int) -> bool:
    """Whether the numeral at `s` stands in a line that is only a page number."""
    a = text.rfind("\n", 0, s) + 1
    b = text.find("\n", s)
    return bool(_PAGE_LINE.fullmatch(text, a, len(text) if b < 0 else b))


def _not_measured(ctx: _Ctx, s: int, e: int, floor: int, value: float) -> Mention | None:
    """A number on a furniture line, in a URL or an identifier, in a mask, or in a power of ten
    (`llmx.finder.furniture`): excluded under that rule's name, or None."""
    text = ctx.text
    ident = ctx.furniture.identifier(s)
    if ident:
        a, b = max(ident[0], floor), max(ident[1], e)
        return make_mention(text, a, b, text[s:e], value, None, "exact", "identifier")
    power = POWER.match(text, s)
    if power and power.end() > e:
        return make_mention(text, s, power.end(), power.group(), value, None, "exact", "power")
    mask = placeholder_span(text, s, e)
    if mask and mask[0] >= floor:
        return make_mention(text, mask[0], mask[1], text[s:e], value, None, "exact", "placeholder")
    return None


def _arabic(ctx: _Ctx, s: int, e: int, floor: int) -> Mention | None:
    text = ctx.text
    raw = text[s:e]
    value = _num_value(raw)
    if ctx.furniture.furniture_line(s):  # 索引号…, 发布时间…, 第 2 页: the page's, not the report's
        return make_mention(text, s, e, raw, value, None, "exact", "furniture")
    contact = contact_end(text, s)
    if contact is not None:  # 0731-88665000, （0551）65380000, 邮编：710016
        a = s - 1 if s > floor and text[s - 1] in "(（" else s
        return make_mention(text, a, contact, text[a:contact], value, None, "exact", "contact")
    excluded = _not_measured(ctx, s, e, floor, value)
    if excluded:
        return excluded
    if _page_marker(text, s):
        return make_mention(text, s, e, raw, value, None, "exact", "other")  # a page number
    before, after = text[s - 1:s], text[e:e + 1]
    latin_after = after.isascii() and after.isalpha() and not _LATIN_UNIT.match(text, e)
    if (before.isascii() and before.isalpha()) or latin_after:
        a, b = s, e  # 5G, TR35, IPv6, QA530100020250001
        while a > floor and text[a - 1].isascii() and (text[a - 1].isalnum() or text[a - 1] == "&"):
            a -= 1
        while b < len(text) and text[b].isascii() and text[b].isalnum():
            b += 1
        return make_mention(text, a, b, raw, value, None, "exact", "doc_number" if _INDEX_NO.fullmatch(text, a, b) else "name")
    if (clock := _CLOCK.match(text, e)) and (text[max(floor, s - 2):s].endswith(_DAY_PARTS) or clock.group(1)):
        return make_mention(text, s, clock.end(), raw, value, None, "exact", "date")  # 上午9时, 14时30分: a time of day
    if text.startswith("年", e) and len(raw) == 2 and (end := short_date(text, s)):
        return make_mention(text, s, end, raw, value, None, "exact", "date")  # 24年3月
    if not _DATE_HINT.isdisjoint(text[e:e + 3]):
        m = _DATE.match(text, s)
        month = m and (m.group("m1") or m.group("m2"))
        if m and (not month or 1 <= int(month.translate(_FW)) <= 12):
            lead = re.match(r"[0-9]+", raw.translate(_FW)).group()
            return make_mention(text, s, m.end(), lead, int(lead), None, "exact", "date")
    if _dotted(text, s, e):  # a version or a clause number, not a quantity
        a, b = s, e
        while a > floor and (text[a - 1].isdigit() or text[a - 1] == "."):
            a -= 1
        while b < len(text) and (text[b].isdigit() or text[b] == "."):
            b += 1
        return make_mention(text, a, b, raw, value, None, "exact", "name")
    b = _skip_back(text, s, 0)
    prev = text[b - 1] if b > 0 else "\n"
    if prev in "〔［[" or (prev in "(（" and _DOC_PAREN.match(text, s)):
        return make_mention(text, s, e, raw, value, None, "exact", "doc_number")  # 〔2025〕, 〔202414
    if prev in "〕］]" or (prev in ")）" and re.search(r"[(（][0-9]{4}$", text[max(0, b - 6):b - 1])):
        h = _HAO.match(text, e)  # 〔2025〕4号
        return make_mention(text, s, h.end() if h else e, raw, value, "号" if h else None, "exact", "doc_number")
    if 5 <= len(raw) <= 6 and raw[-4:-2] in ("19", "20") and text.startswith("年", e):
        return make_mention(text, s, e + 1, raw, value, None, "exact", "other")  # `推荐12022年`: a label glued to a year
    if len(raw) == 4 and raw[:2] in ("19", "20"):
        m = _YEAR.match(text, s)
        yr = m.group().rstrip(_SPACES) if m else ""
        t = _TAIL.match(text, e)
        if yr.endswith(("年", "年度")) or (m and not (t.group("unit0") or t.group("mag"))):
            number = yr.removesuffix("度").removesuffix("年").rstrip(_SPACES)
            return make_mention(text, s, s + len(yr), number, value, "年" if "年" in yr else None, "exact", "year")
    if "+" in text[e:e + 3] or "＋" in text[e:e + 3] or (prev in "+＋" and b > 1 and text[b - 2].isalnum()):
        m = _FORMULA.match(text, s)
        if m or prev in "+＋":
            return make_mention(text, s, m.end() if m else e, raw, value, None, "exact", "name")  # 3+5+X
    if after == "/":
        m = _FRACTION.match(text, s)
        if m and (prev == "/" or not value <= _num_value(m.group(1)) <= _SHARE_MAX):
            return make_mention(text, s, m.end(), m.group(), value, None, "exact", "other")  # a path or a count, no share
        if m:
            den = _num_value(m.group(1))
            start, approx = _approx_before(text, s, floor)
            return make_mention(text, start, m.end(), m.group(), _share(value, den), "%", approx, "quantity")
    special = _special_prefix(text, s, e, raw, value, floor)
    if special:
        return special
    start, end, number, value, unit, approx = _measure(text, s, e, raw, value, floor)
    if start == s and s - 1 >= floor and text[s - 1] in "-−－" and (s < 2 or _signs(text[s - 2])):
        start, number, value = s - 1, "-" + number, -value  # a signed number: `-7.0%`, `增长-3.2%`
    if unit is None and _RATE_BEFORE.search(text, max(floor, start - 30), start) and _BARE_END.match(text, end):
        unit = "%"  # a percent sign a copy lost: `同比增长26.1，`, `占…总产值的59.5，`
    cat = _classify(ctx, start, end, unit)
    if unit is None and cat == "quantity":
        if _alone_on_line(text, s, e):
            cat = "other"  # a page number, a garbled date
        elif _LIST_NEXT.match(text, end) or _NAME_NEXT.match(text, end) or is_version(text, s, e):
            cat = "name"  # 与 360、奇安信; 12345热线; 平台2.0
    return make_mention(text, start, end, number, value, unit, approx, cat)


def _readable(run: str) -> bool:
    """Whether the whole run is one Chinese numeral (not only a prefix of it: `十四五`, `三三两`)."""
    try:
        parse_chinese_number(run)
    except ValueError:
        return False
    return True


def _approximate_pair(run: str) -> float | None:
    """The upper bound of a 概数 (`三四` -> 4, `一两` -> 2, `三五` -> 5, `十二三` -> 13,
    `二三十` -> 30; the colloquial falling order too: `三两百` -> 300), or None."""
    m = _PAIR.fullmatch(run)
    if not m:
        return None
    a, b = cn_value(m.group("a")), cn_value(m.group("b"))
    if not (b == a + 1 or b == a - 1 or m.group("a", "b") == ("三", "五")):
        return None
    head, place = m.group("head"), m.group("place")
    if head and head[-1] not in "十百千万":
        return None
    return cn_value(head + m.group("b" if b > a else "a") + place)


def _chinese(ctx: _Ctx, s: int, e: int, floor: int) -> Mention | None:
    text = ctx.text
    if ctx.furniture.furniture_line(s):
        return make_mention(text, s, e, text[s:e], cn_value(text[s:e]) if _readable(text[s:e]) else 0, None, "exact", "furniture")
    if text.startswith("百分", s) or text.startswith("分之", e):
        m = _PERCENT.match(text, s)
        if m:  # 百分之十
            n = m.group("n")
            v = cn_value(n) if n[0] in _CN else _num_value(n)
            start, approx = _approx_before(text, s, floor)
            return make_mention(text, start, m.end(), n, v, "%", approx, "quantity")
        m = _CN_FRACTION.match(text, s)
        if m:  # 三分之一
            d, n = cn_value(m.group("d")), cn_value(m.group("n"))
            start, approx = _approx_before(text, s, floor)
            return make_mention(text, start, m.end(), m.group(), _share(n, d), "%", approx, "quantity")
        return None
    run = text[s:e]
    if len(run) > 1 and text.startswith("是", e) and s > floor and text[s - 1] == "第":
        run, e = run[:-1], e - 1  # 全市第二二是 (a lost full stop)
    value = cn_value(run)
    if _SLOGAN.fullmatch(run):
        return make_mention(text, s, e, run, value, None, "exact", "name")  # 十四五
    if text.startswith("是", e) and len(run) <= 3:
        return make_mention(text, s, e + 1, run, value, None, "exact", "list_marker")  # 一是
    if len(run) == 4 and all(c in "零〇○一二三四五六七八九" for c in run) and text.startswith("年", e):
        return make_mention(text, s, e + 1, run, value, "年", "exact", "year")  # 二〇二四年
    special = _special_prefix(text, s, e, run, value, floor)
    if special:
        if special.category == "list_marker" and ctx.in_name(s, e):
            return make_mention(text, s, e, run, value, None, "exact", "name")  # “十\n五五”
        return special
    if text.startswith(("等奖", "等功"), e):
        return make_mention(text, s, e + 2, run, value, None, "exact", "ordinal")  # 一等奖
    pair = _approximate_pair(run)
    start, end, number, value, unit, approx = _measure(text, s, e, run, value, floor, cn_run=run)
    if pair is not None and value == cn_value(run):
        value, approx = pair, ("about" if approx == "exact" else approx)
    elif pair is None and not _readable(run):  # `三三两百`: garbled, no value to give
        return make_mention(text, start, end, number, value, unit, approx, "other" if unit else "name")
    if not unit:  # a Chinese numeral with no classifier is part of a word: 两翼, 三中全会
        if _at_line_start(text, s) and value <= 20:
            cat = "list_marker"
        else:
            cat = "quantity" if approx != "exact" and not ctx.in_name(s, e) else "name"
        return make_mention(text, start, end, number, value, None, approx, cat)
    cat = _classify(ctx, start, end, unit)
    base = unit
    if base.endswith(("大", "类", "级", "号")):
        cat = "name"  # 两大产业, 三类医疗器械
    elif base == "届" or (run == "二" and base == "次") or (base == "期" and _PLAN_PHASE.match(text, end)):
        cat = "ordinal"  # 二十届, 二次拨付, 一期项目
    elif run == "一" and base == "公里":
        cat = "name"  # 最后一公里
    elif run == "一" and base in ("批", "支", "系列"):
        cat = "other"  # 一批 = some, 一支队伍 = a team: 一 as an article
    elif run == "一" and base == "年" and _KEY_YEAR.search(text[max(floor, s - 3):s]):
        cat = "other"  # 关键一年
    elif len(run) == 1 and len(base) == 1 and end < len(text) and text[end] in "一二两三四五六七八九十":
        cat = "name"  # 一人一档, 两代表一委员
    return make_mention(text, start, end, number, value, unit, approx, cat)


def find_numbers(text: str) -> list[Mention]:
    """Every numeral in `text`, classified, sorted by start, spans not overlapping.

    A rule that fails on some numeral raises: a figure is never dropped in silence."""
    if not text:
        return []
    return second_readings(text, _scan(text))


def _scan(text: str) -> list[Mention]:
    out: list[Mention] = []
    ctx = _Ctx(text)
    pos = floor = 0
    search = _CORE.search
    while True:
        m = search(text, pos)
        if not m:
            return out
        s, e = m.span()
        pos = e
        kind = m.lastgroup
        if kind == "lex":
            continue
        if kind == "rom":  # I类, Ⅱ类
            out.append(make_mention(text, s, e, m.group(), _ROMAN.get(m.group(), 0), None, "exact", "name"))
            floor = e
            continue
        if kind == "enc":  # ①, ⑵: a list marker
            out.append(make_mention(text, s, e, m.group(), unicodedata.numeric(m.group()), None, "exact", "list_marker"))
            floor = e
            continue
        men = (_arabic if kind == "ar" else _chinese)(ctx, s, e, floor)
        if men is not None and men.start >= floor and men.end > s:
            out.append(men)
            floor = pos = men.end


def find_quantities(text: str) -> list[Mention]:
    """Only the quantities and ranks of `find_numbers(text)`."""
    return [m for m in find_numbers(text) if m.is_quantity]
