"""Tables written as text (llmx.finder.tables): a header of bare years heads its columns."""

from __future__ import annotations

import llmx

TABLE = "某区科技局2024年工作总结\n一、主要指标\n指标 2024 2025\n技术合同成交额（亿元） 521.6 600\n高新技术企业（家） 213 260\n"


def test_a_header_of_bare_years_gives_each_cell_its_row_name_unit_and_column_year():
    result = llmx.extract_text(TABLE, model=False)
    cells = [(i.name, i.value, i.unit, i.period) for i in result.indicators]
    assert cells == [("技术合同成交额", 521.6, "亿元", "2024"), ("技术合同成交额", 600.0, "亿元", "2025"),
                     ("高新技术企业数", 213.0, "家", "2024"), ("高新技术企业数", 260.0, "家", "2025")]
    assert result.rejected == []


# A plan's table copied from a web page one cell a line, each cell ending in `|`: a spanned
# category cell left blank, a value not set written `/`, a source column after the values.
STACKED = ("某市软件产业发展行动方案（2024—2026年）\n一、发展目标\n表1 主要指标\n"
           "类别 |\n指标名称 |\n单位 |\n2023年 |\n2026年 |\n责任单位 |\n"
           "规模 |\n软件业务收入 |\n亿元 |\n812.5 |\n1200 |\n市经信局 |\n"
           "|\n软件企业 |\n家 |\n/ |\n950 |\n市经信局 |\n"
           "结构 |\n云服务收入占比 |\n% |\n18.6 |\n30 |\n市统计局 |\n")


def test_a_table_copied_one_cell_a_line_reads_each_value_with_its_row_unit_and_column():
    result = llmx.extract_text(STACKED, model=False)
    cells = [(i.name, i.value, i.unit, i.period, i.kind) for i in result.indicators]
    assert cells == [("软件业务收入", 812.5, "亿元", "2023", "actual"), ("软件业务收入", 1200.0, "亿元", "2026", "target"),
                     ("软件企业数", 950.0, "家", "2026", "target"),  # `/` holds the 2023 column's place
                     ("云服务收入占比", 18.6, "%", "2023", "actual"), ("云服务收入占比", 30.0, "%", "2026", "target")]
    first = result.indicators[0]
    assert first.quote == "软件业务收入 |\n亿元 |\n812.5"  # from the row's name down to the figure
    assert STACKED[first.start:first.end] == first.quote
    assert "kind.table_future_year: target" in result.indicators[1].trace


def test_cells_separated_by_bars_take_their_own_column():
    text = "某区统计公报\n一、人口\n指标 | 年末数（人） | 比重（%） |\n全区常住人口 | 107365 | 100.0 |\n其中：城镇 | 84528 | 78.7 |\n"
    result = llmx.extract_text(text, model=False)
    units = {i.value: i.unit for i in result.indicators}
    assert units[107365.0] == "人" and units[100.0] == "%" and units[84528.0] == "人" and units[78.7] == "%"


def test_a_row_that_is_a_part_of_the_row_above_is_named_without_its_qizhong_and_no_name_holds_a_bar():
    text = "某县统计公报\n二、人口\n指标 | 年末数（人） | 比重（%） |\n户籍人口 | 52310 | 100.0 |\n其中:男性 | 26400 | 50.5 |\n女性 | 25910 | 49.5 |\n"
    result = llmx.extract_text(text, model=False)
    names = {i.value: i.name for i in result.indicators}
    assert names[26400.0] == "男性" and names[50.5] == "男性" and names[25910.0] == "女性"
    assert not [i.name for i in result.indicators if "|" in i.name or "其中" in i.name]


def test_a_stacked_row_s_third_value_takes_the_third_year_and_a_last_line_without_a_break_is_read():
    text = ("某区科技创新三年行动方案\n一、主要目标\n指标 |\n单位 |\n2024年 |\n2025年 |\n2026年 |\n"
            "技术合同成交额 |\n亿元 |\n300 |\n350 |\n400 |")  # no line break after the last cell
    result = llmx.extract_text(text, model=False)
    assert [(i.value, i.period, i.unit) for i in result.indicators] == [
        (300.0, "2024", "亿元"), (350.0, "2025", "亿元"), (400.0, "2026", "亿元")]
    assert {i.name for i in result.indicators} == {"技术合同成交额"}


def test_a_stacked_value_without_a_header_year_or_a_name_is_no_cell():
    no_year = "一、情况\n指标 |\n单位 |\n技术合同成交额 |\n亿元 |\n300 |\n"
    assert all(i.period != "300" for i in llmx.extract_text(no_year, model=False).indicators)
    from llmx.finder.tables import cell_of

    assert cell_of(no_year, no_year.index("300")) is None
    only_values = "2024年 |\n2025年 |\n12 |\n15 |\n"
    assert cell_of(only_values, only_values.index("15")) is None
