"""An independent check that every output value stands in its quote.

It uses no llmx code on purpose: llmx's own checks reuse its number finder, so a
finder that invents a value (`213 198 7.6%` read as `2131987.6`) would pass them.
This reads a quote with nothing but Unicode normalisation (NFKC), the removal of
format characters (zero-width, bidi), a plain digit pattern and a small Chinese
numeral reader built on `unicodedata.numeric`, and lists the values it sees:

- every run of digits, with an optional decimal part (`197.54`), grouped with
  commas (`1,234`; a full-width comma only between full-width digits, `１，２３４`)
  or thin spaces (`1 234`);
- a number broken by a line break between two digits (a PDF page break), or after its
  grouping comma (`2,⏎860`), joined: the pieces on their own are not read;
- every stretch of a run of Chinese numerals (`一千二百`, `两百`; `三千` of
  `三千万元`, written 3000 万元; `四` of the 概数 `三四家`, `十三` of `十二三个`, and the
  larger digit of a pair in either order with its place: `三两百` is 300),
  also in its spoken short form (`两百三` is 230), and with a decimal part after 点
  (`五十八点六` is 58.6, read digit by digit after the 点);
- in a quote with `/` or `分之`, every ratio a/b of two of those, as a percentage, exact and
  to two decimals (`1/3` is 33.33…, written 33.33 by the labelling convention);
- 1 for a rank written 首位/榜首; 2 for 翻一番 and 4 for 翻两番 (a doubling, 2ⁿ); 30 for
  三成 (tenths, as a percentage).

`unaccounted_digits` lists the digits of a text (any decimal digit, full-width too, and the
enclosed list numbers ①…⑳, ⑴, ⒈, ❶) that lie in no span a result accounts for: a number
that vanished without a count, whatever the finder believed it found.

`unit_stated` says whether a figure's unit is one its text states: the unit's word without its
magnitude (`人次` of `万人次`) stands in the quote, or, for a table cell, in the lines just above it
(its row or column header); or the unit is one the labelling guide writes for a form without the
word: 元 for a bare 亿/万 amount (`197.54亿`, not `128.6万` of `128.6万标准箱`), 名 for a rank (`第一`, `首位`), % for a fraction,
`分之`, 百分之 or 成, or a part of a structure written as a ratio whose parts add up to 100
(`三次产业结构为1.8:14.8:83.4`, the statistics bulletins' shares), 倍 for 翻…番.

`piece_of_a_number` says whether a figure's span is only a piece of a number that a line
break cuts (`7.5亿元` of `19⏎7.5亿元`, which reads 197.5): its quote alone cannot show it.

A value is confirmed when its absolute value equals one of these (relative
tolerance 1e-9). Used by `bench/check_output.py` and by the tests.
"""

from __future__ import annotations

import math
import re
import unicodedata

__all__ = ["values_in", "value_in_quote", "unit_stated", "piece_of_a_number", "unaccounted_digits"]

_THIN_GROUP = re.compile("(?<=[0-9０-９])[\u2009\u202f](?=[0-9０-９]{3}(?![0-9０-９]))")
# A full-width comma groups full-width digits (`１，２３４`); between other digits it is a
# clause comma, which NFKC must not turn into a grouping comma.
_CLAUSE_COMMA = re.compile("，(?![０-９]{3}(?![０-９]))|(?<![０-９])，")
_DIGITS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
_BROKEN = re.compile(r"(?:(?<=[0-9.])|(?<=[0-9],))\s*\n\s*(?=[0-9.])")  # `19⏎7.54`, `2,⏎860`
_NUMERALS = re.compile("[零〇一二两三四五六七八九十百千万亿]+")


def _chinese(run: str) -> float:
    """A Chinese numeral: 一千二百 -> 1200, 十二 -> 12, 两百 -> 200, 三千万 -> 30000000;
    digits alone are read place by place where they spell a year or a code (a 〇 or 零 in
    them, or four and more): 二〇二四 -> 2024; `三两` is a 概数, never 32."""
    if (len(run) >= 4 or "〇" in run or "零" in run) and all(ch == "两" or unicodedata.numeric(ch) < 10 for ch in run):
        return float("".join(str(2 if ch == "两" else int(unicodedata.numeric(ch))) for ch in run))
    total, section, digit = 0.0, 0.0, None
    for ch in run:
        n = 2.0 if ch == "两" else unicodedata.numeric(ch)
        if n < 10:
            digit = n
        elif n in (10, 100, 1000):
            section += (1 if digit is None else digit) * n
            digit = None
        else:  # 万, 亿
            total = (total + section + (digit or 0)) * n
            section, digit = 0.0, None
    return total + section + (digit or 0)


