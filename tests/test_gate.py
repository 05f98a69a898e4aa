"""The name gate (llmx.naming.gate): no name of a kind an analyst refuses is output, whoever
proposed it; a refused name gives way to a clean one or the figure is rejected with why.
Phrasings written for these tests."""

from __future__ import annotations

import pytest

from llmx.naming.gate import gate_names, name_faults, repair_name
from llmx.pipeline.baseline import baseline_extract
from llmx.text.source import clean_text


@pytest.mark.parametrize("name, fault", [
    ("6000万元、", "数值"),
    ("57.58亿元", "数值"),
    ("申报高新技术企业454家，认定数", "标点"),
    ("增速26.6%全市排名", "数值"),
    ("一是全市高新技术产业工业总产值要", "序号"),
    ("】第2页业技术创新基金数", "网页"),
    ("软件和信息技术服务业（含移动", "括号"),
    ("时落实惠企政策，数", "标点"),
    ("相当于地区生产总值的", "虚词"),
    ("全市高新技术产业产值要", "虚词"),
    ("和企业研发投入", "虚词"),
])
def test_the_gate_refuses_what_no_analyst_accepts(name, fault):
    faults = name_faults(name)
    assert faults and any(fault in f for f in faults), faults


@pytest.mark.parametrize("name", [
    "技术合同成交额", "有效高新技术企业数", "5G基站数", "营收超2亿元企业数", "12345热线市民满意率",
    "信息传输、软件和信息技术服务业营收同比增速", "上市企业(含新三板)数", "“互联网+”企业数", "PM2.5年均浓度",
    "R&D经费支出占GDP比重", "公民具备科学素质比例较2020年提高幅度", "18岁以下户籍人口数",
])
def test_the_gate_passes_names_of_the_convention(name):
    assert name_faults(name) == []


@pytest.mark.parametrize("name, repaired", [
    ("二是优化科技专项政策", "优化科技专项政策"),
    ("317家规上科技服务业企业营收", "规上科技服务业企业营收"),
    ("含培育）企业数", None),  # what is left is too short to be a name
    ("推进区电子政务云统一管理平台升级改造工作，整合单位数", "整合单位数"),
])
def test_a_refused_name_is_cut_down_to_the_name_it_holds(name, repaired):
    assert repair_name(name) == repaired


def test_gate_names_keeps_passes_replaces_by_rule_and_refuses_the_rest():
    names = {0: "技术合同成交额", 1: "57.58亿元", 2: "】第2页"}
    kept, by_rule, refused = gate_names(names, {1: "技术合同成交额同比增速", 2: "】第3页"}.get)
    assert kept == {0: "技术合同成交额", 1: "技术合同成交额同比增速"}
    assert by_rule == {1}
    assert set(refused) == {2} and "网页" in refused[2]


def test_a_refused_figure_is_rejected_with_why_and_still_counted():
    source = clean_text("一、工作\n加强科普教育基地建设,新认定基地2家。全年技术合同成交额18.6亿元。", path="a.txt")
    result = baseline_extract(source)
    assert all(not name_faults(i.name) for i in result.indicators)
    assert result.counts.balanced
    assert result.counts.found == len(result.indicators) + len(result.rejected) + len(result.uncovered) + len(result.excluded)


@pytest.mark.parametrize("name, region, expected", [
    ("全区有效高新技术企业数", "某区", "有效高新技术企业数"),
    ("我县全社会研发经费支出", None, "全社会研发经费支出"),
    ("普陀区全社会R&D经费支出占GDP比重", "普陀区", "全社会R&D经费支出占GDP比重"),
    ("全市技术合同成交额", "某市", "技术合同成交额"),   # a city's own report
    ("全市技术合同成交额", "某区", "全市技术合同成交额"),  # in a district's report 全市 is the city
    ("成都高新区全市排名", "成都高新区", "成都高新区全市排名"),  # the district's own rank keeps its subject
    ("全区人数", "某区", "全区人数"),  # a bare measure is no name
])
def test_a_name_does_not_write_the_reporting_district_itself(name, region, expected):
    from llmx.naming.gate import without_own_scope

    assert without_own_scope(name, region) == expected
