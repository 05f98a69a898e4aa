"""The number finder's second readings: what a scan of numerals alone cannot read.

After `llmx.finder.numbers` has scanned a text numeral by numeral, `second_readings` reads again:

- a table cell without a unit takes its column's or row's (`llmx.finder.tables`);
- a share in 成 is a percentage (`三成` -> 30 %), like a fraction;
- a unit written before its number is the number's (`参观人次达3.5万` -> 3.5 万人次);
- a span of years a figure covers is a period (`近三年累计`, `五年来`);
- a rank written without a numeral (`排名全市首位`, `居全国榜首`) is a rank of 1;
- a doubling is a multiple (`翻一番` -> 2 倍, `翻两番` -> 4 倍);
- the parts of an industry structure (`三次产业结构为1.8:14.8:83.4`) are shares, in % (`structure_part`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from .mention import Mention, make_mention, rank_scope
from .tables import cell_of
from .units import cn_value

__all__ = ["second_readings", "structure_part"]

_FIRST_PLACE = re.compile("首位|榜首")
# `翻一番` doubles (2倍), `翻两番` quadruples (4倍): a multiple written as a verb phrase.
_DOUBLING = re.compile("翻(?P<n>[一两二三])番")


def _doublings(text: str, found: list[Mention]) -> list[Mention]:
    """`翻一番` -> 2 倍, `翻两番` -> 4 倍, where no other reading holds the span (its numeral
    is otherwise no mention at all, or the label `两`, which this reading replaces)."""
    out = []
    for m in _DOUBLING.finditer(text):
        inside = [f for f in found if f.start < m.end() and f.end > m.start()]
        if all(f.category == "name" and m.start() < f.start and f.end < m.end() for f in inside):
            out.append(make_mention(text, m.start(), m.end(), m.group("n"), 2 ** cn_value(m.group("n")), "倍", "exact", "quantity"))
    return out


def _first_places(text: str, found: list[Mention]) -> list[Mention]:
    """Ranks written without a numeral: `排名全市首位`, `居全国榜首` (value 1)."""
    out = []
    starts = [m.start for m in found]
    for m in _FIRST_PLACE.finditer(text):
        i = bisect_right(starts, m.start())
        floor = found[i - 1].end if i else 0
        if floor > m.start() or (i < len(found) and found[i].start < m.end()):
            continue
        scope = rank_scope(text, m.start(), floor)
        if scope is not None:
            out.append(make_mention(text, scope, m.end(), m.group(), 1, "名", "exact", "rank"))
    return out


def _with_column_unit(text: str, m: Mention) -> Mention:
    """A table cell written without a unit takes its column's or its row's (`llmx.finder.tables`);
    a four-digit cell such as `1981` under a `（家）` row is a count, not a year."""
    cell = cell_of(text, m.start)
    if cell is None or cell.unit is None:
        return m
    return Mention(m.start, m.end, m.text, m.number, m.value, cell.unit, m.approx, "quantity")  # a cell is no year


def _tenths(m: Mention) -> Mention:
    """A share in 成 (tenths: `三成`, `近两成`) as a percentage, like a fraction (decision 16):
    30 `%`, so that it compares with the shares written in %."""
    if m.unit != "成" or m.category != "quantity":
        return m
    return replace(m, value=m.value * 10, unit="%")


# A unit written before its number, as the measure the number is of (`参与人次突破一万二千`,
# `参观人次达3.5万`): the number has no unit of its own, or only a magnitude that would
# otherwise be read as money. The measure noun gives the unit (`人数` -> 人).
_UNIT_BEFORE = re.compile(r"(人次|家次|场次|人数|户数|家数|项数|件数)(?:累计|全年|共)?"
                          r"(?:达到|达|突破|超过|超|逾|为|约|近|共计|共|合计)*[ \t]*$")
_UNIT_OF_MEASURE = {"人数": "人", "户数": "户", "家数": "家", "项数": "项", "件数": "件"}
# A span of years that a figure is counted over (`近三年累计`, `五年来`, `3年以来`) is a period,
# like `2021年以来`, not a count of years (`连续三年` is one, and so is a duration: `历时近三年`).
_YEARS_SINCE = re.compile(r"来|以来")


def _unit_before(text: str, m: Mention) -> Mention:
    """A quantity whose unit stands before it takes it (see above)."""
    if m.category != "quantity" or not (m.unit in (None, "万", "亿") or (m.unit in ("万元", "亿元") and "元" not in m.text)):
        return m
    lead = _UNIT_BEFORE.search(text, max(0, m.start - 12), m.start)
    if lead is None:
        return m
    unit = _UNIT_OF_MEASURE.get(lead.group(1), lead.group(1))
    magnitude = (m.unit or "").removesuffix("元")  # 万 of 万元 (taken for money) or of a bare 万
    return replace(m, unit=magnitude + unit)


def _years_since(text: str, m: Mention) -> Mention:
    """`近三年` (before 累计 or the like) and `三年来` are the span a figure covers: a date."""
    if m.unit != "年" or m.category != "quantity":
        return m
    lasted = re.search(r"(?:历时|用时|耗时|周期|时长|为期)$", text[max(0, m.start - 2) : m.start])
    if (m.text.startswith("近") and not lasted) or _YEARS_SINCE.match(text, m.end):
        return replace(m, category="date")
    return m


# An industry structure written as a ratio of shares (`三次产业结构为9.5:49.7:40.8`,
# `产业结构…由上年的6.9:55.9:37.2演变为6.7:55.1:38.2`): three parts that add up to about 100,
# in a sentence that speaks of the structure. Each part is a share of GDP, in % (the statistics
# bulletins' convention); `structure_part` says which (1, 2, 3).
_STRUCTURE = re.compile(r"(?<![\d.])(\d{1,2}(?:\.\d+)?)[:：∶](\d{1,2}(?:\.\d+)?)[:：∶](\d{1,2}(?:\.\d+)?)(?![\d.:：∶])")
_STRUCTURE_WORDS = re.compile(r"产业结构|三次产业|三产结构")


def structure_part(text: str, start: int) -> int | None:
    """Which part (1, 2, 3) of an industry structure the number at `start` is, or None."""
    sentence = max(text.rfind("\n", 0, start), text.rfind("。", 0, start)) + 1
    base = max(sentence, start - 200)
    if not _STRUCTURE_WORDS.search(text, base, start):
        return None
    for m in _STRUCTURE.finditer(text[base : start + 20]):
        parts = [float(g) for g in m.groups()]
        if abs(sum(parts) - 100) <= 0.6:
            for k in (1, 2, 3):
                if base + m.start(k) == start:
                    return k
    return None


def _structure_share(text: str, m: Mention) -> Mention:
    """A part of an industry structure (see `_STRUCTURE`) is a share: unit %."""
    if m.unit is not None or m.category != "quantity" or ":" not in text[m.start - 1 : m.end + 1].replace("：", ":").replace("∶", ":"):
        return m
    return replace(m, unit="%") if structure_part(text, m.start) else m


def _merged(found: list[Mention], extra: list[Mention]) -> list[Mention]:
    """`found` with the readings of a second pass (`_first_places`, `_doublings`) in their
    place: a mention that starts inside one of them gives way to it."""
    if not extra:
        return found
    kept = [f for f in found if not any(x.start <= f.start < x.end for x in extra)]
    return sorted(kept + extra, key=lambda m: m.start)


def second_readings(text: str, scanned: list[Mention]) -> list[Mention]:
    """`scanned` (a scan of `text`, sorted by start) with the readings above applied."""
    out = [_years_since(text, _unit_before(text, _tenths(
        _with_column_unit(text, m) if m.unit is None and m.category in ("quantity", "year") else m)))
           for m in scanned]
    if "产业" in text:
        out = [_structure_share(text, m) for m in out]
    for cue, reading in (("首", _first_places), ("番", _doublings)):
        if cue in text:
            out = _merged(out, reading(text, out))
    return out
