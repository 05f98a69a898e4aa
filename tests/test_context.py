import pytest

from llmx.naming.context import Frame, baseline_name, clause_before, frame_for, kind_of, period_of

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
    ("举办", "科普活动", "场", "科普活动场次"),
    ("服务企业", "", "人次", "服务企业人次"),  # a count of visits says so
    ("发明专利授权量", "", "件", "发明专利授权量"),
])
def test_baseline_name_takes_the_counted_noun_after_a_bare_verb_and_the_measure_of_a_count(clause, after, unit, name):
    assert baseline_name(clause, after, unit) == name


# Labelling decision 6 and its notes, on phrasings not in the seeds.
@pytest.mark.parametrize(
    "text, needle, period",
    [
        # a span that opens the sentence holds across its semicolons, up to the full stop
        ("1-9月，全区规上工业产值812.3亿元；规上服务业营收402.1亿元。", "402.1亿元", "2024年1-9月"),
        ("截至2024年6月底，累计孵化企业320家；在孵企业186家。", "186家", "截至2024年6月底"),
        # ...but one in the middle of a sentence stops at its semicolon, and a full stop ends any
        ("新增企业12家，1-9月，规上企业营收88亿元；5家企业获评专精特新", "5家", "2024"),
        ("1-9月，规上企业营收88亿元。新增企业12家", "12家", "2024"),
        # 目前 and 全年 say the report's own year and end the span before them
        ("2023年10月至2024年9月认定技术合同512项；全年新增孵化器3家", "3家", "2024"),
        ("截至2024年底，有效发明专利1.2万件；目前已建成众创空间41家", "41家", "2024"),
        ("截至目前，全区备案众创空间41家", "41家", "2024"),
        # a year inside a title is the title's
        ("印发《关于加快科创园区建设的若干意见（2021—2023年）》，新建园区4个", "4个", "2024"),
        # the year of an award, a grant or a programme's batch is part of its name
        ("11项成果获得2023年度省科学技术奖", "11项", "2024"),
        ("向26家企业兑现2023年度研发费用补助资金1830万元", "1830万元", "2024"),
        ("2022年度区级科技计划项目结题验收57项", "57项", "2024"),
        # a statistic the report dates itself keeps the year
        ("2023年全区研发经费投入强度达3.92%", "3.92%", "2023"),
        ("2023年度全区技术合同成交额达45.6亿元", "45.6亿元", "2023"),
    ],
)
def test_period_by_the_sentence(text, needle, period):
    assert period_of(text, at(text, needle), SUMMARY) == period


def test_period_words_without_a_report_year():
    none = Frame(None, False)
    assert period_of("全年新增孵化器3家", 6, none) is None
    assert period_of("截至目前，全区备案众创空间41家", 13, none) == "截至目前"
