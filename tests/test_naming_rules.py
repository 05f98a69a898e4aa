"""Names decided by rule (llmx.naming.rules), on report phrases: tests owed to mutation testing.

Each test reads a phrase the way the pipeline does (the number finder's mention,
then the rule) and checks the name or suffix a reader of the report would give.
"""

from __future__ import annotations

import pytest

from llmx.naming.dependents import dependent_suffix, join_name
from llmx.naming.rules import immediate_lead, rank_suffix, tidy_name
from llmx.finder.numbers import find_numbers


def mention(text: str, span: str):
    found = [m for m in find_numbers(text) if m.text == span]
    assert len(found) == 1, (span, [m.text for m in find_numbers(text)])
    return found[0]


# ---------------------------------------------------------------- immediate_lead


@pytest.mark.parametrize("text, span, lead", [
    ("同比增长9.06%", "9.06%", "同比增长"),                      # the lead runs to the start of the text
    ("全年技术合同成交额达到367.58亿元，同比增长9.06%；", "9.06%", "同比增长"),
    ("营收530.95亿元,增长61.36%", "61.36%", "增长"),
    ("规上工业总产值630.77亿元", "630.77亿元", "规上工业总产值"),
    ("新认定高新技术企业68家", "68家", "新认定高新技术企业"),
    ("科技服务业营收59.63亿元（同比增长5%）", "5%", "同比增长"),
])
def test_immediate_lead_is_the_words_since_the_last_clause_stop(text, span, lead):
    m = mention(text, span)
    assert immediate_lead(text, m.start) == lead


def test_immediate_lead_stops_at_the_floor():
    text = "营收530.95亿元同比增长5%"
    m = mention(text, "5%")
    floor = text.index("同比")
    assert immediate_lead(text, m.start, floor) == "同比增长"
    assert immediate_lead(text, m.start) == "营收530.95亿元同比增长"


# ---------------------------------------------------------------- rank_suffix


@pytest.mark.parametrize("text, span, suffix", [
    ("提升 1.04 个百分点，提高率在中心城区排名第 1。", "中心城区排名第 1", "中心城区排名"),
    ("体量升至全市前五,保持郊区第一;", "郊区第一", "郊区排名"),
    ("郊区第一", "郊区第一", "郊区排名"),                      # the scope at the very start of the text
    ("同比增长11.3%,增速排名全市第6。", "排名全市第6", "全市排名"),
    ("技术合同成交额排名第一", "排名第一", "全市排名"),          # no scope written: the city
])
def test_rank_suffix_takes_the_scope_the_rank_states(text, span, suffix):
    assert rank_suffix(text, mention(text, span)) == suffix


def test_rank_suffix_reads_only_from_the_floor():
    text = "郊区企业增速全市排名第三"
    m = mention(text, "全市排名第三")
    assert rank_suffix(text, m, floor=m.start) == "全市排名"
    assert dependent_suffix(text, m, floor=m.start) == "全市排名"


# ---------------------------------------------------------------- dependent_suffix


@pytest.mark.parametrize("text, span, suffix", [
    # ranks with no subject of their own
    ("有效高企数达1164家,同比增长6.11%,增速排名全市第4;", "排名全市第4", "增速全市排名"),
    ("新认定高新技术企业 68 家，同比增加 7.07%，增幅排名位列全市第 3。", "排名位列全市第 3", "增速全市排名"),
    ("有效高企数同比增长6.11%，全市增速排名第4", "排名第4", "增速全市排名"),
    ("新增上海市高新技术成果转化项目108项,全市第一。", "全市第一", "全市排名"),
    ("全社会研发投入266.18亿元，占GDP达8.87%，郊区第一；", "郊区第一", "郊区排名"),
    # growth and fall rates
    ("全年技术合同成交额达到367.58亿元，同比增长9.06%；", "9.06%", "同比增速"),
    ("规模以上服务业企业营收530.95亿元,增长61.36%", "61.36%", "增幅"),
    ("营收530.95亿元,增速达12%", "12%", "同比增速"),
    ("营收530.95亿元,增幅为3%", "3%", "增幅"),
    ("营收530.95亿元,同比下降5.2%", "5.2%", "同比降幅"),
    ("营收530.95亿元,下降5.2%", "5.2%", "降幅"),
    ("营收530.95亿元,降幅为3%", "3%", "降幅"),
    ("增长20%", "20%", "增幅"),                                  # the lead starts the text
    # percentage points
    ("占GDP比重达到4.11%，提升 1.04 个百分点，", "1.04 个百分点", "提高幅度"),
    ("占GDP比重达到4.11%，下降0.3个百分点", "0.3个百分点", "下降幅度"),
    # the rate of a rise, ranked in a scope: the rank of what rose (naming it is `join_name`'s)
    ("提升 1.04 个百分点，提高率在中心城区排名第 1。", "中心城区排名第 1", "提高率中心城区排名"),
])
def test_a_dependent_figure_is_named_from_its_own_words(text, span, suffix):
    assert dependent_suffix(text, mention(text, span)) == suffix


@pytest.mark.parametrize("text, span", [
    ("有效高企数全市第一", "全市第一"),
    ("全年技术合同成交额达到367.58亿元，同比增长9.06%；", "367.58亿元"),
    ("营收630.77亿元，上升18.7%", "630.77亿元"),
])
def test_a_figure_with_a_subject_of_its_own_is_not_dependent(text, span):
    assert dependent_suffix(text, mention(text, span)) is None


# ---------------------------------------------------------------- join_name


