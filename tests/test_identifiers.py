"""Rules found on the second held-out set (eval/holdout2), each tested here on phrasings of our
own, none of them copied from that set: numbers that identify rather than measure (contact
numbers, versions, programme spans, captions), units written with a second word (个工作日,
人年), ranks after 进入/跻身, fractions to two decimals (labelling decision 25)."""

from __future__ import annotations

import pytest

from llmx.finder.identifiers import contact_end, is_caption, is_programme, is_version
from llmx.finder.numbers import find_numbers, find_quantities


def readings(text: str) -> list[tuple[str, float, str | None, str]]:
    return [(m.text, m.value, m.unit, m.category) for m in find_numbers(text)]


@pytest.mark.parametrize("text, contact", [
    ("办公室电话：020-87654321。", "020-87654321"),
    ("传真 0571-8123456，", "0571-8123456"),
    ("咨询电话（025）52345678", "（025）52345678"),
    ("联系人：王某，手机15800001111", "15800001111"),
    ("邮政编码：310012", "310012"),
    ("服务热线：400-600-7788", "400-600-7788"),
    ("拨打政务服务热线12345反映", "12345"),
    ("举报电话 0311-66001234 转 801", "0311-66001234 转 801"),  # with its extension
])
def test_a_contact_number_is_no_figure(text, contact):
    (m,) = [m for m in find_numbers(text) if m.category == "contact"]
    assert m.text == contact
    assert find_quantities(text) == []  # 87654321 is never read, nor the range 020 to 87654321


@pytest.mark.parametrize("text, value, unit", [
    ("研发投入增长12.5%，新增企业234家", 234, "家"),  # a plain count after a clause
    ("全年接待咨询12345人次", 12345, "人次"),  # a count of the same size, with a unit: a figure
    ("服务热线接听量12345件", 12345, "件"),  # a contact word, but a unit after the number
    ("2024年实现产值1050亿元", 1050, "亿元"),
    ("编制岗位0人", 0, "人"),
])
def test_figures_of_the_same_shape_stay_figures(text, value, unit):
    assert (find_quantities(text)[-1].value, find_quantities(text)[-1].unit) == (value, unit)


def test_contact_end_needs_a_phone_shape_or_a_contact_word():
    assert contact_end("电话：0571-8123456", 3) == len("电话：0571-8123456")
    assert contact_end("实现产值310012万元", 4) is None  # no contact word: a figure
    assert contact_end("邮编：310012", 3) == 9
    assert contact_end("热线", 0) is None


@pytest.mark.parametrize("text, version", [
    ("建成科技服务云平台3.0", "3.0"),
    ("发布惠企政策2.0版", "2.0"),
    ("推进制造业数字化转型，迈向智造5.0", "5.0"),
    ("上线“一网通办”系统V2.0", None),  # a Latin prefix: a name by the older rule
])
def test_a_version_written_onto_a_name_is_no_figure(text, version):
    assert find_quantities(text) == []
    if version:
        assert [m.text for m in find_numbers(text) if m.category == "name"] == [version]


@pytest.mark.parametrize("text, value", [
    ("综合指数达到4.0，", 4.0),    # 达到 leads to a figure
    ("同比增长2.0", 2.0),
    ("人均拥有量为3.0", 3.0),
    ("科技进步贡献率提高到65.0", 65.0),  # not N.0 with one digit before the point only
])
def test_a_measured_number_ending_in_point_zero_stays_a_figure(text, value):
    assert [m.value for m in find_quantities(text)] == [value]


def test_is_version_reads_the_word_before():
    assert is_version("平台2.0", 2, 5) and is_version("3.0版", 0, 3)
    assert not is_version("达到2.0", 2, 5) and not is_version("平台2.5", 2, 5) and not is_version("2.0", 0, 3)


@pytest.mark.parametrize("text", ["启动新一轮五年规划编制", "落实人才引育三年行动方案", "实施两年攻坚行动"])
def test_a_programme_span_is_no_figure(text):
    assert find_quantities(text) == []


