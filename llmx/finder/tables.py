"""Tables written as plain text: a header line, then rows of cells separated by spaces.

    指标名称 2021年 2022年 增速（%）
    技术合同成交额（亿元） 827.3 1,012.6 22.4

A number in such a row is a cell: the number finder reads it on its own (never
merged with its neighbours), and a cell written without a unit takes it from its
column header (`增速（%）`; a rate column such as `增长率` is `%`) or else from its
row header (`（亿元）`). `cell_of` says where the row starts (the quote of a cell
runs from there, so the row's name and unit are in it), which unit applies, and the
column's header, which gives the cell's period (`2023年`) and kind (`2025年目标`).
A line is a row only under a header line (three or more cells, at least one a
year, a bracketed unit or a rate) with nothing but rows between them. Cells may be
separated by `|` as well as by spaces (`全区常住人口 | 107365 | 100.0 |`).

A table copied from a web page often comes one cell a line, each ending in `|` (a
stacked table): a header of cells (`主要指标 |`, `单位 |`, `2022年 |`, `2027年 |`), then
each row's cells (`数字经济核心产业增加值 |`, `亿元 |`, `2240 |`, `4000 |`), a blank or
spanned cell left out or written `/`. A number there is a cell of the row whose name is
the nearest text cell before its run of values, its unit the unit cell between them, and its
column the header's year at its place in that run (`_stacked_cell`).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .units import UNIT_PATTERN

__all__ = ["Cell", "cell_of"]

_SPACE = "[ \\t\u3000\u00a0]"
_ROW = re.compile(
    rf"(?P<label>[^\s\d]\S*?)(?:[（(](?P<unit>[^（）()\s]{{1,8}})[）)])?(?P<cells>(?:{_SPACE}+[^\s\u4e00-\u9fff]+)*){_SPACE}+")
_ROW_LINE = re.compile(rf"[^\s\d]\S*?(?:{_SPACE}+[^\s\u4e00-\u9fff]+)+{_SPACE}*")
_BRACKET = re.compile(r"[（(]([^（）()\s]{1,8})[）)]")
_RATE = re.compile(r"增长率|增速|增幅|同比")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年|^((?:19|20)\d{2})$")  # `2024年`, or a bare year heading a column
_GOAL = re.compile(r"目标|计划|预计|力争")
_DONE = re.compile(r"完成|实际|实绩")
_UNIT = re.compile(rf"(?:万亿|亿|千万|万)?(?:{UNIT_PATTERN})|万亿|亿|万")


class Cell(NamedTuple):
    """A table cell: where its row starts, its unit (None when neither header gives one),
    its column header (`2023年`, `2025年目标`, `增长率`), and its row header without the
    bracketed unit (`技术合同成交额` for `技术合同成交额（亿元）`)."""

    row_start: int
    unit: str | None
    column: str | None
    label: str = ""
    row_unit: str | None = None

    @property
    def is_rate(self) -> bool:
        """Whether the column is a growth column (`增长率`, `增速（%）`): its cells rate the row's measure."""
        return bool(self.column and _RATE.search(self.column))

    @property
    def period(self) -> str | None:
        """The year the column header names, if any (`2024年完成` -> "2024")."""
        m = _YEAR.search(self.column or "")
        return (m.group(1) or m.group(2)) if m else None

    @property
    def kind(self) -> str | None:
        """`target` for a column of goals (`2025年目标`), `actual` for one of results, else None."""
        if not self.column:
            return None
        if _GOAL.search(self.column):
            return "target"
        return "actual" if self.period or _DONE.search(self.column) else None


def _unit(word: str | None) -> str | None:
    if not word or not _UNIT.fullmatch(word):
        return None
    return word + "元" if word in ("万亿", "亿", "万") else word.replace("％", "%")


