"""Unit knowledge shared by the number finder and the scorer.

A unit is written the way the report writes it, magnitude included: ``亿元``,
``万人次``, ``家``, ``%``, ``个百分点``.  This module splits such a unit into
its magnitude and its base (``亿元`` -> ``(1e8, "元")``), groups bases into
families that may be compared (``亿元``, ``万元`` and ``元`` are one family;
``%`` and ``个百分点`` are not), and converts a value to its base unit.

    UNITS            the base unit words recognised after a number
    MAGNITUDES       the magnitude prefixes (万, 亿, 千万 ...) and their factors
    split_magnitude  "亿元" -> (1e8, "元"); "%" -> (1.0, "%"); None -> (1, "")
    family           the comparable base: "万元" -> "元", "百分点" -> "个百分点"
    to_base          value * magnitude: to_base(1.5, "万人次") == 15000.0
    parse_chinese_number  "十四" -> 14, "一万" -> 10000 (re-exported by llmx.finder.numbers)

A magnitude with no base after it (``亿``, ``万``) has the family ``元``:
the labelling guide writes a bare 亿/万 amount as money (``197.54亿`` -> ``亿元``).
"""

from __future__ import annotations

import re

__all__ = [
    "UNITS", "MAGNITUDES", "UNIT_PATTERN", "split_magnitude", "family", "to_base", "normalize_unit",
    "parse_chinese_number", "cn_value",
]

# Base unit words (no magnitude), as written after a number.  Longest-first
# matching is done by the caller; the order here is only for reading.
UNITS: tuple[str, ...] = (
    # shares and multiples
    "%", "％", "‰", "个百分点", "百分点", "倍", "成",
    # money
    "元", "美元", "欧元", "港元", "元人民币", "元/平方米", "元/亩", "元/人", "元/年", "元/月",
    # people and visits
    "人次", "人", "名", "位", "户次", "户", "家次", "批次", "场次", "架次", "车次", "班次", "岁", "周岁",
    # generic counts
    "家", "个", "项", "件", "场", "次", "批", "所", "座", "台", "套", "篇", "部", "册", "条",
    "类", "大类", "款", "期", "支", "只", "张", "份", "轮", "届", "组", "间", "栋", "幢", "处",
    "门", "节", "本", "种", "例", "株", "辆", "艘", "架", "根", "颗", "枚",
    "盏", "幅", "宗", "笔", "片", "课时", "学时", "列", "标准箱", "头", "羽", "起",
    "大", "强", "佳",
    # area, length, mass, energy
    "平方公里", "平方千米", "立方米", "平方米", "平米", "㎡", "公顷", "亩", "公里", "千米", "米",
    "吨", "千克", "公斤", "克", "千瓦时", "千瓦", "兆瓦", "度", "微克", "毫克", "μg",
    "km", "kg", "kW", "kWh", "MW", "GW", "TB", "GB", "PB",
    # time
    "小时", "分钟", "秒", "天", "日", "个工作日", "工作日", "周", "周年", "个月", "月", "季度", "个季度", "年", "年度",
    # labour
    "人年",
    # rank, document, misc
    "号",
)

# Magnitude prefixes and their factors; a prefix comes before any shorter one it starts with.
MAGNITUDES: dict[str, float] = {
    "万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "十亿": 1e9, "亿": 1e8,
    "千万": 1e7, "百万": 1e6, "十万": 1e5, "万": 1e4, "千": 1e3, "百": 1e2,
}

_UNIT_SET = frozenset(UNITS)

