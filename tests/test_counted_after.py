"""Counts whose object stands after the number (`llmx.naming.rules.counted_after`) and the measure a
unit gives a name (`llmx.naming.context.with_measure`), on phrasings of our own, not the seeds'."""

from __future__ import annotations

import pytest

from llmx.naming.context import with_measure
from llmx.naming.rules import counted_after, immediate_lead
from llmx.finder.numbers import find_numbers


def named(text: str, figure: str) -> str | None:
    m = next(m for m in find_numbers(text) if m.text.strip() == figure)
    return counted_after(text, m, immediate_lead(text, m.start), len(text))


@pytest.mark.parametrize("text, figure, name", [
    # the count opens its clause: the deed after the object comes first in the name
    ("全年培育企业120家，其中15家企业通过国家级专精特新认定", "15家", "通过国家级专精特新认定企业数"),
    ("新建众创空间6个，3个众创空间获评市级示范", "3个", "获评市级示范众创空间数"),
    ("12人入选省级青年人才计划", "12人", "入选省级青年人才计划人数"),
    ("12名博士入选省级青年人才计划", "12名", "入选省级青年人才计划博士人数"),
    ("已有28个项目签约落地", "28个", "签约落地项目数"),
    # an example list, a bare verb, a year inside the deed
    ("华为、中兴等12家企业入驻科创园", "12家", "入驻科创园企业数"),
    ("帮助36家小微企业获得首贷", "36家", "获得首贷小微企业数"),
    ("7家单位获得2023年度省科学技术奖", "7家", "获得省科学技术奖单位数"),
    # a deed written as a noun after 的
    ("完成14个老旧小区的适老化改造", "14个", "完成适老化改造的老旧小区数"),
    # a verb of recommending, a batch word after the verb
    ("推荐12家企业申报省级工程技术研究中心", "12家", "申报省级工程技术研究中心企业数"),
    ("认定首批8个“未来工厂”", "8个", "“未来工厂”数"),
    ("授牌第二批15个科普基地", "15个", "科普基地数"),
    ("推广首批8个“未来工厂”", "8个", None),  # not a verb that only reports the act
    # nothing done to it: the object alone, with its measure
    ("针对40个村居", "40个", "村居数"),
    ("开展科普讲座52场", "52场", None),  # the object stands before the number: not this rule's
    ("累计服务企业1800家次", "1800家次", None),
    # two counts joined by 和: neither name keeps the link, the second's object is its own
    ("4个团队和12名学生获全国大赛奖项", "4个", "团队数"),
    ("全年完成3个试点项目和5个示范工程", "5个", "示范工程数"),
    ("建成2个中试基地及6个概念验证中心", "6个", "概念验证中心数"),
    # what was done is named without its 已; three words before the count are a verb of their
    # own; a deed after 的 takes the verb before the count only where it is 完成
    ("15家企业已通过国家级认定", "15家", "通过国家级认定企业数"),
    ("关停了9个老旧系统", "9个", None),
    ("推动14个老旧小区的适老化改造", "14个", "适老化改造的老旧小区数"),
    # a clause in 的 before the count says what its object, after the number, is or did
    ("5家单位参与的12个项目荣获省科技进步奖", "12个", "荣获省科技进步奖项目数"),
    ("与全球9个国家的20家高校签订合作协议", "20家", "签订合作协议高校数"),
    ("区科技局承担的六项任务全面完成", "六项", "全面完成任务数"),
    # ... but not a base of comparison, whose figure is named by what comes before it
    ("孵化载体由上年的6个增至9个", "6个", None),
    ("有效高新技术企业较上年的120家增加30家", "120家", None),
])
def test_counted_after(text, figure, name):
    assert named(text, figure) == name


def test_counted_after_leaves_what_has_a_subject_before_it():
    assert named("全区新认定高新技术企业213家", "213家") is None
    assert named("技术合同成交额197.54亿元，同比增长49.8%", "197.54亿元") is None  # not a count


@pytest.mark.parametrize("name, unit, out", [
    ("双创活动", "场", "双创活动场次"),
    ("试点项目和", "个", "试点项目数"),  # the link to the next count goes
    ("中试基地及", "个", "中试基地数"),
    ("科普讲座数", "场", "科普讲座场次"),
    ("入库", "批", "入库批数"),
    ("专题报道", "篇", "专题报道篇数"),
    ("科技特派员", "人", "科技特派员人数"),
    ("专家数", "名", "专家人数"),
    ("新引进人才", "人", "新引进人才数"),
    ("参训人数", "人", "参训人数"),
    ("孵化器", "家", "孵化器数"),
    ("服务企业数", "家次", "服务企业家次"),
    ("博士后工作站", "个", "博士后工作站数"),
    ("国家重点实验室数量", "个", "国家重点实验室数"),   # a count's measure is 数, not 数量
    ("科普活动参与人数", "万人次", "科普活动参与人次"),  # 万人次 measures 人次
    ("线上观看", "万人", "线上观看人数"),
    ("技术合同成交额", "亿元", "技术合同成交额"),
])
def test_with_measure_by_the_conventions_measures(name, unit, out):
    assert with_measure(name, unit) == out