def _header(lines: list[str]) -> list[str] | None:
    """The header cells above a row: the nearest line that is not itself a row."""
    for line in reversed(lines):
        cells = line.split()
        if len(cells) >= 3 and all(_YEAR.fullmatch(c) for c in cells[1:]):
            return cells  # `指标 2024 2025`: years head the columns
        if _ROW_LINE.fullmatch(line) and cells and re.search(r"\d", cells[-1]):
            continue  # another row of the same table
        if len(cells) >= 3 and any("年" in c or _BRACKET.search(c) or _RATE.search(c) or _YEAR.fullmatch(c)
                                   for c in cells[1:]):
            return cells
        return None
    return None


# A table's row is short: a number further than this into its line is prose, and is not
# matched against the row pattern (which would make a long line's work grow with its square).
ROW_MAX = 300


def cell_of(text: str, start: int) -> Cell | None:
    """The cell the number at `start` is, or None when it stands in no table."""
    line_start = text.rfind("\n", max(0, start - ROW_MAX - 1), start) + 1
    if line_start == 0 and start > ROW_MAX:
        return None  # no line break within ROW_MAX before it: a long line, no table row
    if (stacked := _stacked_cell(text, line_start, start)) is not None:
        return stacked
    lead = text[line_start:start].replace("|", " ")  # `|` between cells reads as space: one for one
    indent = len(lead) - len(lead.lstrip(" "))
    row = _ROW.fullmatch(lead, indent)
    if not row:
        return None
    above = text[max(0, line_start - 2000) : max(0, line_start - 1)].replace("|", " ").split("\n")[-12:]
    header = _header([line for line in above if line.strip()])
    if header is None:
        return None
    column = len(row.group("cells").split()) + 1
    unit, title = None, header[column] if column < len(header) else None
    if title:
        bracket = _BRACKET.search(title)
        unit = _unit(bracket.group(1)) if bracket else ("%" if _RATE.search(title) else None)
    row_unit = _unit(row.group("unit"))
    return Cell(line_start, unit or row_unit, title, row.group("label"), row_unit)


_STACKED_LINE = re.compile(r"[ \t\u3000]*([^|\n]*?)[ \t\u3000]*\|[ \t\u3000]*")
_VALUE = re.compile(r"[-+－−]?\d[\d,.]*[%％‰]?|[/／—–－-]+|")  # a number, or a cell left blank
_STACK_LINES = 80  # how far back a stacked table's header is looked for (its cells, one a line)


def _stacked_cell(text: str, line_start: int, start: int) -> Cell | None:
    """The cell of a stacked table (one cell a line, each ending in `|`: see the module
    docstring) the number at `start` is, or None."""
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    own = _STACKED_LINE.fullmatch(text, line_start, line_end)
    if own is None or not _VALUE.fullmatch(own.group(1)) or not own.group(1):
        return None
    cells: list[tuple[int, str]] = []  # the cells above, nearest first, with their line starts
    end = line_start - 1
    while end > 0 and len(cells) < _STACK_LINES:
        begin = text.rfind("\n", 0, end) + 1
        cell = _STACKED_LINE.fullmatch(text, begin, end)
        if cell is None:
            break
        cells.append((begin, cell.group(1)))
        end = begin - 1
    place = 0  # the number's place in its row's run of values
    while place < len(cells) and cells[place][1] and _VALUE.fullmatch(cells[place][1]):
        place += 1
    rest = [(at, c) for at, c in cells[place:] if c]
    if not rest:
        return None
    unit = _unit(rest[0][1])  # `亿元 |`, `家 |`, `% |`
    label_at, label = rest[1] if unit and len(rest) > 1 else rest[0]
    if _unit(label) or re.search(r"\d", label):
        return None
    header = [c for _, c in reversed(cells)]
    first_value = next((k for k, c in enumerate(header) if c and _VALUE.fullmatch(c)), len(header))
    years = [c for c in header[:first_value] if _YEAR.search(c) and len(c) <= 12]
    if not years:
        return None
    return Cell(label_at, unit, years[place] if place < len(years) else None, label, unit)
