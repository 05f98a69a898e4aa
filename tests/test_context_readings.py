"""Readings of the text around a number (llmx.naming.context), on report phrases: tests owed to
mutation testing (the lead and tail of a figure, its frame, kind and period, the baseline name)."""

from __future__ import annotations

import pytest

from llmx.naming.context import Frame, baseline_name, clause_after, clause_before, frame_for, kind_of, period_of, sentence_before

SUMMARY = Frame(2024, planning=False)


def lead(text: str, needle: str, floor: int = 0) -> str:
    i = text.index(needle)
    return text[clause_before(text, i, floor) : i]


def tail(text: str, after: str, ceiling: int | None = None) -> str:
    e = text.index(after) + len(after)
    return text[e : clause_after(text, e, ceiling)]


# ---------------------------------------------------------------- clause_before


def test_a_table_cell_at_a_line_start_has_no_lead():
    assert lead("高新技术企业数（家）\n1164", "1164") == ""
    assert lead("新认定高新技术企业68家。15家", "15家") == ""


def test_a_short_clause_reaches_back_but_not_past_the_floor():
    text = "营收530亿元，增长5%"
    assert lead(text, "5%") == "营收530亿元，增长"
    assert lead(text, "5%", floor=text.index("，")) == "，增长"  # the figure before is not read


def test_a_long_clause_is_cut_to_thirty_characters():
    text = "区科委联合市科委区内高校和园区共同组织开展的面向全区中小企业的科技创新政策宣讲培训活动覆盖企业1200家"
    assert len(lead(text, "1200家")) == 30
    assert lead(text, "1200家").endswith("活动覆盖企业")


# ---------------------------------------------------------------- clause_after


@pytest.mark.parametrize("text, after, words", [
    ("2024年全区共有115家院士专家工作站（其中8家院士工作站）", "115家", "院士专家工作站"),
    ("建成10个基础研究中心2个", "10个", "基础研究中心"),          # stops at the next figure
    ("共有115家位于全区各个街镇的科技企业孵化器和众创空间等载体", "115家", "位于全区各个街镇的科技企业孵化"),  # 15 at most
    ("新增孵化器3家，", "3家", ""),
    ("新增孵化器3家", "3家", ""),
])
def test_clause_after_is_the_words_right_after_the_figure(text, after, words):
    assert tail(text, after) == words


def test_clause_after_stops_at_the_ceiling():
    text = "建成10个基础研究中心"
    e = text.index("个") + 1
    assert tail(text, "10个", ceiling=e + 4) == "基础研究"
    assert text[e : clause_after(text, e, None)] == "基础研究中心"


# ---------------------------------------------------------------- sentence_before, kind_of, period_of


def test_sentence_before_reads_back_to_the_sentence_start():
    assert sentence_before("力争新认定60家", 5) == "力争新认定"
    assert sentence_before("新认定高新技术企业68家。\n15家", 14) == ""
    text = "截至2024年底，有效高企数达1164家"
    assert sentence_before(text, text.index("1164")) == "截至2024年底，有效高企数达"


def test_frame_without_years():
    assert frame_for((), "plan", []) == Frame(None, True)
    assert frame_for((), "summary", []) == Frame(None, False)
    assert frame_for(("一、主要目标",), "summary_and_plan", [2024, 2025]) == Frame(2024, False)


def test_kind_of_reads_no_cue_before_the_floor():
    text = "计划新增孵化器3家，新认定高新技术企业68家"
    start = text.index("68")
    assert kind_of(text, start, SUMMARY) == "target"
    assert kind_of(text, start, SUMMARY, floor=text.index("，")) == "actual"


@pytest.mark.parametrize("text, needle, frame, period", [
    ("截至2024年，全区有效高企数达1164家", "1164", SUMMARY, "截至2024年"),      # the longer of two spans ending together
    ("截至目前，2025年新增企业68家", "68", SUMMARY, "2025"),                     # the last span
    ("2024年1-11月同比增长，截至目前累计完成68家", "68", SUMMARY, "2024"),       # decision 6: 截至目前 is the report's year
    ("截至目前，已汇聚硬科技企业4300余家", "4300", SUMMARY, "2024"),
    ("截至目前，已汇聚硬科技企业4300余家", "4300", Frame(None, False), "截至目前"),
    ("2024年1至11月，全区营收646.6亿元", "646.6", SUMMARY, "2024年1-11月"),
    ("1至11月，全区营收646.6亿元", "646.6", SUMMARY, "2024年1-11月"),
])
def test_period_of_takes_the_last_span_of_the_sentence(text, needle, frame, period):
    assert period_of(text, text.index(needle), frame) == period


def test_period_of_reads_no_span_before_the_floor():
    text = "2023年全区新认定高新技术企业68家"
    start = text.index("68")
    assert period_of(text, start, SUMMARY) == "2023"
    assert period_of(text, start, SUMMARY, floor=text.index("全区")) == "2024"


# ---------------------------------------------------------------- baseline_name


@pytest.mark.parametrize("clause, after, name", [
    ("新增", "", "新增"),                                    # nothing left: the clause as it came
    ("达到", "", ""),
    ("，新认定高新技术企业、", "", "新认定高新技术企业"),
    ("新认定高新技术企业", "院士专家工作站", "新认定高新技术企业"),
    ("营收", "家企业", "营收"),                                # a two-character subject is a name
    ("新增", "基础研究中心", "基础研究中心"),                   # only a verb before: the words after
])
def test_baseline_name(clause, after, name):
    assert baseline_name(clause, after) == name
    if not after:
        assert baseline_name(clause) == name