# What may not follow a unit word for it to count as one ("3项目" is not 3 项;
# "台账", "支持", "人民", "元宇宙" ...).
_NOT_BEFORE: dict[str, str] = {
    "项": "目", "台": "账|阶", "座": "谈", "支": "持|撑|付|出|部", "只": "有|是|要|能|在",
    "场": "景|地|馆|所|域", "元": "宇|素|旦|件|器|化", "人": "民", "位": "于|列|居|数|置",
    "名": "单|称|牌|义", "成": "员|立|为|果|功|本|效|交|熟|长|都|绩|型|就",
    "门": "户|槛", "本": "级|市|区|地|土|科|次", "组": "织|建|成|合", "种": "子|植",
    "部": "分|门|署|委|长|级|队", "期": "间|待|望|限", "条": "件|例|龙", "号": "召|称",
    "处": "理|置", "节": "能|点|约", "间": "接", "周": "边|转", "大": "会|赛|学|厦|道|型|力|幅|小|量|于|众",
    "强": "化|调|度|大", "类": "型|别|似", "批": "准|复|示|评", "款": "项", "轮": "岗|换",
    "份": "额", "架": "构", "根": "据|本", "片": "区", "幅": "度", "宗": "旨|教", "笔": "记|试",
    "例": "如", "天": "然|地|津|下|空", "日": "常|益|报", "年": "级|代|轻|薪|鉴", "月": "饼|球",
    "米": "粮", "克": "服|隆", "户": "籍|口|外|型", "所": "在|以|属|有|得|需|谓", "张": "江|家",
    "次": "要|级|生|序", "度": "过|假|量", "倍": "增",
}
_LATIN = ("km", "kg", "kW", "kWh", "MW", "GW", "TB", "GB", "PB")
_PER = "平方米|平米|立方米|m3|m³|亩|人|年|月|天|日|吨|小时|次|件|户|家|公斤|千克|公里"
_ALT = "套|人|家|个|项|件|台|次|名|位|座|所|张"  # 2386台(套), 85项(人)


def _unit_pattern() -> str:
    words = sorted((u for u in UNITS if "/" not in u), key=len, reverse=True)
    alts = []
    for u in words:
        if u in _LATIN:
            alts.append(re.escape(u) + "(?![A-Za-z])")
        elif u in _NOT_BEFORE:
            alts.append(re.escape(u) + f"(?!{_NOT_BEFORE[u]})")
        else:
            alts.append(re.escape(u))
    return f"(?:{'|'.join(alts)})(?:[/／](?:{_PER}))?(?:[(（](?:{_ALT})[)）])?"


# A regular expression (source text) for one unit word as written after a
# number, magnitude excluded, with an optional "/denominator" ("元/平方米")
# and an optional alternative in brackets ("台(套)").
UNIT_PATTERN: str = _unit_pattern()

# Base synonyms that are one family; anything else is its own family.
_SYNONYMS: dict[str, str] = {
    "％": "%",
    "百分点": "个百分点",
    "元人民币": "元",
    "人民币": "元",
    "平米": "平方米",
    "工作日": "个工作日",
    "㎡": "平方米",
    "千米": "公里",
    "km": "公里",
    "平方千米": "平方公里",
    "千克": "公斤",
    "kg": "公斤",
    "千瓦时": "度",
    "kWh": "度",
    "kW": "千瓦",
    "周岁": "岁",
    "个季度": "季度",
}

_ALT_UNIT = re.compile(r"[(（][^()（）]*[)）]")
_WIDTH = str.maketrans({"％": "%", "／": "/", "\u3000": ""})


def normalize_unit(unit: str | None) -> str:
    """Strip white space and fold full-width signs; None becomes ""."""
    if not unit:
        return ""
    return "".join(unit.translate(_WIDTH).split())


def split_magnitude(unit: str | None) -> tuple[float, str]:
    """Split a unit into (magnitude, base): "亿元" -> (1e8, "元"), "家" -> (1, "家").

    A unit that is itself a base word is never split ("百分点", "千米", "千瓦").
    For a rate unit only the numerator carries the magnitude: "万元/亩" -> (1e4, "元/亩").
    A bare magnitude gives an empty base: "亿" -> (1e8, "").
    """
    u = normalize_unit(unit)
    if not u:
        return 1.0, ""
    if u in _UNIT_SET or u in _SYNONYMS:
        return 1.0, u
    for prefix, factor in MAGNITUDES.items():
        if u.startswith(prefix):
            rest = u[len(prefix):]
            if rest in MAGNITUDES:  # "万万" and the like: not a unit we know, keep as is
                return 1.0, u
            return factor, rest
    return 1.0, u


