"""Shapes of report text as web pages and document sites copy it: a percent sign lost after a
rate, a gloss in brackets between a measure and its number, a month span spaced out, a head
that names its place only in passing, a goal met rather than set. Each is tested on phrasings
written for these tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from llmx.finder.numbers import find_numbers
from llmx.naming.context import Frame, clause_before, kind_and_rule, period_and_rule
from llmx.pipeline.extract import baseline_extract
from llmx.pipeline.meta import doc_kind, doc_years, regex_meta
from llmx.text.head import is_place
from llmx.text.source import clean_text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from grounding import unit_stated  # noqa: E402


def quantities(text: str) -> list[tuple[float, str | None]]:
    return [(m.value, m.unit) for m in find_numbers(text) if m.category == "quantity"]


# -- a percent sign the copy lost ---------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("销售收入完成80亿元，同比增长17.5，高于全省平均。", 17.5),
    ("装备制造业产值42亿元，占全区规模以上工业总产值的31.2，增长9。", 31.2),
    ("财政收入增长8以上。", 8.0),
    ("出口额下降4.6；进口额持平。", 4.6),
])
def test_a_bare_number_after_a_rate_or_a_share_is_a_percentage(text, value):
    assert (value, "%") in quantities(text)


@pytest.mark.parametrize("text, reading", [
    ("销售收入增长3倍，", (3.0, "倍")),
    ("新增企业增长12家，", (12.0, "家")),
    ("增长17.5%，", (17.5, "%")),
    ("从业人员200人，其中研发人员58，", (58.0, None)),  # no rate before it: the unit stays unknown
])
def test_a_number_with_its_own_unit_or_without_a_rate_keeps_what_it_says(text, reading):
    assert reading in quantities(text)


def test_a_rate_at_a_line_break_is_left_unit_less():
    """A line break after the number may be a page break that carried the sign away: no guess."""
    assert (6.5, None) in quantities("预算收入增长6.5\n\n3、%；其他")


def test_the_independent_check_accepts_a_lost_percent_sign_only_after_a_rate():
    assert unit_stated("%", "同比增长17.5", after="，高于")
    assert unit_stated("%", "占全区总产值的31.2", after="，增长")
    assert not unit_stated("%", "研发人员58", after="，")
    assert not unit_stated("%", "同比增长17.5", after="万元")


# -- a gloss in brackets before the number ------------------------------------------------------

@pytest.mark.parametrize("text, name", [
    ("全县实现地区生产总值（GDP）318.6亿元，增长5.2%。", "地区生产总值"),
    ("全年技术合同成交额(登记额)12.3亿元。", "技术合同成交额"),
    ("认定市级以上众创空间（星创天地）14家。", "众创空间"),
])
def test_a_gloss_before_a_number_leaves_its_name_whole(text, name):
    result = baseline_extract(clean_text(text, "gloss.txt"))
    assert not [r for r in result.rejected if r.start is not None]
    assert any(name in ind.name for ind in result.indicators if ind.unit != "%")


def test_a_gloss_is_read_only_right_before_the_number():
    text = "新增（含迁入）企业，全年共计认定52家"
    start = text.index("52")
    assert text[clause_before(text, start):start] == "全年共计认定"


# -- spans and goals ----------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, period", [
    ("1~12 月实际使用外资 2.6 亿美元", "1-12月"),
    ("1 - 9 月完成投资 31 亿元", "1-9月"),
    ("1～6月完成投资31亿元", "1-6月"),
])
def test_a_month_span_spaced_or_with_a_tilde_is_the_figure_s_period(sentence, period):
    start = sentence.index(next(ch for ch in sentence[sentence.index("月"):] if ch.isdigit()), sentence.index("月"))
    got, rule = period_and_rule(sentence, start, Frame(None, False))
    assert (got.replace("～", "-").replace("~", "-"), rule) == (period, "period.span")


@pytest.mark.parametrize("sentence, kind", [
    ("圆满实现了年初确定的目标，技术合同成交额达到6.2亿元", "actual"),
    ("专利授权412件，占全年目标任务的128%", "actual"),
    ("全年目标：技术合同成交额达到8亿元", "target"),
    ("力争技术合同成交额达到8亿元", "target"),
])
def test_a_goal_met_is_no_cue_of_a_goal_ahead(sentence, kind):
    start = max(sentence.rindex("6.2") if "6.2" in sentence else -1, sentence.rindex("8") if "8" in sentence else -1,
                sentence.rindex("128") if "128" in sentence else -1)
    assert kind_and_rule(sentence, start, Frame(2024, False))[0] == kind


# -- the head ------------------------------------------------------------------------------------

@pytest.mark.parametrize("place, named, ok", [
    ("南山区", True, True), ("苏州工业园区", True, True), ("历下区", True, True),
    ("年全区", True, False), ("了该区", True, False), ("政府区", True, False),
    ("全区", False, False), ("城区", False, False), ("龙华区", False, True),
])
def test_a_place_is_a_name_not_a_piece_of_prose(place, named, ok):
    assert is_place(place, named=named) is ok


def test_a_head_whose_first_place_is_prose_reads_the_place_it_names():
    head = "2023年全区经济运行情况通报会召开\n会上，区长通报了该区经济运行情况。\n"
    assert regex_meta(head, "", head + "桂园区全年地区生产总值增长6%。").region != "年全区"


@pytest.mark.parametrize("title, years", [
    ("推进科技创新三年行动方案（2024—2026年）", [2024, 2025, 2026]),
    ("2023-2027年数字经济发展规划", [2023, 2024, 2025, 2026, 2027]),
    ("2024年工作总结和2025年工作思路", [2024, 2025]),
    ("1990-2024年统计资料汇编", [1990, 2024]),  # a span of decades is a series, not a plan's years
])
def test_a_plan_covers_every_year_of_its_span(title, years):
    assert doc_years(title) == years


@pytest.mark.parametrize("title, kind", [
    ("2022年工作回顾", "summary"),
    ("一季度重点任务完成情况", "summary"),
    ("2025年工作要点", "plan"),
])
def test_a_review_or_a_completion_report_is_a_summary(title, kind):
    assert doc_kind(title) == kind


# -- lists given respectively ---------------------------------------------------------------------

def names_of(text: str) -> dict[float, str]:
    return {ind.value: ind.name for ind in baseline_extract(clean_text(text, "list.txt")).indicators}


def test_rates_given_respectively_name_the_items_of_the_clause_before():
    names = names_of("专精特新企业、创新型中小企业达到315家、820家，分别增长12.5%、30.2%。")
    assert names[315] == "专精特新企业数" and names[820] == "创新型中小企业数"
    assert names[12.5] == "专精特新企业增幅" and names[30.2] == "创新型中小企业增幅"


@pytest.mark.parametrize("text, expected", [
    ("PM2.5、PM10平均浓度分别为31μg/m3、52μg/m3。", {31: "PM2.5平均浓度", 52: "PM10平均浓度"}),
    ("市级、区级众创空间分别达9家、16家。", {9: "市级众创空间数", 16: "区级众创空间数"}),
    ("第一、二产业投资分别为4.5亿元、18亿元。", {4.5: "第一产业投资", 18: "第二产业投资"}),
])
def test_items_that_share_a_measure_each_take_it(text, expected):
    names = names_of(text)
    assert {v: names[v] for v in expected} == expected


def test_a_list_of_items_and_a_list_of_figures_pair_up_without_fenbie():
    names = names_of("新认定国家级、省级研发机构7家、23家。")
    assert names[7] == "新认定国家级研发机构数" and names[23] == "新认定省级研发机构数"


def test_lists_that_do_not_pair_up_are_left_to_the_clause():
    names = names_of("新认定国家级、省级研发机构共30家、专利授权420件。")
    assert names[30] != "国家级研发机构数"


@pytest.mark.parametrize("text, suffix", [
    ("专利授权520件，占全年目标任务的130%。", "全年目标任务完成率"),
    ("实际利用外资1.2亿美元，完成年目标任务96.5%。", "年目标任务完成率"),
    ("研发投入3.1亿元，占全年任务的104%。", "全年任务完成率"),
    ("新增就业2100人，完成全年目标的88%。", "全年目标完成率"),
])
def test_a_share_of_a_target_is_its_completion_rate(text, suffix):
    (rate,) = [n for v, n in names_of(text).items() if v in (130, 96.5, 104, 88)]
    assert rate.endswith(suffix) and len(rate) > len(suffix)


def test_air_quality_units_are_read():
    assert quantities("细颗粒物年均浓度28微克/立方米，PM10为45μg/m3。") == [(28.0, "微克/立方米"), (45.0, "μg/m3")]


# -- an amount of what was counted ----------------------------------------------------------------

@pytest.mark.parametrize("text, value, name", [
    ("新签约重点项目24个，总投资138亿元。", 138, "新签约重点项目总投资"),
    ("推进市级重大项目36个，完成投资52.7亿元。", 52.7, "市级重大项目投资"),
    ("签约产业项目17个，合同额过百亿。", 100, "签约产业项目合同额"),
])
def test_an_amount_after_a_count_is_of_what_was_counted(text, value, name):
    got = names_of(text)[value]
    assert name in got and got.endswith(name[-3:])


def test_an_amount_with_a_name_of_its_own_keeps_it():
    names = names_of("新签约重点项目24个，研发投入总额38亿元。")
    assert names[38] == "研发投入总额"


def test_a_level_is_no_place():
    """`市级`, `区域`: the words before them name no region of the report."""
    assert regex_meta("", "", "推进市级重大项目36个。").region is None


def test_a_clause_of_figures_with_a_measure_only_takes_the_items_of_the_clause_before():
    names = names_of("集成电路、生物医药产业分别实现营收同比增长8.2%、15.1%，占全区营收比重21.4%、9.7%。")
    assert names[21.4] == "集成电路占全区营收比重" and names[9.7] == "生物医药产业占全区营收比重"


@pytest.mark.parametrize("text, value, name", [
    ("新建院士(专家)工作站12家。", 12, "新建院士（专家）工作站数"),
    ("新增独角兽（培育）企业5家。", 5, "新增独角兽（培育）企业数"),
])
def test_a_gloss_inside_the_clause_ends_nothing(text, value, name):
    assert names_of(text)[value] == name


def test_a_figure_in_brackets_is_no_gloss():
    names = names_of("共立项智能软件（36个）、研发服务（32个）产业专项68个。")
    assert "（" not in names[68]


@pytest.mark.parametrize("lead", ["加快改造提升传统市场。", "减免区镇两级载体租金。", "拉动整个高新区快速发展。"])
def test_prose_before_a_place_word_is_no_region(lead):
    assert regex_meta("", "", lead).region is None


@pytest.mark.parametrize("text, time", [("3月5日上午9时，大会开幕。", "9时"), ("会议于14时30分举行。", "14时30分"), ("晚8点准时开播。", "8点")])
def test_a_time_of_day_is_no_figure(text, time):
    (m,) = [m for m in find_numbers(text) if m.text == time]
    assert m.category == "date"


@pytest.mark.parametrize("text", ["其中：18岁以下 18-59岁 60岁及以上", "60周岁以上老年人3.2万人"])
def test_an_age_band_is_no_figure(text):
    assert all(m.unit not in ("岁", "周岁") for m in find_numbers(text) if m.category == "quantity")


def test_an_age_is_a_figure():
    assert (36.5, "岁") in quantities("研发人员平均年龄36.5岁。")


# -- the levels of a total --------------------------------------------------------------------------

def test_the_levels_of_a_total_are_levels_of_what_it_counts():
    names = names_of("全区共有科普教育基地31个，其中国家级3个、省级10个、市级18个。")
    assert [names[v] for v in (3, 10, 18)] == ["国家级科普教育基地数", "省级科普教育基地数", "市级科普教育基地数"]


def test_a_level_inside_the_total_gives_way_to_the_level_of_the_part():
    names = names_of("拥有企业技术中心等省级以上研发平台120个，其中国家级11个。")
    assert names[11] == "国家级研发平台数"  # the examples before the category go (finish.example_list)


def test_a_level_with_a_name_of_its_own_keeps_it():
    names = names_of("新增研发平台20个，其中国家级重点实验室2个。")
    assert names[2] == "国家级重点实验室数"


@pytest.mark.parametrize("name, level", [("国家级数", "国家级"), ("国家级、省级数", "省级"), ("国家级2个、省级数", "省级"),
                                         ("金华市级数", "金华市级"), ("国家级重点实验室数", None), ("省级以上数", "省级以上")])
def test_a_name_of_levels_only(name, level):
    from llmx.naming.dependents import level_only
    assert level_only(name) == level


# -- changes and gaps -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value, suffix", [
    ("专利授权量1260件，较2023年增长14.2%。", 14.2, "增幅"),
    ("研发投入强度3.1%，比2022年提高0.4个百分点。", 0.4, "提高幅度"),
    ("科学素质比例16.1%，比全省平均水平高2.2个百分点。", 2.2, "高于全省平均水平幅度"),
    ("研发活动覆盖率61%，高于全市平均值8.5个百分点。", 8.5, "高于全市平均值幅度"),
    ("工业投资增长3.4%，低于全市平均1.2个百分点。", 1.2, "低于全市平均幅度"),
])
def test_a_change_against_a_year_or_a_gap_to_a_wider_scope_hangs_on_the_figure_before(text, value, suffix):
    name = names_of(text)[value]
    assert name.endswith(suffix) and len(name) > len(suffix) + 2


@pytest.mark.parametrize("text, value", [("科普教育基地达到18个，数量位列全市第2。", 2), ("新增企业27家，总量继续居全省首位。", 1)])
def test_a_rank_of_a_count_s_quantity_hangs_on_the_count(text, value):
    assert names_of(text)[value].endswith("数全市排名") or names_of(text)[value].endswith("数全省排名")


@pytest.mark.parametrize("lead, issuer", [
    ("政务公开 > 部门公开\n  • 发布机构:\n\n    区统计局\n  • 成文日期:\n\n    2024-01-23\n", "区统计局"),
    ("区科技局2023年政府信息公开工作年度报告\n发布时间:2024-01-30 来源:本网字体: [ ]\n正文。", "区科技局"),
    ("经信局2024年工作总结\n2024年，我局围绕…", "经信局"),
])
def test_an_issuer_from_a_field_laid_out_over_lines_or_from_the_title(lead, issuer):
    assert regex_meta("", "", lead).issuer == issuer


def test_the_site_itself_is_no_issuer():
    assert regex_meta("", "", "一条新闻\n发布时间:2024-01-30 来源:本网\n正文。").issuer is None


@pytest.mark.parametrize("lead, title, kind", [
    ("2023-12-13 来源:\n为加快发展低空经济，特制定某市低空经济发展三年行动计划。\n一、总体要求\n二、主要指标\n", "某市低空经济发展三年行动计划", "plan"),
    ("各街道、各部门：\n《某区科技创新能力提升实施方案（2024—2026年）》已经区政府常务会议审议通过，现印发给你们，请认真贯彻落实。\n",
     "某区科技创新能力提升实施方案（2024—2026年）", "plan"),
])
def test_a_document_that_names_itself_is_titled_so(lead, title, kind):
    meta = regex_meta("", "", lead)
    assert (meta.title, meta.kind) == (title, kind)


def test_a_speaker_s_byline_is_no_title():
    assert regex_meta("", "", "区人民政府区长 王某某\n\n各位代表：\n现在，我代表区人民政府向大会报告工作。").title != "区人民政府区长 王某某"


# -- the parts of a total ---------------------------------------------------------------------------

def test_a_part_that_says_too_little_is_named_after_its_total():
    names = names_of("全年主动公开政务信息96条，其中机构职能5条、政策文件12条。")
    assert names[5] == "主动公开政务信息机构职能数" and names[12] == "主动公开政务信息政策文件数"


def test_a_part_that_says_what_it_is_keeps_its_name():
    names = names_of("专利授权1200件，其中发明专利320件。新增科技产业用房12万平方米，其中面向初创企业的低成本孵化空间3万平方米。")
    assert names[320] == "发明专利数"
    assert not names[3].startswith("新增科技产业用房")


def test_bare_rates_and_ranks_after_semicolons_hang_on_the_figure_they_follow():
    names = names_of("全县规上工业企业研发费用12.5亿元，年度任务完成率104%；全市排名第3；累计增速18%，全市排名第2。")
    assert names[104] == "规上工业企业研发费用年度任务完成率"
    assert names[3] == "规上工业企业研发费用年度任务完成率全市排名"
    assert names[18].startswith("规上工业企业研发费用") and names[18].endswith(("增速", "增幅"))
    assert names[2].startswith("规上工业企业研发费用") and names[2].endswith("全市排名")


def test_a_gap_to_the_schedule_hangs_on_the_figure_before():
    names = names_of("省级重点项目完成投资12.6亿元，超时序进度4.2个百分点。")
    assert names[4.2] == "省级重点项目完成投资超时序进度幅度"


@pytest.mark.parametrize("lead, title", [
    ("2023年某区国民经济和社会发展\n统计公报\n某区统计局\n2024年3月20日\n2023年，全区…", "2023年某区国民经济和社会发展统计公报"),
    ("某区政府在线|某街道政务网|某镇政务网\n某区召开科技工作会议\n正文。", "某区召开科技工作会议"),
])
def test_a_wrapped_title_is_joined_and_a_site_menu_is_no_title(lead, title):
    meta = regex_meta(lead[:60], "", lead)
    assert meta.title == title


def test_a_zone_s_full_name_is_its_short_one():
    assert regex_meta("", "", "一、总体情况\n某某高新技术产业开发区认真落实政务公开工作要求。").region == "某某高新区"


# -- a count whose clause says only its verb ---------------------------------------------------------

@pytest.mark.parametrize("text, value, name", [
    ("全年申报高新技术企业520家，认定418家。", 418, "认定高新技术企业数"),
    ("新认定高新技术企业45家，力争60家。", 60, "新认定高新技术企业数"),
    ("整合精简31张报表，关停12个业务系统。", 12, "业务系统数"),
])
def test_a_count_whose_clause_says_only_its_verb_takes_its_object_from_the_clause_before_or_after(text, value, name):
    assert names_of(text)[value] == name


def test_a_list_or_a_total_is_no_parallel_clause():
    names = names_of("新建省级企业研究院3家、市级工程技术中心10家。新增专精特新企业26家，总数达到72家。")
    assert names[10] != "新建省级企业研究院数" and "总数" in names[72]


def test_a_gloss_that_lists_what_it_includes_ends_nothing_either():
    names = names_of("经认定备案的各类科技创新创业载体(含科技企业孵化器、众创空间)43家。")
    assert names[43].endswith("载体（含科技企业孵化器、众创空间）数")


def test_items_of_a_sentence_before_or_figures_not_listed_are_no_respective_names():
    # a full stop, not a comma, ends the list's sentence: the rates are not its items'
    names = names_of("专精特新企业、创新型中小企业达到315家、820家。分别增长12.5%、30.2%。")
    assert names[12.5] != "专精特新企业增幅" and names[30.2] != "创新型中小企业增幅"
    # figures that are not listed one after another are not given respectively
    names = names_of("智能软件、研发服务产业分别实现营收16亿元，较上年增长7.5%。")
    assert names[16] != "智能软件营收" and names[7.5] != "研发服务产业营收增幅"
    # as many items as figures, or none is named by them
    names = names_of("国家级、省级、市级孵化器达到12家、30家。")
    assert names[12] != "国家级孵化器数" and names[30] != "省级孵化器数"


def test_a_part_of_a_total_needs_the_total_just_before_in_its_own_unit_and_sentence():
    assert names_of("主动公开政务信息96条。其中机构职能5条。")[5] == "机构职能数"
    assert names_of("主动公开政务信息96条，其中机构职能5个。")[5] == "机构职能数"
    assert names_of("主动公开政务信息96条，其中机构职能5条。")[5] == "主动公开政务信息机构职能数"


# A news item that names no year: its date (a byline's, a dateline's) gives the years when the
# body names that day; reported in the first months, the item speaks of the year before.
NEWS_DATED = ("责任编辑:李四2019-02-12 10:05 来源:某某网\n"
              "某某网2月12日讯 2月12日上午,某某区第二届人民代表大会第三次会议开幕,区长作政府工作报告。\n"
              "过去一年,全区地区生产总值增长7.2%,新增高新技术企业150家。今年要继续扩大有效投资。")


def test_a_news_item_dated_early_in_a_year_it_does_not_name_reports_the_year_before():
    meta = regex_meta("", "", NEWS_DATED)
    assert meta.issued_on == "2019-02-12" and meta.years == [2018, 2019]
    periods = {i.value: i.period for i in baseline_extract(clean_text(NEWS_DATED, "news.txt")).indicators}
    assert periods[7.2] == "2018" and periods[150] == "2018"


def test_a_news_item_dated_later_in_a_year_reports_its_own_year():
    text = NEWS_DATED.replace("2019-02-12", "2019-08-12").replace("2月12日", "8月12日")
    assert regex_meta("", "", text).years == [2019]


def test_a_posting_date_the_body_never_names_gives_no_year():
    # a document site's copy of a template: the date is when the copy was posted
    text = NEWS_DATED.replace("2月12日讯 2月12日上午", "讯 近日")
    assert regex_meta("", "", text).issued_on == "2019-02-12"
    assert regex_meta("", "", text).years == []


@pytest.mark.parametrize("text, value, name", [
    ("1-5月份全镇规模以上工业产值86.2亿元。", 86.2, "规模以上工业产值"),
    ("1—9月实际利用外资3.1亿美元。", 3.1, "实际利用外资"),
    ("预计完成社会消费品零售总额120亿元。", 120, "社会消费品零售总额"),
    ("全年进出口总额预计完成45亿元。", 45, "进出口总额"),
])
def test_the_months_a_figure_covers_and_a_forecast_verb_are_not_its_name(text, value, name):
    names = {i.value: i.name for i in baseline_extract(clean_text(text, "months.txt")).indicators}
    assert names[value] == name


def test_a_news_item_on_a_plan_it_names_is_read_as_that_plan():
    lead = ("某某网获悉,5月8日,某某市某某区人民政府发布关于印发《某某区推动绿色低碳发展行动方案(2024—2026年)》的通知。\n"
            "《方案》提出,到2026年,全区新建充电桩2000个。")
    meta = regex_meta("", "", lead)
    assert meta.kind == "plan" and meta.years == [2024, 2025, 2026]


def test_a_document_named_further_into_a_news_item_is_not_what_it_reports_on():
    lead = ("某某区2024年科技工作总结\n全年新增高新技术企业120家,各街镇学习了《某某区科技创新三年行动方案(2024—2026年)》。")
    meta = regex_meta("", "", lead)
    assert meta.kind == "summary" and meta.years == [2024]
