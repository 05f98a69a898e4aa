"""Shapes of report text the seeds and the dev set lack, found on excerpts written for this
project by someone who had not read llmx (bulletins copied from PDF, county-level fields,
shares in 成). Each rule is named for its pattern and tested on phrasings of its own."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from llmx.pipeline.extract import baseline_extract
from llmx.finder.numbers import find_numbers
from llmx.text.source import clean_text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from grounding import piece_of_a_number, value_in_quote  # noqa: E402


def readings(text: str) -> list[tuple[str, float, str | None, str]]:
    return [(m.text, m.value, m.unit, m.category) for m in find_numbers(text)]


@pytest.mark.parametrize("text, page", [
    ("工业投资增长7.1%，比上年\n\n— 14 —\n\n提高2个百分点。", "14"),
    ("全年完成\n- 3 -\n固定资产投资", "3"),
    ("第 5 页  共 12 页\n", "5"),
    ("增长\n7/20\n", "7"),
])
def test_a_line_that_is_only_a_page_number_is_no_figure(text, page):
    (m,) = [m for m in find_numbers(text) if m.text == page]
    assert m.category == ("furniture" if "页" in text else "other")  # a page line is furniture (llmx.finder.furniture)
    assert all(r[3] != "quantity" or r[0] != page for r in readings(text))


def test_a_page_number_beside_figures_leaves_them_alone():
    text = "实现营收38.2亿元\n\n— 3 —\n\n同比增长12%"
    assert [r for r in readings(text) if r[3] == "quantity"] == [("38.2亿元", 38.2, "亿元", "quantity"), ("12%", 12.0, "%", "quantity")]


@pytest.mark.parametrize("text, markers", [
    ("说明：1.本表数据为快报数。2.增速按可比价计算。", ["1.", "2."]),
    ("主要做法：1、建立专班；2、压实责任。", ["1、", "2、"]),
    ("注：1．部分数据有修订。", ["1．"]),
])
def test_a_list_run_on_inside_a_paragraph_is_marked_not_counted(text, markers):
    assert [(m.text, m.category) for m in find_numbers(text)] == [(k, "list_marker") for k in markers]


@pytest.mark.parametrize("text, span, value", [
    ("外贸进出口额较2020年翻一番。", "翻一番", 2.0), ("到2030年产值翻两番", "翻两番", 4.0)])
def test_a_doubling_is_a_multiple(text, span, value):
    (m,) = [m for m in find_numbers(text) if m.category == "quantity"]
    assert (m.text, m.value, m.unit) == (span, value, "倍")
    assert value_in_quote(value, text)


@pytest.mark.parametrize("text, span, value", [
    ("返乡创业者占近三成", "近三成", 30.0), ("本地配套率超过六成", "超过六成", 60.0), ("占比约两成", "约两成", 20.0)])
def test_a_share_in_tenths_is_a_percentage(text, span, value):
    (m,) = [m for m in find_numbers(text) if m.category == "quantity"]
    assert (m.text, m.value, m.unit) == (span, value, "%")
    assert value_in_quote(value, text)


@pytest.mark.parametrize("text, span, value", [
    ("营商环境评价居全省县（市、区）第三。", "居全省县（市、区）第三", 3.0),
    ("工业增加值增速位列各县（市）第一。", "位列各县（市）第一", 1.0),
    ("数字经济指数居全市各区县（市）前五。", "各区县（市）前五", 5.0),
])
def test_a_rank_in_a_bracketed_county_field(text, span, value):
    (m,) = [m for m in find_numbers(text) if m.category == "rank"]
    assert m.text.endswith(span) and m.value == value


def test_the_rank_name_keeps_the_bracketed_field():
    result = baseline_extract(clean_text("一、成效\n\n工业投资达到56.3亿元，位列全省县（市）第四。\n", "t.txt"))
    rank = next(i for i in result.indicators if i.unit == "名")
    assert rank.name.endswith("全省县（市）排名") and rank.value == 4


@pytest.mark.parametrize("text, threshold, count", [
    ("签约项目42个，其中5亿元以上项目9个", "5亿元以上", "9个"),
    ("村级集体经济收入30万元以上的村占比达到八成", "30万元以上", None),
    ("新引进总投资超5亿元项目12个", "超5亿元", "12个"),
    ("打造千亿级产业集群1个", "千亿", "1个"),
])
def test_a_threshold_that_defines_a_class_of_projects_villages_or_clusters_is_a_name(text, threshold, count):
    found = {m.text: m.category for m in find_numbers(text)}
    assert found[threshold] == "name"
    if count:
        assert found[count] == "quantity"


def test_an_amount_with_以上_that_defines_nothing_is_a_figure():
    assert ("20亿元以上", 20.0, "亿元", "quantity") in readings("带动社会投资20亿元以上；")


def test_a_number_cut_by_a_short_prose_line_is_joined():
    original = "　　全年限上批发零售额12\n6.4亿元，增长5.2%。\n"
    source = clean_text(original, "t.txt")
    found = [m for m in find_numbers(source.text) if m.category == "quantity"]
    assert [(m.value, m.unit) for m in found] == [(126.4, "亿元"), (5.2, "%")]
    a, b = source.to_original(found[0].start, found[0].end)
    assert not piece_of_a_number(original, a, b) and value_in_quote(126.4, original[a:b])


def test_a_table_row_ending_in_a_number_is_not_joined_to_the_next_row():
    text = "指标 2023年 2024年\n企业数（家） 120 135\n156 170 8.2%\n"
    assert 135.0 in [m.value for m in find_numbers(clean_text(text, "t.txt").text)]


@pytest.mark.parametrize("original, piece, cut", [
    ("零售总额19\n7.5亿元，增长", "7.5亿元", True),
    ("零售总额19\n7.5亿元，增长", "19", True),
    ("零售总额19\n\n.5亿元", ".5亿元", True),
    ("零售总额19\n\n.5亿元", "19", True),
    ("收入增长16.5\n\n3、%；投资", "16.5", False),  # a blank line, then a page's number: a new paragraph
    ("收入增长16.5\n\n3、%；投资", "3", False),
    ("零售总额197.5亿元，增长", "197.5亿元", False),
    ("企业120家。\n2024年", "120家", False),
    ("第一段。\n7.5亿元的投资", "7.5亿元", False),
    # a table row (a .docx or web table read as text) ends in a cell; the line under it may start with a year
    ("技术合同成交额（亿元） 827.3 1,012.6 22.4\n2024 年，区科委", "22.4", False),
    ("指标 2023年 2024年\n企业数（家） 120 135\n156 170 8.2%", "135", False),
    ("成交额 827.3 亿元，增长 22\n4%，", "22", True),  # prose (a clause mark), not a row of cells
])
def test_the_checker_sees_a_figure_that_is_a_piece_of_a_cut_number(original, piece, cut):
    a = original.index(piece)
    assert piece_of_a_number(original, a, a + len(piece)) is cut


@pytest.mark.parametrize("text, span", [
    ("回顾过去一年，全区上下", "一年"), ("过去的一年里", "一年"), ("比上一年增长5%", "一年")])
def test_a_year_looked_back_on_is_no_figure(text, span):
    (m,) = [m for m in find_numbers(text) if m.text == span]
    assert m.category == "other"


def test_a_year_that_is_a_duration_stays_a_figure():
    assert ("一年", 1.0, "年", "quantity") in readings("用一年时间完成改造")


@pytest.mark.parametrize("text, age, count", [
    ("为70周岁以上老年人发放补贴1.8万人次", "70周岁以上", "1.8万人次"),
    ("全镇60岁以上的老人共3200人", "60岁以上", "3200人"),
])
def test_an_age_that_defines_a_group_is_a_name(text, age, count):
    found = {m.text: m.category for m in find_numbers(text)}
    assert found[age] == "name" and found[count] == "quantity"


def test_过_before_an_amount_that_defines_firms_is_a_threshold():
    found = {m.text: m.category for m in find_numbers("培育产值过5亿元企业12家")}
    assert found["5亿元"] == "name" and found["12家"] == "quantity"


@pytest.mark.parametrize("text, value", [("三两百余人", 300.0), ("四三十家", 40.0), ("两三百人", 300.0)])
def test_a_概数_in_falling_order_reads_its_upper_bound_never_its_digits_side_by_side(text, value):
    (m,) = find_numbers(text)
    assert m.value == value and value_in_quote(value, text)


def test_an_industry_structure_ratio_is_three_shares_of_gdp_with_the_ratio_s_period():
    text = ("某县2023年国民经济和社会发展统计公报\n一、综合\n"
            "产业结构持续优化，由上年的8.1:47.6:44.3调整为7.5:46.2:46.3。全年完成投资12.5亿元。\n")
    result = baseline_extract(clean_text(text, "t.txt"))
    shares = [(i.name, i.value, i.unit, i.period) for i in result.indicators if i.unit == "%"]
    assert shares == [("第一产业增加值占GDP比重", 8.1, "%", "2022"), ("第二产业增加值占GDP比重", 47.6, "%", "2022"),
                      ("第三产业增加值占GDP比重", 44.3, "%", "2022"), ("第一产业增加值占GDP比重", 7.5, "%", "2023"),
                      ("第二产业增加值占GDP比重", 46.2, "%", "2023"), ("第三产业增加值占GDP比重", 46.3, "%", "2023")]
    third = next(i for i in result.indicators if i.value == 44.3)
    assert third.quote.endswith("8.1:47.6:44.3") and "finish.industry_structure: 第三产业增加值占GDP比重" in third.trace


def test_a_ratio_that_is_no_structure_of_shares_is_left_alone():
    text = "一、综合\n男女比例为1.2:1:0.5，产业结构之外的比为3:4:5。\n"
    result = baseline_extract(clean_text(text, "t.txt"))
    assert not [i for i in result.indicators if "产业增加值占GDP比重" in i.name]
    assert all(i.unit != "%" for i in result.indicators)