def family(unit: str | None) -> str:
    """The comparable base of a unit: magnitude removed, synonyms merged.

    "亿元", "万元", "元" -> "元"; "万人次" -> "人次"; "百分点" -> "个百分点";
    "%" and "个百分点" stay apart, as do "个", "项" and "件"; a bracketed
    alternative is dropped ("台(套)" -> "台").  A bare magnitude
    ("亿") is money, "元"; no unit at all is "".
    """
    factor, base = split_magnitude(unit)
    base = _ALT_UNIT.sub("", base)  # 台(套) -> 台
    if not base:
        return "元" if factor != 1 else ""
    if "/" in base:
        num, _, den = base.partition("/")
        return f"{_SYNONYMS.get(num, num)}/{_SYNONYMS.get(den, den)}"
    return _SYNONYMS.get(base, base)


def to_base(value: float, unit: str | None) -> float:
    """The value in the unit's base: to_base(197.54, "亿元") == 19754000000.0."""
    return value * split_magnitude(unit)[0]


# Chinese numerals (their 万/亿 are the same magnitudes).

_CN_DIGIT = {c: i for i, cs in enumerate(("零〇○", "一壹", "二贰两", "三叁", "四肆", "五伍", "六陆", "七柒", "八捌", "九玖"))
             for c in cs} | {str(i): i for i in range(10)}
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}


def parse_chinese_number(s: str) -> float:
    """Read a Chinese numeral: "三" -> 3, "十四" -> 14, "一万" -> 10000, "两" -> 2,
    "一百零五" -> 105, "三千五" -> 3500, "一亿二千万" -> 120000000, "二〇二四" -> 2024
    (digit by digit), "三点五" -> 3.5. Raises ValueError for anything else ("十四五")."""
    s = "".join(s.split())
    if "点" in s:
        whole, _, frac = s.partition("点")
        if not frac or any(c not in _CN_DIGIT for c in frac):
            raise ValueError(f"not a Chinese numeral: {s!r}")
        return (parse_chinese_number(whole) if whole else 0.0) + float("0." + "".join(str(_CN_DIGIT[c]) for c in frac))
    if not s or any(c not in _CN_DIGIT and c not in _CN_SMALL and c not in _CN_BIG for c in s):
        raise ValueError(f"not a Chinese numeral: {s!r}")
    if all(c in _CN_DIGIT for c in s):
        # digit by digit only where digits spell a year or a code (`二〇二四`, `一九九八`); two or
        # three bare digits (`三两`, `三三两`) are a 概数 or garbled, never 32 or 332
        if len(s) == 1 or len(s) >= 4 or any(c in "〇零○" for c in s):
            return float("".join(str(_CN_DIGIT[c]) for c in s))
        raise ValueError(f"not a Chinese numeral: {s!r}")
    total = wan = section = 0
    num: int | None = None
    for c in s:
        if c in _CN_DIGIT:
            if num is not None:
                raise ValueError(f"not a Chinese numeral: {s!r}")
            num = _CN_DIGIT[c] or None
        elif c in _CN_SMALL:
            section += (1 if num is None else num) * _CN_SMALL[c]
            num = None
        else:
            section += num or 0
            if not (total or wan or section):
                section = 1  # a bare 万 / 亿
            if c == "万":
                wan, section = wan + section * 10**4, 0
            else:
                total, wan, section = (total + wan + section) * 10**8, 0, 0
            num = None
    if num is not None:
        unit = _CN_SMALL.get(s[-2]) or _CN_BIG.get(s[-2]) or 10  # 三千五 = 3500, 一万五 = 15000
        num *= unit // 10
    return float(total + wan + section + (num or 0))


def cn_value(s: str) -> float:
    """parse_chinese_number, falling back on the longest readable prefix (十四五 -> 14)."""
    for k in range(len(s), 0, -1):
        try:
            return parse_chinese_number(s[:k])
        except ValueError:
            continue
    return 0.0
