"""The cross-check and the assembly of a section's answer, without a model."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from llmx.check import item_problems, value_matches
from llmx.extract import assemble, section_work
from llmx.models import Meta
from llmx.numbers import find_quantities
from llmx.schema import Item, SectionAnswer
from llmx.sections import split_sections
from llmx.source import clean_text

TEXT = "闵行区科学技术委员会2024年工作总结\n一、主要目标完成情况\n全年技术合同成交额达到367.58亿元，同比增长9.06%；有效期内高新技术企业数超3668家。\n"


def mention(text: str):
    (m,) = find_quantities(text)
    return m


@pytest.mark.parametrize(
    "claimed, text, ok",
    [
        ("367.58", "成交额367.58亿元", True),
        ("367.58亿", "成交额367.58亿元", True),
        ("36758000000", "成交额367.58亿元", True),  # the magnitude applied
        ("367.5", "成交额367.58亿元", False),
        ("3668", "企业数超3668家", True),
        ("3", "新认定三批", True),
        ("三", "新认定三批", True),
        ("", "企业数超3668家", False),
        ("很多", "企业数超3668家", False),
    ],
)
def test_value_matches(claimed, text, ok):
    assert value_matches(claimed, mention(text)) is ok


def test_an_id_not_on_the_list_is_a_problem():
    problems = item_problems(7, "1", "名称", {1: mention("企业数超3668家")})
    assert problems and "7" in problems[0]


def test_a_wrong_value_is_a_problem_that_quotes_the_right_one():
    (problem,) = item_problems(1, "3667", "高企数", {1: mention("企业数超3668家")})
    assert "3668" in problem and "3667" in problem


def test_the_schema_validator_raises_with_every_problem_for_the_reask():
    mentions = {1: mention("企业数超3668家"), 2: mention("增长9.06%")}
    items = [{"id": 1, "value": "3668", "name": "a"}, {"id": 9, "value": "1", "name": "b"},
             {"id": 1, "value": "3668", "name": "c"}]
    with pytest.raises(ValidationError) as info:
        SectionAnswer.model_validate({"items": items}, context={"mentions": mentions})
    message = str(info.value)
    assert "id 9" in message and "重复" in message
    # Without the context (a cached answer being reloaded) nothing is checked.
    assert len(SectionAnswer.model_validate({"items": items}).items) == 3


def _work():
    source = clean_text(TEXT, path="t.txt")
    works = [w for w in section_work(source, split_sections(source, 600).sections, Meta(years=[2024])) if w.mentions]
    (work,) = works
    return source, work


def test_assemble_keeps_checked_items_rejects_the_rest_and_reports_what_is_left():
    source, work = _work()
    listed = {n: work.mentions[i] for n, i in enumerate(work.asked, start=1)}
    by_value = {m.value: n for n, m in listed.items()}
    answer = SectionAnswer(items=[
        Item(id=by_value[367.58], value="367.58", name="技术合同成交额"),
        Item(id=by_value[3668.0], value="1234", name="高新技术企业数"),  # wrong value
    ])
    indicators, rejected, uncovered = assemble(source, work, answer)
    names = {i.name: i for i in indicators}
    assert names["技术合同成交额"].value == 367.58 and names["技术合同成交额"].unit == "亿元"
    # the growth rate hangs on the amount before it and is named by rule
    growth = [i for i in indicators if i.unit == "%"]
    assert growth and growth[0].named_by == "rule" and growth[0].name == "技术合同成交额同比增速"
    # the figure whose claim failed is rejected, with its span, and not also uncovered
    assert len(rejected) == 1 and "3668" in rejected[0].reason and rejected[0].claim["value"] == "1234"
    assert rejected[0].is_figure and rejected[0].text == TEXT[rejected[0].start:rejected[0].end] == "超3668家"
    for ind in indicators:
        assert TEXT[ind.start:ind.end] == ind.quote
        assert TEXT[ind.figure_start:ind.figure_end] in ind.quote
    assert {u.value for u in uncovered}.isdisjoint({3668.0, 367.58})
    assert len(indicators) + len(rejected) + len(uncovered) == len(work.mentions)


def test_a_claim_on_no_figure_is_rejected_without_a_span_and_leaves_the_figures_alone():
    source, work = _work()
    answer = SectionAnswer(items=[Item(id=99, value="1", name="x")])
    indicators, rejected, uncovered = assemble(source, work, answer)
    assert indicators == [] and len(rejected) == 1 and not rejected[0].is_figure
    assert len(uncovered) == len(work.mentions)


def test_a_name_holding_a_number_the_text_lacks_is_rejected():
    source, work = _work()
    listed = {n: work.mentions[i] for n, i in enumerate(work.asked, start=1)}
    by_value = {m.value: n for n, m in listed.items()}
    answer = SectionAnswer(items=[
        Item(id=by_value[367.58], value="367.58", name="九十九万九千家企业"),
        Item(id=by_value[3668.0], value="3668", name="增长率 1e9"),
    ])
    indicators, rejected, _ = assemble(source, work, answer)
    assert indicators == []
    assert sorted(r.value for r in rejected) == [367.58, 3668.0]
    assert all("原文没有的数字" in r.reason for r in rejected)


@pytest.mark.parametrize("name, text, ok", [
    ("伪造指标GDP9", "全区GDP增长5%", False),
    ("5G基站数", "新建5G基站120个", True),
    ("十四五规划项目数", "“十四五”规划项目30个", True),
    ("两新组织数", "两新组织12家", True),
    ("九十九万九千家企业", "企业999家", False),
    ("R&D经费投入强度", "R&D经费投入强度4.5%", True),
    ("2024年营收", "营收20亿元", False),
])
def test_name_problems_flag_numbers_the_text_lacks(name, text, ok):
    from llmx.check import name_problems

    assert (name_problems(name, text) == []) is ok


def test_a_failed_section_rejects_every_figure_it_asked_about():
    source, work = _work()
    indicators, rejected, uncovered = assemble(source, work, None, failure="no valid answer")
    assert indicators == [] and all(r.reason == "no valid answer" and r.is_figure for r in rejected)
    assert len(rejected) == len(work.asked)
    assert len(rejected) + len(uncovered) == len(work.mentions)