def _colloquial(run: str) -> float | None:
    """The spoken short form: a last digit after 百/千/万 counts in the next place down
    (两百三 -> 230, 一千二百三 -> 1230)."""
    places = {"百": 10, "千": 100, "万": 1000}
    if len(run) < 2 or run[-2] not in places or run[-1] not in "一二两三四五六七八九":
        return None
    digit = 2.0 if run[-1] == "两" else unicodedata.numeric(run[-1])
    return _chinese(run[:-1]) + digit * places[run[-2]]


def _plain(text: str) -> str:
    """NFKC, without format characters (zero-width, bidi)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch) != "Cf")


def values_in(quote: str) -> list[float]:
    """Every value the quote can be read to state (see the module docstring)."""
    base = _CLAUSE_COMMA.sub("、", _THIN_GROUP.sub("", quote))
    # An ASCII comma between digits reads as grouping (`1,234`) or as a separator (`1,234213`).
    # A line break between two digits is a page break inside one number (`19⏎⏎7.54`): joined.
    # A comma that a line break follows before three digits groups them (`2,⏎860`): no separator.
    separated = re.sub(r",(?!\s*\n\s*[0-9]{3}(?![0-9]))", "、", base)
    texts = [_BROKEN.sub("", _plain(base)), _BROKEN.sub("", _plain(separated))]
    found: list[float] = []
    for variant in set(texts):
        found += [float(m.group().replace(",", "")) for m in _DIGITS.finditer(variant)]
    text = texts[0]
    # A space between two Chinese numerals is PDF spacing inside one numeral (`三 两百`): read
    # the text both with it and without it.
    cn = _NUMERALS.pattern[1:-2]
    joined = re.sub(f"(?<=[{cn}])[ \t\u3000]+(?=[{cn}])", "", text)
    for variant in {text, joined}:
        for m in _NUMERALS.finditer(variant):
            run = m.group()  # every stretch of the run: 三四家 states 3 and 4, 十二三个 states 13
            stretches = [run[i:j] for i in range(len(run)) for j in range(i + 1, len(run) + 1)]
            found += [_chinese(r) for r in stretches] + [v for r in stretches if (v := _colloquial(r)) is not None]
        found += [2.0 ** _chinese(n) for n in re.findall("翻([一两二三])番", variant)]
        for a, b, place in re.findall("([一二两三四五六七八九])([一二两三四五六七八九])([十百千万]?)", variant):
            found.append(_chinese(max(a, b, key=_chinese) + place))  # 概数 in either order: 三两百 -> 300
        found += [10 * _chinese(n) for n in re.findall("([一两二三四五六七八九十]+)成", variant)]
        for whole, digits in re.findall("([零〇一二两三四五六七八九十百千万亿]+)点([零〇一二三四五六七八九]+)", variant):
            found.append(float(f"{_chinese(whole):.0f}." + "".join(str(int(unicodedata.numeric(d))) for d in digits)))
    if "分之" in text:
        ratios = [100 * a / b for a in found for b in found if b]
        found += ratios + [round(r, 2) for r in ratios]
    for a, b in re.findall(r"(?<![\d/])(\d+)/(\d+)(?![\d/])", text):  # a stated share of a small whole only
        if 0 < float(b) <= 1000 and float(a) <= float(b):
            found += [100 * float(a) / float(b), round(100 * float(a) / float(b), 2)]
    if "首位" in text or "榜首" in text:
        found.append(1.0)
    return found


# One line break cuts a number; a blank line ends a paragraph, and what follows it is a piece only
# where it starts with a decimal point (`19⏎⏎.5亿元`), not with a digit (`增长16.5⏎⏎2、%`: a page's number).
_CUT_BEFORE = re.compile(r"[0-9０-９.．][ \t\u3000]*\n[ \t\u3000]*\Z")
_CUT_BEFORE_POINT = re.compile(r"[0-9０-９.．][ \t\u3000]*\n\s*$")
_CUT_AFTER = re.compile(r"[ \t\u3000]*\n[ \t\u3000]*[0-9０-９.．]|\s*\n\s*[.．]")
# A table row: three or more cells apart, no clause punctuation (a .docx or web table read as text).
_CELL = r"(?:[^\s，。；：、,;]|(?<=\d),(?=\d))+"
_ROW = re.compile(rf"{_CELL}(?:[ \t\u3000]+{_CELL}){{2,}}")


def piece_of_a_number(original: str, start: int, end: int) -> bool:
    """Whether the figure at `original[start:end]` begins or ends at a line break that has a
    digit (or a decimal point) on its other side, so that it is a piece of one cut number.
    A figure that is a cell of a table row (its line is three or more cells apart) is none:
    the row ends there, and a line under the table may well start with a year."""
    line = original[original.rfind("\n", 0, start) + 1 : (original.find("\n", end) + 1 or len(original) + 1) - 1]
    if _ROW.fullmatch(line.strip()):
        return False
    head = _plain(original[max(0, start - 12) : start])
    return bool(original[start:end]) and (
        (bool((_CUT_BEFORE_POINT if original[start] in ".．" else _CUT_BEFORE).search(head))
         and original[start] in "0123456789０１２３４５６７８９.．")
        or (original[end - 1] in "0123456789０１２３４５６７８９" and bool(_CUT_AFTER.match(original, end))))


def value_in_quote(value: float, quote: str) -> bool:
    """Whether `value` (or its absolute value) is one the quote states."""
    return any(math.isclose(abs(value), v, rel_tol=1e-9, abs_tol=1e-9) for v in values_in(quote))


_ENCLOSED = re.compile("[\u2460-\u249b\u24eb-\u24ff\u2776-\u2793]")


_MAGNITUDE = re.compile("^(?:万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千|百)")
_BARE_MAGNITUDE = re.compile("[万亿](?:余|多)?(?:以上|左右)?$")
_SPOKEN = {"名": r"第|首位|榜首|前|位", "%": r"%|分之|/|成", "倍": r"倍|番", "个百分点": r"百分点"}


# Words that, right after a 亿/万, say what is counted: then the magnitude is not a bare money amount.
_COUNTED_AFTER = re.compile(r"\s*(?:标准箱|人次|家次|户次|人|户|家|个|项|件|台|套|辆|吨|千瓦时|千瓦|度|平方米|亩|册|次|场|名|张|条|株|头|只|元)")


def _unspaced(text: str) -> str:
    return re.sub(r"\s+", "", _plain(text))


_RATIO = re.compile(r"(\d+(?:\.\d+)?)(?:[:∶](\d+(?:\.\d+)?))+")


# A growth rate or a share that ends in a bare number: the copy lost its percent sign.
_RATE_THEN_NUMBER = re.compile(r"(?:增长|下降|增速|增幅|提高|降低|比重|占比|的)为?[0-9.]+(?:以上|左右)?$")


def _percent_lost(quote: str, after: str) -> bool:
    """Whether `quote` ends in a rate word and a number with no unit after it (`同比增长26.1`)."""
    return bool(_RATE_THEN_NUMBER.search(quote)) and not re.match(r"[\u4e00-\u9fff%％]", after.removeprefix("以上").removeprefix("左右"))


def _shares_of_a_whole(text: str) -> bool:
    """Whether `text` holds a ratio of three or more parts that add up to 100 (shares, in %)."""
    for m in _RATIO.finditer(text):
        parts = [float(p) for p in re.split("[:∶]", m.group())]
        if len(parts) >= 3 and abs(sum(parts) - 100) <= 0.6:
            return True
    return False


def unit_stated(unit: str | None, quote: str, figure: str = "", above: str = "", after: str = "") -> bool:
    """Whether `unit` is stated by the figure's text (see the module docstring): `quote`, the
    figure's own text `figure`, `above`, the lines just above a table row (its header), and
    `after`, the text right after the figure (`128.6万标准箱` read as `128.6万` is no money)."""
    if not unit:
        return True
    base = _MAGNITUDE.sub("", _plain(unit))
    said = _unspaced(quote)
    if not base:
        return True
    if base in said or (above and base in _unspaced(above)):
        return True
    if base == "元":
        bare = _BARE_MAGNITUDE.search(_unspaced(figure or quote))
        return bool(bare) and not _COUNTED_AFTER.match(_plain(after))
    if base == "%" and (_shares_of_a_whole(said + _unspaced(after)[:20]) or _percent_lost(said, _unspaced(after))):
        return True
    return bool(re.search(_SPOKEN[base], said)) if base in _SPOKEN else False


def unaccounted_digits(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """Offsets of the digits of `text` (decimal digits of any script, enclosed list numbers)
    that no `[start, end)` of `spans` covers."""
    covered = bytearray(len(text))
    for start, end in spans:
        covered[max(0, start):max(0, end)] = b"\x01" * (max(0, end) - max(0, start))
    return [i for i, ch in enumerate(text) if not covered[i] and (ch.isdecimal() or _ENCLOSED.match(ch))]


# -- names and identifiers, checked apart from llmx ----------------------------------------------

_NAME_PUNCTUATION = re.compile(r"[，,。；;：:！？!?|｜]")  # a table's cell separator too
_NAME_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:亿元|万元|元|家|个|项|件|人次|人|名|%|％|亿(?!元)|万(?!元))(?!以上|以下|及以上|以内)")
_NAME_THRESHOLD = re.compile(r"(?:超|超过|逾|以上|以下|不低于|不少于|营收|产值|估值|市值|规模)\s*$")
_NAME_MARKER = re.compile(r"[一二三四五六七八九十]是|^[（(][一二三四五六七八九十\d]{1,3}[）)]|^\d{1,2}[、.．]")
_NAME_FURNITURE = re.compile(r"[【】]|第\s*\d+\s*页|浏览|下载|预览|上一篇|下一篇|索引号")
_NAME_PAIRS = (("（", "）"), ("(", ")"), ("“", "”"), ("《", "》"), ("【", "】"))
_NAME_PARTICLE = re.compile(r"^(?:的|了|和|及|与|并|而|且|或)|(?:的|了|要|和|及|与|并|而|且|或)$")


def name_faults(name: str) -> list[str]:
    """Why `name` is no name an analyst accepts (empty when it is one): it holds a figure with its
    unit (a threshold such as `超2亿元企业` is no figure), clause punctuation, a list marker, page
    furniture, unpaired brackets or quotes, a particle at either end, or a piece repeated three
    times running (a runaway answer). Independent of llmx."""
    out = []
    for m in _NAME_FIGURE.finditer(name):
        if not _NAME_THRESHOLD.search(name[: m.start()]) and not name[m.end():].startswith(("以上", "以下")):
            out.append(f"holds the figure {m.group()!r}")
            break
    for pattern, why in ((_NAME_PUNCTUATION, "clause punctuation"), (_NAME_MARKER, "a list marker"),
                         (_NAME_FURNITURE, "page furniture"), (_NAME_PARTICLE, "a particle at an end")):
        if pattern.search(name):
            out.append(f"holds {why}")
    if any(name.count(a) != name.count(b) for a, b in _NAME_PAIRS):
        out.append("has unpaired brackets or quotes")
    if not re.search(r"[\u4e00-\u9fffA-Za-z]", name):
        out.append("has no word at all")
    if re.search(r"(\D{1,4}?)\1\1", name):
        out.append("repeats a piece three times running")
    return out


# A URL, an e-mail address, a path, an ID-card number, a number after an identifier's word, or a
# run of eleven or more digits: a figure read there is an identifier read as a figure.
_IDENTIFIERS = re.compile(
    r"(?:https?://|www\.)[A-Za-z0-9._~:/?#@!$&'*+,;=%-]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}|(?:/[A-Za-z0-9_.%-]+){2,}"
    r"|(?<!\d)\d{17}[\dXx](?!\d)|(?:工号|学号|身份证号?码?|账号|卡号|订单号|编号|索引号|[Ii][Dd])\s*[:：=#]?\s*[A-Za-z0-9/-]*\d"
    r"|(?<![\d.])\d{11,}(?![\d.])")


def in_an_identifier(original: str, start: int, end: int) -> bool:
    """Whether the span [start, end) of `original` lies inside an identifier (see `_IDENTIFIERS`)."""
    line_start = original.rfind("\n", 0, start) + 1
    line_end = original.find("\n", end)
    line = original[line_start : len(original) if line_end < 0 else line_end]
    return any(m.start() <= start - line_start and end - line_start <= m.end() + 1 for m in _IDENTIFIERS.finditer(line))


def sign_dropped(value: float, original: str, start: int) -> bool:
    """Whether a positive `value` read from the number at `start` drops the minus sign written
    right before it (`增长-3.2%` read as 3.2)."""
    return value > 0 and start > 0 and original[start - 1] in "-−－" and not (
        start > 1 and (original[start - 2].isdigit() or original[start - 2] in "%)）~～"))
