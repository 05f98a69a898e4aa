"""Periods, paragraphs and heads found wrong on the second held-out set (eval/holdout2), each
tested here on phrasings of our own: half-year and quarterly reports, 年末 and 截至N月底, spans
of several years, last year's figure in 由上年的…提高到…, 年内, comparisons that are no period
(较一季度), paragraphs wrapped by a PDF copy, statistical bulletins and signatures in the head."""

from __future__ import annotations

import pytest

from llmx.naming.context import Frame, frame_for, period_of
from llmx.pipeline.meta import regex_meta
from llmx.text.sections import split_sections
from llmx.text.source import clean_text


def period(text: str, figure: str, frame: Frame) -> str | None:
    return period_of(text, text.index(figure), frame)


def test_a_half_year_report_frames_its_figures_in_its_half():
    title = "某市科学技术局2023年上半年工作总结和下半年工作安排"
    summary = frame_for(("一、上半年工作进展",), "summary_and_plan", [2023], title)
    plan = frame_for(("二、下半年工作安排",), "summary_and_plan", [2023], title)
    assert summary == Frame(2023, False, "上半年") and summary.period == "2023年上半年"
    assert plan == Frame(2023, True, "下半年") and plan.period == "2023年下半年"
    untitled = frame_for(("一、主要成效",), "summary", [2023], "某县工信局2023年前三季度工作总结")
    assert untitled.period == "2023年前三季度"
    assert frame_for(("一、主要成效",), "summary", [2023], "某县工信局2023年工作总结").period == "2023"


@pytest.mark.parametrize("text, figure, expected", [
    ("1-9月，全县技改投资完成56亿元。", "56亿元", "2023年1-9月"),
    ("前三季度全县新增市场主体3200户。", "3200户", "2023年前三季度"),
    ("截至9月底，全县有效发明专利2100件。", "2100件", "截至2023年9月底"),
    ("年末全县常住人口58.2万人。", "58.2万人", "截至2023年底"),  # a bulletin's stock at the end of the year
    ("科技信贷年末余额达15亿元。", "15亿元", "2023"),  # 年末 as part of a term
    ("年末共有博士后工作站12家。", "12家", "截至2023年底"),  # a bulletin's stock at the end of the year
    ("2022-2023年度科技专项项目验收18项。", "18项", "2023"),  # a batch's name, no span
    ("截至年底累计建成基站980个。", "980个", "截至2023年底"),
    ("2019—2023年，全县累计引进项目126个。", "126个", "2019—2023年"),
    ("“十四五”以来，全县新增上市企业7家。", "7家", "“十四五”以来"),
    ("年内力争新增规上企业40家。", "40家", "2023"),
    ("新建研发中心12个，增速较二季度回落1.2个百分点。", "1.2个百分点", "2023"),  # 较二季度 compares
    ("研发人员占比由上年的8.1%提高到9.4%。", "8.1%", "2022"),
    ("研发人员占比由上年的8.1%提高到9.4%。", "9.4%", "2023"),
])
def test_the_period_the_sentence_gives_else_the_frame(text, figure, expected):
    assert period(text, figure, Frame(2023, False)) == expected


def test_a_span_in_a_half_year_report_takes_its_year_and_a_plain_figure_its_half():
    frame = Frame(2023, False, "上半年")
    assert period("新增专利授权4100件。", "4100件", frame) == "2023年上半年"
    assert period("全年研发投入力争增长10%。", "10%", frame) == "2023"  # 全年: the whole year


def test_a_pdf_wrapped_sentence_keeps_its_opening_span():
    text = ("截至2023年底，全县拥有高新技术企业186家，科技型中小企\n"
            "业入库412家，省级研发机构53家，比上年增加6家。\n")
    assert period(text, "412家", Frame(2023, False)) == "截至2023年底"
    assert period(text, "6家", Frame(2023, False)) == "截至2023年底"
    short = "一、创新主体培育\n新增高企31家。"
    assert period(short, "31家", Frame(2023, False)) == "2023"


def _paragraphs(text: str) -> list[str]:
    return [s.text for s in split_sections(clean_text(text), 600).sections]


def test_a_paragraph_wrapped_over_lines_is_one_section():
    text = ("一、科技创新\n"
            "全年完成技术合同登记额18.6亿元，同比增长12.1%，其中技术开发\n"
            "合同6.2亿元。新认定省级科技型企业145家。\n"
            "二、人才工作\n"
            "引进高层次人才28人。\n")
    assert _paragraphs(text) == ["全年完成技术合同登记额18.6亿元，同比增长12.1%，其中技术开发\n合同6.2亿元。新认定省级科技型企业145家。",
                                 "引进高层次人才28人。"]


def test_headings_titles_and_table_rows_are_never_joined():
    text = ("某县科学技术局2023年工作总结和2024年工作要点\n"
            "一、主要指标完成情况，总体好于预期\n"
            "指标 2022年 2023年 增速\n"
            "规上工业研发费用（亿元） 12.1 13.5 11.6%\n"
            "高新技术企业数（家） 150 186 24.0%\n")
    paragraphs = _paragraphs(text)
    assert "规上工业研发费用（亿元） 12.1 13.5 11.6%" in paragraphs
    assert "高新技术企业数（家） 150 186 24.0%" in paragraphs


def test_a_bulletin_is_a_title_and_a_signature_names_the_issuer():
    head = "临江市2023年国民经济和社会发展统计公报（摘要）"
    meta = regex_meta(head, "注：本公报为初步统计数。\n临江市统计局\n国家统计局临江调查队\n2024年3月1日")
    assert meta.title == "临江市2023年国民经济和社会发展统计公报" and meta.years == [2023]
    assert meta.issuer == "临江市统计局、国家统计局临江调查队"
    assert meta.region == "临江市" and meta.issued_on == "2024-03-01"


def test_a_city_report_names_the_city_a_district_report_the_district():
    assert regex_meta("某某市科学技术局2023年工作总结").region == "某某市"
    assert regex_meta("某某市某某区科学技术局2023年工作总结").region == "某某区"


def test_a_wrapped_line_break_ends_no_clause():
    from llmx.naming.context import is_clause_stop

    text = "全年技术合同登记额达到18.6亿元，其中技术开发合同登记额\n6.2亿元。\n短行\n下一段"
    wrap, short = text.index("\n"), text.index("\n短行") + 3
    assert not is_clause_stop(text, wrap)  # a PDF copy's line break inside a sentence
    assert is_clause_stop(text, text.index("\n短行")) and is_clause_stop(text, short)


def test_the_edges_of_the_parts_of_a_year():
    """Tests owed to the mutants of frame_for and _period_sentences that survived the tests above."""
    assert frame_for(("一、上半年工作回顾",), "summary", [2023], "某局2023年工作总结") == Frame(2023, False, "上半年")
    assert frame_for((), "plan", [2024], "某局2024年下半年工作要点") == Frame(2024, True, "下半年")
    assert frame_for(("二、下半年工作安排",), "summary", [], None) == Frame(None, True, "下半年")
    assert Frame(None, False, "上半年").period == "上半年"  # no year written: the part alone
    # the span stands on the first line of a wrapped clause, not in the sentence's opening clause
    text = "据统计，截至9月底全县高新技术企业与科技型中小企业等创新主体合计\n达到560家。"
    assert period(text, "560家", Frame(2023, False)) == "截至2023年9月底"
