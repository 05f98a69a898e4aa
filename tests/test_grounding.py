"""The independent checker (bench/grounding.py) catches invented values and reads real ones."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import grounding  # noqa: E402
from grounding import value_in_quote, values_in  # noqa: E402


@pytest.mark.parametrize("value, quote", [
    (197.54, "成交金额197.54亿"), (1234, "共１，２３４件"), (36.5, "３６．５亿元"), (213, "2\u200b13家"),
    (1234, "1\u2009234家"), (197.54, "成交额达到19\n\n7.54亿元"), (3, "新增三家"), (12, "举办十二场"),
    (200, "引进两百余名"), (1200, "一千二百家"), (3000, "三千万元"), (25, "占比1/4"), (1, "排名全市首位"),
    (-7.0, "高新技术企业数（家）213 198 -7.0%"), (2, "1-2个"), (10, "十家"), (100000, "十万人次"),
    (234, "增长1，234家"), (234213, "1,234213"), (1230, "一千二百三家"), (230, "两百三人"),
    (300, "三两百余人"), (2, "翻一番"), (30, "约三成"), (4720, "资助4,\n720万元"),  # cut after its grouping comma
])
def test_a_value_the_quote_states_is_confirmed(value, quote):
    assert value_in_quote(value, quote)


@pytest.mark.parametrize("value, quote", [
    (2131987.6, "213 198 7.6%"), (197.5413249, "197.54 132 49.7%"), (13.51, "1 3.5 1%"),
    (1, "共１，２３４件"), (234, "共１，２３４件"), (2, "2\u200b13家"), (999000, "企业999家"), (50, "213 198"),
    (1234, "增长1，234家"), (234, "１，２３４家"), (19, "达到19\n\n7.54亿元"), (32, "三两百余人"),
    (720, "资助4,\n720万元"), (4, "资助4,\n720万元"),  # the pieces of a number cut after its comma
])
def test_an_invented_value_is_caught(value, quote):
    assert not value_in_quote(value, quote), values_in(quote)


def test_unaccounted_digits_are_those_in_no_span():
    from grounding import unaccounted_digits

    text = "新增企业12家，①科研投入３亿元；⑵其他"
    a, b = text.index("12"), text.index("12") + 3
    assert unaccounted_digits(text, [(a, b)]) == [text.index("①"), text.index("３"), text.index("⑵")]
    everything = [(0, len(text))]
    assert unaccounted_digits(text, everything) == []
    assert unaccounted_digits("统一的一批", []) == []  # Chinese numerals are words' characters too: not read here


def test_check_output_flags_a_number_that_vanished_without_a_count():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from check_output import problems

    original = "新增企业12家，电话0571-8123456。"
    figure = original.index("12")
    phone = original.index("0571")
    line = {"doc": "t.txt", "found": 2, "rejected": [], "uncovered": [],
            "indicators": [{"quote": "新增企业12家", "start": 0, "end": figure + 3, "value": 12.0,
                            "figure_start": figure, "figure_end": figure + 3}],
            "excluded": [{"text": "0571-8123456", "start": phone, "end": phone + 12, "value": 571.0, "rule": "contact"}]}
    assert problems(line, original) == []
    dropped = dict(line, excluded=[], found=1)  # the finder's own count agrees, but a number is gone
    assert any("in no figure, rejected, uncovered or excluded number" in p for p in problems(dropped, original))


@pytest.mark.parametrize("unit, quote, figure, header, after, stated", [
    ("万人次", "参观人次达3.5万", "3.5万", "", "，", True),  # the unit written before the number
    ("亿元", "成交额197.54亿", "197.54亿", "", "，", True),  # a bare 亿: money, by the guide
    ("万元", "吞吐量113.5万", "113.5万", "", "标准箱，", False),  # 万 of 万标准箱 is no money
    ("万元", "生猪出栏28.6万", "28.6万", "", "头，", False),
    ("万元", "服务企业3.5万", "3.5万", "", "家", False),
    ("%", "占比1/4", "1/4", "", "", True), ("%", "约三成", "三成", "", "", True), ("%", "达到百分之六十", "", "", "", True),
    ("名", "位居全市第一", "第一", "", "", True), ("名", "排名全市首位", "首位", "", "", True),
    ("倍", "实现翻一番", "翻一番", "", "", True), ("个百分点", "提高0.6个百分⏎点".replace("⏎", "\n"), "", "", "", True),
    ("项（人）", "58项（人）", "58项（人）", "", "", True),  # full-width brackets either side
    ("个", "产业项目 68", "68", "类别 项目数（个） 总投资（亿元）", "", True),  # a table cell: its column's header
    ("个", "产业项目 68", "68", "", "", False),
    ("家", "新增企业12人", "12人", "", "", False),  # an invented unit
    (None, "编号 3", "3", "", "", True),
])
def test_a_unit_is_one_the_text_states(unit, quote, figure, header, after, stated):
    from grounding import unit_stated

    assert unit_stated(unit, quote, figure, header, after) is stated


def test_check_output_flags_an_invented_unit_and_reads_a_table_cell_by_its_header():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from check_output import problems

    original = "义乌港吞吐量113.5万标准箱。\n类别 项目数（个） 总投资（亿元）\n产业项目 68 612.5\n"
    a, row = original.index("113.5"), original.index("产业项目")
    cell = original.index("68")
    line = {"doc": "t.txt", "found": 3, "rejected": [], "uncovered": [], "excluded": [], "indicators": [
        {"quote": original[:a + 6], "start": 0, "end": a + 6, "value": 113.5, "unit": "万元", "figure_start": a, "figure_end": a + 6},
        {"quote": "产业项目 68", "start": row, "end": cell + 2, "value": 68.0, "unit": "个", "figure_start": cell, "figure_end": cell + 2},
        {"quote": "产业项目 68 612.5", "start": row, "end": cell + 8, "value": 612.5, "unit": "亿元", "figure_start": cell + 3, "figure_end": cell + 8},
    ]}
    found = problems(line, original)
    assert len(found) == 1 and "unit '万元' is not stated" in found[0]


# -- the independent checks of names, identifiers and signs (bench/grounding.py) ----------------

@pytest.mark.parametrize("name, bad", [
    ("技术合同成交额", False), ("营收超2亿元企业数", False), ("10亿元以上项目数", False), ("5G基站数", False),
    ("57.58亿元", True), ("申报企业454家，认定数", True), ("一是研发投入", True), ("】第2页业技术创新基金数", True),
    ("软件和信息技术服务业（含移动", True), ("相当于地区生产总值的", True), ("26.8 0.4", True),
    ("规模额元数元数元数", True), ("一二三产业增加值", False), ("城镇| 3120 |", True), ("城镇｜人数", True),
])
def test_the_checker_refuses_names_no_analyst_accepts(name, bad):
    assert bool(grounding.name_faults(name)) is bad


@pytest.mark.parametrize("line, figure, inside", [
    ("见https://www.a.gov.cn/art/2024/0305/12345.html，累计解决诉求1,536件", "12345", True),
    ("见https://www.a.gov.cn/art/2024/0305/12345.html，累计解决诉求1,536件", "1,536", False),
    ("身份证号310104199001011234", "310104199001011234", True),
    ("工号20240305", "20240305", True),
    ("新增企业35家", "35", False),
])
def test_the_checker_flags_a_figure_read_inside_an_identifier(line, figure, inside):
    start = line.index(figure)
    assert grounding.in_an_identifier(line, start, start + len(figure)) is inside


def test_the_checker_flags_a_dropped_minus_sign_and_a_share_computed_from_a_path():
    text = "同比增长-3.2%"
    assert grounding.sign_dropped(3.2, text, text.index("3.2"))
    assert not grounding.sign_dropped(-3.2, text, text.index("3.2"))
    assert not grounding.sign_dropped(30, "20-30家", 3)
    assert not grounding.value_in_quote(2.47, "/art/2024/0305/12345.html")
    assert grounding.value_in_quote(25, "占比1/4")
