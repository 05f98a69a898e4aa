"""Shapes of report text, each a named pattern tested here on phrasings of our own (first seen in
a held-out set, eval/holdout5, written by a labeller who never read llmx):
a table inside a hard-wrapped copy, cases counted in 起, a rank against a named city or
province, a report titled `…关于…工作情况的报告`, a plan part headed `工作打算`, funds won from
above in a summary, a plan's baseline, and a year or level a figure is compared with."""

from __future__ import annotations

import pytest

from llmx.pipeline.extract import baseline_extract
from llmx.naming.context import Frame, kind_of, period_of
from llmx.pipeline.meta import doc_kind, regex_meta
from llmx.finder.numbers import find_numbers
from llmx.text.source import clean_text


def _figures(text: str) -> list[tuple[str, float, str | None, str]]:
    return [(m.text, m.value, m.unit, m.category) for m in find_numbers(text)]


def test_a_table_in_a_hard_wrapped_copy_keeps_its_rows():
    prose = "全县研发经费投入持续增长，规上工业企业研发活动覆盖率稳步提高，创新主体不断壮\n" * 6
    table = "指标 2023年 2024年 增长率（%）\n科技型企业（家） 512 618 20.7\n技术合同成交额（亿元） 31.2 40.5 29.8\n"
    source = clean_text(prose + table, "t.txt")
    assert "20.7\n技术合同成交额（亿元） 31.2 40.5 29.8" in source.text  # not 20.7技术合同…
    rows = baseline_extract(source).indicators
    assert {(i.value, i.unit) for i in rows} >= {(31.2, "亿元"), (40.5, "亿元"), (512, "家"), (618, "家")}


def test_cases_are_counted_in_起_and_together_is_no_figure():
    assert _figures("查处侵权案件26起，移送公安机关2起。") == [
        ("26起", 26.0, "起", "quantity"), ("2起", 2.0, "起", "quantity")]
    assert _figures("大家一起推进。") == []
    names = {i.value: i.name for i in baseline_extract(clean_text("一、成效\n\n查处侵权案件26起。\n", "t.txt")).indicators}
    assert names[26] == "查处侵权案件数"


@pytest.mark.parametrize("text, span, value", [
    ("成交额总量居嘉兴市各区、县（市）首位。", "居嘉兴市各区、县（市）首位", 1),
    ("增量居烟台市第三位。", "居烟台市第三位", 3),
    ("综合排名位列江苏省县（市、区）第五。", "排名位列江苏省县（市、区）第五", 5),
])
def test_a_rank_against_a_named_city_or_province_is_a_rank(text, span, value):
    assert (span, float(value), "名", "rank") in _figures(text)


def test_a_named_scope_needs_its_verb():
    assert ("全市第一", 1.0, "名", "rank") in _figures("年度考核全市第一")  # not `考核全市第一`


def test_a_report_titled_by_its_issuer_and_关于_is_read():
    head = "临安区科学技术局\n\n临科字〔2025〕2号\n\n临安区科学技术局\n关于2024年度科技创新工作情况的报告\n\n区人民政府：\n"
    meta = regex_meta(head)
    assert meta.title == "临安区科学技术局关于2024年度科技创新工作情况的报告"
    assert meta.kind == "summary" and meta.years == [2024]
    assert regex_meta("关于印发2025年工作要点的通知\n").title is None  # a notice is no title


@pytest.mark.parametrize("title, kind", [
    ("某县科协2024年工作总结和2025年工作打算", "summary_and_plan"),
    ("某区2025年科技工作设想", "plan"),
    ("某局关于2024年工作开展情况的报告", "summary"),
    ("某局2024年工作总结", "summary"),
])
def test_the_kind_of_report_from_its_title(title, kind):
    assert doc_kind(title) == kind


def test_a_plan_part_headed_工作打算_plans_the_year():
    text = "某县科协2024年工作总结和2025年工作打算\n\n一、2024年工作\n\n开展科普活动800场。\n\n二、2025年工作打算\n\n开展科普活动不少于900场。\n"
    result = baseline_extract(clean_text(text, "t.txt"))
    by_value = {i.value: (i.kind, i.period) for i in result.indicators}
    assert by_value[800] == ("actual", "2024") and by_value[900] == ("target", "2025")


SUMMARY = Frame(year=2024, planning=False)
PLAN = Frame(year=2025, planning=True)


@pytest.mark.parametrize("text, figure, frame, kind", [
    ("全年争取上级科技资金1.35亿元。", "1.35亿", SUMMARY, "actual"),  # funds won in a summary
    ("争取国家级项目经费2000万元，兑现政策资金4.1亿元。", "4.1亿", SUMMARY, "actual"),
    ("争取新增高新技术企业50家。", "50家", SUMMARY, "target"),  # aiming at firms is a goal
    ("争取上级科技资金1.5亿元。", "1.5亿", PLAN, "target"),  # in a plan it is one
    ("在2024年成交额达到132.6亿元的基础上，力争增长10%。", "132.6亿", PLAN, "actual"),  # a plan's baseline
    ("在2024年成交额达到132.6亿元的基础上，力争增长10%。", "10%", PLAN, "target"),
])
def test_the_kind_of_funds_won_and_of_a_plans_baseline(text, figure, frame, kind):
    assert kind_of(text, text.index(figure), frame) == kind


@pytest.mark.parametrize("text, figure, period", [
    ("公民科学素质比例较2023年提高1.9个百分点。", "1.9", "2024"),  # a year compared with is no period
    ("马德里国际注册商标新增37件，是2023年的1.6倍。", "1.6", "2024"),
    ("有效高新技术企业较2023年底的605家净增107家。", "605", "截至2023年底"),  # a level named for an earlier point
    ("有效高新技术企业较2023年底的605家净增107家。", "107", "2024"),
    ("入选7人，较上年的3人增加4人。", "3人", "2023"),
    ("2023年新增企业52家。", "52", "2023"),
])
def test_a_year_a_figure_is_compared_with_is_not_its_period(text, figure, period):
    assert period_of(text, text.index(figure), SUMMARY) == period
