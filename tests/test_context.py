import pytest

from llmx.context import Frame, baseline_name, clause_before, frame_for, kind_of, period_of

SUMMARY = Frame(2024, planning=False)
PLAN = Frame(2025, planning=True)


def at(text: str, needle: str) -> int:
    return text.index(needle)


@pytest.mark.parametrize(
    "text, needle, lead",
    [
        ("区科委工作成效显著，新认定高新技术企业68家，同比增加7.07%", "68家", "新认定高新技术企业"),
        ("全年技术合同成交额达到367.58亿元，同比增长9.06%", "9.06%", "同比增长"),
        ("营收630.77亿元，上升18.7%", "18.7%", "营收630.77亿元，上升"),
        ("其中，完成28家企业认定", "28家", "其中，完成"),
    ],
)
def test_clause_before(text, needle, lead):
    i = at(text, needle)
    assert text[clause_before(text, i) : i] == lead


@pytest.mark.parametrize(
    "text, needle, frame, kind",
    [
        ("新认定高新技术企业45家，力争60家", "60家", SUMMARY, "target"),
        ("力争全年传播科普资源超200万次", "200万次", SUMMARY, "target"),
        ("新认定高新技术企业68家", "68家", SUMMARY, "actual"),
        ("新增科技小巨人企业20家", "20家", PLAN, "target"),
        ("截至2024年底，累计培育企业148家", "148家", PLAN, "actual"),
    ],
)
def test_kind(text, needle, frame, kind):
    assert kind_of(text, at(text, needle), frame) == kind


@pytest.mark.parametrize(
    "text, needle, frame, period",
    [
        ("2024年(1-11月),规上软信业实现营收646.6亿元", "646.6亿元", SUMMARY, "2024年1-11月"),
        ("1-11月，园区规上工业总产值630.77亿元", "630.77亿元", SUMMARY, "2024年1-11月"),
        ("截至2024年底，有效高企数达1164家", "1164家", SUMMARY, "截至2024年底"),
        ("2023年普陀区全社会R&D经费支出占GDP比重达到4.11%", "4.11%", SUMMARY, "2023"),
        ("新认定高新技术企业68家", "68家", SUMMARY, "2024"),
        ("新认定高新技术企业68家", "68家", Frame(None, False), None),
    ],
)
def test_period(text, needle, frame, period):
    assert period_of(text, at(text, needle), frame) == period


def test_frame_from_part_heading_and_doc_kind():
    assert frame_for(("2025年工作要点", "一、目标"), "summary_and_plan", [2024, 2025]) == Frame(2025, True)
    assert frame_for(("2024年工作总结",), "summary_and_plan", [2024, 2025]) == Frame(2024, False)
    assert frame_for(("一、目标",), "plan", [2022]) == Frame(2022, True)
    assert frame_for((), "summary", [2023]) == Frame(2023, False)


@pytest.mark.parametrize(
    "clause, name",
    [("新认定高新技术企业", "新认定高新技术企业"), ("全年技术合同成交额达到", "技术合同成交额"), ("同比增长", "同比增长")],
)
def test_baseline_name(clause, name):
    assert baseline_name(clause) == name


@pytest.mark.parametrize("clause, after, unit, name", [
    ("建成", "基础研究中心", "个", "基础研究中心数"),
    ("新认定高新技术企业", "", "家", "新认定高新技术企业数"),
    ("技术合同成交额达到", "", "亿元", "技术合同成交额"),
    ("举办", "科普活动", "场", "科普活动数"),
    ("服务企业", "", "人次", "服务企业人次"),  # a count of visits says so
    ("发明专利授权量", "", "件", "发明专利授权量"),
])
def test_baseline_name_takes_the_counted_noun_after_a_bare_verb_and_the_measure_of_a_count(clause, after, unit, name):
    assert baseline_name(clause, after, unit) == name