@pytest.mark.parametrize("text, value", [("连续五年获评先进单位", 5), ("用三年时间建成示范区", 3)])
def test_a_count_of_years_that_is_not_a_programme_stays_a_figure(text, value):
    assert [(m.value, m.unit) for m in find_quantities(text)] == [(value, "年")]


def test_is_programme_needs_years_and_a_programme_word():
    assert is_programme("三年行动", 2, "年") and is_programme("五年 规划", 2, "年")
    assert not is_programme("三年行动", 2, "个") and not is_programme("三年时间", 2, "年")


@pytest.mark.parametrize("text, marker", [
    ("表2 重点产业主要指标\n", "表2"),
    ("附表3：项目清单\n", "表3"),
    ("  图1 研发投入走势\n", "图1"),
])
def test_a_caption_number_is_a_list_marker(text, marker):
    assert [(m.text, m.category) for m in find_numbers(text) if m.value < 10] == [(marker, "list_marker")]


def test_is_caption_only_at_a_line_start():
    assert is_caption("表2 指标", 1) and is_caption("正文。\n附表2", 6)
    assert not is_caption("见表2", 2) and not is_caption("代表2名", 2)


def test_a_note_run_on_inside_a_paragraph_may_start_with_a_latin_word():
    text = "说明：1.数据为快报数。2.GDP按可比价格计算。3.R&D投入含企业资金。"
    assert [(m.text, m.category) for m in find_numbers(text)] == [
        ("1.", "list_marker"), ("2.", "list_marker"), ("3.", "list_marker")]


@pytest.mark.parametrize("text, value, unit", [
    ("审批时限压缩至3个工作日", 3, "个工作日"),
    ("平均用时8工作日", 8, "工作日"),
    ("投入研发人员2.4万人年", 2.4, "万人年"),
    ("折合全时当量560人年", 560, "人年"),
])
def test_units_written_with_a_second_word(text, value, unit):
    (m,) = find_quantities(text)
    assert (m.value, m.unit) == (value, unit)


def test_a_rank_after_jinru_or_jishen():
    assert readings("力争排名进入前五") == [("排名进入前五", 5.0, "名", "rank")]
    assert readings("跻身全省前三") == [("跻身全省前三", 3.0, "名", "rank")]
    assert readings("进入第二阶段") == [("第二阶段", 2.0, "阶段", "ordinal")]  # a stage, no place


@pytest.mark.parametrize("text, value", [("占比超过2/3", 66.67), ("约占六分之一", 16.67), ("占1/8", 12.5),
                                         ("四分之三", 75.0)])
def test_a_fraction_is_a_percentage_to_two_decimals(text, value):
    (m,) = find_quantities(text)
    assert (m.value, m.unit) == (value, "%")


def test_enclosed_numbers_are_list_markers_and_counted():
    text = "主要任务：①建设中试平台3个；②培育链主企业5家；⑶完善服务；❹其他。"
    assert [(m.text, m.value, m.category) for m in find_numbers(text) if m.category == "list_marker"] == [
        ("①", 1.0, "list_marker"), ("②", 2.0, "list_marker"), ("⑶", 3.0, "list_marker"), ("❹", 4.0, "list_marker")]
    assert [m.value for m in find_quantities(text)] == [3, 5]


def test_the_edges_of_each_identifier_rule():
    """Tests owed to the mutants of llmx/finder/identifiers.py that survived the tests above."""
    assert contact_end("热线12345件", 2) is None  # a contact word, but a unit: a figure
    assert contact_end("TelX0571-8123456", 4) == 16  # a phone shape after a letter, no bracket
    assert is_version("平2.0", 1, 4) and is_version("统一2.0", 2, 5)  # a version from the second character on
    assert not is_version("云达4.0", 2, 5)  # the character right before decides
    assert not is_version("(2.0", 1, 4) and not is_version("ア2.0", 1, 4)  # neither CJK nor a Latin letter
    assert is_programme("三年度计划", 3, "年度")
    assert not is_caption("X1", 1) and not is_caption("X表2", 2)
    assert is_caption("正文\n 表1", 5) and is_caption("正文\n\t\t表1", 6) and is_caption("\r表3", 2)
