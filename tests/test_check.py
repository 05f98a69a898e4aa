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
    assert len(rejected) == 1 and "3668" in rejected[0].reason and rejected[0].claim["value"] == "1234"
    assert [u.value for u in uncovered] == [3668.0]
    for ind in indicators:
        assert TEXT[ind.start:ind.end] == ind.quote
    assert uncovered[0].text == TEXT[uncovered[0].start:uncovered[0].end] == "超3668家"


def test_a_failed_section_is_rejected_whole_and_all_its_quantities_uncovered():
    source, work = _work()
    indicators, rejected, uncovered = assemble(source, work, None, failure="no valid answer")
    assert indicators == [] and rejected[0].reason == "no valid answer"
    assert len(uncovered) == len(work.mentions)