@pytest.mark.parametrize("base, suffix, name", [
    ("技术合同成交额同比增速", "增速全市排名", "技术合同成交额同比增速全市排名"),
    ("营收增幅", "增速全市排名", "营收增幅全市排名"),
    ("营收同比降幅", "增速全市排名", "营收同比降幅全市排名"),
    ("有效高企数", "增速全市排名", "有效高企数增速全市排名"),
    ("营收增幅", "全市排名", "营收增幅全市排名"),
    ("技术合同成交额", "同比增速", "技术合同成交额同比增速"),
])
def test_join_name_says_growth_once(base, suffix, name):
    assert join_name(base, suffix) == name


# ---------------------------------------------------------------- tidy_name


@pytest.mark.parametrize("raw, name", [
    ("技术合同\u200b成交额", "技术合同成交额"),      # a format character
    ("技术合同\u2028成交额", "技术合同成交额"),      # a line separator
    ("技术合同\u2029成交额", "技术合同成交额"),      # a paragraph separator
    ("技术合同\x07成交额", "技术合同成交额"),        # a control character
    ("，技术合同成交额；", "技术合同成交额"),
    ("技术合同成交额。", "技术合同成交额"),
    (" 有效高企数、", "有效高企数"),
    ("专利授权量，占比", "占比"),                  # a copied stretch: the clause nearest the figure
    ("2024年度", ""),                              # nothing but a year: no name
    ("2024年技术合同成交额", "技术合同成交额"),
    ("上市企业(含新三板)数", "上市企业(含新三板)数"),  # the term's own brackets, quotes and 、 stay
    ('支持区"互联网+"企业数', '支持区"互联网+"企业数'),
    ("新增市、区科技小巨人企业数", "新增市、区科技小巨人企业数"),
    ("共享仪器数", "共享仪器数"),                  # 共 of 共享 is not the linking word 共
    ("共计培育企业数", "培育企业数"),
    ("12345热线工单数", "12345热线工单数"),        # a number in a name stays
    ("首席科学家【3:5名】", "首席科学家"),         # the section's mark
    ("实现营收", "营收"),
    ("营收达到", "营收"),
    ("累计实现", "累计实现"),                      # all linking words: kept
    ("技术合同成交额", "技术合同成交额"),
])
def test_tidy_name_cleans_a_model_name(raw, name):
    assert tidy_name(raw, None) == name


@pytest.mark.parametrize("raw, previous, name", [
    ("占GDP", "全社会研发投入", "全社会研发投入占GDP比重"),
    ("占比", "高新技术企业数", "高新技术企业数占比"),
    ("比重", "软件和信息服务业营收", "软件和信息服务业营收比重"),
    ("占GDP", None, "占GDP"),
    ("营收", "全社会研发投入", "营收"),
])
def test_a_share_fragment_gets_the_subject_before_it(raw, previous, name):
    assert tidy_name(raw, previous) == name


@pytest.mark.parametrize("raw, text, span, name", [
    ("全社会研发投入304.45亿元", "全社会研发投入304.45亿元", "304.45亿元", "全社会研发投入"),  # its own figure goes
    ("超13亿元", "完成融资超13亿元", "超13亿元", ""),            # nothing but the figure: no name
    ("市场估值超10亿元的企业数", "30家企业市场估值超10亿元", "30家", "市场估值超10亿元的企业数"),  # a threshold stays
    ("创投一号产业基金", "设立创投一号产业基金1亿元", "1亿元", "创投一号产业基金"),
    ("80项重点工作安排", "80项重点工作安排", "80项", "重点工作安排数"),    # and a count gets 数
    ("有效高企", "有效高企1164家", "1164家", "有效高新技术企业数"),       # N2: short forms written out
    ("服务企业数", "服务企业1200家次", "1200家次", "服务企业家次"),       # a count of visits says so
    ("第39届大赛获奖项目", "获奖项目12个", "12个", "第39届大赛获奖项目数"),  # an ordinal in a name stays
    ("技术合同登记额居全市第二", "技术合同登记额居全市第二", "居全市第二", "技术合同登记额全市排名"),
    ("40余场", "举办路演活动40余场", "40余场", ""),  # the figure with its approx word between number and unit
    ("培训班30多期以上", "开办培训班30多期以上", "30多期以上", "培训班"),
    ("服务企业人次", "服务企业1200家次", "1200家次", "服务企业家次"),  # one measure of visits, not two
])
def test_tidy_name_knows_the_figure_it_names(raw, text, span, name):
    assert tidy_name(raw, None, mention(text, span), text) == name


def test_a_rank_name_says_where_it_ranks():
    text = "有效高企数达1164家,同比增长6.11%,增速排名全市第4;"
    rank, count = mention(text, "排名全市第4"), mention(text, "1164家")
    assert tidy_name("有效高企数增速", None, rank, text) == "有效高新技术企业数增速全市排名"  # N2: written out, for ranks too
    assert tidy_name("有效高企数增速全市排名", None, rank, text) == "有效高新技术企业数增速全市排名"
    assert tidy_name("有效高企数", None, count, text) == "有效高新技术企业数"
    text = "郊区第一"
    assert tidy_name("规上工业总产值", None, mention(text, "郊区第一"), text) == "规上工业总产值郊区排名"
    text = "郊区企业增速全市排名第三"  # the section starts at the rank: the words before are not read
    rank = mention(text, "全市排名第三")
    assert tidy_name("规上工业总产值增速", None, rank, text, floor=rank.start) == "规上工业总产值增速全市排名"
